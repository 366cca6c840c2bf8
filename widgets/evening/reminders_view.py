"""Thin view: send reminders by email (preview, send to me first, send, log) and the SMS file.

Logic is in :mod:`widgets.evening.reminders` and :mod:`widgets.evening.mailer`; this panel sits
under the planner and works on the timetable it made last (:mod:`widgets.evening.current`).
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import render
from widgets.identity import current_visitor
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    download_html,
    guarded,
    message_html,
    show_message,
    text_html,
)

_LABELS = {"sent": "Sent", "failed": "Failed", "skipped": "Skipped"}
_LAY = ipw.Layout(width="auto")


def reminders_panel() -> ipw.VBox:
    """Preview, test, send and log reminder emails; download the text-message file."""
    from widgets.evening import current
    from widgets.evening import reminders as rm
    from widgets.evening.mailer import MailSettingsError, smtp_settings, valid_email

    status = ipw.HTML()
    settings_line = ipw.HTML()
    waiting = ipw.HTML(message_html("Make the timetable above first; the reminders use it.",
                                    "info"))
    family_pick = ipw.Dropdown(description="Preview for", layout=ipw.Layout(width="100%"),
                               style={"description_width": "90px"})
    preview = ipw.HTML()
    me = ipw.Text(description="Your email", placeholder="you@your-school.org",
                  style={"description_width": "90px"}, layout=ipw.Layout(width="100%"))
    test_btn = ipw.Button(description="Send to me first", layout=_LAY)
    test_btn.add_class("pap-rem-test")
    sure = ipw.Checkbox(description="I have read the preview and my test email", value=False,
                        indent=False, layout=_LAY)
    send_btn = ipw.Button(description="Send reminders", button_style="primary", layout=_LAY,
                          disabled=True)
    send_btn.add_class("pap-rem-send")
    result = ipw.HTML()
    result.add_class("pap-rem-result")
    sms_btn = ipw.Button(description="Text messages for the SMS provider (CSV)", layout=_LAY)
    sms_btn.add_class("pap-rem-sms")
    sms_out = ipw.HTML()
    sms_out.add_class("pap-rem-sms-out")
    log_btn = ipw.Button(description="Show what was sent", layout=_LAY)
    log_out = ipw.HTML()
    body = ipw.VBox([
        ipw.HTML(text_html("Each family gets one email in its language, with its letter and "
                           "(when it has a time) its calendar file attached. Families without an "
                           "email address are listed, never dropped silently; the text-message "
                           "file covers families with a mobile number.")),
        settings_line, family_pick, preview, me, ipw.HBox([test_btn]), sure,
        ipw.HBox([send_btn]), result, ipw.HBox([sms_btn]), sms_out, ipw.HBox([log_btn]), log_out,
    ])
    body.layout.display = "none"
    state: dict = {"inst": None, "tt": None, "plan": []}

    def _settings():
        """The mail settings, or a plain reason (never the password) in the settings line."""
        try:
            st = smtp_settings()
        except MailSettingsError as e:
            settings_line.value = message_html(str(e), "warning")
            return None
        if st is None:
            settings_line.value = message_html(
                "Email is not set up on this server, so reminders can be previewed but not sent. "
                "Ask your IT contact to set PAP_SMTP_URL (see the kit's README).", "warning")
            return None
        settings_line.value = message_html("Mail server: " + st.describe(), "info")
        return st

    @guarded(status)
    def _on_plan(inst, tt) -> None:
        state.update(inst=inst, tt=tt, plan=rm.plan(inst, tt))
        plan = state["plan"]
        family_pick.options = [(f"{r.family} ({r.family_id})" + (" · no email" if r.skip_reason
                                else ""), r.family_id) for r in plan]
        if plan:
            family_pick.value = plan[0].family_id
        usable = sum(1 for r in plan if not r.skip_reason)
        send_btn.description = f"Send reminders to {usable} families"
        _settings()
        waiting.layout.display = "none"
        body.layout.display = None
        result.value = sms_out.value = ""
        _preview()
        _enable()

    def _chosen():
        fid = family_pick.value
        return next((r for r in state["plan"] if r.family_id == fid), None)

    @guarded(status)
    def _preview(_c=None) -> None:
        r = _chosen()
        if r is None or state["inst"] is None:
            preview.value = ""
            return
        sender = "office@your-school.org"
        st = _settings()
        if st is not None:
            sender = st.sender
        msg = rm.message(state["inst"], state["tt"], r, sender, to=r.recipient or None)
        preview.value = rm.preview_html(msg, r)

    def _enable(_c=None) -> None:
        send_btn.disabled = not sure.value or not state["plan"]

    def _show(res) -> None:
        problems = [o for o in res.outcomes if o.status != "sent"]
        table = render("evening/rem_outcomes.html", rows=problems[:50], labels=_LABELS,
                       more=max(0, len(problems) - 50)) if problems else ""
        result.value = message_html(res.summary(), res.kind) + table

    def _send(reminders, *, to: str | None, test: bool) -> None:
        st = _settings()
        if st is None:
            raise UserFacingError("Email is not set up on this server; nothing was sent.")
        visitor = current_visitor()  # every send is logged under the office's record
        res = rm.send(state["inst"], state["tt"], reminders, st, to=to, test=test)
        _show(res)
        try:
            get_store().log_reminders(visitor.id, res.log_rows(rm.evening_label(state["inst"])))
        except Exception:  # noqa: BLE001 - the mail went; say the log did not
            result.value += message_html(
                "The emails above were handed to the mail server, but the log could not be "
                "saved; note the counts somewhere safe.", "warning")

    @guarded(status)
    def _test(_b) -> None:
        address = me.value.strip()
        if not valid_email(address):
            raise UserFacingError("Write your own email address for the test (one address).")
        r = _chosen()
        if r is None:
            raise UserFacingError("Choose a family to preview first.")
        test_btn.disabled = True
        try:
            show_message(status, "Sending the test…", "info")
            _send([r], to=address, test=True)
            status.value = ""
        finally:
            test_btn.disabled = False

    @guarded(status)
    def _send_all(_b) -> None:
        if not sure.value:
            raise UserFacingError("Tick that you have read the preview and your test email.")
        send_btn.disabled = True
        try:
            show_message(status, "Sending the reminders… this can take a few minutes.", "info")
            _send(state["plan"], to=None, test=False)
            status.value = ""
            sure.value = False
        finally:
            _enable()

    @guarded(status)
    def _sms(_b) -> None:
        if state["inst"] is None:
            raise UserFacingError("Make the timetable first.")
        exp = rm.sms_export(state["inst"], state["tt"])
        from widgets.evening.outputs import safe_name

        name = f"text_messages_{safe_name(state['inst'].settings.school)}.csv"
        sms_out.value = message_html(exp.summary(), exp.kind) + (
            download_html(exp.csv, name, "Download the text messages (CSV)", "text/csv")
            if exp.rows else "")

    @guarded(status)
    def _log(_b) -> None:
        rows = get_store().reminder_log(current_visitor().id, limit=500)
        log_out.value = render("evening/rem_log.html", rows=rows, labels=_LABELS)

    family_pick.observe(_preview, names="value")
    sure.observe(_enable, names="value")
    test_btn.on_click(_test)
    send_btn.on_click(_send_all)
    sms_btn.on_click(_sms)
    log_btn.on_click(_log)
    current.on_plan(_on_plan)
    box = ipw.VBox([waiting, body, status])
    box.add_class("pap-rem-panel")
    return box

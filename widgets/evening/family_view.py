"""The family's request page: phone-first, in the family's language, opened by its own link.

Only lays out widgets and wires their events. Which household a link opens, whether the window
is open and whether a reply fits are decided in :mod:`widgets.evening.request_store` and
:mod:`widgets.evening.requests`; the words are in ``datasets/evening/family_page.yaml``.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable

import ipywidgets as ipw

from widgets.html import render
from widgets.ui import message_html

FULL = ipw.Layout(width="100%")
# How long a form made after the page opened waits for the browser to ask for the widgets.
BROWSER_WAIT_S = 20.0
STYLE = render("evening/family_style.html")


def _bad_link_html() -> str:
    """The "this link opens nothing" notice in every language (we cannot tell whose it is)."""
    from widgets.evening.family_text import direction, family_texts

    return render("evening/family_bad_link.html", parts=[
        {"code": code, "dir": direction(code), "text": t.bad_link, "title": t.page_title}
        for code, t in family_texts().items()
    ])


def _part(heading: str = "", text: str = "", child: str = "", about: str = "") -> ipw.HTML:
    """A section's words on the request page (a heading, a paragraph, the child)."""
    return ipw.HTML(render("evening/family_part.html", heading=heading, text=text, child=child,
                           about=about))


class FamilyForm:
    """One household's request form, built once its link has opened its invite."""

    def __init__(self, root: ipw.VBox, invite, window, reply, code: str) -> None:
        self.root, self.invite, self.window, self.code = root, invite, window, code
        self.saved_reply = reply
        self.msg = ipw.HTML()
        self.msg.add_class("pap-fr-msg")
        self.build()

    # ---- layout ------------------------------------------------------------------------
    def build(self) -> None:
        from widgets.evening.family_text import direction, family_texts, fill_text, text_for
        from widgets.evening.invitations import closes_text
        from widgets.evening.letters import format_clock, format_date, letter_templates

        code, w = text_for(self.code)
        self.words = w
        tpl = letter_templates().get(code) or letter_templates()["en"]
        st = self.window.evening()
        d = self.invite.details
        prev = self.saved_reply
        values = {"school": st.school, "date": format_date(st.date, tpl.locale, st.school_locale),
                  "closes": closes_text(self.window, code)}
        self.values = values
        kids: list[ipw.Widget] = []
        lang_opts = [(letter_templates()[c].name, c) for c in family_texts()]
        self.lang = ipw.Dropdown(options=lang_opts, value=code, description="🌐 Language",
                                 layout=ipw.Layout(width="100%"))
        self.lang.add_class("pap-fr-lang")
        self.lang.observe(self._switch_language, names="value")
        kids.append(self.lang)
        kids.append(ipw.HTML(render("evening/family_title.html", title=w.page_title,
                                    intro=fill_text(w.intro, values, escape=False))))

        # teachers per child, each with a mode
        self.choice_boxes: list[tuple[str, str, ipw.Checkbox, ipw.Dropdown | None]] = []
        chosen = {(c.teacher_id, c.child): c.mode for c in (prev.choices if prev else [])}
        modes = self.window.modes
        for child in d.children:
            sec: list[ipw.Widget] = [_part(heading=w.teachers_q, child=child, about=w.children)]
            for t in self.window.teachers:
                key = (t.id, child)
                ticked = key in chosen if prev else t.id in d.teachers
                cb = ipw.Checkbox(value=ticked, description=t.name, indent=False, layout=FULL)
                cb.add_class("pap-fr-teacher")
                dd = None
                if len(modes) > 1:
                    dd = ipw.Dropdown(
                        options=[(w.mode_label(m), m) for m in modes],
                        value=chosen.get(key, modes[0]) if chosen.get(key, modes[0]) in modes
                        else modes[0],
                        description=w.mode_q, style={"description_width": "initial"},
                        layout=ipw.Layout(width="100%", display=None if ticked else "none"),
                    )
                    dd.add_class("pap-fr-mode")
                    cb.observe(lambda c, dd=dd: setattr(dd.layout, "display",
                                                        None if c["new"] else "none"),
                               names="value")
                self.choice_boxes.append((t.id, child, cb, dd))
                sec += [cb] + ([dd] if dd else [])
            kids.append(self._section(sec))

        # times
        ticked_times = set(prev.times) if prev else set()
        self.time_boxes = []
        for a, b in self.window.blocks():
            label = (f"{format_clock(a, tpl.locale, st.school_locale)} – "
                     f"{format_clock(b, tpl.locale, st.school_locale)}")
            cb = ipw.Checkbox(value=a in ticked_times, description=label, indent=False,
                              layout=FULL)
            cb.add_class("pap-fr-time")
            self.time_boxes.append((a, cb))
        kids.append(self._section([_part(heading=w.times_q),
                                   *[cb for _a, cb in self.time_boxes]]))

        # phone
        self.phone = ipw.Text(value=(prev.phone if prev else "") or d.phone, layout=FULL,
                              placeholder=w.phone_label)
        self.phone.add_class("pap-fr-phone")
        if "phone" in modes:
            kids.append(self._section([_part(heading=w.phone_label), self.phone]))

        # interpreter or signer
        self.interp = ipw.RadioButtons(
            options=[(w.interp_none, "none"), (w.interp_language, "language"),
                     (w.interp_signer, "signer")],
            value=prev.interpreter if prev else ("language" if d.interpreter else "none"),
            layout=FULL,
        )
        self.interp.add_class("pap-fr-interp")
        self.interp_lang = ipw.Text(
            value=(prev.interpreter_language if prev else "") or d.home_language, layout=FULL,
            placeholder=w.interp_language,
        )
        self.interp_lang.add_class("pap-fr-interp-lang")
        kids.append(self._section([_part(heading=w.interpreter_q), self.interp,
                                   self.interp_lang]))

        # access needs
        from widgets.limits import MAX_FAMILY_NOTE_CHARS

        self.access = ipw.Textarea(value=prev.access_needs if prev else "", layout=FULL,
                                   placeholder=w.access_q)
        self.access.add_class("pap-fr-access")
        self.access_limit = MAX_FAMILY_NOTE_CHARS
        kids.append(self._section([_part(text=w.access_q), self.access]))

        # a child's other household
        self.joint = ipw.RadioButtons(options=[(w.joint_no, False), (w.joint_yes, True)],
                                      value=bool(prev.joint) if prev else False, layout=FULL)
        self.joint.add_class("pap-fr-joint")
        if d.linked_to:
            kids.append(self._section([_part(text=w.joint_q), self.joint]))

        self.submit = ipw.Button(description=w.submit, button_style="primary", layout=FULL)
        self.submit.add_class("pap-fr-submit")
        self.submit.on_click(self._save)
        kids += [self.submit, self.msg]
        self.inputs = [cb for *_x, cb, _dd in self.choice_boxes] + [
            dd for *_x, dd in self.choice_boxes if dd] + [cb for _a, cb in self.time_boxes] + [
            self.phone, self.interp, self.interp_lang, self.access, self.joint, self.submit]
        self.root.children = kids
        self.root.remove_class("pap-fr-rtl")
        if direction(code) == "rtl":
            self.root.add_class("pap-fr-rtl")
        if not self.window.is_open():
            self._closed()

    @staticmethod
    def _section(children: list[ipw.Widget]) -> ipw.VBox:
        box = ipw.VBox(children, layout=FULL)
        box.add_class("pap-fr-section")
        return box

    def _switch_language(self, change: dict) -> None:
        self.code = change["new"]
        self.saved_reply = self._reply_or_none() or self.saved_reply
        self.build()

    # ---- behaviour ---------------------------------------------------------------------
    def _reply_or_none(self):
        from widgets.evening.requests import Choice, FamilyReply

        try:
            return FamilyReply(
                choices=[Choice(teacher_id=t, child=c, mode=dd.value if dd else
                                self.window.modes[0])
                         for t, c, cb, dd in self.choice_boxes if cb.value],
                times=[a for a, cb in self.time_boxes if cb.value],
                phone=self.phone.value.strip()[:40],
                interpreter=self.interp.value,
                interpreter_language=self.interp_lang.value.strip()[:80],
                access_needs=self.access.value.strip()[: self.access_limit],
                joint=bool(self.joint.value),
            )
        except Exception:
            return None

    def _closed(self) -> None:
        from widgets.evening.family_text import fill_text

        for wdg in self.inputs:
            wdg.disabled = True
        self.msg.value = message_html(fill_text(self.words.closed, self.values, escape=False),
                                      "warning")

    def _save(self, _b) -> None:
        from widgets.evening import request_store as rs
        from widgets.evening.family_text import fill_text
        from widgets.evening.requests import ReplyProblem

        w = self.words
        reply = self._reply_or_none()
        if reply is None:
            self.msg.value = message_html(w.not_saved, "warning")
            return
        try:
            rs.save_reply(self.invite, reply)
        except rs.WindowClosed:
            self._closed()
            return
        except ReplyProblem as e:
            text = getattr(w, e.key, None) if e.key in ("need_teacher", "need_time") else None
            self.msg.value = message_html(text or w.not_saved, "warning")
            return
        except Exception:  # the store did not confirm: say so, keep every answer on the page
            traceback.print_exc(file=sys.__stderr__)
            self.msg.value = message_html(w.not_saved, "error")
            return
        self.saved_reply = reply
        self.msg.value = message_html(fill_text(w.saved, self.values, escape=False), "success",
                                      css_class="pap-saved")


_browser_loaded = threading.Event()
_hooked = False


def _hook_browser_loaded() -> None:
    """Set :data:`_browser_loaded` once the browser has asked for every widget's state.

    ipywidgets' page code asks once, over its control channel, when it has connected; from
    then on a widget made in the kernel reaches the page as it is made.
    """
    global _hooked
    if _hooked:
        return
    _hooked = True
    original = ipw.Widget._handle_control_comm_msg.__func__

    def _handled(cls, msg):  # noqa: ANN001, ANN202
        try:
            return original(cls, msg)
        finally:
            _browser_loaded.set()

    ipw.Widget._handle_control_comm_msg = classmethod(_handled)


def after_browser_loaded(fn: Callable[[], None], wait: float = BROWSER_WAIT_S) -> None:
    """Run ``fn`` (which makes the form's widgets) on the kernel's thread once the browser can
    take them.

    Why: in a preheated Voila kernel the visitor becomes known while the browser is still
    loading the page. A form of thirty widgets made then reached the page as a box whose
    children the browser never heard of ("widget model not found": after a reload the sections
    and time boxes were missing, or the saved times showed unticked), even when made on the
    kernel's thread (``identity.on_kernel_thread``). So in a preheated kernel the form waits
    until the browser has asked for the widgets' state (or ``wait`` seconds, for a page that
    never asks). A kernel Voila started for this request runs the page before any browser
    connects, so ``fn`` runs at once there, as in tests.
    """
    from widgets.identity import on_kernel_thread, preheated

    if not preheated() or _browser_loaded.is_set():
        on_kernel_thread(fn)
        return

    def _later() -> None:
        _browser_loaded.wait(wait)
        on_kernel_thread(fn)

    threading.Thread(target=_later, name="pap-family-form", daemon=True).start()


def family_bar() -> ipw.VBox:
    """The family page's first cell, in place of the staff record bar.

    Staff pages say "Saving to: (the record) (personal link)" in English, with a link to the kit's
    home page when the link opens nothing. A parent who opened the school's link in Polish or
    Arabic needs neither: the form says whose request it is in their language (the child's name),
    says "saved" in their language only after the store confirmed, and says in every language
    when a link opens nothing. So the family page shows no staff line at all (an empty bar keeps
    the page's first cell and its place for styling).
    """
    box = ipw.VBox([], layout=FULL)
    box.add_class("pap-record")
    box.add_class("pap-family-bar")
    return box


def family_request() -> ipw.VBox:
    """The request page. A household's link (?p=...) opens its own request and nothing else;
    any other link, or none, opens nothing and says so in every language."""
    from widgets.identity import Visitor, VisitorUnknown, when_known

    _hook_browser_loaded()
    root = ipw.VBox([ipw.HTML("⏳")], layout=FULL)
    root.add_class("pap-family-request")
    box = ipw.VBox([ipw.HTML(STYLE), root], layout=FULL)

    def _known(v: Visitor) -> None:
        from widgets.evening import request_store as rs
        from widgets.evening.letters import letter_language

        try:
            invite = rs.invite_for(v.id)
            window = rs.get_window(invite.window_id) if invite else None
        except Exception:
            after_browser_loaded(lambda: setattr(root, "children", [ipw.HTML(message_html(
                "The page could not reach the school's database. Please try again later.",
                "warning"))]))
            return
        if invite is None or window is None:
            after_browser_loaded(_bad_link)
            return
        try:
            reply = rs.reply_of(invite)
        except Exception:
            reply = None  # the form opens empty; saving says whether the store answers
        code = letter_language(invite.details.home_language)

        def _build() -> None:
            try:
                FamilyForm(root, invite, window, reply, code)
            except Exception:
                traceback.print_exc(file=sys.__stderr__)
                root.children = [ipw.HTML(message_html(
                    "The page could not be shown. Please try again later.", "warning"))]

        after_browser_loaded(_build)

    def _bad_link() -> None:
        root.children = [ipw.HTML(_bad_link_html())]

    def _unknown(_exc: VisitorUnknown) -> None:
        after_browser_loaded(_bad_link)

    when_known(_known, _unknown)
    return box

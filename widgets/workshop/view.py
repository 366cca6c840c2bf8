"""The facilitator dashboard and the participant's completion record (thin views)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime

import ipywidgets as ipw

from widgets.identity import Visitor, VisitorUnknown, current_visitor, when_known
from widgets.landing.model import load_catalogue
from widgets.privacy import WORKSHOP_MIN_GROUP
from widgets.store import TooManyAttempts, WorkshopInfo, get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    esc,
    esc_multiline,
    guarded,
    message,
    plain_error,
    show_message,
)
from widgets.workshop import model

_AUTO = ipw.Layout(width="auto")
GROUP_PANELS = ("roleplay", "audit", "skills", "messages", "evening")

_PROJECTOR_CSS = """<style>
.pap-projector .pap-wall-card{font-size:1.35em!important}
.pap-projector .pap-code{font-size:5em!important}
.pap-projector .pap-dash-section h3{font-size:1.6em}
</style>"""


def _module_choices() -> list[tuple[str, str]]:
    return [(e.title, e.id) for e in load_catalogue().entries if e.kind == "module"]


def facilitator_dashboard() -> ipw.VBox:
    """Open a new workshop or an existing one with its code and facilitator key."""
    status = ipw.HTML()
    body = ipw.VBox([])

    title = ipw.Text(
        description="Title",
        placeholder="e.g. Autumn staff PD: working with families",
        layout=ipw.Layout(width="560px"),
    )
    when = ipw.DatePicker(description="Date", value=date.today())
    mods = ipw.SelectMultiple(
        options=_module_choices(),
        description="Modules",
        layout=ipw.Layout(width="560px", height="9em"),
    )
    create = ipw.Button(description="Open a new workshop", button_style="primary", layout=_AUTO)
    code_in = ipw.Text(description="Join code", placeholder="e.g. K7QX2M")
    key_in = ipw.Password(description="Facilitator key")
    open_btn = ipw.Button(description="Open dashboard", button_style="primary", layout=_AUTO)

    # The key is a secret: it lives in its own box, which the projector view hides along with
    # the set-up form, and which the facilitator can put away once it is written down.
    key_line = ipw.HTML()
    key_done = ipw.Button(description="I have written it down", layout=_AUTO)
    key_box = ipw.VBox([key_line, ipw.HBox([key_done])])
    key_box.add_class("pap-key-box")
    key_box.layout.display = "none"
    setup = ipw.VBox([])  # tabs and status, filled below

    def _hide_key(_b: object = None) -> None:
        key_line.value = ""
        key_box.layout.display = "none"

    def _projecting(on: bool) -> None:
        setup.layout.display = "none" if on else None
        if on:
            _hide_key()

    @guarded(status)
    def _create(_b: ipw.Button) -> None:
        if not title.value.strip():
            raise UserFacingError("Give the workshop a title first.")
        ws, key = get_store().open_workshop(title.value, str(when.value or ""), list(mods.value))
        status.value = ""
        key_line.value = message(
            f"Workshop opened. Write down the facilitator key now: {key}\n"
            "It is shown only once and never on the projector view. With the join code it "
            "reopens this dashboard from any computer.",
            "success",
            title="Facilitator key",
        ).value
        key_box.layout.display = None
        body.children = [_dashboard(ws, _projecting)]

    @guarded(status)
    def _open(_b: ipw.Button) -> None:
        try:
            ws = get_store().check_facilitator_key(code_in.value, key_in.value)
        except TooManyAttempts as exc:
            raise UserFacingError(str(exc)) from exc
        key_in.value = ""
        if ws is None:
            raise UserFacingError(
                "That code and key do not open a workshop. Check both and try again."
            )
        status.value = ""
        _hide_key()
        body.children = [_dashboard(ws, _projecting)]

    create.on_click(_create)
    open_btn.on_click(_open)
    new_box = ipw.VBox([title, when, mods, ipw.HBox([create])])
    old_box = ipw.VBox([code_in, key_in, ipw.HBox([open_btn])])
    tabs = ipw.Tab(children=[new_box, old_box])
    tabs.set_title(0, "New workshop")
    tabs.set_title(1, "Reopen a workshop")
    # Tab titles are cut at a fixed width by default; let them be as wide as their words.
    css = ipw.HTML(
        "<style>.widget-tab-bar .lm-TabBar-tab{flex:0 0 auto!important;min-width:fit-content;"
        "padding-right:14px}</style>"
    )
    key_done.on_click(_hide_key)
    setup.children = [css, tabs, status]
    return ipw.VBox([setup, key_box, body])


def _sorting_activities() -> list[str]:
    """Every sorting activity the kit ships: a new one shows on the dashboard with no code change."""
    from widgets.datasets import dataset_path

    return sorted(p.stem for p in dataset_path("activities").glob("*.yaml"))


def _group_panels(workshop_id: int) -> list[ipw.Widget]:
    """Each capability's own group view, where it has one; one failing panel never breaks the rest."""
    panels = []
    for pkg in GROUP_PANELS:
        try:
            mod = importlib.import_module(f"widgets.{pkg}.group")
        except ModuleNotFoundError:
            continue
        try:
            panels.append(mod.group_panel(workshop_id))
        except Exception as exc:  # noqa: BLE001
            panels.append(
                message(plain_error(exc), "error", title=f"The {pkg} panel could not load")
            )
    return panels


def _dashboard(ws: WorkshopInfo, on_projector: Callable[[bool], None] | None = None) -> ipw.VBox:
    """The live dashboard. ``on_projector`` lets the page hide its set-up form and key too."""
    store = get_store()
    status = ipw.HTML()
    header = ipw.HTML(
        f"<div class='pap-dash-header' style='text-align:center;padding:10px;background:#f0f5fb;"
        f"border-radius:8px'><div>{esc(ws.title)}{' · ' + esc(ws.date) if ws.date else ''}</div>"
        f"<div>Join at the landing page with the code</div>"
        f"<div class='pap-code' style='font-size:3.2em;font-weight:700;letter-spacing:.15em;"
        f"color:#1f5fa8'>{esc(ws.code)}</div></div>"
    )
    people = ipw.HTML()
    wall = ipw.HTML()
    dists = ipw.HTML()
    panels = ipw.VBox([])
    links = ipw.HTML()
    projector_css = ipw.HTML()
    projector = ipw.ToggleButton(description="Projector view", layout=_AUTO)
    refresh = ipw.Button(description="Refresh now", button_style="primary", layout=_AUTO)
    ticker = ipw.Play(interval=15_000, min=0, max=10_000, description="Auto refresh")
    ticker_label = ipw.HTML("<small>▶ refreshes every 15 seconds</small>")
    delete_who = ipw.Dropdown(description="Participant")
    delete_ok = ipw.Checkbox(description="They asked for their data to be deleted", indent=False)
    delete_btn = ipw.Button(description="Delete their data", button_style="danger", layout=_AUTO)
    root = ipw.VBox([])

    @guarded(status)
    def _refresh(_x: object = None) -> None:
        parts = store.participants(ws.id)
        rows = store.answers(workshop_id=ws.id)
        labels = model.participant_labels(parts)
        counts = model.activity_counts(rows, parts)
        names = "".join(
            f"<li>{esc(labels[p.id])} <small>({counts[p.id]} answers)</small></li>" for p in parts
        )
        people.value = (
            f"<div class='pap-dash-section'><h3>Who has joined: {len(parts)}</h3>"
            f"<ul class='pap-people'>{names}</ul></div>"
        )
        cards = model.reflection_wall(rows)
        wall.value = (
            "<div class='pap-dash-section'><h3>Reflections wall (anonymous)</h3>"
            "<div style='display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px'>"
            + "".join(
                "<div class='pap-wall-card' style='background:#fffbe6;border:1px solid #f0d97a;"
                "border-radius:6px;padding:8px 10px;font-size:1em'>"
                f"<small style='color:#57606a'>{esc(c.prompt)}</small><div>{esc_multiline(c.text)}</div></div>"
                for c in cards
            )
            + ("</div>" if cards else "<p>No reflections yet.</p></div>")
        )
        dists.value = _distributions_html(rows)
        panels.children = _group_panels(ws.id)
        delete_who.options = [(labels[p.id], p.id) for p in parts]
        recs = model.export_records(rows, parts)
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        links.value = download_html(
            model.export_csv(recs),
            f"workshop-{ws.code}-{stamp}.csv",
            "All answers (CSV)",
            "text/csv",
        ) + download_html(
            model.export_xlsx(recs),
            f"workshop-{ws.code}-{stamp}.xlsx",
            "All answers (Excel)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        show_message(status, f"Updated at {datetime.now():%H:%M:%S}.", "info")

    @guarded(status)
    def _delete(_b: ipw.Button) -> None:
        if delete_who.value is None:
            raise UserFacingError("Choose the participant first.")
        if not delete_ok.value:
            raise UserFacingError(
                "Tick the box to confirm they asked for their data to be deleted."
            )
        n = store.delete_participant(delete_who.value)
        delete_ok.value = False
        _refresh()
        show_message(status, f"Deleted that participant and their {n} answers.", "success")

    def _projector(change: dict) -> None:
        on = bool(change["new"])
        projector_css.value = _PROJECTOR_CSS if on else ""
        # On the projector: the join code, the wall and the group's answers; never names,
        # the exports, the deletion form, nor (via on_projector) the set-up form or the key.
        for w in private:
            w.layout.display = "none" if on else None
        if on:
            root.add_class("pap-projector")
        else:
            root.remove_class("pap-projector")
        if on_projector is not None:
            on_projector(on)

    refresh.on_click(_refresh)
    ticker.observe(_refresh, names="value")
    delete_btn.on_click(_delete)
    projector.observe(_projector, names="value")
    _refresh()
    exports = card([links], title="Export the workshop's answers")
    deletion = card(
        [
            ipw.HTML("<small>Removes everything this participant saved in this workshop.</small>"),
            delete_who,
            delete_ok,
            delete_btn,
        ],
        title="Delete a participant's data",
    )
    private = [people, exports, deletion]
    root.children = [
        projector_css,
        header,
        ipw.HBox(
            [refresh, ticker, ticker_label, projector], layout=ipw.Layout(align_items="center")
        ),
        status,
        people,
        wall,
        dists,
        panels,
        exports,
        deletion,
    ]
    return root


def _distributions_html(rows: list) -> str:
    from widgets.sorting.model import load_activity

    parts = ["<div class='pap-dash-section'><h3>How the group sorted the statements</h3>"]
    for name in _sorting_activities():
        act = load_activity(name)
        dist = model.sorting_distributions(
            rows, name, [(i.id, i.text) for i in act.items], act.categories
        )
        if not any(d.respondents for d in dist):
            continue
        parts.append(f"<h4>{esc(act.title)}</h4><table style='border-collapse:collapse'>")
        parts.append(
            "<tr><th style='text-align:left'>Statement</th>"
            + "".join(f"<th>{esc(c)}</th>" for c in act.categories)
            + "</tr>"
        )
        for d, item in zip(dist, act.items, strict=True):
            if d.suppressed:
                cells = (
                    f"<td colspan='{len(act.categories)}'><small>fewer than "
                    f"{WORKSHOP_MIN_GROUP} answers: not shown</small></td>"
                )
            else:
                cells = "".join(
                    f"<td style='text-align:center;{'font-weight:700' if c == item.answer else ''}'>"
                    f"{d.counts[c]}</td>"
                    for c in act.categories
                )
            parts.append(f"<tr><td style='padding-right:12px'>{esc(d.question)}</td>{cells}</tr>")
        parts.append("</table>")
    if len(parts) == 1:
        parts.append("<p>No answers yet.</p>")
    parts.append("</div>")
    return "".join(parts)


def my_record() -> ipw.VBox:
    """The visitor's modules, minutes of PD and reflections, and a printable certificate."""
    status, summary, links = ipw.HTML(), ipw.HTML("<p>Loading your record…</p>"), ipw.HTML()
    wide = ipw.Layout(width="min(100%, 28em)")
    name = ipw.Text(
        description="Name on it", placeholder="your name as it should appear", layout=wide
    )
    school = ipw.Text(description="School", placeholder="optional", layout=wide)
    make = ipw.Button(description="Prepare my certificate", button_style="primary", layout=_AUTO)

    def _record(v: Visitor) -> model.Completion:
        cat = [
            (e.id, e.title, e.minutes or 0) for e in load_catalogue().entries if e.kind == "module"
        ]
        return model.completion(get_store().answers(participant_id=v.id), cat)

    @guarded(status)
    def _fill(v: Visitor) -> None:
        rec = _record(v)
        if v.participant.display_name and not name.value:
            name.value = v.participant.display_name
        rows = "".join(
            f"<tr><td>{esc(m.title)}</td><td>{'✅ completed ' + esc(m.completed_at) if m.completed else '… ' + esc(m.status_text)}"
            f"</td><td>{m.minutes if m.completed else 0} min</td><td>{m.answers}</td></tr>"
            for m in rec.modules
        )
        summary.value = (
            f"<p>Saved to: <b>{esc(v.saving_to)}</b>. <b>{len(rec.completed)}</b> modules completed, "
            f"about <b>{rec.minutes} minutes</b> of professional learning, "
            f"{len(rec.reflections)} reflections.</p>"
            f"<p><small>{esc(model.COMPLETION_RULE)}</small></p>"
            + (
                f"<table class='pap-record'><tr><th>Module</th><th>Status</th><th>Time</th><th>Answers</th></tr>"
                f"{rows}</table>"
                if rows
                else "<p>You have not started a module yet.</p>"
            )
        )

    @guarded(status)
    def _make(_b: ipw.Button) -> None:
        v = current_visitor()
        rec, issued = _record(v), datetime.now()
        page = model.certificate_html(name.value.strip(), rec, issued, school.value.strip())
        from widgets.workshop.certificate_pdf import certificate_pdf

        pdf = certificate_pdf(name.value.strip(), rec, issued, school.value.strip())
        links.value = download_html(
            page,
            "professional-learning-record.html",
            "Certificate and portfolio (web page)",
            "text/html",
        ) + download_html(
            pdf,
            "professional-learning-record.pdf",
            "Certificate and portfolio (PDF)",
            "application/pdf",
        )

    forget_ok = ipw.Checkbox(
        description="Yes, delete every answer in this record", indent=False, layout=wide
    )
    forget = ipw.Button(description="Delete my answers", button_style="danger", layout=_AUTO)
    forget.add_class("pap-delete-mine")
    forget_status = ipw.HTML()

    @guarded(forget_status)
    def _forget(_b: ipw.Button) -> None:
        v = current_visitor()  # only ever this page's own visitor
        if not forget_ok.value:
            raise UserFacingError("Tick the box first to confirm you want every answer deleted.")
        n = get_store().delete_answers(v.id)
        forget_ok.value = False
        links.value = ""
        _fill(v)
        show_message(
            forget_status,
            f"Deleted {n} answer{'s' if n != 1 else ''} from {v.saving_to}. Nothing else was touched.",
            "success",
        )

    def _unknown(exc: VisitorUnknown) -> None:
        summary.value = message(str(exc), "warning").value

    make.on_click(_make)
    forget.on_click(_forget)
    when_known(_fill, _unknown)
    mine = card(
        [
            ipw.HTML(
                "<p>Removes everything saved in this record (reflections, ratings, plans) and "
                "the name on it. Nobody else's answers are touched.</p>"
            ),
            forget_ok,
            forget,
            forget_status,
        ],
        title="Delete my answers",
    )
    return ipw.VBox(
        [card([summary, name, school, make, links, status], title="My completion record"), mine]
    )

"""Thin views: the teacher's phone page for attendance, and the office's "after the evening" panel.

Logic is in :mod:`widgets.evening.attendance` and :mod:`widgets.evening.followup`. A teacher is
known by the personal link the office issued for them (the kit's way: :mod:`widgets.identity`
resolves it); the page shows that teacher's meetings and nothing else.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import render
from widgets.identity import Visitor, current_visitor, when_known
from widgets.saving import KEPT_CHOICES, guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import UserFacingError, guarded, message_html, show_message, text_html

_BUTTONS = [(label, key) for key, label in {
    "came": "Came", "no_show": "Did not come", "rescheduled": "Rescheduled"}.items()]


# ----------------------------------------------------------------------------- teacher's page


def attendance_page() -> ipw.VBox:
    """The phone page a teacher opens from their link: came / did not come / rescheduled."""
    from widgets.evening import attendance as att

    status = ipw.HTML(message_html("Opening your meetings…", "info"))
    rows = ipw.VBox()
    rows.add_class("pap-att-rows")

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        store = get_store()
        found = att.teacher_view_of(store, visitor.id)
        if found is None:
            show_message(
                status,
                "This page is for teachers marking attendance at a parents' evening. Open it "
                "from the link the school office sent you; this link is not one of them.",
                "warning",
            )
            return
        rid, roster, tid = found
        mine = att.meetings_for(roster, tid)
        marks = att.saved_marks(store, rid, roster)
        teacher = roster.teachers.get(tid)
        kids: list[ipw.Widget] = [ipw.HTML(render("evening/att_head.html", t=teacher,
                                                     title=roster.title, n=len(mine)))]
        for m in mine:
            kids.append(_meeting_row(rid, m, marks.get(m.key)))
        if not mine:
            kids.append(ipw.HTML(text_html("You have no meetings on this evening.")))
        rows.children = kids
        status.value = ""

    when_known(_fill)
    box = ipw.VBox([status, rows])
    box.add_class("pap-att-page")
    return box


def _meeting_row(roster_id: int, m, saved: str | None) -> ipw.VBox:
    from widgets.evening import attendance as att

    pick = ipw.ToggleButtons(options=_BUTTONS, value=saved, style={"button_width": "auto"},
                             layout=ipw.Layout(width="100%"))
    pick.add_class("pap-att-pick")
    line = ipw.HTML()
    line.add_class("pap-att-status")

    def _changed(change: dict) -> None:
        if change["new"] is None:
            return
        try:
            value = att.mark_value(change["new"])
        except UserFacingError as e:
            show_message(line, str(e), "error")
            return
        show_save(line, save_answer(att.MODULE, att.mark_item(roster_id, m), value,
                                    kept=KEPT_CHOICES))

    pick.observe(_changed, names="value")
    row = ipw.VBox([ipw.HTML(render("evening/att_meeting.html", m=m)), pick, line],
                   layout=ipw.Layout(border="1px solid #d0d7de", padding="6px 8px",
                                     margin="4px 0", width="100%"))
    row.add_class("pap-att-meeting")
    row.add_class(f"pap-att-slot-{m.slot}")
    return row


# ----------------------------------------------------------------------------- office panel


def after_evening_panel() -> ipw.VBox:
    """Publish the roster with teachers' links; then who came, who is not yet reached, follow-ups
    and the survey beside attendance."""
    from widgets.evening import attendance as att
    from widgets.evening import current
    from widgets.evening import followup as fu

    status = ipw.HTML()
    publish_btn = ipw.Button(description="Publish for attendance and make teachers' links",
                             layout=ipw.Layout(width="auto"), disabled=True)
    publish_btn.add_class("pap-att-publish")
    links_out = ipw.HTML()
    roster_pick = ipw.Dropdown(description="Evening", options=[], layout=ipw.Layout(width="100%"),
                               style={"description_width": "70px"})
    refresh_btn = ipw.Button(description="Refresh", layout=ipw.Layout(width="auto"))
    refresh_btn.add_class("pap-att-refresh")
    delete_btn = ipw.Button(description="Delete this evening's roster and marks",
                            layout=ipw.Layout(width="auto"))
    summary = ipw.HTML()
    summary.add_class("pap-att-summary")
    rp = fu.followup_file().roleplay
    roleplay = ipw.HTML()
    not_reached = ipw.VBox()
    not_reached.add_class("pap-att-not-reached")
    survey_up = ipw.FileUpload(accept=".csv,.txt", multiple=False,
                               description="Survey answers (CSV)")
    survey_out = ipw.HTML()
    state: dict = {"visitor": None}

    def _visitor() -> Visitor:
        v = state["visitor"] or current_visitor()
        state["visitor"] = v
        return v

    @guarded(status)
    def _on_plan(inst, tt) -> None:
        publish_btn.disabled = False

    @guarded(status)
    def _publish(_b) -> None:
        latest = current.latest()
        if latest is None:
            raise UserFacingError("Make the timetable above first.")
        publish_btn.disabled = True
        try:
            roster = att.roster_from(*latest)
            rid, links = att.publish(get_store(), _visitor().id, roster)
            _load_rosters(select=rid)  # shows the new roster and its teachers' links
            show_message(status, f"Published: {len(links)} teachers' links below. The roster "
                         "(names, children and times; no email or phone) is kept until you "
                         "delete it.", "success")
        finally:
            publish_btn.disabled = False

    def _show_links(links) -> None:
        links_out.value = render("evening/att_links.html", links=links, href=teacher_href)

    def _load_rosters(select: int | None = None) -> None:
        rows = get_store().rosters_of(_visitor().id)
        roster_pick.options = [(f"{title} (published {at:%Y-%m-%d %H:%M})", rid)
                               for rid, title, at in rows]
        if rows:
            roster_pick.value = select if select is not None else rows[0][0]
        _show()

    @guarded(status)
    def _show(_c=None) -> None:
        rid = roster_pick.value
        if rid is None:
            summary.value = message_html("No evening published yet.", "info")
            links_out.value = ""
            not_reached.children = []
            roleplay.value = ""
            return
        store = get_store()
        roster = att.load_roster(store, rid, _visitor().id)
        if roster is None:
            raise UserFacingError("This evening's roster is no longer there; refresh.")
        marks = att.saved_marks(store, rid, roster)
        t = att.tally(roster, marks)
        r = att.reach(roster, marks)
        state.update(roster=roster, rid=rid, marks=marks)
        counts = (f"{t.meetings} meetings: {t.came} came, {t.no_show} did not come, "
                  f"{t.rescheduled} rescheduled, {t.unmarked} not marked yet.\n")
        summary.value = message_html(counts + r.summary(), r.kind)
        _show_links(att.teacher_links(store, rid, roster))
        roleplay.value = render(
            "evening/att_roleplay.html",
            href=fu.roleplay_href(_visitor().query), title=rp.title, why=rp.why)
        not_reached.children = [_followup_row(rid, roster, f) for f in r.not_reached]
        _survey()

    def _followup_row(rid: int, roster, f) -> ipw.VBox:
        actions = fu.followup_file().actions
        item = fu.plan_item(rid, f.family.id)
        saved = fu.plan_from_saved(get_store().get(_visitor().id, fu.MODULE, item))
        labels = {a.id: a.label for a in actions}

        def words(p) -> str:
            if p is None:
                return ""
            return (f"{labels.get(p.action, p.action)} by {p.owner}, {p.due.isoformat()}"
                    + (" · done" if p.done else ""))

        head = ipw.HTML(render("evening/att_not_reached.html", f=f,
                               reason=att.REASON_LABELS[f.reason], saved=words(saved)))
        action = ipw.Dropdown(options=[(a.label, a.id) for a in actions],
                              value=saved.action if saved else actions[0].id,
                              description="Do", style={"description_width": "50px"},
                              layout=ipw.Layout(width="100%"))
        owner = ipw.Text(value=saved.owner if saved else "", description="Who",
                         placeholder="a name or role", style={"description_width": "50px"},
                         layout=ipw.Layout(width="100%"))
        due = ipw.DatePicker(value=saved.due if saved else None, description="By",
                             style={"description_width": "50px"})
        done = ipw.Checkbox(value=saved.done if saved else False, description="Done",
                            indent=False)
        guide = ipw.HTML()
        save_btn = ipw.Button(description="Save plan", layout=ipw.Layout(width="auto"))
        save_btn.add_class("pap-att-save-plan")
        line = ipw.HTML()

        def _guide(_c=None) -> None:
            a = next((x for x in actions if x.id == action.value), None)
            guide.value = text_html(a.guidance, "small") if a else ""

        @guarded(line)
        def _save(_b) -> None:
            plan = fu.check_plan({"action": action.value, "owner": owner.value,
                                  "due": due.value, "done": done.value}, roster.date)
            res = save_answer(fu.MODULE, item, plan.model_dump(mode="json"), kept=KEPT_CHOICES)
            show_save(line, res)
            if res.ok:
                head.value = render(
                    "evening/att_not_reached.html", f=f, reason=att.REASON_LABELS[f.reason], saved=words(plan))

        action.observe(_guide, names="value")
        _guide()
        save_btn.on_click(_save)
        row = ipw.VBox([head, action, guide, owner, ipw.HBox([due, done]), ipw.HBox([save_btn]),
                        line], layout=ipw.Layout(border="1px solid #d0d7de", padding="6px 8px",
                                                 margin="4px 0", width="100%"))
        row.add_class("pap-att-followup")
        return row

    @guarded(survey_out)
    def _survey(_c=None) -> None:
        from widgets.evening import survey as sv
        from widgets.uploads import from_file_upload

        if not survey_up.value or state.get("roster") is None:
            survey_out.value = ""
            return
        up = from_file_upload(survey_up.value)
        res = sv.analyse(up.data, up.name)
        join = att.survey_join(state["roster"], state["marks"], res.responses)
        survey_out.value = message_html(join.summary(), join.kind) + sv.result_html(res)

    @guarded(status)
    def _delete(_b) -> None:
        rid = roster_pick.value
        if rid is None:
            return
        if get_store().delete_roster(_visitor().id, rid):
            _load_rosters()
            show_message(status, "Deleted: the roster, the teachers' links and their marks.",
                         "success")

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        state["visitor"] = visitor
        _load_rosters()

    publish_btn.on_click(_publish)
    roster_pick.observe(_show, names="value")
    refresh_btn.on_click(lambda _b: _show())
    delete_btn.on_click(_delete)
    survey_up.observe(_survey, names="value")
    current.on_plan(_on_plan)
    when_known(_fill)
    box = ipw.VBox([
        ipw.HTML(text_html("Publishing stores each meeting's time, teacher, family name and "
                           "children (no email or phone) so teachers can mark who came on their "
                           "phones.")),
        ipw.HBox([publish_btn]), links_out, roster_pick, ipw.HBox([refresh_btn, delete_btn]),
        summary, roleplay, not_reached,
        ipw.HTML(text_html(" Upload the answers (the survey above) to see them with the share "
                           "of families who came.",
                           bold="After-evening survey beside attendance.")),
        survey_up, survey_out, status,
    ])
    box.add_class("pap-att-panel")
    return box


def teacher_href(token: str) -> str:
    """The relative link to the attendance page that opens one teacher's meetings."""
    return f"app_attendance.ipynb?p={token}"

"""The reminder and attendance views driven in plain Python (no kernel, no browser)."""

from __future__ import annotations

import pytest

from widgets import identity
from widgets.evening import attendance as att
from widgets.evening import current, ingest
from widgets.evening.scheduler import solve


@pytest.fixture()
def plan():
    current.reset()
    inst = ingest.load_sample("small").instance
    yield inst, solve(inst)
    current.reset()


def _find(widget, cls: str):
    """Every widget under ``widget`` carrying the CSS class ``cls``."""
    out = []
    todo = [widget]
    while todo:
        w = todo.pop(0)
        if cls in getattr(w, "_dom_classes", ()):
            out.append(w)
        todo.extend(getattr(w, "children", ()))
    return out


def test_reminders_panel_waits_for_a_plan_then_previews_and_says_mail_is_not_set_up(
    plan, kit_store, monkeypatch
):
    from widgets.evening.reminders_view import reminders_panel

    monkeypatch.delenv("PAP_SMTP_URL", raising=False)
    identity.set_visitor(identity.visitor_from_query(
        f"p={kit_store.issue_personal_link('office').token}"))
    panel = reminders_panel()
    text = str([w.value for w in panel.children if hasattr(w, "value")])
    assert "Make the timetable above first" in text
    current.publish(*plan)
    body = panel.children[1]
    html = " ".join(w.value for w in body.children if hasattr(w, "value") and
                    isinstance(w.value, str))
    assert "Email is not set up on this server" in html
    assert "pap-rem-preview" in html and "Attached:" in html
    send = _find(panel, "pap-rem-send")[0]
    assert send.disabled and send.description == "Send reminders to 40 families"
    # pressing "Send to me first" without mail settings sends nothing and says so
    me = next(w for w in body.children if getattr(w, "description", "") == "Your email")
    me.value = "me@school.example"
    _find(panel, "pap-rem-test")[0].click()
    assert "nothing was sent" in panel.children[2].value
    assert kit_store.reminder_log(identity.current_visitor().id) == []
    # the text-message file: no phone numbers in the sample, so no file and an amber count
    _find(panel, "pap-rem-sms")[0].click()
    sms = _find(panel, "pap-rem-sms-out")[0]
    assert "40 families have no usable mobile number" in sms.value and "pap-download" not in (
        sms.value)


def test_teacher_page_shows_only_their_meetings_and_saves_marks(plan, kit_store):
    from widgets.evening.attendance_view import attendance_page

    inst, tt = plan
    roster = att.roster_from(inst, tt)
    office = kit_store.issue_personal_link("office")
    rid, links = att.publish(kit_store, office.id, roster)
    link = links[0]
    identity.set_visitor(identity.visitor_from_query(f"p={link.token}"))
    page = attendance_page()
    rows = _find(page, "pap-att-meeting")
    assert len(rows) == link.meetings == len(att.meetings_for(roster, link.teacher_id))
    pick = _find(rows[0], "pap-att-pick")[0]
    pick.value = "no_show"
    assert "Saved at" in _find(rows[0], "pap-att-status")[0].value
    first = att.meetings_for(roster, link.teacher_id)[0]
    assert att.saved_marks(kit_store, rid, roster) == {first.key: "no_show"}


def test_a_link_that_is_not_a_teachers_shows_no_meetings(plan, kit_store):
    from widgets.evening.attendance_view import attendance_page

    identity.set_visitor(identity.visitor_from_query(
        f"p={kit_store.issue_personal_link('someone').token}"))
    page = attendance_page()
    assert _find(page, "pap-att-meeting") == []
    assert "this link is not one of them" in page.children[0].value


def test_office_panel_publishes_lists_not_reached_and_saves_a_followup(plan, kit_store):
    import datetime as dt

    from widgets.evening import followup as fu
    from widgets.evening.attendance_view import after_evening_panel

    office = kit_store.issue_personal_link("office")
    identity.set_visitor(identity.visitor_from_query(f"p={office.token}"))
    panel = after_evening_panel()
    publish = _find(panel, "pap-att-publish")[0]
    assert publish.disabled  # nothing to publish before the planner made a timetable
    current.publish(*plan)
    assert not publish.disabled
    publish.click()
    (rid, _t, _a), = kit_store.rosters_of(office.id)
    roster = att.load_roster(kit_store, rid)
    m = roster.meetings[0]
    teacher = dict(kit_store.teacher_links(rid))[m.teacher_id]
    for mm in roster.meetings:  # the family of m missed every meeting; everyone else came
        status = "no_show" if mm.family_id == m.family_id else "came"
        who = dict(kit_store.teacher_links(rid))[mm.teacher_id]
        kit_store.save(who.id, att.MODULE, att.mark_item(rid, mm), att.mark_value(status))
    assert teacher is not None
    _find(panel, "pap-att-refresh")[0].click()
    rows = _find(panel, "pap-att-followup")
    assert len(rows) == 1 and m.family_id in rows[0].children[0].value
    assert "Did not come" in rows[0].children[0].value
    assert "03_one_to_one_meetings.ipynb" in _find(panel, "pap-att-panel")[0].children[6].value
    row = rows[0]
    owner = next(w for w in row.children if getattr(w, "description", "") == "Who")
    owner.value = "Head of Year 8"
    due_box = row.children[4]
    due_box.children[0].value = roster.date - dt.timedelta(days=1)
    save = _find(row, "pap-att-save-plan")[0]
    save.click()
    assert "before the evening" in row.children[-1].value  # refused, nothing saved
    assert kit_store.get(office.id, fu.MODULE, fu.plan_item(rid, m.family_id)) is None
    due_box.children[0].value = roster.date + dt.timedelta(days=3)
    save.click()
    assert "Saved at" in row.children[-1].value
    saved = fu.plan_from_saved(kit_store.get(office.id, fu.MODULE, fu.plan_item(rid, m.family_id)))
    assert saved is not None and saved.owner == "Head of Year 8" and saved.action == "call"
    assert "Phone call by Head of Year 8" in row.children[0].value

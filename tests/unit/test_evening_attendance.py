"""Attendance, not-yet-reached, follow-up plans and the survey beside attendance (no kernel)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from widgets.evening import attendance as att
from widgets.evening import followup as fu
from widgets.evening import ingest
from widgets.evening.data import Timetable
from widgets.evening.scheduler import solve
from widgets.ui import UserFacingError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def solved():
    inst = ingest.load_sample("small").instance
    return inst, solve(inst)


@pytest.fixture(scope="module")
def roster(solved):
    inst, tt = solved
    # one family loses every meeting: it must be "not yet reached" with "got no time"
    fid = next(f for f, rs in inst.by_family.items() if rs)
    mine = {r.id for r in inst.by_family[fid]}
    return att.roster_from(inst, Timetable({k: v for k, v in tt.placements.items()
                                            if k not in mine})), fid


def test_roster_holds_every_placed_meeting_and_no_contact_details(solved):
    inst, tt = solved
    r = att.roster_from(inst, tt)
    assert len(r.meetings) == len(tt.placements)
    assert set(r.families) == {f for f, rs in inst.by_family.items() if rs}
    dumped = str(r.model_dump(mode="json"))
    assert "@example.org" not in dumped  # no email addresses are published
    again = att.Roster.model_validate(r.model_dump(mode="json"))
    assert again == r


def test_a_teacher_sees_only_their_own_meetings_in_time_order(roster):
    r, _ = roster
    tid = next(iter(r.teachers))
    mine = att.meetings_for(r, tid)
    assert mine and all(m.teacher_id == tid for m in mine)
    assert [m.slot for m in mine] == sorted(m.slot for m in mine)
    others = [m for m in r.meetings if m.teacher_id != tid]
    assert not {m.key for m in others} & {m.key for m in mine}


def test_marks_from_another_teachers_link_do_not_count(roster):
    r, _ = roster
    m = r.meetings[0]
    other = next(t for t in r.teachers if t != m.teacher_id)
    item = att.mark_item(7, m)
    assert att.marks_from_answers(7, r, [(other, item, {"status": "came"})]) == {}
    assert att.marks_from_answers(7, r, [(m.teacher_id, item, {"status": "came"})]) == {
        m.key: "came"}
    # another roster's item, or a value that is not a status, counts for nothing
    assert att.marks_from_answers(8, r, [(m.teacher_id, item, {"status": "came"})]) == {}
    assert att.marks_from_answers(7, r, [(m.teacher_id, item, {"status": "maybe"})]) == {}


def test_mark_value_accepts_only_the_three_statuses():
    assert att.mark_value("no_show") == {"status": "no_show", "note": ""}
    with pytest.raises(UserFacingError):
        att.mark_value("came<script>")


def test_reach_rules(roster):
    r, no_time_fid = roster
    fams = {}
    for m in r.meetings:
        fams.setdefault(m.family_id, []).append(m)
    multi = [f for f, ms in fams.items() if len(ms) >= 2][:3]
    came_one, all_missed, resched = multi
    marks = {m.key: "came" for ms in fams.values() for m in ms}
    marks[fams[came_one][0].key] = "no_show"  # came to one of two: reached
    for m in fams[all_missed]:
        marks[m.key] = "no_show"
    marks[fams[resched][0].key] = "rescheduled"
    for m in fams[resched][1:]:
        marks[m.key] = "no_show"
    unmarked_fid = next(f for f in fams if f not in multi)
    for m in fams[unmarked_fid]:
        del marks[m.key]
    res = att.reach(r, marks)
    reasons = {n.family.id: n.reason for n in res.not_reached}
    assert reasons == {no_time_fid: "no_time", all_missed: "did_not_come", resched: "rescheduled"}
    assert came_one in res.reached
    assert res.unmarked == [unmarked_fid]
    assert res.meetings_unmarked == len(fams[unmarked_fid])
    assert res.families == len(r.families)
    assert res.kind == "warning"
    assert "3 not yet reached" in res.summary() and "not marked yet" in res.summary()


def test_everyone_came_is_green_only_when_every_family_had_a_time(solved, roster):
    inst, tt = solved
    full = att.roster_from(inst, tt)
    res = att.reach(full, {m.key: "came" for m in full.meetings})
    with_time = {m.family_id for m in full.meetings}
    assert set(res.reached) == with_time
    assert {n.family.id for n in res.not_reached} == set(full.families) - with_time
    assert res.kind == ("success" if with_time == set(full.families) else "warning")
    short, fid = roster  # the same marks, with one family that got no time: amber
    res2 = att.reach(short, {m.key: "came" for m in short.meetings})
    assert res2.kind == "warning" and fid in {n.family.id for n in res2.not_reached}


def test_tally_counts_every_meeting(roster):
    r, _ = roster
    marks = {r.meetings[0].key: "came", r.meetings[1].key: "no_show",
             r.meetings[2].key: "rescheduled"}
    t = att.tally(r, marks)
    assert (t.came, t.no_show, t.rescheduled) == (1, 1, 1)
    assert t.unmarked == len(r.meetings) - 3


def test_survey_join_is_by_counts_and_warns_on_more_answers_than_families(roster):
    r, _ = roster
    marks = {m.key: "came" for m in r.meetings}
    came = len(att.reach(r, marks).reached)
    j = att.survey_join(r, marks, came // 2)
    assert j.response_rate == pytest.approx((came // 2) / came)
    assert j.kind == "success" and f"from {came} families who came" in j.summary()
    assert att.survey_join(r, marks, came + 1).kind == "warning"
    assert "no response rate" in att.survey_join(r, {}, 4).summary()


def test_roster_size_is_bounded(solved, monkeypatch):
    inst, tt = solved
    monkeypatch.setattr(att, "MAX_ROSTER_MEETINGS", 3)
    with pytest.raises(UserFacingError, match="at most 3"):
        att.roster_from(inst, tt)


# ----------------------------------------------------------------------------- in the store


def test_publish_links_marks_and_delete(solved, kit_store):
    inst, tt = solved
    r = att.roster_from(inst, tt)
    office = kit_store.issue_personal_link("office")
    rid, links = att.publish(kit_store, office.id, r)
    assert {link.teacher_id for link in links} == {m.teacher_id for m in r.meetings}
    link = links[0]
    teacher = kit_store.participant_by_link(link.token)
    assert teacher is not None  # an issued link: identity opens it
    got = att.teacher_view_of(kit_store, teacher.id)
    assert got is not None and got[0] == rid and got[2] == link.teacher_id
    assert att.teacher_view_of(kit_store, office.id) is None
    m = att.meetings_for(r, link.teacher_id)[0]
    kit_store.save(teacher.id, att.MODULE, att.mark_item(rid, m), att.mark_value("came"))
    assert att.saved_marks(kit_store, rid, r) == {m.key: "came"}
    # only the owner sees or deletes the roster
    stranger = kit_store.issue_personal_link("someone")
    assert att.load_roster(kit_store, rid, stranger.id) is None
    assert kit_store.delete_roster(stranger.id, rid) is False
    assert kit_store.delete_roster(office.id, rid) is True
    assert kit_store.roster(rid) is None
    assert kit_store.participant_by_link(link.token) is None  # the teacher links are gone
    assert kit_store.answers(module=att.MODULE) == []


# ----------------------------------------------------------------------------- follow-up


def test_followup_file_links_a_real_scenario_and_notebook():
    f = fu.followup_file()
    assert {a.id for a in f.actions} == {"call", "home_visit", "another_time"}
    assert (ROOT / "modules" / f.roleplay.notebook).exists()
    import yaml

    ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
           for p in (ROOT / "datasets" / "scenarios").glob("*.yaml")}
    assert f.roleplay.scenario in ids
    assert fu.roleplay_href("p=p-abc") == "03_one_to_one_meetings.ipynb?p=p-abc"
    from widgets.sources import check_source_ids

    assert check_source_ids([s for a in f.actions for s in a.sources]) == []


def test_followup_plan_rules():
    evening = dt.date(2026, 11, 12)
    ok = fu.check_plan({"action": "call", "owner": "  Head of Year 8 ", "due": evening,
                        "done": False}, evening)
    assert ok.owner == "Head of Year 8"
    with pytest.raises(UserFacingError, match="Choose what the school will do"):
        fu.check_plan({"action": "email", "owner": "x", "due": evening}, evening)
    with pytest.raises(UserFacingError, match="who will do it"):
        fu.check_plan({"action": "call", "owner": "  ", "due": evening}, evening)
    with pytest.raises(UserFacingError, match="before the evening"):
        fu.check_plan({"action": "home_visit", "owner": "x", "due": evening - dt.timedelta(1)},
                      evening)
    with pytest.raises(UserFacingError, match="date"):
        fu.check_plan({"action": "call", "owner": "x", "due": None}, evening)
    with pytest.raises(UserFacingError, match="longer than"):
        fu.check_plan({"action": "call", "owner": "x", "due": evening, "note": "n" * 5000},
                      evening)
    assert fu.plan_from_saved(ok.model_dump(mode="json")) == ok
    assert fu.plan_from_saved({"action": "call"}) is None
    assert fu.plan_from_saved("junk") is None


def test_followup_file_refuses_duplicate_ids_and_unsourced_actions():
    from pydantic import ValidationError

    base = {"roleplay": {"notebook": "x.ipynb", "scenario": "s", "title": "t", "why": "w"}}
    act = {"id": "call", "label": "Call", "guidance": "g", "kit_guidance": True}
    with pytest.raises(ValidationError, match="appears twice"):
        fu.FollowupFile.model_validate({**base, "actions": [act, act]})
    with pytest.raises(ValidationError, match="exactly one"):
        fu.FollowupFile.model_validate({**base, "actions": [{**act, "kit_guidance": False}]})
    with pytest.raises(ValidationError):
        fu.FollowupFile.model_validate({**base, "actions": [{**act, "colour": "red"}]})

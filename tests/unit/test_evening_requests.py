"""Families' own requests: the window, links scoped to one household, replies mixed with the
upload, meeting modes in the scheduler and verify(), and two households per child."""

from __future__ import annotations

import datetime as dt

import pytest

from widgets.evening import outputs
from widgets.evening import request_store as rs
from widgets.evening.data import (
    FamilyRow,
    InterpreterRow,
    Placement,
    Settings,
    TeacherRow,
    Timetable,
    build_instance,
)
from widgets.evening.family_text import direction, family_texts, unchecked_languages
from widgets.evening.intake_mix import load_with_requests
from widgets.evening.invitations import invitation_letters, links_csv
from widgets.evening.letters import letter_templates
from widgets.evening.requests import (
    Choice,
    FamilyReply,
    InviteDetails,
    OfferedTeacher,
    ReplyProblem,
    RequestWindow,
    check_reply,
    invites_from_rows,
    mix_rows,
)
from widgets.evening.scheduler import solve, upper_bound
from widgets.evening.verify import verify

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
SETTINGS = {"school": "Hillside", "date": "2026-12-16", "start": "16:00", "end": "18:00",
            "slot_minutes": 10, "break_pattern": "none", "break_minutes": 0}
TEACHERS = [TeacherRow(teacher_id="T1", name="Ms One", room="A1"),
            TeacherRow(teacher_id="T2", name="Mr Two", room="B2"),
            TeacherRow(teacher_id="T3", name="Dr Three", room="C3", video_link="https://v.example/three")]


def _window(closes: dt.datetime = NOW + dt.timedelta(days=2), **kw) -> RequestWindow:
    return RequestWindow(
        settings=Settings.model_validate(kw.pop("settings", SETTINGS)).model_dump(mode="json"),
        teachers=[OfferedTeacher(id=t.teacher_id, name=t.name) for t in TEACHERS],
        modes=kw.pop("modes", ["in_person", "phone", "video"]), closes_at=closes,
        teacher_rows=[t.model_dump(mode="json") for t in TEACHERS], **kw,
    )


def _reply(*choices: tuple[str, str, str], times=(960, 990), **kw) -> FamilyReply:
    return FamilyReply(choices=[Choice(teacher_id=t, child=c, mode=m) for t, c, m in choices],
                       times=list(times), **kw)


# ----------------------------------------------------------------------------- the window


def test_window_is_open_until_its_closing_time_and_not_a_minute_after():
    w = _window(closes=NOW)
    assert w.is_open(NOW - dt.timedelta(minutes=1))
    assert not w.is_open(NOW)
    assert not w.is_open(NOW + dt.timedelta(days=1))
    assert w.blocks()[0] == (960, 990) and w.blocks()[-1] == (1050, 1080)


def test_a_reply_can_change_while_open_and_is_refused_once_closed(kit_store):
    wid = rs.open_window(_window(closes=NOW), None, kit_store)
    inv = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"])], kit_store)[0]
    rs.save_reply(inv, _reply(("T1", "Ann", "in_person")), now=NOW - dt.timedelta(hours=2),
                  store=kit_store)
    rs.save_reply(inv, _reply(("T2", "Ann", "phone")), now=NOW - dt.timedelta(hours=1),
                  store=kit_store)
    assert [c.teacher_id for c in rs.reply_of(inv, kit_store).choices] == ["T2"]
    with pytest.raises(rs.WindowClosed):
        rs.save_reply(inv, _reply(("T3", "Ann", "video")), now=NOW, store=kit_store)
    assert [c.teacher_id for c in rs.reply_of(inv, kit_store).choices] == ["T2"]  # unchanged
    rs.set_closing(wid, NOW + dt.timedelta(days=1), kit_store)  # the office gives longer
    rs.save_reply(inv, _reply(("T3", "Ann", "video")), now=NOW, store=kit_store)
    assert [c.teacher_id for c in rs.reply_of(inv, kit_store).choices] == ["T3"]


@pytest.mark.parametrize(
    "reply,key",
    [
        (FamilyReply(choices=[], times=[960]), "need_teacher"),
        (_reply(("T1", "Ann", "in_person"), times=()), "need_time"),
        (_reply(("T9", "Ann", "in_person")), "bad"),  # a teacher not offered
        (_reply(("T1", "Zoe", "in_person")), "bad"),  # another family's child
        (_reply(("T1", "Ann", "in_person"), times=(965,)), "bad"),  # not one of the blocks
    ],
)
def test_replies_that_do_not_fit_the_window_are_refused(reply, key):
    with pytest.raises(ReplyProblem) as e:
        check_reply(reply, _window(), InviteDetails(family_id="F1", children=["Ann"]))
    assert e.value.key == key


def test_a_mode_the_school_does_not_offer_is_refused():
    w = _window(modes=["in_person"])
    with pytest.raises(ReplyProblem):
        check_reply(_reply(("T1", "Ann", "video")), w, InviteDetails(family_id="F", children=["Ann"]))


# ----------------------------------------------------------------------------- links


def test_a_family_link_opens_only_its_own_household_and_a_forged_one_nothing(kit_store):
    from widgets.identity import VisitorUnknown, visitor_from_query

    wid = rs.open_window(_window(), None, kit_store)
    a, b = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"]),
                                  InviteDetails(family_id="F2", children=["Bo"])], kit_store)
    assert a.token != b.token and len(a.token) >= 22
    va = visitor_from_query(f"p={a.token}", kit_store)
    assert rs.invite_for(va.id, kit_store).details.family_id == "F1"
    vb = visitor_from_query(f"p={b.token}", kit_store)
    assert rs.invite_for(vb.id, kit_store).details.family_id == "F2"
    for forged in ("p=" + a.token[:-2] + "xx", "p=F1", "p=p-AAAAAAAAAAAAAAAAAAAAAA"):
        with pytest.raises(VisitorUnknown):
            visitor_from_query(forged, kit_store)
    staff = kit_store.issue_personal_link()  # a real link, but not a family's
    assert rs.invite_for(staff.id, kit_store) is None
    # issuing again keeps each household's first link
    again = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"])], kit_store)
    assert again[0].token == a.token


def _find(w, cls):
    out = [w] if cls in getattr(w, "_dom_classes", ()) else []
    for c in getattr(w, "children", ()) or ():
        out += _find(c, cls)
    return out


def test_request_page_shows_the_households_own_request_and_saves_it(kit_store):
    from widgets.evening import family_request
    from widgets.identity import set_visitor, visitor_from_query

    wid = rs.open_window(_window(), None, kit_store)
    a, _b = rs.issue_invites(wid, [
        InviteDetails(family_id="F1", children=["Ann"], home_language="Polish"),
        InviteDetails(family_id="F2", children=["Bo <b>"], home_language="Arabic"),
    ], kit_store)
    set_visitor(visitor_from_query(f"p={a.token}", kit_store))
    page = family_request()
    text = str([w.value for w in _find(page, "pap-family-request")[0].children
                if hasattr(w, "value")])
    assert "Wywiadówka" in text and "Ann" in str(_all_values(page)) and "Bo" not in str(
        _all_values(page))
    _find(page, "pap-fr-submit")[0].click()  # nothing ticked: the family is told, in Polish
    assert family_texts()["pl"].need_teacher in _find(page, "pap-fr-msg")[0].value
    _find(page, "pap-fr-teacher")[1].value = True  # Mr Two
    modes = _find(page, "pap-fr-mode")
    modes[1].value = "phone"
    _find(page, "pap-fr-time")[2].value = True
    _find(page, "pap-fr-phone")[0].value = "07700 900123"
    _find(page, "pap-fr-submit")[0].click()
    assert "pap-msg-success" in _find(page, "pap-fr-msg")[0].value
    saved = rs.reply_of(a, kit_store)
    assert [(c.teacher_id, c.child, c.mode) for c in saved.choices] == [("T2", "Ann", "phone")]
    assert saved.times == [1020] and saved.phone == "07700 900123"


def _all_values(w) -> list:
    out = []
    for attr in ("value", "description"):
        v = getattr(w, attr, None)
        if isinstance(v, str):
            out.append(v)
    for c in getattr(w, "children", ()) or ():
        out += _all_values(c)
    return out


def test_request_page_for_an_arabic_household_is_right_to_left_and_closed_means_closed(kit_store):
    from widgets.evening import family_request
    from widgets.identity import set_visitor, visitor_from_query

    wid = rs.open_window(_window(closes=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)), None,
                         kit_store)
    inv = rs.issue_invites(wid, [InviteDetails(family_id="F2", children=["Omar"],
                                               home_language="Arabic")], kit_store)[0]
    set_visitor(visitor_from_query(f"p={inv.token}", kit_store))
    page = family_request()
    root = _find(page, "pap-family-request")[0]
    assert "pap-fr-rtl" in root._dom_classes
    assert family_texts()["ar"].page_title in str(_all_values(page))
    rs.set_closing(wid, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1), kit_store)
    _find(page, "pap-fr-teacher")[0].value = True
    _find(page, "pap-fr-time")[0].value = True
    _find(page, "pap-fr-submit")[0].click()
    msg = _find(page, "pap-fr-msg")[0].value
    assert "pap-msg-warning" in msg and "أُغلقت" in msg
    assert _find(page, "pap-fr-submit")[0].disabled
    assert rs.reply_of(inv, kit_store) is None


def test_request_page_with_a_link_that_is_not_a_familys_says_so(kit_store):
    from widgets.evening import family_request
    from widgets.identity import set_visitor, visitor_from_query

    staff = kit_store.issue_personal_link()
    set_visitor(visitor_from_query(f"p={staff.token}", kit_store))
    html = str(_all_values(family_request()))
    assert "pap-fr-bad-link" in html and family_texts()["so"].bad_link in html
    assert "pap-fr-submit" not in html


# ----------------------------------------------------------------------------- text


def test_request_page_text_in_every_letter_language_unchecked_but_english():
    texts = family_texts()
    assert {"en", "fr", "es", "ar", "ur", "pl", "so", "pa", "zh"} <= set(texts)
    assert set(texts) <= set(letter_templates())
    assert texts["en"].checked_by_speaker
    assert len(unchecked_languages()) == len(texts) - 1
    assert direction("ar") == direction("ur") == "rtl" and direction("pl") == "ltr"


def test_a_text_with_an_unknown_placeholder_is_refused():
    from pydantic import ValidationError

    from widgets.evening.family_text import FamilyText

    data = family_texts()["en"].model_dump()
    data["saved"] = "Saved until {deadline}"
    with pytest.raises(ValidationError, match="deadline"):
        FamilyText.model_validate(data)


# ----------------------------------------------------------------------------- mixing


def _uploaded() -> list[FamilyRow]:
    return [
        FamilyRow(family_id="F1", parent_name="Mrs Nowak", child_name="Ann", teacher="T1",
                  priority=1, home_language="Polish", line=2),
        FamilyRow(family_id="F1", parent_name="Mrs Nowak", child_name="Ann", teacher="T2",
                  priority=3, home_language="Polish", line=3),
        FamilyRow(family_id="F2", parent_name="Mr Lee", child_name="Bo", teacher="T2", line=4),
    ]


def test_replies_replace_a_households_rows_keep_must_meets_and_count_every_guess():
    w = _window()
    invites = {i.family_id: i for i in invites_from_rows(_uploaded())}
    assert invites["F1"].priorities == {"T1": 1, "T2": 3}
    f3 = InviteDetails(family_id="F3", children=["Cy"])
    mixed = mix_rows(_uploaded(), [
        (w, invites["F1"], _reply(("T3", "Ann", "video"), times=(1020,))),
        (w, f3, _reply(("T1", "Cy", "phone"))),
    ])
    got = sorted((r.family_id, r.teacher, r.mode, r.priority) for r in mixed.rows)
    assert got == [("F1", "T1", "in_person", 1), ("F1", "T3", "video", 3),
                   ("F2", "T2", "in_person", 3), ("F3", "T1", "phone", 3)]
    assert (mixed.from_requests, mixed.added, mixed.replaced_rows, mixed.kept_must,
            mixed.guessed_priority, mixed.not_replied) == (2, 1, 2, 1, 2, 1)
    assert mixed.amber and len(mixed.notes) == 4
    kept = next(r for r in mixed.rows if r.teacher == "T1" and r.family_id == "F1")
    assert kept.available_from == 1020  # at the family's chosen time


def test_building_from_requests_alone_uses_the_windows_teachers(kit_store):
    w = _window()
    wid = rs.open_window(w, None, kit_store)
    a, b = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"]),
                                  InviteDetails(family_id="F2", children=["Bo"])], kit_store)
    rs.save_reply(a, _reply(("T1", "Ann", "in_person"), ("T3", "Ann", "video")),
                  now=NOW, store=kit_store)
    loaded, mixed = load_with_requests(w.evening(), {}, {}, {}, w, rs.replies(wid, kit_store))
    inst = loaded.instance
    assert set(inst.teachers) == {"T1", "T2", "T3"} and set(inst.families) == {"F1"}
    assert mixed.not_replied == 0 and mixed.from_requests == 1
    tt = solve(inst)
    assert verify(tt, inst) == [] and len(tt.placements) == 2
    slots = {p.slot for p in tt.placements.values()}
    assert all(inst.settings.slot_end(s) <= 1020 for s in slots)  # inside the ticked blocks


# ----------------------------------------------------------------------------- modes


def _inst(rows, settings=None, teachers=TEACHERS, interps=()):
    st = Settings.model_validate({**SETTINGS, **(settings or {})})
    inst, problems = build_instance(st, rows, list(teachers), list(interps))
    assert problems == []
    return inst


def test_phone_and_video_meetings_use_no_room_capacity():
    shared = [TeacherRow(teacher_id=f"T{i}", name=f"T{i}", room="Hall") for i in range(3)]
    rows = [FamilyRow(family_id=f"F{i}{t}", child_name="C", teacher=f"T{t}",
                      mode="phone" if i % 2 else "in_person",
                      available_from="16:00", available_to="16:30")
            for i in range(2) for t in range(3)]
    inst = _inst(rows, {"room_capacity": {"Hall": 1}}, shared)
    tt = solve(inst)
    assert verify(tt, inst) == []
    assert len(tt.placements) == 6  # one in person at a time in the hall, phones alongside
    in_person = [tt.placements[r.id].slot for r in inst.requests if r.mode == "in_person"]
    assert len(in_person) == len(set(in_person))
    # verify() finds a hall over its capacity on its own
    bad = Timetable({r.id: Placement(r.id, 0) for r in inst.requests if r.mode == "in_person"})
    assert any("room Hall holds 3" in e for e in verify(bad, inst))
    # the same meetings all by phone: no room, so nothing to break
    ok = Timetable({r.id: Placement(r.id, 0) for r in inst.requests if r.mode == "phone"})
    assert verify(ok, inst) == []


def test_walking_time_only_between_two_in_person_meetings_in_different_rooms():
    rows = [FamilyRow(family_id="F", child_name="C", teacher="T1"),
            FamilyRow(family_id="F", child_name="C", teacher="T2", mode="phone")]
    inst = _inst(rows, {"gap_minutes": 10})
    r1, r2 = inst.requests
    assert verify(Timetable({r1.id: Placement(r1.id, 3), r2.id: Placement(r2.id, 4)}), inst) == []
    inst2 = _inst([rows[0], rows[1].model_copy(update={"mode": "in_person"})], {"gap_minutes": 10})
    a, b = inst2.requests
    errors = verify(Timetable({a.id: Placement(a.id, 3), b.id: Placement(b.id, 4)}), inst2)
    assert any("no time to walk" in e for e in errors)
    assert upper_bound(inst) == 2


def test_video_links_reach_letters_teacher_sheets_calendars_and_the_csv():
    rows = [FamilyRow(family_id="F", parent_name="Mrs Nowak", child_name="Ann", teacher="T1",
                      mode="video", home_language="Polish"),
            FamilyRow(family_id="F", parent_name="Mrs Nowak", child_name="Ann", teacher="T3",
                      mode="video", home_language="Polish"),
            FamilyRow(family_id="F", child_name="Ann", teacher="T2", mode="phone",
                      phone="07700 900123")]
    inst = _inst(rows, {"video_link_pattern": "https://meet.example.org/pap-{teacher}"})
    tt = solve(inst)
    assert verify(tt, inst) == [] and len(tt.placements) == 3
    letter = outputs.letter_body(inst, tt, "F")
    assert "https://meet.example.org/pap-T1" in letter  # the school's pattern
    assert "https://v.example/three" in letter  # the teacher's own link wins
    assert "07700 900123" in letter and 'lang="pl"' in letter
    assert "Rozmowa wideo" in letter  # the words in the family's language
    sheets = outputs.teacher_sheets_html(inst, tt)
    assert "Video: https://meet.example.org/pap-T1" in sheets and "Phone: call 07700" in sheets
    ics = outputs.family_ics(inst, tt, "F").decode()
    assert "LOCATION:https://meet.example.org/pap-T1" in ics and "LOCATION:Phone" in ics
    assert "URL:https://v.example/three" in ics
    teacher = outputs.teacher_ics(inst, tt, "T3").decode()
    assert "https://v.example/three" in teacher
    assert "video,https://v.example/three" in outputs.timetable_csv(inst, tt)


# ----------------------------------------------------------------------------- two households


def _households(joint: bool, letters: str = "own"):
    rows = [
        FamilyRow(family_id="F7", parent_name="Ms Green", child_name="Amy", teacher="T1",
                  linked_to="F7", joint=joint, available_from="16:00", available_to="17:00"),
        FamilyRow(family_id="F7", parent_name="Ms Green", child_name="Amy", teacher="T3",
                  linked_to="F7"),
        FamilyRow(family_id="F7-B", parent_name="Mr Haddad", child_name="Amy", teacher="T1",
                  linked_to="F7", joint=joint, home_language="Arabic",
                  available_from="16:30", available_to="18:00"),
        FamilyRow(family_id="F7-B", parent_name="Mr Haddad", child_name="Amy", teacher="T2",
                  linked_to="F7", home_language="Arabic"),
    ]
    return _inst(rows, {"household_letters": letters})


def test_a_joint_meeting_is_one_meeting_both_households_can_make():
    inst = _households(joint=True)
    joint = [r for r in inst.requests if r.with_households]
    assert len(inst.requests) == 3 and len(joint) == 1 and joint[0].households == ("F7", "F7-B")
    tt = solve(inst)
    assert verify(tt, inst) == [] and len(tt.placements) == 3
    s = tt.placements[joint[0].id].slot
    assert 990 <= inst.settings.slot_start(s) and inst.settings.slot_end(s) <= 1020
    for fid in ("F7", "F7-B"):  # each household: its own letter and calendar, with the meeting
        assert "Ms One" in outputs.letter_body(inst, tt, fid)
        assert "Ms One" in outputs.family_ics(inst, tt, fid).decode()
    assert "Ms Green + Mr Haddad" in outputs.teacher_sheets_html(inst, tt)
    # verify() checks both households: a time only the first can make is refused
    bad = Timetable({**tt.placements, joint[0].id: Placement(joint[0].id, 0)})
    assert any("family F7-B is not available" in e for e in verify(bad, inst))


def test_verify_refuses_a_joint_meeting_with_a_household_of_another_child():
    inst = _households(joint=True)
    joint = next(r for r in inst.requests if r.with_households)
    inst.families["F7-B"].link_id = "F99"
    tt = Timetable({joint.id: Placement(joint.id, 3)})
    assert any("not a household of the same child" in e for e in verify(tt, inst))


@pytest.mark.parametrize("setting", ["own", "both"])
def test_separate_meetings_and_what_each_household_is_told(setting):
    inst = _households(joint=False, letters=setting)
    assert not any(r.with_households for r in inst.requests) and len(inst.requests) == 4
    tt = solve(inst)
    assert verify(tt, inst) == []
    green = outputs.letter_body(inst, tt, "F7")
    haddad = outputs.letter_body(inst, tt, "F7-B")
    assert "Mr Two" not in outputs.family_ics(inst, tt, "F7").decode()  # never the other's
    assert 'dir="rtl"' in haddad
    if setting == "own":
        assert "Mr Two" not in green and "Dr Three" not in haddad
    else:  # told the other household's teacher and time, never its phone or link
        assert "other household meets Mr Two" in green
        assert "Dr Three" in haddad


def test_two_households_chosen_in_step_2_become_linked_invites():
    from widgets.evening.data import TWO_HOUSEHOLDS

    rows = [FamilyRow(family_id="F7", parent_name="Ms Green", child_name="Amy", teacher="T1",
                      email="g@example.org"),
            FamilyRow(family_id="F7", parent_name="Mr Haddad", child_name="Amy", teacher="T1",
                      email="h@example.org", home_language="Arabic", interpreter=True)]
    invites = invites_from_rows(rows, {"F7": TWO_HOUSEHOLDS})
    assert [(i.family_id, i.linked_to) for i in invites] == [("F7", "F7"), ("F7-B", "F7")]
    assert invites[1].email == "h@example.org" and invites[1].interpreter
    assert [i.linked_to for i in invites_from_rows(rows)] == ["", ""]  # default: separate


# ----------------------------------------------------------------------------- invitations


def test_invitation_letters_carry_each_households_link_in_its_language(kit_store):
    w = _window()
    wid = rs.open_window(w, None, kit_store)
    invs = rs.issue_invites(wid, [
        InviteDetails(family_id="F1", parent_name="Pani Nowak", children=["Ann"],
                      home_language="Polish"),
        InviteDetails(family_id="F2", parent_name="Mr Farah", children=["Bo"],
                      home_language="Somali"),
        InviteDetails(family_id="F3", parent_name="Mr <b>Jones", children=["Cy"]),
    ], kit_store)
    html = invitation_letters(w, invs, "https://kit.example/voila/render/modules")
    assert "<b>Jones" not in html and "&lt;b&gt;Jones" in html
    assert f"https://kit.example/voila/render/modules/app_family_request.ipynb?p={invs[0].token}" in html
    assert 'lang="pl"' in html and 'lang="so"' in html and "Kulanka waalidiinta" in html
    csv = links_csv(w, invs, "", {invs[1].id})
    assert f"app_family_request.ipynb?p={invs[1].token},yes" in csv and ",no" in csv


def test_interpreter_and_signer_needs_from_a_reply_reach_the_scheduler():
    w = _window(sign_language="BSL")
    inv = InviteDetails(family_id="F", children=["Ann"], home_language="English")
    mixed = mix_rows([], [(w, inv, _reply(("T1", "Ann", "in_person"), interpreter="signer",
                                          access_needs="step-free access"))])
    interps = [InterpreterRow(interpreter_id="S", name="Sam", languages="BSL")]
    inst = _inst(mixed.rows, interps=interps)
    assert inst.requests[0].needs_interpreter and inst.requests[0].language_key == "bsl"
    assert inst.families["F"].access_needs == "step-free access"
    tt = solve(inst)
    assert verify(tt, inst) == [] and tt.placements[inst.requests[0].id].interpreter_id == "S"


@pytest.mark.skipif(
    not __import__("os").environ.get("PAP_TEST_PG_URL"), reason="no PostgreSQL test server"
)
def test_request_tables_work_on_postgresql():
    import os

    from widgets.store import Store

    pg = Store(os.environ["PAP_TEST_PG_URL"])
    try:
        wid = rs.open_window(_window(closes=NOW), None, pg)
        a, b = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"]),
                                      InviteDetails(family_id="F2", children=["Bo"])], pg)
        rs.save_reply(a, _reply(("T1", "Ann", "phone")), now=NOW - dt.timedelta(hours=1),
                      store=pg)
        rs.save_reply(a, _reply(("T2", "Ann", "video")), now=NOW - dt.timedelta(minutes=5),
                      store=pg)
        with pytest.raises(rs.WindowClosed):
            rs.save_reply(b, _reply(("T1", "Bo", "phone")), now=NOW, store=pg)
        got = {r.invite.details.family_id: r for r in rs.replies(wid, pg)}
        assert got["F1"].reply.choices[0].mode == "video" and got["F2"].reply is None
        assert got["F1"].updated_at == NOW - dt.timedelta(minutes=5)
        assert rs.invite_for(b.participant_id, pg).details.family_id == "F2"
    finally:
        pg.dispose()


def test_office_opens_requests_sees_replies_and_builds_the_timetable_from_them(kit_store):
    from widgets.evening import evening_planner, family_request
    from widgets.identity import current_visitor, set_visitor, visitor_from_query

    box = evening_planner("evening-planner")
    status = box.children[2]
    _find(box, "pap-ev-req-open")[0].click()  # nothing uploaded yet: a plain message
    assert "Upload the families and teachers files" in status.value
    _find(box, "pap-ev-sample-small")[0].click()
    _find(box, "pap-ev-req-prepare")[0].click()
    _find(box, "pap-ev-req-mode-phone")[0].value = True
    _find(box, "pap-ev-req-open")[0].click()
    assert "pap-msg-success" in status.value, status.value
    office = current_visitor()
    (wid, window), = rs.windows_of(office.id, kit_store)
    invites = rs.invites_of(wid, kit_store)
    assert len(invites) == 40 and window.modes == ["in_person", "phone"]
    links = _find(box, "pap-ev-req-links")[0].value
    assert invites[0].token in links and "request_letters.html" in links
    replied = _find(box, "pap-ev-req-replied")[0].value
    assert "0 of 40 households have replied" in replied and "pap-msg-warning" in replied

    # one household replies through its own link
    set_visitor(None)
    fam = invites[0]
    set_visitor(visitor_from_query(f"p={fam.token}", kit_store))
    page = family_request()
    boxes = _find(page, "pap-fr-teacher")
    for b in boxes:
        b.value = False
    boxes[0].value = True
    _find(page, "pap-fr-mode")[0].value = "phone"
    for t in _find(page, "pap-fr-time")[:4]:
        t.value = True
    _find(page, "pap-fr-submit")[0].click()
    assert "pap-msg-success" in _find(page, "pap-fr-msg")[0].value

    set_visitor(office)
    _find(box, "pap-ev-req-refresh")[0].click()
    replied = _find(box, "pap-ev-req-replied")[0].value
    assert "1 of 40 households have replied" in replied and "Phone" in replied
    _find(box, "pap-ev-req-use")[0].value = True
    _find(box, "pap-ev-solve")[0].click()
    summary = _find(box, "pap-ev-summary")[0].value
    assert "pap-msg-warning" in summary  # replies replaced uploaded rows: counted, amber
    assert "replaced by families&#x27; own requests" in summary or "own requests" in summary
    assert "39 household(s) have not replied" in summary
    grid = box.children[1].children[3].children[1].children[2].value
    assert "📞" in grid  # the household's phone meeting is in the timetable


def test_uploaded_teacher_names_and_chosen_teacher_ids_are_the_same_teacher():
    rows = [FamilyRow(family_id="F1", child_name="Ann", teacher="Ms One", priority=1),
            FamilyRow(family_id="F1", child_name="Ann", teacher="Mr Two; Dr Three")]
    inv, = invites_from_rows(rows, teacher_rows=TEACHERS)
    assert inv.teachers == ["T1", "T2", "T3"] and inv.priorities["T1"] == 1
    mixed = mix_rows(rows, [(_window(), inv, _reply(("T1", "Ann", "phone")))], TEACHERS)
    assert [(r.teacher, r.mode, r.priority) for r in mixed.rows] == [("T1", "phone", 1)]
    assert mixed.kept_must == 0 and mixed.guessed_priority == 0
    inst = _inst(mixed.rows)
    assert [r.mode for r in inst.requests] == ["phone"]


def test_deleting_a_window_removes_its_households_links_and_replies(kit_store):
    keep = rs.open_window(_window(), None, kit_store)
    other = rs.issue_invites(keep, [InviteDetails(family_id="K", children=["Kim"])], kit_store)[0]
    wid = rs.open_window(_window(), None, kit_store)
    a, _b = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=["Ann"]),
                                   InviteDetails(family_id="F2", children=["Bo"])], kit_store)
    rs.save_reply(a, _reply(("T1", "Ann", "phone")), now=NOW, store=kit_store)
    assert rs.delete_window(wid, kit_store) == 2
    assert rs.get_window(wid, kit_store) is None and rs.invites_of(wid, kit_store) == []
    assert kit_store.participant_by_link(a.token) is None  # the link opens nothing now
    assert rs.invite_for(other.participant_id, kit_store).details.family_id == "K"


@pytest.mark.parametrize("seed", range(6))
def test_random_evenings_with_modes_rooms_and_two_households_always_verify(seed):
    import random

    rng = random.Random(seed)
    teachers = [TeacherRow(teacher_id=f"T{i}", name=f"Teacher {i}",
                           room=rng.choice(["Hall", "Hall", "B1", "B2"])) for i in range(6)]
    interps = [InterpreterRow(interpreter_id="I", name="Ina", languages="Polish")]
    rows = []
    for f in range(25):
        link = f"L{f // 2}" if f < 8 else ""  # four children with two households each
        start = rng.choice(["16:00", "16:30", "17:00"])
        picks = rng.sample(range(1, 6), rng.randint(1, 3)) + ([0] if link else [])
        for t in picks:
            rows.append(FamilyRow(
                family_id=f"F{f}", child_name=f"C{f // 2 if link else f}", teacher=f"T{t}",
                mode=rng.choice(["in_person", "in_person", "phone", "video"]),
                linked_to=link, joint=bool(link) and (t == 0 or rng.random() < 0.5),
                priority=rng.choice([1, 2, 3, 3]), available_from=start,
                home_language=rng.choice(["English", "English", "Polish"]),
                interpreter=rng.random() < 0.2,
            ))
    inst = _inst(rows, {"room_capacity": {"Hall": 2}, "gap_minutes": 5,
                        "slot_minutes": 5}, teachers, interps)
    tt = solve(inst, work=20_000)
    assert verify(tt, inst) == []
    assert len(tt.placements) <= upper_bound(inst) <= len(inst.requests)
    assert any(r.with_households for r in inst.requests)


def test_a_reopened_request_page_shows_the_saved_answer(kit_store):
    """A family that comes back (a reload, the link again) finds its teachers and times ticked."""
    from widgets.evening import family_request
    from widgets.identity import set_visitor, visitor_from_query

    wid = rs.open_window(_window(), None, kit_store)
    (a,) = rs.issue_invites(
        wid, [InviteDetails(family_id="F1", children=["Ann"], home_language="Polish")], kit_store
    )
    set_visitor(visitor_from_query(f"p={a.token}", kit_store))
    page = family_request()
    _find(page, "pap-fr-teacher")[0].value = True
    for i in range(3):
        _find(page, "pap-fr-time")[i].value = True
    _find(page, "pap-fr-submit")[0].click()
    assert "pap-msg-success" in _find(page, "pap-fr-msg")[0].value
    assert len(rs.reply_of(a, kit_store).times) == 3
    again = family_request()
    assert [cb.value for cb in _find(again, "pap-fr-time")][:3] == [True, True, True]
    assert _find(again, "pap-fr-teacher")[0].value is True


def test_a_form_made_in_a_preheated_kernel_waits_for_the_browser_then_runs_on_the_kernel(
    monkeypatch,
):
    """In a preheated kernel the visitor is known while the page is still loading; the form is
    made on the kernel's thread only once the browser has asked for the widgets (the cause of a
    reloaded page showing its saved times unticked, or no form at all)."""
    import threading

    from widgets import identity
    from widgets.evening import family_view as fv

    class Loop:
        def __init__(self):
            self.calls = []

        def add_callback(self, fn):
            self.calls.append(fn)

    loop = Loop()
    monkeypatch.setattr(identity, "_kernel_loop", lambda: loop)
    monkeypatch.setattr(fv, "_browser_loaded", threading.Event())
    ran = []
    # a kernel started for this request (no preheat): at once
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    fv.after_browser_loaded(lambda: ran.append("now"))
    assert ran == ["now"] and loop.calls == []
    # preheated: nothing is made until the browser has asked, then on the kernel's loop
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    fv.after_browser_loaded(lambda: ran.append("form"))
    waiting = [th for th in threading.enumerate() if th.name == "pap-family-form"]
    assert waiting and loop.calls == [] and ran == ["now"]
    fv._browser_loaded.set()
    for th in waiting:
        th.join(5)
    assert len(loop.calls) == 1 and ran == ["now"]
    loop.calls[0]()  # the kernel's loop runs it
    assert ran == ["now", "form"]


def test_closing_time_is_shown_on_the_schools_clock_not_in_utc():
    """A window closing at 17:00 UTC on 1 July is 18:00 for a school in London (summer time)
    and 05:00 the next morning in Auckland; the office's list says the zone."""
    from widgets.evening.invitations import closes_text
    from widgets.evening.requests_view import school_time

    closes = dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)
    w = _window(closes=closes)
    assert w.evening().zone().key == "Europe/London"  # en_GB implies it
    assert closes_text(w, "en") == "Wednesday 1 July 2026, 18:00"
    assert school_time(w.evening(), closes) == "2026-07-01 18:00 BST"
    assert school_time(w.evening(), dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)).endswith(
        "17:00 GMT")
    nz = _window(closes=closes, settings={**SETTINGS, "school_locale": "en_NZ"})
    assert "2 July 2026" in closes_text(nz, "en") and "5:00" in closes_text(nz, "en")
    set_zone = _window(closes=closes, settings={**SETTINGS, "time_zone": "Europe/Warsaw"})
    assert closes_text(set_zone, "pl").endswith("19:00")
    # what the office types is the school's time, kept in UTC
    st = Settings.model_validate(SETTINGS)
    assert st.moment(dt.date(2026, 7, 1), 18 * 60) == closes
    with pytest.raises(ValueError, match="Europe/London"):
        Settings.model_validate({**SETTINGS, "time_zone": "Mars/Base"})


def test_the_family_page_shows_no_staff_record_bar():
    """A parent reading Polish gets no English "Saving to: ... (personal link)" line: the first
    cell of the family page is the empty family bar; the form speaks the family's language."""
    import json
    from pathlib import Path

    from widgets.evening import family_bar

    bar = family_bar()
    assert bar.children == () and "pap-record" in bar._dom_classes
    nb = json.loads((Path(__file__).parents[2] / "modules" / "app_family_request.ipynb")
                    .read_text())
    first = "".join(nb["cells"][0]["source"])
    assert "display(family_bar())" in first and "record_bar" not in first


@pytest.mark.parametrize("name", ["family_view.py", "requests_view.py"])
def test_request_pages_keep_their_markup_in_templates(name):
    """The family page and the office's requests panel make HTML only through templates
    (widgets/templates/evening/family_*.html, requests_*.html), so every value is escaped."""
    import ast
    import re
    from pathlib import Path

    tag = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s>/]|/[a-zA-Z]|!doctype)", re.I)
    src = (Path(__file__).parents[2] / "widgets" / "evening" / name).read_text()
    found = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if tag.search(text):
            found.append(node.lineno)
    assert found == []


def test_hostile_names_reach_the_request_pages_escaped(kit_store):
    """A parent or child name from an upload cannot become markup on either page."""
    from widgets.evening import family_request
    from widgets.identity import set_visitor, visitor_from_query

    hostile = "<img src=x onerror=alert(1)>"
    wid = rs.open_window(_window(), None, kit_store)
    (a,) = rs.issue_invites(wid, [InviteDetails(family_id="F1", children=[hostile],
                                                parent_name=hostile)], kit_store)
    set_visitor(visitor_from_query(f"p={a.token}", kit_store))
    page = family_request()

    def texts(w):
        own = [w.value] if hasattr(w, "value") and isinstance(w.value, str) else []
        return own + [t for c in getattr(w, "children", ()) or () for t in texts(c)]

    html = "".join(texts(page))
    assert "<img" not in html and "&lt;img src=x" in html
    from widgets.html import Markup, render

    office = render("evening/requests_replies.html", head=Markup("<p>head</p>"), rows=[
        {"family_id": "F1", "parent": hostile, "replied": True, "when": "2026-12-01 12:00 GMT",
         "choices": hostile, "blocks": "16:00–16:30", "interpreter": "", "access": hostile}])
    assert "<img" not in office and office.count("&lt;img") == 3 and "<p>head</p>" in office

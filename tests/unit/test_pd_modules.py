"""The PD modules 06-11: skills poster, readiness tracker, interview guide, session planner.

Models are tested for their rules (matching, readiness, timings, escaping); the thin views are
built without a kernel and driven the way a user would, then the store is checked.
"""

from __future__ import annotations

import base64
import csv
import io
import re

import ipywidgets as ipw
import pytest
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.checklist.model import load_checklist
from widgets.datasets import DatasetError, load_yaml_text
from widgets.html import escape
from widgets.interview import model as im
from widgets.readiness import model as rm
from widgets.session_plan import model as sm
from widgets.skills import model as km
from widgets.sorting.model import check, load_activity

HOSTILE = '<img src=x onerror="alert(1)">'


def _by_class(root, cls: str) -> list:
    return [w for w in _walk(root) if cls in getattr(w, "_dom_classes", ())]


def _one(root, cls: str):
    found = _by_class(root, cls)
    assert len(found) == 1, f"{cls}: {len(found)} widgets"
    return found[0]


def _button(root, text: str) -> ipw.Button:
    return next(w for w in _walk(root) if isinstance(w, ipw.Button) and w.description == text)


def _download(root, mime: str) -> str:
    html = " ".join(w.value for w in _walk(root) if isinstance(w, ipw.HTML))
    m = re.search(rf"data:{re.escape(mime)};base64,([^\"]+)", html)
    assert m, f"no {mime} download on the page"
    return base64.b64decode(m.group(1)).decode("utf-8")


def _text(root) -> str:
    return " ".join(w.value for w in _walk(root) if isinstance(w, ipw.HTML))


# -- every new dataset loads ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home_or_school", "ladder_rungs", "assets_or_deficits"])
def test_new_sorting_activities_load_and_use_every_category(name):
    act = load_activity(name)
    assert check(act, {it.id: it.answer for it in act.items}).score == len(act.items)
    assert {it.answer for it in act.items} == set(act.categories)


@pytest.mark.parametrize(
    "name", ["resource_formats", "volunteer_screening", "reaching_families", "parent_led_session"]
)
def test_new_checklists_load(name):
    cl = load_checklist(name)
    assert len(cl.items) >= 8 and cl.source


def test_pd_datasets_load():
    lib = km.load_library()
    assert len(lib.roles) >= 12 and [r.name for r in lib.rungs][-1] == "Leading"
    assert {r.rung for r in lib.roles} == {r.id for r in lib.rungs}, "a rung with no role"
    cfg = rm.load_config()
    assert {c.id for c in cfg.checks} >= {"police-check", "references", "training"}
    bank = im.load_bank()
    assert {a.id for a in bank.audiences} == {"parent", "teacher"}
    opts = sm.load_options()
    assert opts.lengths == [45, 90]


def test_assets_activity_offers_a_reframe_for_every_deficit():
    act = load_activity("assets_or_deficits")
    for it in act.items:
        if it.answer == "Deficit":
            assert it.why.startswith("Reframe:"), it.id


# -- skills poster ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lib() -> km.RoleLibrary:
    return km.load_library()


def _profile(lib, **kw) -> km.Profile:
    base = {"skills": [], "interests": [], "time": "weekly", "places": ["school", "home"]}
    base.update(kw)
    return km.clean(base, lib)


def test_match_ranks_by_skills_then_interests_then_lower_rung(lib):
    p = _profile(lib, skills=["maths"], interests=["curriculum"])
    got = km.match(p, lib)
    assert got.ok
    top = got.suggestions[0]
    # parent-tutor: maths (2) + curriculum (1) = 3; curriculum-partner also 3 but same rung,
    # so the tie goes to the title order
    assert top.score == 3 and top.role.id in {"parent-tutor", "curriculum-partner"}
    scores = [s.score for s in got.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert "Maths or science" in top.reason


def test_match_respects_time_available(lib):
    weekly = km.match(_profile(lib, skills=["reading"], time="weekly"), lib)
    occasional = km.match(_profile(lib, skills=["reading"], time="occasional"), lib)
    assert "reading-volunteer" in {s.role.id for s in weekly.suggestions}
    assert "reading-volunteer" not in {s.role.id for s in occasional.suggestions}
    for s in occasional.suggestions:
        assert lib.time_index(s.role.time) <= lib.time_index("occasional")


def test_match_respects_places(lib):
    got = km.match(_profile(lib, skills=["languages"], places=["home"], time="monthly"), lib)
    assert got.suggestions
    assert all("home" in s.role.places for s in got.suggestions)


def test_open_roles_fill_in_when_few_match(lib):
    got = km.match(_profile(lib, interests=["decisions"], time="monthly", places=["school"]), lib)
    assert [s.role.id for s in got.suggestions] == [
        "council-member",  # the one real match
        "event-helper",  # then roles open to anyone, lowest rung first
        "adult-learner",
    ]
    assert [s.reason for s in got.suggestions][1:] == ["Open to anyone", "Open to anyone"]


def test_never_more_than_the_maximum(lib):
    everything = _profile(
        lib,
        skills=[s.id for s in lib.skills],
        interests=[i.id for i in lib.interests],
        places=[p.id for p in lib.places],
    )
    assert len(km.match(everything, lib).suggestions) == km.MAX_SUGGESTIONS


def test_empty_profile_gets_plain_problems(lib):
    got = km.match(km.clean({}, lib), lib)
    assert not got.ok and not got.suggestions
    assert any("skill or interest" in p for p in got.problems)
    assert any("time" in p for p in got.problems)


def test_clean_drops_unknown_ids_and_caps_text(lib):
    p = km.clean(
        {"skills": ["maths", "hacking"], "time": "forever", "name": "x" * 500, "other": 3}, lib
    )
    assert p.skills == ("maths",) and p.time == "" and len(p.name) == 80 and p.other == "3"


def test_poster_escapes_typed_text_and_shows_the_ladder(lib):
    p = _profile(lib, skills=["career"], interests=["careers"], name=HOSTILE, other=HOSTILE)
    p = km.Profile(HOSTILE, p.skills, p.interests, p.time, p.places, HOSTILE)
    doc = km.poster_html(p, km.match(p, lib), lib)
    assert "<img" not in doc and "&lt;img" in doc
    assert doc.index("Leading") < doc.index("Helping"), "the ladder is drawn top rung first"
    assert "Careers speaker" in doc


def test_role_library_rejects_unknown_references():
    bad = """
rungs: [{id: a, name: A, summary: s}, {id: b, name: B, summary: s}]
skills: [{id: s1, label: S}]
interests: [{id: i1, label: I}]
times: [{id: t1, label: T}]
places: [{id: p1, label: P}]
roles:
  - {id: r, title: R, rung: z, what: w, skills: [s1], time: t1, places: [p1]}
"""
    with pytest.raises(DatasetError, match="rung"):
        load_yaml_text(bad, km.RoleLibrary, "roles.yaml")


def test_skills_view_saves_profile_and_offers_poster(kit_store):
    from widgets.skills import skills_poster

    box = skills_poster("roles-leadership")
    _one(box, "pap-skill-speaking").value = True
    _one(box, "pap-interest-careers").value = True
    _one(box, "pap-place-school").value = True
    _one(box, "pap-skills-time").value = "occasional"
    _one(box, "pap-skills-name").value = HOSTILE
    vid = identity.current_visitor().id
    saved = kit_store.get(vid, "roles-leadership", "skills:profile")
    assert saved["skills"] == ["speaking"] and saved["time"] == "occasional"
    _button(box, "Suggest roles and make the poster").click()
    doc = _download(box, "text/html")
    assert "Careers speaker" in doc and "<img" not in doc
    assert "careers-speaker" in kit_store.get(vid, "roles-leadership", "skills:poster")["roles"]
    assert "<img" not in _text(box)
    # reload: the saved profile comes back
    again = skills_poster("roles-leadership")
    assert _one(again, "pap-skill-speaking").value is True


def test_skills_view_warns_on_empty_profile(kit_store):
    from widgets.skills import skills_poster

    box = skills_poster("roles-leadership")
    _button(box, "Suggest roles and make the poster").click()
    assert "Tick at least one skill" in _text(box)
    assert "base64," not in _text(box)


# -- readiness tracker ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cfg() -> rm.ReadinessConfig:
    return rm.load_config()


def _entry(cfg, level: str, **states) -> rm.RoleEntry:
    e = rm.new_entry("Reading volunteer", level, cfg)
    e.states.update({k.replace("_", "-"): v for k, v in states.items()})
    return e


def test_new_role_is_not_started(cfg):
    r = rm.readiness(_entry(cfg, "regular"), cfg)
    assert r.status == rm.NOT_STARTED and r.done == 0 and r.required == 5
    assert "Police or vulnerable sector check" in r.missing


def test_regular_role_needs_every_check(cfg):
    done = {c.id.replace("-", "_"): rm.DONE for c in cfg.checks}
    assert rm.readiness(_entry(cfg, "regular", **done), cfg).status == rm.READY
    done["references"] = rm.IN_PROGRESS
    r = rm.readiness(_entry(cfg, "regular", **done), cfg)
    assert r.status == rm.IN_HAND and r.missing == ["References checked"]


def test_supervised_role_does_not_need_references(cfg):
    e = _entry(
        cfg,
        "supervised",
        police_check=rm.DONE,
        training=rm.DONE,
        confidentiality=rm.DONE,
        supervision=rm.DONE,
        references=rm.NOT_REQUIRED,
    )
    r = rm.readiness(e, cfg)
    assert r.status == rm.READY and not r.warnings and r.required == 4


def test_no_contact_role_needs_training_and_confidentiality_only(cfg):
    e = _entry(cfg, "no-contact", training=rm.DONE)
    assert rm.readiness(e, cfg).status == rm.IN_HAND
    e.states["confidentiality"] = rm.DONE
    assert rm.readiness(e, cfg).status == rm.READY


def test_required_check_marked_not_required_is_flagged_not_ready(cfg):
    done = {c.id.replace("-", "_"): rm.DONE for c in cfg.checks}
    done["police_check"] = rm.NOT_REQUIRED
    r = rm.readiness(_entry(cfg, "regular", **done), cfg)
    assert r.status == rm.IN_HAND
    assert r.warnings and "board's policy" in r.warnings[0]


def test_new_entry_refuses_blank_name_and_unknown_level(cfg):
    with pytest.raises(ValueError, match="Type the role"):
        rm.new_entry("   ", "regular", cfg)
    with pytest.raises(ValueError, match="contact"):
        rm.new_entry("Tutor", "sometimes", cfg)


def test_parse_entries_drops_malformed_rows(cfg):
    raw = [
        {"name": "Tutor", "level": "regular", "states": {"training": "Done", "references": "??"}},
        {"name": "", "level": "regular"},
        {"name": "X", "level": "nope"},
        "junk",
    ]
    got = rm.parse_entries(raw, cfg)
    assert [e.name for e in got] == ["Tutor"]
    assert got[0].states["training"] == rm.DONE and got[0].states["references"] == rm.TODO
    assert rm.parse_entries("not a list", cfg) == []


def test_exports_escape_and_guard_against_formulas(cfg):
    e = rm.new_entry('=HYPERLINK("x")', "regular", cfg)
    e2 = rm.new_entry(HOSTILE, "no-contact", cfg)
    e2.states.update(training=rm.DONE, confidentiality=rm.DONE)
    rows = list(csv.reader(io.StringIO(rm.to_csv([e, e2], cfg))))
    assert rows[0][-3:] == ["readiness", "still to do", "note"]
    assert rows[1][0].startswith("'=") and rows[1][-3] == rm.NOT_STARTED
    assert rows[2][-3] == rm.READY
    doc = rm.to_html([e, e2], cfg)
    assert "<img" not in doc and "&lt;img" in doc and "1 ready" in doc


def test_readiness_view_add_mark_export(kit_store, cfg):
    from widgets.readiness import readiness_tracker

    box = readiness_tracker("volunteer-safety")
    _button(box, "Add role").click()
    assert "Type the role" in _text(box)
    _one(box, "pap-ready-name").value = "Trip helper " + HOSTILE
    _one(box, "pap-ready-level").value = "no-contact"
    _button(box, "Add role").click()
    assert len(_by_class(box, "pap-ready-row")) == 1
    _one(box, "pap-ready-training").value = rm.DONE
    _one(box, "pap-ready-confidentiality").value = rm.DONE
    assert "✅ Ready" in _text(box)
    assert "<img" not in _text(box)
    saved = kit_store.get(identity.current_visitor().id, "volunteer-safety", "readiness:roles")
    assert saved[0]["states"]["training"] == rm.DONE
    _button(box, "Export tracker").click()
    assert "Ready" in _download(box, "text/csv")
    # reload: the role and its marks come back
    again = readiness_tracker("volunteer-safety")
    assert _one(again, "pap-ready-training").value == rm.DONE
    _button(again, "Remove").click()
    assert kit_store.get(identity.current_visitor().id, "volunteer-safety", "readiness:roles") == []


# -- interview guide --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank() -> im.QuestionBank:
    return im.load_bank()


def test_questions_for_filters_by_audience_and_topic(bank):
    qs = im.questions_for(bank, "teacher", "communication")
    assert qs and all("teacher" in q.audiences and q.topic == "communication" for q in qs)
    assert "com-how" not in {q.id for q in qs}  # a parent-only question


def test_build_guide_tidies_questions(bank):
    res = im.build_guide(
        bank,
        "parent",
        "voice",
        ["  What   would you change  ", "", "what would you change?", "Tell me more."],
        "Ana",
    )
    assert res.guide is not None and not res.problems
    assert res.guide.questions == ["What would you change?", "Tell me more."]
    assert res.guide.student == "Ana"


def test_build_guide_refuses_empty_long_and_too_many(bank):
    assert im.build_guide(bank, "parent", "voice", ["", "  "]).problems == [
        "Tick or write at least one question."
    ]
    long = im.build_guide(bank, "parent", "voice", ["x" * 400 + "?"])
    assert any("characters long" in p for p in long.problems)
    many = im.build_guide(bank, "parent", "voice", [f"Question {i}?" for i in range(13)])
    assert any("12 or fewer" in p for p in many.problems)
    assert im.build_guide(bank, "nobody", "voice", ["Q?"]).problems == [
        "Choose who the student will interview."
    ]


def test_guide_output_is_escaped(bank):
    g = im.build_guide(bank, "teacher", "involvement", [HOSTILE + " ok?"], HOSTILE).guide
    doc = im.guide_html(g)
    assert "<img" not in doc and doc.count("&lt;img") == 2
    assert str(escape(bank.audience("teacher").opening)) in doc
    md = im.guide_markdown(g)
    assert "## Questions" in md and "1. " in md


def test_bank_must_cover_every_audience_and_topic():
    bad = """
audiences: [{id: parent, label: P, opening: o, closing: c}]
topics: [{id: a, title: A}, {id: b, title: B}]
questions: [{id: q, topic: a, audiences: [parent], text: "Q?"}]
"""
    with pytest.raises(DatasetError, match="no question"):
        load_yaml_text(bad, im.QuestionBank, "bank.yaml")


def test_interview_view_builds_and_saves_edits(kit_store, bank):
    from widgets.interview import interview_builder

    box = interview_builder("student-voice")
    _one(box, "pap-int-audience").value = "teacher"
    _one(box, "pap-int-topic").value = "voice"
    first = im.questions_for(bank, "teacher", "voice")[0]
    _one(box, f"pap-int-q-{first.id}").value = "Edited: " + HOSTILE
    second = im.questions_for(bank, "teacher", "voice")[1]
    _one(box, f"pap-int-pick-{second.id}").value = False
    _one(box, "pap-int-own").value = "My own question"
    _button(box, "Build the guide").click()
    doc = _download(box, "text/html")
    assert "Edited: &lt;img" in doc and second.text not in doc and "My own question?" in doc
    assert "<img" not in _text(box)
    saved = kit_store.get(identity.current_visitor().id, "student-voice", "interview:guide")
    assert saved["audience"] == "teacher" and saved["picked"][second.id] is False
    again = interview_builder("student-voice")
    assert _one(again, f"pap-int-q-{first.id}").value.startswith("Edited:")


# -- session planner --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opts() -> sm.PlannerOptions:
    return sm.load_options()


def _plan(opts, length=45, minutes=(10, 20, 15)) -> sm.Plan:
    return sm.Plan(
        title="Reading in two languages",
        audience=opts.audiences[1],
        length=length,
        blocks=[sm.AgendaItem(f"Block {i}", m, "Ana") for i, m in enumerate(minutes)],
        room="cafe",
    )


def test_starters_add_up(opts):
    for n in opts.lengths:
        assert sum(b.minutes for b in opts.starter(n)) == n


def test_timing_messages(opts):
    assert sm.timing_message(_plan(opts)) == (True, "The agenda adds up to 45 minutes.")
    ok, msg = sm.timing_message(_plan(opts, minutes=(10, 20)))
    assert not ok and "15 short of 45" in msg
    ok, msg = sm.timing_message(_plan(opts, length=45, minutes=(30, 30)))
    assert not ok and "15 over 45" in msg and "take 15 minutes off" in msg


def test_a_complete_plan_has_no_problems(opts):
    assert sm.problems(_plan(opts), opts) == []
    assert sm.problems(_plan(opts, length=90, minutes=(30, 30, 30)), opts) == []


def test_problems_name_what_to_fix(opts):
    p = _plan(opts, minutes=(45,))
    p.title, p.audience, p.room = " ", "", ""
    found = sm.problems(p, opts)
    assert "Give the session a title." in found
    assert "Choose who the session is for." in found
    assert any("at least two agenda blocks" in x for x in found)
    assert "Choose a room set-up." in found
    p = _plan(opts, minutes=(0, 45))
    assert any("needs a number of minutes" in x for x in sm.problems(p, opts))
    p = _plan(opts, minutes=(20, 25))
    p.blocks[0].name = ""
    assert "Block 1 has minutes but no name." in sm.problems(p, opts)


def test_schedule_gives_start_and_end(opts):
    sched = sm.schedule(_plan(opts))
    assert [(a, b) for a, b, _ in sched] == [(0, 10), (10, 30), (30, 45)]


def test_parse_plan_is_forgiving(opts):
    p = sm.parse_plan(
        {
            "length": 60,
            "blocks": [{"name": "A", "minutes": "x"}, "junk"],
            "room": "roof",
            "audience": "aliens",
        },
        opts,
    )
    assert p.length == 45 and p.room == "" and p.audience == ""
    assert p.blocks == [sm.AgendaItem("A", 0, "")]
    fresh = sm.parse_plan(None, opts)
    assert sm.total_minutes(fresh) == 45  # a new plan starts from the suggested agenda


def test_plan_html_escapes(opts):
    p = _plan(opts)
    p.title, p.room_notes, p.materials = HOSTILE, HOSTILE, [HOSTILE]
    p.blocks[0].name = HOSTILE
    doc = sm.plan_html(p, opts)
    assert "<img" not in doc and doc.count("&lt;img") == 5  # title twice
    assert "30–45 min" in doc


def test_options_reject_a_starter_that_does_not_add_up():
    bad = """
audiences: [Staff]
lengths: [45]
starters: [{length: 45, blocks: [{name: A, minutes: 40}]}]
rooms: [{id: r, label: R}]
"""
    with pytest.raises(DatasetError, match="adds up to 40"):
        load_yaml_text(bad, sm.PlannerOptions, "plan.yaml")


def test_session_planner_view(kit_store, opts):
    from widgets.session_plan import session_planner

    box = session_planner("parents-leading")
    assert "adds up to 45 minutes" in _one(box, "pap-plan-total").value
    _button(box, "Make the printable plan").click()
    assert "Give the session a title" in _text(box)
    _one(box, "pap-plan-title").value = "Maths at home " + HOSTILE
    _one(box, "pap-plan-audience").value = opts.audiences[0]
    _one(box, "pap-plan-room").value = "circle"
    _one(box, "pap-plan-length").value = 90
    assert "45 short of 90" in _one(box, "pap-plan-total").value
    _button(box, "Start from the suggested agenda").click()
    assert "adds up to 90 minutes" in _one(box, "pap-plan-total").value
    _by_class(box, "pap-plan-block-min")[0].value = 25
    assert "15 over 90" in _one(box, "pap-plan-total").value
    _by_class(box, "pap-plan-block-min")[0].value = 10
    _button(box, "Make the printable plan").click()
    doc = _download(box, "text/html")
    assert "Maths at home &lt;img" in doc and "<img" not in doc
    saved = kit_store.get(identity.current_visitor().id, "parents-leading", "session-plan:plan")
    assert saved["length"] == 90 and sum(b["minutes"] for b in saved["blocks"]) == 90
    again = session_planner("parents-leading")
    assert _one(again, "pap-plan-title").value.startswith("Maths at home")
    assert "adds up to 90 minutes" in _one(again, "pap-plan-total").value


def test_group_capacity_is_suppressed_below_five(lib):
    few = [_profile(lib, skills=["maths"])] * 4
    assert km.group_capacity(few, lib).skills is None
    five = few + [_profile(lib, skills=["maths", "languages"], interests=["newcomers"])]
    cap = km.group_capacity(five, lib)
    assert cap.people == 5
    assert cap.skills == {"Maths or science": 5, "Speaks another language": 1}
    assert cap.interests == {"Welcoming new families": 1}


def test_skills_group_panel(kit_store, lib):
    from widgets.skills.group import group_panel

    ws, _ = kit_store.open_workshop("W")
    for i in range(5):
        p = kit_store.join_workshop(ws.code, f"P{i}")
        kit_store.save(
            p.id, "roles-leadership", "skills:profile", {"skills": ["arts"], "time": "weekly"}
        )
    text = _text(group_panel(ws.id))
    assert "5 people" in text and "Music, art, drama or sport: <b>5</b>" in text
    other, _ = kit_store.open_workshop("Small")
    assert "once 5 or more" in _text(group_panel(other.id))

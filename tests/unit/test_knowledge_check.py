"""Cases, knowledge checks and before/after self-ratings: content, scoring, feedback, saving,
and the facilitator's anonymous summary with small groups suppressed."""

from __future__ import annotations

from datetime import UTC, datetime

import ipywidgets as ipw
import pytest
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.datasets import DatasetError, load_yaml_text
from widgets.knowledge_check import model
from widgets.knowledge_check.group import summary_html
from widgets.landing.model import load_catalogue
from widgets.privacy import SELF_RATING_MIN_GROUP
from widgets.store import AnswerRow

MODULES = [e for e in load_catalogue().entries if e.kind == "module"]
HOSTILE = "<img src=x onerror=alert(1)>"


def _html(w) -> str:
    return "".join(x.value for x in _walk(w) if isinstance(x, ipw.HTML))


# -- content ------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", MODULES, ids=lambda e: e.id)
def test_every_module_has_a_case_a_check_and_a_self_rating(entry):
    depth = model.check_file(entry.id)  # validates, names a module, cites known seeds
    words = len(depth.case.text.split())
    assert model.CASE_WORDS[0] <= words <= model.CASE_WORDS[1]
    assert 3 <= len(depth.questions) <= 5 and 3 <= len(depth.self_rating) <= 4
    for q in depth.questions:
        assert q.sources or q.kit_guidance
        assert sum(o.correct for o in q.options) == 1
        assert all(len(o.feedback.split()) >= 5 for o in q.options), "feedback explains why"
    assert all(s.text.startswith("I can ") for s in depth.self_rating)


@pytest.mark.parametrize("entry", MODULES, ids=lambda e: e.id)
def test_every_module_notebook_shows_the_case_first_and_the_check_last(entry):
    from widgets.landing.model import MODULES_DIR
    from widgets.workshop.model import notebook_calls, notebook_code

    calls = notebook_calls(notebook_code(MODULES_DIR / entry.notebook))
    names = [(n, a[:2]) for n, a, _ in calls]
    start = names.index(("knowledge_check.case_study", [None]))  # MODULE, from the catalogue
    assert names[start + 1] == ("knowledge_check.self_rating", [None, "before"])
    assert names[-2:] == [
        ("knowledge_check.knowledge_check", [None]),
        ("knowledge_check.self_rating", [None, "after"]),
    ]
    assert start <= 2, "the case comes right after the record bar"


GOOD = """
module: m
case:
  title: T
  text: "{text}"
  consider: ["Q?"]
  kit_guidance: true
questions:
{questions}
self_rating:
  - {{id: a, text: "I can do a."}}
  - {{id: b, text: "I can do b."}}
  - {{id: c, text: "{statement}"}}
"""
Q = """  - id: q{n}
    text: Q
    kit_guidance: true
    options:
      - {{id: x, text: X, correct: {first}, feedback: "because x is so"}}
      - {{id: y, text: Y, correct: {second}, feedback: "because y is not"}}
"""


def _file(text_words=120, correct=(True, False), statement="I can do c."):
    qs = "".join(
        Q.format(n=n, first=str(correct[0]).lower(), second=str(correct[1]).lower())
        for n in range(3)
    )
    return GOOD.format(text=" ".join(["word"] * text_words), questions=qs, statement=statement)


def test_a_good_file_loads_and_mistakes_are_named():
    assert load_yaml_text(_file(), model.ModuleDepth).questions[0].answer.id == "x"
    with pytest.raises(DatasetError, match="exactly one option must have `correct: true`"):
        load_yaml_text(_file(correct=(True, True)), model.ModuleDepth, "x.yaml")
    with pytest.raises(DatasetError, match="the case has 40 words"):
        load_yaml_text(_file(text_words=40), model.ModuleDepth, "x.yaml")
    with pytest.raises(DatasetError, match="self_rating"):
        load_yaml_text(_file(statement="Knows things"), model.ModuleDepth, "x.yaml")


# -- scoring and feedback -----------------------------------------------------------------------


def test_scoring_counts_right_answers_and_explains_each_choice():
    depth = model.load_depth("why-partnership")
    q0, q1, q2, q3 = depth.questions
    wrong1 = next(o for o in q1.options if not o.correct)
    res = model.score(depth, {q0.id: q0.answer.id, q1.id: wrong1.id, q2.id: "no-such-option"})
    assert (res.score, res.of, res.answered, res.complete) == (1, 4, 2, False)
    r0, r1, r2, r3 = res.results
    assert r0.correct and r0.feedback == q0.answer.feedback
    assert not r1.correct and r1.feedback == wrong1.feedback and r1.answer_text == q1.answer.text
    assert r2.chosen is None and r2.feedback == "" and r2.answer_text == ""  # unknown = unanswered
    assert "2 questions not answered yet" in res.summary
    full = model.score(depth, {q.id: q.answer.id for q in depth.questions})
    assert (full.score, full.complete, full.summary) == (4, True, "All 4 right.")
    value = model.check_value(depth, {q0.id: wrong1.id, q1.id: wrong1.id}, checked=True)
    assert value == {"answers": {q1.id: wrong1.id}, "score": 0, "of": 4, "checked": True}


def test_options_are_shuffled_the_same_way_every_time():
    depth = model.load_depth("communicating")
    q = depth.questions[0]
    first = [o.id for o in model.shown_order("communicating", q)]
    assert first == [o.id for o in model.shown_order("communicating", q)]
    assert sorted(first) == sorted(o.id for o in q.options)
    positions = {
        [o.correct for o in model.shown_order(e.id, q)].index(True)
        for e in MODULES
        for q in model.load_depth(e.id).questions
    }
    assert len(positions) >= 3, "the right answer is not always in the same place"


# -- self-rating change -------------------------------------------------------------------------


def test_rating_change_pairs_statements_and_ignores_bad_values():
    depth = model.load_depth("why-partnership")
    a, b, c, d = (s.id for s in depth.self_rating)
    ch = model.rating_change(depth, {a: 1, b: 2, c: 2, d: True}, {a: 3, b: 2, c: 4, "x": 4, d: 9})
    assert [s.change for s in ch.statements] == [2, 0, 2, None]
    assert not ch.complete and len(ch.paired) == 3
    assert (ch.mean_before, ch.mean_after) == (5 / 3, 3.0)
    assert ch.words == "from 1.7 to 3.0 (+1.3) on 3 statements of 4"
    assert model.rating_change(depth, {}, {a: 4}).words == "not rated before and after"


def _row(pid: int, module: str, item: str, value, day: int = 25) -> AnswerRow:
    at = datetime(2026, 11, day, 10, tzinfo=UTC)
    return AnswerRow(pid, f"p-{pid}", None, 1, module, item, value, at, at)


def _pairs(n: int, module: str = "why-partnership", incomplete: int = 0) -> list[AnswerRow]:
    depth = model.load_depth(module)
    ids = [s.id for s in depth.self_rating]
    rows = []
    for pid in range(1, n + incomplete + 1):
        after_ids = ids if pid <= n else ids[:-1]  # the last few rated only some statements
        rows.append(_row(pid, module, "self-rating:before", dict.fromkeys(ids, 2)))
        rows.append(_row(pid, module, "self-rating:after", dict.fromkeys(after_ids, 3 + pid % 2)))
    return rows


def test_group_summary_is_suppressed_below_the_privacy_threshold():
    depths = {"why-partnership": model.load_depth("why-partnership")}
    small = model.group_summary(_pairs(SELF_RATING_MIN_GROUP - 1, incomplete=3), depths)
    assert [(s.paired, s.suppressed, s.rose, s.statements) for s in small] == [
        (SELF_RATING_MIN_GROUP - 1, True, None, None)
    ]  # three who rated only some statements do not make the group big enough
    big = model.group_summary(_pairs(SELF_RATING_MIN_GROUP), depths, {"why-partnership": "Why"})
    (s,) = big
    assert (s.title, s.paired, s.suppressed, s.mean_before, s.rose) == ("Why", 5, False, 2.0, 5)
    assert s.mean_after == pytest.approx((3 * 2 + 4 * 3) / 5)
    assert len(s.statements) == 4


def test_dashboard_summary_never_names_anyone_and_hides_small_groups(kit_store):
    ws, _ = kit_store.open_workshop("W")
    depth = model.load_depth("why-partnership")
    ids = [s.id for s in depth.self_rating]
    people = [kit_store.join_workshop(ws.code, HOSTILE) for _ in range(SELF_RATING_MIN_GROUP)]
    for p in people[:-1]:
        kit_store.save(p.id, "why-partnership", "self-rating:before", dict.fromkeys(ids, 1))
        kit_store.save(p.id, "why-partnership", "self-rating:after", dict.fromkeys(ids, 3))
    page = summary_html(ws.id)
    assert "not shown" in page and "3.0" not in page and HOSTILE not in page
    last = people[-1]
    kit_store.save(last.id, "why-partnership", "self-rating:before", dict.fromkeys(ids, 1))
    kit_store.save(last.id, "why-partnership", "self-rating:after", dict.fromkeys(ids, 3))
    page = summary_html(ws.id)
    assert "not shown" not in page and "1.0" in page and "3.0" in page and "5 of 5" in page
    assert "onerror" not in page


# -- the widgets save and restore -----------------------------------------------------------------


def test_check_saves_answers_and_feedback_comes_back_on_reload(kit_store):
    from widgets.knowledge_check import knowledge_check

    identity.set_visitor(identity.visitor_from_query(f"p={kit_store.issue_personal_link().token}"))
    depth = model.load_depth("one-to-one")
    page = knowledge_check("one-to-one")
    radios = [w for w in _walk(page) if isinstance(w, ipw.RadioButtons)]
    assert len(radios) == len(depth.questions) and not any(r.disabled for r in radios)
    wrong = next(o for o in depth.questions[0].options if not o.correct)
    radios[0].value = wrong.id
    radios[1].value = depth.questions[1].answer.id
    next(w for w in _walk(page) if isinstance(w, ipw.Button)).click()
    text = _html(page)
    assert wrong.feedback.split()[0] in text and "Not quite" in text and "1 of 4 right" in text
    pid = identity.current_visitor().id
    saved = kit_store.get(pid, "one-to-one", model.CHECK_ITEM)
    assert (
        saved["checked"]
        and saved["score"] == 1
        and saved["answers"][depth.questions[0].id] == wrong.id
    )
    again = knowledge_check("one-to-one")  # a reload
    radios2 = [w for w in _walk(again) if isinstance(w, ipw.RadioButtons)]
    assert [r.value for r in radios2[:2]] == [wrong.id, depth.questions[1].answer.id]
    assert "Not quite" in _html(again)


def test_self_rating_saves_and_the_after_rating_shows_the_change(kit_store):
    from widgets.knowledge_check import self_rating

    identity.set_visitor(identity.visitor_from_query(f"p={kit_store.issue_personal_link().token}"))
    before = self_rating("student-voice", "before")
    for t in [w for w in _walk(before) if isinstance(w, ipw.ToggleButtons)]:
        t.value = 1
    after = self_rating("student-voice", "after")
    assert "Your change shows once" in _html(after)
    for t in [w for w in _walk(after) if isinstance(w, ipw.ToggleButtons)]:
        t.value = 3
    assert "from 1.0 to 3.0 (+2.0) on 3 statements" in _html(after)
    reloaded = self_rating("student-voice", "before")
    assert [w.value for w in _walk(reloaded) if isinstance(w, ipw.ToggleButtons)] == [1, 1, 1]


def test_a_broken_file_shows_a_plain_message(monkeypatch):
    from widgets.knowledge_check import view

    def broken(_m):
        raise DatasetError("datasets/checks/x.yaml", [])

    monkeypatch.setattr(view, "load_depth", broken)
    monkeypatch.delenv("PAP_STRICT_ERRORS", raising=False)
    page = view.knowledge_check("x")
    assert "datasets/checks/x.yaml" in _html(page) and "could not load" in _html(page)


def test_dashboard_panel_opens_with_the_workshop_key_only(kit_store):
    from widgets.knowledge_check.group import self_rating_summary

    ws, key = kit_store.open_workshop("W")
    page = self_rating_summary()
    next(w for w in _walk(page) if isinstance(w, ipw.Button)).click()  # built on request
    code_in = next(w for w in _walk(page) if getattr(w, "description", "") == "Code")
    key_in = next(w for w in _walk(page) if getattr(w, "description", "") == "Key")
    show = next(w for w in _walk(page) if getattr(w, "description", "") == "Show the summary")
    code_in.value, key_in.value = ws.code, "wrong"
    show.click()
    assert "do not open a workshop" in _html(page)
    assert "pap-self-rating-summary" not in _html(page)
    key_in.value = key
    show.click()
    assert "pap-self-rating-summary" in _html(page) and "No one in this workshop" in _html(page)
    assert key_in.value == "" and code_in.disabled

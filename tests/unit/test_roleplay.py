"""Role-play engine, scenario format and every shipped scenario."""

from __future__ import annotations

import csv
import io

import pytest

from widgets.datasets import DatasetError, load_yaml_text
from widgets.roleplay.analysis import explore
from widgets.roleplay.engine import (
    Play,
    choice_distribution,
    compare,
    score,
    score_percent,
    tally,
    transcript_csv,
    transcript_html,
    transcript_markdown,
)
from widgets.roleplay.schema import (
    Scenario,
    load_rubric,
    load_scenario,
    scenario_names,
    unknown_behaviours,
)

RUBRIC = load_rubric()
NAMES = scenario_names()

TINY = """
id: tiny
title: Tiny
summary: A two-step test.
setting: Nowhere.
persona:
  name: Pat
  relationship: carer
  child: Sam
  context: Test.
  concerns: Test.
scenes:
  - id: a
    text: Hello.
    choices:
      - id: warm
        say: Good news first.
        feedback: Good.
        shows: [warm-opening]
        effects: {trust: 30}
        next: b
      - id: cold
        say: We need to talk.
        feedback: Cold.
        breaks: [warm-opening]
        effects: {trust: -30}
        next: b
  - id: b
    text: Go on.
    choices:
      - id: ask
        say: What do you see at home?
        feedback: Asked.
        shows: [asks-view]
        next: poor
        branches:
          - {when: "trust >= 70", goto: good}
      - id: secret
        say: Only when trust is high.
        feedback: Hidden door.
        only_if: "trust >= 70"
        next: good
  - id: good
    text: Great.
    ending: {title: Good, outcome: good}
  - id: poor
    text: Not great.
    ending: {title: Poor, outcome: poor}
"""


def tiny() -> Scenario:
    return load_yaml_text(TINY, Scenario, "tiny.yaml")


# -- every shipped scenario -----------------------------------------------------------------


def test_at_least_eight_scenarios_ship():
    assert len(NAMES) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_valid_reachable_and_terminating(name):
    sc = load_scenario(name)
    report = explore(sc)
    assert report.problems == [], report.problems
    assert report.reached_scenes == {s.id for s in sc.scenes}
    assert report.paths > 0


@pytest.mark.parametrize("name", NAMES)
def test_scenario_has_three_decisions_and_three_distinct_endings(name):
    sc = load_scenario(name)
    report = explore(sc)
    assert report.min_decisions >= 3, f"{name}: a path ends after {report.min_decisions} decisions"
    outcomes = {sc.scene(e).ending.outcome for e in report.endings_reached}
    assert len(report.endings_reached) >= 3
    assert outcomes == {"good", "mixed", "poor"}


@pytest.mark.parametrize("name", NAMES)
def test_scenario_names_only_rubric_behaviours(name):
    assert unknown_behaviours(load_scenario(name), RUBRIC) == []


def test_scenarios_cover_the_personas_the_issue_asks_for():
    scs = [load_scenario(n) for n in NAMES]
    assert any(s.persona.interpreter_needed for s in scs)
    assert any(s.persona.relationship in ("grandparent", "step-parent", "carer") for s in scs)
    rubric_ids = {b.id for b in RUBRIC.behaviours}
    used = {b for s in scs for sc in s.scenes for c in sc.choices for b in (*c.shows, *c.breaks)}
    assert used == rubric_ids, f"behaviours never exercised: {rubric_ids - used}"


def test_rubric_has_the_nine_behaviours():
    assert [b.id for b in RUBRIC.behaviours] == [
        "warm-opening",
        "asks-view",
        "affirm-and-pursue",
        "evidence",
        "plain-language",
        "parent-as-expert",
        "next-step",
        "follow-up",
        "interpreter-practice",
    ]


# -- the engine -----------------------------------------------------------------------------


def test_state_branching_and_conditions():
    sc = tiny()
    good = Play.replay(sc, ["warm", "ask"])
    assert good.over and good.scene_id == "good"
    assert good.state["trust"] == 80
    poor = Play.replay(sc, ["cold", "ask"])
    assert poor.scene_id == "poor" and poor.state["trust"] == 20
    # the hidden choice is offered only when trust allows it
    assert [c.id for c in Play.replay(sc, ["warm"]).choices()] == ["ask", "secret"]
    assert [c.id for c in Play.replay(sc, ["cold"]).choices()] == ["ask"]
    with pytest.raises(ValueError, match="not a choice"):
        Play.replay(sc, ["cold", "secret"])


def test_state_is_clamped_and_a_finished_play_refuses_more():
    sc = tiny()
    sc.start_state["trust"] = 90
    p = Play.replay(sc, ["warm"])
    assert p.state["trust"] == 100
    p.choose("ask")
    with pytest.raises(ValueError, match="ended"):
        p.choose("ask")


def test_play_is_deterministic_and_replays_identically():
    sc = load_scenario(NAMES[0])
    first = Play(sc)
    while not first.over:
        first.choose(first.choices()[-1].id)
    again = Play.replay(sc, first.choice_ids)
    assert again.history == first.history and again.state == first.state


def test_tally_and_score():
    p = Play.replay(tiny(), ["cold", "ask"])
    results = {r.id: r for r in tally(p.history, RUBRIC)}
    assert results["warm-opening"].verdict == "missed"
    assert results["asks-view"].verdict == "shown"
    assert results["evidence"].verdict == "not tested"
    assert score(p.history) == (1, 1)
    assert score_percent(p.history) == 50
    assert score_percent([]) is None


def test_mixed_verdict():
    sc = tiny()
    p = Play.replay(sc, ["warm", "ask"])
    # add a step that breaks what was shown before
    p2 = Play.replay(sc, ["cold", "ask"])
    results = {r.id: r for r in tally(p.history + p2.history, RUBRIC)}
    assert results["warm-opening"].verdict == "mixed"


def test_transcripts_escape_and_contain_the_conversation():
    sc = tiny()
    sc.persona.name = "<img src=x onerror=alert(1)>"
    p = Play.replay(sc, ["warm", "ask"])
    page = transcript_html(p, RUBRIC)
    assert "<img" not in page and "&lt;img" in page
    assert "Good news first." in page and "Ending: Good" in page
    md = transcript_markdown(p, RUBRIC)
    assert "**You (2):** What do you see at home?" in md
    assert "| Warm opening with a specific strength | 1 | 0 | shown |" in md
    rows = list(csv.DictReader(io.StringIO(transcript_csv(p))))
    assert [r["you_said"] for r in rows] == ["Good news first.", "What do you see at home?"]
    assert rows[0]["trust"] == "80" and rows[0]["shows"] == "warm-opening"


def test_compare_lines_up_attempts_by_scene():
    sc = tiny()
    a = Play.replay(sc, ["warm", "secret"])
    b = Play.replay(sc, ["cold", "ask"])
    rows = compare(a, b)
    assert [r.scene_id for r in rows] == ["a", "b"]
    assert rows[0].a.choice_id == "warm" and rows[0].b.choice_id == "cold"
    assert rows[1].a.choice_id == "secret" and rows[1].b.choice_id == "ask"


def test_choice_distribution_suppresses_small_groups_and_skips_stale_attempts():
    sc = tiny()
    attempts = [["warm", "ask"]] * 3 + [["cold", "ask"]] * 2 + [["nonsense"]]
    dist = {d.scene_id: d for d in choice_distribution(sc, attempts, min_group=5)}
    assert dist["a"].reached == 5
    assert dist["a"].counts == [("Good news first.", 3), ("We need to talk.", 2)]
    assert dist["b"].counts == [("What do you see at home?", 5), ("Only when trust is high.", 0)]
    few = {d.scene_id: d for d in choice_distribution(sc, attempts[:4], min_group=5)}
    assert few["a"].counts is None and few["a"].reached == 4


# -- the format's error messages ------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            ("next: b\n      - id: cold", "next: nowhere\n      - id: cold"),
            "'nowhere', which is not a scene id",
        ),
        (('{when: "trust >= 70"', '{when: "trust is high"'), "write it like 'trust >= 60'"),
        (("effects: {trust: 30}", "effects: {mood: 30}"), "use trust, clarity or partnership"),
        (("relationship: carer", "relationship: uncle"), "relationship"),
        (
            ("ending: {title: Poor, outcome: poor}", "reflect: Why?"),
            "neither choices nor an ending",
        ),
    ],
)
def test_broken_scenarios_get_a_message_naming_place_and_fix(edit, expected):
    bad = TINY.replace(*edit)
    assert bad != TINY
    with pytest.raises(DatasetError) as info:
        load_yaml_text(bad, Scenario, "broken.yaml")
    text = str(info.value)
    assert "broken.yaml" in text and expected in text
    assert "line" in text


def test_yaml_syntax_error_names_the_line():
    bad = TINY.replace("feedback: Asked.", "feedback: Asked: and more: here")
    with pytest.raises(DatasetError) as info:
        load_yaml_text(bad, Scenario, "broken.yaml")
    line = next(i for i, s in enumerate(bad.splitlines(), 1) if "Asked: and more" in s)
    assert f"line {line}," in str(info.value) and "quotes" in str(info.value)

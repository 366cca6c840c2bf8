"""The five inclusion scenarios (issue 16): present, playable to every ending, and teaching the point.

The route rules over all scenarios live in test_roleplay.py; these tests pin the families the
issue asked the kit to see, so a later edit cannot quietly drop one or lose an ending.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.seeds import SEEDS
from support.widget_tree import walk as _walk

from widgets.datasets import dataset_path
from widgets.roleplay.analysis import explore
from widgets.roleplay.engine import Play, verdict
from widgets.roleplay.schema import Scenario, load_scenario, scenario_names

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "facilitator_guides" / "one_to_one_meetings.md"

INCLUSION = {
    "10_annual_review_plan": "annual-review",
    "11_deaf_parent_interpreter": "deaf-parent-interpreter",
    "12_separated_parents": "separated-parents",
    "13_foster_carer": "foster-carer",
    "14_low_literacy": "letters-not-read",
}
SEED_TITLES = (
    "Home-School Partnerships",
    "Parents in Partnership",
    "Transformative Parent Engagement",
    "Parent Engagement in Learning",
    "Partnering with Parents",
)


def _route_to(sc: Scenario, outcome: str) -> tuple[str, ...]:
    report = explore(sc)
    return next(r.choice_ids for r in report.routes if r.outcome == outcome)


def test_the_five_inclusion_scenarios_ship_and_are_listed():
    names = scenario_names()
    for name, sid in INCLUSION.items():
        assert name in names, f"{name}.yaml is missing from datasets/scenarios"
        assert load_scenario(name).id == sid


@pytest.mark.parametrize("name", sorted(INCLUSION))
@pytest.mark.parametrize("outcome", ["good", "mixed", "poor"])
def test_each_ending_is_reachable_by_playing(name, outcome):
    """Replay a route explore() found and check the play really ends there, verdict included."""
    sc = load_scenario(name)
    route = _route_to(sc, outcome)
    play = Play.replay(sc, list(route))
    assert play.over and play.scene.ending.outcome == outcome
    assert len(route) >= 3
    v = verdict(play)
    assert v.outcome == outcome
    if outcome == "poor":
        assert v.band != "high"
    if outcome == "good":
        assert v.band != "low"


@pytest.mark.parametrize("name", sorted(INCLUSION))
def test_sources_name_a_seed_document(name):
    sources = load_scenario(name).sources
    assert any(t in sources for t in SEED_TITLES), f"{name}: sources names no seed document"


def test_personas_are_the_families_the_issue_asked_for():
    sc = {sid: load_scenario(n) for n, sid in INCLUSION.items()}
    assert sc["deaf-parent-interpreter"].persona.interpreter_needed
    assert "Sign Language" in sc["deaf-parent-interpreter"].persona.home_language
    assert sc["foster-carer"].persona.relationship == "foster parent"
    assert "plan" in sc["annual-review"].persona.context.lower()
    assert "court order" in sc["separated-parents"].summary
    assert "read" in sc["letters-not-read"].persona.context.lower()


def _choice(sc: Scenario, choice_id: str):
    return next(c for s in sc.scenes for c in s.choices if c.id == choice_id)


def test_the_key_lessons_are_judged_the_right_way():
    deaf = load_scenario("11_deaf_parent_interpreter")
    assert "interpreter-practice" in _choice(deaf, "tell-interpreter").breaks
    assert "interpreter-practice" in _choice(deaf, "face-parent").shows
    assert "interpreter-practice" in _choice(deaf, "lily-tells").breaks
    split = load_scenario("12_separated_parents")
    # promising to cut a parent off without checking the records is marked, and it comes back
    assert "evidence" in _choice(split, "agree").breaks
    assert _choice(split, "agree").next == "promised"
    assert "evidence" in _choice(split, "explain-duty").shows
    foster = load_scenario("13_foster_carer")
    assert "parent-as-expert" in _choice(foster, "backstory").breaks
    assert "parent-as-expert" in _choice(foster, "tell-staff").breaks
    literacy = load_scenario("14_low_literacy")
    assert _choice(literacy, "test-him").breaks
    assert "next-step" in _choice(literacy, "plan-call").shows
    review = load_scenario("10_annual_review_plan")
    assert "evidence" in _choice(review, "defend").breaks
    assert "evidence" in _choice(review, "check-facts").shows


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


@pytest.mark.skipif(SEEDS is None, reason="the seed documents are not on this machine")
def test_no_seed_sentence_is_copied():
    """Eight words in a row shared with a seed document means a sentence was copied."""
    seed = [w for f in sorted(SEEDS.glob("*.txt")) for w in _words(f.read_text(errors="ignore"))]
    grams = {tuple(seed[i : i + 8]) for i in range(len(seed) - 7)}
    for name in INCLUSION:
        words = _words((dataset_path("scenarios") / f"{name}.yaml").read_text())
        copied = [" ".join(words[i : i + 8]) for i in range(len(words) - 7)]
        copied = [g for g in copied if tuple(g.split()) in grams]
        assert copied == [], f"{name}: {copied[:3]}"


def test_the_facilitator_guide_introduces_each_scenario():
    guide = GUIDE.read_text()
    for name in INCLUSION:
        title = load_scenario(name).title
        assert f"**{title}**" in guide, f"the guide has no paragraph for {title!r}"


# -- the page offers them, and a thoughtful player can reach the good ending -------------------


def _find(root, cls: str) -> list:
    return [w for w in _walk(root) if cls in getattr(w, "_dom_classes", ())]


@pytest.mark.parametrize("name", sorted(INCLUSION))
def test_the_page_offers_the_scenario_and_plays_it_to_a_good_ending(kit_store, name):
    import ipywidgets as ipw

    from widgets import identity
    from widgets.roleplay import roleplay
    from widgets.roleplay.view import MODULE, attempt_item

    sc = load_scenario(name)
    merit = {c.say: len(c.shows) - len(c.breaks) for s in sc.scenes for c in s.choices}
    view = roleplay()
    picker = _find(view, "pap-rp-picker")[0]
    assert name in [value for _label, value in picker.options]
    picker.value = name
    _find(view, "pap-rp-start")[0].click()
    for _ in range(20):
        buttons = _find(view, "pap-choice")
        if not buttons:
            break
        max(buttons, key=lambda b: merit[b.description]).click()
    page = "\n".join(w.value for w in _walk(view) if isinstance(w, ipw.HTML))
    good = next(s.ending.title for s in sc.scenes if s.ending and s.ending.outcome == "good")
    assert good in page
    saved = kit_store.get(identity.current_visitor().id, MODULE, attempt_item(sc.id, 1))
    assert saved["finished"] is True and saved["outcome"] == "good"

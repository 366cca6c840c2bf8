"""Facilitator guides: one per module, the sections the issue asks for, safe rendering."""

from __future__ import annotations

import re

import pytest

from widgets.datasets import load_yaml_text
from widgets.guides.model import GUIDES_DIR, Guide, list_guides, printable, to_html
from widgets.landing.model import LEARNING_KINDS, load_catalogue
from widgets.roleplay.analysis import explore
from widgets.roleplay.schema import Scenario, load_rubric, unknown_behaviours

GUIDE_FOR = {
    "why-partnership": "why_partnership",
    "communicating": "communicating_with_parents",
    "one-to-one": "one_to_one_meetings",
    "parents-evenings": "parents_evenings",
    "barrier-audit": "barrier_audit",
    "learning-at-home": "learning_at_home",
    "roles-leadership": "roles_and_leadership",
    "volunteer-safety": "safety_in_volunteering",
    "student-voice": "student_voice",
    "transformative": "transformative_engagement",
    "parents-leading": "parents_leading_workshops",
    "home-visits-community": "home_visits_and_community",
    "family-evening": "family_parents_evening",
    "family-home-learning": "family_learning_at_home",
    "family-having-a-say": "family_having_a_say",
}


def _shipped_modules() -> list[str]:
    from widgets.landing.model import MODULES_DIR

    return [
        e.id
        for e in load_catalogue().entries
        if e.kind in LEARNING_KINDS and (MODULES_DIR / e.notebook).is_file()
    ]


def test_running_the_kit_comes_first_and_readme_is_not_a_guide():
    names = [g.name for g in list_guides()]
    assert names[0] == "running_the_kit"
    assert "README" not in names


@pytest.mark.parametrize("module_id", _shipped_modules())
def test_every_shipped_module_has_a_guide_with_the_required_parts(module_id):
    path = GUIDES_DIR / f"{GUIDE_FOR[module_id]}.md"
    assert path.is_file(), f"no facilitator guide for {module_id}"
    text = path.read_text(encoding="utf-8").lower()
    for part in (
        r"45[- ]min",
        r"90[- ]min",
        r"materials",
        r"room set[- ]?up",
        r"discussion prompts|prompts for discussion",
        r"parent[- ]led|led by (a )?parents?|parents? leads?",
        r"results",
        r"sources",
    ):
        assert re.search(part, text), f"{path.name} has no part matching {part!r}"


def test_running_the_kit_covers_slides_offline_and_the_join_code():
    text = (GUIDES_DIR / "running_the_kit.md").read_text(encoding="utf-8")
    assert "make slides" in text and "no internet" in text
    assert "join code" in text and "make app" in text


def test_guide_html_never_runs_raw_html():
    g = Guide("x", "X", GUIDES_DIR / "x.md")
    out = to_html('# Hi\n\n<img src=x onerror="alert(1)">\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')
    assert "<img" not in out and "&lt;img" in out
    assert "<table>" in out
    assert printable.__name__ and g.title == "X"


def test_printable_page_has_the_title_and_body():
    g = list_guides()[0]
    page = printable(g)
    assert page.startswith("<!doctype html>") and "<h1>Running the kit</h1>" in page


def test_the_worked_example_scenario_in_the_guide_is_valid_and_playable():
    text = (GUIDES_DIR / "one_to_one_meetings.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    example = next(b for b in blocks if b.startswith("id: reading-log"))
    sc = load_yaml_text(example, Scenario, "worked example")
    report = explore(sc)
    assert report.problems == []
    assert report.min_decisions >= 3 and len(report.endings_reached) == 3
    assert unknown_behaviours(sc, load_rubric()) == []

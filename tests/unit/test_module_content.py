"""Every module page names its sources, links home and keeps its code cells short."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from widgets.landing.model import MODULES_DIR, load_catalogue
from widgets.sources import load_sources, sources_markdown

SOURCE_MARKERS = ("Ontario", "Australia", "Home-School", "Partnering with Parents", "Transformative")


def _markdown(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _module_notebooks() -> list[Path]:
    entries = [e for e in load_catalogue().entries if e.kind == "module"]
    return [MODULES_DIR / e.notebook for e in entries if (MODULES_DIR / e.notebook).is_file()]


def test_sources_file_is_valid():
    sources = load_sources()
    assert set(sources) == {"ontario", "australia", "scotland", "pd_course", "transformative"}
    assert "Parents in Partnership" in sources_markdown(["ontario"])


@pytest.mark.parametrize("nb_path", _module_notebooks(), ids=lambda p: p.name)
def test_module_has_sources_and_a_way_home(nb_path):
    md = _markdown(nb_path)
    assert "Sources" in md, f"{nb_path.name} has no Sources section"
    tail = md[md.rindex("Sources") :]
    assert any(m in tail for m in SOURCE_MARKERS), f"{nb_path.name}: Sources names no seed document"
    assert "index.ipynb" in md, f"{nb_path.name} has no link back to the landing page"


@pytest.mark.parametrize("nb_path", _module_notebooks(), ids=lambda p: p.name)
def test_module_saves_reflections_and_offers_a_summary(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "reflect(" in code and "module_summary(" in code


@pytest.mark.parametrize("nb_path", sorted(MODULES_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_has_slide_marks_for_the_slides_view(nb_path):
    import sys

    sys.path.insert(0, str(MODULES_DIR.parent / "tools"))
    from mark_slides import slide_type

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    wrong = [
        i
        for i, c in enumerate(nb["cells"])
        if c.get("metadata", {}).get("slideshow", {}).get("slide_type") != slide_type(c)
    ]
    assert not wrong, f"{nb_path.name}: run `python tools/mark_slides.py` (cells {wrong})"


def test_test_files_have_unique_names():
    """pytest collects tests/unit and tests/browser together; equal basenames break collection."""
    tests = Path(__file__).resolve().parents[1]
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})

"""The catalogue is the one owner of a module's id, title and minutes; notebooks read them.

Every notebook in modules/ (but the landing page) has an entry, ids are unique, a notebook that
saves anything names its id only through ``module_start("<its file>")``, and no notebook repeats
an id or its length as a literal.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from widgets import catalogue
from widgets.datasets import DatasetError
from widgets.landing.model import MODULES_DIR, load_catalogue
from widgets.reflection import view as reflection_view

NOTEBOOKS = sorted(p for p in MODULES_DIR.glob("*.ipynb") if p.name != "index.ipynb")
ENTRIES = {e.notebook: e for e in load_catalogue().entries}


def _cells(path: Path, kind: str) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def test_every_notebook_has_one_entry_and_ids_are_unique():
    assert [p.name for p in NOTEBOOKS if p.name not in ENTRIES] == []
    ids = [e.id for e in load_catalogue().entries]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_repeats_no_id_and_no_minutes(path):
    e = ENTRIES[path.name]
    code = "\n".join(_cells(path, "code"))
    literals = {
        n.value
        for n in ast.walk(ast.parse(code))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    other_ids = {x.id for x in load_catalogue().entries}
    assert literals & other_ids == set(), "use MODULE (from module_start) instead of the id"
    markdown = "\n".join(_cells(path, "markdown"))
    assert not re.search(r"About \d+ minutes", markdown), "minutes come from the catalogue"
    if e.kind in ("module", "app") and "MODULE" in code:
        assert f'MODULE = module_start("{path.name}")' in code


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if ENTRIES[p.name].kind == "module"], ids=lambda p: p.stem
)
def test_module_heading_is_the_catalogue_title(path):
    e = ENTRIES[path.name]
    first = _cells(path, "markdown")[0].splitlines()[0]
    assert first == f"# {e.icon} {e.title}"
    assert e.minutes and e.who, "a module's intro line comes from its minutes and who"


def test_lookups_and_a_missing_entry_named_with_its_fix():
    assert catalogue.module_id("01_why_partnership.ipynb") == "why-partnership"
    assert catalogue.title_of("why-partnership") == "Why partnership matters"
    assert catalogue.intro_line(catalogue.entry("01_why_partnership.ipynb")).startswith(
        "About 30 minutes · for every member of staff"
    )
    with pytest.raises(DatasetError, match="no entry has notebook: nope.ipynb"):
        catalogue.module_id("nope.ipynb")


def test_module_constants_in_code_are_the_catalogues():
    from widgets.roleplay.attempts import MODULE as ROLEPLAY
    from widgets.skills.group import MODULE as SKILLS

    assert ROLEPLAY == catalogue.module_id("03_one_to_one_meetings.ipynb")
    assert SKILLS == catalogue.module_id("07_roles_and_leadership.ipynb")
    assert reflection_view.module_summary.__defaults__ == (None,)

"""One templates folder, one render helper, one printable layout (issue 13).

The render helper escapes every value (autoescape), refuses a misspelt variable, and every
printable page extends ``printable/base.html``; no module outside the areas other helpers own
builds a page of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from widgets.html import Markup, render

TEMPLATES = Path(__file__).resolve().parents[2] / "widgets" / "templates"
WIDGETS = TEMPLATES.parent
HOSTILE = "<img src=x onerror=alert(1)>"


def test_render_escapes_values_and_keeps_markup_the_kit_made():
    page = render("printable/letter.html", title=HOSTILE, body=HOSTILE + "\n{school}")
    assert "<img" not in page and page.count("&lt;img") == 2
    assert "{school}" in page  # nothing is expanded twice
    inner = Markup("<b>bold</b>")
    assert "<b>bold</b>" in render("printable/guide.html", title="T", body=inner)


def test_a_misspelt_variable_is_an_error_not_an_empty_string():
    with pytest.raises(UndefinedError):
        render("printable/letter.html", title="T")


def test_every_printable_page_extends_the_one_layout():
    pages = sorted(p for p in (TEMPLATES / "printable").glob("*.html") if p.name != "base.html")
    assert len(pages) >= 9
    for p in pages:
        first = next(
            line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
        )
        assert first == '{% extends "printable/base.html" %}', p.name


# Every package is checked; a folder may be listed here only while its conversion is under way.
OWNED_ELSEWHERE: tuple[str, ...] = ()


def test_no_module_builds_its_own_page():
    """A doctype outside templates/ means a page built by hand (other helpers' areas aside)."""
    offenders = [
        str(p.relative_to(WIDGETS))
        for p in WIDGETS.rglob("*.py")
        if p.parts[-2] not in OWNED_ELSEWHERE
        and re.search(r"<!doctype", p.read_text(encoding="utf-8"), re.I)
    ]
    assert offenders == []


def test_no_markup_in_python_outside_templates():
    """No string with an HTML tag in the kit's Python (other helpers' areas aside): user text
    reaches HTML only through a template. ``<br>`` for keeping line breaks is the one tag;
    ``(?P<name>...)`` in a regular expression is not a tag."""
    import ast

    tag = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s>/]|/[a-zA-Z]|!doctype)", re.I)
    offenders = []
    for p in sorted(WIDGETS.rglob("*.py")):
        if p.parts[-2] in OWNED_ELSEWHERE or p.name == "html.py":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value for v in node.values if isinstance(v, ast.Constant)
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            text = re.sub(r"\(\?P<\w+>", "(?P", text)  # a regex's named group is no tag
            if tag.search(text.replace("<br>", "")) and "`" not in text:
                offenders.append(f"{p.relative_to(WIDGETS)}:{node.lineno}")
    assert offenders == []


def test_no_group_panel_imports_a_view():
    """Dashboard panels read models; a view is only layout."""
    import ast

    offenders = []
    for p in sorted(WIDGETS.glob("*/group.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("view"):
                offenders.append(f"{p.parts[-2]}: {node.module}")
    assert offenders == []


def test_no_model_imports_a_view():
    """Rules and services never reach into a view (views import models, never the reverse);
    a package's ``__init__`` may re-export its views for the notebooks."""
    import ast

    offenders = []
    for p in sorted(WIDGETS.rglob("*.py")):
        if p.name == "__init__.py" or p.stem == "view" or p.stem.endswith("_view"):
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                names = [mod] + [f"{mod}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.rsplit(".", 1)[-1] == "view" or n.endswith("_view") for n in names):
                offenders.append(f"{p.relative_to(WIDGETS)}:{node.lineno}")
    assert offenders == []


def test_only_the_printable_layout_opens_a_whole_page():
    """A template with its own doctype is a printable page that skipped the one layout: it
    belongs in printable/ and extends base.html (certificates, plans and questionnaires too)."""
    pages = sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if re.search(r"<!doctype|<html", p.read_text(encoding="utf-8"), re.I)
    )
    assert pages == ["printable/base.html"]


def test_the_family_questionnaire_prints_in_its_own_language():
    from widgets.audit.instrument import ParentVersion
    from widgets.audit.pages import parent_page

    pv = ParentVersion(
        language="fr",
        title=HOSTILE,
        scale=[{"value": 1, "label": "Non"}, {"value": 2, "label": "Oui"}],
        dont_know="Je ne sais pas",
        items=[{"id": "x1", "text": HOSTILE}],
    )
    page = parent_page(pv)
    assert page.startswith("<!doctype html>") and '<html lang="fr"' in page
    assert "<img" not in page and page.count("&lt;img") >= 3  # title, heading, item

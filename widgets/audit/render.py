"""HTML for the audit's pages, from Jinja2 templates with autoescape (``templates/`` beside this).

Every value a template receives is escaped unless the caller marks it as already-built HTML with
:func:`trusted` (only for HTML this package itself rendered: charts, message boxes, download
links). Main has no shared templates folder yet, so this is the audit's own small render helper;
when a kit-wide one lands, the templates move there unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def _score(v: float | None, none: str = "–") -> str:
    return none if v is None else f"{v:.0f}"


_ENV.filters["score"] = _score


def trusted(html: str) -> Markup:
    """Mark HTML built by this package (a chart, a message box) so a template does not escape it."""
    return Markup(html)


def render(name: str, **context: Any) -> str:
    """The template ``name`` (e.g. ``"team.html.j2"``) filled with ``context``, autoescaped."""
    return _ENV.get_template(name).render(**context).strip()

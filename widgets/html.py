"""The kit's one way to make HTML: Jinja2 templates with autoescape, in ``widgets/templates/``.

Why: ipywidgets' HTML widget runs whatever markup it is given, so user text must never be
pasted into HTML by hand. Every page, printable sheet and message box is a template here;
autoescape escapes every ``{{ value }}`` unless the value is :class:`Markup` (HTML the kit made
itself, e.g. another rendered template). Printable pages extend ``printable/base.html``, the
one layout for certificates, plans, posters, letters and checklists.

    render("printable/checklist.html", checklist=c, states=s)  ->  str (safe HTML)
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "render", "render_markup"]


def _nl2br(value: Any) -> Markup:
    """Escape text and keep its line breaks visible."""
    return Markup("<br>").join(escape("" if value is None else str(value)).split("\n"))


_ENV = Environment(
    loader=PackageLoader("widgets", "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENV.filters["nl2br"] = _nl2br


def _score(value: float | None, none: str = "–") -> str:
    """A mean rating as a whole number, or a dash when there is none (the audit's tables)."""
    return none if value is None else f"{value:.0f}"


_ENV.filters["score"] = _score


def render(name: str, /, **ctx: Any) -> str:
    """Render ``widgets/templates/<name>`` with ``ctx``; every plain string in it is escaped."""
    return _ENV.get_template(name).render(**ctx)


def render_markup(name: str, /, **ctx: Any) -> Markup:
    """:func:`render`, marked safe so it can be passed into another template unescaped."""
    return Markup(render(name, **ctx))

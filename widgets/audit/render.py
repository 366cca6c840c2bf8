"""HTML for the audit's pages, from the kit's templates (``widgets/templates/audit/``).

Every value a template receives is escaped unless the caller marks it as already-built HTML with
:func:`trusted` (only for HTML the kit itself rendered: charts, message boxes, download links).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from widgets import html


def trusted(html_text: str) -> Markup:
    """Mark HTML built by the kit (a chart, a message box) so a template does not escape it."""
    return Markup(html_text)


def render(name: str, **context: Any) -> str:
    """The template ``audit/<name>`` (older ``.html.j2`` names accepted), autoescaped."""
    return html.render(f"audit/{name.removesuffix('.j2')}", **context).strip()

"""The knowledge check's HTML, from the kit's templates (``widgets/templates/knowledge_check/``).

Case texts and statements come from files a facilitator edits; the kit's one renderer
(:mod:`widgets.html`) escapes every value, so a stray ``<`` in a dataset never becomes markup.
"""

from __future__ import annotations

from typing import Any

from widgets import html


def render(name: str, **context: Any) -> str:
    """Render ``knowledge_check/<name>`` (the ``.j2`` of older names is dropped)."""
    return html.render(f"knowledge_check/{name.removesuffix('.j2')}", **context)

"""Find things in a tree of ipywidgets, as a view test needs to (no kernel, no browser).

Why: view tests drive real ipywidgets in plain Python; each used to carry its own copy of these
four helpers.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as ipw


def walk(w: ipw.Widget) -> Iterator[ipw.Widget]:
    """``w`` and every widget inside it, depth first."""
    yield w
    for c in getattr(w, "children", ()):
        yield from walk(c)


def by_class(root: ipw.Widget, cls: str) -> list[ipw.Widget]:
    """Every widget under ``root`` with the CSS class ``cls`` (``add_class``)."""
    return [w for w in walk(root) if cls in getattr(w, "_dom_classes", ())]


def button(root: ipw.Widget, text: str) -> ipw.Button:
    """The first button under ``root`` whose words are ``text``."""
    return next(w for w in walk(root) if isinstance(w, ipw.Button) and w.description == text)


def html_text(root: ipw.Widget) -> str:
    """The markup of every HTML widget under ``root``, one per line."""
    return "\n".join(w.value for w in walk(root) if isinstance(w, ipw.HTML))

"""Jinja2 templates with autoescape for the HTML this package draws.

Case texts and statements come from files a facilitator edits; escaping every value by default
means a stray ``<`` in a dataset can never turn into markup in a participant's browser.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=4)
def environment(folder: str = str(TEMPLATES)) -> Environment:
    """An autoescaping environment over ``folder`` (undefined names are errors, not blanks)."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, folder: Path = TEMPLATES, **context: Any) -> str:
    """Render template ``name`` from ``folder`` with every value escaped."""
    return environment(str(folder)).get_template(name).render(**context)

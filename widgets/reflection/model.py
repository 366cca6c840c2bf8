"""Reflections and the per-module summary a participant can download.

A reflection is one answer in the store (item ``reflection:<key>``). The summary gathers the
participant's reflections for a module into a small HTML or Markdown document to keep in a PD
portfolio.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from widgets.html import render

MAX_CHARS = 10_000
PREFIX = "reflection:"
COMPLETED_ITEM = "summary:prepared"


def item_key(key: str) -> str:
    return PREFIX + key


def clean_text(text: str) -> str:
    """What gets stored: the typed text, capped so a paste of a whole book cannot swamp the DB."""
    return (text or "")[:MAX_CHARS]


@dataclass(frozen=True)
class SummaryEntry:
    prompt: str
    answer: str


def summary_markdown(module_title: str, entries: Iterable[SummaryEntry], when: datetime) -> str:
    lines = [f"# {module_title}: my reflections", "", f"_Saved {when:%d %B %Y}_", ""]
    for e in entries:
        lines += [f"## {e.prompt}", "", e.answer.strip() or "_(not answered yet)_", ""]
    return "\n".join(lines)


def summary_html(module_title: str, entries: Iterable[SummaryEntry], when: datetime) -> str:
    """The participant's reflections as a printable page (the template escapes answers)."""
    return render(
        "printable/reflection_summary.html",
        module_title=module_title,
        entries=list(entries),
        when=f"{when:%d %B %Y}",
    )

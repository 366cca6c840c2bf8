"""Reflections and the per-module summary a participant can download.

A reflection is one answer in the store (item ``reflection:<key>``). The summary gathers the
participant's reflections for a module into a small HTML or Markdown document to keep in a PD
portfolio.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        f"<title>{esc(module_title)}: my reflections</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;"
        "line-height:1.5;color:#1b1f24}h1{color:#1f5fa8}blockquote{border-left:4px solid #d0d7de;"
        "margin:0;padding:.2em 1em;white-space:pre-wrap}</style>",
        f"<h1>{esc(module_title)}: my reflections</h1><p><em>Saved {when:%d %B %Y}</em></p>",
    ]
    for e in entries:
        answer = esc(e.answer.strip()) or "<em>(not answered yet)</em>"
        parts.append(f"<h2>{esc(e.prompt)}</h2><blockquote>{answer}</blockquote>")
    parts.append("</html>")
    return "\n".join(parts)

"""Finds the facilitator guides and turns their Markdown into safe, printable HTML.

The guides live as plain Markdown so facilitators can edit them anywhere (GitHub shows them too);
Voila serves only the notebooks folder, so the kit renders them itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from widgets.html import Markup, render

GUIDES_DIR = Path(__file__).resolve().parents[2] / "facilitator_guides"
FIRST = "running_the_kit"


@dataclass(frozen=True)
class Guide:
    name: str
    title: str
    path: Path

    def markdown(self) -> str:
        return self.path.read_text(encoding="utf-8")


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip().removeprefix("Facilitator guide:").strip()
    return fallback


def list_guides(folder: Path = GUIDES_DIR) -> list[Guide]:
    """Every guide except the folder's README, 'Running the kit' first, then by file name."""
    guides = [
        Guide(p.stem, _title(p.read_text(encoding="utf-8"), p.stem.replace("_", " ")), p)
        for p in sorted(folder.glob("*.md"))
        if p.name.lower() != "readme.md"
    ]
    return sorted(guides, key=lambda g: (g.name != FIRST, g.name))


# Raw HTML in a guide is shown as text, never run: guides may be edited by anyone.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(markdown: str) -> str:
    return _MD.render(markdown)


def printable(guide: Guide) -> str:
    """The guide as a printable page; its Markdown is rendered with raw HTML shown as text."""
    return render("printable/guide.html", title=guide.title, body=Markup(to_html(guide.markdown())))

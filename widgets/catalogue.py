"""Who a module is: its id, title, minutes and audience, read from ``datasets/catalogue.yaml``.

Why: the catalogue is the one owner of these facts. Notebooks ask for their id by file name
(``MODULE = module_start("01_why_partnership.ipynb")``), views and group panels ask here for
a title or minutes, and the landing page and completion record read the same entries, so a
renamed module or a changed length is one edit. ``tests/unit/test_catalogue_ties.py`` checks
that no notebook repeats an id or a length the catalogue owns.
"""

from __future__ import annotations

from widgets.datasets import DatasetError, Problem
from widgets.landing.model import Entry, load_catalogue


def entry(notebook: str) -> Entry:
    """The catalogue entry of a notebook (its file name, e.g. ``01_why_partnership.ipynb``)."""
    for e in load_catalogue().entries:
        if e.notebook == notebook:
            return e
    raise DatasetError(
        "catalogue.yaml",
        [
            Problem(
                "entries",
                f"no entry has notebook: {notebook}",
                "add an entry for this notebook (notebook, id, title, kind, blurb)",
            )
        ],
    )


def module_id(notebook: str) -> str:
    """The id a notebook's answers are saved under."""
    return entry(notebook).id


def entry_by_id(module: str) -> Entry | None:
    """The catalogue entry with this id, or None (an app or a retired module)."""
    return next((e for e in load_catalogue().entries if e.id == module), None)


def title_of(module: str) -> str:
    """A module's title by id; the id itself when the catalogue does not know it."""
    e = entry_by_id(module)
    return e.title if e else module


def intro_line(e: Entry) -> str:
    """The line under a module's heading: "About 30 minutes · for every member of staff…"."""
    parts = [f"About {e.minutes} minutes"] if e.minutes else []
    if e.who:
        parts.append(e.who)
    return " · ".join(parts)

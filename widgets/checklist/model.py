"""A checklist with a status per item, written as YAML in ``datasets/checklists/``.

Used for anything a team works through over weeks (a parents' evening's logistics, volunteer
screening and training, a communication audit), so the state is saved and a progress figure and a
printable copy come out of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.exports import csv_text
from widgets.html import render
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced

DEFAULT_STATUSES = ["Not started", "In progress", "Done", "Not needed"]
DONE, NOT_NEEDED = "Done", "Not needed"


class CheckItem(Sourced):
    """One thing to have in place; it is advice, so it cites a seed passage or is kit guidance."""

    id: Id
    text: str = Field(min_length=1)
    detail: str = ""


class Section(StrictModel):
    title: str = Field(min_length=1)
    items: list[CheckItem] = Field(min_length=1)


class Checklist(StrictModel):
    title: str = Field(min_length=1)
    intro: str = ""
    source: str = ""
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        check_unique((it.id for s in self.sections for it in s.items), "item")
        return self

    @property
    def items(self) -> list[CheckItem]:
        return [it for s in self.sections for it in s.items]


@dataclass(frozen=True)
class ItemState:
    status: str = "Not started"
    note: str = ""


def parse_states(raw: object, checklist: Checklist) -> dict[str, ItemState]:
    """Saved JSON -> states for the items that still exist (items removed from the YAML drop out)."""
    out: dict[str, ItemState] = {}
    raw = raw if isinstance(raw, dict) else {}
    for it in checklist.items:
        v = raw.get(it.id)
        if isinstance(v, dict):
            status = v.get("status") if v.get("status") in DEFAULT_STATUSES else "Not started"
            out[it.id] = ItemState(status, str(v.get("note", ""))[:500])
        else:
            out[it.id] = ItemState()
    return out


def dump_states(states: dict[str, ItemState]) -> dict[str, dict[str, str]]:
    return {k: {"status": s.status, "note": s.note} for k, s in states.items()}


@dataclass(frozen=True)
class Progress:
    done: int
    needed: int  # items not marked "Not needed"
    in_progress: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.needed) if self.needed else 100


def progress(states: dict[str, ItemState]) -> Progress:
    needed = [s for s in states.values() if s.status != NOT_NEEDED]
    return Progress(
        done=sum(s.status == DONE for s in needed),
        needed=len(needed),
        in_progress=sum(s.status == "In progress" for s in needed),
    )


def to_csv(checklist: Checklist, states: dict[str, ItemState]) -> str:
    rows = []
    for s in checklist.sections:
        for it in s.items:
            st = states.get(it.id, ItemState())
            rows.append([s.title, it.text, st.status, st.note])
    return csv_text(["section", "item", "status", "note"], rows)


def to_html(checklist: Checklist, states: dict[str, ItemState]) -> str:
    """A printable page of the checklist with its current state (the template escapes text)."""
    sections = [
        {
            "title": s.title,
            "rows": [
                {
                    "mark": _MARKS.get(st.status, "☐"),
                    "text": it.text,
                    "status": st.status,
                    "note": st.note,
                }
                for it in s.items
                for st in [states.get(it.id, ItemState())]
            ],
        }
        for s in checklist.sections
    ]
    return render(
        "printable/checklist.html",
        checklist=checklist,
        progress=progress(states),
        sections=sections,
    )


_MARKS = {DONE: "☑", NOT_NEEDED: "–"}


def load_checklist(name: str) -> Checklist:
    return load_yaml(f"checklists/{name}.yaml", Checklist)

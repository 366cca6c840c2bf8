"""A school's communication plan: who hears what, through which channel, how often, from whom."""

from __future__ import annotations

from pydantic import Field

from widgets.datasets import load_yaml
from widgets.exports import csv_text
from widgets.html import render
from widgets.schema_base import StrictModel
from widgets.sources import Sourced


class PlanOptions(Sourced):
    """The plan builder's choices; the channel list draws on the seeds, so the file cites them."""

    audiences: list[str] = Field(min_length=1)
    channels: list[str] = Field(min_length=1)
    frequencies: list[str] = Field(min_length=1)


class PlanRow(StrictModel):
    audience: str = Field(min_length=1)
    channel: str = Field(min_length=1)
    purpose: str = Field(min_length=1, max_length=300)
    frequency: str = Field(min_length=1)
    owner: str = Field(min_length=1, max_length=120)
    languages: str = Field(default="", max_length=200)


def load_plan_options() -> PlanOptions:
    return load_yaml("messages/plan_options.yaml", PlanOptions)


def coverage(rows: list[PlanRow], options: PlanOptions) -> dict[str, list[str]]:
    """Channels planned for each audience; an audience with none is a gap to fill."""
    out: dict[str, list[str]] = {a: [] for a in options.audiences}
    for r in rows:
        out.setdefault(r.audience, [])
        if r.channel not in out[r.audience]:
            out[r.audience].append(r.channel)
    return out


def gaps(rows: list[PlanRow], options: PlanOptions) -> list[str]:
    return [a for a, chans in coverage(rows, options).items() if not chans]


def to_csv(rows: list[PlanRow]) -> str:
    return csv_text(
        ["audience", "channel", "purpose", "frequency", "owner", "languages"],
        ([r.audience, r.channel, r.purpose, r.frequency, r.owner, r.languages] for r in rows),
    )


def to_html(rows: list[PlanRow], options: PlanOptions, school: str = "") -> str:
    """The communication plan as a printable page (the template escapes every cell)."""
    return render(
        "printable/comm_plan.html", rows=rows, school=school, missing=gaps(rows, options)
    )

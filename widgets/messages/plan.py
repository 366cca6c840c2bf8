"""A school's communication plan: who hears what, through which channel, how often, from whom."""

from __future__ import annotations

import html

from pydantic import BaseModel, ConfigDict, Field

from widgets.datasets import load_yaml
from widgets.exports import csv_text


class PlanOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audiences: list[str] = Field(min_length=1)
    channels: list[str] = Field(min_length=1)
    frequencies: list[str] = Field(min_length=1)


class PlanRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
    esc = html.escape
    title = f"Communication plan{': ' + esc(school) if school else ''}"
    body = "".join(
        f"<tr><td>{esc(r.audience)}</td><td>{esc(r.channel)}</td><td>{esc(r.purpose)}</td>"
        f"<td>{esc(r.frequency)}</td><td>{esc(r.owner)}</td><td>{esc(r.languages)}</td></tr>"
        for r in rows
    )
    missing = gaps(rows, options)
    gap_html = (
        "<p><b>Not yet reached by any channel:</b> " + esc(", ".join(missing)) + "</p>"
        if missing
        else "<p>Every audience has at least one channel.</p>"
    )
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:60em;"
        "margin:2em auto}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;"
        "padding:4px 8px;text-align:left;vertical-align:top}h1{color:#1f5fa8}</style>"
        f"<h1>{title}</h1><table><tr><th>Audience</th><th>Channel</th><th>Purpose</th>"
        f"<th>How often</th><th>Who</th><th>Languages</th></tr>{body}</table>{gap_html}</html>"
    )

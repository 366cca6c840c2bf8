"""From weak items to an action plan: proposals from the library, the plan, its exports.

None of the published audit tools links a low rating to something to do about it; this does, from
``datasets/audit/actions.yaml``. An action is proposed for an item when the library names the item
directly (best match) or shares a barrier tag with it. The team then keeps, edits and assigns the
proposals; the plan is saved per school year so next year's audit can be set against it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from widgets.audit.instrument import Action, ActionLibrary, Instrument
from widgets.exports import csv_text

MODULE = "barrier-audit"
APP = "audit-app"
RATINGS_PREFIX = "ratings:"
PLAN_PREFIX = "plan:"


def school_year(today: date | None = None) -> str:
    """The school year a date falls in, as "2025-26" (a year starts in August)."""
    d = today or date.today()
    start = d.year if d.month >= 8 else d.year - 1
    return f"{start}-{str(start + 1)[-2:]}"


def year_options(today: date | None = None, back: int = 3, ahead: int = 1) -> list[str]:
    cur = int(school_year(today)[:4])
    return [f"{y}-{str(y + 1)[-2:]}" for y in range(cur - back, cur + ahead + 1)]


YEAR_RE = re.compile(r"^\d{4}-\d{2}$")


def ratings_key(year: str) -> str:
    return f"{RATINGS_PREFIX}{year}"


def plan_key(year: str) -> str:
    return f"{PLAN_PREFIX}{year}"


def previous_year(years: Iterable[str], year: str) -> str | None:
    """The latest year before ``year`` among ``years`` (school years sort as text)."""
    earlier = sorted(y for y in years if YEAR_RE.match(y) and y < year)
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Proposal:
    item_id: str
    item_text: str
    score: float | None
    action: Action
    direct: bool  # the library names this item (rather than sharing a tag)


def propose(
    weak: list[tuple[str, float | None]],
    instrument: Instrument,
    library: ActionLibrary,
    per_item: int = 2,
) -> list[Proposal]:
    """Up to ``per_item`` actions for each weak item (weakest first), never the same action twice."""
    used: set[str] = set()
    out: list[Proposal] = []
    for item_id, score in weak:
        item = instrument.item(item_id)
        tags = set(item.tags)
        ranked = sorted(
            (
                (0 if item_id in a.items else 1, -len(tags & set(a.tags)), k, a)
                for k, a in enumerate(library.actions)
                if item_id in a.items or tags & set(a.tags)
            ),
            key=lambda t: t[:3],
        )
        picked = 0
        for direct, _overlap, _k, a in ranked:
            if a.id in used:
                continue
            out.append(Proposal(item_id, item.text, score, a, direct == 0))
            used.add(a.id)
            picked += 1
            if picked >= per_item:
                break
    return out


class PlanRow(BaseModel):
    """One line of the action plan, as the team edited it."""

    model_config = ConfigDict(extra="ignore")

    item_id: str = ""
    action_id: str = ""
    action: str = Field(min_length=1, max_length=300)
    owner: str = Field(default="", max_length=120)
    due: str = Field(default="", max_length=20)
    measure: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=500)

    @field_validator("action", "owner", "measure", "notes", mode="before")
    @classmethod
    def _strip(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v

    @field_validator("due")
    @classmethod
    def _date(cls, v: str) -> str:
        v = (v or "").strip()
        if v:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError("write the date like 2026-03-31") from None
        return v


def row_from_proposal(p: Proposal) -> PlanRow:
    return PlanRow(
        item_id=p.item_id, action_id=p.action.id, action=p.action.title, measure=p.action.measure
    )


def missing_fields(rows: list[PlanRow]) -> list[str]:
    """Plain words for what is still missing before the plan is ready to share."""
    out = []
    for k, r in enumerate(rows, 1):
        gaps = [
            name
            for name, v in (("owner", r.owner), ("date", r.due), ("success measure", r.measure))
            if not v
        ]
        if gaps:
            words = gaps[0] if len(gaps) == 1 else ", ".join(gaps[:-1]) + " or " + gaps[-1]
            out.append(f"Action {k} has no {words}")
    return out


CSV_COLUMNS = ["item", "action", "owner", "due", "success_measure", "notes", "item_id", "action_id"]


def plan_to_csv(rows: list[PlanRow], instrument: Instrument) -> str:
    return csv_text(
        CSV_COLUMNS,
        (
            [
                _item_text(instrument, r.item_id),
                r.action,
                r.owner,
                r.due,
                r.measure,
                r.notes,
                r.item_id,
                r.action_id,
            ]
            for r in rows
        ),
    )


def _item_text(instrument: Instrument, item_id: str) -> str:
    try:
        return instrument.item(item_id).text
    except KeyError:
        return ""


def plan_to_html(
    rows: list[PlanRow],
    instrument: Instrument,
    *,
    school: str = "",
    year: str = "",
    profile_png_uri: str = "",
    profile_alt: str = "",
) -> str:
    """A printable one-year action plan (a page the team can print or save as PDF)."""
    esc = html.escape
    title = "Family engagement action plan" + (f": {esc(school)}" if school else "")
    body = "".join(
        f"<tr><td>{k}</td><td>{esc(_item_text(instrument, r.item_id))}</td><td><b>{esc(r.action)}</b>"
        f"{'<br><small>' + esc(r.notes) + '</small>' if r.notes else ''}</td>"
        f"<td>{esc(r.owner)}</td><td>{esc(r.due)}</td><td>{esc(r.measure)}</td></tr>"
        for k, r in enumerate(rows, 1)
    )
    chart = (
        f"<figure><img src='{profile_png_uri}' alt='{esc(profile_alt)}' style='max-width:100%'>"
        f"<figcaption>{esc(profile_alt)}</figcaption></figure>"
        if profile_png_uri
        else ""
    )
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:62em;"
        "margin:2em auto;color:#222}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #bbb;padding:5px 8px;text-align:left;vertical-align:top}"
        "h1{color:#1f5fa8}figcaption{font-size:.85em;color:#555}"
        "@media print{a{display:none}}</style>"
        f"<h1>{title}</h1><p>School year: <b>{esc(year)}</b> · prepared {date.today():%d %B %Y}</p>"
        "<table><tr><th>#</th><th>What the audit showed</th><th>Action</th><th>Who</th>"
        f"<th>By when</th><th>How we will know it worked</th></tr>{body}</table>{chart}"
        "<p><small>Actions drawn from the kit's library of mitigations (Transformative Parent "
        "Engagement, the Home-School Partnerships toolkit, Ontario's Parents in Partnership and "
        "Partnering with Parents). Review at the next audit.</small></p></html>"
    )


def parse_plan(raw: object) -> list[PlanRow]:
    """Saved plan rows back into models, skipping anything that no longer validates."""
    rows = raw.get("rows", []) if isinstance(raw, dict) else raw
    out = []
    for r in rows if isinstance(rows, list) else []:
        try:
            out.append(PlanRow.model_validate(r))
        except Exception:  # noqa: BLE001 - an old or hand-edited row: drop it, keep the rest
            continue
    return out

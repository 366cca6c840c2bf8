"""From weak items to an action plan: proposals from the library, the plan, its exports.

None of the published audit tools links a low rating to something to do about it; this does, from
``datasets/audit/actions.yaml``. An action is proposed for an item when the library names the item
directly (best match) or shares a barrier tag with it. The team then keeps, edits and assigns the
proposals; the plan is saved per school year so next year's audit can be set against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

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


Status = Literal["", "not-started", "on-track", "behind", "done", "dropped"]
#: Words for the mid-year status of an action (the keys are what is saved).
STATUS_WORDS: dict[str, str] = {
    "": "not reviewed yet",
    "not-started": "not started",
    "on-track": "on track",
    "behind": "behind: needs help",
    "done": "done",
    "dropped": "dropped (say why)",
}


def _iso_date(v: object) -> str:
    v = (v or "").strip() if isinstance(v, str) else v
    if v:
        try:
            date.fromisoformat(str(v))
        except ValueError:
            raise ValueError("write the date like 2026-03-31") from None
    return str(v or "")


class PlanRow(BaseModel):
    """One line of the action plan, as the team edited it, with its mid-year review.

    NNPS-style plans tie each activity to a school-improvement goal, give it a budget and check it
    at mid-year; ``goal``, ``budget``, ``progress_status`` and ``progress`` carry those. Saved
    records from before they existed still load (they default to empty).
    """

    model_config = ConfigDict(extra="ignore")

    item_id: str = ""
    action_id: str = ""
    action: str = Field(min_length=1, max_length=300)
    goal: str = Field(default="", max_length=200)
    owner: str = Field(default="", max_length=120)
    due: str = Field(default="", max_length=20)
    budget: str = Field(default="", max_length=80)
    measure: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=500)
    progress_status: Status = ""
    progress: str = Field(default="", max_length=1000)

    @field_validator(
        "action", "goal", "owner", "budget", "measure", "notes", "progress", mode="before"
    )
    @classmethod
    def _strip(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v

    @field_validator("due")
    @classmethod
    def _date(cls, v: str) -> str:
        return _iso_date(v)


class Plan(BaseModel):
    """A school year's action plan: the goal it serves, its actions and its mid-year review date."""

    model_config = ConfigDict(extra="ignore")

    school: str = Field(default="", max_length=120)
    goal: str = Field(default="", max_length=200)
    review_date: str = Field(default="", max_length=20)
    rows: list[PlanRow] = Field(default_factory=list)
    # Saved rows or fields that no longer validate (an old or hand-edited record): left out when
    # the plan is read back, and counted so the page can say so instead of losing them quietly.
    unreadable: int = Field(default=0, ge=0, exclude=True)

    @field_validator("school", "goal", mode="before")
    @classmethod
    def _strip(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v

    @field_validator("review_date")
    @classmethod
    def _date(cls, v: str) -> str:
        return _iso_date(v)


def year_bounds(year: str) -> tuple[date, date]:
    """First and last day of a school year such as "2025-26" (1 August to 31 July)."""
    start = int(year[:4])
    return date(start, 8, 1), date(start + 1, 7, 31)


def review_problems(plan: Plan, year: str) -> list[str]:
    """Plain words for what is wrong with the plan's dates for ``year`` (empty when all is well).

    The mid-year review must fall inside the plan's school year, and an action cannot be due
    before the plan's year starts.
    """
    out = []
    first, last = year_bounds(year)
    if plan.review_date:
        d = date.fromisoformat(plan.review_date)
        if not first <= d <= last:
            out.append(
                f"The mid-year review date {plan.review_date} is outside the school year {year} "
                f"({first.isoformat()} to {last.isoformat()}): choose a date within it"
            )
    for k, r in enumerate(plan.rows, 1):
        if r.due and date.fromisoformat(r.due) < first:
            out.append(f"Action {k} is due before the school year {year} starts: check the date")
    return out


def row_from_proposal(p: Proposal) -> PlanRow:
    return PlanRow(
        item_id=p.item_id, action_id=p.action.id, action=p.action.title, measure=p.action.measure
    )


def missing_fields(rows: list[PlanRow], plan: Plan | None = None) -> list[str]:
    """Plain words for what is still missing before the plan is ready to share."""
    out = []
    if plan is not None and not plan.review_date:
        out.append("The plan has no mid-year review date")
    for k, r in enumerate(rows, 1):
        has_goal = r.goal or (plan is not None and plan.goal)
        gaps = [
            name
            for name, v in (
                ("school-improvement goal", has_goal),
                ("owner", r.owner),
                ("date", r.due),
                ("budget", r.budget),
                ("success measure", r.measure),
            )
            if not v
        ]
        if gaps:
            words = gaps[0] if len(gaps) == 1 else ", ".join(gaps[:-1]) + " or " + gaps[-1]
            out.append(f"Action {k} has no {words}")
    return out


CSV_COLUMNS = [
    "item",
    "action",
    "goal",
    "owner",
    "due",
    "budget",
    "success_measure",
    "notes",
    "midyear_status",
    "midyear_progress",
    "item_id",
    "action_id",
]


def plan_to_csv(rows: list[PlanRow], instrument: Instrument, plan: Plan | None = None) -> str:
    default_goal = plan.goal if plan is not None else ""
    return csv_text(
        CSV_COLUMNS,
        (
            [
                _item_text(instrument, r.item_id),
                r.action,
                r.goal or default_goal,
                r.owner,
                r.due,
                r.budget,
                r.measure,
                r.notes,
                STATUS_WORDS[r.progress_status] if r.progress_status else "",
                r.progress,
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
    plan: Plan | None = None,
) -> str:
    """A printable one-year action plan with its mid-year review table (print or save as PDF)."""
    from widgets.html import render

    plan = plan or Plan(school=school, rows=rows)
    return render(
        "printable/audit_plan.html",
        title="Family engagement action plan" + (f": {school}" if school else ""),
        year=year,
        prepared=f"{date.today():%d %B %Y}",
        review_date=plan.review_date,
        goal=plan.goal,
        rows=[dict(r.model_dump(), item_text=_item_text(instrument, r.item_id)) for r in rows],
        status_words=STATUS_WORDS,
        chart_uri=profile_png_uri if profile_png_uri.startswith("data:image/png;base64,") else "",
        chart_alt=profile_alt,
    )


def _parse_rows(raw: object) -> tuple[list[PlanRow], int]:
    rows = raw.get("rows", []) if isinstance(raw, dict) else raw
    out, bad = [], 0
    for r in rows if isinstance(rows, list) else []:
        try:
            out.append(PlanRow.model_validate(r))
        except Exception:  # noqa: BLE001 - an old or hand-edited row: left out and counted
            bad += 1
    return out, bad


def parse_plan(raw: object) -> list[PlanRow]:
    """Saved plan rows back into models, leaving out any that no longer validate."""
    return _parse_rows(raw)[0]


def parse_plan_record(raw: object) -> Plan:
    """A saved plan record back into a :class:`Plan`; rows and fields that no longer validate
    are left out and counted in ``Plan.unreadable`` (the page says so in amber)."""
    d = raw if isinstance(raw, dict) else {"rows": raw if isinstance(raw, list) else []}
    rows, bad = _parse_rows(d)
    fields = {}
    for k in ("school", "goal", "review_date"):
        try:
            fields[k] = Plan.model_validate({k: d.get(k) or ""}).model_dump()[k]
        except Exception:  # noqa: BLE001 - a hand-edited value: keep the rest of the plan
            fields[k] = ""
            bad += 1
    return Plan(rows=rows, unreadable=bad, **fields)

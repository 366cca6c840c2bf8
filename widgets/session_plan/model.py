"""A plan for a session led by parents, for staff or for other parents.

Parents who lead sessions deliver information rather than only receive it. A plan with timed
agenda blocks that add up to the slot (45 or 90 minutes) is what lets a first-time presenter finish
on time and lets the school book the room, the interpreter and the childcare. Options and starter
agendas come from ``datasets/pd/session_plan.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.html import render
from widgets.schema_base import Id, StrictModel

MAX_BLOCKS = 12
MAX_TEXT = 200
MAX_LONG = 2000


class Block(StrictModel):
    name: str = Field(min_length=1)
    minutes: int = Field(ge=1)
    lead: str = ""


class Starter(StrictModel):
    length: int
    blocks: list[Block] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> Starter:
        total = sum(b.minutes for b in self.blocks)
        if total != self.length:
            raise ValueError(
                f"the starter agenda for {self.length} minutes adds up to {total} minutes"
            )
        return self


class Room(StrictModel):
    id: Id
    label: str = Field(min_length=1)
    good_for: str = ""


class PlannerOptions(StrictModel):
    audiences: list[str] = Field(min_length=1)
    lengths: list[int] = Field(min_length=1)
    starters: list[Starter] = Field(min_length=1)
    rooms: list[Room] = Field(min_length=1)
    materials: list[str] = []

    @model_validator(mode="after")
    def _starter_per_length(self) -> PlannerOptions:
        for n in self.lengths:
            if not any(s.length == n for s in self.starters):
                raise ValueError(f"there is no starter agenda for {n} minutes")
        return self

    def starter(self, length: int) -> list[Block]:
        return next(s.blocks for s in self.starters if s.length == length)

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms if r.id == room_id), None)


@dataclass
class AgendaItem:
    name: str = ""
    minutes: int = 0
    lead: str = ""


@dataclass
class Plan:
    title: str = ""
    audience: str = ""
    length: int = 45
    blocks: list[AgendaItem] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    room: str = ""
    room_notes: str = ""
    presenters: str = ""

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "audience": self.audience,
            "length": self.length,
            "blocks": [{"name": b.name, "minutes": b.minutes, "lead": b.lead} for b in self.blocks],
            "materials": list(self.materials),
            "room": self.room,
            "room_notes": self.room_notes,
            "presenters": self.presenters,
        }


def _int(v: object) -> int:
    try:
        return max(0, min(600, int(v)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def parse_plan(raw: object, opts: PlannerOptions) -> Plan:
    """Saved JSON -> a plan; anything malformed falls back to a default rather than failing."""
    raw = raw if isinstance(raw, dict) else {}
    length = raw.get("length") if raw.get("length") in opts.lengths else opts.lengths[0]
    blocks_raw = raw.get("blocks") if isinstance(raw.get("blocks"), list) else None
    if blocks_raw is None:
        blocks = [AgendaItem(b.name, b.minutes, b.lead) for b in opts.starter(length)]
    else:
        blocks = [
            AgendaItem(
                str(b.get("name") or "")[:MAX_TEXT],
                _int(b.get("minutes")),
                str(b.get("lead") or "")[:MAX_TEXT],
            )
            for b in blocks_raw[:MAX_BLOCKS]
            if isinstance(b, dict)
        ]
    mats = raw.get("materials") if isinstance(raw.get("materials"), list) else []
    return Plan(
        title=str(raw.get("title") or "")[:MAX_TEXT],
        audience=raw.get("audience") if raw.get("audience") in opts.audiences else "",
        length=length,
        blocks=blocks,
        materials=[str(x)[:MAX_TEXT] for x in mats][:30],
        room=raw.get("room") if opts.room(str(raw.get("room") or "")) else "",
        room_notes=str(raw.get("room_notes") or "")[:MAX_LONG],
        presenters=str(raw.get("presenters") or "")[:MAX_TEXT],
    )


def total_minutes(plan: Plan) -> int:
    return sum(b.minutes for b in plan.blocks if b.name.strip() or b.minutes)


def timing_message(plan: Plan) -> tuple[bool, str]:
    """Whether the agenda fills the slot exactly, and what to change if it does not."""
    total = total_minutes(plan)
    gap = plan.length - total
    if gap == 0:
        return True, f"The agenda adds up to {plan.length} minutes."
    if gap > 0:
        return False, (
            f"The agenda adds up to {total} minutes, {gap} short of {plan.length}: "
            f"add {gap} minutes to a block or add a block."
        )
    return False, (
        f"The agenda adds up to {total} minutes, {-gap} over {plan.length}: "
        f"take {-gap} minutes off, or choose the longer session."
    )


def problems(plan: Plan, opts: PlannerOptions) -> list[str]:
    """Everything that must be fixed before the plan is printed, in plain words."""
    out: list[str] = []
    if not plan.title.strip():
        out.append("Give the session a title.")
    if plan.audience not in opts.audiences:
        out.append("Choose who the session is for.")
    if plan.length not in opts.lengths:
        out.append(f"Choose a session length: {' or '.join(map(str, opts.lengths))} minutes.")
    used = [b for b in plan.blocks if b.name.strip() or b.minutes]
    if len(used) < 2:
        out.append("Add at least two agenda blocks (a welcome and a close, at least).")
    if len(used) > MAX_BLOCKS:
        out.append(f"Keep the agenda to {MAX_BLOCKS} blocks or fewer.")
    for i, b in enumerate(used, 1):
        if not b.name.strip():
            out.append(f"Block {i} has minutes but no name.")
        if b.minutes <= 0:
            out.append(f"Block {i} ({b.name.strip()}) needs a number of minutes.")
    ok, msg = timing_message(plan)
    if not ok:
        out.append(msg)
    if not plan.room:
        out.append("Choose a room set-up.")
    return out


def schedule(plan: Plan) -> list[tuple[int, int, AgendaItem]]:
    """Each block with its start and end minute from the start of the session."""
    out, t = [], 0
    for b in plan.blocks:
        if not (b.name.strip() or b.minutes):
            continue
        out.append((t, t + b.minutes, b))
        t += b.minutes
    return out


def plan_html(plan: Plan, opts: PlannerOptions) -> str:
    """A printable plan for the presenters and the school (the template escapes typed words)."""
    return render(
        "printable/session_plan.html",
        plan=plan,
        room=opts.room(plan.room),
        schedule=schedule(plan),
        total=total_minutes(plan),
    )


def load_options() -> PlannerOptions:
    return load_yaml("pd/session_plan.yaml", PlannerOptions)

"""Volunteer readiness: per role, which screening and training steps are done, and is it ready?

Screening and training protect students and give volunteers confidence, so a role is only
"Ready" once every check its level of contact requires is done. The levels and checks live in
``datasets/pd/readiness.yaml`` so a school can match them to its own board's policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.exports import csv_text
from widgets.html import render
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced

STATES = ["To do", "In progress", "Done", "Not required"]
TODO, IN_PROGRESS, DONE, NOT_REQUIRED = STATES
MAX_ROLES = 40
MAX_TEXT = 120

READY, IN_HAND, NOT_STARTED = "Ready", "In progress", "Not started"


class Level(StrictModel):
    id: Id
    label: str = Field(min_length=1)
    explain: str = Field(min_length=1)


class Check(Sourced):
    """A safeguard before a volunteer starts: cites the seed that asks for it, or kit guidance."""

    id: Id
    label: str = Field(min_length=1)
    detail: str = ""
    required_for: list[str] = []


class ReadinessConfig(StrictModel):
    intro: str = ""
    levels: list[Level] = Field(min_length=1)
    checks: list[Check] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_levels(self) -> ReadinessConfig:
        levels = {lv.id for lv in self.levels}
        check_unique((c.id for c in self.checks), "check")
        for c in self.checks:
            for lv in c.required_for:
                if lv not in levels:
                    raise ValueError(
                        f"check {c.id!r} is required for {lv!r}, which is not a level; use "
                        f"one of {sorted(levels)}"
                    )
        return self

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def required(self, level_id: str) -> list[Check]:
        return [c for c in self.checks if level_id in c.required_for]


@dataclass
class RoleEntry:
    """One row of the tracker: a role (or a volunteer's initials) and the state of each check."""

    name: str
    level: str
    states: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "level": self.level,
            "states": dict(self.states),
            "note": self.note,
        }


@dataclass(frozen=True)
class Readiness:
    status: str  # READY, IN_HAND or NOT_STARTED
    done: int
    required: int
    missing: list[str]  # labels of required checks not yet done
    warnings: list[str]  # e.g. a required check marked "Not required"

    @property
    def ready(self) -> bool:
        return self.status == READY


def new_entry(name: str, level: str, cfg: ReadinessConfig) -> RoleEntry:
    """A fresh row; a blank name or an unknown level is refused in plain words."""
    name = (name or "").strip()[:MAX_TEXT]
    if not name:
        raise ValueError("Type the role (or the volunteer's initials) before adding it.")
    if level not in {lv.id for lv in cfg.levels}:
        raise ValueError("Choose how much contact the role has with students.")
    return RoleEntry(name, level, {c.id: TODO for c in cfg.checks})


def parse_entries(raw: object, cfg: ReadinessConfig) -> list[RoleEntry]:
    """Saved JSON -> rows, dropping anything malformed rather than failing the page."""
    out: list[RoleEntry] = []
    levels = {lv.id for lv in cfg.levels}
    for r in raw if isinstance(raw, list) else []:
        if not isinstance(r, dict) or r.get("level") not in levels:
            continue
        name = str(r.get("name") or "").strip()[:MAX_TEXT]
        if not name:
            continue
        st = r.get("states") if isinstance(r.get("states"), dict) else {}
        states = {c.id: (st.get(c.id) if st.get(c.id) in STATES else TODO) for c in cfg.checks}
        out.append(RoleEntry(name, r["level"], states, str(r.get("note") or "")[:MAX_TEXT]))
    return out[:MAX_ROLES]


def readiness(entry: RoleEntry, cfg: ReadinessConfig) -> Readiness:
    """Ready only when every required check is Done.

    "Not required" on a check the level requires does not count as done: it is a local decision
    the tracker cannot see, so it is flagged for a leader to confirm against board policy.
    """
    required = cfg.required(entry.level)
    done = [c for c in required if entry.states.get(c.id) == DONE]
    missing = [c.label for c in required if entry.states.get(c.id) != DONE]
    warnings = [
        f"{c.label} is usually required for this kind of role; check your board's policy "
        "before marking it not required."
        for c in required
        if entry.states.get(c.id) == NOT_REQUIRED
    ]
    started = any(entry.states.get(c.id) in (IN_PROGRESS, DONE) for c in required)
    if not missing:
        status = READY
    elif started:
        status = IN_HAND
    else:
        status = NOT_STARTED
    return Readiness(status, len(done), len(required), missing, warnings)


def summary(entries: list[RoleEntry], cfg: ReadinessConfig) -> dict[str, int]:
    counts = {READY: 0, IN_HAND: 0, NOT_STARTED: 0}
    for e in entries:
        counts[readiness(e, cfg).status] += 1
    return counts


def to_csv(entries: list[RoleEntry], cfg: ReadinessConfig) -> str:
    header = ["role", "contact", *[c.label for c in cfg.checks], "readiness", "still to do", "note"]
    rows = []
    for e in entries:
        r = readiness(e, cfg)
        rows.append(
            [
                e.name,
                cfg.level(e.level).label,
                *[e.states.get(c.id, TODO) for c in cfg.checks],
                r.status,
                "; ".join(r.missing),
                e.note,
            ]
        )
    return csv_text(header, rows)


def to_html(entries: list[RoleEntry], cfg: ReadinessConfig, when: date | None = None) -> str:
    """The tracker as a printable page (the template escapes every name and note)."""
    when = when or date.today()
    rows = []
    for e in entries:
        r = readiness(e, cfg)
        req = {c.id for c in cfg.required(e.level)}
        rows.append(
            {
                "name": e.name,
                "level": cfg.level(e.level).label,
                "note": e.note,
                "cells": [
                    {"required": c.id in req, "state": e.states.get(c.id, TODO)}
                    for c in cfg.checks
                ],
                "status": r.status,
                "status_class": r.status.lower().replace(" ", "-"),
            }
        )
    counts = summary(entries, cfg)
    return render(
        "printable/readiness.html",
        when=f"{when:%d %B %Y}",
        ready=counts[READY],
        in_hand=counts[IN_HAND],
        not_started=counts[NOT_STARTED],
        checks=cfg.checks,
        rows=rows,
    )


def load_config() -> ReadinessConfig:
    return load_yaml("pd/readiness.yaml", ReadinessConfig)

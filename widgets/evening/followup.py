"""A follow-up plan for each family the parents' evening did not reach.

For every family on the "not yet reached" list (:func:`widgets.evening.attendance.reach`) the
office records what it will do (a call, a home visit, another time), who will do it and by when,
and later that it is done. Plans are the office's own answers (module :data:`MODULE`, one item
per roster and family), saved through :mod:`widgets.saving`. The actions, their guidance and the
role-play that practises the follow-up call are data: ``datasets/evening/followup.yaml``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, ValidationError, field_validator

from widgets.datasets import load_yaml
from widgets.limits import MAX_FOLLOWUP_NOTE_CHARS
from widgets.schema_base import Id, StrictModel
from widgets.sources import Sourced
from widgets.ui import UserFacingError

MODULE = "evening-followup"


class FollowupAction(Sourced, StrictModel):
    id: Id
    label: str = Field(min_length=1, max_length=80)
    guidance: str = Field(min_length=1, max_length=300)


class RoleplayLink(StrictModel):
    notebook: str = Field(pattern=r"^[A-Za-z0-9_\-]+\.ipynb$")
    scenario: Id
    title: str = Field(min_length=1)
    why: str = Field(min_length=1)


class FollowupFile(StrictModel):
    roleplay: RoleplayLink
    actions: list[FollowupAction] = Field(min_length=1)

    @field_validator("actions")
    @classmethod
    def _unique(cls, v: list[FollowupAction]) -> list[FollowupAction]:
        ids = [a.id for a in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"the action id {dup[0]!r} appears twice; give each action its own id")
        return v


def followup_file() -> FollowupFile:
    return load_yaml("evening/followup.yaml", FollowupFile)


class FollowupPlan(StrictModel):
    """What the office will do about one family (the saved value)."""

    action: Id
    owner: str = Field(min_length=1, max_length=80)
    due: dt.date
    note: str = Field(default="", max_length=MAX_FOLLOWUP_NOTE_CHARS)
    done: bool = False

    @field_validator("owner", "note")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()


def plan_item(roster_id: int, family_id: str) -> str:
    return f"roster-{roster_id}/family-{family_id}"[:200]


def check_plan(raw: dict[str, Any], evening: dt.date) -> FollowupPlan:
    """A plan from the page's fields, or a plain message naming what to fix.

    The action must be one of the file's; someone must own it; the date may not be before the
    evening (a follow-up comes after it).
    """
    actions = {a.id: a for a in followup_file().actions}
    if raw.get("action") not in actions:
        raise UserFacingError("Choose what the school will do: " +
                              ", ".join(a.label for a in actions.values()) + ".")
    if not str(raw.get("owner") or "").strip():
        raise UserFacingError("Write who will do it (a name or a role, e.g. 'Head of Year 8').")
    if raw.get("due") is None:
        raise UserFacingError("Choose the date by when it will be done.")
    if len(str(raw.get("note") or "")) > MAX_FOLLOWUP_NOTE_CHARS:
        raise UserFacingError(
            f"The note is longer than {MAX_FOLLOWUP_NOTE_CHARS:,} characters; shorten it."
        )
    try:
        plan = FollowupPlan.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise UserFacingError(f"The plan's {where or 'fields'}: {first.get('msg', '')}") from None
    if plan.due < evening:
        raise UserFacingError(
            f"The date {plan.due.isoformat()} is before the evening ({evening.isoformat()}); "
            "choose a date after it."
        )
    return plan


def plan_from_saved(value: Any) -> FollowupPlan | None:
    """A saved plan, or None when nothing (or something no longer valid) is saved."""
    if not isinstance(value, dict):
        return None
    try:
        return FollowupPlan.model_validate(value)
    except ValidationError:
        return None


def roleplay_href(query: str = "") -> str:
    """The relative link to the follow-up role-play (carrying the visitor's link, if any)."""
    rp = followup_file().roleplay
    return rp.notebook + (f"?{query}" if query else "")

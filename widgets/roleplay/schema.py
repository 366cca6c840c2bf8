"""The scenario format a facilitator writes in YAML, validated with clear messages.

A scenario is a persona and a set of scenes. Each scene has what the parent says (or what happens)
and either choices for the participant or an ending. Choices carry feedback, the rubric behaviours
they show or break, and changes to the conversation's state (trust, clarity, partnership). A choice
may branch on the state ("trust >= 60") and may only be offered when a condition holds.
"""

from __future__ import annotations

import operator
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced

STATE_VARS = ("trust", "clarity", "partnership")
_COND = re.compile(r"^\s*(trust|clarity|partnership)\s*(>=|<=|>|<|==|!=)\s*(-?\d+)\s*$")
_OPS = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def check_condition(text: str) -> str:
    if not _COND.match(text or ""):
        raise ValueError(
            f"the condition {text!r} is not understood; write it like 'trust >= 60' using "
            "trust, clarity or partnership, one of >= <= > < == !=, and a whole number"
        )
    return text.strip()


def holds(condition: str | None, state: dict[str, int]) -> bool:
    if not condition:
        return True
    var, op, value = _COND.match(condition).groups()
    return _OPS[op](state.get(var, 0), int(value))


class Behaviour(Sourced):
    """An observable behaviour of the rubric: it cites the seed it rests on, or is kit guidance."""

    id: Id = Field(pattern=r"^[a-z0-9\-]+$")  # lowercase too
    name: str = Field(min_length=1)
    look_for: str = Field(min_length=1)


class Rubric(StrictModel):
    behaviours: list[Behaviour] = Field(min_length=1)


class Persona(StrictModel):
    name: str = Field(min_length=1)
    relationship: Literal[
        "parent", "step-parent", "grandparent", "carer", "foster parent", "guardian"
    ]
    child: str = Field(min_length=1)
    home_language: str = "English"
    interpreter_needed: bool = False
    context: str = Field(min_length=1)
    concerns: str = Field(min_length=1)
    past_school_experience: str = ""


class Branch(StrictModel):
    when: str
    goto: str = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _cond(cls, v: str) -> str:
        return check_condition(v)


class Choice(StrictModel):
    id: Id
    say: str = Field(min_length=1, description="what the participant says or does")
    feedback: str = Field(min_length=1)
    shows: list[str] = Field(default_factory=list)
    breaks: list[str] = Field(default_factory=list)
    effects: dict[str, int] = Field(default_factory=dict)
    next: str = Field(min_length=1)
    branches: list[Branch] = Field(default_factory=list)
    only_if: str | None = None

    @field_validator("effects")
    @classmethod
    def _known_vars(cls, v: dict[str, int]) -> dict[str, int]:
        bad = set(v) - set(STATE_VARS)
        if bad:
            raise ValueError(f"unknown state {sorted(bad)}; use trust, clarity or partnership")
        return v

    @field_validator("only_if")
    @classmethod
    def _cond(cls, v: str | None) -> str | None:
        return check_condition(v) if v is not None else None

    @model_validator(mode="after")
    def _judged(self) -> Choice:
        """Every choice is evidence: a choice naming no behaviour scores as "nothing missed".

        That is how a dismissive answer ("Don't worry, he's fine") once sat beside a perfect
        score, so the debrief could not disagree with the ending more plainly.
        """
        if not self.shows and not self.breaks:
            raise ValueError(
                f"choice {self.id!r} names no rubric behaviour; add the behaviours it shows "
                "(shows: [...]) or breaks (breaks: [...]), so the debrief can judge it. A "
                "dismissive or unhelpful choice breaks the behaviours it misses"
            )
        both = sorted(set(self.shows) & set(self.breaks))
        if both:
            raise ValueError(
                f"choice {self.id!r} both shows and breaks {both}; keep each behaviour in one list"
            )
        return self


class Ending(StrictModel):
    title: str = Field(min_length=1)
    outcome: Literal["good", "mixed", "poor"]


class Scene(StrictModel):
    id: Id
    text: str = Field(min_length=1, description="what the parent says, or what happens")
    reflect: str | None = Field(default=None, description="a 'what would you say?' prompt")
    choices: list[Choice] = Field(default_factory=list)
    ending: Ending | None = None

    @model_validator(mode="after")
    def _choices_or_ending(self) -> Scene:
        if self.ending is None and not self.choices:
            raise ValueError(f"scene {self.id!r} has neither choices nor an ending; add one")
        if self.ending is not None and self.choices:
            raise ValueError(f"scene {self.id!r} has both choices and an ending; keep one")
        return self


class Scenario(StrictModel):
    id: Id
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    setting: str = Field(min_length=1)
    persona: Persona
    start_state: dict[str, int] = Field(default_factory=lambda: {v: 50 for v in STATE_VARS})
    scenes: list[Scene] = Field(min_length=2)
    sources: str = ""

    @model_validator(mode="after")
    def _links(self) -> Scenario:
        ids = [s.id for s in self.scenes]
        check_unique(ids, "scene")
        known = set(ids)
        for s in self.scenes:
            for c in s.choices:
                for target in [c.next, *(b.goto for b in c.branches)]:
                    if target not in known:
                        raise ValueError(
                            f"scene {s.id!r}, choice {c.id!r} goes to {target!r}, which is not a "
                            f"scene id; use one of {sorted(known)}"
                        )
        for v in STATE_VARS:
            self.start_state.setdefault(v, 50)
        return self

    @property
    def start(self) -> str:
        return self.scenes[0].id

    def scene(self, scene_id: str) -> Scene:
        return next(s for s in self.scenes if s.id == scene_id)


def load_rubric() -> Rubric:
    return load_yaml("roleplay/rubric.yaml", Rubric)


def load_scenario(name: str) -> Scenario:
    return load_yaml(f"scenarios/{name}.yaml", Scenario)


def scenario_names() -> list[str]:
    from widgets.datasets import dataset_path

    return sorted(p.stem for p in dataset_path("scenarios").glob("*.yaml"))


def unknown_behaviours(scenario: Scenario, rubric: Rubric) -> list[str]:
    ids = {b.id for b in rubric.behaviours}
    return sorted(
        {b for s in scenario.scenes for c in s.choices for b in (*c.shows, *c.breaks)} - ids
    )

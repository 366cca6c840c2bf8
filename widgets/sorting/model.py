"""A sorting activity: statements to place in categories, with feedback on each placement.

The content is a YAML file in ``datasets/activities/`` so a facilitator can write new ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced


class SortItem(Sourced):
    """One statement to place; its feedback states a claim, so it cites a seed or is kit guidance."""

    id: Id
    text: str = Field(min_length=1)
    answer: str = Field(min_length=1, description="the category this belongs in")
    why: str = Field(min_length=1, description="feedback shown after checking")


class SortingActivity(StrictModel):
    title: str = Field(min_length=1)
    instructions: str = Field(min_length=1)
    categories: list[str] = Field(min_length=2)
    items: list[SortItem] = Field(min_length=1)
    source: str = ""

    @model_validator(mode="after")
    def _answers_are_categories(self) -> SortingActivity:
        for i, it in enumerate(self.items):
            if it.answer not in self.categories:
                raise ValueError(
                    f"item {i} ({it.id!r}) has answer {it.answer!r}, which is not one of the "
                    f"categories {self.categories}"
                )
        check_unique((it.id for it in self.items), "item")
        return self


@dataclass(frozen=True)
class ItemResult:
    item: SortItem
    chosen: str | None

    @property
    def correct(self) -> bool:
        return self.chosen == self.item.answer


@dataclass(frozen=True)
class SortResult:
    results: list[ItemResult]

    @property
    def score(self) -> int:
        return sum(r.correct for r in self.results)

    @property
    def answered(self) -> int:
        return sum(r.chosen is not None for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)


def check(activity: SortingActivity, choices: dict[str, str | None]) -> SortResult:
    """Mark each placement; unanswered items count as not yet correct."""
    return SortResult([ItemResult(it, choices.get(it.id)) for it in activity.items])


def load_activity(name: str) -> SortingActivity:
    return load_yaml(f"activities/{name}.yaml", SortingActivity)

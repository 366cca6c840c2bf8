"""The barrier audit instrument, its family version in several languages and the action library.

All three are YAML under ``datasets/audit/`` so a district can edit statements, translations and
mitigations without touching code; the models here catch a mistyped id (a parent item or an action
that points at no audit item) when the file is loaded, with the line to fix.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from widgets.datasets import DatasetError, Problem, load_yaml

ID = r"^[a-z0-9][a-z0-9\-]*$"
LANGUAGES = {"en": "English", "fr": "Français"}


class ScalePoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: int = Field(ge=1, le=10)
    label: str = Field(min_length=1)


def _check_scale(points: list[ScalePoint]) -> None:
    values = [p.value for p in points]
    if values != list(range(1, len(values) + 1)):
        raise ValueError("scale values must be 1, 2, 3, ... in order")


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)
    evidence: str = ""
    tags: list[str] = Field(default_factory=list)
    source: str = ""


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    intro: str = ""
    items: list[Item] = Field(min_length=1)


class Instrument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    scale: list[ScalePoint] = Field(min_length=2)
    dont_know: str = "Don't know"
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Instrument:
        _check_scale(self.scale)
        seen: set[str] = set()
        for d in self.dimensions:
            for it in d.items:
                if it.id in seen:
                    raise ValueError(f"the item id '{it.id}' is used twice")
                seen.add(it.id)
        return self

    @property
    def points(self) -> int:
        return len(self.scale)

    @property
    def items(self) -> list[Item]:
        return [it for d in self.dimensions for it in d.items]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def dimension_of(self, item_id: str) -> Dimension:
        for d in self.dimensions:
            if any(it.id == item_id for it in d.items):
                return d
        raise KeyError(item_id)

    def label(self, value: int) -> str:
        return self.scale[value - 1].label


class ParentItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)


class ParentVersion(BaseModel):
    """The family questionnaire in one language; ids match the staff instrument."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(min_length=2, max_length=5)
    title: str = Field(min_length=1)
    intro: str = ""
    scale: list[ScalePoint] = Field(min_length=2)
    dont_know: str = Field(min_length=1)
    items: list[ParentItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ParentVersion:
        _check_scale(self.scale)
        return self

    @property
    def points(self) -> int:
        return len(self.scale)


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    detail: str = ""
    tags: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    measure: str = ""
    source: str = ""


class ActionLibrary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[Action] = Field(min_length=1)


class Likert(BaseModel):
    """Answer words for reading survey exports: five agreement points plus don't-know words."""

    model_config = ConfigDict(extra="forbid")

    points: dict[int, list[str]]
    dont_know: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Likert:
        if sorted(self.points) != [1, 2, 3, 4, 5]:
            raise ValueError("points must list words for 1, 2, 3, 4 and 5")
        return self


def _unknown_ids(name: str, where: str, ids: list[str], known: set[str]) -> None:
    bad = [i for i in ids if i not in known]
    if bad:
        raise DatasetError(
            f"datasets/audit/{name}",
            [
                Problem(
                    where,
                    f"these ids are not items of instrument.yaml: {', '.join(sorted(set(bad)))}",
                    "use an item id from datasets/audit/instrument.yaml or fix the spelling",
                )
            ],
        )


def load_instrument() -> Instrument:
    return load_yaml("audit/instrument.yaml", Instrument)


@lru_cache(maxsize=8)
def _parent_checked(lang: str, _key: int) -> ParentVersion:
    pv = load_yaml(f"audit/parent_{lang}.yaml", ParentVersion)
    _unknown_ids(
        f"parent_{lang}.yaml",
        "items",
        [i.id for i in pv.items],
        {i.id for i in load_instrument().items},
    )
    return pv


def load_parent_version(lang: str = "en") -> ParentVersion:
    """The family questionnaire in ``lang`` (a language code listed in :data:`LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise DatasetError(
            f"datasets/audit/parent_{lang}.yaml",
            [Problem("the whole file", "this language is not offered", "choose en or fr")],
        )
    return _parent_checked(lang, id(load_instrument()))


def load_actions() -> ActionLibrary:
    lib = load_yaml("audit/actions.yaml", ActionLibrary)
    known = {i.id for i in load_instrument().items}
    _unknown_ids(
        "actions.yaml", "actions → items", [i for a in lib.actions for i in a.items], known
    )
    return lib


def load_likert() -> Likert:
    return load_yaml("audit/likert.yaml", Likert)


def comparable_items() -> list[str]:
    """Item ids asked of both staff and families (the ones a staff/parent gap is computed on)."""
    return [i.id for i in load_parent_version("en").items]

"""The barrier audit instrument, its family version in several languages and the action library.

All three are YAML under ``datasets/audit/`` so a district can edit statements, translations and
mitigations without touching code; the models here catch a mistyped id (a parent item or an action
that points at no audit item) when the file is loaded, with the line to fix.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pydantic import Field, model_validator

from widgets.datasets import DatasetError, Problem, load_yaml
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced, check_source_ids

LANGUAGES = {"en": "English", "fr": "Français"}


class ScalePoint(StrictModel):
    value: int = Field(ge=1, le=10)
    label: str = Field(min_length=1)


def _check_scale(points: list[ScalePoint]) -> None:
    values = [p.value for p in points]
    if values != list(range(1, len(values) + 1)):
        raise ValueError("scale values must be 1, 2, 3, ... in order")


#: The scale points the three look-fors describe ("Not in place" needs no description).
LOOK_FOR_VALUES = {"starting": 2, "mostly": 3, "fully": 4}


class LookFors(StrictModel):
    """What an item looks like in a school at three levels, so staff rate against a picture.

    Rubrics that schools trust describe each level rather than leaving "mostly" to taste; the keys
    are the scale points they describe (see :data:`LOOK_FOR_VALUES`).
    """

    starting: str = Field(min_length=10, max_length=300)
    mostly: str = Field(min_length=10, max_length=300)
    fully: str = Field(min_length=10, max_length=300)

    def by_value(self) -> dict[int, str]:
        return {v: getattr(self, k) for k, v in LOOK_FOR_VALUES.items()}


class Item(Sourced):  # Sourced is a StrictModel
    id: Id
    text: str = Field(min_length=1)
    evidence: str = ""
    tags: list[str] = Field(default_factory=list)
    looks_like: LookFors
    #: framework id -> the dimension ids of that framework this item speaks to
    frameworks: dict[Id, list[Id]] = Field(min_length=1)


class Dimension(StrictModel):
    id: Id
    title: str = Field(min_length=1)
    intro: str = ""
    items: list[Item] = Field(min_length=1)


class Instrument(StrictModel):
    title: str = Field(min_length=1)
    scale: list[ScalePoint] = Field(min_length=2)
    dont_know: str = "Don't know"
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Instrument:
        _check_scale(self.scale)
        if len(self.scale) != max(LOOK_FOR_VALUES.values()):
            raise ValueError(
                "the scale must have 4 points: the look-fors describe points 2, 3 and 4"
            )
        check_unique((it.id for d in self.dimensions for it in d.items), "item")
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


class ParentItem(StrictModel):
    id: Id
    text: str = Field(min_length=1)


class ParentVersion(StrictModel):
    """The family questionnaire in one language; ids match the staff instrument."""

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


class Action(Sourced):  # Sourced is a StrictModel
    id: Id
    title: str = Field(min_length=1)
    detail: str = ""
    tags: list[str] = Field(default_factory=list)
    items: list[Id] = Field(default_factory=list)
    measure: str = ""


class ActionLibrary(StrictModel):
    actions: list[Action] = Field(min_length=1)


def norm(text: object) -> str:
    """Lower case, no accents (nor Arabic short vowels), curly quotes straightened, single spaces.

    For matching only: a family's "TOUT À FAIT D’ACCORD " and the file's "tout a fait d'accord" are
    the same answer.
    """
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    s = s.replace("\u0640", "")  # Arabic tatweel (a stretching stroke, not a letter)
    return " ".join(s.lower().split())


class LikertLanguage(StrictModel):
    """The answer words of one language: five agreement points and don't-know words."""

    name: str = Field(min_length=1)
    points: dict[int, list[str]]
    dont_know: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> LikertLanguage:
        if sorted(self.points) != [1, 2, 3, 4, 5]:
            raise ValueError("points must list words for 1, 2, 3, 4 and 5")
        empty = [p for p, ws in self.points.items() if not [w for w in ws if norm(w)]]
        if empty:
            raise ValueError(f"point {empty[0]} has no words")
        return self


class Likert(StrictModel):
    """Answer words for reading survey exports, per language (see datasets/audit/likert.yaml)."""

    languages: dict[str, LikertLanguage] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Likert:
        # One word, one meaning across every language: "neutral" may be 3 in two languages, but a
        # word listed as 2 in one place and 4 in another would make the analysis guess.
        seen: dict[str, tuple[str, str]] = {}
        for code, lang in self.languages.items():
            meanings = [(w, str(p)) for p, ws in lang.points.items() for w in ws]
            meanings += [(w, "don't know") for w in lang.dont_know]
            for w, meaning in meanings:
                key = norm(w)
                if not key:
                    continue
                if key in seen and seen[key][0] != meaning:
                    raise ValueError(
                        f"the word '{w}' ({code}) means {meaning} here but {seen[key][0]} in "
                        f"{seen[key][1]}: keep it under one point only"
                    )
                seen.setdefault(key, (meaning, code))
        return self

    @property
    def points(self) -> dict[int, list[str]]:
        """Every language's words per point."""
        out: dict[int, list[str]] = {p: [] for p in range(1, 6)}
        for lang in self.languages.values():
            for p, ws in lang.points.items():
                out[p].extend(ws)
        return out

    @property
    def dont_know(self) -> list[str]:
        return [w for lang in self.languages.values() for w in lang.dont_know]

    @property
    def names(self) -> list[str]:
        return [lang.name for lang in self.languages.values()]


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


def _unknown_seeds(name: str, cited: list[tuple[str, Sourced]]) -> None:
    """A DatasetError naming every item or action that cites a seed id sources.yaml lacks."""
    problems = [
        Problem(
            f"{what} → sources",
            f"cites the unknown source id '{bad}'",
            "use an id listed in datasets/sources.yaml, or write kit_guidance: true",
        )
        for what, obj in cited
        for bad in check_source_ids(obj.sources)
    ]
    if problems:
        raise DatasetError(f"datasets/audit/{name}", problems)


def load_instrument() -> Instrument:
    inst = load_yaml("audit/instrument.yaml", Instrument)
    _unknown_seeds("instrument.yaml", [(f"item '{it.id}'", it) for it in inst.items])
    return inst


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
    _unknown_seeds("actions.yaml", [(f"action '{a.id}'", a) for a in lib.actions])
    return lib


def load_likert() -> Likert:
    return load_yaml("audit/likert.yaml", Likert)


def comparable_items() -> list[str]:
    """Item ids asked of both staff and families (the ones a staff/parent gap is computed on)."""
    return [i.id for i in load_parent_version("en").items]

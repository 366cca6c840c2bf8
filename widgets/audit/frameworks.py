"""The frameworks the audit's items are mapped to, and results read by framework dimension.

A school reports to its own system: in Australia by the Family-School Partnerships Framework, in a
US district by the National PTA standards. Each audit item names the dimensions it speaks to
(``frameworks:`` in ``datasets/audit/instrument.yaml``); the frameworks and their dimensions are in
``datasets/audit/frameworks.yaml``. The loader refuses a mapping with a gap (an item with no
dimension in some framework, or a dimension no item speaks to), naming the id to fix, so the view by
framework never silently leaves a dimension empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, model_validator

from widgets.audit.instrument import Instrument, load_instrument
from widgets.datasets import DatasetError, Problem, load_yaml
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced, check_source_ids

FILE = "datasets/audit/frameworks.yaml"


class FrameworkDimension(StrictModel):
    id: Id
    title: str = Field(min_length=1, max_length=120)


class Framework(Sourced):  # Sourced is a StrictModel
    id: Id
    title: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=40)
    intro: str = ""
    dimensions: list[FrameworkDimension] = Field(min_length=1)

    def title_of(self, dim_id: str) -> str:
        return next(d.title for d in self.dimensions if d.id == dim_id)


class Frameworks(StrictModel):
    frameworks: list[Framework] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Frameworks:
        check_unique((f.id for f in self.frameworks), "framework")
        for f in self.frameworks:
            check_unique((d.id for d in f.dimensions), "dimension", f"in framework {f.id!r}")
        return self

    def get(self, fw_id: str) -> Framework:
        for f in self.frameworks:
            if f.id == fw_id:
                return f
        raise KeyError(fw_id)


def mapping_problems(inst: Instrument, fws: Frameworks) -> list[Problem]:
    """Every gap or unknown id in the item-to-framework mapping (empty when it is complete)."""
    out: list[Problem] = []
    known = {f.id: {d.id for d in f.dimensions} for f in fws.frameworks}
    used: dict[str, set[str]] = {f: set() for f in known}
    for it in inst.items:
        for fw_id in it.frameworks:
            if fw_id not in known:
                out.append(
                    Problem(
                        f"instrument.yaml, item '{it.id}' → frameworks",
                        f"'{fw_id}' is not a framework of frameworks.yaml",
                        f"use one of: {', '.join(known)}",
                    )
                )
        for fw_id, dims in known.items():
            mine = it.frameworks.get(fw_id, [])
            if not mine:
                out.append(
                    Problem(
                        f"instrument.yaml, item '{it.id}' → frameworks",
                        f"no dimension of '{fw_id}' is given",
                        f"add `{fw_id}: [...]` with at least one of: {', '.join(sorted(dims))}",
                    )
                )
            for d in mine:
                if d in dims:
                    used[fw_id].add(d)
                else:
                    out.append(
                        Problem(
                            f"instrument.yaml, item '{it.id}' → frameworks → {fw_id}",
                            f"'{d}' is not a dimension of '{fw_id}'",
                            f"use one of: {', '.join(sorted(dims))}",
                        )
                    )
    for f in fws.frameworks:
        for d in f.dimensions:
            if d.id not in used[f.id]:
                out.append(
                    Problem(
                        f"frameworks.yaml, framework '{f.id}', dimension '{d.id}'",
                        "no audit item speaks to this dimension",
                        "map at least one item of instrument.yaml to it (under `frameworks:`)",
                    )
                )
    for f in fws.frameworks:
        for bad in check_source_ids(f.sources):
            out.append(
                Problem(
                    f"frameworks.yaml, framework '{f.id}' → sources",
                    f"cites the unknown source id '{bad}'",
                    "use an id listed in datasets/sources.yaml, or write kit_guidance: true",
                )
            )
    return out


def load_frameworks(inst: Instrument | None = None) -> Frameworks:
    """The frameworks, checked against the instrument's mapping (a gap is a DatasetError)."""
    fws = load_yaml("audit/frameworks.yaml", Frameworks)
    problems = mapping_problems(inst or load_instrument(), fws)
    if problems:
        raise DatasetError(FILE, problems)
    return fws


@dataclass(frozen=True)
class FrameworkRow:
    """One framework dimension's result: the mean of its items' scores, and what it rests on."""

    dimension_id: str
    title: str
    score: float | None  # mean of the rated items' 0-100 scores; None when none is rated
    rated: int  # items with a score
    items: tuple[str, ...]  # every item mapped to the dimension


def by_framework(
    item_scores: dict[str, float | None], inst: Instrument, fw: Framework
) -> list[FrameworkRow]:
    """Item scores (0-100, None for not rated) regrouped under the dimensions of ``fw``.

    An item mapped to two dimensions counts in both: the framework view is another way of reading
    the same ratings, not a second score.
    """
    rows = []
    for d in fw.dimensions:
        ids = tuple(it.id for it in inst.items if d.id in it.frameworks.get(fw.id, []))
        vals = [v for i in ids if (v := item_scores.get(i)) is not None]
        rows.append(
            FrameworkRow(d.id, d.title, sum(vals) / len(vals) if vals else None, len(vals), ids)
        )
    return rows

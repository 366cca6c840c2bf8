"""The kit's source documents, so every module names them the same way."""

from __future__ import annotations

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import Id, StrictModel


class Source(StrictModel):
    id: Id
    short: str = Field(min_length=1)
    citation: str = Field(min_length=1)


class Sources(StrictModel):
    sources: list[Source] = Field(min_length=1)


def load_sources() -> dict[str, Source]:
    return {s.id: s for s in load_yaml("sources.yaml", Sources).sources}


def sources_markdown(ids: list[str]) -> str:
    """A Markdown "Sources" list for the given source ids (unknown ids raise KeyError)."""
    found = load_sources()
    return "\n".join(f"- {found[i].citation}" for i in ids)


def show_sources(*ids: str):  # -> IPython Markdown display object
    """Display the Sources section in a notebook."""
    from IPython.display import Markdown

    return Markdown("### Sources\n\n" + sources_markdown(list(ids)))


class SourceRef(StrictModel):
    """Where in a seed document a claim comes from: the seed's id and the section or page."""

    seed: str = Field(min_length=1)
    section: str = Field(min_length=1, max_length=200)


class Sourced(StrictModel):
    """Mixin for a claim-bearing dataset item: it cites seed passages or is marked as the kit's own.

    Exactly one of the two must hold, so every claim is either traceable to a seed or honestly
    labelled as the kit's guidance. Seed ids are checked against sources.yaml by
    ``check_source_ids`` (tests run it over every dataset).
    """

    sources: list[SourceRef] = Field(default_factory=list)
    kit_guidance: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> Sourced:
        if bool(self.sources) == self.kit_guidance:
            raise ValueError(
                "give either `sources:` (a list of {seed, section}) or `kit_guidance: true`, "
                "exactly one of the two"
            )
        return self


def check_source_ids(refs: list[SourceRef]) -> list[str]:
    """The seed ids in ``refs`` that sources.yaml does not know (empty when all exist)."""
    known = load_sources()
    return [r.seed for r in refs if r.seed not in known]

"""The kit's source documents, so every module names them the same way."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from widgets.datasets import load_yaml


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    short: str = Field(min_length=1)
    citation: str = Field(min_length=1)


class Sources(BaseModel):
    model_config = ConfigDict(extra="forbid")

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

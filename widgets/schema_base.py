"""The one base for every dataset schema, so strictness and id rules live in one place.

Facilitators edit the YAML files by hand; a misspelt key must be an error that names the key
rather than a field silently ignored, and ids appear in links, database rows and file names, so
they are limited to letters, digits, ``-`` and ``_``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: An id written in a dataset file (item, scenario, module, action...).
Id = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_\-]+$")]


class StrictModel(BaseModel):
    """Base of every dataset schema: unknown keys are errors (a typo must not vanish)."""

    model_config = ConfigDict(extra="forbid")


def check_unique(ids: Iterable[str], what: str, where: str = "") -> None:
    """Raise the kit's one message for an id used twice among ``what`` (e.g. "item").

    Ids key saved answers and links, so a repeat would make two entries share one answer;
    every schema reports it the same way, with the fix.
    """
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            place = f" {where}" if where else ""
            raise ValueError(
                f"the {what} id {i!r} is used twice{place}; give each {what} its own id"
            )
        seen.add(i)

"""The kit's catalogue of modules and apps (``datasets/catalogue.yaml``).

The landing page lists only entries whose notebook exists, so the catalogue can name work that is
planned without showing a teacher a dead link.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from widgets.datasets import DATASETS_DIR, load_yaml
from widgets.schema_base import Id, StrictModel

MODULES_DIR = DATASETS_DIR.parent / "modules"


class Entry(StrictModel):
    notebook: str = Field(min_length=1, pattern=r"^[\w\-]+\.ipynb$")
    id: Id = Field(pattern=r"^[a-z0-9\-]+$")  # lowercase too
    title: str = Field(min_length=1)
    kind: Literal["module", "family", "app", "facilitator"]
    blurb: str = Field(min_length=1)
    minutes: int | None = Field(default=None, ge=1)
    icon: str = "📘"
    audience: str = ""
    # The prose under a module's heading after its minutes ("for every member of staff · ...").
    who: str = ""
    # What a participant will be able to do after the module; the PD record prints them.
    objectives: list[str] = Field(default_factory=list)


class Catalogue(StrictModel):
    entries: list[Entry] = Field(min_length=1)


SECTIONS = {
    "module": "Professional learning modules",
    "family": "Sessions for families (often led by a parent)",
    "app": "Planning tools for school teams",
    "facilitator": "For facilitators",
}


#: Kinds whose pages are learning that counts on a completion record and can be run in a workshop.
LEARNING_KINDS = ("module", "family")


def load_catalogue() -> Catalogue:
    return load_yaml("catalogue.yaml", Catalogue)


def available(catalogue: Catalogue, modules_dir: Path = MODULES_DIR) -> list[Entry]:
    """Entries whose notebook is present, in catalogue order."""
    return [e for e in catalogue.entries if (modules_dir / e.notebook).is_file()]


def by_section(entries: list[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {k: [] for k in SECTIONS}
    for e in entries:
        out[e.kind].append(e)
    return {k: v for k, v in out.items() if v}

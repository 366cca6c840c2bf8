"""The family strand: short sessions for parents, in the kit's parent languages.

The seeds ask schools to build families' skills as well as staff's, and parents often lead these
sessions for other parents. A session's words are data (``datasets/family/<id>.yaml``), one block
per language, so a parent leader or a school can correct a translation without touching Python;
every language must have the same sections and choices as English, or the file is refused with
the place and the fix. The language names, reading direction and "checked by a speaker" rule are
the letters' (``datasets/evening/letters.yaml``): one list of languages for the whole kit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from widgets.datasets import DatasetError, Problem, dataset_path, load_yaml
from widgets.limits import MAX_TEXT_CHARS
from widgets.schema_base import Id, StrictModel
from widgets.sources import Sourced

FOLDER = "family"
ITEM_PREFIX = "family:"
#: The reading grade every English text of a family session must stay at or under (the kit's own
#: readability checker, widgets.messages.readability; Flesch-Kincaid grade).
MAX_GRADE = 6.0


class Section(StrictModel):
    heading: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=900)


class Translation(StrictModel):
    """One language's words for a session. ``checked_by_speaker`` stays false until a speaker of
    the language has read it; while false the page says so under the text."""

    checked_by_speaker: bool
    title: str = Field(min_length=1, max_length=100)
    intro: str = Field(min_length=1, max_length=600)
    sections: list[Section] = Field(min_length=1, max_length=8)
    pick_prompt: str = Field(min_length=1, max_length=200)
    options: dict[Id, str] = Field(min_length=2, max_length=12)
    own_prompt: str = Field(min_length=1, max_length=200)
    card_title: str = Field(min_length=1, max_length=100)
    download: str = Field(min_length=1, max_length=60)
    saved: str = Field(min_length=1, max_length=60)
    not_checked: str = Field(min_length=1, max_length=200)


class FamilySession(Sourced, StrictModel):
    id: Id
    minutes: int = Field(ge=5, le=90)
    languages: dict[str, Translation]

    @model_validator(mode="after")
    def _same_shape(self) -> FamilySession:
        if "en" not in self.languages:
            raise ValueError("add an `en:` block: English is the version the others follow")
        en = self.languages["en"]
        known = known_languages()
        for code, tr in self.languages.items():
            if code not in known:
                raise ValueError(
                    f"language `{code}` is not one of the kit's languages ({', '.join(known)}); "
                    "add it to datasets/evening/letters.yaml first or fix the code"
                )
            if len(tr.sections) != len(en.sections):
                raise ValueError(
                    f"`{code}` has {len(tr.sections)} sections and English has "
                    f"{len(en.sections)}; give every language the same sections in the same order"
                )
            if set(tr.options) != set(en.options):
                missing = sorted(set(en.options) - set(tr.options))
                extra = sorted(set(tr.options) - set(en.options))
                raise ValueError(
                    f"`{code}` options differ from English (missing: {missing or 'none'}, "
                    f"not in English: {extra or 'none'}); use the same option ids in every language"
                )
        return self


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, so a parent finds their own
    english_name: str
    dir: str


def known_languages() -> dict[str, Language]:
    """The kit's parent languages, in the letters' order (one list for the whole kit)."""
    from widgets.evening.letters import letter_file

    return {
        code: Language(code, lang.name, lang.english_name, lang.dir)
        for code, lang in letter_file().languages.items()
    }


def session_ids() -> list[str]:
    return sorted(p.stem for p in dataset_path(FOLDER).glob("*.yaml"))


def load_session(session_id: str) -> FamilySession:
    """The session whose file is ``datasets/family/<session_id>.yaml``; its ``id`` must match the
    file name, because answers are saved under the id and the notebook names the file."""
    session = load_yaml(Path(FOLDER) / f"{session_id}.yaml", FamilySession)
    if session.id != session_id:
        raise DatasetError(
            f"datasets/{FOLDER}/{session_id}.yaml",
            [Problem("id", f"it says `{session.id}`", f"make it `{session_id}`, the file's name")],
        )
    return session


def item_for(session_id: str) -> str:
    return f"{ITEM_PREFIX}{session_id}"


def translation(session: FamilySession, code: str) -> tuple[str, Translation]:
    """The block for ``code``, or English when the session has no such language yet."""
    if code in session.languages:
        return code, session.languages[code]
    return "en", session.languages["en"]


@dataclass(frozen=True)
class Answer:
    picks: tuple[str, ...]
    own: str

    def as_value(self) -> dict:
        return {"picks": list(self.picks), "own": self.own}


def clean_answer(picks: list[str] | tuple[str, ...], own: str, session: FamilySession) -> Answer:
    """Only the session's own option ids, in the session's order; own words trimmed and bounded."""
    order = list(session.languages["en"].options)
    chosen = {p for p in picks if p in order}
    return Answer(tuple(p for p in order if p in chosen), own[:MAX_TEXT_CHARS].strip())


def parse_answer(raw: object, session: FamilySession) -> Answer:
    """A saved value back into an answer; anything unreadable counts as nothing chosen."""
    if not isinstance(raw, dict):
        return Answer((), "")
    picks = raw.get("picks") if isinstance(raw.get("picks"), list) else []
    own = raw.get("own") if isinstance(raw.get("own"), str) else ""
    return clean_answer([p for p in picks if isinstance(p, str)], own, session)


def english_text(session: FamilySession) -> str:
    """All the English words a family reads, for the reading-grade check."""
    en = session.languages["en"]
    parts = [en.title + ".", en.intro]
    for s in en.sections:
        parts += [s.heading + ".", s.text]
    parts += [en.pick_prompt, *en.options.values(), en.own_prompt]
    return "\n\n".join(parts)

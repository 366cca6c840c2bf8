"""The words a family reads on the request page, and the letters' words for modes and households.

Data in ``datasets/evening/family_page.yaml``, one block per language with the same codes as the
letters (``datasets/evening/letters.yaml``), which also give each language its locale and writing
direction. A block is ``checked_by_speaker: false`` until a speaker has read it. Pure functions.
"""

from __future__ import annotations

import re

from pydantic import model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import StrictModel

PLACEHOLDERS = frozenset({"school", "date", "closes", "phone", "link", "teachers", "time"})
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")


class FamilyText(StrictModel):
    """One language's request page and letter words (every field must be filled)."""

    checked_by_speaker: bool
    page_title: str
    intro: str
    closed: str
    bad_link: str
    children: str
    teachers_q: str
    times_q: str
    mode_q: str
    mode_in_person: str
    mode_phone: str
    mode_video: str
    phone_label: str
    interpreter_q: str
    interp_none: str
    interp_language: str
    interp_signer: str
    access_q: str
    joint_q: str
    joint_yes: str
    joint_no: str
    submit: str
    saved: str
    not_saved: str
    need_teacher: str
    need_time: str
    letter_phone: str
    letter_phone_no_number: str
    letter_video: str
    letter_video_no_link: str
    letter_joint: str
    letter_other: str
    invite: str

    @model_validator(mode="after")
    def _check(self) -> FamilyText:
        for name, value in self:
            if not isinstance(value, str):
                continue
            if not value.strip():
                raise ValueError(f"{name} is empty; write the text for it")
            bad = set(_PLACEHOLDER_RE.findall(value)) - PLACEHOLDERS
            if bad:
                raise ValueError(
                    f"{name} uses {', '.join('{' + b + '}' for b in sorted(bad))}, which the "
                    f"kit does not fill; use only {', '.join(sorted(PLACEHOLDERS))}"
                )
        return self

    def mode_label(self, mode: str) -> str:
        return {"in_person": self.mode_in_person, "phone": self.mode_phone,
                "video": self.mode_video}[mode]


class FamilyTextFile(StrictModel):
    languages: dict[str, FamilyText]

    @model_validator(mode="after")
    def _check(self) -> FamilyTextFile:
        from widgets.evening.letters import letter_templates

        if "en" not in self.languages:
            raise ValueError("languages needs an 'en' block: it is the text of last resort")
        letters = letter_templates()
        extra = sorted(set(self.languages) - set(letters))
        if extra:
            raise ValueError(
                f"{', '.join(extra)} has no letter in evening/letters.yaml; add the letter first"
            )
        return self


def family_texts() -> dict[str, FamilyText]:
    return load_yaml("evening/family_page.yaml", FamilyTextFile).languages


def text_for(code: str) -> tuple[str, FamilyText]:
    """(the code used, its text): the language asked for, else English."""
    texts = family_texts()
    return (code, texts[code]) if code in texts else ("en", texts["en"])


def direction(code: str) -> str:
    """'rtl' or 'ltr', from the letter of the same language."""
    from widgets.evening.letters import letter_templates

    tpl = letter_templates().get(code)
    return tpl.dir if tpl else "ltr"


def fill_text(text: str, values: dict[str, str], escape: bool = True) -> str:
    """The text with its placeholders filled in one pass (escaped for HTML unless told not to)."""
    from widgets.evening.letters import fill

    return fill(text, values, escape)


def unchecked_languages() -> list[str]:
    """English names of the request page languages no speaker has checked yet."""
    from widgets.evening.letters import letter_templates

    letters = letter_templates()
    return sorted(letters[c].english_name for c, t in family_texts().items()
                  if not t.checked_by_speaker)

"""Plain-language checks for readers who find reading hard (issue 16: low literacy).

Many parents read with difficulty, and few say so. The message checker's usual limits suit an
average adult reader; with this option on it also marks sentences over a stricter limit, short
forms a reader must decode (capitals are the tone check's), dates written only in numbers, and a message with no
spoken way to ask, and it lists the plain-language tips from ``datasets/messages/low_literacy.yaml``
(tips cite the seed they come from, or are marked as the kit's guidance).

Every pattern here runs in time proportional to the text: word-bounded alternations of fixed
words, and runs that may begin only where a run starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field

from widgets.datasets import load_yaml
from widgets.messages.readability import prose_words, sentence_spans, word_syllables, words
from widgets.schema_base import Id, StrictModel
from widgets.sources import Sourced

KIND = "plain-language"


class Tip(Sourced):
    """Advice shown with the stricter check; it states a claim, so it cites a seed or says kit."""

    id: Id
    text: str = Field(min_length=1, max_length=400)


class LowLiteracyRules(StrictModel):
    """``datasets/messages/low_literacy.yaml``: the stricter limits and the tips."""

    max_sentence_words: int = Field(ge=5, le=25)
    max_long_word_share: float = Field(gt=0, lt=1)
    abbreviations: list[str] = Field(default_factory=list)
    sample: str = Field(default="", max_length=3000)
    tips: list[Tip] = Field(min_length=1)


def load_rules() -> LowLiteracyRules:
    return load_yaml("messages/low_literacy.yaml", LowLiteracyRules)


def sample_letter() -> str:
    """A hard-to-read letter home to try the stricter check on (module 2's activity)."""
    return load_rules().sample


@dataclass(frozen=True)
class Mark:
    """A span of the message to look at again, with why and what to try."""

    start: int
    end: int
    text: str
    message: str
    suggestion: str


@dataclass(frozen=True)
class PlainLanguage:
    """What the stricter check found: marks in the text, notes on the whole, and the tips."""

    marks: list[Mark]
    notes: list[str]
    tips: list[Tip]
    long_word_share: float


# Numeric dates such as 04/03, 4-3-2025, 2025-03-04: ambiguous and hard to read aloud.
_NUM_DATE_RE = re.compile(r"(?<![\d/.-])\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?(?![\d/.-])")
_VOICE_RE = re.compile(
    r"\b(?:call|phone|ring|talk|speak|visit|come and see|voice)\b|(?<![\d+])\+?\d[\d\s().-]{6,}\d",
    re.IGNORECASE,
)


def _abbrev_re(abbreviations: list[str]) -> re.Pattern[str] | None:
    if not abbreviations:
        return None
    alts = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)


def check_plain_language(
    text: str, rules: LowLiteracyRules | None = None, *, usual_limit: int = 25
) -> PlainLanguage:
    """Marks and notes for a reader who finds reading hard.

    Sentences already over the checker's usual limit (``usual_limit``) are not marked again.
    """
    rules = rules or load_rules()
    marks: list[Mark] = []
    for start, end in sentence_spans(text):
        s = text[start:end].rstrip()
        n = len(prose_words(s))
        if rules.max_sentence_words < n <= usual_limit:
            marks.append(
                Mark(
                    start,
                    start + len(s),
                    s,
                    f"{n} words is long for a reader who finds reading hard.",
                    f"aim for {rules.max_sentence_words} words or fewer",
                )
            )
    abbrev = _abbrev_re(rules.abbreviations)
    if abbrev:
        for m in abbrev.finditer(text):
            marks.append(
                Mark(m.start(), m.end(), m.group(), "A short form must be decoded.", "write it out")
            )
    for m in _NUM_DATE_RE.finditer(text):
        marks.append(
            Mark(
                m.start(),
                m.end(),
                m.group(),
                "A date in numbers is easy to misread (is 04/03 April or March?).",
                "write the day and month in words, e.g. Tuesday 4 March",
            )
        )
    ws = words(text)
    long_share = sum(word_syllables(w) >= 3 for w in ws) / len(ws) if ws else 0.0
    notes: list[str] = []
    if long_share > rules.max_long_word_share:
        notes.append(
            f"{long_share:.0%} of the words have three or more syllables (aim for under "
            f"{rules.max_long_word_share:.0%}): swap some for shorter everyday words."
        )
    if ws and not _VOICE_RE.search(text):
        notes.append(
            "There is no way to ask by voice: add a phone number or say you will call, "
            "so a parent who does not read easily can still ask."
        )
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    dense = sum(len(sentence_spans(p)) > 3 for p in paragraphs)
    if dense:
        notes.append(
            f"{dense} paragraph{'s have' if dense > 1 else ' has'} more than three sentences: "
            "break it up, or use a short list."
        )
    marks.sort(key=lambda k: (k.start, -k.end))
    return PlainLanguage(marks, notes, list(rules.tips), long_share)

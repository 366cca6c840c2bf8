"""The message checker: what in a letter, email or text home may lose or put off a parent.

Every check is a plain rule a teacher can understand and argue with: a curated glossary of
education jargon with plain alternatives (``datasets/messages/glossary.csv``), reading grade,
long sentences, passive voice, shouting, length for the channel, and whether the message says
what, when, where and who to contact. The glossary and channel limits are data a facilitator edits.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from widgets.datasets import DatasetError, load_csv, load_yaml
from widgets.messages.readability import Readability, readability, sentences, words

Kind = Literal["jargon", "long-sentence", "passive", "tone"]
Essential = Literal["what", "when", "where", "contact"]

LONG_SENTENCE_WORDS = 25


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    term: str = Field(min_length=1)
    plain: str = Field(min_length=1)
    note: str = ""


class Channel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    max_words: int = Field(ge=1)
    max_chars: int | None = Field(default=None, ge=1)
    needs: list[Essential] = Field(default_factory=list)


class Channels(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[Channel] = Field(min_length=1)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""


@dataclass
class Report:
    text: str
    channel: Channel
    stats: Readability
    findings: list[Finding] = field(default_factory=list)
    essentials: dict[str, bool] = field(default_factory=dict)
    length_problem: str = ""

    def of(self, kind: Kind) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def missing(self) -> list[str]:
        return [k for k, ok in self.essentials.items() if not ok]


@lru_cache(maxsize=4)
def _glossary_cached(mtime_key: str) -> tuple[GlossaryTerm, ...]:
    res = load_csv("messages/glossary.csv", GlossaryTerm)
    if res.problems:
        raise DatasetError("datasets/messages/glossary.csv", res.problems)
    return tuple(res.rows)


def load_glossary() -> list[GlossaryTerm]:
    from widgets.datasets import dataset_path

    p = dataset_path("messages/glossary.csv")
    return list(_glossary_cached(f"{p}:{p.stat().st_mtime}"))


def load_channels() -> dict[str, Channel]:
    return {c.id: c for c in load_yaml("messages/channels.yaml", Channels).channels}


def _term_pattern(term: str) -> re.Pattern:
    body = r"\s+".join(re.escape(part) for part in term.split())
    if term[-1].isalpha() and not term.isupper():
        body += "s?"  # "running records" as well as "running record"
    flags = 0 if (term.isupper() and len(term) <= 5) else re.IGNORECASE  # "EA" but not "ea"
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


@lru_cache(maxsize=4)
def _compiled(terms: tuple[GlossaryTerm, ...]) -> list[tuple[re.Pattern, GlossaryTerm]]:
    # Longer terms first so "formative assessment" wins over "assessment".
    ordered = sorted(terms, key=lambda t: -len(t.term))
    return [(_term_pattern(t.term), t) for t in ordered]


def find_jargon(text: str, glossary: list[GlossaryTerm]) -> list[Finding]:
    out: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for pat, t in _compiled(tuple(glossary)):
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            note = f" ({t.note})" if t.note else ""
            out.append(
                Finding(
                    "jargon",
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"“{m.group(0)}” is education jargon{note}.",
                    t.plain,
                )
            )
    return sorted(out, key=lambda f: f.start)


_BE = r"(?:am|is|are|was|were|be|been|being)"
_IRREGULAR = (
    "known|given|taken|shown|seen|done|made|sent|held|told|written|chosen|found|kept|paid|set|put|"
    "brought|taught|expected|required|asked|invited|advised|reminded|informed|noted"
)
PASSIVE_RE = re.compile(rf"\b{_BE}\s+(?:\w+ly\s+)?(?:\w+ed|{_IRREGULAR})\b", re.IGNORECASE)
SHOUT_RE = re.compile(r"\b[A-Z]{3,}\b")
EXCLAIM_RE = re.compile(r"!{2,}")
STERN_RE = re.compile(
    r"\b(?:failure to|must ensure|it is mandatory|unacceptable|non-compliance|will result in|"
    r"immediately)\b",
    re.IGNORECASE,
)


def find_passive(text: str) -> list[Finding]:
    return [
        Finding(
            "passive",
            m.start(),
            m.end(),
            m.group(0),
            "Passive voice hides who does what.",
            "say who does it: “we will send…”, “your child's teacher will…”",
        )
        for m in PASSIVE_RE.finditer(text)
    ]


def find_tone(text: str, glossary: list[GlossaryTerm]) -> list[Finding]:
    acronyms = {t.term for t in glossary if t.term.isupper()}
    out = [
        Finding(
            "tone",
            m.start(),
            m.end(),
            m.group(0),
            "Capitals read as shouting.",
            "write it in lower case",
        )
        for m in SHOUT_RE.finditer(text)
        if m.group(0) not in acronyms
    ]
    out += [
        Finding(
            "tone",
            m.start(),
            m.end(),
            m.group(0),
            "Several exclamation marks can sound alarmed.",
            "use one, or none",
        )
        for m in EXCLAIM_RE.finditer(text)
    ]
    out += [
        Finding(
            "tone",
            m.start(),
            m.end(),
            m.group(0),
            "This phrase can sound like a warning rather than an invitation.",
            "say what you hope for and how you will help",
        )
        for m in STERN_RE.finditer(text)
    ]
    return out


def find_long_sentences(text: str) -> list[Finding]:
    out = []
    pos = 0
    for s in sentences(text):
        start = text.find(s, pos)
        start = start if start >= 0 else pos
        pos = start + len(s)
        n = len(words(s))
        if n > LONG_SENTENCE_WORDS:
            out.append(
                Finding(
                    "long-sentence",
                    start,
                    start + len(s),
                    s,
                    f"This sentence has {n} words.",
                    f"split it: aim for under {LONG_SENTENCE_WORDS} words, one idea per sentence",
                )
            )
    return out


_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
WHEN_RE = re.compile(
    rf"\b(?:{_DAYS}|{_MONTHS}|today|tomorrow|tonight|next week|this week|"
    r"\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b",
    re.IGNORECASE,
)
WHERE_RE = re.compile(
    r"\b(?:room|hall|gym|gymnasium|library|classroom|office|cafeteria|auditorium|playground|"
    r"entrance|door|online|zoom|teams|video call|by phone|at school|at the school|address|"
    r"street|avenue|road|centre|center)\b",
    re.IGNORECASE,
)
CONTACT_RE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d\s().-]{6,}\d|\b(?:call|phone|contact|email|e-mail|text|"
    r"reach me|get in touch|let me know|ask for)\b",
    re.IGNORECASE,
)
WHAT_RE = re.compile(
    r"\b(?:invite|invitation|meeting|meet|event|evening|remind|reminder|update|news|trip|report|"
    r"conference|interview|workshop|celebrat\w*|request|share|welcome|information|concert|"
    r"assembly|open house|visit|progress|homework|permission|form|review\w*|discuss\w*|plan|"
    r"learning|learn|night|good news|call\w*)\b",
    re.IGNORECASE,
)


def essentials(text: str) -> dict[str, bool]:
    """Does the message say what it is about, when, where, and who to contact?"""
    opening = " ".join(sentences(text)[:3])
    return {
        "what": bool(WHAT_RE.search(opening)),
        "when": bool(WHEN_RE.search(text)),
        "where": bool(WHERE_RE.search(text)),
        "contact": bool(CONTACT_RE.search(text)),
    }


ESSENTIAL_LABELS = {
    "what": "What it is about (in the first sentences)",
    "when": "When (a day, date or time)",
    "where": "Where (a room, place, or online/phone)",
    "contact": "Who to contact and how",
}


def length_problem(text: str, stats: Readability, channel: Channel) -> str:
    if channel.max_chars and len(text) > channel.max_chars:
        return (
            f"{len(text)} characters is long for a {channel.name.lower()} "
            f"(aim for {channel.max_chars} or fewer)."
        )
    if stats.words > channel.max_words:
        return (
            f"{stats.words} words is long for a {channel.name.lower()} "
            f"(aim for {channel.max_words} or fewer)."
        )
    return ""


def check_message(
    text: str,
    channel: Channel,
    glossary: list[GlossaryTerm] | None = None,
    needs: list[str] | None = None,
) -> Report:
    """Run every check on ``text`` for the given channel (``needs`` overrides the channel's)."""
    glossary = load_glossary() if glossary is None else glossary
    stats = readability(text)
    findings = (
        find_jargon(text, glossary)
        + find_long_sentences(text)
        + find_passive(text)
        + find_tone(text, glossary)
    )
    found = essentials(text)
    report = Report(
        text=text,
        channel=channel,
        stats=stats,
        findings=sorted(findings, key=lambda f: (f.start, f.kind)),
        essentials={k: found[k] for k in (channel.needs if needs is None else needs)},
        length_problem=length_problem(text, stats, channel),
    )
    return report


def suggested_rewrite(text: str, glossary: list[GlossaryTerm] | None = None) -> str:
    """The text with every jargon term swapped for its plain alternative (a starting point)."""
    glossary = load_glossary() if glossary is None else glossary
    out, last = [], 0
    for f in find_jargon(text, glossary):
        out += [text[last : f.start], f.suggestion]
        last = f.end
    out.append(text[last:])
    return "".join(out)


_MARK_STYLE = {
    "jargon": "background:#fff0b3",
    "long-sentence": "background:#e3ecfa",
    "passive": "background:#eadcf8",
    "tone": "background:#fbd9d6",
}


def highlighted_html(text: str, findings: list[Finding]) -> str:
    """The message as HTML with findings marked; every piece of the user's text is escaped."""
    spans = sorted(
        (f for f in findings if f.kind != "long-sentence"), key=lambda f: (f.start, -f.end)
    )
    longs = [f for f in findings if f.kind == "long-sentence"]
    out, last = [], 0
    for f in spans:
        if f.start < last:
            continue  # overlapping marks: keep the first
        out.append(html.escape(text[last : f.start]))
        tip = f.message + (f" Try: {f.suggestion}" if f.suggestion else "")
        out.append(
            f'<mark class="pap-{f.kind}" title="{html.escape(tip, quote=True)}" '
            f'style="{_MARK_STYLE[f.kind]};padding:0 2px;border-radius:3px">'
            f"{html.escape(text[f.start : f.end])}</mark>"
        )
        last = f.end
    out.append(html.escape(text[last:]))
    body = "".join(out)
    if longs:
        body += "".join(
            f"<div style='{_MARK_STYLE['long-sentence']};margin-top:6px;padding:4px 6px'>"
            f"<small>Long sentence: “{html.escape(f.text[:80])}{'…' if len(f.text) > 80 else ''}”"
            f"</small></div>"
            for f in longs
        )
    return body

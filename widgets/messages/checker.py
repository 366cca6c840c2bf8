"""The message checker: what in a letter, email or text home may lose or put off a parent.

Every check is a plain rule a teacher can understand and argue with: a curated glossary of
education jargon with plain alternatives (``datasets/messages/glossary.csv``), reading grade,
long sentences, passive voice, shouting, length for the channel, and whether the message says
what, when, where and who to contact. The glossary and channel limits are data a facilitator edits.

The checker reads at most :data:`widgets.limits.MAX_MESSAGE_CHARS` characters and says so
plainly past that. Every pattern in it runs in time proportional to the text, whatever is pasted:
no pattern has nested or overlapping repeats, and a repeat that could begin anywhere inside a long
run (the name part of an email address, the digits of a phone number) may only begin at the run's
start (a lookbehind), so the engine never rescans a run once per character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from widgets import limits
from widgets.datasets import DatasetError, load_csv, load_yaml
from widgets.messages.plain_language import PlainLanguage, check_plain_language
from widgets.messages.readability import (
    Readability,
    prose_words,
    readability,
    sentence_spans,
)
from widgets.schema_base import Id, StrictModel
from widgets.sources import Sourced

Kind = Literal["jargon", "long-sentence", "passive", "tone", "plain-language"]
Essential = Literal["what", "when", "where", "contact"]

LONG_SENTENCE_WORDS = 25


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    term: str = Field(min_length=1)
    plain: str = Field(min_length=1)
    note: str = ""

    @field_validator("term")
    @classmethod
    def _matchable(cls, v: str) -> str:
        if not all(c.isalnum() or c in " -" for c in v) or not any(c.isalnum() for c in v):
            raise ValueError(
                f"the term {v!r} may hold only letters, digits, spaces and hyphens (the checker "
                "matches whole words); write it without other punctuation"
            )
        return v


class Channel(Sourced):
    """A channel's limits and must-says: the kit's own rules of thumb, so marked kit_guidance."""

    id: Id
    name: str = Field(min_length=1)
    max_words: int = Field(ge=1)
    max_chars: int | None = Field(default=None, ge=1)
    needs: list[Essential] = Field(default_factory=list)


class Channels(StrictModel):
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
    #: the stricter plain-language check, when asked for (readers who find reading hard)
    plain: PlainLanguage | None = None

    def of(self, kind: Kind) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def missing(self) -> list[str]:
        return [k for k, ok in self.essentials.items() if not ok]


class MessageTooLong(ValueError):
    """A message longer than the checker reads; its text is the plain sentence to show."""


def too_long(text: str, max_chars: int | None = limits.MAX_MESSAGE_CHARS) -> str:
    """The plain sentence to show when ``text`` is over the checker's limit, else ""."""
    if max_chars is None or len(text) <= max_chars:
        return ""
    return (
        f"This message is {len(text):,} characters long. The checker reads up to {max_chars:,} "
        f"characters (about {max_chars // 6:,} words) at a time: paste a part of it, such as one "
        "letter or one page, and check the parts one by one. Nothing you pasted was changed."
    )


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


_TERM_PARTS_RE = re.compile(r"[\s\-‐–]+")
_TEXT_WORD_RE = re.compile(r"[^\W_]+")
_GAP_RE = re.compile(r"[\s\-‐–]+")  # what may stand between a term's words
_HYPHENS = "-‐–"


@dataclass(frozen=True)
class _Entry:
    parts: tuple[str, ...]  # lower case unless exact
    exact: bool  # a short acronym: "EA" but not "ea"
    plural: bool  # "running records" as well as "running record"
    term: GlossaryTerm


def _entry(t: GlossaryTerm) -> _Entry:
    term = t.term.strip()
    exact = term.isupper() and len(term) <= 5
    parts = tuple(p if exact else p.lower() for p in _TERM_PARTS_RE.split(term) if p)
    return _Entry(parts, exact, term[-1].isalpha() and not term.isupper(), t)


@lru_cache(maxsize=4)
def _index(terms: tuple[GlossaryTerm, ...]) -> dict[str, list[_Entry]]:
    """Entries by their first word, longest term first ("formative assessment" before
    "assessment"), so the text is read once, word by word, whatever the glossary's size."""
    out: dict[str, list[_Entry]] = {}
    for t in sorted(terms, key=lambda t: -len(t.term)):
        e = _entry(t)
        if not e.parts:
            continue
        out.setdefault(e.parts[0], []).append(e)
        if e.plural and len(e.parts) == 1:
            out.setdefault(e.parts[0] + "s", []).append(e)
    return out


def _match_at(text: str, toks: list[re.Match], i: int, e: _Entry) -> int:
    """How many words of ``toks`` from ``i`` the entry covers (0 if it does not match there)."""
    n = len(e.parts)
    if i + n > len(toks):
        return 0
    for k, part in enumerate(e.parts):
        word = toks[i + k].group(0)
        word = word if e.exact else word.lower()
        last = k == n - 1
        if not (word == part or (last and e.plural and word == part + "s")):
            return 0
        if k and not _GAP_RE.fullmatch(text, toks[i + k - 1].end(), toks[i + k].start()):
            return 0
    s, end = toks[i].start(), toks[i + n - 1].end()
    if (s and text[s - 1] in _HYPHENS) or (end < len(text) and text[end] in _HYPHENS):
        return 0  # part of a longer hyphenated word
    return n


def find_jargon(text: str, glossary: list[GlossaryTerm]) -> list[Finding]:
    """Glossary terms in ``text``, longest first where they overlap, in one pass over the words.

    A term's words may be joined by spaces or hyphens ("below-benchmark", "below benchmark"),
    letter case does not matter except for short acronyms, and a plural "s" is allowed.
    """
    index = _index(tuple(glossary))
    words = _TEXT_WORD_RE.findall(text)
    hits = [i for i, w in enumerate(words) if w in index or w.lower() in index]
    if not hits:
        return []
    toks = list(_TEXT_WORD_RE.finditer(text))
    out: list[Finding] = []
    free = 0  # the first word not yet inside a match
    for i in hits:
        if i < free:
            continue
        w = words[i]
        low = w.lower()
        cands = index.get(low, ())
        if w != low and w in index:  # an acronym, kept apart from the same letters in lower case
            cands = sorted([*cands, *index[w]], key=lambda e: -len(e.term.term))
        for e in cands:
            n = _match_at(text, toks, i, e)
            if n:
                a, b = toks[i].start(), toks[i + n - 1].end()
                note = f" ({e.term.note})" if e.term.note else ""
                out.append(
                    Finding(
                        "jargon",
                        a,
                        b,
                        text[a:b],
                        f"“{text[a:b]}” is education jargon{note}.",
                        e.term.plain,
                    )
                )
                free = i + n
                break
    return out


_BE = r"(?:am|is|are|was|were|be|been|being)"
_IRREGULAR = (
    "known|given|taken|shown|seen|done|made|sent|held|told|written|chosen|found|kept|paid|set|put|"
    "brought|taught|expected|required|asked|invited|advised|reminded|informed|noted"
)
PASSIVE_RE = re.compile(rf"\b{_BE}\s++(?:\w+ly\s++)?(?:\w+ed|{_IRREGULAR})\b", re.IGNORECASE)
SHOUT_RE = re.compile(r"\b[A-Z]{3,}\b")
EXCLAIM_RE = re.compile(r"(?<!!)!{2,}+")
STERN_RE = re.compile(
    r"\b(?:failure to|must ensure|it is mandatory|unacceptable|non-compliance|will result in|"
    r"immediately)\b",
    re.IGNORECASE,
)


def _finditer_nocase(pat: re.Pattern, lower_pat: re.Pattern, text: str):
    """``pat.finditer(text)``, run on the lower-cased text when that keeps every offset (three
    times faster than IGNORECASE); callers take the matched words from ``text`` itself."""
    low = text.lower()
    return lower_pat.finditer(low) if len(low) == len(text) else pat.finditer(text)


_PASSIVE_LOWER = re.compile(PASSIVE_RE.pattern)
_STERN_LOWER = re.compile(STERN_RE.pattern)


def find_passive(text: str) -> list[Finding]:
    return [
        Finding(
            "passive",
            m.start(),
            m.end(),
            text[m.start() : m.end()],
            "Passive voice hides who does what.",
            "say who does it: “we will send…”, “your child's teacher will…”",
        )
        for m in _finditer_nocase(PASSIVE_RE, _PASSIVE_LOWER, text)
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
            text[m.start() : m.end()],
            "This phrase can sound like a warning rather than an invitation.",
            "say what you hope for and how you will help",
        )
        for m in _finditer_nocase(STERN_RE, _STERN_LOWER, text)
    ]
    return out


def find_long_sentences(text: str) -> list[Finding]:
    """Sentences over the limit, counting their own words (not a salutation or a list)."""
    out = []
    for start, end in sentence_spans(text):
        s = text[start:end].rstrip()
        n = len(prose_words(s))
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
# An address may only start where a run of address characters starts, and a phone number where a
# run of digits starts: unanchored, "aaaa…" without an @ was rescanned from every letter (64k
# characters took 7 s, 1 MB about half an hour). Three patterns rather than one alternation, so
# each is tried only where it can start.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.]+")
PHONE_RE = re.compile(r"(?<![\d+])\+?\d[\d\s().-]{6,}\d")
CONTACT_WORDS_RE = re.compile(
    r"\b(?:call|phone|contact|email|e-mail|text|reach me|get in touch|let me know|ask for)\b",
    re.IGNORECASE,
)


def says_contact(text: str) -> bool:
    """An email address, a phone number, or words like "call" or "get in touch"."""
    return bool(
        ("@" in text and EMAIL_RE.search(text))
        or PHONE_RE.search(text)
        or CONTACT_WORDS_RE.search(text)
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
    spans = sentence_spans(text)[:3]
    opening = text[spans[0][0] : spans[-1][1]] if spans else ""
    low, opening = text.lower(), opening.lower()  # faster than IGNORECASE; only yes/no needed
    return {
        "what": bool(_WHAT_LOWER.search(opening)),
        "when": bool(_WHEN_LOWER.search(low)),
        "where": bool(_WHERE_LOWER.search(low)),
        "contact": says_contact(text),
    }


_WHAT_LOWER = re.compile(WHAT_RE.pattern)
_WHEN_LOWER = re.compile(WHEN_RE.pattern)
_WHERE_LOWER = re.compile(WHERE_RE.pattern)


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
    *,
    max_chars: int | None = limits.MAX_MESSAGE_CHARS,
    low_literacy: bool = False,
) -> Report:
    """Run every check on ``text`` for the given channel (``needs`` overrides the channel's).

    ``low_literacy`` adds the stricter plain-language check for readers who find reading hard
    (:mod:`widgets.messages.plain_language`): its marks join the findings, its notes and tips
    are in ``report.plain``.

    Raises :class:`MessageTooLong` past ``max_chars`` (``None`` lifts the cap, for benchmarks).
    """
    problem = too_long(text, max_chars)
    if problem:
        raise MessageTooLong(problem)
    glossary = load_glossary() if glossary is None else glossary
    stats = readability(text)
    findings = (
        find_jargon(text, glossary)
        + find_long_sentences(text)
        + find_passive(text)
        + find_tone(text, glossary)
    )
    plain = None
    if low_literacy:
        plain = check_plain_language(text, usual_limit=LONG_SENTENCE_WORDS)
        findings += [
            Finding("plain-language", m.start, m.end, m.text, m.message, m.suggestion)
            for m in plain.marks
        ]
    found = essentials(text)
    report = Report(
        text=text,
        channel=channel,
        stats=stats,
        findings=sorted(findings, key=lambda f: (f.start, f.kind)),
        essentials={k: found[k] for k in (channel.needs if needs is None else needs)},
        length_problem=length_problem(text, stats, channel),
        plain=plain,
    )
    return report


def _starts_sentence(text: str, start: int) -> bool:
    """Whether ``start`` begins the text, a line or a sentence (only blanks back to a . ! ?)."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n"


def suggested_rewrite(
    text: str,
    glossary: list[GlossaryTerm] | None = None,
    *,
    max_chars: int | None = limits.MAX_MESSAGE_CHARS,
) -> str:
    """The text with every jargon term swapped for its plain alternative (a starting point)."""
    problem = too_long(text, max_chars)
    if problem:
        raise MessageTooLong(problem)
    glossary = load_glossary() if glossary is None else glossary
    out, last = [], 0
    for f in find_jargon(text, glossary):
        plain = f.suggestion
        if _starts_sentence(text, f.start) and plain[:1].islower():
            plain = plain[0].upper() + plain[1:]  # "Pursuant to the policy" -> "Under the policy"
        out += [text[last : f.start], plain]
        last = f.end
    out.append(text[last:])
    return "".join(out)


_MARK_STYLE = {
    "jargon": "background:#fff0b3",
    "long-sentence": "background:#e3ecfa",
    "passive": "background:#eadcf8",
    "tone": "background:#fbd9d6",
    "plain-language": "background:#d9f2e3",
}


@dataclass(frozen=True)
class Segment:
    """A run of the message: plain text, or a marked finding with its tip."""

    text: str
    kind: str = ""
    tip: str = ""


def highlight_segments(text: str, findings: list[Finding]) -> list[Segment]:
    """The message cut into plain runs and marked findings (overlapping marks: the first)."""
    spans = sorted(
        (f for f in findings if f.kind != "long-sentence"), key=lambda f: (f.start, -f.end)
    )
    out, last = [], 0
    for f in spans:
        if f.start < last:
            continue
        out.append(Segment(text[last : f.start]))
        tip = f.message + (f" Try: {f.suggestion}" if f.suggestion else "")
        out.append(Segment(text[f.start : f.end], f.kind, tip))
        last = f.end
    out.append(Segment(text[last:]))
    return out


def highlighted_html(text: str, findings: list[Finding]) -> str:
    """The message as HTML with findings marked (the template escapes the user's text)."""
    from widgets.html import render

    return render(
        "messages/highlight.html",
        segments=highlight_segments(text, findings),
        longs=[f for f in findings if f.kind == "long-sentence"],
        styles=_MARK_STYLE,
    )


def report_rows(rep: Report) -> list[tuple[str, str, bool]]:
    """The figures of a report as (label, value, fine?) rows, in reading order."""
    s = rep.stats
    ease_word = (
        "easy"
        if s.reading_ease >= 70
        else "plain"
        if s.reading_ease >= 60
        else "fairly hard"
        if s.reading_ease >= 50
        else "hard"
    )
    return [
        ("Words", f"{s.words}", True),
        (
            "Sentences",
            f"{s.sentences} (about {s.words_per_sentence:.0f} words each)",
            s.words_per_sentence <= 20,
        ),
        ("Reading grade", f"{s.grade:.1f} (aim for 8 or under)", s.grade <= 8),
        (
            "Reading ease",
            f"{s.reading_ease:.0f}: {ease_word} (aim for 60 or more)",
            s.reading_ease >= 60,
        ),
        (
            f"Length for a {rep.channel.name.lower()}",
            rep.length_problem or "fine",
            not rep.length_problem,
        ),
    ]

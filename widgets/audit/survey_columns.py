"""What each column of a family survey export is, judged by its answers, not only its heading.

Schools write their own questions ("I feel welcome when I visit the school"), so a heading often
matches nothing in the kit. The answers say more: a column whose filled cells are mostly agreement
words (in any language of ``datasets/audit/likert.yaml``) or the numbers 1 to 5 is a question; a
column with a handful of short values that repeat (a home language, a grade, a school) is a group;
longer free text is a comment; anything else (timestamps, ids) is left out. Each question is then
matched to the audit item whose wording is closest, when one is close enough.

The result is a :class:`SurveyPreview` the mapping step shows and the user corrects: per column,
what the kit thinks it is, a few sample values and how many values it could not read (counted,
shown in amber, never dropped in silence). Pure Python: no widgets here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from widgets.audit.instrument import Instrument, Likert, ParentVersion, norm
from widgets.audit.survey import (
    COMMENT,
    GROUP,
    IGNORE,
    ITEM,
    QUESTION,
    Upload,
    code_value,
    decide_scale,
    on_scale,
    vocabulary,
)

if TYPE_CHECKING:
    import pandas as pd

# A column is a question when at least this share of its filled cells are answers on the scale.
QUESTION_SHARE = 0.6
# A group has at most this many different values, and they repeat.
GROUP_MAX_VALUES = 30
# Free text: answers of this many words on average (or this many characters) are comments.
COMMENT_WORDS = 4
COMMENT_CHARS = 30
# A heading at least this close (0..1) to an item's wording is matched to that item.
MATCH_AT = 0.72
# Distinct values looked at to judge a column (a question has a handful; a comment column of a
# district can have 100,000, and judging it needs only its commonest values).
JUDGE_VALUES = 400

_BAD = -2
_ID_HEADING = re.compile(r"(^|\s)(id|num|numero|n°|#|ref|reference)(\s|$)")
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}")
_GROUP_WORDS = (
    "language", "langue", "idioma", "lengua", "grade", "year", "niveau", "annee", "grado", "curso",
    "school", "ecole", "escuela", "class", "classe", "clase", "campus", "gender", "genre",
    "genero", "group", "groupe", "grupo", "اللغة", "لغة", "الصف", "المدرسة", "الفصل",
)  # fmt: skip

KIND_WORDS = {
    "question": "a question on the agreement scale",
    "group": "a group (for breakdowns)",
    "comment": "free-text comments (not analysed)",
    "other": "not survey answers (left out)",
    "empty": "empty (left out)",
}


def _header_norm(text: str) -> str:
    s = norm(text)
    s = re.sub(r"^(q|question)\s*\d+\s*[\.\):\-]?\s*", "", s)
    return re.sub(r"[^\w' ]+", " ", s).strip()


def _item_phrases(instrument: Instrument, versions: list[ParentVersion]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for it in instrument.items:
        out.setdefault(it.id, []).extend(
            [_header_norm(it.id.replace("-", " ")), _header_norm(it.text)]
        )
    for pv in versions:
        for it in pv.items:
            out.setdefault(it.id, []).append(_header_norm(it.text))
    return out


def _group_heading(header: str) -> bool:
    """A short heading naming a language, grade, school... (a long one is a statement)."""
    h = _header_norm(header)
    words = h.split()
    return len(words) <= 4 and any(re.search(rf"(^|\W){re.escape(w)}", h) for w in _GROUP_WORDS)


@dataclass(frozen=True)
class ColumnPreview:
    """One column as the mapping step shows it."""

    column: str
    kind: str  # what its values look like: question | group | comment | other | empty
    choice: str  # the mapping: item:<id> | question | group | comment | ignore
    filled: int  # non-empty cells
    distinct: int  # different non-empty values (after tidying case and spaces)
    readable: int  # cells read as an answer (a point on the scale or don't know)
    unreadable: int  # non-empty cells that are not an answer (only counted for questions)
    unreadable_examples: tuple[str, ...]
    samples: tuple[str, ...]
    match: float  # how close the heading is to the chosen item's wording (0..1)

    @property
    def is_question(self) -> bool:
        return self.choice == QUESTION or self.choice.startswith(ITEM)

    @property
    def item_id(self) -> str | None:
        return self.choice[len(ITEM) :] if self.choice.startswith(ITEM) else None


@dataclass(frozen=True)
class SurveyPreview:
    """Every column's preview, in file order, and the scale the answers point to."""

    columns: list[ColumnPreview]
    points: int
    stats: dict[str, Stats] = field(default_factory=dict, repr=False, compare=False)

    @property
    def mapping(self) -> dict[str, str]:
        return {c.column: c.choice for c in self.columns}

    def column(self, name: str) -> ColumnPreview:
        return next(c for c in self.columns if c.column == name)

    @property
    def questions(self) -> list[ColumnPreview]:
        return [c for c in self.columns if c.is_question]

    @property
    def unreadable(self) -> int:
        """Cells in question columns that will be left out of the analysis."""
        return sum(c.unreadable for c in self.questions)

    def counts(self) -> dict[str, int]:
        """How many columns of each choice: matched items, other questions, groups, comments."""
        out = {"items": 0, "questions": 0, "groups": 0, "comments": 0, "ignored": 0}
        for c in self.columns:
            if c.choice.startswith(ITEM):
                out["items"] += 1
            elif c.choice == QUESTION:
                out["questions"] += 1
            elif c.choice == GROUP:
                out["groups"] += 1
            elif c.choice == COMMENT:
                out["comments"] += 1
            else:
                out["ignored"] += 1
        return out


@dataclass(frozen=True)
class Stats:
    """A column's non-empty values and counts; ``complete`` is False when only the commonest."""

    values: list[tuple[str, int]]
    filled: int
    distinct: int
    complete: bool


class _Reader:
    """Counts a column's values once (by distinct value) and reads them against the vocabulary."""

    def __init__(self, likert: Likert, versions: list[ParentVersion]) -> None:
        self.words, self.dk = vocabulary(likert, versions)

    def stats(self, col: pd.Series, limit: int | None = None) -> Stats:
        """Non-empty values with their counts (commonest first, tidied), the number of filled
        cells and of different values. With ``limit``, only that many of the commonest raw values
        are tidied (a district's id or comment column has 100,000; judging it needs a few)."""
        vc = col.value_counts(sort=True)
        distinct_raw = len(vc)
        if limit is not None and distinct_raw > limit:
            filled = int((col.str.strip() != "").sum())
            vc = vc.iloc[:limit]
        else:
            filled = -1
        tidy: dict[str, int] = {}
        spelled: dict[str, str] = {}
        for raw, n in vc.items():
            key = norm(raw)
            if not key:
                continue
            tidy[key] = tidy.get(key, 0) + int(n)
            spelled.setdefault(key, " ".join(str(raw).split()))
        ordered = sorted(tidy.items(), key=lambda kv: (-kv[1], kv[0]))
        values = [(spelled[k], n) for k, n in ordered]
        if filled < 0:
            return Stats(values, sum(tidy.values()), len(values), True)
        return Stats(values, filled, distinct_raw, False)

    def code(self, value: str) -> tuple[str, int]:
        return code_value(value, self.words, self.dk)


def _judge(stat: Stats, header: str, reader: _Reader) -> str:
    values, filled = stat.values, stat.filled
    if not filled:
        return "empty"
    top = values[:JUDGE_VALUES]
    coded = [(reader.code(v), n) for v, n in top]
    likert = sum(
        n for (kind, v), n in coded if kind in ("text", "dk") or (kind == "num" and 1 <= v <= 5)
    )
    words = sum(n for (kind, _), n in coded if kind == "text")
    numbers_only = words == 0 and all(kind in ("num", "dk") for (kind, _), _ in coded)
    if likert >= QUESTION_SHARE * filled and likert > sum(n for (k, _), n in coded if k == "dk"):
        # Numbers 1..5 alone could be grades or a count of children: a short heading naming a
        # group settles it; words on the scale never need the heading.
        if not numbers_only:
            return "question"
        if _ID_HEADING.search(_header_norm(header)):
            return "other"  # "Response ID" 1, 2, 3... counts rows, it asks nothing
        if not _group_heading(header):
            return "question"
    # Dates and times (a form's timestamp) repeat within a week of answers, yet are no group.
    dated = sum(n for v, n in top if _DATE.search(v))
    if dated >= 0.8 * sum(n for _, n in top):
        return "other"
    n_words = sum(len(v.split()) * n for v, n in top) / max(sum(n for _, n in top), 1)
    n_chars = sum(len(v) * n for v, n in top) / max(sum(n for _, n in top), 1)
    distinct = len(values)
    if (
        distinct <= GROUP_MAX_VALUES
        and n_words < COMMENT_WORDS
        and (distinct <= 0.8 * filled or _group_heading(header))
    ):
        return "group"
    if n_words >= COMMENT_WORDS or n_chars >= COMMENT_CHARS:
        return "comment"
    return "other"


def _count_unreadable(
    values: list[tuple[str, int]], reader: _Reader, points: int
) -> tuple[int, int, tuple[str, ...]]:
    readable = unreadable = 0
    bad: list[str] = []
    for v, n in values:
        kind, code = reader.code(v)
        if on_scale(kind, code, points) == _BAD:
            unreadable += n
            if len(bad) < 3:
                bad.append(v[:40])
        else:
            readable += n
    return readable, unreadable, tuple(bad)


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two wordings are (0..1): the better of character and word-set likeness.

    Character likeness is only worked out when it could beat both the word likeness and
    ``floor`` (difflib's cheap upper bounds say so), which keeps matching a wide file quick.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    wa, wb = set(a.split()), set(b.split())
    words = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0
    sm = difflib.SequenceMatcher(None, a, b)
    bar = max(words, floor)
    if sm.real_quick_ratio() < bar or sm.quick_ratio() < bar:
        return words
    return max(words, sm.ratio())


def match_items(
    headers: list[str], instrument: Instrument, versions: list[ParentVersion]
) -> dict[str, tuple[str, float]]:
    """Question headings -> (item id, likeness) where the wording is close enough; one item each.

    Pairs are taken best first over the whole file, so a heading that fits two items does not take
    one that another heading fits better.
    """
    phrases = _item_phrases(instrument, versions)
    pairs = []
    for h in headers:
        hn = _header_norm(h)
        for item_id, texts in phrases.items():
            score = max((similarity(hn, t, MATCH_AT) for t in texts), default=0.0)
            if score >= MATCH_AT:
                pairs.append((-score, h, item_id))
    out: dict[str, tuple[str, float]] = {}
    taken: set[str] = set()
    for neg, h, item_id in sorted(pairs):
        if h in out or item_id in taken:
            continue
        out[h] = (item_id, -neg)
        taken.add(item_id)
    return out


def recognise(
    upload: Upload, instrument: Instrument, versions: list[ParentVersion], likert: Likert
) -> SurveyPreview:
    """A first reading of every column, for the user to check in the mapping step."""
    reader = _Reader(likert, versions)
    stats = {c: reader.stats(upload.frame[c], JUDGE_VALUES * 10) for c in upload.columns}
    kinds = {c: _judge(st, c, reader) for c, st in stats.items()}
    questions = [c for c in upload.columns if kinds[c] == "question"]
    for c in questions:
        if not stats[c].complete:
            stats[c] = reader.stats(upload.frame[c])
    matched = match_items(questions, instrument, versions)
    points = decide_scale(reader.code(v) for c in questions for v, _ in stats[c].values)
    cols = []
    for c in upload.columns:
        kind = kinds[c]
        choice = {"group": GROUP, "comment": COMMENT}.get(kind, IGNORE)
        match = 0.0
        if kind == "question":
            item = matched.get(c)
            choice, match = (ITEM + item[0], item[1]) if item else (QUESTION, 0.0)
        cols.append(_preview(c, kind, choice, stats[c], reader, points, match))
    return SurveyPreview(cols, points, {c: st for c, st in stats.items() if st.complete})


def _preview(
    column: str,
    kind: str,
    choice: str,
    stat: Stats,
    reader: _Reader,
    points: int,
    match: float,
) -> ColumnPreview:
    is_q = choice == QUESTION or choice.startswith(ITEM)
    readable, unreadable, bad = (
        _count_unreadable(stat.values, reader, points) if is_q else (stat.filled, 0, ())
    )
    samples = tuple(v[:40] for v, _ in stat.values[:3])
    return ColumnPreview(
        column, kind, choice, stat.filled, stat.distinct, readable, unreadable, bad, samples, match
    )


def rechoose(
    preview: SurveyPreview,
    upload: Upload,
    column: str,
    choice: str,
    likert: Likert,
    versions: list[ParentVersion],
    instrument: Instrument | None = None,
) -> SurveyPreview:
    """The preview after the user changes what one column is (counts follow the new choice).

    The scale (4 or 5 points) is decided again from every question column, so a changed choice
    can change what other columns can read; every question column is counted again.
    """
    reader = _Reader(likert, versions)
    chosen = {c.column: c.choice for c in preview.columns}
    chosen[column] = choice
    cache = dict(preview.stats)

    def _stat(c: str) -> Stats:
        if c not in cache:
            cache[c] = reader.stats(upload.frame[c])
        return cache[c]

    questions = [c for c, ch in chosen.items() if ch == QUESTION or ch.startswith(ITEM)]
    points = decide_scale(reader.code(v) for c in questions for v, _ in _stat(c).values)
    cols = []
    for c in preview.columns:
        new_choice = chosen[c.column]
        if c.column in questions or c.column == column:
            match = c.match
            if c.column == column and instrument is not None and choice.startswith(ITEM):
                hn = _header_norm(column)
                texts = _item_phrases(instrument, versions).get(choice[len(ITEM) :], [])
                match = max((similarity(hn, t) for t in texts), default=0.0)
            cols.append(
                _preview(c.column, c.kind, new_choice, _stat(c.column), reader, points, match)
            )
        else:
            cols.append(replace(c, choice=new_choice))
    return SurveyPreview(cols, points, cache)


def describe(col: ColumnPreview, labels: dict[str, str]) -> str:
    """What the kit thinks the column is, in words (for the preview)."""
    if col.item_id:
        how = "its heading matches" if col.match >= MATCH_AT else "you chose"
        return f"the audit question “{labels.get(col.item_id, col.item_id)}” ({how})"
    if col.choice == QUESTION:
        return "a question of your own (not an audit item): its answers are on the scale"
    if col.choice == GROUP:
        return f"a group with {col.distinct} value(s), for breakdowns"
    if col.choice == COMMENT:
        return "free-text comments: not analysed"
    return KIND_WORDS.get(col.kind, "left out")

"""Depth for every module: a short case, a knowledge check with feedback, a before/after self-rating.

Pure Python, no kernel: the content is data (``datasets/checks/<module-id>.yaml``, one file per
module), validated here; scoring, feedback and the self-rating change are plain functions the
views only draw, and the dashboard's before/after summary is built here with small groups
suppressed (:data:`widgets.privacy.SELF_RATING_MIN_GROUP`).

Store items (all under the module's own id):

* ``check:answers``: ``{"answers": {question id: option id}, "score": n, "of": m, "checked": bool}``
* ``self-rating:before`` / ``self-rating:after``: ``{statement id: 1..4}``
"""

from __future__ import annotations

import random
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.privacy import SELF_RATING_MIN_GROUP, big_enough
from widgets.schema_base import Id, StrictModel
from widgets.sources import Sourced

CHECK_ITEM = "check:answers"
RATING_PREFIX = "self-rating:"
Phase = Literal["before", "after"]
PHASES: tuple[Phase, Phase] = ("before", "after")

# The four points of the self-rating scale, in the kit's words (1 low, 4 high).
SCALE: dict[int, str] = {
    1: "Not yet",
    2: "With help",
    3: "Mostly on my own",
    4: "Confidently",
}

CASE_WORDS = (100, 200)  # shortest and longest case, in words


def rating_item(phase: Phase) -> str:
    return RATING_PREFIX + phase


def _words(text: str) -> int:
    return len(re.findall(r"\S+", text))


class Case(Sourced):
    """A realistic school situation (100-200 words) and what to think about while reading it."""

    title: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1)
    consider: list[str] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _length(self) -> Case:
        n = _words(self.text)
        if not CASE_WORDS[0] <= n <= CASE_WORDS[1]:
            raise ValueError(
                f"the case has {n} words; write between {CASE_WORDS[0]} and {CASE_WORDS[1]}"
            )
        return self


class Option(StrictModel):
    id: Id
    text: str = Field(min_length=1, max_length=300)
    correct: bool = False
    feedback: str = Field(min_length=1, max_length=600)


class Question(Sourced):
    """A multiple-choice question; every option says why it is right or not."""

    id: Id
    text: str = Field(min_length=1, max_length=400)
    options: list[Option] = Field(min_length=2, max_length=5)

    @model_validator(mode="after")
    def _one_right(self) -> Question:
        right = sum(o.correct for o in self.options)
        if right != 1:
            raise ValueError(
                f"exactly one option must have `correct: true` (this question has {right})"
            )
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("two options share an id; give each option its own id")
        return self

    @property
    def answer(self) -> Option:
        return next(o for o in self.options if o.correct)


class Statement(StrictModel):
    """An "I can ..." statement rated 1-4 before and after the module."""

    id: Id
    text: str = Field(min_length=6, max_length=200, pattern=r"^I can ")


class ModuleDepth(StrictModel):
    """``datasets/checks/<module-id>.yaml``: one module's case, check and self-rating."""

    module: Id
    case: Case
    questions: list[Question] = Field(min_length=3, max_length=5)
    self_rating: list[Statement] = Field(min_length=3, max_length=4)

    @model_validator(mode="after")
    def _unique(self) -> ModuleDepth:
        for what, ids in (
            ("questions", [q.id for q in self.questions]),
            ("self_rating statements", [s.id for s in self.self_rating]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"two {what} share an id; give each its own id")
        return self


def load_depth(module: str) -> ModuleDepth:
    """The case, check and self-rating of one module (a DatasetError names what to fix)."""
    from widgets.datasets import DatasetError, Problem

    relative = f"checks/{module}.yaml"
    depth = load_yaml(relative, ModuleDepth)
    if depth.module != module:
        raise DatasetError(
            f"datasets/{relative}",
            [Problem("module", f"it says {depth.module!r}", f"write `module: {module}`")],
        )
    return depth


def check_file(stem: str) -> ModuleDepth:
    """Registry check: the file validates, is named after a catalogue module, cites known seeds."""
    from widgets.datasets import DatasetError, Problem
    from widgets.landing.model import load_catalogue
    from widgets.sources import check_source_ids

    depth = load_depth(stem)
    name = f"datasets/checks/{stem}.yaml"
    modules = {e.id for e in load_catalogue().entries if e.kind == "module"}
    if stem not in modules:
        raise DatasetError(
            name,
            [
                Problem(
                    "the file name",
                    f"{stem!r} is no module in catalogue.yaml",
                    "name the file after a module id in datasets/catalogue.yaml",
                )
            ],
        )
    refs = depth.case.sources + [r for q in depth.questions for r in q.sources]
    unknown = check_source_ids(refs)
    if unknown:
        raise DatasetError(
            name,
            [
                Problem(
                    "sources",
                    f"unknown seed ids: {', '.join(sorted(set(unknown)))}",
                    "use a source id from datasets/sources.yaml",
                )
            ],
        )
    return depth


# -- the knowledge check ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: str
    chosen: str | None  # option id, None when not answered
    chosen_text: str
    correct: bool
    feedback: str  # why the chosen option is right or not ("" when not answered)
    answer_text: str  # the right option, shown once the question was answered


@dataclass(frozen=True)
class CheckResult:
    results: list[QuestionResult]

    @property
    def score(self) -> int:
        return sum(r.correct for r in self.results)

    @property
    def of(self) -> int:
        return len(self.results)

    @property
    def answered(self) -> int:
        return sum(r.chosen is not None for r in self.results)

    @property
    def complete(self) -> bool:
        return self.answered == self.of

    @property
    def summary(self) -> str:
        if not self.complete:
            left = self.of - self.answered
            return (
                f"{self.score} of {self.of} right so far; {left} question"
                f"{'s' if left != 1 else ''} not answered yet."
            )
        if self.score == self.of:
            return f"All {self.of} right."
        return (
            f"{self.score} of {self.of} right. Read the feedback under each question, "
            "change your answer if you like and check again."
        )


def score(depth: ModuleDepth, answers: dict[str, Any]) -> CheckResult:
    """Mark the chosen options; an answer naming no option of its question counts as unanswered."""
    out = []
    for q in depth.questions:
        chosen = next((o for o in q.options if o.id == answers.get(q.id)), None)
        out.append(
            QuestionResult(
                question=q.id,
                chosen=chosen.id if chosen else None,
                chosen_text=chosen.text if chosen else "",
                correct=bool(chosen and chosen.correct),
                feedback=chosen.feedback if chosen else "",
                answer_text=q.answer.text if chosen else "",
            )
        )
    return CheckResult(out)


def shown_order(module: str, question: Question) -> list[Option]:
    """The options in the order the page shows them: shuffled, but the same for everyone, always.

    Files tend to put the right answer in the same place; a fixed shuffle seeded by the module and
    question ids (never a clock) hides that, and everyone in a workshop sees the same order, so
    the group can talk about "the second option".
    """
    rng = random.Random(zlib.crc32(f"{module}:{question.id}".encode()))
    options = list(question.options)
    rng.shuffle(options)
    return options


def check_value(depth: ModuleDepth, answers: dict[str, Any], checked: bool) -> dict:
    """What the store keeps for a check: the choices, and the score once it was checked."""
    res = score(depth, answers)
    clean = {r.question: r.chosen for r in res.results if r.chosen}
    return {"answers": clean, "score": res.score, "of": res.of, "checked": bool(checked)}


# -- the self-rating -------------------------------------------------------------------------


def clean_ratings(depth: ModuleDepth, value: Any) -> dict[str, int]:
    """The valid ratings in a saved value: known statements, whole numbers 1 to 4."""
    ids = {s.id for s in depth.self_rating}
    if not isinstance(value, dict):
        return {}
    return {
        k: v
        for k, v in value.items()
        if k in ids and isinstance(v, int) and not isinstance(v, bool) and v in SCALE
    }


@dataclass(frozen=True)
class StatementChange:
    statement: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class RatingChange:
    """A participant's before/after self-rating for one module."""

    module: str
    statements: list[StatementChange]

    @property
    def paired(self) -> list[StatementChange]:
        return [s for s in self.statements if s.change is not None]

    @property
    def complete(self) -> bool:
        """Every statement rated before and after."""
        return bool(self.statements) and len(self.paired) == len(self.statements)

    @property
    def mean_before(self) -> float | None:
        p = self.paired
        return sum(s.before for s in p) / len(p) if p else None  # type: ignore[misc]

    @property
    def mean_after(self) -> float | None:
        p = self.paired
        return sum(s.after for s in p) / len(p) if p else None  # type: ignore[misc]

    @property
    def mean_change(self) -> float | None:
        p = self.paired
        return sum(s.change for s in p) / len(p) if p else None  # type: ignore[misc]

    @property
    def words(self) -> str:
        """The change in words for a record, e.g. 'from 1.7 to 3.0 (+1.3) on 3 statements'."""
        if not self.paired:
            return "not rated before and after"
        n = len(self.paired)
        text = (
            f"from {self.mean_before:.1f} to {self.mean_after:.1f} "
            f"({self.mean_change:+.1f}) on {n} statement{'s' if n != 1 else ''}"
        )
        if not self.complete:
            text += f" of {len(self.statements)}"
        return text


def rating_change(depth: ModuleDepth, before: Any, after: Any) -> RatingChange:
    """Per statement, the rating before and after (a statement rated only once has no change)."""
    b, a = clean_ratings(depth, before), clean_ratings(depth, after)
    return RatingChange(
        depth.module,
        [StatementChange(s.text, b.get(s.id), a.get(s.id)) for s in depth.self_rating],
    )


def changes_from_rows(rows: list, depths: dict[str, ModuleDepth]) -> dict[str, RatingChange]:
    """A participant's rating change per module, from their saved rows (modules with any rating)."""
    saved: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        if r.item.startswith(RATING_PREFIX) and r.module in depths:
            saved[r.module][r.item.removeprefix(RATING_PREFIX)] = r.value
    return {m: rating_change(depths[m], v.get("before"), v.get("after")) for m, v in saved.items()}


def check_scores_from_rows(rows: list) -> dict[str, tuple[int, int]]:
    """A participant's checked knowledge-check score per module: (right, questions)."""
    out = {}
    for r in rows:
        v = r.value
        if r.item == CHECK_ITEM and isinstance(v, dict) and v.get("checked"):
            try:
                out[r.module] = (int(v.get("score", 0)), int(v.get("of", 0)))
            except (TypeError, ValueError):
                continue
    return out


# -- the facilitator's before/after summary ---------------------------------------------------


@dataclass(frozen=True)
class StatementSummary:
    text: str
    mean_before: float
    mean_after: float


@dataclass(frozen=True)
class ModuleSummary:
    """A group's before/after self-rating for one module; figures are None when suppressed.

    ``paired`` counts participants who rated every statement before and after; only they are
    summarised, so the two means are about the same people.
    """

    module: str
    title: str
    paired: int
    mean_before: float | None
    mean_after: float | None
    rose: int | None  # how many rated themselves higher on average afterwards
    statements: list[StatementSummary] | None

    @property
    def suppressed(self) -> bool:
        return self.mean_before is None


def group_summary(
    rows: list,
    depths: dict[str, ModuleDepth],
    titles: dict[str, str] | None = None,
    min_group: int = SELF_RATING_MIN_GROUP,
) -> list[ModuleSummary]:
    """Per module, the group's mean self-rating before and after, anonymous and suppressed.

    No participant appears; a module where fewer than ``min_group`` people rated every statement
    both times shows only that count (0 is shown too: it reveals nobody).
    """
    titles = titles or {}
    by_person: dict[int, list] = defaultdict(list)
    for r in rows:
        if r.item.startswith(RATING_PREFIX):
            by_person[r.participant_id].append(r)
    out = []
    for mid, depth in depths.items():
        complete = []
        for person_rows in by_person.values():
            ch = changes_from_rows([r for r in person_rows if r.module == mid], {mid: depth})
            if mid in ch and ch[mid].complete:
                complete.append(ch[mid])
        if not complete:
            continue
        n = len(complete)
        title = titles.get(mid, mid)
        if not big_enough(n, min_group):
            out.append(ModuleSummary(mid, title, n, None, None, None, None))
            continue
        stmts = [
            StatementSummary(
                s.text,
                sum(c.statements[i].before for c in complete) / n,  # type: ignore[misc]
                sum(c.statements[i].after for c in complete) / n,  # type: ignore[misc]
            )
            for i, s in enumerate(depth.self_rating)
        ]
        out.append(
            ModuleSummary(
                mid,
                title,
                n,
                sum(c.mean_before for c in complete) / n,  # type: ignore[misc]
                sum(c.mean_after for c in complete) / n,  # type: ignore[misc]
                sum(1 for c in complete if (c.mean_change or 0) > 0),
                stmts,
            )
        )
    return out


def all_depths() -> dict[str, ModuleDepth]:
    """Every module's depth file that exists, by module id (missing files are left out)."""
    from widgets.datasets import dataset_path

    return {p.stem: load_depth(p.stem) for p in sorted(dataset_path("checks").glob("*.yaml"))}

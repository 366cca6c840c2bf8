"""The after-evening survey: a template to print, and a per-question summary of the answers.

Consulting parents on the arrangements is how one school found out that waiting parents could
overhear the meetings. The survey asks about exactly such things (welcome, privacy, waiting,
interpreters, childcare, times), and the summary keeps answers anonymous: a question with fewer
than five answers shows no breakdown, and free-text comments are shown as text, never as markup.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from widgets.datasets import DatasetError, Problem, decode_bytes, load_yaml
from widgets.evening.data import norm_key
from widgets.html import render
from widgets.privacy import EVENING_MIN_ANSWERS, too_small
from widgets.schema_base import StrictModel


class Question(StrictModel):
    id: str = Field(min_length=1, pattern=r"^[\w\-]+$")
    kind: Literal["rating", "yesno", "choice", "text"]
    text: str = Field(min_length=1)
    options: list[str] = []
    low: str = ""
    high: str = ""

    @model_validator(mode="after")
    def _options(self) -> Question:
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError(f"the choice question {self.id!r} needs at least two options")
        return self


class Survey(StrictModel):
    title: str
    intro: str = ""
    questions: list[Question] = Field(min_length=1)


def load_survey() -> Survey:
    return load_yaml("evening/survey.yaml", Survey)


def survey_html(survey: Survey) -> str:
    """The survey as a printable page for families to fill in on paper."""
    return render("evening/print_survey.html", survey=survey)


def survey_csv_header(survey: Survey) -> str:
    """An empty CSV with one column per question id: the shape the analysis reads."""
    buf = io.StringIO()
    csv.writer(buf).writerow(["response", *(q.id for q in survey.questions)])
    return buf.getvalue()


@dataclass
class QuestionSummary:
    question: Question
    answered: int
    suppressed: bool = False
    mean: float | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    not_understood: int = 0


@dataclass
class SurveyResult:
    responses: int
    questions: list[QuestionSummary]
    unknown_columns: list[str]
    missing_questions: list[str]


def _rating(v: str) -> int | None:
    try:
        x = float(v.strip().split()[0])
    except (ValueError, IndexError):
        return None
    return int(x) if x.is_integer() and 1 <= x <= 5 else None


def analyse(data: bytes, name: str = "survey answers", survey: Survey | None = None) -> SurveyResult:
    """Per-question summary of a CSV of answers (columns named by question id or text)."""
    survey = survey or load_survey()
    text = decode_bytes(data, name)
    first = text.splitlines()[0] if text.strip() else ""
    delim = max([",", ";", "\t"], key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delim)
    if not reader.fieldnames:
        raise DatasetError(name, [Problem("the whole file", "it has no header row", "add one")])
    keys = {}
    for q in survey.questions:
        keys[norm_key(q.id)] = q.id
        keys[norm_key(q.text)] = q.id
    col_for: dict[str, str] = {}
    unknown = []
    for col in reader.fieldnames:
        qid = keys.get(norm_key(col or ""))
        if qid and qid not in col_for:
            col_for[qid] = col
        elif norm_key(col or "") not in {"response", "id", "timestamp", "date"}:
            unknown.append(col)
    if not col_for:
        raise DatasetError(
            name,
            [
                Problem(
                    "the header row",
                    "no column matches a question of the survey",
                    "name the columns by question id (download the empty CSV to see them)",
                )
            ],
        )
    rows = list(reader)
    out = []
    for q in survey.questions:
        col = col_for.get(q.id)
        if col is None:
            continue
        values = [(r.get(col) or "").strip() for r in rows]
        values = [v for v in values if v]
        qs = QuestionSummary(q, len(values))
        if too_small(len(values), EVENING_MIN_ANSWERS):
            qs.suppressed = True
        elif q.kind == "rating":
            nums = [_rating(v) for v in values]
            good = [n for n in nums if n is not None]
            qs.not_understood = len(nums) - len(good)
            qs.answered = len(good)
            qs.mean = statistics.mean(good) if good else None
            c = Counter(good)
            qs.counts = [(str(i), c.get(i, 0)) for i in range(1, 6)]
        elif q.kind == "yesno":
            c = Counter(
                "Yes" if norm_key(v) in {"yes", "y", "oui", "si", "true", "1"}
                else "No" if norm_key(v) in {"no", "n", "non", "false", "0"} else "?"
                for v in values
            )
            qs.not_understood = c.pop("?", 0)
            qs.answered = sum(c.values())
            qs.counts = [("Yes", c.get("Yes", 0)), ("No", c.get("No", 0))]
        elif q.kind == "choice":
            by_key = {norm_key(o): o for o in q.options}
            c = Counter(by_key.get(norm_key(v), "Other answers") for v in values)
            qs.counts = [(o, c.get(o, 0)) for o in q.options]
            if c.get("Other answers"):
                qs.counts.append(("Other answers", c["Other answers"]))
        else:
            qs.comments = values
        out.append(qs)
    missing = [q.id for q in survey.questions if q.id not in col_for]
    return SurveyResult(len(rows), out, unknown, missing)


def result_html(res: SurveyResult, max_comments: int = 30) -> str:
    """The summary for the page; comments are escaped and shown as plain text."""
    return render("evening/survey_result.html", res=res, max_comments=max_comments,
                  min_answers=EVENING_MIN_ANSWERS)

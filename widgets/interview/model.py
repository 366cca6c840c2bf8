"""The student interview guide: pick an audience and topic, choose and edit questions, print it.

Students who interview a parent or a teacher about working together gather views a school seldom
hears (and sometimes ask a step-parent or grandparent for the first time). The question bank is
``datasets/pd/interview_questions.yaml``; this module builds and checks the guide a student takes
with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.html import render
from widgets.schema_base import Id, StrictModel, check_unique

MAX_QUESTIONS = 12
MAX_QUESTION_CHARS = 300
MAX_NAME = 80


class Audience(StrictModel):
    id: Id
    label: str = Field(min_length=1)
    opening: str = Field(min_length=1)
    closing: str = Field(min_length=1)


class Topic(StrictModel):
    id: Id
    title: str = Field(min_length=1)


class Question(StrictModel):
    id: Id
    topic: str = Field(min_length=1)
    audiences: list[str] = Field(min_length=1)
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)


class QuestionBank(StrictModel):
    audiences: list[Audience] = Field(min_length=1)
    topics: list[Topic] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> QuestionBank:
        auds = {a.id for a in self.audiences}
        topics = {t.id for t in self.topics}
        check_unique((q.id for q in self.questions), "question")
        for q in self.questions:
            if q.topic not in topics:
                raise ValueError(
                    f"question {q.id!r} has topic {q.topic!r}; use one of {sorted(topics)}"
                )
            for a in q.audiences:
                if a not in auds:
                    raise ValueError(
                        f"question {q.id!r} names audience {a!r}; use one of {sorted(auds)}"
                    )
        for a in self.audiences:
            for t in self.topics:
                if not any(a.id in q.audiences and q.topic == t.id for q in self.questions):
                    raise ValueError(
                        f"there is no question for audience {a.id!r} on topic {t.id!r}"
                    )
        return self

    def audience(self, audience_id: str) -> Audience:
        return next(a for a in self.audiences if a.id == audience_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)


def questions_for(bank: QuestionBank, audience: str, topic: str) -> list[Question]:
    """The bank's questions for one audience on one topic, in file order."""
    return [q for q in bank.questions if audience in q.audiences and q.topic == topic]


@dataclass(frozen=True)
class Guide:
    audience: Audience
    topic: Topic
    questions: list[str]
    student: str = ""


@dataclass(frozen=True)
class BuildResult:
    guide: Guide | None
    problems: list[str] = field(default_factory=list)


def build_guide(
    bank: QuestionBank, audience: str, topic: str, questions: list[str], student: str = ""
) -> BuildResult:
    """Check and tidy the chosen (possibly edited) questions into a guide.

    Blank questions are dropped, repeats are kept once, and each question gets a question mark if
    it lacks one, so a student reading it aloud knows to stop and listen.
    """
    problems: list[str] = []
    if audience not in {a.id for a in bank.audiences}:
        problems.append("Choose who the student will interview.")
    if topic not in {t.id for t in bank.topics}:
        problems.append("Choose a topic.")
    cleaned: list[str] = []
    for q in questions:
        q = " ".join((q or "").split())
        if not q:
            continue
        if len(q) > MAX_QUESTION_CHARS:
            problems.append(
                f"A question is {len(q)} characters long; keep each under {MAX_QUESTION_CHARS} "
                f"so it is easy to read aloud: \u201c{q[:40]}…\u201d"
            )
            continue
        if q[-1] not in "?.!":
            q += "?"
        if q.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(q)
    if not cleaned:
        problems.append("Tick or write at least one question.")
    if len(cleaned) > MAX_QUESTIONS:
        problems.append(
            f"That is {len(cleaned)} questions; choose {MAX_QUESTIONS} or fewer so the interview "
            "stays short."
        )
    if problems:
        return BuildResult(None, problems)
    return BuildResult(
        Guide(
            bank.audience(audience),
            bank.topic(topic),
            cleaned,
            " ".join(student.split())[:MAX_NAME],
        )
    )


def guide_html(guide: Guide) -> str:
    """A printable guide with space to write answers (the template escapes all text)."""
    return render("printable/interview_guide.html", guide=guide)


def guide_markdown(guide: Guide) -> str:
    lines = [
        f"# Interview guide: {guide.topic.title}",
        "",
        f"Talking with: {guide.audience.label}",
        f"Interviewer: {guide.student or '____'}",
        "",
        "## Before you start, say",
        "",
        guide.audience.opening,
        "",
        "## Questions",
        "",
    ]
    lines += [f"{i}. {q}\n\n   ____\n" for i, q in enumerate(guide.questions, 1)]
    lines += ["## To finish, say", "", guide.audience.closing, ""]
    return "\n".join(lines)


def load_bank() -> QuestionBank:
    return load_yaml("pd/interview_questions.yaml", QuestionBank)

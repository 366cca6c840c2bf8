"""Families asking for their own meetings: the request window, a family's reply, and how replies
join the office's upload.

The office opens a window (the evening, the teachers offered, the meeting modes, when it
closes); each household gets a personal link (:mod:`widgets.evening.request_store`). A reply
names the teachers, the child each meeting is about, how to meet (in person, phone, video), the
times the family can come (in blocks, e.g. 16:00-16:30), an interpreter or signer, access needs,
and for a child with two households whether to meet together. Replies become
:class:`~widgets.evening.data.FamilyRow` rows, so the scheduler, ``verify()``, the fairness report
and the letters treat them like uploaded rows. Pure functions, tested without a kernel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, field_validator, model_validator

from widgets.evening.data import FamilyRow, Settings, fmt_time, resolve_households
from widgets.evening.modes import MODES
from widgets.limits import MAX_FAMILY_NOTE_CHARS, MAX_PHONE_CHARS
from widgets.schema_base import StrictModel


class OfferedTeacher(StrictModel):
    id: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=120)


class RequestWindow(StrictModel):
    """What the office offers families, and until when they may answer or change an answer."""

    settings: dict  # the planner's Settings (school, date, start, end, ...) as saved JSON
    teachers: list[OfferedTeacher] = Field(min_length=1)
    modes: list[str] = Field(min_length=1)
    closes_at: dt.datetime
    block_minutes: int = Field(default=30, ge=5, le=240)
    sign_language: str = "British Sign Language"  # what a signer is called in the interpreters file
    # The teachers and interpreters files as read when the window opened, so the timetable can be
    # built from the replies alone, days later, without uploading again.
    teacher_rows: list[dict] = []
    interpreter_rows: list[dict] = []

    @field_validator("modes")
    @classmethod
    def _modes(cls, v: list[str]) -> list[str]:
        bad = [m for m in v if m not in MODES]
        if bad:
            raise ValueError(f"unknown meeting modes {bad}; use {', '.join(MODES)}")
        return list(dict.fromkeys(v))

    @field_validator("closes_at")
    @classmethod
    def _aware(cls, v: dt.datetime) -> dt.datetime:
        return v if v.tzinfo is not None else v.replace(tzinfo=dt.UTC)

    def evening(self) -> Settings:
        return Settings.model_validate(self.settings)

    def blocks(self) -> list[tuple[int, int]]:
        """The times a family ticks: the evening in blocks (the last one may be shorter)."""
        st = self.evening()
        out, t = [], st.start
        while t < st.end:
            out.append((t, min(t + self.block_minutes, st.end)))
            t += self.block_minutes
        return out

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Open until the closing time (the server's clock, in UTC): then nothing changes."""
        now = now or dt.datetime.now(dt.UTC)
        return now < self.closes_at

    def teacher_name(self, tid: str) -> str:
        return next((t.name for t in self.teachers if t.id == tid), tid)


class InviteDetails(StrictModel):
    """One household the office invites: what the request page and the letters need to know.

    Interface for reminders and follow-up: ``email``, ``phone`` and ``home_language`` (as the
    school's file wrote it; :func:`widgets.evening.letters.letter_language` gives the letter
    code), ``linked_to`` (the id shared by the households of one child; '' for one household).
    """

    family_id: str = Field(min_length=1, max_length=80)
    parent_name: str = ""
    home_language: str = ""
    children: list[str] = Field(min_length=1)
    email: str = ""
    phone: str = ""
    linked_to: str = ""
    teachers: list[str] = []  # teacher ids from the upload for this family, shown ticked
    priorities: dict[str, int] = {}  # teacher id -> priority in the upload (1 must meet)
    interpreter: bool = False  # the upload says the family needs one


class Choice(StrictModel):
    teacher_id: str = Field(min_length=1, max_length=80)
    child: str = Field(min_length=1, max_length=120)
    mode: str = "in_person"


class FamilyReply(StrictModel):
    """A household's answer on the request page (saved as JSON in the store)."""

    choices: list[Choice] = []
    times: list[int] = []  # the start of each block ticked, minutes after midnight
    phone: str = Field(default="", max_length=MAX_PHONE_CHARS)
    interpreter: Literal["none", "language", "signer"] = "none"
    interpreter_language: str = Field(default="", max_length=80)
    access_needs: str = Field(default="", max_length=MAX_FAMILY_NOTE_CHARS)
    joint: bool = False

    @model_validator(mode="after")
    def _dedupe(self) -> FamilyReply:
        seen: dict[tuple[str, str], Choice] = {}
        for c in self.choices:
            seen[(c.teacher_id, c.child)] = c
        self.choices = list(seen.values())
        self.times = sorted(set(self.times))
        return self


class ReplyProblem(ValueError):
    """A reply that cannot be saved; ``key`` names the request page text that says why."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key


def check_reply(reply: FamilyReply, window: RequestWindow, invite: InviteDetails) -> FamilyReply:
    """The reply if it fits the window and the household; else :class:`ReplyProblem`.

    Everything is checked on the server side: a page could send a teacher not offered, a mode
    the school does not offer, a child of another family or a time outside the evening.
    """
    offered = {t.id for t in window.teachers}
    if not reply.choices:
        raise ReplyProblem("need_teacher")
    if not reply.times:
        raise ReplyProblem("need_time")
    for c in reply.choices:
        if c.teacher_id not in offered:
            raise ReplyProblem("bad", f"teacher {c.teacher_id!r} is not offered")
        if c.mode not in window.modes:
            raise ReplyProblem("bad", f"meeting mode {c.mode!r} is not offered")
        if c.child not in invite.children:
            raise ReplyProblem("bad", f"{c.child!r} is not a child of this household")
    starts = {a for a, _b in window.blocks()}
    if any(t not in starts for t in reply.times):
        raise ReplyProblem("bad", "a time is not one of the evening's times")
    if reply.joint and not invite.linked_to:
        reply = reply.model_copy(update={"joint": False})
    return reply


# ----------------------------------------------------------------------------- invites


def teacher_resolver(teacher_rows: list | None) -> Callable[[str], list[str]]:
    """Teacher ids for a families file's teacher cell ('Mr Dubois (History)', 'JSM; RAH'),
    matched by id or name as the planner matches them; without teachers, the cell's parts."""
    from widgets.evening.data import norm_key, split_teachers

    by_key: dict[str, str] = {}
    for t in teacher_rows or []:
        by_key.setdefault(norm_key(t.teacher_id), t.teacher_id)
        by_key.setdefault(norm_key(t.name), t.teacher_id)

    def resolve(cell: str) -> list[str]:
        if not by_key:
            return split_teachers(cell)
        whole = by_key.get(norm_key(cell))
        if whole:
            return [whole]
        return [by_key[norm_key(p)] for p in split_teachers(cell) if norm_key(p) in by_key]

    return resolve


def invites_from_rows(
    rows: list[FamilyRow], choices: dict[str, str] | None = None,
    teacher_rows: list | None = None,
) -> list[InviteDetails]:
    """One invite per household in an uploaded families file (after the office's choices on
    family ids shared by different households: "two households" links them). With the teachers
    file, the teachers each household asked for are named by teacher id."""
    resolve = teacher_resolver(teacher_rows)
    rows, _notes = resolve_households(rows, choices)
    out: dict[str, InviteDetails] = {}
    for r in rows:
        inv = out.get(r.family_id)
        if inv is None:
            inv = out[r.family_id] = InviteDetails(
                family_id=r.family_id, parent_name=r.parent_name, home_language=r.home_language,
                children=[r.child_name], email=r.email, phone=r.phone, linked_to=r.linked_to,
                interpreter=bool(r.interpreter),
            )
        if r.child_name not in inv.children:
            inv.children.append(r.child_name)
        inv.parent_name = inv.parent_name or r.parent_name
        inv.email = inv.email or r.email
        inv.phone = inv.phone or r.phone
        inv.home_language = inv.home_language or r.home_language
        inv.interpreter = inv.interpreter or bool(r.interpreter)
        for t in resolve(r.teacher):
            if t not in inv.teachers:
                inv.teachers.append(t)
            inv.priorities[t] = min(inv.priorities.get(t, 3), r.priority)
    return list(out.values())


# ----------------------------------------------------------------------------- replies -> rows


def rows_from_reply(
    window: RequestWindow, invite: InviteDetails, reply: FamilyReply
) -> list[FamilyRow]:
    """The household's reply as rows of the families file (one per child and teacher)."""
    starts = set(reply.times)
    chosen = [(a, b) for a, b in window.blocks() if a in starts]
    st = window.evening()
    slots = tuple(sorted({s for a, b in chosen for s in st.slots_within(a, b)}))
    lo = min(a for a, _ in chosen)
    hi = max(b for _, b in chosen)
    interp = reply.interpreter != "none"
    language = (
        window.sign_language if reply.interpreter == "signer"
        else reply.interpreter_language.strip() if interp else ""
    )
    out = []
    for c in reply.choices:
        out.append(
            FamilyRow(
                family_id=invite.family_id,
                parent_name=invite.parent_name,
                child_name=c.child,
                teacher=c.teacher_id,
                priority=invite.priorities.get(c.teacher_id, 3),
                home_language=invite.home_language,
                interpreter=interp,
                available_from=fmt_time(lo),
                available_to=fmt_time(hi),
                email=invite.email,
                phone=reply.phone.strip() or invite.phone,
                mode=c.mode,
                linked_to=invite.linked_to,
                joint=reply.joint,
                slots=slots,
                interpret_language=language,
                access_needs=reply.access_needs.strip(),
            )
        )
    return out


@dataclass
class Mixed:
    """Uploaded rows and requests together, with every merge and guess counted."""

    rows: list[FamilyRow]
    from_requests: int = 0  # households whose reply was used
    added: int = 0  # of those, households not in the upload
    replaced_rows: int = 0  # uploaded rows a reply replaced
    kept_must: int = 0  # teacher-requested meetings kept though the family did not choose them
    guessed_priority: int = 0  # requested meetings with no priority in the upload: routine
    not_replied: int = 0  # uploaded households without a reply: their uploaded rows are used
    notes: list[str] = field(default_factory=list)  # amber lines, in words

    @property
    def amber(self) -> bool:
        return bool(self.notes)


def mix_rows(
    uploaded: list[FamilyRow],
    replies: list[tuple[RequestWindow, InviteDetails, FamilyReply]],
    teacher_rows: list | None = None,
) -> Mixed:
    """The families rows to plan from: a household's reply replaces its uploaded rows, except
    meetings a teacher asked for (priority 1), which are kept at the family's chosen times;
    households without a reply keep their uploaded rows; replies from households not in the
    upload are added. Every such decision is counted and said."""
    resolve = teacher_resolver(teacher_rows)
    by_family: dict[str, list[FamilyRow]] = {}
    for r in uploaded:
        by_family.setdefault(r.family_id, []).append(r)
    out: list[FamilyRow] = []
    res = Mixed(rows=out)
    replied: set[str] = set()
    for window, invite, reply in replies:
        fid = invite.family_id
        replied.add(fid)
        new = rows_from_reply(window, invite, reply)
        res.from_requests += 1
        old = by_family.get(fid, [])
        if not old:
            res.added += 1
        res.replaced_rows += len(old)
        chosen = {(r.teacher, r.child_name) for r in new}
        for r in new:
            if r.teacher not in invite.priorities:
                res.guessed_priority += 1
        for r in old:
            if r.priority == 1 and all(
                (tid, r.child_name) not in chosen for tid in resolve(r.teacher) or [r.teacher]
            ):
                base = new[0]
                out.append(r.model_copy(update={
                    "available_from": base.available_from, "available_to": base.available_to,
                    "slots": base.slots, "phone": base.phone, "mode": "in_person",
                    "linked_to": base.linked_to, "interpreter": base.interpreter,
                    "interpret_language": base.interpret_language,
                    "access_needs": base.access_needs,
                }))
                res.kept_must += 1
        out.extend(new)
    for fid, rows in by_family.items():
        if fid not in replied:
            res.not_replied += 1
            out.extend(rows)
    if res.replaced_rows:
        res.notes.append(
            f"{res.replaced_rows} uploaded row(s) were replaced by families' own requests."
        )
    if res.kept_must:
        res.notes.append(
            f"{res.kept_must} meeting(s) a teacher asked for were kept although the family did "
            "not choose that teacher; they are planned in person at the family's chosen times."
        )
    if res.guessed_priority:
        res.notes.append(
            f"{res.guessed_priority} requested meeting(s) had no priority in the upload and are "
            "planned as routine."
        )
    if res.not_replied and res.from_requests:
        res.notes.append(
            f"{res.not_replied} household(s) have not replied: their uploaded rows are used."
        )
    return res


def blocks_text(window: RequestWindow, times: list[int]) -> str:
    """The blocks a family ticked, for the office's list ('16:00–16:30, 17:00–17:30')."""
    starts = set(times)
    return ", ".join(f"{fmt_time(a)}–{fmt_time(b)}" for a, b in window.blocks() if a in starts)

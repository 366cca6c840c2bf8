"""On the evening: who came, who did not, and which families the evening has not reached yet.

The planner keeps family data in its page. To let teachers mark attendance on their phones the
office *publishes* a roster: the least the evening needs (each meeting's time, teacher, family
name, children, home language; no email or phone), stored under the office's record, which can
delete it. Each teacher gets an issued personal link; the link opens that teacher's meetings
only (:func:`meetings_for`), and what they mark is saved as their own answers through
:mod:`widgets.saving` (module :data:`MODULE`, item :func:`mark_item`).

A family is *reached* when it came to at least one meeting. It is *not yet reached* when it got no
time at all, or when every one of its meetings is marked "did not come" or "rescheduled". A family
with meetings nobody has marked yet is neither: it is counted as "not marked yet", never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from widgets.evening.data import Instance, Timetable, fmt_time
from widgets.limits import MAX_ROSTER_MEETINGS
from widgets.schema_base import StrictModel
from widgets.ui import UserFacingError

MODULE = "evening-attendance"
Status = Literal["came", "no_show", "rescheduled"]
STATUS_LABELS: dict[str, str] = {
    "came": "Came",
    "no_show": "Did not come",
    "rescheduled": "Rescheduled",
}


class RosterTeacher(StrictModel):
    id: str = Field(min_length=1, max_length=80)
    name: str
    room: str = ""


class RosterMeeting(StrictModel):
    teacher_id: str
    slot: int = Field(ge=0)
    start: str
    end: str
    family_id: str
    family: str
    children: list[str] = []
    language: str = ""
    interpreter: str = ""

    @property
    def key(self) -> str:
        """The meeting's id on the page and in the saved item: one teacher, one slot."""
        return f"{self.teacher_id}@{self.slot}"


class RosterFamily(StrictModel):
    id: str
    name: str
    language: str = ""
    needs_interpreter: bool = False
    asked: list[str] = []  # teacher names the family asked to see
    unplaced: list[str] = []  # teacher names it got no time with


class Roster(StrictModel):
    school: str
    date: dt.date
    slot_minutes: int
    teachers: dict[str, RosterTeacher]
    meetings: list[RosterMeeting]
    families: dict[str, RosterFamily]

    @property
    def title(self) -> str:
        return f"{self.school} · {self.date.isoformat()}"


def roster_from(inst: Instance, tt: Timetable) -> Roster:
    """The roster to publish from a solved timetable (only families with a request)."""
    st = inst.settings
    if len(tt.placements) > MAX_ROSTER_MEETINGS:
        raise UserFacingError(
            f"This timetable has {len(tt.placements)} meetings; a roster holds at most "
            f"{MAX_ROSTER_MEETINGS}. Publish one evening at a time."
        )
    meetings = []
    for r in inst.requests:
        p = tt.placements.get(r.id)
        if p is None:
            continue
        fam = inst.families[r.family_id]
        meetings.append(RosterMeeting(
            teacher_id=r.teacher_id, slot=p.slot, start=fmt_time(st.slot_start(p.slot)),
            end=fmt_time(st.slot_end(p.slot)), family_id=fam.id, family=fam.name,
            children=list(r.children), language=fam.language,
            interpreter=inst.interpreters[p.interpreter_id].name if p.interpreter_id else "",
        ))
    meetings.sort(key=lambda m: (m.teacher_id, m.slot))
    families = {}
    for fid, reqs in inst.by_family.items():
        if not reqs:
            continue
        fam = inst.families[fid]
        names = [inst.teachers[r.teacher_id].name for r in reqs]
        families[fid] = RosterFamily(
            id=fid, name=fam.name, language=fam.language,
            needs_interpreter=fam.needs_interpreter, asked=names,
            unplaced=[inst.teachers[r.teacher_id].name for r in reqs if r.id not in tt.placements],
        )
    return Roster(
        school=st.school, date=st.date, slot_minutes=st.slot_minutes,
        teachers={t.id: RosterTeacher(id=t.id, name=t.name, room=t.room)
                  for t in inst.teachers.values()},
        meetings=meetings, families=families,
    )


def meetings_for(roster: Roster, teacher_id: str) -> list[RosterMeeting]:
    """One teacher's meetings in time order: what their link shows, and nothing else."""
    return sorted((m for m in roster.meetings if m.teacher_id == teacher_id), key=lambda m: m.slot)


def mark_item(roster_id: int, meeting: RosterMeeting) -> str:
    """The saved item for one meeting's mark (under the teacher's own record)."""
    return f"roster-{roster_id}/{meeting.key}"


def mark_value(status: str, note: str = "") -> dict[str, str]:
    """The saved value for a mark; refuses anything but the three statuses."""
    if status not in STATUS_LABELS:
        raise UserFacingError(
            "Choose Came, Did not come or Rescheduled for this meeting."
        )
    return {"status": status, "note": note.strip()[:200]}


def marks_from_answers(
    roster_id: int, roster: Roster, answers: Iterable[tuple[str, str, Any]]
) -> dict[str, str]:
    """Meeting key -> status from saved answers (teacher id, item, value).

    Only a mark saved by the teacher the meeting belongs to counts: a link issued to one teacher
    cannot mark another teacher's meetings.
    """
    prefix = f"roster-{roster_id}/"
    by_key = {m.key: m for m in roster.meetings}
    out: dict[str, str] = {}
    for teacher_id, item, value in answers:
        if not item.startswith(prefix) or not isinstance(value, dict):
            continue
        key = item[len(prefix):]
        m = by_key.get(key)
        status = value.get("status")
        if m is None or m.teacher_id != teacher_id or status not in STATUS_LABELS:
            continue
        out[key] = status
    return out


# ----------------------------------------------------------------------------- not yet reached

Reason = Literal["no_time", "did_not_come", "rescheduled"]
REASON_LABELS = {
    "no_time": "Got no time",
    "did_not_come": "Did not come",
    "rescheduled": "Rescheduled, not yet seen",
}


@dataclass(frozen=True)
class NotReached:
    family: RosterFamily
    reason: Reason
    meetings: int  # meetings it had on the evening
    detail: str  # in words, e.g. "did not come to 2 of 2 meetings"


@dataclass
class Reach:
    """Every family with a request, sorted into reached, not yet reached and not marked yet."""

    reached: list[str] = field(default_factory=list)
    not_reached: list[NotReached] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)  # family ids with a meeting not marked
    meetings_unmarked: int = 0

    @property
    def families(self) -> int:
        return len(self.reached) + len(self.not_reached) + len(self.unmarked)

    @property
    def kind(self) -> Literal["success", "warning"]:
        return "warning" if self.not_reached or self.unmarked else "success"

    def summary(self) -> str:
        lines = [f"{len(self.reached)} of {self.families} families came to at least one meeting."]
        if self.not_reached:
            lines.append(f"{len(self.not_reached)} not yet reached: plan a follow-up for each.")
        if self.unmarked:
            lines.append(
                f"{self.meetings_unmarked} meetings of {len(self.unmarked)} families are not "
                "marked yet, so those families are in neither list."
            )
        return "\n".join(lines)


def reach(roster: Roster, marks: Mapping[str, str]) -> Reach:
    """Sort the roster's families by what the marks say (rules in the module docstring)."""
    per_family: dict[str, list[RosterMeeting]] = {fid: [] for fid in roster.families}
    for m in roster.meetings:
        per_family.setdefault(m.family_id, []).append(m)
    out = Reach()
    for fid, fam in roster.families.items():
        mine = per_family.get(fid, [])
        if not mine:
            out.not_reached.append(NotReached(fam, "no_time", 0, "got no meeting time"))
            continue
        statuses = [marks.get(m.key) for m in mine]
        if "came" in statuses:
            out.reached.append(fid)
        elif None in statuses:
            out.unmarked.append(fid)
            out.meetings_unmarked += statuses.count(None)
        elif "rescheduled" in statuses:
            out.not_reached.append(NotReached(
                fam, "rescheduled", len(mine),
                f"{statuses.count('rescheduled')} of {len(mine)} meetings rescheduled",
            ))
        else:
            out.not_reached.append(NotReached(
                fam, "did_not_come", len(mine), f"did not come to {len(mine)} of {len(mine)} "
                f"meeting{'s' if len(mine) != 1 else ''}",
            ))
    return out


@dataclass(frozen=True)
class Tally:
    meetings: int
    came: int
    no_show: int
    rescheduled: int
    unmarked: int


def tally(roster: Roster, marks: Mapping[str, str]) -> Tally:
    statuses = [marks.get(m.key) for m in roster.meetings]
    return Tally(len(statuses), statuses.count("came"), statuses.count("no_show"),
                 statuses.count("rescheduled"), statuses.count(None))


# ----------------------------------------------------------------------------- survey and attendance


@dataclass(frozen=True)
class SurveyJoin:
    """The anonymous survey beside attendance: the two are joined by counts, never by family
    (answers carry no name), so the response rate is over the families who came."""

    families_came: int
    responses: int
    meetings_came: int
    meetings_no_show: int

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.families_came if self.families_came else None

    @property
    def kind(self) -> Literal["success", "warning"]:
        """Amber when there are more answers than families who came (another evening's answers,
        or meetings not marked yet)."""
        return "warning" if self.families_came and self.responses > self.families_came else (
            "success")

    def summary(self) -> str:
        if not self.families_came:
            return (f"{self.responses} survey answers; no family is marked as having come yet, "
                    "so there is no response rate.")
        rate = self.response_rate or 0
        text = (f"{self.responses} survey answers from {self.families_came} families who came "
                f"({rate:.0%}); {self.meetings_came} meetings held, {self.meetings_no_show} "
                "missed.")
        if self.responses > self.families_came:
            text += (" More answers than families who came: check that the answers are from this "
                     "evening and that every teacher has marked their meetings.")
        return text


def survey_join(roster: Roster, marks: Mapping[str, str], responses: int) -> SurveyJoin:
    r = reach(roster, marks)
    t = tally(roster, marks)
    return SurveyJoin(len(r.reached), responses, t.came, t.no_show)


# ----------------------------------------------------------------------------- in the store


@dataclass(frozen=True)
class TeacherLink:
    teacher_id: str
    name: str
    token: str
    meetings: int


def publish(store: Any, owner_id: int, roster: Roster) -> tuple[int, list[TeacherLink]]:
    """Store the roster under the office's record and issue one link per teacher with meetings."""
    rid = store.publish_roster(owner_id, roster.title, roster.model_dump(mode="json"))
    links = []
    for tid, t in roster.teachers.items():
        n = len(meetings_for(roster, tid))
        if n:
            p = store.issue_teacher_link(rid, tid, t.name)
            links.append(TeacherLink(tid, t.name, p.token, n))
    return rid, links


def load_roster(store: Any, roster_id: int, owner_id: int | None = None) -> Roster | None:
    """The published roster (only the owner's when ``owner_id`` is given), or None."""
    got = store.roster(roster_id)
    if got is None or (owner_id is not None and got[0] != owner_id):
        return None
    return Roster.model_validate(got[2])


def teacher_links(store: Any, roster_id: int, roster: Roster) -> list[TeacherLink]:
    return [
        TeacherLink(tid, roster.teachers[tid].name if tid in roster.teachers else tid, p.token,
                    len(meetings_for(roster, tid)))
        for tid, p in store.teacher_links(roster_id)
    ]


def saved_marks(store: Any, roster_id: int, roster: Roster) -> dict[str, str]:
    """Every teacher's marks for this roster, as saved under their own links."""
    answers: list[tuple[str, str, Any]] = []
    for tid, p in store.teacher_links(roster_id):
        for a in store.answers(participant_id=p.id, module=MODULE,
                               item_prefix=f"roster-{roster_id}/"):
            answers.append((tid, a.item, a.value))
    return marks_from_answers(roster_id, roster, answers)


def teacher_view_of(store: Any, participant_id: int) -> tuple[int, Roster, str] | None:
    """(roster id, roster, teacher id) that a teacher's link opens, or None for any other link."""
    link = store.teacher_link_of(participant_id)
    if link is None:
        return None
    roster = load_roster(store, link[0])
    return (link[0], roster, link[1]) if roster is not None else None

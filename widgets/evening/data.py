"""What a parents' evening is made of: families, their requests, teachers, interpreters, settings.

School exports are messy, so the upload rows (``*Row`` pydantic models) accept times like
``17:30``, ``17.30``, ``17h30`` or ``5:30 pm`` and say plainly what is wrong otherwise. The
scheduler works on the plain dataclasses of :class:`Instance`, where every time is in minutes
after midnight and the evening is cut into equal slots.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from widgets.datasets import Problem
from widgets.schema_base import StrictModel

# ----------------------------------------------------------------------------- small parsers

_TIME_RE = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:\s*[:.hH]\s*(?P<m>\d{2})(?:\s*:\s*(?P<sec>\d{2})(?:\.\d+)?)?)?\s*"
    r"(?P<ap>[aApP]\.?\s*[mM]\.?)?\s*$"
)
# The longest time a school writes is about "2026-11-12T17:30:00.000 p.m."; longer text is not one.
_MAX_TIME_CHARS = 40
_COMPACT_RE = re.compile(r"^\s*(?P<h>\d{1,2})(?P<m>\d{2})\s*$")
# A number Excel wrote for a time cell: a fraction of a day (0.7291... = 17:30), possibly after a
# whole number of days when the cell held a date and a time (46338.7291...).
_FRACTION_RE = re.compile(r"^\s*(?P<days>\d*)[.,](?P<frac>\d+)\s*$")
# A date before the time: 2026-11-12 17:30, 2026-11-12T17:30:00, 12/11/2026 5:30 PM.
_DATE_PREFIX_RE = re.compile(
    r"^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})(?:\s+|T)(?P<time>.+)$"
)


def _from_day_fraction(x: float) -> int:
    """Minutes after midnight for Excel's day number (the whole days are a date, ignored)."""
    minutes = round((x - int(x)) * 24 * 60)
    return minutes % (24 * 60) if minutes != 24 * 60 else 24 * 60


def parse_time(value: object) -> int:
    """Minutes after midnight for a time as schools' spreadsheets hold it.

    Text: '17:30', '17.30', '17h30', '5:30 pm', '5:30:00 PM', '5pm', '1730', '17:30:00',
    '2026-11-12 17:30'. Excel cells: a time, a date and time, a duration, or the bare number Excel
    keeps underneath (a fraction of a day: 0.7291666 is 17:30), as a number or as text.
    """
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute + (1 if value.second >= 30 else 0)
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute + (1 if value.second >= 30 else 0)
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        if 0 <= minutes <= 24 * 60:
            return minutes
        raise ValueError(f"must be a time like 17:30; got {value!s}")
    if isinstance(value, bool):
        raise ValueError(f"must be a time like 17:30; got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        if value < 0:
            raise ValueError(f"must be a time like 17:30; got {value!r}")
        return _from_day_fraction(value)
    if isinstance(value, int | float):
        value = str(int(value))
    text = str(value).strip()
    if len(text) > _MAX_TIME_CHARS:
        # No time is this long; refusing first keeps the patterns below linear on any cell.
        raise ValueError(f"must be a time like 17:30; got {text[:_MAX_TIME_CHARS]!r}…")
    d = _DATE_PREFIX_RE.match(text)
    if d:
        text = d.group("time").strip()
    m = _COMPACT_RE.match(text) or _TIME_RE.match(text)
    if m:
        h, mins = int(m.group("h")), int(m.group("m") or 0)
        ap = (m.groupdict().get("ap") or "").lower().replace(".", "").replace(" ", "")
        if ap:
            if not 1 <= h <= 12:
                raise ValueError(f"must be a time like 17:30; got {text!r}")
            h = h % 12 + (12 if ap.startswith("p") else 0)
        if h <= 24 and mins <= 59 and not (h == 24 and mins):
            return h * 60 + mins
    f = _FRACTION_RE.match(text)
    # '17.30' is read above as half past five; a day fraction has no clock reading ('0.7291666',
    # '0.75', '46338.73'): more than two decimals, or digits that cannot be minutes.
    if f:
        x = float(f"{f.group('days') or 0}.{f.group('frac')}")
        if x < 1 or len(f.group("days")) >= 3:
            return _from_day_fraction(x)
    raise ValueError(f"must be a time like 17:30; got {text!r}")


def fmt_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_YES = {"yes", "y", "true", "1", "oui", "o", "si", "sí", "x", "needed", "required", "نعم"}
_NO = {"no", "n", "false", "0", "non", "", "-", "none", "not needed", "لا"}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"must be yes or no; got {str(value)!r}")


PRIORITY_LABELS = {1: "Must meet (teacher asked)", 2: "Family priority", 3: "Routine"}
_PRIORITY_WORDS = {
    "must": 1,
    "must meet": 1,
    "teacher": 1,
    "teacher request": 1,
    "teacher requested": 1,
    "essential": 1,
    "high": 2,
    "family": 2,
    "parent": 2,
    "parent request": 2,
    "priority": 2,
    "normal": 3,
    "routine": 3,
    "low": 3,
    "": 3,
}


def parse_priority(value: object) -> int:
    text = str(value if value is not None else "").strip().lower()
    if text in {"1", "2", "3"}:
        return int(text)
    if text in {"1.0", "2.0", "3.0"}:
        return int(float(text))
    if text in _PRIORITY_WORDS:
        return _PRIORITY_WORDS[text]
    raise ValueError(
        f"must be 1 (must meet), 2 (family priority) or 3 (routine), or one of the words "
        f"must / high / normal; got {str(value)!r}"
    )


def norm_key(text: str) -> str:
    """Lower case without accents or punctuation: how names and column headers are compared."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", t.lower())


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,/|]+", text or "") if p.strip()]


_TEACHER_SPLIT_RE = re.compile(r"\s*(?:[;,/|&+\n]|\band\b|\bet\b|\by\b)\s*", re.IGNORECASE)


def split_teachers(cell: str) -> list[str]:
    """The teachers named in one cell: 'JSM; RAH', 'JSM, RAH', 'JSM/RAH', 'JSM and RAH', 'JSM & RAH'.

    School systems put every teacher a parent asked for in one cell; each becomes its own request.
    """
    out: list[str] = []
    for part in _TEACHER_SPLIT_RE.split(cell or ""):
        part = part.strip(" .")
        if part and part not in out:
            out.append(part)
    return out


# ----------------------------------------------------------------------------- upload rows


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    line: int = 0  # the row's line in the uploaded file (0 when typed in code), for messages


def _opt_time(v: object) -> int | None:
    if v is None or str(v).strip() == "":
        return None
    return parse_time(v)


class FamilyRow(_Row):
    """One row of a families/requests export: a child of a family asking to meet a teacher."""

    family_id: str = Field(min_length=1)
    parent_name: str = ""
    child_name: str = Field(min_length=1)
    teacher: str = Field(min_length=1)
    priority: int = 3
    home_language: str = ""  # empty: not given (English unless another row says otherwise)
    interpreter: bool | None = None  # None: the cell was empty
    available_from: int | None = None
    available_to: int | None = None
    email: str = ""
    phone: str = ""
    # How the family meets this teacher: in_person, phone or video (widgets.evening.modes).
    mode: str = "in_person"
    # Households of one child: the id shared by every household of the child ("" = none), and
    # whether this household wants its meeting with this teacher together with the others.
    linked_to: str = ""
    joint: bool = False
    # Slots the family can come in, when it chose times block by block (the request page);
    # None means the window available_from..available_to.
    slots: tuple[int, ...] | None = None
    interpret_language: str = ""  # the interpreter's or signer's language, when not the home one
    access_needs: str = ""

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, v: object) -> str:
        from widgets.evening.modes import parse_mode

        return parse_mode(v)

    @field_validator("priority", mode="before")
    @classmethod
    def _prio(cls, v: object) -> int:
        return parse_priority(v)

    @field_validator("interpreter", mode="before")
    @classmethod
    def _interp(cls, v: object) -> bool | None:
        if v is None or str(v).strip() == "":
            return None
        return parse_bool(v)

    @field_validator("available_from", "available_to", mode="before")
    @classmethod
    def _times(cls, v: object) -> int | None:
        return _opt_time(v)

    @model_validator(mode="after")
    def _window(self) -> FamilyRow:
        if self.available_from is not None and self.available_to is not None:
            if self.available_to <= self.available_from:
                raise ValueError(
                    f"the family is available until {fmt_time(self.available_to)}, which is not "
                    f"after {fmt_time(self.available_from)}"
                )
        return self


_RANGE_RE = re.compile(r"^\s*(?P<a>[^-–—]+?)\s*(?:-|–|—|to|until)\s*(?P<b>[^-–—]+?)\s*$")


class TeacherRow(_Row):
    teacher_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    room: str = ""
    break_at: int | None = None
    break_until: int | None = None  # from a break cell written as a range, '17:45-17:55'
    arrive: int | None = None
    leave: int | None = None
    languages: str = ""
    video_link: str = ""  # this teacher's own video meeting link (else the school's pattern)

    @model_validator(mode="before")
    @classmethod
    def _break_range(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("break_at"), str):
            m = _RANGE_RE.match(data["break_at"])
            if m and not data.get("break_until"):
                data = {**data, "break_at": m.group("a"), "break_until": m.group("b")}
        return data

    @field_validator("break_at", "break_until", "arrive", "leave", mode="before")
    @classmethod
    def _times(cls, v: object) -> int | None:
        return _opt_time(v)

    @model_validator(mode="after")
    def _order(self) -> TeacherRow:
        if self.break_at is not None and self.break_until is not None:
            if self.break_until <= self.break_at:
                raise ValueError(
                    f"the break ends at {fmt_time(self.break_until)}, which is not after "
                    f"{fmt_time(self.break_at)}"
                )
        if self.arrive is not None and self.leave is not None and self.leave <= self.arrive:
            raise ValueError(
                f"the teacher leaves at {fmt_time(self.leave)}, which is not after "
                f"{fmt_time(self.arrive)}"
            )
        return self


class InterpreterRow(_Row):
    interpreter_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    languages: str = Field(min_length=1)
    available_from: int | None = None
    available_to: int | None = None

    @field_validator("available_from", "available_to", mode="before")
    @classmethod
    def _times(cls, v: object) -> int | None:
        return _opt_time(v)


BREAK_PATTERNS = ("none", "fixed", "staggered")


# The time zone a school's locale implies when it has not set one (Settings.zone). One zone per
# locale the planner offers; a school in another zone of its country sets time_zone.
DEFAULT_ZONE = "Europe/London"
LOCALE_ZONES = {
    "en_GB": "Europe/London", "en_IE": "Europe/Dublin", "en_US": "America/New_York",
    "en_CA": "America/Toronto", "fr_CA": "America/Toronto", "en_AU": "Australia/Sydney",
    "en_NZ": "Pacific/Auckland",
}


class Settings(StrictModel):
    """The evening itself: the choices a school makes before any family books."""

    school: str = "Our school"
    date: dt.date = Field(default_factory=lambda: dt.date.today() + dt.timedelta(days=21))
    start: int = 16 * 60
    end: int = 20 * 60
    slot_minutes: int = Field(default=10, ge=3, le=60)
    break_pattern: str = "staggered"
    break_minutes: int = Field(default=15, ge=0, le=120)
    break_at: int = 18 * 60  # used by the fixed pattern
    max_consecutive: int = Field(default=8, ge=1, le=100)
    gap_minutes: int = Field(default=0, ge=0, le=30)
    venue: str = ""
    contact: str = ""
    # How the school writes dates and times (Babel locale): en_GB writes 24-hour "17:40" in
    # every letter and "Wednesday 16 December 2026" in English ones.
    school_locale: str = "en_GB"
    # The school's time zone (IANA, e.g. "Europe/London") for moments kept in UTC: when families'
    # requests close, when a reply came. Empty: the zone the locale implies (LOCALE_ZONES).
    # The evening's own times (start, slots) are already on the school's clock.
    time_zone: str = ""
    # Phone and video meetings (widgets.evening.modes): the video link for a teacher without
    # their own, with {teacher} for the teacher's id, e.g. "https://meet.example.org/pap-{teacher}".
    video_link_pattern: str = ""
    # Rooms that hold fewer in-person meetings at once than the teachers in them (a shared
    # classroom: {"B12": 1}); rooms not named have no limit. Phone and video meetings use none.
    room_capacity: dict[str, int] = Field(default_factory=dict)
    # What each household of a child with two households is told: "own" (only the meetings it
    # attends) or "both" (also that the other household has its own meeting, with the time).
    household_letters: str = "own"

    @field_validator("household_letters")
    @classmethod
    def _hh(cls, v: str) -> str:
        if v not in ("own", "both"):
            raise ValueError("household letters must be 'own' or 'both'")
        return v

    @field_validator("room_capacity")
    @classmethod
    def _caps(cls, v: dict[str, int]) -> dict[str, int]:
        for room, n in v.items():
            if n < 1:
                raise ValueError(f"room {room!r} must hold at least 1 meeting at once")
        return v

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, v: str) -> str:
        import zoneinfo

        v = (v or "").strip()
        if v:
            try:
                zoneinfo.ZoneInfo(v)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"{v!r} is not a time zone; write it as Region/City, e.g. Europe/London"
                ) from None
        return v

    def zone(self) -> dt.tzinfo:
        """The school's time zone: the one set, else the one its locale implies."""
        import zoneinfo

        return zoneinfo.ZoneInfo(self.time_zone or LOCALE_ZONES.get(self.school_locale,
                                                                    DEFAULT_ZONE))

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A moment kept in UTC on the school's clock (naive moments are taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(self.zone())

    def moment(self, day: dt.date, minutes: int) -> dt.datetime:
        """The UTC moment of a day and time the school typed on its own clock."""
        local = dt.datetime.combine(day, dt.time(minutes // 60 % 24, minutes % 60),
                                    self.zone())
        return local.astimezone(dt.UTC)

    @field_validator("school_locale")
    @classmethod
    def _locale(cls, v: str) -> str:
        from widgets.evening.letters import check_locale

        return check_locale(v.strip() or "en_GB")

    @field_validator("start", "end", "break_at", mode="before")
    @classmethod
    def _times(cls, v: object) -> int:
        return parse_time(v) if not isinstance(v, int) else v

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.break_pattern not in BREAK_PATTERNS:
            raise ValueError(f"the break pattern must be one of {', '.join(BREAK_PATTERNS)}")
        if self.end - self.start < self.slot_minutes:
            raise ValueError(
                f"the evening ends at {fmt_time(self.end)}, which leaves no room for one "
                f"{self.slot_minutes}-minute meeting after {fmt_time(self.start)}"
            )
        return self

    @property
    def n_slots(self) -> int:
        return (self.end - self.start) // self.slot_minutes

    @property
    def break_slots(self) -> int:
        return -(-self.break_minutes // self.slot_minutes) if self.break_minutes else 0

    @property
    def gap_slots(self) -> int:
        return -(-self.gap_minutes // self.slot_minutes) if self.gap_minutes else 0

    def slot_start(self, s: int) -> int:
        return self.start + s * self.slot_minutes

    def slot_end(self, s: int) -> int:
        return self.start + (s + 1) * self.slot_minutes

    def slots_within(self, lo: int | None, hi: int | None) -> list[int]:
        """Slots that start at or after ``lo`` and end by ``hi`` (None means the evening's edge)."""
        lo = self.start if lo is None else lo
        hi = self.end if hi is None else hi
        return [s for s in range(self.n_slots) if self.slot_start(s) >= lo and self.slot_end(s) <= hi]


# ----------------------------------------------------------------------------- the instance


@dataclass
class Teacher:
    id: str
    name: str
    room: str
    languages: frozenset[str]  # norm_key of each language the teacher can hold a meeting in
    slots: frozenset[int]  # slots the teacher can meet in (arrival, leaving and breaks removed)
    break_text: str = ""
    breaks: frozenset[int] = frozenset()
    window: tuple[int, int] = (0, 24 * 60)  # arrives, leaves: minutes as entered
    break_window: tuple[int, int] | None = None  # the break as entered (start, end) in minutes
    video_link: str = ""


@dataclass
class Family:
    id: str
    name: str
    language: str  # as written in the file, e.g. "Arabic"
    needs_interpreter: bool
    slots: frozenset[int]
    children: list[str] = field(default_factory=list)
    email: str = ""
    window: tuple[int, int] = (0, 0)
    phone: str = ""
    link_id: str = ""  # shared by the households of one child ("" = one household)
    interpret_language: str = ""  # the interpreter's or signer's language if not `language`
    access_needs: str = ""


@dataclass
class Interpreter:
    id: str
    name: str
    languages: frozenset[str]
    slots: frozenset[int]
    window: tuple[int, int] = (0, 24 * 60)  # available from, until: minutes as entered


@dataclass
class Request:
    """One meeting a family asks for: siblings with the same teacher share one meeting."""

    id: int
    family_id: str
    teacher_id: str
    children: tuple[str, ...]
    priority: int
    needs_interpreter: bool  # the family needs one and the teacher does not speak the language
    language_key: str
    mode: str = "in_person"  # in_person, phone or video: only in-person meetings use a room
    with_households: tuple[str, ...] = ()  # other households of the child at a joint meeting

    @property
    def households(self) -> tuple[str, ...]:
        """Every household at this meeting (the first is ``family_id``)."""
        return (self.family_id, *self.with_households)


@dataclass
class Instance:
    settings: Settings
    teachers: dict[str, Teacher]
    families: dict[str, Family]
    interpreters: dict[str, Interpreter]
    requests: list[Request]
    notes: list[str] = field(default_factory=list)  # what was settled on the way, in words

    @cached_property
    def by_family(self) -> dict[str, list[Request]]:
        """Requests per family (computed once; an instance does not change after building)."""
        return self.family_requests()

    def family_requests(self) -> dict[str, list[Request]]:
        """Each household's meetings, a joint meeting under every household that attends it."""
        out: dict[str, list[Request]] = {f: [] for f in self.families}
        for r in self.requests:
            for fid in r.households:
                out[fid].append(r)
        return out

    def teacher_requests(self) -> dict[str, list[Request]]:
        out: dict[str, list[Request]] = {t: [] for t in self.teachers}
        for r in self.requests:
            out[r.teacher_id].append(r)
        return out

    def candidate_slots(self, r: Request) -> list[int]:
        """Slots where the households and the teacher can be there (interpreters aside)."""
        slots = self.teachers[r.teacher_id].slots
        for fid in r.households:
            slots = slots & self.families[fid].slots
        return sorted(slots)

    def room_of(self, r: Request) -> str | None:
        """The room an in-person meeting uses; None for a phone or video meeting (no room)."""
        return self.teachers[r.teacher_id].room if r.mode == "in_person" else None

    def interpreters_for(self, language_key: str) -> list[Interpreter]:
        return [i for i in self.interpreters.values() if language_key in i.languages]


@dataclass
class Placement:
    request_id: int
    slot: int
    interpreter_id: str | None = None


@dataclass
class Timetable:
    placements: dict[int, Placement]
    method: str = ""
    seconds: float = 0.0
    upper_bound: int | None = None
    notes: list[str] = field(default_factory=list)
    work: int = 0  # steps of search used (the solve's budget counts these, not seconds)


def teacher_break_window(
    settings: Settings, index: int, count: int, own_break: int | None,
    own_until: int | None = None,
) -> tuple[int, int] | None:
    """A teacher's break as entered, in minutes: their own time, else the evening's pattern.

    An own break with no end lasts the evening's break length (one meeting's length if that is 0).
    """
    if own_break is not None:
        if own_until is not None:
            return own_break, own_until
        return own_break, own_break + (settings.break_minutes or settings.slot_minutes)
    if not settings.break_minutes or settings.break_pattern == "none":
        return None
    if settings.break_pattern == "fixed":
        return settings.break_at, settings.break_at + settings.break_minutes
    n = max(settings.break_slots, 1)  # staggered: spread over the middle half of the evening
    total = settings.n_slots
    lo, hi = total // 4, max(total // 4, (3 * total) // 4 - n)
    first = lo + ((hi - lo) * index // max(count - 1, 1) if count > 1 else (hi - lo) // 2)
    start = settings.slot_start(first)
    return start, start + settings.break_minutes


def slots_overlapping(settings: Settings, lo: int, hi: int) -> set[int]:
    """Every slot that shares at least a minute with [lo, hi): a break at 17:45 for 10 minutes
    with 10-minute meetings blocks both 17:40-17:50 and 17:50-18:00."""
    return {
        s for s in range(settings.n_slots) if settings.slot_start(s) < hi and settings.slot_end(s) > lo
    }


# ----------------------------------------------------------------------------- one family id, two households


@dataclass
class Household:
    """One version of a family as the rows with its id describe it (rows that agree are merged)."""

    label: str  # "A", "B", ... in the order the rows come
    parent_name: str = ""
    email: str = ""
    home_language: str = ""
    interpreter: bool | None = None
    available_from: int | None = None
    available_to: int | None = None
    children: list[str] = field(default_factory=list)
    teachers: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # indexes into the rows given

    merged: list[str] = field(default_factory=list)  # disagreements settled, in words

    def fits(self, row: FamilyRow) -> bool:
        """Does this row describe the same household? Parent, email and home language must agree
        (a field empty on one side agrees); the interpreter need and the times are merged."""
        pairs = [
            (norm_key(self.parent_name), norm_key(row.parent_name)),
            (self.email.strip().lower(), row.email.strip().lower()),
            (norm_key(self.home_language), norm_key(row.home_language)),
        ]
        return not any(a and b and a != b for a, b in pairs)

    def add(self, n: int, row: FamilyRow) -> None:
        where = f"row {row.line}" if row.line else "a later row"
        self.parent_name = self.parent_name or row.parent_name
        self.email = self.email or row.email
        self.home_language = self.home_language or row.home_language
        if row.interpreter is not None and self.interpreter is not None and (
            row.interpreter != self.interpreter
        ):
            self.merged.append(
                f"{where} says {'yes' if row.interpreter else 'no'} to an interpreter and an "
                "earlier row does not: an interpreter is booked"
            )
            self.interpreter = True
        elif self.interpreter is None:
            self.interpreter = row.interpreter
        lo, hi = self.available_from, self.available_to
        if self.rows and (row.available_from, row.available_to) != (lo, hi):
            new_lo = max(x for x in (lo, row.available_from, -1) if x is not None)
            new_hi = min(x for x in (hi, row.available_to, 10_000) if x is not None)
            new_lo = None if new_lo < 0 else new_lo
            new_hi = None if new_hi >= 10_000 else new_hi
            if new_lo is not None and new_hi is not None and new_hi <= new_lo:
                self.merged.append(
                    f"{where} gives times that do not overlap an earlier row's: the earlier "
                    "row's times are used"
                )
            else:
                self.available_from, self.available_to = new_lo, new_hi
                self.merged.append(
                    f"{where} gives other times than an earlier row: only the times both "
                    f"allow are used ({self.times})"
                )
        elif not self.rows:
            self.available_from, self.available_to = row.available_from, row.available_to
        if row.child_name not in self.children:
            self.children.append(row.child_name)
        if row.teacher not in self.teachers:
            self.teachers.append(row.teacher)
        if row.line:
            self.lines.append(row.line)
        self.rows.append(n)

    def details(self) -> dict[str, object]:
        """The household's merged details, to write over each of its rows."""
        return {
            "parent_name": self.parent_name,
            "email": self.email,
            "home_language": self.home_language,
            "interpreter": self.interpreter,
            "available_from": self.available_from,
            "available_to": self.available_to,
        }

    @property
    def times(self) -> str:
        if self.available_from is None and self.available_to is None:
            return "the whole evening"
        a = fmt_time(self.available_from) if self.available_from is not None else "start"
        b = fmt_time(self.available_to) if self.available_to is not None else "end"
        return f"{a}–{b}"


@dataclass
class Conflict:
    """Rows sharing a family id that cannot be one household: the user decides."""

    family_id: str
    versions: list[Household]
    differences: list[str]  # what differs, in words: "parent or carer", "email", ...

    def choices(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the view: separate families, or one version's details."""
        out = [(f"Separate families ({' and '.join(v.label for v in self.versions)})", SEPARATE),
               ("Households of the same child (each its own letter and calendar)",
                TWO_HOUSEHOLDS)]
        for v in self.versions:
            who = v.parent_name or v.email or "no name"
            out.append((f"One family: use row {v.label}'s details ({who})", v.label))
        return out


SEPARATE = "separate"
# Two households of one child (separated parents, a carer and a parent): separate families for
# letters and calendars, linked so meetings can be joint.
TWO_HOUSEHOLDS = "two-households"


def household_versions(rows: list[FamilyRow]) -> dict[str, list[Household]]:
    """Each family id's households in row order (one for a consistent family)."""
    out: dict[str, list[Household]] = {}
    for n, row in enumerate(rows):
        versions = out.setdefault(row.family_id, [])
        for v in versions:
            if v.fits(row):
                v.add(n, row)
                break
        else:
            v = Household(label=chr(ord("A") + len(versions)) if len(versions) < 26 else str(len(versions) + 1))
            v.add(n, row)
            versions.append(v)
    return out


def find_conflicts(rows: list[FamilyRow]) -> list[Conflict]:
    """Family ids whose rows describe more than one household, for the user to resolve.

    A school's export can give two households one id (a typo, a reused number, a merged
    sibling record). Merging them silently would put one family's child in another's letter and
    lose a parent and their interpreter need, so they are shown side by side instead.
    """
    out = []
    for fid, versions in household_versions(rows).items():
        if len(versions) < 2:
            continue
        diffs = []
        for label, get in (
            ("parent or carer", lambda v: norm_key(v.parent_name)),
            ("email", lambda v: v.email.strip().lower()),
            ("home language", lambda v: norm_key(v.home_language)),
            ("interpreter", lambda v: v.interpreter),
            ("times", lambda v: (v.available_from, v.available_to)),
            ("children", lambda v: tuple(sorted(v.children))),
        ):
            if len({get(v) for v in versions}) > 1:
                diffs.append(label)
        out.append(Conflict(fid, versions, diffs))
    return out


def resolve_households(
    rows: list[FamilyRow], choices: dict[str, str] | None = None
) -> tuple[list[FamilyRow], list[str]]:
    """Rows with each conflicting family id settled: ``choices`` maps a family id to SEPARATE
    (the default: each household gets its own id, e.g. 'F12-B') or a version label ('A': one
    family with that row's parent, email, language, interpreter need and times).

    Rows of one household that disagree on the interpreter need or the times are merged the safe
    way (an interpreter booked; only the times all rows allow). Returns the rows and a sentence
    per such merge, so the page can say what was done.
    """
    choices = choices or {}
    out = list(rows)
    notes: list[str] = []
    taken = {r.family_id for r in rows}
    for fid, versions in household_versions(rows).items():
        for v in versions:
            if v.merged:  # one household whose rows disagree on a detail: the safe reading
                for n in v.rows:
                    out[n] = out[n].model_copy(update=v.details())
                notes += [f"family {fid}: {m}" for m in v.merged]
        if len(versions) < 2:
            continue
        choice = choices.get(fid, SEPARATE)
        chosen = next((v for v in versions if v.label == choice), None)
        if chosen is None:
            link = {"linked_to": fid} if choice == TWO_HOUSEHOLDS else {}
            for n in versions[0].rows:
                out[n] = out[n].model_copy(update=link)
            for v in versions[1:]:
                new_id = f"{fid}-{v.label}"
                while new_id in taken:
                    new_id += v.label
                taken.add(new_id)
                for n in v.rows:
                    out[n] = out[n].model_copy(update={"family_id": new_id, **link})
            continue
        details = chosen.details()
        for v in versions:
            for n in v.rows:
                out[n] = out[n].model_copy(update=details)
    return out, notes


# ----------------------------------------------------------------------------- building


_STRONG_SPLIT_RE = re.compile(r"\s*(?:[;|/&+\n]|\band\b)\s*", re.IGNORECASE)


def build_instance(
    settings: Settings,
    family_rows: list[FamilyRow],
    teacher_rows: list[TeacherRow],
    interpreter_rows: list[InterpreterRow],
    choices: dict[str, str] | None = None,
) -> tuple[Instance, list[Problem]]:
    """Join the three uploads; whatever cannot be joined is reported, never fatal or silent.

    ``choices`` settles family ids whose rows describe different households (see
    :func:`resolve_households`; unsettled ones become separate families). A teacher cell may name
    several teachers ('JSM; RAH'): each is its own request.
    """
    problems: list[Problem] = []
    teachers: dict[str, Teacher] = {}
    by_name: dict[str, str] = {}
    for i, t in enumerate(teacher_rows):
        if t.teacher_id in teachers:
            problems.append(
                Problem(
                    f"teachers, teacher {t.teacher_id}",
                    "this teacher id appears twice; the second row was ignored",
                    "give each teacher one row",
                )
            )
            continue
        window = (
            t.arrive if t.arrive is not None else settings.start,
            t.leave if t.leave is not None else settings.end,
        )
        avail = set(settings.slots_within(*window))
        bw = teacher_break_window(settings, i, len(teacher_rows), t.break_at, t.break_until)
        brk = slots_overlapping(settings, *bw) if bw else set()
        break_text = f"{fmt_time(bw[0])}–{fmt_time(bw[1])}" if bw and brk & avail else ""
        teachers[t.teacher_id] = Teacher(
            t.teacher_id,
            t.name,
            t.room or t.teacher_id,
            frozenset(norm_key(x) for x in split_list(t.languages)),
            frozenset(avail - brk),
            break_text,
            frozenset(brk & avail),
            window,
            bw,
            t.video_link,
        )
        by_name.setdefault(norm_key(t.name), t.teacher_id)
        by_name.setdefault(norm_key(t.teacher_id), t.teacher_id)

    def teacher_of(text: str) -> str | None:
        return text if text in teachers else by_name.get(norm_key(text))

    def teachers_in(cell: str) -> tuple[list[str], list[str]]:
        """(teacher ids found, parts not found) for one cell: whole, then split, then commas."""
        whole = teacher_of(cell)
        if whole is not None:
            return [whole], []
        found, unknown = [], []
        for part in [p.strip(" .") for p in _STRONG_SPLIT_RE.split(cell) if p.strip(" .")]:
            tid = teacher_of(part)
            if tid is None and "," in part:
                sub = [teacher_of(x.strip(" .")) for x in part.split(",") if x.strip(" .")]
                if sub and all(sub):
                    found += [x for x in sub if x]
                    continue
            if tid is None:
                unknown.append(part)
            else:
                found.append(tid)
        return list(dict.fromkeys(found)), unknown

    interpreters: dict[str, Interpreter] = {}
    for it in interpreter_rows:
        if it.interpreter_id in interpreters:
            problems.append(
                Problem(
                    f"interpreters, interpreter {it.interpreter_id}",
                    "this interpreter id appears twice; the second row was ignored",
                    "give each interpreter one row",
                )
            )
            continue
        window = (
            it.available_from if it.available_from is not None else settings.start,
            it.available_to if it.available_to is not None else settings.end,
        )
        interpreters[it.interpreter_id] = Interpreter(
            it.interpreter_id,
            it.name,
            frozenset(norm_key(x) for x in split_list(it.languages)),
            frozenset(settings.slots_within(*window)),
            window,
        )

    family_rows, notes = resolve_households(family_rows, choices)
    families: dict[str, Family] = {}
    merged: dict[tuple[str, str], dict] = {}
    for n, row in enumerate(family_rows):
        tids, unknown = teachers_in(row.teacher)
        where = f"families, row {row.line}" if row.line else "families"
        where += f", family {row.family_id} ({row.child_name})"
        several = len(tids) + len(unknown) > 1
        for part in unknown:
            problems.append(
                Problem(
                    where,
                    (
                        f"the teacher {part!r} (in the cell {row.teacher!r}) is not in the "
                        "teachers file, so this request was left out"
                        if several
                        else f"the teacher {row.teacher!r} is not in the teachers file, so this "
                        "request was left out"
                    ),
                    "check the spelling or add the teacher to the teachers file",
                )
            )
        if not tids:
            continue
        fam = families.get(row.family_id)
        if fam is None:
            lo = row.available_from if row.available_from is not None else settings.start
            hi = row.available_to if row.available_to is not None else settings.end
            slots = frozenset(settings.slots_within(lo, hi))
            if row.slots is not None:  # times chosen block by block, inside the window
                slots = frozenset(s for s in row.slots if s in slots)
            fam = Family(
                row.family_id,
                row.parent_name or f"Family {row.family_id}",
                row.home_language or "English",
                bool(row.interpreter),
                slots,
                [],
                row.email,
                (lo, hi),
                row.phone,
                row.linked_to,
                row.interpret_language,
                row.access_needs,
            )
            families[row.family_id] = fam
        else:  # rows of one household (checked above): they may fill each other's gaps
            fam.needs_interpreter = fam.needs_interpreter or bool(row.interpreter)
            fam.email = fam.email or row.email
            fam.phone = fam.phone or row.phone
            fam.link_id = fam.link_id or row.linked_to
            if fam.name == f"Family {row.family_id}" and row.parent_name:
                fam.name = row.parent_name
            if row.home_language and fam.language == "English":
                fam.language = row.home_language
        if row.child_name not in fam.children:
            fam.children.append(row.child_name)
        for tid in tids:
            key = (row.family_id, tid)
            m = merged.setdefault(
                key,
                {"children": [], "priority": 3, "order": (n, len(merged)), "mode": row.mode,
                 "joint": row.joint},
            )
            if row.child_name not in m["children"]:
                m["children"].append(row.child_name)
            m["priority"] = min(m["priority"], row.priority)
            if m["mode"] != row.mode and row.mode == "in_person":  # rows disagree: meet in person
                notes.append(
                    f"family {row.family_id}: rows ask to meet {teachers[tid].name} in different "
                    "ways: an in-person meeting is planned"
                )
                m["mode"] = "in_person"
            m["joint"] = m["joint"] or row.joint

    requests: list[Request] = []
    joined: dict[tuple[str, str], Request] = {}  # (child link, teacher) -> the joint meeting
    for (fid, tid), m in sorted(merged.items(), key=lambda kv: kv[1]["order"]):
        fam = families[fid]
        link = fam.link_id
        if link and m["joint"] and (link, tid) in joined:
            first = joined[(link, tid)]
            first.with_households = (*first.with_households, fid)
            first.children = tuple(dict.fromkeys((*first.children, *m["children"])))
            first.priority = min(first.priority, m["priority"])
            if m["mode"] == "in_person":
                first.mode = "in_person"
            if fam.needs_interpreter and not first.needs_interpreter:
                notes.append(
                    f"family {fid}: the joint meeting with {teachers[tid].name} uses the "
                    f"interpreter need of household {first.family_id} only"
                )
            continue
        lang = norm_key(fam.interpret_language or fam.language)
        needs = fam.needs_interpreter and lang not in teachers[tid].languages
        req = Request(
            len(requests), fid, tid, tuple(m["children"]), m["priority"], needs, lang, m["mode"]
        )
        requests.append(req)
        if link and m["joint"]:
            joined[(link, tid)] = req
    return Instance(settings, teachers, families, interpreters, requests, notes), problems

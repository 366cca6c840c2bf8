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

# ----------------------------------------------------------------------------- small parsers

_TIME_RE = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:\s*[:.hH]\s*(?P<m>\d{2}))?\s*(?P<ap>[aApP]\.?\s*[mM]\.?)?\s*$"
)
_COMPACT_RE = re.compile(r"^\s*(?P<h>\d{1,2})(?P<m>\d{2})\s*$")


def parse_time(value: object) -> int:
    """Minutes after midnight for '17:30', '17.30', '17h30', '5:30 pm', '5pm' or '1730'."""
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    text = str(value).strip()
    m = _COMPACT_RE.match(text) or _TIME_RE.match(text)
    if not m:
        raise ValueError(f"must be a time like 17:30; got {text!r}")
    h, mins = int(m.group("h")), int(m.group("m") or 0)
    ap = (m.groupdict().get("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if not 1 <= h <= 12:
            raise ValueError(f"must be a time like 17:30; got {text!r}")
        h = h % 12 + (12 if ap.startswith("p") else 0)
    if h > 24 or mins > 59 or (h == 24 and mins):
        raise ValueError(f"must be a time like 17:30; got {text!r}")
    return h * 60 + mins


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


# ----------------------------------------------------------------------------- upload rows


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


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
    home_language: str = "English"
    interpreter: bool = False
    available_from: int | None = None
    available_to: int | None = None
    email: str = ""

    @field_validator("priority", mode="before")
    @classmethod
    def _prio(cls, v: object) -> int:
        return parse_priority(v)

    @field_validator("interpreter", mode="before")
    @classmethod
    def _interp(cls, v: object) -> bool:
        return parse_bool(v)

    @field_validator("available_from", "available_to", mode="before")
    @classmethod
    def _times(cls, v: object) -> int | None:
        return _opt_time(v)

    @field_validator("home_language", mode="after")
    @classmethod
    def _lang(cls, v: str) -> str:
        return v or "English"

    @model_validator(mode="after")
    def _window(self) -> FamilyRow:
        if self.available_from is not None and self.available_to is not None:
            if self.available_to <= self.available_from:
                raise ValueError(
                    f"the family is available until {fmt_time(self.available_to)}, which is not "
                    f"after {fmt_time(self.available_from)}"
                )
        return self


class TeacherRow(_Row):
    teacher_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    room: str = ""
    break_at: int | None = None
    arrive: int | None = None
    leave: int | None = None
    languages: str = ""

    @field_validator("break_at", "arrive", "leave", mode="before")
    @classmethod
    def _times(cls, v: object) -> int | None:
        return _opt_time(v)


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


class Settings(BaseModel):
    """The evening itself: the choices a school makes before any family books."""

    model_config = ConfigDict(extra="forbid")

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


@dataclass
class Interpreter:
    id: str
    name: str
    languages: frozenset[str]
    slots: frozenset[int]


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


@dataclass
class Instance:
    settings: Settings
    teachers: dict[str, Teacher]
    families: dict[str, Family]
    interpreters: dict[str, Interpreter]
    requests: list[Request]

    @cached_property
    def by_family(self) -> dict[str, list[Request]]:
        """Requests per family (computed once; an instance does not change after building)."""
        return self.family_requests()

    def family_requests(self) -> dict[str, list[Request]]:
        out: dict[str, list[Request]] = {f: [] for f in self.families}
        for r in self.requests:
            out[r.family_id].append(r)
        return out

    def teacher_requests(self) -> dict[str, list[Request]]:
        out: dict[str, list[Request]] = {t: [] for t in self.teachers}
        for r in self.requests:
            out[r.teacher_id].append(r)
        return out

    def candidate_slots(self, r: Request) -> list[int]:
        """Slots where both the family and the teacher can be there (interpreters aside)."""
        return sorted(self.families[r.family_id].slots & self.teachers[r.teacher_id].slots)

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


def teacher_break_slots(settings: Settings, index: int, count: int, own_break: int | None) -> set:
    """The slots a teacher is on a break: their own time, else the evening's pattern."""
    n = settings.break_slots
    if n == 0 and own_break is None:
        return set()
    n = max(n, 1)
    if own_break is not None:
        first = (own_break - settings.start) // settings.slot_minutes
    elif settings.break_pattern == "none":
        return set()
    elif settings.break_pattern == "fixed":
        first = (settings.break_at - settings.start) // settings.slot_minutes
    else:  # staggered: spread the breaks over the middle half of the evening
        total = settings.n_slots
        lo, hi = total // 4, max(total // 4, (3 * total) // 4 - n)
        first = lo + ((hi - lo) * index // max(count - 1, 1) if count > 1 else (hi - lo) // 2)
    return {s for s in range(first, first + n) if 0 <= s < settings.n_slots}


def build_instance(
    settings: Settings,
    family_rows: list[FamilyRow],
    teacher_rows: list[TeacherRow],
    interpreter_rows: list[InterpreterRow],
) -> tuple[Instance, list[Problem]]:
    """Join the three uploads; rows that refer to unknown teachers are reported, not fatal."""
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
        avail = set(settings.slots_within(t.arrive, t.leave))
        brk = teacher_break_slots(settings, i, len(teacher_rows), t.break_at)
        break_text = ""
        if brk:
            b0, b1 = min(brk), max(brk)
            break_text = f"{fmt_time(settings.slot_start(b0))}–{fmt_time(settings.slot_end(b1))}"
        teachers[t.teacher_id] = Teacher(
            t.teacher_id,
            t.name,
            t.room or t.teacher_id,
            frozenset(norm_key(x) for x in split_list(t.languages)),
            frozenset(avail - brk),
            break_text,
            frozenset(brk & avail),
        )
        by_name.setdefault(norm_key(t.name), t.teacher_id)
        by_name.setdefault(norm_key(t.teacher_id), t.teacher_id)

    interpreters: dict[str, Interpreter] = {}
    for it in interpreter_rows:
        if it.interpreter_id in interpreters:
            continue
        interpreters[it.interpreter_id] = Interpreter(
            it.interpreter_id,
            it.name,
            frozenset(norm_key(x) for x in split_list(it.languages)),
            frozenset(settings.slots_within(it.available_from, it.available_to)),
        )

    families: dict[str, Family] = {}
    merged: dict[tuple[str, str], dict] = {}
    for n, row in enumerate(family_rows):
        tid = row.teacher if row.teacher in teachers else by_name.get(norm_key(row.teacher))
        if tid is None:
            problems.append(
                Problem(
                    f"families, family {row.family_id} ({row.child_name})",
                    f"the teacher {row.teacher!r} is not in the teachers file, so this request "
                    "was left out",
                    "check the spelling or add the teacher to the teachers file",
                )
            )
            continue
        fam = families.get(row.family_id)
        if fam is None:
            lo = row.available_from if row.available_from is not None else settings.start
            hi = row.available_to if row.available_to is not None else settings.end
            fam = Family(
                row.family_id,
                row.parent_name or f"Family {row.family_id}",
                row.home_language,
                row.interpreter,
                frozenset(settings.slots_within(lo, hi)),
                [],
                row.email,
                (lo, hi),
            )
            families[row.family_id] = fam
        else:  # later rows may fill gaps left by the first one
            fam.needs_interpreter = fam.needs_interpreter or row.interpreter
            fam.email = fam.email or row.email
        if row.child_name not in fam.children:
            fam.children.append(row.child_name)
        key = (row.family_id, tid)
        m = merged.setdefault(key, {"children": [], "priority": 3, "order": n})
        if row.child_name not in m["children"]:
            m["children"].append(row.child_name)
        m["priority"] = min(m["priority"], row.priority)

    requests: list[Request] = []
    for (fid, tid), m in sorted(merged.items(), key=lambda kv: kv[1]["order"]):
        fam = families[fid]
        lang = norm_key(fam.language)
        needs = fam.needs_interpreter and lang not in teachers[tid].languages
        requests.append(
            Request(len(requests), fid, tid, tuple(m["children"]), m["priority"], needs, lang)
        )
    return Instance(settings, teachers, families, interpreters, requests), problems

"""The professional-learning record worth keeping: what a school or registration body asks for.

Pure Python. From a participant's saved rows, the catalogue and the completion rule
(:mod:`widgets.workshop.model`) it builds one :class:`PDRecord`: objectives per module, delivery
mode (workshop or self-study) with the workshop and its facilitator, dates, the time actually
spent (measured from the store's save times, see :data:`TIME_RULE`), evidence (reflections,
role-play debriefs, plans) with dates, knowledge-check scores and the before/after self-rating
change. :func:`certified` is the part kept with the record's id in the store; the verify page
shows it back. :func:`record_html` renders the record with a Jinja2 template (autoescape).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from widgets.reflection.model import PREFIX as REFLECTION_PREFIX
from widgets.store import AnswerRow
from widgets.workshop.model import COMPLETION_RULE, Completion, answered, record_sentence

# A pause between two saves counts at most this long: someone who leaves a module open over
# lunch has not spent the lunch hour on it.
GAP_CAP = timedelta(minutes=15)

TIME_RULE = (
    "Time spent is measured from the times your answers were saved: from the first to the last "
    f"save in each module, with any pause longer than {int(GAP_CAP.total_seconds() // 60)} "
    "minutes counted as "
    f"{int(GAP_CAP.total_seconds() // 60)}. Reading before your first save and after your last "
    "one is not counted, and the kit keeps only the first and latest save of each answer, so "
    "this is a lower bound, not a stopwatch. The minutes beside it are the module's planned "
    "length, earned when the module is done."
)

VERIFY_NOTEBOOK = "verify_record.ipynb"

# Store item prefixes that are a plan or a product a participant made, with the word for it.
PLAN_KINDS: dict[str, str] = {
    "plan:": "action plan",
    "session-plan:": "session plan",
    "template:": "letter or call plan",
    "interview:": "interview guide",
    "skills:": "skills poster",
    "readiness:": "volunteer readiness tracker",
    "checklist:": "checklist",
    "rewrite:": "rewritten letter",
}


def time_spent(rows: list[AnswerRow], cap: timedelta = GAP_CAP) -> dict[str, timedelta]:
    """Per module, the time between its saves, each pause counted at most ``cap``.

    Every row gives two moments, when it was first saved and when last changed; the same input
    always gives the same answer (nothing here reads a clock).
    """
    moments: dict[str, set[datetime]] = defaultdict(set)
    for r in rows:
        moments[r.module].update({r.created_at, r.updated_at})
    out = {}
    for module, times in moments.items():
        ordered = sorted(times)
        out[module] = sum(
            (min(b - a, cap) for a, b in zip(ordered, ordered[1:], strict=False)), timedelta()
        )
    return out


def minutes(td: timedelta) -> int:
    """Whole minutes, rounded to the nearest (30 s or more rounds up)."""
    return int((td.total_seconds() + 30) // 60)


@dataclass(frozen=True)
class Evidence:
    kind: str  # "reflection", "role-play debrief", or a plan's kind
    module: str  # module title
    label: str
    date: str  # YYYY-MM-DD of the latest save


def _short(text: str, n: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def evidence(rows: list[AnswerRow], titles: dict[str, str]) -> list[Evidence]:
    """What a participant produced, oldest first: reflections, finished role-plays, plans."""
    out: list[tuple[datetime, Evidence]] = []
    for r in rows:
        if r.module not in titles or not answered(r):
            continue
        title, day = titles[r.module], r.updated_at.strftime("%Y-%m-%d")
        v = r.value
        if r.item.startswith(REFLECTION_PREFIX):
            out.append(
                (r.updated_at, Evidence("reflection", title, _short(v.get("prompt", "")), day))
            )
        elif r.item.startswith("roleplay:") and isinstance(v, dict):
            scenario = str(v.get("scenario") or r.item.split(":")[1])
            outcome = f" ({v['outcome']})" if v.get("outcome") else ""
            label = f"conversation '{scenario.replace('_', ' ')}'{outcome}"
            out.append((r.updated_at, Evidence("role-play debrief", title, label, day)))
        else:
            for prefix, kind in PLAN_KINDS.items():
                if r.item.startswith(prefix) and not r.item.endswith(":score"):
                    name = r.item.removeprefix(prefix).replace("_", " ").replace("-", " ")
                    out.append((r.updated_at, Evidence(kind, title, _short(name) or kind, day)))
                    break
    return [e for _, e in sorted(out, key=lambda x: x[0])]


@dataclass(frozen=True)
class ModuleLine:
    id: str
    title: str
    status: str  # e.g. "done 2026-11-25" or "in progress (2 of 3)"
    completed: bool
    planned_minutes: int
    earned_minutes: int
    spent_minutes: int  # measured, see TIME_RULE
    first_date: str
    last_date: str
    objectives: list[str]
    check: str  # "3 of 4 right" or ""
    rating: str  # "from 1.7 to 3.0 (+1.3) on 3 statements" or ""


@dataclass(frozen=True)
class PDRecord:
    name: str
    school: str
    issued: str  # YYYY-MM-DD
    mode: str  # "workshop" or "self-study"
    workshop: str  # title and date, "" for self-study
    facilitator: str  # as the participant entered it, "" if none
    sentence: str
    modules: list[ModuleLine]
    evidence: list[Evidence]
    first_date: str
    last_date: str
    planned_minutes: int
    earned_minutes: int
    spent_minutes: int
    record_id: str = ""
    time_rule: str = TIME_RULE
    completion_rule: str = COMPLETION_RULE
    notes: list[str] = field(default_factory=list)


def build_record(
    rows: list[AnswerRow],
    completion: Completion,
    *,
    name: str,
    school: str,
    issued: datetime,
    objectives: dict[str, list[str]],
    workshop: tuple[str, str] | None = None,
    facilitator: str = "",
    checks: dict[str, tuple[int, int]] | None = None,
    ratings: dict[str, str] | None = None,
) -> PDRecord:
    """The full record. ``workshop`` is (title, date) when the participant joined one.

    ``checks`` (module -> (right, questions)) and ``ratings`` (module -> change in words) come
    from :mod:`widgets.knowledge_check.model`, passed in so this stays free of its datasets.
    """
    checks, ratings = checks or {}, ratings or {}
    spent = time_spent(rows)
    by_module: dict[str, list[AnswerRow]] = defaultdict(list)
    for r in rows:
        by_module[r.module].append(r)
    lines = []
    for m in completion.modules:
        mrows = by_module.get(m.module_id, [])
        first = min((r.created_at for r in mrows), default=None)
        last = max((r.updated_at for r in mrows), default=None)
        right = checks.get(m.module_id)
        lines.append(
            ModuleLine(
                id=m.module_id,
                title=m.title,
                status=m.status_text,
                completed=m.completed,
                planned_minutes=m.minutes,
                earned_minutes=m.minutes_earned,
                spent_minutes=minutes(spent.get(m.module_id, timedelta())),
                first_date=first.strftime("%Y-%m-%d") if first else "",
                last_date=last.strftime("%Y-%m-%d") if last else "",
                objectives=list(objectives.get(m.module_id, [])),
                check=f"{right[0]} of {right[1]} right" if right else "",
                rating=ratings.get(m.module_id, ""),
            )
        )
    titles = {m.module_id: m.title for m in completion.modules}
    firsts = [x.first_date for x in lines if x.first_date]
    lasts = [x.last_date for x in lines if x.last_date]
    ws_words = ""
    if workshop:
        ws_words = workshop[0] + (f" ({workshop[1]})" if workshop[1] else "")
    return PDRecord(
        name=name.strip(),
        school=school.strip(),
        issued=issued.strftime("%Y-%m-%d"),
        mode="workshop" if workshop else "self-study",
        workshop=ws_words,
        facilitator=facilitator.strip() if workshop else "",
        sentence=record_sentence(completion),
        modules=lines,
        evidence=evidence(rows, titles),
        first_date=min(firsts, default=""),
        last_date=max(lasts, default=""),
        planned_minutes=sum(x.planned_minutes for x in lines if x.completed),
        earned_minutes=completion.minutes,
        spent_minutes=sum(x.spent_minutes for x in lines),
    )


def certified(record: PDRecord) -> dict[str, Any]:
    """What the store keeps with the record's id: the facts, no reflection texts.

    Evidence is kept as kinds, modules and dates only; what a participant wrote stays theirs.
    """
    data = asdict(record)
    data["evidence"] = [
        {"kind": e.kind, "module": e.module, "date": e.date} for e in record.evidence
    ]
    for m in data["modules"]:
        m.pop("objectives", None)  # the catalogue's; the verify page need not repeat them
    data.pop("time_rule", None)
    data.pop("completion_rule", None)
    data.pop("notes", None)
    data["record_id"] = ""  # the id is the key it is stored under
    return data




def record_html(record: PDRecord, reflections: list | tuple = (), verify_url: str = "") -> str:
    """The record as a web page to keep or print (Jinja2, every value escaped).

    ``reflections`` (cards with ``prompt`` and ``text``) make the portfolio page after it.
    """
    from widgets.html import render

    return render(
        "printable/pd_record.html",
        r=record,
        reflections=list(reflections),
        verify_url=verify_url,
        verify_notebook=VERIFY_NOTEBOOK,
    )


def verified_html(content: dict, record_id: str, issued_at: datetime) -> str:
    """What the verify page shows for a record the kit issued."""
    from widgets.html import render

    return render(
        "pd_record/verified.html",
        c=content,
        record_id=record_id,
        issued_at=issued_at.strftime("%d %B %Y, %H:%M UTC"),
        time_rule=TIME_RULE,
    )

"""Who got a meeting and who did not, and why: the report a school can show its parent council.

First-come-first-served booking hides its unfairness: the families who book late, work shifts or
need an interpreter simply find the popular teachers gone. This report makes it visible: every
request left without a time and the reason, how long families wait between meetings, the share of
requests met for each home language and priority, interpreter coverage per language, and the
demand each teacher could not meet.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from widgets.evening.data import PRIORITY_LABELS, Instance, Request, Timetable, fmt_time
from widgets.html import render

WAIT_BUCKETS = [(0, 0, "no wait"), (1, 10, "1–10 min"), (11, 20, "11–20 min"),
                (21, 40, "21–40 min"), (41, 60, "41–60 min"), (61, 10_000, "over an hour")]


@dataclass
class Unplaced:
    request: Request
    reason: str


@dataclass
class ShareRow:
    group: str
    requested: int
    placed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.placed / self.requested if self.requested else 100.0


@dataclass
class Report:
    requested: int
    placed: int
    upper_bound: int | None
    families: int
    families_fully_met: int
    families_with_none: int
    unplaced: list[Unplaced]
    waits: dict[str, int]  # family id -> minutes waiting between first and last meeting
    wait_buckets: list[tuple[str, int]]
    by_language: list[ShareRow]
    by_priority: list[ShareRow]
    interpreters: list[dict]
    teachers: list[dict]
    reasons: Counter = field(default_factory=Counter)

    @property
    def percent_placed(self) -> float:
        return 100.0 * self.placed / self.requested if self.requested else 100.0

    @property
    def worst_wait(self) -> int:
        return max(self.waits.values(), default=0)



def family_waits(inst: Instance, tt: Timetable) -> dict[str, int]:
    """Minutes each family spends between meetings (first start to last end, less meetings)."""
    st = inst.settings
    slots: dict[str, list[int]] = defaultdict(list)
    req = {r.id: r for r in inst.requests}
    for rid, p in tt.placements.items():
        slots[req[rid].family_id].append(p.slot)
    out = {}
    for fid, ss in slots.items():
        if len(ss) > 1:
            out[fid] = (max(ss) - min(ss) + 1 - len(ss)) * st.slot_minutes
        else:
            out[fid] = 0
    return out


def _reason(inst: Instance, tt: Timetable, r: Request, teacher_busy: set, fam_busy: set) -> str:
    t = inst.teachers[r.teacher_id]
    fam = inst.families[r.family_id]
    common = fam.slots & t.slots
    if not fam.slots:
        return "family availability: the family's times fall outside the evening"
    if not common:
        return (
            f"family availability: {t.name} is not there while the family can come "
            f"({fmt_time(fam.window[0])}–{fmt_time(fam.window[1])})"
        )
    if r.needs_interpreter:
        cover = set()
        for i in inst.interpreters_for(r.language_key):
            cover |= i.slots
        if not cover:
            return f"no interpreter: nobody on the list speaks {fam.language}"
        if not (common & cover):
            return f"no interpreter: no {fam.language} interpreter while both can meet"
    free = [s for s in common if (t.id, s) not in teacher_busy]
    if not free:
        return "teacher full: every time the family can come is already booked"
    if all(s in fam_busy for s in free):
        return "clash: the teacher's free times clash with the family's other meetings"
    if r.needs_interpreter:
        return "interpreter busy: the interpreter is with other families at the teacher's free times"
    return "teacher full: the remaining free times break the teacher's 'meetings in a row' limit"


def build_report(inst: Instance, tt: Timetable) -> Report:
    """Everything the fairness page shows, computed from the instance and the timetable."""
    req = {r.id: r for r in inst.requests}
    teacher_busy = {(req[rid].teacher_id, p.slot) for rid, p in tt.placements.items()}
    fam_busy: dict[str, set[int]] = defaultdict(set)
    for rid, p in tt.placements.items():
        fam_busy[req[rid].family_id].add(p.slot)

    unplaced = [
        Unplaced(r, _reason(inst, tt, r, teacher_busy, fam_busy[r.family_id]))
        for r in inst.requests
        if r.id not in tt.placements
    ]
    reasons = Counter(u.reason.split(":")[0] for u in unplaced)
    waits = family_waits(inst, tt)

    buckets = []
    for lo, hi, label in WAIT_BUCKETS:
        buckets.append((label, sum(lo <= w <= hi for w in waits.values())))

    def shares(keyf) -> list[ShareRow]:
        total: Counter = Counter()
        got: Counter = Counter()
        for r in inst.requests:
            k = keyf(r)
            total[k] += 1
            got[k] += r.id in tt.placements
        return [ShareRow(k, total[k], got[k]) for k in sorted(total, key=lambda k: -total[k])]

    by_language = shares(lambda r: inst.families[r.family_id].language)
    by_priority = sorted(
        shares(lambda r: PRIORITY_LABELS.get(r.priority, str(r.priority))),
        key=lambda row: [v for v in PRIORITY_LABELS.values()].index(row.group)
        if row.group in PRIORITY_LABELS.values()
        else 9,
    )

    interp_rows = []
    langs = sorted({r.language_key for r in inst.requests if r.needs_interpreter})
    for lang in langs:
        needing = [r for r in inst.requests if r.needs_interpreter and r.language_key == lang]
        placed = [r for r in needing if r.id in tt.placements]
        names = [i.name for i in inst.interpreters_for(lang)]
        label = inst.families[needing[0].family_id].language
        interp_rows.append(
            {
                "language": label,
                "families": len({r.family_id for r in needing}),
                "meetings needing": len(needing),
                "meetings with interpreter": sum(
                    1 for r in placed if tt.placements[r.id].interpreter_id
                ),
                "interpreters": ", ".join(names) or "none",
            }
        )

    teacher_rows = []
    by_teacher = inst.teacher_requests()
    for tid, t in inst.teachers.items():
        rs = by_teacher[tid]
        got = sum(r.id in tt.placements for r in rs)
        teacher_rows.append(
            {
                "teacher": t.name,
                "room": t.room,
                "requests": len(rs),
                "placed": got,
                "unmet": len(rs) - got,
                "free slots": len(t.slots) - got,
            }
        )
    teacher_rows.sort(key=lambda d: (-d["unmet"], d["teacher"]))

    fam_reqs = inst.family_requests()
    fully = sum(
        1 for f, rs in fam_reqs.items() if rs and all(r.id in tt.placements for r in rs)
    )
    none = sum(
        1 for f, rs in fam_reqs.items() if rs and not any(r.id in tt.placements for r in rs)
    )
    return Report(
        requested=len(inst.requests),
        placed=len(tt.placements),
        upper_bound=tt.upper_bound,
        families=sum(1 for rs in fam_reqs.values() if rs),
        families_fully_met=fully,
        families_with_none=none,
        unplaced=unplaced,
        waits=waits,
        wait_buckets=buckets,
        by_language=by_language,
        by_priority=by_priority,
        interpreters=interp_rows,
        teachers=teacher_rows,
        reasons=reasons,
    )


def report_html(rep: Report, inst: Instance, max_unplaced: int = 200) -> str:
    """The fairness report as HTML for the page (``evening/fairness.html``; every name from an
    upload is escaped by the template)."""
    n_req = Counter(r.family_id for r in inst.requests)
    multi = [w for fid, w in rep.waits.items() if n_req[fid] > 1]
    unplaced_rows = [
        [
            inst.families[u.request.family_id].name,
            ", ".join(u.request.children),
            inst.teachers[u.request.teacher_id].name,
            PRIORITY_LABELS.get(u.request.priority, ""),
            u.reason,
        ]
        for u in rep.unplaced[:max_unplaced]
    ]
    return render(
        "evening/fairness.html",
        rep=rep,
        mean_wait=statistics.mean(multi) if multi else 0,
        interpreter_rows=[list(d.values()) for d in rep.interpreters],
        teacher_rows=[list(d.values()) for d in rep.teachers if d["unmet"]],
        reason_summary=", ".join(f"{n} {k}" for k, n in rep.reasons.most_common()),
        unplaced_rows=unplaced_rows,
        more=max(0, len(rep.unplaced) - max_unplaced),
    )

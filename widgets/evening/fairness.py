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


def _e(x: object) -> str:
    import html

    return html.escape("" if x is None else str(x), quote=True)


def _table(headers: list[str], rows: list[list[object]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table class='pap-ev-table {cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bar(pct: float) -> str:
    colour = "#1e7b3c" if pct >= 90 else "#8a5a00" if pct >= 70 else "#a12622"
    return (
        f"<div style='background:#e6e9ee;border-radius:3px;height:8px;width:120px;display:inline-block'>"
        f"<div style='width:{max(0.0, min(pct, 100.0)):.0f}%;background:{colour};height:8px;"
        "border-radius:3px'></div></div>"
    )


def report_html(rep: Report, inst: Instance, max_unplaced: int = 200) -> str:
    """The fairness report as HTML for the page (every name from an upload is escaped)."""
    parts = ["<div class='pap-ev-fairness'>"]
    bound = ""
    if rep.upper_bound:
        bound = (
            f" No timetable could place more than <b>{rep.upper_bound}</b> under these rules, "
            f"so this is {100 * rep.placed / rep.upper_bound:.1f}% of the best possible."
        )
    parts.append(
        f"<p><b>{rep.placed} of {rep.requested}</b> requested meetings have a time "
        f"({rep.percent_placed:.1f}%).{bound} {rep.families_fully_met} of {rep.families} families "
        f"have every meeting they asked for; {rep.families_with_none} have none.</p>"
    )
    parts.append("<h4>Share of requests met, by priority</h4>")
    parts.append(
        "<table class='pap-ev-table'><tr><th>Priority</th><th>Requested</th><th>Placed</th>"
        "<th colspan=2>Share</th></tr>"
        + "".join(
            f"<tr><td>{_e(r.group)}</td><td>{r.requested}</td><td>{r.placed}</td>"
            f"<td>{r.percent:.0f}%</td><td>{_bar(r.percent)}</td></tr>"
            for r in rep.by_priority
        )
        + "</table>"
    )
    parts.append("<h4>Share of requests met, by home language</h4>")
    parts.append(
        "<table class='pap-ev-table'><tr><th>Home language</th><th>Requested</th><th>Placed</th>"
        "<th colspan=2>Share</th></tr>"
        + "".join(
            f"<tr><td>{_e(r.group)}</td><td>{r.requested}</td><td>{r.placed}</td>"
            f"<td>{r.percent:.0f}%</td><td>{_bar(r.percent)}</td></tr>"
            for r in rep.by_language
        )
        + "</table>"
    )
    waits = list(rep.waits.values())
    n_req = Counter(r.family_id for r in inst.requests)
    multi = [w for fid, w in rep.waits.items() if n_req[fid] > 1]
    parts.append("<h4>Waiting between meetings</h4>")
    parts.append(
        f"<p>Families with more than one meeting wait {statistics.mean(multi) if multi else 0:.1f} "
        f"minutes on average between their first and last meeting; the longest wait is "
        f"<b>{rep.worst_wait} minutes</b>.</p>"
        if waits
        else "<p>No family has a meeting yet.</p>"
    )
    parts.append(_table(["Wait", "Families"], [[lbl, n] for lbl, n in rep.wait_buckets]))
    parts.append("<h4>Interpreters and signers</h4>")
    if rep.interpreters:
        parts.append(
            _table(
                ["Language", "Families", "Meetings needing one", "Meetings with one", "Booked from"],
                [list(d.values()) for d in rep.interpreters],
            )
        )
    else:
        parts.append("<p>No meeting needs an interpreter.</p>")
    parts.append("<h4>Demand each teacher could not meet</h4>")
    rows = [list(d.values()) for d in rep.teachers if d["unmet"]]
    parts.append(
        _table(["Teacher", "Room", "Requests", "Placed", "Unmet", "Free slots"], rows)
        if rows
        else "<p>Every teacher could see every family who asked.</p>"
    )
    parts.append("<h4>Requests without a time, and why</h4>")
    if rep.unplaced:
        summary = ", ".join(f"{n} {k}" for k, n in rep.reasons.most_common())
        parts.append(f"<p>{_e(summary)}.</p>")
        urows = []
        for u in rep.unplaced[:max_unplaced]:
            fam = inst.families[u.request.family_id]
            urows.append(
                [
                    fam.name,
                    ", ".join(u.request.children),
                    inst.teachers[u.request.teacher_id].name,
                    PRIORITY_LABELS.get(u.request.priority, ""),
                    u.reason,
                ]
            )
        parts.append(
            _table(["Family", "Child", "Teacher", "Priority", "Why"], urows, "pap-ev-unplaced")
        )
        if len(rep.unplaced) > max_unplaced:
            parts.append(
                f"<p>… and {len(rep.unplaced) - max_unplaced} more in the timetable CSV.</p>"
            )
    else:
        parts.append("<p>Every request has a time.</p>")
    parts.append("</div>")
    return "".join(parts)

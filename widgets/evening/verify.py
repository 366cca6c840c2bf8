"""An independent check of every hard rule, written apart from the scheduler on purpose.

The scheduler's own bookkeeping could share a bug with its checks; this module recomputes every
rule from the instance and the timetable alone, so tests (and the app, before showing a timetable)
can trust the answer.
"""

from __future__ import annotations

from collections import defaultdict

from widgets.evening.data import Instance, Timetable, fmt_time


def verify(timetable: Timetable, inst: Instance) -> list[str]:
    """Every broken hard rule as a sentence; an empty list means the timetable is valid."""
    st = inst.settings
    errors: list[str] = []
    req = {r.id: r for r in inst.requests}
    gap = st.gap_slots
    teacher_at: dict[tuple[str, int], int] = {}
    family: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    interp: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    teacher_slots: dict[str, set[int]] = defaultdict(set)

    for rid, p in timetable.placements.items():
        if rid != p.request_id or rid not in req:
            errors.append(f"placement {rid} does not match a request")
            continue
        r = req[rid]
        t = inst.teachers[r.teacher_id]
        f = inst.families[r.family_id]
        s = p.slot
        if not 0 <= s < st.n_slots:
            errors.append(f"request {rid} is outside the evening (slot {s})")
            continue
        # the meeting's minutes against the times as entered, not the slots derived from them
        start, end = st.slot_start(s), st.slot_end(s)
        when = f"{fmt_time(start)}–{fmt_time(end)}"
        if s not in t.slots or start < t.window[0] or end > t.window[1]:
            errors.append(f"request {rid}: teacher {t.id} is not there at {when}")
        if t.break_window and start < t.break_window[1] and end > t.break_window[0]:
            b0, b1 = t.break_window
            errors.append(
                f"request {rid}: {when} overlaps teacher {t.id}'s break "
                f"{fmt_time(b0)}–{fmt_time(b1)}"
            )
        lo, hi = f.window
        if start < lo or end > hi or s not in f.slots:
            errors.append(f"request {rid}: family {f.id} is not available at {when}")
        key = (t.id, s)
        if key in teacher_at:
            errors.append(f"teacher {t.id} double-booked at slot {s} ({teacher_at[key]}, {rid})")
        teacher_at[key] = rid
        teacher_slots[t.id].add(s)
        family[f.id].append((s, t.room, rid))
        if r.needs_interpreter:
            if not p.interpreter_id:
                errors.append(f"request {rid} needs a {f.language} interpreter and has none")
            else:
                it = inst.interpreters.get(p.interpreter_id)
                if it is None:
                    errors.append(f"request {rid}: unknown interpreter {p.interpreter_id}")
                else:
                    if r.language_key not in it.languages:
                        errors.append(f"request {rid}: interpreter {it.id} lacks {f.language}")
                    if s not in it.slots or start < it.window[0] or end > it.window[1]:
                        errors.append(f"request {rid}: interpreter {it.id} not there at {when}")
                    interp[it.id].append((s, t.room, rid))
        elif p.interpreter_id:
            it = inst.interpreters.get(p.interpreter_id)
            if it is None:
                errors.append(f"request {rid}: unknown interpreter {p.interpreter_id}")
            else:
                interp[it.id].append((s, t.room, rid))

    def _no_clash(kind: str, who: str, items: list[tuple[int, str, int]]) -> None:
        items = sorted(items)
        for i, (s1, room1, r1) in enumerate(items):
            for s2, room2, r2 in items[i + 1 :]:
                if s2 == s1:
                    errors.append(f"{kind} {who} double-booked at slot {s1} ({r1}, {r2})")
                elif s2 - s1 <= gap and room1 != room2:
                    errors.append(
                        f"{kind} {who} has no time to walk from {room1} to {room2} "
                        f"between slots {s1} and {s2}"
                    )
                elif s2 - s1 > gap:
                    break

    for fid, items in family.items():
        _no_clash("family", fid, items)
    for iid, items in interp.items():
        _no_clash("interpreter", iid, items)

    for tid, slots in teacher_slots.items():
        run, prev = 0, None
        for s in sorted(slots):
            run = run + 1 if prev is not None and s == prev + 1 else 1
            prev = s
            if run > st.max_consecutive:
                errors.append(
                    f"teacher {tid} has more than {st.max_consecutive} meetings in a row "
                    f"(ending slot {s})"
                )
                break
    return errors

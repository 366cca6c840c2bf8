"""An independent check of every hard rule, written apart from the scheduler on purpose.

The scheduler's own bookkeeping could share a bug with its checks; this module recomputes every
rule from the instance and the timetable alone, so tests (and the app, before showing a timetable)
can trust the answer.
"""

from __future__ import annotations

from collections import defaultdict

from widgets.evening.data import Instance, Timetable, fmt_time

MODES = ("in_person", "phone", "video")


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
    room_at: dict[tuple[str, int], list[int]] = defaultdict(list)
    caps = dict(getattr(st, "room_capacity", {}) or {})

    for rid, p in timetable.placements.items():
        if rid != p.request_id or rid not in req:
            errors.append(f"placement {rid} does not match a request")
            continue
        r = req[rid]
        t = inst.teachers[r.teacher_id]
        f = inst.families[r.family_id]
        s = p.slot
        if r.mode not in MODES:
            errors.append(f"request {rid}: unknown meeting mode {r.mode!r}")
            continue
        # Only an in-person meeting is in a room (recomputed here, not taken from the scheduler).
        room = t.room if r.mode == "in_person" else None
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
        households = (r.family_id, *r.with_households)
        if len(set(households)) != len(households):
            errors.append(f"request {rid}: a household is listed twice")
        for fid in households:
            hh = inst.families.get(fid)
            if hh is None:
                errors.append(f"request {rid}: unknown household {fid}")
                continue
            if fid != r.family_id and (not hh.link_id or hh.link_id != f.link_id):
                errors.append(
                    f"request {rid}: household {fid} is not a household of the same child as "
                    f"{f.id}, so it cannot share this meeting"
                )
            lo, hi = hh.window
            if start < lo or end > hi or s not in hh.slots:
                errors.append(f"request {rid}: family {fid} is not available at {when}")
            family[fid].append((s, room, rid))
        key = (t.id, s)
        if key in teacher_at:
            errors.append(f"teacher {t.id} double-booked at slot {s} ({teacher_at[key]}, {rid})")
        teacher_at[key] = rid
        teacher_slots[t.id].add(s)
        if room is not None:
            room_at[(room, s)].append(rid)
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
                    interp[it.id].append((s, room, rid))
        elif p.interpreter_id:
            it = inst.interpreters.get(p.interpreter_id)
            if it is None:
                errors.append(f"request {rid}: unknown interpreter {p.interpreter_id}")
            else:
                interp[it.id].append((s, room, rid))

    for (room, s), rids in sorted(room_at.items()):
        cap = caps.get(room)
        if cap is not None and len(rids) > cap:
            errors.append(
                f"room {room} holds {len(rids)} in-person meetings at slot {s} "
                f"({', '.join(map(str, rids))}); it holds {cap}"
            )

    def _no_clash(kind: str, who: str, items: list[tuple[int, str | None, int]]) -> None:
        items = sorted(items, key=lambda x: (x[0], x[2]))
        for i, (s1, room1, r1) in enumerate(items):
            for s2, room2, r2 in items[i + 1 :]:
                if s2 == s1:
                    errors.append(f"{kind} {who} double-booked at slot {s1} ({r1}, {r2})")
                elif s2 - s1 <= gap and room1 is not None and room2 is not None and room1 != room2:
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

"""The scheduler on randomly generated schools, checked against the times as the school entered
them; and the same input always gives the same timetable, however busy the machine is.

The checker here is written apart from both the scheduler and ``verify``: it reads the rows as
they were uploaded (breaks at odd times, several teachers in one cell, few interpreters) and the
meeting times a timetable gives, and knows nothing of slots beyond "slot s starts at
start + s * length".
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from widgets.evening.data import (
    FamilyRow,
    InterpreterRow,
    Settings,
    TeacherRow,
    build_instance,
    fmt_time,
    norm_key,
)
from widgets.evening.scheduler import solve, upper_bound
from widgets.evening.verify import verify

ROOT = Path(__file__).resolve().parents[2]
ODD_TIMES = ["16:25", "16:47", "17:05", "17:45", "17:52", "18:13", "18:35"]


def random_school(seed: int) -> tuple[Settings, list[FamilyRow], list[TeacherRow], list[InterpreterRow]]:
    """A small school: breaks at odd times, teacher cells naming several teachers, scarce
    interpreters with odd hours, families who can only come part of the evening."""
    rng = random.Random(seed)
    slot = rng.choice([5, 10, 10, 15])
    st = Settings(
        start="16:00",
        end=rng.choice(["18:00", "18:30", "19:00"]),
        slot_minutes=slot,
        break_pattern=rng.choice(["none", "fixed"]),
        break_minutes=rng.choice([0, 10, 15]),
        break_at=rng.choice(["17:00", "17:25"]),
        max_consecutive=rng.choice([3, 4, 50]),
        gap_minutes=rng.choice([0, 0, 5]),
    )
    n_t = rng.randint(2, 6)
    teachers = []
    for i in range(n_t):
        brk = rng.choice(["", "", "17:45", rng.choice(ODD_TIMES),
                          f"{rng.choice(ODD_TIMES)}-{rng.choice(['17:58', '18:20', '18:41'])}"])
        if "-" in brk and brk.split("-")[1] <= brk.split("-")[0]:
            brk = brk.split("-")[0]
        teachers.append(TeacherRow(
            teacher_id=f"T{i}", name=f"Teacher {i}", room=f"R{i % max(n_t - 1, 1)}",
            break_at=brk, arrive=rng.choice(["", "", "16:35", "16:07"]),
            leave=rng.choice(["", "", "17:52", "18:43"]),
            languages=rng.choice(["", "", "", "French"]),
        ))
    interps = []
    for j, langs in enumerate(rng.sample(["Arabic", "Somali; Arabic", "French", "Polish"],
                                         rng.randint(0, 2))):
        interps.append(InterpreterRow(
            interpreter_id=f"I{j}", name=f"Interpreter {j}", languages=langs,
            available_from=rng.choice(["", "16:40", "17:13"]),
            available_to=rng.choice(["", "18:05"]),
        ))
    fams = []
    langs = ["English", "English", "English", "French", "Arabic", "Somali", "Polish"]
    seps = ["; ", ", ", "/", " and ", " & "]
    for f in range(rng.randint(5, 14)):
        lang = rng.choice(langs)
        lo = rng.choice(["", "", "16:20", "17:03"])
        hi = rng.choice(["", "", "18:10"])
        needs = lang != "English" and rng.random() < 0.8
        for c in range(rng.randint(1, 2)):
            chosen = rng.sample(teachers, rng.randint(1, min(3, n_t)))
            cell = rng.choice(seps).join(t.teacher_id for t in chosen)
            fams.append(FamilyRow(
                family_id=f"F{f}", parent_name=f"Parent {f}", child_name=f"Child {f}-{c}",
                teacher=cell, priority=rng.choice([1, 2, 3, 3, 3]), home_language=lang,
                interpreter=needs,
                available_from=lo, available_to=hi,
            ))
    return st, fams, teachers, interps


def check_against_entered_times(st, fams, teachers, interps, inst, tt) -> list[str]:
    """Every rule, from the rows as entered and each meeting's minutes."""
    bad: list[str] = []
    length = st.slot_minutes
    trow = {t.teacher_id: t for t in teachers}
    irow = {i.interpreter_id: i for i in interps}
    frow: dict[str, FamilyRow] = {}
    for r in fams:
        frow.setdefault(r.family_id, r)
    wanted = set()
    for r in fams:
        for part in r.teacher.replace(" and ", ";").replace("&", ";").replace(",", ";") \
                .replace("/", ";").split(";"):
            wanted.add((r.family_id, part.strip()))
    got = {(q.family_id, q.teacher_id) for q in inst.requests}
    if got != wanted:
        bad.append(f"requests {sorted(got ^ wanted)} differ from the cells")
    teacher_busy: dict[str, list[tuple[int, int]]] = {}
    family_busy: dict[str, list[tuple[int, int, str]]] = {}
    interp_busy: dict[str, list[tuple[int, int, str]]] = {}
    for rid, p in tt.placements.items():
        q = inst.requests[rid]
        a = st.start + p.slot * length
        b = a + length
        t = trow[q.teacher_id]
        f = frow[q.family_id]
        when = f"{fmt_time(a)}-{fmt_time(b)}"
        if a < st.start or b > st.end:
            bad.append(f"{rid} {when} outside the evening")
        if (t.arrive is not None and a < t.arrive) or (t.leave is not None and b > t.leave):
            bad.append(f"{rid} {when}: {t.teacher_id} not there")
        if t.break_at is not None:
            b0 = t.break_at
            b1 = t.break_until if t.break_until is not None else b0 + (st.break_minutes or length)
        elif st.break_pattern == "fixed" and st.break_minutes:
            b0, b1 = st.break_at, st.break_at + st.break_minutes
        else:
            b0 = b1 = None
        if b0 is not None and a < b1 and b > b0:
            bad.append(f"{rid} {when} inside {t.teacher_id}'s break {fmt_time(b0)}-{fmt_time(b1)}")
        if (f.available_from is not None and a < f.available_from) or (
            f.available_to is not None and b > f.available_to
        ):
            bad.append(f"{rid} {when}: family {f.family_id} not there")
        needs = bool(f.interpreter) and norm_key(f.home_language) not in {
            norm_key(x) for x in t.languages.split(";") if x.strip()
        }
        if needs:
            i = irow.get(p.interpreter_id or "")
            if i is None:
                bad.append(f"{rid} needs a {f.home_language} interpreter and has none")
            else:
                if norm_key(f.home_language) not in {norm_key(x) for x in i.languages.split(";")}:
                    bad.append(f"{rid}: {i.interpreter_id} does not speak {f.home_language}")
                if (i.available_from is not None and a < i.available_from) or (
                    i.available_to is not None and b > i.available_to
                ):
                    bad.append(f"{rid} {when}: interpreter {i.interpreter_id} not there")
                interp_busy.setdefault(i.interpreter_id, []).append((a, b, t.room or t.teacher_id))
        teacher_busy.setdefault(t.teacher_id, []).append((a, b))
        family_busy.setdefault(f.family_id, []).append((a, b, t.room or t.teacher_id))
    for who, spans in teacher_busy.items():
        spans.sort()
        run = 1
        for (_a1, b1), (a2, _b2) in zip(spans, spans[1:], strict=False):
            if a2 < b1:
                bad.append(f"teacher {who} double-booked at {fmt_time(a2)}")
            run = run + 1 if a2 == b1 else 1
            if run > st.max_consecutive:
                bad.append(f"teacher {who}: more than {st.max_consecutive} in a row")
    for kind, table in (("family", family_busy), ("interpreter", interp_busy)):
        for who, spans in table.items():
            spans.sort()
            for i, (_a1, b1, r1) in enumerate(spans):
                for a2, _b2, r2 in spans[i + 1:]:
                    if a2 < b1:
                        bad.append(f"{kind} {who} in two places at {fmt_time(a2)}")
                    elif r1 != r2 and a2 - b1 < st.gap_minutes:
                        bad.append(f"{kind} {who}: no time to walk {r1} -> {r2}")
    return bad


@pytest.mark.parametrize("seed", range(40))
def test_random_schools_keep_every_rule_as_entered(seed):
    st, fams, teachers, interps = random_school(seed)
    inst, problems = build_instance(st, fams, teachers, interps)
    assert problems == []  # every teacher in every cell was found
    tt = solve(inst, work=20_000)
    assert check_against_entered_times(st, fams, teachers, interps, inst, tt) == []
    assert verify(tt, inst) == []
    assert len(tt.placements) <= upper_bound(inst) <= len(inst.requests)


def test_the_checker_catches_a_meeting_in_a_break_at_an_odd_time():
    """A 17:45 break of 10 minutes with 10-minute meetings: 17:50-18:00 is inside it."""
    from widgets.evening.data import Placement, Timetable

    st = Settings(start="16:00", end="19:00", slot_minutes=10, break_pattern="none",
                  break_minutes=10)
    teachers = [TeacherRow(teacher_id="T0", name="T", break_at="17:45")]
    fams = [FamilyRow(family_id="F", child_name="C", teacher="T0")]
    inst, _ = build_instance(st, fams, teachers, [])
    s_1750 = (17 * 60 + 50 - st.start) // 10
    assert s_1750 not in inst.teachers["T0"].slots and s_1750 - 1 not in inst.teachers["T0"].slots
    tt = Timetable({0: Placement(0, s_1750)})
    assert any("break" in e for e in check_against_entered_times(st, fams, teachers, [], inst, tt))
    assert any("break" in e for e in verify(tt, inst))


def _signature(tt) -> list[tuple[int, int, str | None]]:
    return [(rid, p.slot, p.interpreter_id) for rid, p in sorted(tt.placements.items())]


def test_same_input_same_timetable_even_under_load():
    """The budget binds here (the search would go on), so a clock would cut it at a different
    point on a loaded machine; a work budget cuts it at the same step."""
    from widgets.evening.ingest import load_sample

    inst = load_sample("small").instance
    tt = solve(inst, work=2_500)
    assert tt.work >= 2_500  # stopped by the budget, not by running out of things to try
    first = _signature(tt)
    assert first and _signature(solve(inst, work=2_500)) == first
    # where the search stops changes the timetable, so a stop that moved with load would too
    assert _signature(solve(inst, work=1_500)) != first

    stop = threading.Event()

    def hog() -> None:  # keeps a core (and the GIL) busy while the second solve runs
        x = 0
        while not stop.is_set():
            x = (x * 31 + 7) % 1_000_003

    threads = [threading.Thread(target=hog, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        loaded = _signature(solve(load_sample("small").instance, work=2_500))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert loaded == first


SCRIPT = """
from widgets.evening.ingest import load_sample
from widgets.evening.scheduler import solve
inst = load_sample("small").instance
tt = solve(inst, work=2_500)
print(sorted((rid, p.slot, p.interpreter_id) for rid, p in tt.placements.items()))
"""


def test_same_timetable_in_another_process_with_other_string_hashing():
    """Set iteration order of strings changes between processes; the timetable must not."""
    out = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        res = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=300, check=True)
        out.append(res.stdout.strip())
    assert out[0] == out[1] and len(out[0]) > 100

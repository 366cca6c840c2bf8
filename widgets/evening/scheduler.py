"""A clash-free, fair parents' evening timetable, and an upper bound to judge it against.

Booking systems that hand out slots first come, first served let the quickest families take the
popular teachers. Here the school's priorities decide instead: "must meet" requests (the teacher
asked) are placed before family priorities, which are placed before routine requests, and a later
tier can only move an earlier meeting to another time, never take its place.

The method is a constructive heuristic with repair, which scales to a large secondary school in a
few seconds of pure Python:

1. Tier by tier, the most constrained request first, each meeting goes in the slot that adds the
   least waiting time for its family (siblings' meetings end up back to back).
2. A request that finds no room tries an augmenting chain inside its teacher's evening (move
   meeting A to a free time so B can take A's time, and so on), then moving one of its own
   family's other meetings.
3. A local search moves and swaps meetings to cut families' waiting, worst waits first.
4. Chains of meetings change over between two times (Kempe chains), so the meetings sharing a
   scarce interpreter, and any family still waiting long, can be regrouped across teachers.

:func:`upper_bound` computes a maximum flow (OR-Tools) over a relaxation of the same rules, so the
number of meetings placed can be compared with a number no timetable can beat. Hard rules are
checked independently by :func:`widgets.evening.verify.verify`.
"""

from __future__ import annotations

import time
from collections import deque

from widgets.evening.data import Instance, Placement, Request, Timetable
from widgets.evening.modes import walk_needed

# Steps of search a solve may take (see _State.work). About what a large secondary school
# (1,000 families, 60 teachers) needs to reach its best timetable; a small school finishes early.
DEFAULT_WORK = 500_000


class _State:
    """Who is where at each slot, with the checks every move needs."""

    def __init__(self, inst: Instance, budget: int | None = None) -> None:
        self.inst = inst
        # Work done so far and the most allowed: each step of a search counts one, so the
        # timetable depends on the input alone, never on how busy the machine is.
        self.work = 0
        self.budget = DEFAULT_WORK if budget is None else budget
        self.limit = self.budget
        st = inst.settings
        self.g = st.gap_slots
        self.maxc = st.max_consecutive
        self.req = {r.id: r for r in inst.requests}
        # The room an in-person meeting uses; None for phone and video (no room, no walking).
        self.room = {r.id: inst.room_of(r) for r in inst.requests}
        self.room_cap = dict(getattr(st, "room_capacity", {}) or {})
        self.rbusy: dict[tuple[str, int], set[int]] = {}
        self.cand = {r.id: inst.candidate_slots(r) for r in inst.requests}
        self.tbusy: dict[str, dict[int, int]] = {t: {} for t in inst.teachers}
        self.fmeet: dict[str, set[int]] = {f: set() for f in inst.families}
        self.ibusy: dict[str, dict[int, int]] = {i: {} for i in inst.interpreters}
        self.place: dict[int, tuple[int, str | None]] = {}
        self.interp_by_lang: dict[str, list[str]] = {}
        for r in inst.requests:
            if r.needs_interpreter and r.language_key not in self.interp_by_lang:
                self.interp_by_lang[r.language_key] = [
                    i.id for i in inst.interpreters_for(r.language_key)
                ]
        for rid, slots in self.cand.items():  # an interpreter must be free at some point
            r = self.req[rid]
            if r.needs_interpreter:
                ok: set[int] = set()
                for iid in self.interp_by_lang[r.language_key]:
                    ok |= inst.interpreters[iid].slots
                self.cand[rid] = [s for s in slots if s in ok]
        self.cand_set = {rid: frozenset(slots) for rid, slots in self.cand.items()}

    # --- checks ---------------------------------------------------------------------------
    def family_ok(self, r: Request, s: int, ignore: frozenset[int] = frozenset()) -> bool:
        """Every household at r free at s (with walking time), and r's room not full at s."""
        room = self.room[r.id]
        for fid in r.households:
            for other in self.fmeet[fid]:
                if other == r.id or other in ignore:
                    continue
                s2 = self.place[other][0]
                if s2 == s or (abs(s2 - s) <= self.g and walk_needed(self.room[other], room)):
                    return False
        return self.room_ok(r, s)

    def room_ok(self, r: Request, s: int) -> bool:
        """A room with a capacity holds no more in-person meetings at once (the same teacher's
        other meeting there is the teacher's own rule, so it does not count here)."""
        room = self.room[r.id]
        cap = self.room_cap.get(room) if room is not None else None
        if cap is None:
            return True
        others = [
            o for o in self.rbusy.get((room, s), ())
            if o != r.id and self.req[o].teacher_id != r.teacher_id
        ]
        return len(others) + 1 <= cap

    def consec_ok(self, tid: str, s: int, vacate: int | None = None) -> bool:
        busy = self.tbusy[tid]

        def occ(x: int) -> bool:
            return x in busy and x != vacate

        left = 0
        x = s - 1
        while occ(x):
            left += 1
            x -= 1
        right = 0
        x = s + 1
        while occ(x):
            right += 1
            x += 1
        return left + 1 + right <= self.maxc

    def teacher_free(self, tid: str, s: int) -> bool:
        return s not in self.tbusy[tid] and self.consec_ok(tid, s)

    def pick_interpreter(self, r: Request, s: int, ignore: frozenset[int] = frozenset()) -> str | None:
        """An interpreter free at ``s`` (and able to walk between rooms); '' if none is needed."""
        if not r.needs_interpreter:
            return ""
        room = self.room[r.id]
        best, best_key = None, None
        fam_interps = {
            self.place[o][1] for o in self.fmeet[r.family_id] if o != r.id and self.place[o][1]
        }
        for iid in self.interp_by_lang.get(r.language_key, ()):
            it = self.inst.interpreters[iid]
            if s not in it.slots:
                continue
            busy = self.ibusy[iid]
            ok = True
            for d in range(-self.g, self.g + 1):
                o = busy.get(s + d)
                if o is None or o == r.id or o in ignore:
                    continue
                if d == 0 or walk_needed(self.room[o], room):
                    ok = False
                    break
            if not ok:
                continue
            key = (iid not in fam_interps, len(busy))  # same interpreter for a family if we can
            if best_key is None or key < best_key:
                best, best_key = iid, key
        return best

    # --- moves ----------------------------------------------------------------------------
    def put(self, r: Request, s: int, iid: str | None) -> None:
        self.place[r.id] = (s, iid or None)
        self.tbusy[r.teacher_id][s] = r.id
        for fid in r.households:
            self.fmeet[fid].add(r.id)
        if self.room[r.id] is not None:
            self.rbusy.setdefault((self.room[r.id], s), set()).add(r.id)
        if iid:
            self.ibusy[iid][s] = r.id

    def take(self, r: Request) -> tuple[int, str | None]:
        s, iid = self.place.pop(r.id)
        del self.tbusy[r.teacher_id][s]
        for fid in r.households:
            self.fmeet[fid].discard(r.id)
        if self.room[r.id] is not None:
            self.rbusy.get((self.room[r.id], s), set()).discard(r.id)
        if iid:
            del self.ibusy[iid][s]
        return s, iid

    def family_slots(self, fid: str, extra: int | None = None, drop: int | None = None) -> list:
        out = [self.place[o][0] for o in self.fmeet[fid] if o != drop]
        if extra is not None:
            out.append(extra)
        return out

    @staticmethod
    def wait_of(slots: list[int]) -> int:
        return (max(slots) - min(slots) + 1 - len(slots)) if len(slots) > 1 else 0

    def feasible_here(self, r: Request, s: int) -> str | None:
        """None if r cannot go at s now; otherwise the interpreter id ('' if none needed)."""
        if not self.teacher_free(r.teacher_id, s) or not self.family_ok(r, s):
            return None
        return self.pick_interpreter(r, s)

    def best_slot(self, r: Request) -> tuple[int, str] | None:
        base = self.family_slots(r.family_id)
        w0 = self.wait_of(base) if base else 0
        best, best_key = None, None
        n = self.inst.settings.n_slots
        for s in self.cand[r.id]:
            iid = self.feasible_here(r, s)
            if iid is None:
                continue
            if base:
                dw = self.wait_of(base + [s]) - w0
                key = (dw, abs(s - (min(base) + max(base)) / 2))
            else:  # first meeting of the family: keep to the family's window middle-ish
                key = (0, abs(s - n / 2))
            if best_key is None or key < best_key:
                best, best_key = (s, iid), key
        return best

    def augment_teacher(self, r: Request) -> bool:
        """Breadth-first chain of moves inside r's teacher's evening that frees a slot for r."""
        tid = r.teacher_id
        busy = self.tbusy[tid]
        teacher_slots = self.inst.teachers[tid].slots
        if not any(s not in busy and self.consec_ok(tid, s) for s in teacher_slots):
            return False
        # node: a slot s to be filled by `who`; parent[s] = (previous slot or None, request id)
        parent: dict[int, tuple[int | None, int]] = {}
        queue: deque[int] = deque()
        for s in self.cand[r.id]:
            if s in parent or not self.family_ok(r, s) or self.pick_interpreter(r, s) is None:
                continue
            parent[s] = (None, r.id)
            queue.append(s)
        while queue:
            s = queue.popleft()
            self.work += 1
            occupant = busy.get(s)
            if occupant is None:
                if not self.consec_ok(tid, s):
                    continue
                # unwind: the requests along the path move one step
                chain: list[tuple[int, int]] = []  # (request id, new slot)
                x: int | None = s
                while x is not None:
                    prev, who = parent[x]
                    chain.append((who, x))
                    x = prev
                old = {w: self.take(self.req[w]) for w, _ in chain if w in self.place}
                done: list[Request] = []
                for who, slot in chain:
                    rr = self.req[who]
                    iid = self.pick_interpreter(rr, slot)
                    if iid is None:  # cannot happen by construction; undo to stay safe
                        for d in done:
                            self.take(d)
                        for w, spot in old.items():
                            self.put(self.req[w], *spot)
                        return False
                    self.put(rr, slot, iid)
                    done.append(rr)
                return True
            occ = self.req[occupant]
            for s2 in self.cand[occupant]:
                if s2 in parent or s2 == s:
                    continue
                if not self.family_ok(occ, s2) or self.pick_interpreter(occ, s2) is None:
                    continue
                parent[s2] = (s, occupant)
                queue.append(s2)
        return False

    def move_family_meeting(self, r: Request) -> bool:
        """Place r by moving one of its family's other meetings to another free time."""
        fid = r.family_id
        for s in self.cand[r.id]:
            if not self.teacher_free(r.teacher_id, s):
                continue
            blockers = [
                o
                for o in self.fmeet[fid]
                if self.place[o][0] == s
                or (abs(self.place[o][0] - s) <= self.g
                    and walk_needed(self.room[o], self.room[r.id]))
            ]
            if len(blockers) != 1:
                continue
            m = self.req[blockers[0]]
            old = self.take(m)
            iid = self.feasible_here(r, s)
            if iid is not None:
                self.put(r, s, iid)
                alt = self.best_slot(m)
                if alt is not None:
                    self.put(m, *alt)
                    return True
                self.take(r)
            self.put(m, *old)
        return False

    # --- local search on waiting ----------------------------------------------------------
    def spent(self) -> bool:
        """Has the search used up the work allowed for the current phase?"""
        return self.work >= self.limit

    def improve_waits(self) -> None:
        """Move or swap meetings so families wait less; squares make the worst waits count most."""
        improved = True
        while improved and not self.spent():
            improved = False
            fams = [f for f in self.fmeet if len(self.fmeet[f]) > 1]
            fams.sort(key=lambda f: -self.wait_of(self.family_slots(f)))
            for fid in fams:
                self.work += 1
                if self.spent():
                    return
                if self.wait_of(self.family_slots(fid)) == 0:
                    break
                if self._improve_family(fid):
                    improved = True

    def _improve_family(self, fid: str) -> bool:
        changed = False
        for rid in sorted(self.fmeet[fid], key=lambda o: self.place[o][0]):
            if rid not in self.place:
                continue
            cur = self.family_slots(fid)
            w_now = self.wait_of(cur) ** 2
            r = self.req[rid]
            s_old, i_old = self.place[rid]
            others = self.family_slots(fid, drop=rid)
            lo, hi = min(others), max(others)
            targets = [s for s in self.cand[rid] if lo - 1 <= s <= hi + 1 and s != s_old]
            targets.sort(key=lambda s: self.wait_of(others + [s]))
            for s in targets:
                self.work += 1
                if self.wait_of(others + [s]) ** 2 >= w_now:
                    break
                occupant = self.tbusy[r.teacher_id].get(s)
                if occupant is None:
                    self.take(r)
                    iid = self.feasible_here(r, s)
                    if iid is not None and self.consec_ok(r.teacher_id, s):
                        self.put(r, s, iid)
                        changed = True
                        break
                    self.put(r, s_old, i_old)
                elif self._try_swap(r, occupant, s_old, s, w_now) or self._try_eject(
                    r, occupant, s_old, s, w_now
                ):
                    changed = True
                    break
        if not changed and self.wait_of(self.family_slots(fid)) > 0:
            changed = self._replan_family(fid)
        return changed

    def _try_eject(self, r: Request, occ_id: int, s_r: int, s_o: int, w_r_now: int) -> bool:
        """r takes s_o; its occupant moves to a free time of the same teacher."""
        o = self.req[occ_id]
        f2 = o.family_id
        w2_now = self.wait_of(self.family_slots(f2)) ** 2
        w_r_after = self.wait_of(self.family_slots(r.family_id, extra=s_o, drop=r.id)) ** 2
        if w_r_after >= w_r_now:
            return False
        busy = self.tbusy[r.teacher_id]
        options = []
        for s2 in self.cand[occ_id]:
            if s2 in busy or s2 == s_o:
                continue
            gain = w_r_now + w2_now - w_r_after
            w2 = self.wait_of(self.family_slots(f2, extra=s2, drop=occ_id)) ** 2
            if w2 < gain:
                options.append((w2, s2))
        if not options:
            return False
        options.sort()
        a_old, b_old = self.take(r), self.take(o)
        for _w2, s2 in options[:6]:
            if not self.consec_ok(r.teacher_id, s2) or not self.family_ok(o, s2):
                continue
            io = self.pick_interpreter(o, s2)
            if io is None:
                continue
            self.put(o, s2, io)
            if self.family_ok(r, s_o) and self.consec_ok(r.teacher_id, s_o):
                ir = self.pick_interpreter(r, s_o)
                if ir is not None:
                    self.put(r, s_o, ir)
                    return True
            self.take(o)
        self.put(r, *a_old)
        self.put(o, *b_old)
        return False

    def _replan_family(self, fid: str) -> bool:
        """Take all of a family's meetings out and put them back as one compact run if we can."""
        from itertools import permutations

        rids = sorted(self.fmeet[fid])
        if len(rids) < 2 or len(rids) > 5:
            return False
        before = self.wait_of(self.family_slots(fid))
        saved = {rid: self.take(self.req[rid]) for rid in rids}
        reqs = [self.req[rid] for rid in rids]
        n = self.inst.settings.n_slots
        cand_sets = {rid: set(self.cand[rid]) for rid in rids}
        best, best_wait = None, before
        orders = list(permutations(reqs))[:24]
        for s0 in range(n):
            for order in orders:
                if s0 not in cand_sets[order[0].id]:
                    continue
                self.work += 1
                plan: list[tuple[Request, int, str]] = []
                prev_room, prev_s, ok = None, None, True
                for rr in order:
                    lo = s0 if prev_s is None else prev_s + 1
                    if walk_needed(prev_room, self.room[rr.id]):
                        lo = prev_s + 1 + self.g
                    limit = lo + max(best_wait, 0) + 1
                    found = None
                    for s in range(lo, min(n, limit)):
                        if s not in cand_sets[rr.id] or not self.teacher_free(rr.teacher_id, s):
                            continue
                        if not self.family_ok(rr, s):  # the other household, the room's capacity
                            continue
                        iid = self.pick_interpreter(rr, s)
                        if iid is None:
                            continue
                        found = (s, iid)
                        break
                    if found is None:
                        ok = False
                        break
                    plan.append((rr, *found))
                    prev_room, prev_s = self.room[rr.id], found[0]
                    self.put(rr, *found)  # so the next meeting's checks see it
                for rr, _s, _i in plan:
                    self.take(rr)
                if ok:
                    w = self.wait_of([s for _r, s, _i in plan])
                    if w < best_wait:
                        best, best_wait = plan, w
                        if w == 0:
                            break
            if best_wait == 0:
                break
        if best is None:
            for rid, spot in saved.items():
                self.put(self.req[rid], *spot)
            return False
        for rr, s, iid in best:
            self.put(rr, s, iid)
        return True

    # --- exchanging two times (Kempe chains) ----------------------------------------------
    def improve_exchanges(self) -> None:
        """Cut the longest waits by exchanging two times for a chain of meetings.

        The moves of :meth:`improve_waits` stay inside one teacher's evening, so an interpreter
        whose evening is full (one interpreter for a language) keeps each family's meetings where
        the first pass scattered them. Here the meetings at two times change over as a chain: a
        meeting going from s1 to s2 pushes whatever shares its teacher, family or interpreter at
        s2 back to s1, and so on. Teachers, families and interpreters stay as busy as before, so
        the chain rarely breaks a rule, and it can move meetings of different teachers together.
        A change is kept when it lowers the sum of the fourth powers of the waits of the families
        it touches and none of them ends up waiting longer than the longest of them did before.
        """
        for _round in range(6):
            if self.spent():
                return
            changed = self._exchange_interpreters()
            changed = self._exchange_families() or changed
            if not changed:
                return

    def _exchange_interpreters(self) -> bool:
        """Every pair of times in each interpreter's evening, busiest interpreters first."""
        share = {
            iid: len(self.ibusy[iid]) / max(len(it.slots), 1)
            for iid, it in self.inst.interpreters.items()
        }
        changed = False
        for iid in sorted(self.ibusy, key=lambda i: (-share[i], i)):
            if not self.ibusy[iid]:
                continue
            slots = sorted(self.inst.interpreters[iid].slots)
            for i, s1 in enumerate(slots):
                if self.spent():
                    return changed
                for s2 in slots[i + 1 :]:
                    self.work += 1
                    a = self.ibusy[iid].get(s1)
                    if a is None:
                        a = self.ibusy[iid].get(s2)
                    if a is None:
                        continue
                    moves = self._chain(a, s1, s2)
                    if moves is not None and self._apply_moves(moves):
                        changed = True
        return changed

    def _exchange_families(self) -> bool:
        """Bring the outlying meetings of waiting families in, the longest waits first."""
        changed = False
        fams = [f for f in self.fmeet if len(self.fmeet[f]) > 1]
        fams.sort(key=lambda f: (-self.wait_of(self.family_slots(f)), f))
        for fid in fams:
            if self.spent():
                return changed
            progress = True
            while progress and self.wait_of(self.family_slots(fid)) > 0:
                progress = False
                w_now = self.wait_of(self.family_slots(fid))
                for rid in sorted(self.fmeet[fid], key=lambda o: self.place[o][0]):
                    s1 = self.place[rid][0]
                    others = self.family_slots(fid, drop=rid)
                    lo, hi = min(others), max(others)
                    targets = [
                        s for s in self.cand[rid]
                        if lo - 1 <= s <= hi + 1 and s != s1
                        and self.wait_of(others + [s]) < w_now
                    ]
                    targets.sort(key=lambda s: (self.wait_of(others + [s]), s))
                    for s2 in targets:
                        self.work += 1
                        moves = self._chain(rid, s1, s2)
                        if moves is not None and self._apply_moves(moves):
                            progress = changed = True
                            break
                    if not progress:
                        for s2 in targets[:3]:
                            if self._make_room(rid, s1, s2):
                                progress = changed = True
                                break
                    if progress:
                        break
        return changed

    def _chain(self, seed: int, s1: int, s2: int, limit: int = 16) -> dict[int, int] | None:
        """Request id -> new time for every meeting that must change over with ``seed``."""
        other = {s1: s2, s2: s1}
        moves = {seed: other[self.place[seed][0]]}
        queue: deque[int] = deque([seed])
        while queue:
            rid = queue.popleft()
            r = self.req[rid]
            dest = moves[rid]
            found = [self.tbusy[r.teacher_id].get(dest)]
            for fid in r.households:
                found += [m for m in self.fmeet[fid] if self.place[m][0] == dest]
            iid = self.place[rid][1]
            if iid:
                found.append(self.ibusy[iid].get(dest))
            for o in found:
                if o is None or o in moves:
                    continue
                moves[o] = other[dest]
                if len(moves) > limit:
                    return None
                queue.append(o)
        return moves

    def _apply_moves(self, moves: dict[int, int]) -> bool:
        """Make the moves if every rule still holds and the waits improve; else change nothing."""
        for rid, s in moves.items():
            if s not in self.cand_set[rid]:
                return False
        fams = {self.req[rid].family_id for rid in moves}
        before = {f: self.wait_of(self.family_slots(f)) for f in fams}
        after = {
            f: self.wait_of([moves.get(o, self.place[o][0]) for o in self.fmeet[f]]) for f in fams
        }
        if not self._better(before, after):
            return False
        return self._make_moves(moves) is not None

    @staticmethod
    def _better(before: dict[str, int], after: dict[str, int]) -> bool:
        """Lower sum of fourth powers of the waits, and no longer worst wait among these families."""
        if max(after.values(), default=0) > max(before.values(), default=0):
            return False
        return sum(w**4 for w in after.values()) < sum(w**4 for w in before.values())

    def _undo(self, old: dict[int, tuple[int, str | None]]) -> None:
        for rid in old:
            self.take(self.req[rid])
        for rid, spot in old.items():
            self.put(self.req[rid], *spot)

    def _make_moves(self, moves: dict[int, int]) -> dict[int, tuple[int, str | None]] | None:
        """Make the moves if every hard rule holds after them: the old places, else None."""
        for rid, s in moves.items():
            if s not in self.cand_set[rid]:
                return None
        old = {rid: self.take(self.req[rid]) for rid in moves}
        vacated = {(self.req[rid].teacher_id, s) for rid, (s, _i) in old.items()}
        done: list[Request] = []
        ok = True
        for rid, s in moves.items():
            r = self.req[rid]
            if s in self.tbusy[r.teacher_id] or not self.family_ok(r, s):
                ok = False
                break
            iid = self.pick_interpreter(r, s)
            if iid is None:
                ok = False
                break
            self.put(r, s, iid)
            done.append(r)
        if ok:  # a teacher busy at a time they were free: no run longer than the limit
            for rid, s in moves.items():
                tid = self.req[rid].teacher_id
                if (tid, s) not in vacated and not self._run_ok(tid, s):
                    ok = False
                    break
        if ok:
            return old
        for r in done:
            self.take(r)
        for rid, spot in old.items():
            self.put(self.req[rid], *spot)
        return None

    def _make_room(self, rid: int, s1: int, s2: int) -> bool:
        """Two chains: the teacher's meeting at s2 goes to a free time s3, then rid takes s2."""
        r = self.req[rid]
        busy = self.tbusy[r.teacher_id]
        x = busy.get(s2)
        if x is None:
            return False
        fx = self.req[x].family_id
        xs = self.family_slots(fx, drop=x)
        options = [s3 for s3 in self.cand[x] if s3 not in busy and s3 != s1]
        options.sort(key=lambda s3: (self.wait_of(xs + [s3]) if xs else 0, abs(s3 - s2)))
        for s3 in options[:4]:
            self.work += 1
            first = self._chain(x, s2, s3)
            if first is None or rid in first:
                continue
            fams = {self.req[o].family_id for o in first} | {r.family_id}
            before = {f: self.wait_of(self.family_slots(f)) for f in fams}
            old1 = self._make_moves(first)
            if old1 is None:
                continue
            second = self._chain(rid, s1, s2)
            if second is not None:
                for o in second:  # families the first chain left alone: their wait until now
                    f = self.req[o].family_id
                    if f not in before:
                        before[f] = self.wait_of(self.family_slots(f))
                old2 = self._make_moves(second)
                if old2 is not None:
                    after = {f: self.wait_of(self.family_slots(f)) for f in before}
                    if self._better(before, after):
                        return True
                    self._undo(old2)
            self._undo(old1)
        return False

    def _run_ok(self, tid: str, s: int) -> bool:
        """No run of meetings through s (which is taken) longer than the limit."""
        busy = self.tbusy[tid]
        left = s - 1
        while left in busy:
            left -= 1
        right = s + 1
        while right in busy:
            right += 1
        return right - left - 1 <= self.maxc

    def _try_swap(self, r: Request, occ_id: int, s_r: int, s_o: int, w_r_now: int) -> bool:
        o = self.req[occ_id]
        if s_r not in self.cand[occ_id]:
            return False
        f2 = o.family_id
        before = w_r_now + self.wait_of(self.family_slots(f2)) ** 2
        after = (
            self.wait_of(self.family_slots(r.family_id, extra=s_o, drop=r.id)) ** 2
            + self.wait_of(self.family_slots(f2, extra=s_r, drop=o.id)) ** 2
        )
        if after >= before:
            return False
        a_old, b_old = self.take(r), self.take(o)
        if self.family_ok(r, s_o) and self.family_ok(o, s_r):
            ir = self.pick_interpreter(r, s_o)
            if ir is not None:
                self.put(r, s_o, ir)
                io = self.pick_interpreter(o, s_r)
                if io is not None:
                    self.put(o, s_r, io)
                    return True
                self.take(r)
        self.put(r, *a_old)
        self.put(o, *b_old)
        return False


def _order(inst: Instance, st: _State) -> list[Request]:
    """Priority tier first; inside a tier, the fewest possible times first."""
    demand: dict[str, int] = {t: 0 for t in inst.teachers}
    for r in inst.requests:
        demand[r.teacher_id] += 1
    pressure = {t: demand[t] / max(len(inst.teachers[t].slots), 1) for t in inst.teachers}
    fam_load = {f: 0 for f in inst.families}
    for r in inst.requests:
        fam_load[r.family_id] += 1
    return sorted(
        inst.requests,
        key=lambda r: (
            r.priority,
            len(st.cand[r.id]) / max(pressure[r.teacher_id], 0.05),
            -fam_load[r.family_id],
            r.id,
        ),
    )


def solve(inst: Instance, work: int | None = None, improve: bool = True) -> Timetable:
    """A timetable for ``inst``; hard rules always hold, quality improves with ``work``.

    ``work`` caps the steps of the search (placements tried, chain moves, swaps weighed), not
    seconds: the same input gives the same timetable on an idle laptop and on a loaded server.
    """
    t0 = time.perf_counter()
    st = _State(inst, work)
    order = _order(inst, st)
    for tier in (1, 2, 3):
        pending = [r for r in order if r.priority == tier]
        failed: list[Request] = []
        for r in pending:
            st.work += 1
            spot = st.best_slot(r)
            if spot is not None:
                st.put(r, *spot)
            else:
                failed.append(r)
        for r in failed:
            if st.spent():
                break
            if st.augment_teacher(r) or st.move_family_meeting(r):
                continue
    if improve:
        st.limit = st.work + (st.budget - st.work) * 9 // 10  # keep a tenth for the exchanges
        for _round in range(4):
            st.improve_waits()
            # compaction can open room: another pass for the requests still without a time
            added = 0
            for r in order:
                if r.id in st.place or st.spent():
                    continue
                st.work += 1
                spot = st.best_slot(r)
                if spot is not None:
                    st.put(r, *spot)
                    added += 1
                elif st.augment_teacher(r):
                    added += 1
            if not added:
                break
        st.limit = st.budget
        st.improve_exchanges()
    placements = {
        rid: Placement(rid, s, iid or None) for rid, (s, iid) in sorted(st.place.items())
    }
    return Timetable(
        placements, method="priority heuristic", seconds=time.perf_counter() - t0, work=st.work
    )


# ----------------------------------------------------------------------------- upper bound


def _max_in_runs(slots: frozenset[int], maxc: int) -> int:
    """Most meetings a teacher can hold in these slots without more than maxc in a row."""
    total = 0
    for length in _runs(sorted(slots)):
        total += length - length // (maxc + 1)
    return total


def _runs(slots: list[int]) -> list[int]:
    out: list[int] = []
    prev = None
    for s in slots:
        if prev is not None and s == prev + 1:
            out[-1] += 1
        else:
            out.append(1)
        prev = s
    return out


def _family_cap(slots: list[int], spacing: int) -> int:
    count, last = 0, None
    for s in sorted(slots):
        if last is None or s - last >= spacing:
            count += 1
            last = s
    return count


def upper_bound(inst: Instance) -> int:
    """No timetable places more meetings than this (maximum flow over a relaxation).

    Flow goes source → family (capacity: meetings that fit in its window, with walking gaps if all
    its teachers are in different rooms) → request (1) → teacher slot (1, only slots both can make,
    and only when an interpreter of the language is there if one is needed) → teacher (the most
    meetings its free slots allow under the "no more than N in a row" rule) → sink.

    An interpreter is in one room at a time, so a second network also sends the meetings that
    need an interpreter through their language (capacity: the slots its interpreters can give)
    and through the group of languages that share interpreters. To do so it splits a family that
    needs an interpreter into the meetings that need one and the others (each capped on its own).
    Both networks are relaxations; the bound is the smaller of the two flows.
    """
    return min(_flow_bound(inst, False), _flow_bound(inst, True))


def _interpreter_caps(inst: Instance) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
    """Per language needed: its group (languages sharing an interpreter), the interpreter slots
    the language can use, and the slots the whole group can use."""
    needed: dict[str, set[int]] = {}
    for r in inst.requests:
        if r.needs_interpreter:
            needed.setdefault(r.language_key, set()).update(inst.candidate_slots(r))
    parent = {lang: lang for lang in needed}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for it in inst.interpreters.values():
        langs = sorted(lang for lang in it.languages if lang in needed)
        for other in langs[1:]:
            parent[find(other)] = find(langs[0])
    group = {lang: find(lang) for lang in sorted(needed)}
    lang_cap = {lang: 0 for lang in needed}
    group_cap = {g: 0 for g in group.values()}
    for it in inst.interpreters.values():
        langs = [lang for lang in sorted(it.languages) if lang in needed]
        for lang in langs:
            lang_cap[lang] += len(it.slots & needed[lang])
        groups = {group[lang] for lang in langs}
        for g in sorted(groups):
            usable: set[int] = set()
            for lang in langs:
                if group[lang] == g:
                    usable |= needed[lang]
            group_cap[g] += len(it.slots & usable)
    return group, lang_cap, group_cap


def _flow_bound(inst: Instance, interpreter_caps: bool) -> int:
    from ortools.graph.python import max_flow

    st = inst.settings
    mf = max_flow.SimpleMaxFlow()
    ids: dict[object, int] = {}

    def node(key: object) -> int:
        if key not in ids:
            ids[key] = len(ids)
        return ids[key]

    src, sink = node("src"), node("sink")
    interp_slots: dict[str, set[int]] = {}
    for i in inst.interpreters.values():
        for lang in i.languages:
            interp_slots.setdefault(lang, set()).update(i.slots)
    group, lang_cap, group_cap = _interpreter_caps(inst) if interpreter_caps else ({}, {}, {})
    if interpreter_caps:
        for g, cap in group_cap.items():
            mf.add_arc_with_capacity(src, node(("g", g)), cap)
        for lang, cap in lang_cap.items():
            mf.add_arc_with_capacity(node(("g", group[lang])), node(("l", lang)), cap)
    by_family = inst.family_requests()
    for fid, reqs in by_family.items():
        reqs = [r for r in reqs if r.family_id == fid]  # a joint meeting once, under its first
        if not reqs:
            continue
        fam = inst.families[fid]
        rooms = [inst.room_of(r) for r in reqs]  # None: phone or video, no walking
        distinct = None not in rooms and len(set(rooms)) == len(rooms)
        spacing = 1 + st.gap_slots if distinct else 1
        cap = min(len(reqs), _family_cap(sorted(fam.slots), spacing))
        parts: dict[object, list[Request]] = {}
        for r in reqs:
            if interpreter_caps and r.needs_interpreter:
                parts.setdefault(("fi", fid, r.language_key), []).append(r)
            else:
                parts.setdefault(("f", fid), []).append(r)
        for key, part in parts.items():
            feed = src if key[0] == "f" else node(("l", key[2]))
            mf.add_arc_with_capacity(feed, node(key), min(cap, len(part)))
            for r in part:
                rn = node(("r", r.id))
                mf.add_arc_with_capacity(node(key), rn, 1)
                slots = inst.candidate_slots(r)
                if r.needs_interpreter:
                    ok = interp_slots.get(r.language_key, set())
                    slots = [s for s in slots if s in ok]
                for s in slots:
                    mf.add_arc_with_capacity(rn, node(("ts", r.teacher_id, s)), 1)
    for tid, t in inst.teachers.items():
        tn = node(("t", tid))
        for s in sorted(t.slots):
            key = ("ts", tid, s)
            if key in ids:
                mf.add_arc_with_capacity(ids[key], tn, 1)
        mf.add_arc_with_capacity(tn, sink, _max_in_runs(t.slots, st.max_consecutive))
    if mf.solve(src, sink) != mf.OPTIMAL:
        return len(inst.requests)
    return int(mf.optimal_flow())


def first_come_first_served(inst: Instance, seed: int = 1) -> Timetable:
    """What online booking does: families book in the order they get round to it.

    Families who need an interpreter, or who can only come late, tend to book last (the letter
    reaches them late or in a language they read less easily), so they go to the back of a random
    queue. Each family takes the earliest free time with each teacher; nobody's priority counts.
    Used to show, on the same data, what planning changes.
    """
    import random

    rng = random.Random(seed)
    st = _State(inst)
    fams = [f for f, rs in inst.by_family.items() if rs]

    def lateness(fid: str) -> float:
        fam = inst.families[fid]
        late = 0.6 if fam.needs_interpreter else 0.0
        late += 0.3 if fam.window[0] > inst.settings.start + 60 else 0.0
        return rng.random() + late

    fams.sort(key=lateness)
    for fid in fams:
        for r in inst.by_family[fid]:
            if r.id in st.place:  # a joint meeting the other household already booked
                continue
            for s in st.cand[r.id]:
                iid = st.feasible_here(r, s)
                if iid is not None:
                    st.put(r, s, iid)
                    break
    placements = {rid: Placement(rid, s, iid or None) for rid, (s, iid) in st.place.items()}
    return Timetable(placements, method="first come, first served")

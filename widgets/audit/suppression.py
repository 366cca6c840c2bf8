"""Small-group suppression, with complementary suppression so a hidden cell stays hidden.

A result about a handful of families (the three families whose home language is Tigrinya, say)
can identify them, so any cell resting on fewer than ``min_n`` respondents is hidden (primary
suppression). That is not enough when totals are published too: if a table shows a column's total
and every cell but one, the hidden cell is the total minus the others. So whenever a published line
(a row or column whose total is shown) has exactly one hidden cell, the smallest other cell in it
is hidden as well (complementary suppression), and this repeats until no line has a lone hidden
cell. If a line has no other cell to hide, its total is hidden instead.

The functions work on counts only, so the same rule protects counts, percentages and means: a
group mean times its n is a sum, and sums add up to the published total like counts do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from widgets.privacy import SURVEY_MIN_CELL, too_small

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
SIZE = "\x00size"  # the key of a group's size among its item counts (never an item id)
TOTAL = "\x00total"  # the "group" of an item's overall result, hidden in rare cases


@dataclass(frozen=True)
class Suppressed:
    """Which cells of a table to hide, and why (``None`` = show)."""

    cells: list[list[str | None]]
    row_totals: list[bool]  # True = hide this row's total
    col_totals: list[bool]

    def hidden(self, i: int, j: int) -> bool:
        return self.cells[i][j] is not None

    @property
    def count(self) -> int:
        return sum(1 for row in self.cells for c in row if c is not None)


def suppress_table(
    counts: Sequence[Sequence[int]],
    min_n: int = SURVEY_MIN_CELL,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    hide_rows: Sequence[int] = (),
    force: Mapping[tuple[int, int], str] | None = None,
) -> Suppressed:
    """Decide which cells of a table of respondent counts to hide.

    ``counts[i][j]`` is the number of respondents behind cell (i, j). A cell with 0 < n < min_n is
    hidden; a cell with 0 respondents shows nothing to protect and is left alone. Rows in
    ``hide_rows`` (groups too small to show at all) are hidden whole. ``row_totals`` and
    ``col_totals`` say which margins the page publishes, since only those can give a cell away.
    ``force`` hides further cells from the start, with their reason (a cell another published
    table already hides, for instance), and the rule then protects them like any other.
    """
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    rows = len(counts)
    cols = len(counts[0]) if rows else 0
    cells: list[list[str | None]] = [
        [
            PRIMARY if (i in hide_rows and counts[i][j] > 0) or too_small(counts[i][j], min_n) else None
            for j in range(cols)
        ]
        for i in range(rows)
    ]
    for (i, j), why in (force or {}).items():
        if counts[i][j] > 0 and cells[i][j] is None:
            cells[i][j] = why
    hide_row_total = [False] * rows
    hide_col_total = [False] * cols

    def lines() -> list[tuple[list[tuple[int, int]], str, int]]:
        out = []
        if row_totals:
            out += [([(i, j) for j in range(cols)], "row", i) for i in range(rows)]
        if col_totals:
            out += [([(i, j) for i in range(rows)], "col", j) for j in range(cols)]
        return out

    changed = True
    while changed:
        changed = False
        for line, kind, idx in lines():
            live = [(i, j) for i, j in line if counts[i][j] > 0]
            hidden = [c for c in live if cells[c[0]][c[1]] is not None]
            if len(hidden) != 1:
                continue
            candidates = [c for c in live if cells[c[0]][c[1]] is None]
            if candidates:
                i, j = min(candidates, key=lambda c: (counts[c[0]][c[1]], c))
                cells[i][j] = COMPLEMENTARY
                changed = True
            elif kind == "row" and not hide_row_total[idx]:
                hide_row_total[idx] = True
            elif kind == "col" and not hide_col_total[idx]:
                hide_col_total[idx] = True
    return Suppressed(cells, hide_row_total, hide_col_total)


@dataclass(frozen=True)
class GroupDecision:
    group: str
    n: int
    reason: (
        str | None
    )  # None = shown; PRIMARY = too small; COMPLEMENTARY = hidden to protect another

    @property
    def shown(self) -> bool:
        return self.reason is None


def suppress_breakdown(
    group_sizes: Mapping[str, int],
    cell_counts: Mapping[str, Mapping[str, int]],
    min_n: int = SURVEY_MIN_CELL,
    *,
    force: Mapping[tuple[str, str], str] | None = None,
) -> tuple[dict[str, GroupDecision], dict[tuple[str, str], str | None]]:
    """Groups x items: hide small groups, small cells and whatever would give them away.

    ``cell_counts[group][item]`` is how many in the group rated the item. The page shows group sizes
    with the overall total, and each item's overall result, so both the size column and each item
    column are published lines. Returns the group decisions and a reason per (group, item) cell,
    and per ``(TOTAL, item)`` when the item's overall result must be hidden as well.
    ``force`` hides cells from the start: ``(group, item)``, or ``(group, SIZE)`` for a group's size.

    A group whose size is hidden shows no cells at all; hiding those cells can leave an item column
    with a single hidden cell, so the rule runs again until nothing changes.
    """
    groups = list(group_sizes)
    items = sorted({i for g in groups for i in cell_counts.get(g, {})})
    table = [[group_sizes[g]] + [cell_counts.get(g, {}).get(i, 0) for i in items] for g in groups]
    col = {SIZE: 0} | {i: j + 1 for j, i in enumerate(items)}
    forced = {
        (groups.index(g), col[i]): why
        for (g, i), why in (force or {}).items()
        if g in group_sizes and i in col
    }
    small = {k for k, g in enumerate(groups) if too_small(group_sizes[g], min_n)}
    while True:
        s = suppress_table(
            table, min_n, row_totals=False, col_totals=True, hide_rows=sorted(small), force=forced
        )
        # rows whose size is hidden for protection are hidden whole, then checked again
        more = {k for k in range(len(groups)) if s.cells[k][0] is not None} - small
        extra = {
            (k, j): s.cells[k][0]
            for k in more
            for j in range(1, len(items) + 1)
            if table[k][j] > 0 and s.cells[k][j] is None
        }
        if not extra:
            break
        forced = {
            **forced,
            **{
                (k, j): s.cells[k][j]
                for k in range(len(groups))
                for j in range(len(items) + 1)
                if s.cells[k][j]
            },
            **extra,
        }
    decisions = {g: GroupDecision(g, group_sizes[g], s.cells[k][0]) for k, g in enumerate(groups)}
    cells = {(g, i): s.cells[k][j + 1] for k, g in enumerate(groups) for j, i in enumerate(items)}
    for g, d in decisions.items():
        if not d.shown:
            for i in items:
                cells[(g, i)] = cells[(g, i)] or d.reason
    # An item whose only hidden cell has nothing left to hide beside it (every other group gave
    # no answer) keeps its secret only if the item's overall result is hidden too.
    for j, i in enumerate(items):
        if s.col_totals[j + 1]:
            cells[(TOTAL, i)] = COMPLEMENTARY
    return decisions, cells


def suppress_combined(
    plain: Mapping[str, Mapping[str, int]],
    plain_hidden: Mapping[tuple[str, str], str | None],
    members: Sequence[str],
    combined: str,
    min_n: int = SURVEY_MIN_CELL,
) -> tuple[dict[str, GroupDecision], dict[tuple[str, str], str | None]]:
    """Suppression for a breakdown where some groups are combined into one (``combined``).

    ``plain[group]`` holds the group's size under :data:`SIZE` and its count per item;
    ``plain_hidden`` is what the breakdown without the combination hides, keyed like ``plain``
    (``(group, SIZE)`` for a hidden group). Anyone can look at both tables, so three rules hold:

    * the combined table is protected on its own (small groups and cells, complementary cells);
    * a cell hidden in the plain table stays hidden here (else its partner could be worked out);
    * in each published line (the size column, each item's column) the combined cell is hidden when
      exactly one cell hidden in the plain table lies inside the combination, or exactly one lies
      outside it: either would be the combined figure, or the total, minus what is shown.
    """
    members = [g for g in members if g in plain]
    others = [g for g in plain if g not in members]
    lines = sorted({k for g in plain for k in plain[g]})
    merged = {k: sum(int(plain[g].get(k, 0)) for g in members) for k in lines}
    sizes = {g: int(plain[g].get(SIZE, 0)) for g in others}
    sizes[combined] = merged.get(SIZE, 0)
    counts = {g: {k: int(v) for k, v in plain[g].items() if k != SIZE} for g in others}
    counts[combined] = {k: v for k, v in merged.items() if k != SIZE}
    force: dict[tuple[str, str], str] = {}
    for g in others:
        for k in lines:
            if plain_hidden.get((g, k)):
                force[(g, k)] = str(plain_hidden[(g, k)])
    row_hidden = {g for g in plain if plain_hidden.get((g, SIZE))}
    for k in lines:
        # A hidden cell with answers is an unknown; so is any cell of a hidden group, even an
        # empty one, since the page shows it as hidden too. Either way of counting must not
        # leave a single unknown on one side of the combination.
        live = {g for g in plain if plain_hidden.get((g, k)) and plain[g].get(k, 0) > 0}
        unknown = live | row_hidden
        for hidden in (live, unknown):
            if len(hidden & set(members)) == 1 or len(hidden - set(members)) == 1:
                force[(combined, k)] = COMPLEMENTARY
    return suppress_breakdown(sizes, counts, min_n, force=force)


def shown_count(n: int, min_n: int = SURVEY_MIN_CELL) -> str:
    """How to print a hidden count: never the number, only that it is small."""
    return f"fewer than {min_n}" if too_small(n, min_n) else "hidden"

"""The numbers behind a chart as a real HTML table: the kit's one data-table-beside-a-chart.

Why: a chart's alt text tells the message, but a screen-reader user, a keyboard user at 200% zoom
or someone printing the page may need the figures themselves, cell by cell, with their row and
column named (WCAG 1.1.1 and 1.3.1). Every chart on a page (the audit's PNG charts, the HTML bars
of a group panel) puts ``chart_table_html(...)`` right after itself, so the table sits beside the
picture and says the same numbers. It is folded in a ``<details>`` by default, so sighted readers
are not shown every figure twice, and it scrolls inside its own box on a narrow screen.

Pure Python and HTML only (no widgets), so it works in views, exports and printed plans alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from widgets.html import render

__all__ = ["chart_table_html", "cell_text"]

MISSING = "—"


def cell_text(value: object, *, digits: int = 0, missing: str = MISSING) -> str:
    """One cell as plain text: ``None`` is ``missing``, a float is rounded to ``digits`` places.

    The same rounding as the chart's labels, so table and picture never disagree.
    """
    if value is None:
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def chart_table_html(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    folded: bool = True,
    digits: int = 0,
    missing: str = MISSING,
    note: str = "",
) -> str:
    """A ``<table>`` of a chart's numbers, folded in ``<details>`` unless ``folded=False``.

    ``headers`` names every column; the first cell of each row names the row (``<th scope=row>``)
    and the rest are the figures. ``caption`` says which chart it belongs to (e.g. the chart's
    title). Every text is escaped. A row shorter than ``headers`` is padded with ``missing``; a
    longer one is a programming error and raises ``ValueError`` rather than dropping figures.
    """
    if not headers:
        raise ValueError("chart_table_html needs at least one column header")
    width = len(headers)
    texts = []
    for row in rows:
        cells = list(row)
        if len(cells) > width:
            raise ValueError(
                f"a row of {len(cells)} cells for {width} columns in the table {caption!r}"
            )
        cells += [None] * (width - len(cells))
        texts.append([cell_text(c, digits=digits, missing=missing) for c in cells])
    return render(
        "ui/chart_table.html",
        caption=caption,
        headers=list(headers),
        rows=texts,
        folded=folded,
        note=note,
    )

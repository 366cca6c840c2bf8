"""The kit's one way to write a spreadsheet export.

Any text cell a spreadsheet could read as a formula is kept as text by a leading apostrophe, so a
name or note typed into the kit can never run in Excel, LibreOffice or Google Sheets when a
facilitator opens the export ("CSV injection"). Following OWASP's guidance that means text that
starts with ``=``, ``+``, ``-`` or ``@``, text that starts with a tab or carriage return (which
some spreadsheets drop before reading the rest), and text whose first non-blank character, after
any spaces, tabs, carriage returns or line feeds, is one of ``= + - @``. The same rule serves CSV
and XLSX (:func:`spreadsheet_safe` on every cell before ``Worksheet.append``). Numbers, dates and
booleans pass through unchanged, so sums and sorting still work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
# Characters a spreadsheet may skip before it looks for a formula, and so may hide one.
LEADING_BLANKS = " \t\r\n"
# Starts that are dangerous by themselves (OWASP lists tab and carriage return with = + - @).
CONTROL_STARTS = ("\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a cell no spreadsheet will run: risky text gets a leading apostrophe."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS + CONTROL_STARTS):
        return "'" + value
    if value[0] in LEADING_BLANKS and value.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a header row; every cell passed through :func:`spreadsheet_safe`."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        w.writerow([spreadsheet_safe("" if v is None else v) for v in row])
    return buf.getvalue()


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "export"
) -> bytes:
    """An Excel workbook of one sheet with the same guard on every cell as :func:`csv_text`."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([spreadsheet_safe(h) for h in header])
    for row in rows:
        ws.append([spreadsheet_safe(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

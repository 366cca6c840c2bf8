"""The kit's one way to write a spreadsheet export.

Any cell a spreadsheet could read as a formula (text starting with =, +, - or @) is kept as text
by a leading apostrophe, so a name or note typed into the kit can never run in Excel when a
facilitator opens the export ("CSV injection"). Numbers pass through unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for row in rows:
        w.writerow([spreadsheet_safe("" if v is None else v) for v in row])
    return buf.getvalue()

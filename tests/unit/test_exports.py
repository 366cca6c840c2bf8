"""The one spreadsheet-export writer keeps typed text from running as a formula."""

from __future__ import annotations

import csv
import io

from widgets.exports import csv_text, spreadsheet_safe


def test_formula_like_text_is_kept_as_text_and_numbers_pass():
    assert spreadsheet_safe('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert [spreadsheet_safe(v) for v in ("+1", "-2", "@a", "ok", 5, -3, None)] == [
        "'+1",
        "'-2",
        "'@a",
        "ok",
        5,
        -3,
        None,
    ]


def test_csv_text_guards_every_cell_and_writes_none_as_empty():
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b"], [["=1+1", None], ["x", 7]]))))
    assert rows == [["a", "b"], ["'=1+1", ""], ["x", "7"]]

"""The one spreadsheet-export writer keeps typed text from running as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from widgets.exports import csv_text, spreadsheet_safe, xlsx_bytes


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


@pytest.mark.parametrize(
    "cell",
    [
        "\t=1+1",
        "\r=1+1",
        "\n=cmd|' /C calc'!A0",
        "   =SUM(A1:A9)",
        " \t\r\n+44 20 7946 0018",
        "  -2+3",
        "\n@SUM(A1)",
        "\tplain words after a tab",  # OWASP: a leading tab or carriage return by itself
        "\rplain words after a return",
    ],
)
def test_hidden_formula_starts_are_neutralised(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize(
    "value",
    [
        "Ms Patel",
        "  spaces then words",
        "\nline feed then words",
        "a = b",
        "email@school.org",
        "",
        0,
        -12.5,
        3,
        True,
        dt.date(2026, 3, 4),
    ],
)
def test_safe_text_and_non_text_pass_unchanged(value):
    assert spreadsheet_safe(value) == value
    assert type(spreadsheet_safe(value)) is type(value)


def test_csv_text_guards_every_cell_and_writes_none_as_empty():
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b"], [["=1+1", None], ["x", 7]]))))
    assert rows == [["a", "b"], ["'=1+1", ""], ["x", "7"]]


def test_csv_text_guards_tab_and_return_starts_and_the_header():
    out = csv_text(["=head"], [["\t=1+1"], ["\r=2+2"], ["  @x"], [-4]])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [["'=head"], ["'\t=1+1"], ["'\r=2+2"], ["'  @x"], ["-4"]]


def test_xlsx_cells_are_text_not_formulas_and_numbers_stay_numbers():
    data = xlsx_bytes(
        ["name", "note", "score"],
        [['=HYPERLINK("http://x")', "\t=1+1", 7], ["Ms Patel", "  +cmd", -2.5]],
        title="answers",
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "answers"
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells == [
        ["name", "note", "score"],
        ['\'=HYPERLINK("http://x")', "'\t=1+1", 7],
        ["Ms Patel", "'  +cmd", -2.5],
    ]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["C2"].data_type == "n" and ws["C3"].data_type == "n"

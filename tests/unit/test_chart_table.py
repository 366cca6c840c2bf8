"""The shared data table beside a chart (widgets/chart_table.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from widgets.chart_table import cell_text, chart_table_html


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self._tag: str | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self._tag = tag
            self.rows[-1].append((tag, ""))

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("th", "td"):
            self._tag = None

    def handle_data(self, data):  # noqa: ANN001
        if self._tag and self.rows:
            tag, text = self.rows[-1][-1]
            self.rows[-1][-1] = (tag, text + data)


def _parse(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    return p


def test_every_figure_is_a_cell_with_its_row_named():
    html = chart_table_html("Scores", ["Dimension", "Score", "Last year"], [("Welcome", 72.4, None)])
    p = _parse(html)
    assert p.rows[0] == [("th", "Dimension"), ("th", "Score"), ("th", "Last year")]
    assert p.rows[1] == [("th", "Welcome"), ("td", "72"), ("td", "—")]
    assert "scope='row'" in html and "scope='col'" in html
    assert "<caption" in html and "<details" in html and "<summary>" in html


def test_unfolded_has_no_details_and_short_rows_are_padded():
    html = chart_table_html("T", ["a", "b", "c"], [("x", 1)], folded=False)
    assert "<details" not in html
    assert _parse(html).rows[1] == [("th", "x"), ("td", "1"), ("td", "—")]


def test_text_is_escaped():
    html = chart_table_html("<b>c</b>", ["<i>h</i>"], [("<script>x</script>",)])
    assert "<script>" not in html and "<b>c</b>" not in html and "<i>h</i>" not in html


def test_a_row_longer_than_the_headers_is_refused_not_cut():
    with pytest.raises(ValueError, match="3 cells for 2 columns"):
        chart_table_html("T", ["a", "b"], [("x", 1, 2)])


def test_no_rows_says_so():
    assert "No figures yet." in chart_table_html("T", ["a"], [])


def test_cell_text_rounding_matches_digits():
    assert cell_text(2.345, digits=1) == "2.3"
    assert cell_text(None, missing="no score") == "no score"
    assert cell_text(True) == "yes"

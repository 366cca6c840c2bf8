"""Parents' evening planner in real Voila + Chromium: upload, map, solve, report, download."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import assert_no_error_text, open_app
from support.voila import ROOT
from test_browser_axe import assert_accessible

pytestmark = pytest.mark.browser

SMALL = ROOT / "datasets" / "evening" / "small"


def _upload(page, kind: str, path) -> None:
    """ipywidgets' FileUpload keeps its <input type=file> out of the DOM: use the file chooser."""
    with page.expect_file_chooser() as chooser:
        page.locator(f".pap-ev-upload-{kind}").click()
    chooser.value.set_files(str(path))


@pytest.fixture(autouse=True)
def _patient(page):
    """A busy CI machine can take more than a minute to start a kernel; wait longer."""
    page.set_default_timeout(180_000)


def test_upload_map_solve_and_download_a_letter(voila_server, page, tmp_path):
    open_app(page, voila_server, "app_evening_planner.ipynb")
    assert_no_error_text(page)
    _upload(page, "families", SMALL / "families.csv")
    page.wait_for_selector("text=families.csv: 100 rows")
    _upload(page, "teachers", SMALL / "teachers.csv")
    page.wait_for_selector("text=teachers.csv: 8 rows")
    _upload(page, "interpreters", SMALL / "interpreters.csv")
    page.wait_for_selector("text=interpreters.csv: 4 rows")

    # step 2: the columns were matched by alias; change one back and forth, then check the rows
    page.get_by_role("button", name="Next: match columns").click()
    lang = page.locator(".pap-ev-map-families-home_language select")
    assert lang.input_value() == "Parent language"
    lang.select_option("Year")
    lang.select_option("Parent language")
    page.get_by_role("button", name="Check the rows").click()
    page.wait_for_selector(".pap-ev-check-out >> text=100 of 100")

    # step 3: the evening; step 4: solve
    page.get_by_role("tab", name="3. The evening").click()
    page.get_by_label("Evening ends").fill("19:00")
    page.get_by_role("button", name="Next: make the timetable").click()
    page.get_by_role("button", name="Make the timetable", exact=True).click()
    page.wait_for_selector(".pap-ev-summary >> text=Timetable ready", timeout=90_000)
    assert_no_error_text(page)
    # one meeting of the sample has no time: the status says so in amber, never plain green
    assert page.locator(".pap-ev-summary .pap-msg-warning").count() == 1
    assert "1 meeting without a time" in page.inner_text(".pap-ev-summary")
    assert page.locator(".pap-ev-timetable").count() == 1
    report = page.inner_text(".pap-ev-report")
    assert "Share of requests met, by home language" in report
    assert_accessible(page, "evening-timetable")
    assert "Interpreters and signers" in report
    assert page.locator(".pap-ev-downloads a.pap-download").count() == 4

    # a family who reads Arabic gets a right-to-left letter in Arabic
    fam = page.locator(".pap-ev-family select")
    arabic = [o for o in fam.locator("option").all_text_contents() if "Arabic" in o][0]
    fam.select_option(label=arabic)
    page.wait_for_selector(".pap-ev-letter-preview section[dir=rtl]")
    link = page.locator(".pap-ev-letter a.pap-download", has_text="Download this letter")
    with page.expect_download() as dl:
        link.click()
    assert dl.value.suggested_filename.endswith("_ar.html")
    text = open(dl.value.path(), encoding="utf-8").read()
    from babel.dates import format_date  # the default date is three weeks ahead, in Arabic

    month = format_date(dt.date.today() + dt.timedelta(days=21), "MMMM", locale="ar")
    assert 'lang="ar" dir="rtl"' in text and month in text


def test_bad_rows_are_listed_and_sample_survey_summarised(voila_server, page, tmp_path):
    bad = tmp_path / "families_bad.csv"
    good = (SMALL / "families.csv").read_text(encoding="utf-8-sig").splitlines()
    cols = good[0].split(",")
    row = good[1].split(",")
    row[cols.index("Available from")] = "5.30pm?"
    bad.write_bytes(("\n".join([good[0], *good[2:6], ",".join(row)]) + "\n").encode("cp1252"))
    open_app(page, voila_server, "app_evening_planner.ipynb")
    _upload(page, "families", bad)
    _upload(page, "teachers", SMALL / "teachers.csv")
    page.wait_for_selector("text=teachers.csv: 8 rows")
    page.get_by_role("button", name="Next: match columns").click()
    page.get_by_role("button", name="Check the rows").click()
    page.wait_for_selector(".pap-ev-problems")
    problems = page.inner_text(".pap-ev-problems")
    assert "Row 6, column 'Available from': must be a time like 17:30; got '5.30pm?'" in problems
    assert "4 of 5" in page.inner_text(".pap-ev-check-out")

    # the timetable from a file with a dropped row is amber, and says what was left out
    page.get_by_role("tab", name="4. Timetable").click()
    page.get_by_role("button", name="Make the timetable", exact=True).click()
    page.wait_for_selector(".pap-ev-summary .pap-msg-warning", timeout=90_000)
    summary = page.inner_text(".pap-ev-summary")
    assert "Timetable ready, with things to check" in summary
    assert "1 row of the families file could not be read" in summary and "Fix:" in summary
    assert page.locator(".pap-ev-summary .pap-msg-success").count() == 0

    page.get_by_role("button", name="Use the sample answers").click()
    page.wait_for_selector(".pap-ev-survey-out >> text=36")
    assert "How welcome did you feel" in page.inner_text(".pap-ev-survey-out")
    assert_no_error_text(page)


def test_module_page_compares_booking(voila_server, page):
    open_app(page, voila_server, "04_parents_evenings.ipynb")
    assert_no_error_text(page)
    page.get_by_role("button", name="Compare the two ways of booking").click()
    page.wait_for_selector(".pap-ev-compare table")
    assert "first come, first served" in page.inner_text(".pap-ev-compare")
    assert page.locator(".pap-check-privacy").count() == 1

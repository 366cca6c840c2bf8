"""Barrier audit and family survey analysis in real Voila + Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import assert_no_error_text, open_app
from test_browser_axe import assert_accessible

from widgets.audit.actions import school_year

pytestmark = pytest.mark.browser


def _rate(page, item: str, label: str) -> None:
    page.locator(f".pap-item-{item} button", has_text=label).first.click()


def _wait_enabled(page) -> None:
    # A second page of the same notebook may wait for a fresh kernel, slow on a busy machine.
    page.wait_for_function(
        "() => { const b = document.querySelector('.pap-item-childcare button');"
        " return b && !b.disabled; }",
        timeout=180_000,
    )


def test_module_rate_see_profile_build_and_download_plan(voila_server, page):
    open_app(page, voila_server, "05_barrier_audit.ipynb")
    assert_no_error_text(page)
    _wait_enabled(page)
    _rate(page, "childcare", "Not in place")
    _rate(page, "translated", "Starting")
    _rate(page, "front-door", "Fully in place")
    _rate(page, "transport", "Don't know")
    page.wait_for_selector(".pap-audit-progress >> text=Rated 4 of")
    page.get_by_role("button", name="Show my profile").click()
    img = page.wait_for_selector(".pap-profile-chart img")
    alt = img.get_attribute("alt")
    assert alt.startswith("Bar chart of 8 dimensions") and "Weakest" in alt
    assert (
        page.evaluate("() => document.querySelector('.pap-profile-chart img').naturalWidth") > 300
    )
    assert "Chart description" in page.inner_text(".pap-audit-profile")
    page.locator(".pap-audit-profile .pap-chart-data summary").first.click()
    assert "Welcome and climate" in page.inner_text(".pap-audit-profile .pap-data-table")
    # What each level looks like, in words, where staff rate.
    look = page.locator(".pap-look-fors").first
    look.locator("summary").click()
    assert "Fully in place" in look.inner_text() and "Starting" in look.inner_text()
    # The same ratings by framework dimension, with the numbers as a table.
    page.get_by_role("button", name="Show by framework").click()
    fw_alt = page.wait_for_selector(".pap-framework-chart img").get_attribute("alt")
    assert "Mutual trust and respect" in fw_alt
    page.locator(".pap-framework-chart .pap-chart-data summary").click()
    assert "Mutual trust and respect" in page.inner_text(".pap-framework-chart .pap-data-table")

    page.get_by_role("button", name="Propose actions").click()
    page.wait_for_selector(".pap-proposal")
    assert "childcare" in page.inner_text(".pap-audit-plan").lower()
    page.get_by_role("button", name="Add chosen actions to the plan").click()
    page.wait_for_selector(".pap-plan-row")
    page.locator(".pap-plan-owner input").first.fill("Deputy head")
    due = f"{int(school_year()[:4]) + 1}-05-01"  # inside this school year: no date warning
    page.locator(".pap-plan-due input").first.fill(due)
    page.locator(".pap-plan-due input").first.press("Tab")
    page.locator(".pap-plan-budget input").first.fill("£150")
    page.locator(".pap-plan-budget input").first.press("Tab")
    page.locator(".pap-plan-progress textarea").first.fill("Two events so far")
    page.locator(".pap-plan-progress textarea").first.press("Tab")
    page.wait_for_selector(".pap-audit-plan .pap-saved")
    page.get_by_role("button", name="Export the plan").click()
    link = page.locator(".pap-plan-links a.pap-download", has_text="Spreadsheet (CSV)")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert rows and rows[0]["owner"] == "Deputy head" and rows[0]["due"] == due
    assert rows[0]["budget"] == "£150" and rows[0]["midyear_progress"] == "Two events so far"
    assert any("childcare" in r["action"].lower() for r in rows)
    html_link = page.locator(".pap-plan-links a.pap-download", has_text="Printable plan")
    with page.expect_download() as dl2:
        html_link.click()
    doc = Path(dl2.value.path()).read_text(encoding="utf-8")
    assert "Family engagement action plan" in doc and "Deputy head" in doc
    assert "Mid-year review" in doc and "Two events so far" in doc
    assert_no_error_text(page)

    # The app page, for the same person, picks up the ratings made in the module.
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    _wait_enabled(page)
    page.wait_for_selector(".pap-audit-progress >> text=Rated 4 of")


def test_app_analyses_the_sample_survey_with_suppression(voila_server, page):
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    assert_no_error_text(page)
    page.get_by_role("button", name="Use the sample survey").click()
    page.wait_for_selector(".pap-map")
    page.locator(".pap-families input").fill("160")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector(".pap-survey-results")
    text = page.inner_text(".pap-survey")
    assert "response rate" in text and "could not be read" in text
    alt = page.get_attribute(".pap-survey-chart img", "alt")
    assert alt.startswith("Diverging stacked bar chart")
    note = page.inner_text(".pap-suppression-note")
    assert "fewer than 10" in note and "worked out from the totals" in note
    assert "Tigrinya" in page.inner_text(".pap-breakdown")
    page.wait_for_selector(".pap-survey-actions li")
    assert_accessible(page, "audit-survey-results")
    assert page.locator(".pap-survey-actions li").count() >= 4
    assert_no_error_text(page)


def test_app_reads_an_uploaded_xlsx_and_reports_bad_rows(voila_server, page, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Home language", "Meetings and events are at times I can come.", "Childcare"])
    for k in range(30):
        ws.append(
            ["English" if k % 3 else " french ", ["Agree", "disagree ", 4, ""][k % 4], k % 4 + 1]
        )
    ws.append(["English", "whenever", 2])
    path = tmp_path / "survey.xlsx"
    wb.save(path)
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    # ipywidgets 8 keeps the file input out of the page: answer the chooser the button opens.
    with page.expect_file_chooser() as chooser:
        page.locator(".pap-survey-upload").click()
    chooser.value.set_files(str(path))
    page.wait_for_selector(".pap-map")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector(".pap-survey-results")
    assert (
        "row 32" in page.inner_text(".pap-survey-problems pre")
        or page.locator(".pap-survey-problems").count()
    )
    page.locator(".pap-survey-problems summary").click()
    assert "whenever" in page.inner_text(".pap-survey-problems")
    assert "31 responses" in page.inner_text(".pap-response-rate")
    assert_no_error_text(page)


def test_app_recognises_a_survey_in_its_own_words_and_combines_groups(voila_server, page, tmp_path):
    """A school's own questions (French answers, one unreadable value) and small language groups."""
    questions = [
        "Je me sens bien accueilli à l'école",
        "Les réunions ont lieu à des heures où je peux venir",
        "Mon enfant aime venir à l'école",
    ]
    answers = ["Tout à fait d'accord", "Plutôt d'accord", "Pas d'accord", "Ne sais pas", "3"]
    langs = ["Français"] * 30 + ["Arabe"] * 12 + ["Lingala"] * 6 + ["Tamoul"] * 5
    rows = [
        [f"2026-05-{1 + k % 28:02d}", lang] + [answers[(k + j) % 5] for j in range(3)]
        for k, lang in enumerate(langs)
    ]
    rows[4][2] = "parfois"
    path = tmp_path / "enquete.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Horodatage", "Langue", *questions])
        w.writerows(rows)
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    with page.expect_file_chooser() as chooser:
        page.locator(".pap-survey-upload").click()
    chooser.value.set_files(str(path))
    page.wait_for_selector(".pap-map")
    summary = page.inner_text(".pap-survey")
    assert "3 question(s) (1 matched to audit items, 2 of your own)" in summary
    assert "1 group column(s)" in summary
    amber = page.locator(".pap-unreadable")
    assert amber.count() == 1 and "parfois" in amber.inner_text()
    assert "a question of your own" in page.inner_text(".pap-map-row >> nth=2")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector(".pap-survey-results")
    assert "1 answer(s) could not be read" in page.inner_text(".pap-survey-results")
    assert "53 responses" in page.inner_text(".pap-response-rate")
    breakdown = page.inner_text(".pap-breakdown")
    assert "Lingala" in breakdown and "Tamoul" in breakdown
    page.get_by_role("button", name="Tick the hidden groups").click()
    page.wait_for_selector(".pap-combined-note >> text=Tamoul")
    note = page.inner_text(".pap-combined-note")
    assert "Other languages" in note and "Lingala" in note and "Tamoul" in note
    assert "Lingala" not in page.inner_text(".pap-breakdown table")
    assert_no_error_text(page)

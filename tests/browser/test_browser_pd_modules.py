"""PD modules 06-12 in real Voila + Chromium: every page opens clean, the apps work end to end."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

MODULES = [
    "06_learning_at_home.ipynb",
    "07_roles_and_leadership.ipynb",
    "08_safety_in_volunteering.ipynb",
    "09_student_voice.ipynb",
    "10_transformative_engagement.ipynb",
    "11_parents_leading_workshops.ipynb",
    "12_home_visits_and_community.ipynb",
]
HOSTILE = '<img src=x onerror="window.__pap_xss=1">'


def _enabled(page, selector: str) -> None:
    """Wait until saved answers are loaded and the input is switched on."""
    page.wait_for_function(
        "s => { const e = document.querySelector(s); return e && !e.disabled; }", arg=selector
    )


def _download_text(page, link_text: str) -> str:
    link = page.locator("a.pap-download", has_text=link_text)
    with page.expect_download() as dl:
        link.click()
    with open(dl.value.path(), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("notebook", MODULES)
def test_module_opens_without_errors(voila_server, page, notebook):
    open_app(page, voila_server, notebook)
    page.locator(".pap-reflection").nth(1).wait_for()  # widgets render one by one
    page.get_by_role("button", name="Prepare my summary").wait_for()
    assert_no_error_text(page)
    body = page.inner_text("body")
    assert "Sources" in body and "All modules" in body


def test_skills_poster_suggests_roles_and_downloads(voila_server, page):
    open_app(page, voila_server, "07_roles_and_leadership.ipynb")
    page.evaluate("window.__pap_xss = 0")
    _enabled(page, ".pap-skill-speaking input")
    page.locator(".pap-skills-name input").fill("Sam " + HOSTILE)
    for cls in (
        "pap-skill-speaking",
        "pap-skill-career",
        "pap-interest-careers",
        "pap-place-school",
    ):
        page.locator(f".{cls} input").check()
    page.locator(".pap-skills-time label", has_text="A few hours a term").click()
    page.get_by_role("button", name="Suggest roles and make the poster").click()
    page.wait_for_selector(".pap-ladder")
    ladder = page.inner_text(".pap-ladder")
    assert "Careers speaker" in ladder and "Leading" in ladder
    poster = _download_text(page, "Printable poster")
    assert "Careers speaker" in poster and "Sam &lt;img" in poster and "<img" not in poster
    assert page.evaluate("window.__pap_xss") == 0
    assert_no_error_text(page)


def test_skills_poster_explains_what_is_missing(voila_server, page, personal_link):
    open_app(page, voila_server, "07_roles_and_leadership.ipynb", personal_link)
    _enabled(page, ".pap-skill-speaking input")
    page.get_by_role("button", name="Suggest roles and make the poster").click()
    page.wait_for_selector(".pap-msg-warning")
    assert "Tick at least one skill" in page.inner_text(".pap-msg-warning")
    assert_no_error_text(page)


def test_readiness_tracker_fill_and_export(voila_server, page, personal_link):
    open_app(page, voila_server, "08_safety_in_volunteering.ipynb", personal_link)
    _enabled(page, ".pap-ready-name input")
    page.locator(".pap-ready-name input").fill("Grade 3 reading volunteer")
    page.locator(".pap-ready-level select").select_option(
        label="Occasional contact, always supervised"
    )
    page.get_by_role("button", name="Add role").click()
    page.wait_for_selector(".pap-ready-row")
    status = page.locator(".pap-ready-status")
    assert "Not started" in status.inner_text()
    for check in ("police-check", "training", "confidentiality"):
        page.locator(f".pap-ready-{check} select").select_option("Done")
    page.wait_for_function(
        "() => document.querySelector('.pap-ready-status').innerText.includes('In progress')"
    )
    assert "Supervision plan agreed" in status.inner_text()
    page.locator(".pap-ready-supervision select").select_option("Done")
    page.wait_for_function(
        "() => document.querySelector('.pap-ready-status').innerText.includes('Ready')"
    )
    page.get_by_role("button", name="Export tracker").click()
    rows = list(csv.reader(io.StringIO(_download_text(page, "Spreadsheet (CSV)"))))
    assert rows[1][0] == "Grade 3 reading volunteer" and "Ready" in rows[1]
    printable = _download_text(page, "Printable page")
    assert "1 ready" in printable
    assert_no_error_text(page)
    # the tracker is saved: a reload brings the role back, still ready
    open_app(page, voila_server, "08_safety_in_volunteering.ipynb", personal_link)
    page.wait_for_selector(".pap-ready-row")
    assert "Ready" in page.inner_text(".pap-ready-status")


def test_readiness_tracker_refuses_a_blank_role(voila_server, page, personal_link):
    open_app(page, voila_server, "08_safety_in_volunteering.ipynb", personal_link)
    _enabled(page, ".pap-ready-name input")
    page.get_by_role("button", name="Add role").click()
    page.wait_for_selector(".pap-msg-error")
    assert "Type the role" in page.inner_text(".pap-msg-error")
    assert page.locator(".pap-ready-row").count() == 0


def test_interview_guide_builds_and_downloads(voila_server, page):
    open_app(page, voila_server, "09_student_voice.ipynb")
    _enabled(page, ".pap-int-own textarea")
    page.locator(".pap-int-audience button", has_text="A teacher or member of staff").click()
    page.locator(".pap-int-topic select").select_option(label="Having a say")
    page.wait_for_selector(".pap-int-q-say-teacher-council")
    page.locator(".pap-int-own textarea").fill("What did you enjoy at school")
    page.get_by_role("button", name="Build the guide").click()
    page.wait_for_selector(".pap-int-preview ol")
    guide = _download_text(page, "Printable guide")
    assert "student council" in guide and "What did you enjoy at school?" in guide
    assert_no_error_text(page)


def test_session_planner_checks_timings_and_downloads(voila_server, page):
    open_app(page, voila_server, "11_parents_leading_workshops.ipynb")
    _enabled(page, ".pap-plan-title input")
    page.locator(".pap-plan-title input").fill("Maths at home")
    page.locator(".pap-plan-audience select").select_option(label="Other parents and carers")
    page.locator(".pap-plan-room select").select_option(label="One circle of chairs")
    page.locator(".pap-plan-length button", has_text="90 minutes").click()
    page.wait_for_selector(".pap-plan-total >> text=45 short of 90")
    page.get_by_role("button", name="Make the printable plan").click()
    page.wait_for_selector(".pap-msg-error")
    assert "45 short of 90" in page.inner_text(".pap-msg-error")
    page.get_by_role("button", name="Start from the suggested agenda").click()
    page.wait_for_selector(".pap-plan-total >> text=adds up to 90 minutes")
    page.get_by_role("button", name="Make the printable plan").click()
    plan = _download_text(page, "Printable plan")
    assert "Maths at home" in plan and "<b>90</b>" in plan
    assert_no_error_text(page)

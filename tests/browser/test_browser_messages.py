"""Communicating with parents in real Voila + Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

LETTER = (
    "Dear Parent/Guardian, your child's IEP will be reviewed at the SST, where formative "
    "assessment data and differentiation will be discussed against the benchmarks."
)


def _check(page, text: str) -> None:
    page.locator(".pap-message-input textarea").fill(text)
    page.get_by_role("button", name="Check my message").click()
    page.wait_for_selector(".pap-check-report")


def test_checker_finds_jargon_and_offers_plain_words(voila_server, page):
    open_app(page, voila_server, "app_message_checker.ipynb")
    assert_no_error_text(page)
    _check(page, LETTER)
    report = page.inner_text(".pap-check-report")
    assert "Jargon (5)" in report
    assert "your child's learning plan" in report  # the plain alternative for IEP
    assert "Reading grade" in report and "When (a day, date or time)" in report
    assert page.locator(".pap-highlight mark.pap-jargon").count() == 5
    # the suggested rewrite is a separate widget whose update may land just after the report's
    page.get_by_text("A starting point for a rewrite").first.wait_for()


FORMAL = (
    "Dear Mr. and Mrs. Khan,\n\nPursuant to our assessment policy, Sami's reading is "
    "below-benchmark. Targeted support will commence prior to half term, on Monday at 5:30 pm "
    "in Room 4.\n\nKind regards,\nMs. Lee"
)


def test_checker_shows_grade_jargon_alternatives_and_rewrite_for_a_formal_letter(
    voila_server, page
):
    from widgets.messages import checker

    rep = checker.check_message(FORMAL, checker.load_channels()["letter"])
    open_app(page, voila_server, "app_message_checker.ipynb")
    _check(page, FORMAL)
    report = page.inner_text(".pap-check-report")
    assert "Reading grade" in report and f"{rep.stats.grade:.1f} (aim for 8 or under)" in report
    assert "Jargon (5)" in report
    jargon = page.inner_text(".pap-jargon-list")
    for term, plain in [
        ("Pursuant to", "under"),
        ("below-benchmark", "behind where we expect at this age"),
        ("Targeted support", "extra help chosen for your child"),
        ("commence", "start"),
        ("prior to", "before"),
    ]:
        assert f"{term} → try “{plain}”" in jargon
    page.get_by_text("A starting point for a rewrite").first.wait_for()
    rewrite = page.locator(".pap-rewrite-suggestion textarea")
    page.wait_for_function(
        "() => (document.querySelector('.pap-rewrite-suggestion textarea') || {}).value"
    )
    assert rewrite.input_value() == checker.suggested_rewrite(FORMAL)
    assert rewrite.input_value().startswith(
        "Dear Mr. and Mrs. Khan,\n\nUnder our assessment policy, Sami's reading is behind where"
    )
    assert page.locator(".pap-msg-error").count() == 0
    assert_no_error_text(page)


def test_over_long_message_gets_a_plain_note_with_the_limit_and_keeps_the_text(voila_server, page):
    from widgets import limits

    open_app(page, voila_server, "app_message_checker.ipynb")
    _check(page, FORMAL)  # an earlier report, which the note replaces
    text = ("Our IEP meeting is on Monday. " * (limits.MAX_MESSAGE_CHARS // 30 + 10))[
        : limits.MAX_MESSAGE_CHARS + 50
    ]
    page.locator(".pap-message-input textarea").fill(text)
    page.get_by_role("button", name="Check my message").click()
    note = page.locator(".pap-msg-warning", has_text="Too long to check in one go")
    note.wait_for()
    words = note.inner_text()
    assert f"{limits.MAX_MESSAGE_CHARS:,} characters" in words
    assert f"{len(text):,} characters long" in words
    assert page.locator(".pap-check-report").count() == 0
    assert page.locator(".pap-msg-error").count() == 0
    assert page.locator(".pap-message-input textarea").input_value() == text
    assert_no_error_text(page)


def test_hostile_message_is_shown_as_text(voila_server, page):
    open_app(page, voila_server, "app_message_checker.ipynb")
    page.evaluate("window.__pap_xss = 0")
    hostile = '<img src=x onerror="window.__pap_xss=1"><script>window.__pap_xss=2</script> IEP'
    _check(page, hostile)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pap_xss") == 0
    assert page.locator(".pap-highlight img").count() == 0
    assert '<img src=x onerror="window.__pap_xss=1">' in page.inner_text(".pap-highlight")


def test_template_fills_and_downloads(voila_server, page):
    open_app(page, voila_server, "app_message_checker.ipynb")
    page.get_by_label("Child's first name").fill("Amara")
    page.wait_for_selector(".pap-letter >> text=Amara")
    page.get_by_role("button", name="Prepare download").click()
    link = page.locator("a.pap-download", has_text="Text file")
    with page.expect_download() as dl:
        link.click()
    assert "Amara" in open(dl.value.path(), encoding="utf-8").read()


def test_module_rewrite_activity_compares(voila_server, page):
    open_app(page, voila_server, "02_communicating_with_parents.ipynb")
    assert_no_error_text(page)
    box = page.locator(".pap-rewrite textarea")
    page.wait_for_function("() => !document.querySelector('.pap-rewrite textarea').disabled")
    box.fill(
        "Dear Ms Lee, we would like to meet on Tuesday 4 March at 3:30 pm in Room 12 "
        "to talk about the plan for extra help. Call me on 555-0100."
    )
    page.get_by_role("button", name="Compare with the original").click()
    page.wait_for_selector(".pap-compare")
    assert "Jargon terms" in page.inner_text(".pap-compare")


def test_communication_checklist_opens_on_request_and_saves(voila_server, page):
    open_app(page, voila_server, "app_message_checker.ipynb")
    page.get_by_role("button", name="Open the checklist").click()
    page.wait_for_selector(".pap-check-one-to-one")
    page.wait_for_function("() => !document.querySelector('.pap-check-one-to-one button').disabled")
    page.locator(".pap-check-one-to-one button", has_text="Done").click()
    page.wait_for_selector("text=1 of")
    assert_no_error_text(page)

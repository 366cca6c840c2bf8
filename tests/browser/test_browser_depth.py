"""A module's knowledge check and the record verification page, in real Voila + Chromium."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

NOTEBOOK = "09_student_voice.ipynb"


def _enabled(page, selector: str) -> None:
    page.wait_for_function(
        "s => { const e = document.querySelector(s); return e && !e.disabled; }", arg=selector
    )


def test_knowledge_check_gives_feedback_and_keeps_answers_on_reload(
    voila_server, page, personal_link
):
    from widgets.knowledge_check.model import load_depth

    depth = load_depth("student-voice")
    q = depth.questions[0]
    wrong = next(o for o in q.options if not o.correct)
    open_app(page, voila_server, NOTEBOOK, personal_link)
    page.locator(".pap-case").wait_for()
    assert depth.case.title in page.inner_text(".pap-case")
    box = f".pap-check-{q.id}"
    _enabled(page, f"{box} input")
    page.locator(f"{box} label", has_text=wrong.text).click()
    page.locator(".pap-knowledge-check .pap-msg-success").first.wait_for()  # "Saved at ..."
    page.locator(".pap-check-button button, button.pap-check-button").first.click()
    page.locator(".pap-check-wrong").wait_for()
    feedback = page.inner_text(".pap-check-wrong")
    assert "Not quite" in feedback and wrong.feedback.split(".")[0] in " ".join(feedback.split())
    # the score line is its own widget: its update can reach the browser after the feedback's
    page.locator(".pap-knowledge-check", has_text="0 of 4 right").wait_for(timeout=30_000)
    assert_no_error_text(page)

    page.reload()
    page.wait_for_selector(".jupyter-widgets", state="attached")
    page.locator(".pap-check-wrong").wait_for()  # the checked answers come back with feedback
    checked = page.locator(f"{box} input:checked")
    assert checked.count() == 1
    assert wrong.text in page.locator(f"{box} label:has(input:checked)").inner_text()
    assert_no_error_text(page)


def test_a_record_issued_on_my_record_is_found_and_a_forged_id_is_not(
    voila_server, page, personal_link
):
    open_app(page, voila_server, "my_record.ipynb", personal_link)
    button = page.get_by_role("button", name="Prepare my certificate")
    button.wait_for()
    page.wait_for_function("() => !document.body.innerText.includes('Loading your record')")
    button.click()
    page.locator(".pap-msg-success", has_text="Record issued").wait_for()
    rid = re.search(r"PAP(-[A-Z0-9]{4}){7}", page.inner_text("body")).group(0)
    assert_no_error_text(page)

    open_app(page, voila_server, "verify_record.ipynb")
    field = page.locator(".pap-verify-id input")
    field.wait_for()
    field.fill(rid.lower())
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator(".pap-verified").wait_for()
    assert rid in page.inner_text(".pap-verified") and "Self-study" in page.inner_text(
        ".pap-verified"
    )
    assert_no_error_text(page)

    forged = rid[:-1] + ("A" if rid[-1] != "A" else "B")
    field.fill(forged)
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator(".pap-msg-warning", has_text="Not found").wait_for()
    assert page.locator(".pap-verified").count() == 0
    assert_no_error_text(page)

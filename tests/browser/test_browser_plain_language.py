"""The stricter plain-language check (readers who find reading hard) in real Voila + Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pap_xss=1">'


def test_module_two_loads_the_sample_and_the_stricter_check_marks_it(voila_server, page):
    open_app(page, voila_server, "02_communicating_with_parents.ipynb")
    assert_no_error_text(page)
    box = page.locator(".pap-message-input textarea")
    page.wait_for_function(
        "() => (document.querySelector('.pap-message-input textarea') || {}).value"
    )
    assert "Student Services" in box.input_value()  # the sample letter is loaded
    page.evaluate("window.__pap_xss = 0")
    box.fill(box.input_value() + "\n" + HOSTILE)
    page.locator(".pap-low-literacy input").check()
    page.get_by_role("button", name="Check my message").click()
    page.wait_for_selector(".pap-plain-notes")
    notes = page.inner_text(".pap-plain-notes")
    assert "For readers who find reading hard" in notes
    assert "three or more syllables" in notes and "by voice" in notes
    assert page.locator(".pap-highlight mark.pap-plain-language").count() >= 4
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pap_xss") == 0
    assert_no_error_text(page)

"""The one-to-one meetings role-play in real Voila + Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app
from test_browser_axe import assert_accessible, wait_rendered

pytestmark = pytest.mark.browser


def test_play_a_scenario_to_an_ending_and_download_the_transcript(voila_server, page):
    open_app(page, voila_server, "03_one_to_one_meetings.ipynb")
    assert_no_error_text(page)
    page.wait_for_selector(".pap-rp-start")
    page.wait_for_function("() => !document.querySelector('.pap-rp-start').disabled")
    page.locator(".pap-rp-picker select").select_option(
        label="A worried parent and the homework battle"
    )
    page.locator(".pap-rp-start").click()
    page.wait_for_selector(".pap-choice")
    assert "Running score" in page.inner_text(".pap-rp-play")
    decisions = said = 0
    while page.locator(".pap-debrief").count() == 0:
        # The say box comes and goes with its scene's buttons, in one widget update, but the
        # browser may take the last scene's box away just after drawing the new buttons (seen
        # in a fresh-clone run): wait until the page has stopped changing.
        wait_rendered(page)
        box = page.locator(".pap-rp-say textarea")
        if box.count():
            box.fill("<b>I'd listen first</b>")
            said += 1
        # mark the current buttons so we can wait for the next scene's (rendered last)
        page.evaluate("document.querySelectorAll('.pap-choice').forEach(b => b.dataset.old = 1)")
        page.locator(".pap-choice").first.click()
        page.wait_for_selector(".pap-choice:not([data-old]), .pap-debrief")
        decisions += 1
        assert decisions < 12, "the conversation never ended"
    assert decisions >= 3
    debrief = page.inner_text(".pap-debrief")
    assert "Debrief, behaviour by behaviour" in debrief
    assert "Warm opening with a specific strength" in debrief
    assert_accessible(page, "roleplay-debrief")
    # typed words reach the log, as typed, and never become markup
    assert said >= 1
    assert "<b>I'd listen first</b>" in page.inner_text(".pap-rp-log")
    assert page.locator(".pap-rp-log b", has_text="I'd listen first").count() == 0
    with page.expect_download() as dl:
        page.locator("a.pap-download", has_text="Transcript (Markdown)").click()
    text = open(dl.value.path(), encoding="utf-8").read()
    assert text.startswith("# Role-play: A worried parent and the homework battle")
    assert "## Debrief" in text
    assert "**Your own words" in text and "<b>I'd listen first</b>" in text
    headline = page.inner_text(".pap-debrief").splitlines()[0]
    assert_no_error_text(page)

    # a refresh brings the finished conversation back, debrief and own words included
    page.reload()
    page.wait_for_selector(".pap-debrief")  # the default timeout allows for a busy machine
    assert page.inner_text(".pap-debrief").splitlines()[0] == headline
    assert "<b>I'd listen first</b>" in page.inner_text(".pap-rp-log")
    assert "as you left it" in page.inner_text("body")
    assert page.locator(".pap-choice").count() == 0
    page.get_by_role("button", name="Play this scenario again").click()
    page.wait_for_selector(".pap-choice")
    assert page.locator(".pap-debrief").is_hidden()
    assert_no_error_text(page)

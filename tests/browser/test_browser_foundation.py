"""The landing page and the first module in real Voila + Chromium."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser


def test_landing_page_lists_modules_without_code(voila_server, page):
    open_app(page, voila_server, "index.ipynb")
    assert page.locator("h1", has_text="Parents as Partners").is_visible()
    tile = page.locator("a.pap-tile[data-notebook='01_why_partnership.ipynb']")
    assert tile.is_visible()
    assert "from widgets" not in page.inner_text("body")
    assert_no_error_text(page)
    tile.click()
    page.wait_for_url(re.compile(r".*/01_why_partnership\.ipynb"))
    page.wait_for_selector(".pap-reflection textarea")


def test_module_renders_and_reflection_survives_reload(voila_server, page):
    open_app(page, voila_server, "01_why_partnership.ipynb")
    page.wait_for_selector(".pap-reflection textarea")
    body = page.inner_text("body")
    assert "Why partnership matters" in body and "Sources" in body
    assert "import" not in body and "sorting_activity(" not in body
    assert_no_error_text(page)
    box = page.locator(".pap-reflection textarea").first
    box.fill("A parent who felt heard <b>came back</b>")
    page.wait_for_selector("text=Saved at")
    page.reload()
    page.wait_for_selector(".pap-reflection textarea")
    page.wait_for_function(
        "() => document.querySelector('.pap-reflection textarea').value.includes('felt heard')"
    )
    assert page.locator(".pap-reflection textarea").first.input_value() == (
        "A parent who felt heard <b>came back</b>"
    )


def test_sorting_activity_gives_feedback(voila_server, page):
    open_app(page, voila_server, "01_why_partnership.ipynb")
    page.wait_for_selector(".pap-sort-bedtime-reading select")
    page.select_option(".pap-sort-bedtime-reading select", "Engagement")
    page.select_option(".pap-sort-bake-sale select", "Engagement")
    page.get_by_role("button", name="Check my answers").first.click()
    page.wait_for_selector("text=placed as the sources would")
    body = page.inner_text("body")
    assert "✔ Yes." in body and "This one is Involvement." in body


def test_summary_download(voila_server, page):
    open_app(page, voila_server, "01_why_partnership.ipynb")
    page.get_by_role("button", name="Prepare my summary").click()
    link = page.locator("a.pap-download", has_text="Summary (web page)")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    path = dl.value.path()
    text = open(path, encoding="utf-8").read()
    assert "Why partnership matters: my reflections" in text


def test_join_workshop_with_a_wrong_code_says_so(voila_server, page):
    open_app(page, voila_server, "index.ipynb")
    page.get_by_placeholder("e.g. K7QX2M").fill("ZZZZZZ")
    page.get_by_role("button", name="Join workshop").click()
    page.wait_for_selector("text=No workshop has the code ZZZZZZ")
    assert_no_error_text(page)

"""Facilitator guides read and downloaded in real Voila + Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser


def test_landing_links_the_guides_and_a_guide_downloads(voila_server, page):
    open_app(page, voila_server, "index.ipynb")
    page.wait_for_selector("a.pap-tile[data-notebook='facilitator_guides.ipynb']")
    open_app(page, voila_server, "facilitator_guides.ipynb")
    assert_no_error_text(page)
    page.wait_for_selector(".pap-guide h1")
    assert page.inner_text(".pap-guide h1") == "Running the kit"
    page.locator(".pap-guide-picker select").select_option(label="One-to-one meetings")
    page.wait_for_function(
        "() => document.querySelector('.pap-guide h1').innerText.includes('One-to-one')"
    )
    assert "Writing your own scenario" in page.inner_text(".pap-guide")
    with page.expect_download() as dl:
        page.locator("a.pap-download", has_text="Printable page").click()
    html = open(dl.value.path(), encoding="utf-8").read()
    assert "<h2>45-minute session</h2>" in html

"""A whole workshop in real Voila + Chromium: facilitator, two participants, the dashboard."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pap_xss=1">'


def _join(page, base: str, code: str, name: str | None) -> None:
    open_app(page, base, "index.ipynb")
    page.get_by_placeholder("e.g. K7QX2M").fill(code)
    if name:
        page.get_by_placeholder("optional").fill(name)
    page.get_by_role("button", name="Join workshop").click()
    page.wait_for_selector("a.pap-personal-link")


def _reflect(page, text: str) -> None:
    page.locator("a.pap-tile[data-notebook='01_why_partnership.ipynb']").click()
    page.wait_for_url(re.compile(r".*01_why_partnership\.ipynb\?p=p-"))
    page.wait_for_function(
        "() => { const t = document.querySelector('.pap-reflection textarea'); return t && !t.disabled; }"
    )
    page.locator(".pap-reflection textarea").first.fill(text)
    page.wait_for_selector("text=Saved at")


def test_workshop_end_to_end(voila_server, browser, page):
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    assert_no_error_text(page)
    page.get_by_placeholder("e.g. Autumn staff PD").fill("Browser test workshop")
    page.get_by_role("button", name="Open a new workshop").click()
    code = page.locator(".pap-code").inner_text(timeout=60_000).strip()
    key_text = page.inner_text("body")
    key = re.search(r"Write down the facilitator key now: (\S+)", key_text).group(1)
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    # The projector view: the join code and the wall, never the key or the set-up form.
    page.get_by_role("button", name="Projector view").click()
    page.wait_for_selector(".pap-projector")
    shown = page.inner_text("body")
    assert code in shown and "Reflections wall" in shown
    assert key not in shown and "Facilitator key" not in shown
    assert not page.get_by_role("button", name="Open a new workshop").is_visible()
    page.get_by_role("button", name="Projector view").click()

    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        p1, p2 = (c.new_page() for c in contexts)
        for p in (p1, p2):
            p.set_default_timeout(180_000)
        _join(p1, voila_server, code, "Ana")
        _join(p2, voila_server, code, None)
        _reflect(p1, "Families know their children best")
        _reflect(p2, HOSTILE)
    finally:
        for c in contexts:
            c.close()

    # Reopen the dashboard as a facilitator would on another computer: code + key.
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.evaluate("window.__pap_xss = 0")
    page.get_by_role("tab", name="Reopen a workshop").click()
    page.get_by_label("Join code").fill(code)
    page.get_by_label("Facilitator key").fill(key)
    page.get_by_role("button", name="Open dashboard").click()
    page.wait_for_selector("text=Who has joined: 2")
    people = page.inner_text(".pap-people")
    # the unnamed one is listed by a stable code (widgets.workshop.model.participant_code)
    assert "Ana" in people and re.search(r"Participant [A-Z2-7]{4}\b", people), people
    wall = page.inner_text("body")
    assert "Families know their children best" in wall
    assert HOSTILE in wall  # shown as literal text
    assert page.locator(".pap-wall-card img").count() == 0
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pap_xss") == 0
    assert page.locator("a.pap-download", has_text="All answers (Excel)").count() == 1
    assert_no_error_text(page)


def test_wrong_key_is_refused_plainly(voila_server, page):
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.get_by_role("tab", name="Reopen a workshop").click()
    page.get_by_label("Join code").fill("ABCDEF")
    page.get_by_label("Facilitator key").fill("nope")
    page.get_by_role("button", name="Open dashboard").click()
    page.wait_for_selector("text=do not open a workshop")
    assert_no_error_text(page, allow="do not open a workshop")


def test_completion_record_downloads_as_pdf(voila_server, page):
    open_app(page, voila_server, "my_record.ipynb")
    page.wait_for_selector("text=Saved to:")
    page.get_by_label("Name on it").fill("Zofia Zając")
    page.get_by_role("button", name="Prepare my certificate").click()
    with page.expect_download() as dl:
        page.locator("a.pap-download", has_text="(PDF)").click()
    assert dl.value.suggested_filename.endswith(".pdf")
    assert open(dl.value.path(), "rb").read(5) == b"%PDF-"
    assert_no_error_text(page)

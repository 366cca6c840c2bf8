"""Families' own requests in real Voila + Chromium: the office opens requests in the planner, two
households answer on a 390 px phone in Polish and in Arabic through their own links, a forged
link opens nothing, and the office builds the timetable from the replies."""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app
from test_browser_axe import _blocking, describe, run_axe, wait_rendered
from test_browser_narrow import CLIPPED_JS

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _patient(page):
    page.set_default_timeout(180_000)


def _phone(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    return ctx, pg


def _link_for(page, language: str) -> str:
    """The first link in the office's list for a household with this home language."""
    for row in page.locator(".pap-ev-req-links tr").all():
        cells = row.locator("td").all_inner_texts()
        if len(cells) == 4 and cells[2].strip() == language:
            return cells[3].strip()
    raise AssertionError(f"no {language} household in the links list")


def _answer(voila_server, browser, link: str, title: str, phone_meeting: bool,
            shot: str | None = None):
    """Answer through a household's link on a phone; ``shot``: a screenshot path (after the
    reload that shows the saved answer)."""
    ctx, pg = _phone(browser)
    try:
        query = link.split("?", 1)[1]
        open_app(pg, voila_server, "app_family_request.ipynb", query)
        pg.wait_for_selector(f".pap-family-request >> text={title}")
        wait_rendered(pg)
        assert_no_error_text(pg)
        assert "Saving to" not in pg.inner_text("body")  # no staff chrome for a family
        found = pg.evaluate(CLIPPED_JS)
        assert not found["clipped"], f"text cut off at 390 px: {found['clipped'][:6]}"
        assert not found["wide"], f"the page scrolls sideways at 390 px: {found['wide']}"
        blocking = _blocking(run_axe(pg))
        assert not blocking, f"request page: axe-core found\n{describe(blocking)}"
        # the household's own suggested teachers are ticked; keep the first, choose its mode
        ticked = pg.locator(".pap-fr-teacher input:checked")
        assert ticked.count() >= 1
        for i in range(ticked.count() - 1, 0, -1):
            ticked.nth(i).uncheck()
        if phone_meeting:
            pg.locator(".pap-fr-mode:visible select").first.select_option(index=1)  # phone
            pg.locator(".pap-fr-phone input").fill("07700 900123")
        for i in range(3):
            pg.locator(".pap-fr-time input").nth(i).check()
        pg.locator(".pap-fr-submit").click()
        pg.wait_for_selector(".pap-fr-msg .pap-msg-success")
        assert_no_error_text(pg)
        kept = pg.locator(".pap-fr-teacher input").evaluate_all("e => e.map(x => x.checked)")
        # a reload (a new kernel, preheated) shows the saved answer ticked, not just the store
        pg.reload()
        pg.wait_for_selector(f".pap-family-request >> text={title}")
        pg.wait_for_selector(".pap-fr-submit")
        assert_no_error_text(pg)
        assert pg.locator(".jupyter-widgets-error-widget").count() == 0
        assert pg.locator(".pap-fr-teacher input").evaluate_all(
            "e => e.map(x => x.checked)") == kept
        times = pg.locator(".pap-fr-time input").evaluate_all("e => e.map(x => x.checked)")
        assert times[:3] == [True, True, True] and not any(times[3:])
        if phone_meeting:
            mode = pg.locator(".pap-fr-mode:visible select").first
            assert mode.evaluate("e => e.selectedIndex") == 1  # phone, as chosen
            assert pg.locator(".pap-fr-phone input").input_value() == "07700 900123"
        if shot:
            pg.screenshot(path=shot, full_page=True)
        return pg.evaluate("() => getComputedStyle(document.querySelector("
                           "'.pap-family-request')).direction")
    finally:
        ctx.close()


def open_requests_for_the_sample_school(page) -> None:
    """On an open planner page: load the sample school, then open requests (phone meetings
    offered) and make every household's link."""
    page.get_by_role("button", name="Use the small sample school").click()
    page.wait_for_selector("text=Loaded the sample")
    page.get_by_role("tab", name="5. Families' requests").click()
    page.get_by_role("button", name="Prepare from the uploaded files").click()
    page.wait_for_selector("text=households will get a link")
    page.locator(".pap-ev-req-mode-phone input").check()
    page.get_by_role("button", name="Open requests and make the links").click()
    page.wait_for_selector(".pap-ev-req-link")


def test_families_request_on_a_phone_and_the_office_plans_from_the_replies(
    voila_server, page, browser, personal_link
):
    open_app(page, voila_server, "app_evening_planner.ipynb", personal_link)
    open_requests_for_the_sample_school(page)
    assert_no_error_text(page)
    page.wait_for_selector(".pap-ev-req-replied >> text=0 of 40 households have replied")

    polish, arabic = _link_for(page, "Polish"), _link_for(page, "Arabic")
    assert polish != arabic
    assert _answer(voila_server, browser, polish, "Wywiadówka", phone_meeting=True) == "ltr"
    assert _answer(voila_server, browser, arabic, "أمسية أولياء الأمور",
                   phone_meeting=False) == "rtl"

    # a forged link opens nothing and says so (in every language)
    ctx, pg = _phone(browser)
    try:
        forged = polish.split("?p=", 1)[1][:-3] + "abc"
        open_app(pg, voila_server, "app_family_request.ipynb", f"p={forged}")
        pg.wait_for_selector(".pap-fr-bad-link")
        assert pg.locator(".pap-fr-submit").count() == 0
        assert pg.locator(".pap-fr-section").count() == 0  # no question of the form is shown
        assert "Ten link nie otwiera" in pg.inner_text(".pap-fr-bad-link")  # said in Polish too
        # the page's name in every language is its one heading (for screen readers)
        assert "Wywiadówka" in pg.inner_text("h1.pap-fr-title")
    finally:
        ctx.close()

    page.get_by_role("button", name="Who has replied?").click()
    page.wait_for_selector(".pap-ev-req-replied >> text=2 of 40 households have replied")
    assert "Phone" in page.inner_text(".pap-ev-req-replied")
    page.locator(".pap-ev-req-use input").check()
    page.get_by_role("tab", name="4. Timetable").click()
    page.get_by_role("button", name="Make the timetable", exact=True).click()
    page.wait_for_selector(".pap-ev-summary >> text=Timetable ready", timeout=90_000)
    assert_no_error_text(page)
    summary = page.inner_text(".pap-ev-summary")
    assert "own requests" in summary and "38 household(s) have not replied" in summary
    assert page.locator(".pap-ev-summary .pap-msg-warning").count() == 1
    assert "📞" in page.inner_text(".pap-ev-timetable")

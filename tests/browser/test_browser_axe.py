"""Every notebook page of modules/ checked with axe-core (WCAG 2.2 A/AA rules plus best practice).

Moderate and minor rules count too (heading-order, region, ...): none is excluded today.

Why: teachers and parents use keyboards, screen readers and zoom; a control with no name or text
below 4.5:1 contrast shuts someone out. axe-core is the engine browser accessibility tools use.

Each page is opened once (a fresh preheated kernel), left to render, and checked. Any critical or
serious violation fails the test; a moderate or minor one fails unless listed in ``ALLOWED_MODERATE``
with the reason it is accepted for now. axe-core comes from npm via ``tools/fetch-axe.sh`` (run by
``make test``) into ``.cache/npm`` (not committed).
"""

from __future__ import annotations

import json

import pytest
from conftest import open_app
from support.aria import TREES, reading_problems, save_tree
from support.voila import ROOT

pytestmark = pytest.mark.browser

AXE_JS = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = sorted(p.name for p in (ROOT / "modules").glob("*.ipynb"))

# Moderate (and minor) rule ids accepted, each with its reason. Every moderate rule of the tags
# below runs on every page, `region` (content outside landmarks) and `heading-order` included:
# the template gives each page one main landmark, ui.card titles are <h3> under the notebooks'
# `##` sections, and a11y.html.j2 re-levels a widget heading that would still skip a level.
# Nothing is accepted today; add an entry only with the reason and the issue that fixes it.
ALLOWED_MODERATE: dict[str, str] = {}

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not found at {AXE_JS}: run `bash tools/fetch-axe.sh` (needs npm)")
    return AXE_JS.read_text(encoding="utf-8")


def wait_rendered(page) -> None:
    """Wait until Voila has shown the cells and the widget tree has stopped growing.

    Widgets render one by one after the page loads; checking earlier would test half a page.
    Each call counts afresh (a count left from an earlier call would pass at once).
    """
    page.wait_for_selector("#rendered_cells", state="visible")
    page.evaluate("() => { window.__papStable = {n: -1, same: 0}; }")
    page.wait_for_function(
        """() => {
            const n = document.querySelectorAll('#rendered_cells *').length;
            const w = window.__papStable || (window.__papStable = {n: -1, same: 0});
            w.same = n === w.n ? w.same + 1 : 0;
            w.n = n;
            return w.same >= 4;
        }""",
        polling=400,
    )


def run_axe(page) -> list[dict]:
    page.add_script_tag(content=_axe_source())
    return page.evaluate(
        "async opts => (await axe.run(document, opts)).violations.map(v => ({"
        " id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 6).map(n => ({target: n.target.join(' '),"
        "   html: n.html.slice(0, 200), summary: n.failureSummary}))}))",
        AXE_OPTIONS,
    )


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1)[:12000]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_has_no_serious_accessibility_violations(voila_server, page, notebook):
    open_app(page, voila_server, notebook)
    wait_rendered(page)
    blocking = _blocking(run_axe(page))
    assert not blocking, f"{notebook}: axe-core found\n{describe(blocking)}"
    # What a screen reader is given (support/aria.py): stricter than axe on names and headings.
    problems = reading_problems(save_tree(page, notebook.removesuffix(".ipynb")))
    assert not problems, f"{notebook}: a screen reader would meet {problems[:12]} (tree in {TREES})"


def assert_accessible(page, label: str) -> None:
    """axe-core and the screen-reader check on the page as it is now (after results appeared).

    Other browser tests call this once their results are on the page (a timetable, survey
    results, a debrief), so those states are checked, not only the page as it opens.
    """
    wait_rendered(page)
    blocking = _blocking(run_axe(page))
    assert not blocking, f"{label}: axe-core found\n{describe(blocking)}"
    problems = reading_problems(save_tree(page, label))
    assert not problems, f"{label}: a screen reader would meet {problems[:12]} (tree in {TREES})"


def test_axe_finds_an_unnamed_control(browser):
    """The check can fail: a page with a nameless select and grey-on-grey text is reported."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_content(
            "<html lang='en'><body><main><h1>T</h1><select><option>a</option></select>"
            "<p style='color:#aaa;background:#bbb'>faint</p></main></body></html>"
        )
        ids = {v["id"] for v in run_axe(page)}
        assert {"select-name", "color-contrast"} <= ids
    finally:
        ctx.close()


def _blocking(violations: list[dict]) -> list[dict]:
    return [
        v
        for v in violations
        if v["impact"] in ("critical", "serious")
        or (v["impact"] in ("moderate", "minor") and v["id"] not in ALLOWED_MODERATE)
    ]


def test_axe_finds_skipped_heading_levels_and_content_outside_landmarks(browser):
    """The moderate rules this file relies on are really run: an <h1> then an <h4>, and text
    outside any landmark, are both reported and both count as blocking."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_content(
            "<html lang='en'><head><title>t</title></head><body><p>outside</p><main><h1>T</h1>"
            "<h4>skipped</h4></main></body></html>"
        )
        found = run_axe(page)
        assert {"heading-order", "region"} <= {v["id"] for v in found}
        assert {"heading-order", "region"} <= {v["id"] for v in _blocking(found)}
    finally:
        ctx.close()


def test_live_dashboard_controls_are_named_and_focus_is_visible(voila_server, page):
    """The dashboard after opening a workshop: its icon-only auto-refresh buttons have names,
    the page passes axe, a focused button shows a ring of at least 2 px, and the status line
    that answers a click is repeated in the page's polite live region."""
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.get_by_placeholder("e.g. Autumn staff PD").fill("Accessibility check")
    page.get_by_role("button", name="Open a new workshop").click()
    page.locator(".pap-code").wait_for(timeout=60_000)
    wait_rendered(page)
    play_names = page.eval_on_selector_all(
        ".widget-play button", "bs => bs.map(b => b.getAttribute('aria-label'))"
    )
    assert play_names and all(play_names), play_names
    assert "Pause automatic refresh" in play_names  # refresh is on from the start
    blocking = _blocking(run_axe(page))
    assert not blocking, f"dashboard: axe-core found\n{describe(blocking)}"
    problems = reading_problems(save_tree(page, "facilitator_dashboard-open"))
    assert not problems, f"dashboard: a screen reader would meet {problems[:12]}"

    refresh = page.get_by_role("button", name="Refresh now")
    refresh.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2, ring
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => (document.getElementById('pap-announcer') || {}).textContent"
        " && document.getElementById('pap-announcer').textContent.includes('Updated at')"
    )
    assert page.get_attribute("#pap-announcer", "aria-live") == "polite"
    # The answer to the click sits right under the row of controls, not somewhere else.
    gap = page.evaluate(
        "() => document.querySelector('.pap-dash-controls').getBoundingClientRect().bottom"
    )
    msg = page.locator(".pap-msg", has_text="Updated at").bounding_box()
    assert 0 <= msg["y"] - gap < 120, (gap, msg)


def test_dashboard_refreshes_by_itself_and_counts_since_the_last_update(voila_server, page):
    """Live refresh is on from the start (Play pressed), and 'N s ago' counts up honestly:
    it grows while nothing new arrives and starts again from 0 when the next refresh lands."""
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.get_by_placeholder("e.g. Autumn staff PD").fill("Refresh check")
    page.get_by_role("button", name="Open a new workshop").click()
    page.locator(".pap-updated").wait_for(timeout=60_000)
    play = page.locator(".widget-play button").first
    page.wait_for_function(
        "() => { const b = document.querySelector('.widget-play button');"
        " return b && b.getAttribute('aria-label') === 'Pause automatic refresh'; }"
    )
    assert "Automatic refresh is on" in page.inner_text(".pap-dash-controls")
    seq0 = page.get_attribute(".pap-updated", "data-seq")
    page.wait_for_function(
        "() => /\\((3|4|5|6|7|8|9|1[0-9]) s ago\\)/.test("
        "document.querySelector('.pap-updated').textContent)",
        timeout=20_000,
    )
    # the timer (every 15 s) brings a new snapshot without any click, and the count restarts
    page.wait_for_function(
        f"() => document.querySelector('.pap-updated').dataset.seq !== '{seq0}'",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => / s ago\\)/.test(document.querySelector('.pap-updated').textContent)"
    )
    ago = page.inner_text(".pap-updated")
    assert "Updated at" in ago and any(f"({n} s ago)" in ago for n in range(0, 4)), ago
    # Pausing is said in words, and the button is renamed for what it now does.
    play.click()
    page.wait_for_function(
        "() => document.querySelector('.widget-play button').getAttribute('aria-label')"
        " === 'Start automatic refresh'"
    )
    page.wait_for_selector(".pap-dash-controls >> text=Automatic refresh is paused")


def test_wizard_step_that_appears_takes_focus(voila_server, page):
    """A `pap-step` that appears after a key press gets focus (a11y.html.j2): opening a
    workshop with the keyboard lands on the facilitator key, not on the page body."""
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.get_by_placeholder("e.g. Autumn staff PD").fill("Focus check")
    page.get_by_role("button", name="Open a new workshop").focus()
    page.keyboard.press("Enter")
    page.locator(".pap-key-box .pap-msg").wait_for(timeout=60_000)
    page.wait_for_function(
        "() => { const a = document.activeElement;"
        " return !!(a && a.closest && a.closest('.pap-key-box')); }",
        timeout=10_000,
    )


def test_chosen_audit_rating_is_marked_without_colour(voila_server, page):
    """A chosen toggle (an audit rating) says aria-pressed and shows a tick and a border."""
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    wait_rendered(page)
    buttons = page.locator(".pap-audit-scale button:not([disabled])")
    buttons.first.wait_for()
    first = buttons.first
    first.evaluate("b => { b.dataset.papClicked = '1'; }")
    first.click()
    # The button clicked, once drawn as chosen (mod-active) and said so (aria-pressed); reading
    # "the first chosen button" could pick a rating saved by an earlier test elsewhere on the page.
    sel = '.pap-audit-scale button[data-pap-clicked].mod-active[aria-pressed="true"]'
    page.wait_for_function(f"() => !!document.querySelector('{sel}')")
    seen = page.evaluate(
        """sel => { const b = document.querySelector(sel);
            return { before: getComputedStyle(b, '::before').content,
                     shadow: getComputedStyle(b).boxShadow,
                     css: !!document.getElementById('pap-a11y'),
                     html: b.outerHTML.slice(0, 300),
                     shown: b.getClientRects().length > 0 }; }""",
        sel,
    )
    assert "✓" in seen["before"], seen
    assert seen["shadow"] and seen["shadow"] != "none", seen
    others = page.eval_on_selector_all(
        ".pap-audit-scale button", "bs => bs.map(b => b.getAttribute('aria-pressed'))"
    )
    assert "false" in others


def test_role_play_choice_by_keyboard_keeps_focus_on_the_conversation(voila_server, page):
    """After a choice made with the keyboard, focus lands on the parent's next line (or the
    debrief), not on the page body, so a keyboard user goes on from where they were."""
    open_app(page, voila_server, "03_one_to_one_meetings.ipynb")
    page.wait_for_function("() => !document.querySelector('.pap-rp-start').disabled")
    page.locator(".pap-rp-start").click()
    page.wait_for_selector(".pap-choice")
    page.evaluate("document.querySelectorAll('.pap-choice').forEach(b => b.dataset.old = 1)")
    page.locator(".pap-choice").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".pap-choice:not([data-old]), .pap-debrief")
    page.wait_for_function(
        "() => { const a = document.activeElement;"
        " return a && a.closest && !!a.closest('.pap-rp-now, .pap-debrief'); }",
        timeout=30_000,
    )


def test_readiness_rows_added_later_are_named(voila_server, page):
    """Controls that appear after an action (a readiness row's dropdowns) pass axe too."""
    open_app(page, voila_server, "08_safety_in_volunteering.ipynb")
    page.wait_for_function(
        "() => { const e = document.querySelector('.pap-ready-name input'); return e && !e.disabled; }"
    )
    page.locator(".pap-ready-name input").fill("Reading volunteer")
    page.get_by_role("button", name="Add role").click()
    page.wait_for_selector(".pap-ready-row")
    wait_rendered(page)
    names = page.eval_on_selector_all(
        ".pap-ready-row select",
        "ss => ss.map(s => s.labels.length ? s.labels[0].textContent.trim() : '')",
    )
    assert names and all(names), names
    blocking = _blocking(run_axe(page))
    assert not blocking, f"readiness rows: axe-core found\n{describe(blocking)}"
    problems = reading_problems(save_tree(page, "readiness-rows"))
    assert not problems, f"readiness rows: a screen reader would meet {problems[:12]}"

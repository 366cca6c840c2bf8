"""Every notebook page of modules/ checked with axe-core (WCAG 2.2 A/AA rules plus best practice).

Why: teachers and parents use keyboards, screen readers and zoom; a control with no name or text
below 4.5:1 contrast shuts someone out. axe-core is the engine browser accessibility tools use.

Each page is opened once (a fresh preheated kernel), left to render, and checked. Any critical or
serious violation fails the test; a moderate one fails unless it is listed in ``ALLOWED_MODERATE``
with the reason it is accepted for now. axe-core comes from npm via ``tools/fetch-axe.sh`` (run by
``make test``) into ``.cache/npm`` (not committed).
"""

from __future__ import annotations

import json

import pytest
from conftest import open_app
from support.voila import ROOT

pytestmark = pytest.mark.browser

AXE_JS = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = sorted(p.name for p in (ROOT / "modules").glob("*.ipynb"))

# Moderate rule ids accepted for now, each with its reason. Keep this short; fix rather than list.
ALLOWED_MODERATE: dict[str, str] = {
    "heading-order": (
        "Activity cards title themselves <h4> (widgets/ui.card) and some views use <h3>/<h4> for "
        "their parts, under notebook headings of <h1>/<h2>: levels skip but every section has a "
        "heading. Re-levelling them across all views is follow-up work (issue 14)."
    ),
}

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
    """
    page.wait_for_selector("#rendered_cells", state="visible")
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
        or (v["impact"] == "moderate" and v["id"] not in ALLOWED_MODERATE)
    ]


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
    assert "Start automatic refresh" in play_names
    blocking = _blocking(run_axe(page))
    assert not blocking, f"dashboard: axe-core found\n{describe(blocking)}"

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

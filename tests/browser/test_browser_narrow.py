"""The landing page and two apps on a phone-sized screen (390 x 844, also what 200% zoom leaves).

Why: staff open the kit on phones and zoom in; Voila's desktop margins left a ~190 px column, so
card titles and button labels were cut off ("Next: match colu..."). WCAG 1.4.10 (reflow) asks
for content readable at 320-400 CSS px with no sideways scrolling of the page.

Checks: no button, label or tab is narrower than its own text (scrollWidth > clientWidth), and
the page itself (document, body, Voila's cell container) does not scroll sideways (wide tables may scroll inside their own box). Screenshots
go to a temporary folder (printed) so a person can look at them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from conftest import open_app
from test_browser_axe import wait_rendered

pytestmark = pytest.mark.browser

PAGES = ["index.ipynb", "app_evening_planner.ipynb", "app_barrier_audit.ipynb"]
SHOTS = Path(os.environ.get("PAP_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="pap-narrow-"))

CLIPPED_JS = """() => {
    const out = [];
    const sel = 'button, label, .widget-label, .widget-label-basic, .pap-tile, .lm-TabBar-tab,'
        + ' .lm-TabBar-tabLabel';
    for (const el of document.querySelectorAll('#rendered_cells ' + sel.split(', ').join(
            ', #rendered_cells '))) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height || !(el.textContent || '').trim()) continue;
        // a screen-reader-only label (pap-label-sr / pap-visually-hidden: 1 x 1 px, clipped)
        // is meant to be unseen, not cut off
        if (r.width <= 1 && r.height <= 1) continue;
        if (el.scrollWidth > el.clientWidth + 1) {
            out.push({tag: el.tagName, cls: String(el.className).slice(0, 80),
                      text: el.textContent.trim().slice(0, 60),
                      scroll: el.scrollWidth, client: el.clientWidth});
        }
    }
    // Voila scrolls the body, not the document: no box of the page may scroll sideways.
    const wide = [];
    for (const el of [document.documentElement, document.body,
                      document.getElementById('rendered_cells'),
                      document.querySelector('#rendered_cells > div')]) {
        if (el && el.scrollWidth > el.clientWidth + 1) {
            wide.push({el: el.id || el.tagName, scroll: el.scrollWidth, client: el.clientWidth});
        }
    }
    return {clipped: out, wide: wide};
}"""
# for the screenshot only: Voila scrolls inside the page, so the window is made as tall as the
# content (capped) to get the whole page in one image
FULL_HEIGHT_JS = """() => Math.max(...[document.documentElement, document.body,
    document.getElementById('rendered_cells')].map(e => e ? e.scrollHeight : 0))"""


@pytest.mark.parametrize("notebook", PAGES)
def test_page_fits_a_phone_without_clipping(voila_server, phone, notebook):
    open_app(phone, voila_server, notebook)
    wait_rendered(phone)
    found = phone.evaluate(CLIPPED_JS)
    shot = SHOTS / f"{notebook.removesuffix('.ipynb')}-390.png"
    height = min(int(phone.evaluate(FULL_HEIGHT_JS)), 8000)
    phone.set_viewport_size({"width": 390, "height": max(height, 844)})
    phone.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert not found["clipped"], f"{notebook}: text cut off at 390 px: {found['clipped'][:10]}"
    assert not found["wide"], f"{notebook}: the page scrolls sideways at 390 px: {found['wide']}"

"""Every page at 200% zoom: a 1280 x 900 laptop window zoomed to 200% is a 640 x 450 CSS-pixel
viewport drawn at device scale 2, which is what this test opens.

Why: WCAG 1.4.4 (resize text to 200%) and 1.4.10 (reflow). People with low vision zoom the
browser rather than use a phone; the kit's narrow-screen rules (a11y.html.j2) must hold there too.

Checks on each page: no button, label or tab is narrower than its own text (scrollWidth >
clientWidth: text cut off), the page itself does not scroll sideways, and every table wider than
its box sits in a box that scrolls (overflow-x auto/scroll) instead of being cut. A screenshot of
each page is saved (folder printed; set PAP_SCREENSHOT_DIR to keep them) for a person to look at.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from conftest import open_app
from support.voila import ROOT
from test_browser_axe import wait_rendered
from test_browser_narrow import CLIPPED_JS, FULL_HEIGHT_JS

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (ROOT / "modules").glob("*.ipynb"))
SHOTS = Path(os.environ.get("PAP_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="pap-zoom-"))
ZOOM_VIEWPORT = {"width": 640, "height": 450}

# A table wider than its parent must have an ancestor (inside the page) that scrolls sideways.
UNSCROLLED_TABLES_JS = """() => {
    const out = [];
    const main = document.getElementById('rendered_cells');
    for (const t of main.querySelectorAll('table')) {
        if (!t.getClientRects().length || !t.parentElement) continue;
        if (t.scrollWidth <= t.parentElement.clientWidth + 1) continue;
        let ok = false;
        for (let a = t.parentElement; a && a !== main; a = a.parentElement) {
            const ox = getComputedStyle(a).overflowX;
            if ((ox === 'auto' || ox === 'scroll') && a.clientWidth < t.scrollWidth + 1) {
                ok = true;
                break;
            }
        }
        if (!ok) out.push({text: (t.innerText || '').slice(0, 60), width: t.scrollWidth});
    }
    return out;
}"""


@pytest.fixture()
def zoomed(browser):
    ctx = browser.new_context(viewport=ZOOM_VIEWPORT, device_scale_factor=2)
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    yield pg
    ctx.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_reads_at_200_percent_zoom(voila_server, zoomed, notebook):
    open_app(zoomed, voila_server, notebook)
    wait_rendered(zoomed)
    found = zoomed.evaluate(CLIPPED_JS)
    tables = zoomed.evaluate(UNSCROLLED_TABLES_JS)
    # the picture: the top of the page as a zoomed reader sees it, plus the whole page
    top = SHOTS / f"{notebook.removesuffix('.ipynb')}-200pct-top.png"
    zoomed.screenshot(path=str(top))
    height = min(int(zoomed.evaluate(FULL_HEIGHT_JS)), 6000)
    zoomed.set_viewport_size({"width": ZOOM_VIEWPORT["width"], "height": max(height, 450)})
    shot = SHOTS / f"{notebook.removesuffix('.ipynb')}-200pct.png"
    zoomed.screenshot(path=str(shot), full_page=True)
    print(f"screenshots: {top} {shot}")
    assert not found["clipped"], f"{notebook}: text cut off at 200% zoom: {found['clipped'][:10]}"
    assert not found["wide"], f"{notebook}: the page scrolls sideways at 200%: {found['wide']}"
    assert not tables, f"{notebook}: tables cut off instead of scrolling at 200%: {tables[:5]}"


def test_the_clipping_check_can_fail(browser):
    """A fixed-width button with a long label and a wide table in a non-scrolling box are found."""
    ctx = browser.new_context(viewport=ZOOM_VIEWPORT, device_scale_factor=2)
    try:
        page = ctx.new_page()
        page.set_content(
            "<html lang='en'><body><div id='rendered_cells'><div>"
            "<button style='width:60px;white-space:nowrap;overflow:hidden'>A very long label</button>"
            "<div style='width:200px;overflow:hidden'><table><tr><td style='min-width:900px'>x</td>"
            "</tr></table></div></div></div></body></html>"
        )
        found = page.evaluate(CLIPPED_JS)
        assert [c["text"] for c in found["clipped"]] == ["A very long label"]
        assert len(page.evaluate(UNSCROLLED_TABLES_JS)) == 1
    finally:
        ctx.close()

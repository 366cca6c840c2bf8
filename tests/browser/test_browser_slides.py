"""The slides view (Voila's reveal template) works in a room with no internet access."""

from __future__ import annotations

import pytest
from support.voila import ROOT, VoilaServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def slides_server(tmp_path_factory):
    assert (ROOT / "modules/reveal.js/dist/reveal.js").is_file(), (
        "reveal.js is missing: run `bash tools/fetch-reveal.sh` (make test and make slides do)"
    )
    server = VoilaServer(
        ROOT / "modules", tmp_path_factory.mktemp("slides-data"), cwd=ROOT / "tools/slides"
    )
    server.wait_ready()
    yield server.base
    server.stop()


def test_module_opens_as_slides_offline_with_live_widgets(slides_server, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    # The room has no internet: anything not served by Voila itself fails.
    ctx.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    local_failures: list[str] = []
    page.on(
        "requestfailed",
        lambda r: local_failures.append(r.url) if "127.0.0.1" in r.url else None,
    )
    page.goto(f"{slides_server}/voila/render/03_one_to_one_meetings.ipynb")
    page.wait_for_selector(".reveal .slides section.present")
    sections = page.locator(".reveal .slides > section").count()
    assert sections >= 5, f"expected one slide per heading, got {sections}"
    first = page.inner_text(".reveal .slides > section.present")
    assert "One-to-one meetings" in first
    present = "() => document.querySelector('.reveal .slides > section.present').innerText"
    for _ in range(20):  # the arrow keys move slide by slide to the role-play's section
        if "3. Practise" in page.evaluate(present):
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
    assert "3. Practise" in page.evaluate(present), "the arrow keys never reached section 3"
    # the role-play is live on its slide
    page.wait_for_selector("section.present .pap-rp-start")
    assert local_failures == [], f"files the slides view could not load: {local_failures}"
    ctx.close()

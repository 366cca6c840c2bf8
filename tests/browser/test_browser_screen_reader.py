"""What a screen reader is given (Chromium's accessibility tree; see ``tests/support/aria.py``).

Every page's tree is checked in ``test_browser_axe.py`` next to axe-core; this file checks that
the check itself can fail, and states that only exist after a click.
"""

from __future__ import annotations

import pytest
from conftest import open_app
from support.aria import read_tree, reading_problems, save_tree
from test_browser_axe import wait_rendered

pytestmark = pytest.mark.browser

GOOD = """<main><h1>Title</h1><h2 >Part</h2>
<label for=a>Your answer</label><textarea id=a placeholder="Type here"></textarea>
<button>Save</button></main>"""
BAD = """<div><h2>For families</h2><h4>Skipped</h4><h3 aria-level="2">Re-levelled</h3>
<textarea placeholder="Type here"></textarea><button></button></div>"""


def test_the_reading_check_finds_what_a_screen_reader_would_trip_over(browser):
    page = browser.new_page()
    try:
        page.set_content(GOOD)
        assert reading_problems(read_tree(page)) == []
        page.set_content(BAD)
        found = reading_problems(read_tree(page))
    finally:
        page.close()
    assert "0 main regions (one expected)" in found, found
    assert "the first heading is level 2: 'For families'" in found, found
    assert "heading level 2 then 4: 'Skipped'" in found, found
    assert not any("Re-levelled" in p for p in found), found  # aria-level 2 after 4 is no skip
    assert "a textbox named only by its placeholder: 'Type here'" in found, found
    assert "a button without a name" in found, found


def test_chosen_audit_rating_is_announced_as_pressed(voila_server, page):
    open_app(page, voila_server, "app_barrier_audit.ipynb")
    wait_rendered(page)
    scale = page.locator(".pap-audit-scale").first
    button = scale.locator("button:not([disabled])").nth(1)
    button.wait_for()
    name = button.inner_text().strip().lstrip("\u2713").strip()
    button.click()
    page.wait_for_function(
        "el => el.getAttribute('aria-pressed') === 'true'", arg=button.element_handle()
    )
    nodes = save_tree(page, "app_barrier_audit-rated")
    pressed = [n for n in nodes if n.role == "button" and "pressed" in n.states]
    assert len(pressed) >= 1 and any(name in n.name for n in pressed), [n.line() for n in pressed]
    not_pressed = [n for n in nodes if n.role == "button" and n.name.endswith(name)]
    assert len(not_pressed) > len(pressed)  # the same level on other items is not announced

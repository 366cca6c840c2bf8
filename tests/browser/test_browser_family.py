"""A parent on a phone: a family session in Arabic, choices saved and back after a reload.

Why: the family strand is for parents, often on their own phone, in their own language. The page
must read right to left in Arabic, fit 390 px without cut-off words, save a tap for the right
person and bring it back, and pass axe-core like every other page.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from conftest import assert_no_error_text, open_app
from test_browser_axe import _blocking, describe, run_axe, wait_rendered
from test_browser_narrow import CLIPPED_JS

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("PAP_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="pap-family-"))
NOTEBOOK = "family_01_parents_evening.ipynb"
# A label kept only for screen readers (.pap-label-sr: 1 px, clipped) is not text cut off.
SKIP_SR = "if (el.closest('.pap-label-sr') && getComputedStyle(el).position === 'absolute') continue;"
VISIBLE_CLIPPED_JS = CLIPPED_JS.replace(
    "if (!r.width || !r.height", SKIP_SR + "\n        if (!r.width || !r.height", 1
)


def _saved(voila_data_dir: Path, token: str) -> object:
    from widgets.store import Store

    db = Store(f"sqlite:///{voila_data_dir / 'answers.sqlite'}")
    try:
        who = db.participant_by_link(token)
        return db.get(who.id, "family-evening", "family:family-evening") if who else None
    finally:
        db.dispose()


def test_a_parent_reads_arabic_chooses_questions_and_finds_them_after_reload(
    voila_server, voila_data_dir, phone, personal_link
):
    open_app(phone, voila_server, NOTEBOOK, personal_link)
    wait_rendered(phone)
    phone.wait_for_selector(".pap-family-pick-happy input:not([disabled])")
    phone.select_option(".pap-family-language select", label="العربية")
    phone.wait_for_selector(".pap-family[dir='rtl'][lang='ar'] >> text=قبل اللقاء")
    phone.check(".pap-family-pick-happy input")
    phone.wait_for_selector("text=تم الحفظ.")
    phone.check(".pap-family-pick-help-home input")
    phone.fill(".pap-family-own textarea", "<b>متى</b> ينتهي اليوم الدراسي؟")
    phone.wait_for_function(
        "() => [...document.querySelectorAll('.pap-saved')].some(e => e.offsetParent)"
    )
    assert VISIBLE_CLIPPED_JS != CLIPPED_JS
    found = phone.evaluate(VISIBLE_CLIPPED_JS)
    phone.screenshot(path=str(SHOTS / "family-ar-390.png"), full_page=True)
    print(f"screenshot: {SHOTS / 'family-ar-390.png'}")
    assert not found["clipped"], found["clipped"][:10]
    assert not found["wide"], found["wide"]
    blocking = _blocking(run_axe(phone))
    assert not blocking, describe(blocking)
    assert_no_error_text(phone)

    token = personal_link.removeprefix("p=")
    phone.wait_for_timeout(500)
    saved = _saved(voila_data_dir, token)
    assert saved == {"picks": ["happy", "help-home"], "own": "<b>متى</b> ينتهي اليوم الدراسي؟"}

    open_app(phone, voila_server, NOTEBOOK, personal_link)  # a reload brings the choices back
    wait_rendered(phone)
    phone.wait_for_selector(".pap-family-pick-happy input:not([disabled])")
    assert phone.is_checked(".pap-family-pick-happy input")
    assert phone.is_checked(".pap-family-pick-help-home input")
    assert not phone.is_checked(".pap-family-pick-next input")
    assert phone.input_value(".pap-family-own textarea").startswith("<b>")
    assert phone.locator(".pap-family b").count() == 0  # typed markup is text, never HTML
    assert_no_error_text(phone)

"""A real Voila server on a free loopback port and real Debian Chromium driven by Playwright.

The server is started from the repository root, as ``make app`` does, so it reads the same
``voila.json`` (preheated kernels included). Each test session gets a fresh SQLite database.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support.voila import ROOT, VoilaServer, log_tail


@pytest.fixture(scope="session")
def voila_data_dir(tmp_path_factory) -> Path:
    """The server's PAP_DATA_DIR: its SQLite store is ``answers.sqlite`` here (tests seed and
    check the database through it)."""
    return tmp_path_factory.mktemp("voila-data")


@pytest.fixture(scope="session")
def voila_server(voila_data_dir):
    """Base URL of a running Voila serving modules/ (e.g. http://127.0.0.1:PORT)."""
    server = VoilaServer(ROOT / "modules", voila_data_dir)
    server.wait_ready()
    # Every notebook gets a preheated kernel at start-up; on two cores filling them all takes a
    # while, and a test that starts before then measures the warm-up, not the app.
    server.wait_pools_filled(sorted(p.name for p in (ROOT / "modules").glob("*.ipynb")), 300)
    yield server.base
    server.stop()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    # Generous: on a loaded two-core machine a kernel can take over a minute to start after a
    # reload; a passing test never waits for the full timeout.
    pg.set_default_timeout(180_000)
    yield pg
    ctx.close()


@pytest.fixture()
def phone(browser):
    """A phone-sized page (390 x 844 CSS px, which is also what 200% zoom leaves of a laptop)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    yield pg
    ctx.close()


def open_app(page, base: str, notebook: str, query: str = ""):
    """Open a notebook in Voila and wait until its widgets have rendered.

    A page that never draws its widgets fails with what is needed to tell why: what the browser
    had, what its console said and the end of the server's log.
    """
    _record_console(page)
    url = f"{base}/voila/render/{notebook}" + (f"?{query}" if query else "")
    page.goto(url)
    try:
        page.wait_for_selector(".jupyter-widgets", state="attached")
    except PlaywrightTimeout as exc:
        raise AssertionError(f"{notebook} drew no widgets\n{_diagnosis(page, base)}") from exc
    page.wait_for_load_state("networkidle")
    return page


def _record_console(page) -> None:
    if hasattr(page, "_pap_console"):
        return
    lines: list[str] = []
    page._pap_console = lines

    def keep(text: str) -> None:
        lines.append(f"{time.strftime('%H:%M:%S')} {text[:400]}")
        del lines[:-40]

    page.on("console", lambda m: keep(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: keep(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: keep(f"request failed: {r.url} {r.failure}"))


def _diagnosis(page, base: str) -> str:
    try:
        state = page.evaluate(
            """() => ({ready: document.readyState,
                cells: !!document.getElementById('rendered_cells'),
                outputs: document.querySelectorAll('.jp-OutputArea-output').length,
                spinner: !!document.querySelector('#loading, .voila-spinner, #loading_text'),
                text: document.body ? document.body.innerText.slice(0, 800) : ''})"""
        )
    except Exception as exc:  # the page itself may be gone
        state = f"(page not readable: {exc})"
    console = "\n".join(getattr(page, "_pap_console", [])) or "(nothing)"
    return (
        f"at {time.strftime('%H:%M:%S')}, page state: {state}\n"
        f"browser console:\n{console}\n"
        f"server log (last lines):\n{log_tail(base) or '(not one of the test servers)'}"
    )


def visible_error_boxes(page) -> list[str]:
    """Text of every error box a user can see (the kit's ``.pap-msg-error``, or any role=alert)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.pap-msg-error, [role="alert"]')]
            .filter(e => e.getClientRects().length > 0
                && getComputedStyle(e).visibility !== 'hidden')
            .map(e => e.innerText.trim())"""
    )


def assert_no_error_text(page, allow: str | tuple[str, ...] = ()) -> None:
    """No traceback or kernel error visible to a user, and no error box.

    Views turn failures into a calm error box, so a page broken by a bad dataset looks tidy; a
    visible box fails the test unless its text contains one of ``allow`` (the error the test
    itself provoked, e.g. a wrong key).
    """
    body = page.inner_text("body")
    for bad in ("Traceback", "Error:", "NameError", "ModuleNotFoundError", "KeyError"):
        assert bad not in body, f"{bad!r} visible on the page:\n{body[:2000]}"
    allowed = (allow,) if isinstance(allow, str) else tuple(allow)
    boxes = [t for t in visible_error_boxes(page) if not any(a in t for a in allowed)]
    assert not boxes, "error box visible on the page:\n" + "\n---\n".join(boxes)[:2000]


@pytest.fixture()
def personal_link(voila_server, voila_data_dir):
    """A query string with a personal link the kit issued, for a test that needs its own record
    (a made-up ``?p=`` opens nothing, by design)."""
    from widgets.store import Store

    db = Store(f"sqlite:///{voila_data_dir / 'answers.sqlite'}")
    try:
        return "p=" + db.issue_personal_link().token
    finally:
        db.dispose()

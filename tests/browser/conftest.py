"""A real Voila server on a free loopback port and real Debian Chromium driven by Playwright.

The server is started from the repository root, as ``make app`` does, so it reads the same
``voila.json`` (preheated kernels included). Each test session gets a fresh SQLite database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.voila import ROOT, VoilaServer

CHROMIUM = os.environ.get("PAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Base URL of a running Voila serving modules/ (e.g. http://127.0.0.1:PORT)."""
    server = VoilaServer(ROOT / "modules", tmp_path_factory.mktemp("voila-data"))
    server.wait_ready()
    # Every notebook gets a preheated kernel at start-up; on two cores filling them all takes a
    # while, and a test that starts before then measures the warm-up, not the app.
    server.wait_pools_filled(sorted(p.name for p in (ROOT / "modules").glob("*.ipynb")), 300)
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    # Generous: on a loaded two-core machine a kernel can take over a minute to start after a
    # reload; a passing test never waits for the full timeout.
    pg.set_default_timeout(180_000)
    yield pg
    ctx.close()


def open_app(page, base: str, notebook: str, query: str = ""):
    """Open a notebook in Voila and wait until its widgets have rendered."""
    url = f"{base}/voila/render/{notebook}" + (f"?{query}" if query else "")
    page.goto(url)
    page.wait_for_selector(".jupyter-widgets", state="attached")
    page.wait_for_load_state("networkidle")
    return page


def assert_no_error_text(page) -> None:
    """No traceback or kernel error visible to a user."""
    body = page.inner_text("body")
    for bad in ("Traceback", "Error:", "NameError", "ModuleNotFoundError", "KeyError"):
        assert bad not in body, f"{bad!r} visible on the page:\n{body[:2000]}"

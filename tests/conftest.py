"""Shared fixtures: every test gets its own database so tests never see each other's answers.

Notebook runs are strict about error boxes: the kit's views turn every failure into a calm on-page
box and the committed notebooks carry no outputs for nbval to compare, so without this a notebook
whose dataset is garbage still "passes". With ``PAP_STRICT_ERRORS=1`` in the kernel's environment,
``widgets.ui`` raises when a cell draws an error box and nbval reports that cell as failed.
``make test`` sets the variable; this file sets it too for any ``pytest tests modules --nbval-lax``.
"""

from __future__ import annotations

import os

import pytest

from widgets import identity, store
from widgets.ui import STRICT_ERRORS_ENV


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("nbval", False) or config.getoption("nbval_lax", False):
        # nbval's kernels inherit this process's environment when they start.
        os.environ.setdefault(STRICT_ERRORS_ENV, "1")


@pytest.fixture()
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture()
def kit_store(db_url, monkeypatch) -> store.Store:
    """A fresh SQLite store installed as the process-wide store, with identity reset."""
    monkeypatch.setenv(store.DATABASE_URL_ENV, db_url)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    store.reset_store()
    identity.set_visitor(None)
    s = store.get_store()
    yield s
    store.reset_store()
    identity.set_visitor(None)


@pytest.fixture()
def smtp_inbox():
    """A local SMTP server (aiosmtpd) for this test; ``.messages`` holds what arrived."""
    pytest.importorskip("aiosmtpd")
    from support.smtp import running_inbox

    with running_inbox() as inbox:
        yield inbox


def pg_url() -> str | None:
    return os.environ.get("PAP_TEST_PG_URL") or None


# One Chromium for the whole run: Playwright's sync API allows one running instance per thread, so
# the browser and hub tests share this session fixture instead of each starting their own.
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
def browser():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


# -- the barrier audit's instrument, read once for every audit test ------------------------------
@pytest.fixture(scope="session")
def inst():
    """The audit instrument (datasets/audit), as the kit loads it."""
    from widgets.audit.instrument import load_instrument

    return load_instrument()


@pytest.fixture(scope="session")
def versions():
    """The parents' survey in English and French: two wordings of the same items."""
    from widgets.audit.instrument import load_parent_version

    return [load_parent_version("en"), load_parent_version("fr")]


@pytest.fixture(scope="session")
def likert():
    from widgets.audit.instrument import load_likert

    return load_likert()

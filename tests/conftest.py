"""Shared fixtures: every test gets its own database so tests never see each other's answers."""

from __future__ import annotations

import os

import pytest

from widgets import identity, store


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


def pg_url() -> str | None:
    return os.environ.get("PAP_TEST_PG_URL") or None

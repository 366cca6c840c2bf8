"""The store against SQLite always and PostgreSQL when PAP_TEST_PG_URL is set (make test sets it)."""

from __future__ import annotations

import multiprocessing as mp
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from widgets.store import (
    ATTEMPT_WINDOW,
    CODE_ALPHABET,
    CODE_ATTEMPTS,
    CODE_LENGTH,
    JOIN_ATTEMPTS,
    KEY_ATTEMPTS,
    Store,
    TooManyAttempts,
)


def _pg_url() -> str | None:
    return os.environ.get("PAP_TEST_PG_URL") or None


def _backends():
    yield pytest.param("sqlite", id="sqlite")
    yield pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)


@pytest.fixture(params=list(_backends()))
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
        yield s
        s.dispose()
        return
    url = _pg_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: PAP_TEST_PG_URL is not set")
        pytest.skip("PAP_TEST_PG_URL not set (make test starts a PostgreSQL server)")
    s = Store(url)
    with s.engine.begin() as c:  # a clean slate for each test
        c.execute(
            text(
                "TRUNCATE answers, participants, workshops, issued_links, failed_attempts "
                "RESTART IDENTITY CASCADE"
            )
        )
    yield s
    s.dispose()


def test_dialect_is_the_one_asked_for(store):
    assert store.dialect in {"sqlite", "postgresql"}


def test_save_get_and_upsert(store):
    p = store.participant("solo-tester")
    assert store.get(p.id, "m", "i") is None
    store.save(p.id, "m", "i", {"text": "first"})
    store.save(p.id, "m", "i", {"text": "second"})
    assert store.get(p.id, "m", "i") == {"text": "second"}
    rows = store.answers(participant_id=p.id)
    assert len(rows) == 1 and rows[0].value == {"text": "second"}
    assert rows[0].updated_at >= rows[0].created_at


def test_participant_is_idempotent(store):
    a = store.participant("tok-1")
    b = store.participant("tok-1")
    assert a.id == b.id
    assert store.participant("tok-2").id != a.id


def test_answers_filters(store):
    ws, _key = store.open_workshop("Autumn PD", "2026-11-24", ["why-partnership"])
    p1 = store.join_workshop(ws.code, "Ana")
    p2 = store.join_workshop(ws.code.lower(), None)  # codes are not case-sensitive
    solo = store.participant("solo-x")
    store.save(p1.id, "why-partnership", "reflection:a", {"text": "x"})
    store.save(p2.id, "why-partnership", "reflection:a", {"text": "y"})
    store.save(p2.id, "why-partnership", "sorting:s", {"k": "v"})
    store.save(solo.id, "why-partnership", "reflection:a", {"text": "z"})
    assert {
        r.value["text"] for r in store.answers(workshop_id=ws.id, item_prefix="reflection:")
    } == {
        "x",
        "y",
    }
    assert len(store.answers(module="why-partnership")) == 4
    assert [r.item for r in store.answers(participant_id=p2.id, item_prefix="sorting:")] == [
        "sorting:s"
    ]
    # a % or _ in a prefix is literal, not a wildcard
    assert store.answers(item_prefix="reflection%") == []
    assert [p.display_name for p in store.participants(ws.id)] == ["Ana", None]


def test_workshop_codes_and_keys(store):
    ws, key = store.open_workshop("  ", "", [])
    assert ws.title == "Workshop"
    assert len(ws.code) == CODE_LENGTH and set(ws.code) <= set(CODE_ALPHABET)
    assert store.check_facilitator_key(ws.code, key) == ws
    assert store.check_facilitator_key(ws.code, key + "x") is None
    assert store.check_facilitator_key("NOPE99", key) is None
    assert store.join_workshop("NOPE99") is None
    with store.engine.connect() as c:
        stored = c.execute(text("SELECT facilitator_key_hash FROM workshops")).scalar_one()
    assert key not in stored and stored.startswith("scrypt$")


def test_delete_participant_removes_their_answers_only(store):
    ws, _ = store.open_workshop("W")
    a, b = store.join_workshop(ws.code), store.join_workshop(ws.code)
    store.save(a.id, "m", "i1", 1)
    store.save(a.id, "m", "i2", 2)
    store.save(b.id, "m", "i1", 3)
    assert store.delete_participant(a.id) == 2
    assert [r.value for r in store.answers(workshop_id=ws.id)] == [3]
    assert [p.id for p in store.participants(ws.id)] == [b.id]


def _writer(url: str, n: int, worker: int) -> None:
    s = Store(url)
    p = s.participant(f"w-{worker}")
    shared = s.participant("shared")  # every process races to create the same participant
    for i in range(n):
        s.save(p.id, "load", f"item-{i}", {"worker": worker, "i": i})
        s.save(shared.id, "load", f"w{worker}-{i}", i)
    s.dispose()


@pytest.mark.timeout(300)
def test_thirty_processes_writing_at_once_lose_nothing(store):
    url, n, workers = store.url, 20, 30
    store.dispose()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(url, n, w)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(240)
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    check = Store(url)
    rows = check.answers(module="load")
    assert len(rows) == workers * n * 2
    assert {(r.value["worker"], r.value["i"]) for r in rows if isinstance(r.value, dict)} == {
        (w, i) for w in range(workers) for i in range(n)
    }
    check.dispose()


def test_default_url_uses_data_dir(monkeypatch, tmp_path):
    from widgets.store import default_database_url

    monkeypatch.delenv("PAP_DATABASE_URL", raising=False)
    monkeypatch.setenv("PAP_DATA_DIR", str(tmp_path / "d"))
    assert default_database_url() == f"sqlite:///{tmp_path / 'd' / 'answers.sqlite'}"
    monkeypatch.setenv("PAP_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert default_database_url() == "postgresql+psycopg://u@h/db"


def test_links_open_only_issued_records_and_create_nothing(store):
    ws, _ = store.open_workshop("W")
    joined = store.join_workshop(ws.code, "Amira")
    mine = store.issue_personal_link()
    store.participant("solo-alice")
    assert store.participant_by_link(joined.token) == joined
    assert store.participant_by_link(mine.token) == mine
    before = store.count_participants()
    for forged in ["solo-alice", "alice", "", "p-short", "p-" + "Q" * 22, mine.token + "x"]:
        assert store.participant_by_link(forged) is None
    assert store.count_participants() == before
    # A row the old code made for an arbitrary link: right shape, but never issued.
    stray = store.participant("p-" + "z" * 22)
    assert store.participant_by_link(stray.token) is None


def test_delete_my_answers_touches_only_mine(store):
    ws, _ = store.open_workshop("W")
    a, b = store.join_workshop(ws.code, "Ana"), store.join_workshop(ws.code, "Ben")
    store.save(a.id, "m", "i1", 1)
    store.save(a.id, "m", "i2", 2)
    store.save(b.id, "m", "i1", 3)
    assert store.delete_answers(a.id) == 2
    assert [r.value for r in store.answers(workshop_id=ws.id)] == [3]
    assert store.participant_by_link(a.token).display_name is None  # name forgotten too
    assert store.participant_by_link(b.token).display_name == "Ben"


def _t(minutes: float) -> datetime:
    return datetime(2026, 11, 25, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def test_wrong_facilitator_keys_are_limited_per_workshop_for_every_kernel(store):
    ws, key = store.open_workshop("W")
    other, other_key = store.open_workshop("Other")
    for i in range(KEY_ATTEMPTS):
        assert store.check_facilitator_key(ws.code, f"wrong-{i}", now=_t(i * 0.1)) is None
    # Another kernel (another Store on the same database) sees the same count.
    second = Store(store.url)
    try:
        with pytest.raises(TooManyAttempts) as e:
            second.check_facilitator_key(ws.code, key, now=_t(2))  # even the right key waits
        assert "try again after" in str(e.value) and "minutes" in str(e.value)
        assert e.value.until == _t(0) + ATTEMPT_WINDOW
        # Other workshops are not affected.
        assert second.check_facilitator_key(other.code, other_key, now=_t(2)) == other
    finally:
        second.dispose()
    # Once the oldest failure is out of the window, one more try is allowed.
    assert store.check_facilitator_key(ws.code, key, now=_t(0) + ATTEMPT_WINDOW) == ws


def test_wrong_join_codes_are_limited_per_code_and_overall(store):
    ws, _ = store.open_workshop("W")
    for _ in range(CODE_ATTEMPTS):
        assert store.join_workshop("ZZZZZZ", now=_t(0)) is None
    with pytest.raises(TooManyAttempts):
        store.join_workshop("zzzzzz", now=_t(1))
    assert store.join_workshop(ws.code, now=_t(1)) is not None  # the real code still works
    # Guessing many different codes hits the kit-wide limit.
    for i in range(JOIN_ATTEMPTS - CODE_ATTEMPTS):
        store.join_workshop(f"G{i:05d}"[:6], now=_t(2))
    with pytest.raises(TooManyAttempts):
        store.join_workshop(ws.code, now=_t(3))
    assert store.join_workshop(ws.code, now=_t(2) + ATTEMPT_WINDOW) is not None
    assert store.participants(ws.id)[0].token.startswith("p-")


def test_issued_records_are_found_by_id_and_withdrawn_with_the_answers(store):
    ws, _ = store.open_workshop("W")
    a, b = store.join_workshop(ws.code, "Ana"), store.join_workshop(ws.code, "Ben")
    ra = store.issue_record(a.id, {"name": "Ana", "modules": [{"title": "M"}]})
    rb = store.issue_record(b.id, {"name": "Ben"})
    assert ra.id != rb.id
    found = store.record_by_id(ra.id.lower().replace("-", " "))
    assert (found.id, found.content["modules"][0]["title"]) == (ra.id, "M")
    assert store.record_by_id(ra.id[:-1] + ("A" if ra.id[-1] != "A" else "B")) is None
    assert store.record_by_id("' OR 1=1 --") is None
    store.delete_answers(a.id)  # the participant's own deletion withdraws their records
    assert store.record_by_id(ra.id) is None and store.record_by_id(rb.id) is not None
    store.delete_participant(b.id)  # and so does a facilitator's
    assert store.record_by_id(rb.id) is None

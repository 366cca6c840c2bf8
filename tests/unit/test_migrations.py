"""The store's Alembic migrations, on SQLite always and PostgreSQL when PAP_TEST_PG_URL is set.

A database made by the pre-migration kit (``create_all``) must keep its rows when a new kit opens
it; the models and the newest revision must describe the same schema, so a table or column added
to ``widgets/store.py`` without a revision fails here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import make_url

from widgets.migrations import (
    BASELINE_TABLES,
    current_revision,
    head_revision,
    is_pre_migration_database,
)
from widgets.store import Base, Store


def _pre_migration_metadata(with_late_tables: bool = True) -> MetaData:
    """The schema exactly as ``create_all`` made it before migrations (frozen copy, not imported).

    ``with_late_tables=False`` is an older kit's database, before ``issued_links`` and
    ``failed_attempts`` existed.
    """
    md = MetaData()
    Table(
        "workshops",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", String(12), unique=True, index=True, nullable=False),
        Column("title", String(200), nullable=False),
        Column("date", String(32), nullable=False),
        Column("modules", JSON, nullable=False),
        Column("facilitator_key_hash", String(200), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "participants",
        md,
        Column("id", Integer, primary_key=True),
        Column("token", String(80), unique=True, index=True, nullable=False),
        Column("display_name", String(80), nullable=True),
        Column(
            "workshop_id",
            ForeignKey("workshops.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "answers",
        md,
        Column("id", Integer, primary_key=True),
        Column(
            "participant_id",
            ForeignKey("participants.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        ),
        Column("module", String(80), index=True, nullable=False),
        Column("item", String(200), nullable=False),
        Column("value", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("participant_id", "module", "item", name="uq_answer"),
    )
    if with_late_tables:
        Table(
            "issued_links",
            md,
            Column(
                "participant_id",
                ForeignKey("participants.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            Column("issued_at", DateTime(timezone=True), nullable=False),
        )
        Table(
            "failed_attempts",
            md,
            Column("id", Integer, primary_key=True),
            Column("bucket", String(40), index=True, nullable=False),
            Column("at", DateTime(timezone=True), index=True, nullable=False),
        )
    return md


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database (a fresh SQLite file, or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.sqlite'}"
        return
    base = os.environ.get("PAP_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: PAP_TEST_PG_URL is not set")
        pytest.skip("PAP_TEST_PG_URL not set (make test starts a PostgreSQL server)")
    schema = "mig_" + uuid.uuid4().hex[:10]
    admin = create_engine(base)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _fill_pre_migration(url: str, with_late_tables: bool) -> None:
    engine = create_engine(url)
    md = _pre_migration_metadata(with_late_tables)
    md.create_all(engine)
    now = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    t = md.tables
    with engine.begin() as c:
        c.execute(
            t["workshops"].insert(),
            [
                dict(
                    id=1,
                    code="ABC234",
                    title="Autumn",
                    date="",
                    modules=["01_why_partnership"],
                    facilitator_key_hash="scrypt$00$00",
                    created_at=now,
                )
            ],
        )
        c.execute(
            t["participants"].insert(),
            [
                dict(id=1, token="p-" + "a" * 22, display_name="Ana", workshop_id=1, created_at=now),
                dict(id=2, token="p-" + "b" * 22, display_name=None, workshop_id=None, created_at=now),
            ],
        )
        c.execute(
            t["answers"].insert(),
            [
                dict(
                    participant_id=1,
                    module="01_why_partnership",
                    item="reflection",
                    value={"text": "kept"},
                    created_at=now,
                    updated_at=now,
                ),
                dict(
                    participant_id=2,
                    module="02_x",
                    item="q",
                    value=[1, 2],
                    created_at=now,
                    updated_at=now,
                ),
            ],
        )
        if with_late_tables:
            c.execute(t["issued_links"].insert(), [dict(participant_id=2, issued_at=now)])
    engine.dispose()


@pytest.mark.parametrize("with_late_tables", [True, False], ids=["current", "older"])
def test_pre_migration_database_is_upgraded_and_keeps_its_rows(empty_url, with_late_tables):
    _fill_pre_migration(empty_url, with_late_tables)
    probe = create_engine(empty_url)
    assert is_pre_migration_database(probe)
    assert current_revision(probe) is None
    probe.dispose()

    store = Store(empty_url)  # opening the store runs the migrations
    try:
        assert current_revision(store.engine) == head_revision()
        assert not is_pre_migration_database(store.engine)
        assert BASELINE_TABLES <= set(inspect(store.engine).get_table_names())
        rows = {(r.display_name, r.module, r.item): r.value for r in store.answers()}
        assert rows == {
            ("Ana", "01_why_partnership", "reflection"): {"text": "kept"},
            (None, "02_x", "q"): [1, 2],
        }
        assert store.workshop_by_code("ABC234").title == "Autumn"
        # The personal link survives only where the old database had recorded it as issued.
        opened = store.participant_by_link("p-" + "b" * 22)
        assert (opened is not None) == with_late_tables
        # And the upgraded database works: new rows, rate limits (a late table) included.
        store.save(1, "01_why_partnership", "more", "new")
        assert store.get(1, "01_why_partnership", "more") == "new"
        assert store.blocked_until("join", 5) is None
    finally:
        store.dispose()
    again = Store(empty_url)  # a second open is a no-op that keeps everything
    try:
        assert len(again.answers()) == 3
    finally:
        again.dispose()


def test_empty_database_gets_every_table_at_head(empty_url):
    store = Store(empty_url)
    try:
        assert current_revision(store.engine) == head_revision()
        assert set(Base.metadata.tables) <= set(inspect(store.engine).get_table_names())
    finally:
        store.dispose()


def test_models_and_newest_revision_describe_the_same_schema(empty_url):
    """A table, column or index added to the models without a revision makes a diff here."""
    store = Store(empty_url)
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        store.dispose()
    assert diff == [], f"write an Alembic revision for: {diff}"


def test_a_model_change_without_revision_is_caught(empty_url):
    """The comparison above can fail: a table only in the models shows up as a diff."""
    store = Store(empty_url)
    extra = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(extra)
    Table("reminders_demo", extra, Column("id", Integer, primary_key=True))
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), extra)
    finally:
        store.dispose()
    assert [d[0] for d in diff] == ["add_table"]
    assert diff[0][1].name == "reminders_demo"


def test_head_constant_is_the_newest():
    """The fast check at start-up compares with HEAD; a new revision must update it."""
    from widgets.migrations import HEAD

    assert head_revision() == HEAD


def _open_and_save(url: str, worker: int) -> None:
    s = Store(url)
    p = s.participant(f"w{worker}")
    s.save(p.id, "load", "x", worker)
    s.dispose()


@pytest.mark.timeout(240)
def test_many_kernels_opening_a_fresh_database_at_once_migrate_it_once(empty_url):
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_open_and_save, args=(empty_url, w)) for w in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(200)
    assert [p.exitcode for p in procs] == [0] * 6
    store = Store(empty_url)
    try:
        assert sorted(r.value for r in store.answers(module="load")) == list(range(6))
        with store.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        store.dispose()


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path):
    """Every kernel opens the store; only a database that needs upgrading pays for Alembic."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    Store(url).dispose()
    code = (
        f"import sys; from widgets.store import Store; Store({url!r}).dispose(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

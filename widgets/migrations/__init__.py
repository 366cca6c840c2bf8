"""Schema migrations of the store (Alembic), run every time a :class:`~widgets.store.Store` opens.

Why: a district's PostgreSQL (and every school's SQLite file) must follow the code's schema
without anyone writing DDL by hand. The revisions live in ``versions/``; ``0001_baseline`` is the
schema as it stood when migrations arrived (``workshops``, ``participants``, ``answers``,
``issued_links``, ``failed_attempts``).

Three kinds of database reach :func:`upgrade`:

- empty: every revision runs, from the baseline up;
- made by Alembic (has ``alembic_version``): only the revisions it lacks run;
- made by ``create_all`` before migrations existed (kit tables, no ``alembic_version``): the
  baseline creates only the tables that are missing (a database from an older kit may lack
  ``issued_links`` or ``failed_attempts``), keeps every row, and records the revision.

Many kernels may open the store at once, so the upgrade runs under a lock: a PostgreSQL
advisory lock held by the migrating transaction, a lock file beside a SQLite database.

To add a table: see ARCHITECTURE.md ("Migrations") or ``python -m widgets.migrations --help``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:  # Alembic loads only when a database needs upgrading (a kernel starts faster)
    from alembic.config import Config

HERE = Path(__file__).resolve().parent

#: The newest revision's id. Every kernel compares the database's ``alembic_version`` with this
#: before loading Alembic at all; a new revision sets it (``test_head_constant_is_the_newest``).
HEAD = "0004_evening_after"

#: Tables the kit had before migrations; any of them without ``alembic_version`` means a
#: database made by ``create_all``.
BASELINE_TABLES = frozenset(
    {"workshops", "participants", "answers", "issued_links", "failed_attempts"}
)

# Any fixed 64-bit number; it names "the kit is migrating" among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x5041505F4D494752  # "PAP_MIGR"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at this folder; ``connection`` is used by ``env.py``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest revision in ``versions/`` (read once per process; one head, or an error)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the store's migrations have {len(heads)} heads: {heads}; merge them")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None (empty or made by ``create_all``)."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_pre_migration_database(engine: Engine) -> bool:
    """True for a database made by ``create_all`` before migrations: kit tables, no version."""
    names = set(inspect(engine).get_table_names())
    return "alembic_version" not in names and bool(names & BASELINE_TABLES)


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    db = engine.url.database
    if not db or db == ":memory:":
        yield
        return
    lock_path = Path(db).with_name(Path(db).name + ".migrate-lock")
    with open(lock_path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest revision; returns that revision.

    Cheap when nothing is to do (a look at ``alembic_version``, Alembic not even imported), so
    every kernel calls it.
    """
    if current_revision(engine) == HEAD:
        return HEAD
    from alembic import command

    head = head_revision()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # transactional DDL: all revisions or none
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            command.upgrade(alembic_config(conn), "head")
    else:
        with _sqlite_file_lock(engine), engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    return head

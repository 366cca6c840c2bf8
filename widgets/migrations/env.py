"""Alembic's entry point: runs the revisions on the connection the store hands over.

``widgets.migrations.upgrade`` passes an open connection in ``config.attributes``; the command
line (``python -m widgets.migrations``) does the same, so there is no alembic.ini to keep true.
"""

from __future__ import annotations

from alembic import context

from widgets.store import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a misconfigured call
    raise RuntimeError("run migrations through widgets.migrations (it passes a connection)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

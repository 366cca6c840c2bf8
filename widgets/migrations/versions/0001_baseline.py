"""Baseline: the store's schema as it stood when migrations arrived.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-26

Creates each table (with its indexes) only when it is missing, so a database made by
``create_all`` before migrations keeps its rows and gains only what an older kit lacked
(``issued_links``, ``failed_attempts``). Later revisions are ordinary: they run once.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _workshops() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("date", sa.String(length=32), nullable=False),
        sa.Column("modules", sa.JSON(), nullable=False),
        sa.Column("facilitator_key_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_workshops_code"), "workshops", ["code"], unique=True)


def _participants() -> None:
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=True),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_participants_token"), "participants", ["token"], unique=True)
    op.create_index(
        op.f("ix_participants_workshop_id"), "participants", ["workshop_id"], unique=False
    )


def _failed_attempts() -> None:
    op.create_table(
        "failed_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_failed_attempts_at"), "failed_attempts", ["at"], unique=False)
    op.create_index(
        op.f("ix_failed_attempts_bucket"), "failed_attempts", ["bucket"], unique=False
    )


def _answers() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=80), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "module", "item", name="uq_answer"),
    )
    op.create_index(op.f("ix_answers_module"), "answers", ["module"], unique=False)
    op.create_index(
        op.f("ix_answers_participant_id"), "answers", ["participant_id"], unique=False
    )


def _issued_links() -> None:
    op.create_table(
        "issued_links",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("participant_id"),
    )


# In foreign-key order.
TABLES: list[tuple[str, Callable[[], None]]] = [
    ("workshops", _workshops),
    ("participants", _participants),
    ("failed_attempts", _failed_attempts),
    ("answers", _answers),
    ("issued_links", _issued_links),
]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES:
        if name not in existing:
            create()


def downgrade() -> None:
    for name, _create in reversed(TABLES):
        op.drop_table(name)

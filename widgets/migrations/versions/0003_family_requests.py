"""Families' parents' evening requests: request windows, household invites, replies.

Revision ID: 0003_family_requests
Revises: 0002_issued_records
Create Date: 2026-11-26

Creates each table only when it is missing: a database where an early build of the request page
made them (with ``create_all``) keeps its rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_family_requests"
down_revision = "0002_issued_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if "evening_request_windows" not in have:
        _windows()
    if "evening_family_invites" not in have:
        _invites()
    if "evening_family_replies" not in have:
        _replies()


def _windows() -> None:
    op.create_table(
        "evening_request_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("window", sa.JSON(), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["participants.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_evening_request_windows_owner_id"), "evening_request_windows",
                    ["owner_id"], unique=False)


def _invites() -> None:
    op.create_table(
        "evening_family_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.String(length=80), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["window_id"], ["evening_request_windows.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("window_id", "family_id", name="uq_invite_family"),
    )
    op.create_index(op.f("ix_evening_family_invites_participant_id"), "evening_family_invites",
                    ["participant_id"], unique=True)
    op.create_index(op.f("ix_evening_family_invites_window_id"), "evening_family_invites",
                    ["window_id"], unique=False)


def _replies() -> None:
    op.create_table(
        "evening_family_replies",
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("reply", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["invite_id"], ["evening_family_invites.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("invite_id"),
    )


def downgrade() -> None:
    op.drop_table("evening_family_replies")
    op.drop_index(op.f("ix_evening_family_invites_window_id"), "evening_family_invites")
    op.drop_index(op.f("ix_evening_family_invites_participant_id"), "evening_family_invites")
    op.drop_table("evening_family_invites")
    op.drop_index(op.f("ix_evening_request_windows_owner_id"), "evening_request_windows")
    op.drop_table("evening_request_windows")

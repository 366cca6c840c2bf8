"""Issued professional-learning records, looked up by id on the verify page.

Revision ID: 0002_issued_records
Revises: 0001_baseline
Create Date: 2026-11-26

One row per record a participant prepared: a random id (the key typed on
``verify_record.ipynb``), the participant it belongs to (deleted with them), what it certified
(JSON, no reflection texts) and when it was issued.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_issued_records"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database that ran this branch before migrations existed made the table with create_all;
    # keep its rows (the same rule as the baseline).
    if "issued_records" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "issued_records",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_issued_records_participant_id"),
        "issued_records",
        ["participant_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_records_participant_id"), table_name="issued_records")
    op.drop_table("issued_records")

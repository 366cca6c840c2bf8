"""The tables of families' parents' evening requests, on the store's metadata.

Kept apart from :mod:`widgets.evening.request_store` (which uses them) so that
``widgets.store`` can import them without loading the evening package: the models and the
migrations (``0002_family_requests``) then always describe the same schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from widgets.store import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RequestWindowRow(Base):
    __tablename__ = "evening_request_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True, index=True
    )
    window: Mapped[Any] = mapped_column(JSON)
    closes_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FamilyInviteRow(Base):
    __tablename__ = "evening_family_invites"
    __table_args__ = (UniqueConstraint("window_id", "family_id", name="uq_invite_family"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("evening_request_windows.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True, index=True
    )
    family_id: Mapped[str] = mapped_column(String(80))
    details: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FamilyReplyRow(Base):
    __tablename__ = "evening_family_replies"

    invite_id: Mapped[int] = mapped_column(
        ForeignKey("evening_family_invites.id", ondelete="CASCADE"), primary_key=True
    )
    reply: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

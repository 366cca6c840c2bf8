"""Where every answer in the kit lives.

One store for the whole kit: reflections, ratings, role-play choices and plans are all rows in
``answers``, keyed by participant, module and item, with a JSON value. Workshops, participants
and the records the kit issued (``issued_records``) are the other tables, so a facilitator's
dashboard can read anything any module saved.
The schema changes only through Alembic revisions in ``widgets/migrations`` (run on open).

SQLite file by default (WAL and a busy timeout so many kernels can write at once); PostgreSQL when
``PAP_DATABASE_URL`` is set, which is how a district runs it for many schools on JupyterHub.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

DATABASE_URL_ENV = "PAP_DATABASE_URL"
DATA_DIR_ENV = "PAP_DATA_DIR"

# Join codes avoid letters and digits people confuse when read off a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

# A personal token is a key to someone's answers: issued by the kit, never derived from a name.
# New ones carry 128 random bits. Workshop links issued before this rule carry 96 bits
# (``token_urlsafe(12)``); they stay valid, because 96 random bits cannot be guessed either and
# participants bookmarked them.
TOKEN_PREFIX = "p-"
TOKEN_BYTES = 16
_TOKEN_RE = re.compile(r"p-[A-Za-z0-9_-]{16,64}")

# Wrong join codes and facilitator keys: at most this many per bucket in the window.
ATTEMPT_WINDOW = timedelta(minutes=10)
KEY_ATTEMPTS = 10  # wrong facilitator keys per workshop code
CODE_ATTEMPTS = 10  # wrong tries of one join code
JOIN_ATTEMPTS = 100  # wrong join codes of any kind, for the whole kit

# Record ids: "PAP-" and seven groups of four from the join-code alphabet (no 0/O, 1/I/L), so they
# can be read off paper and typed: 28 symbols of 31 are about 138 random bits, unguessable.
RECORD_PREFIX = "PAP"
RECORD_GROUPS, RECORD_GROUP_LEN = 7, 4


def new_record_id() -> str:
    """A fresh random record id, e.g. ``PAP-K7QX-2MHD-...`` (secrets, not a clock or a name)."""
    n = RECORD_GROUPS * RECORD_GROUP_LEN
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(n))
    groups = [raw[i : i + RECORD_GROUP_LEN] for i in range(0, n, RECORD_GROUP_LEN)]
    return "-".join([RECORD_PREFIX, *groups])


def normalise_record_id(text: str) -> str | None:
    """The canonical form of a typed or pasted record id, or None if it cannot be one.

    Case, spaces and dashes do not matter (people copy ids from paper and PDFs).
    """
    raw = re.sub(r"[\s\-]", "", (text or "").upper())
    raw = raw.removeprefix(RECORD_PREFIX)
    n = RECORD_GROUPS * RECORD_GROUP_LEN
    if len(raw) != n or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return "-".join([RECORD_PREFIX] + [raw[i : i + RECORD_GROUP_LEN] for i in range(0, n, RECORD_GROUP_LEN)])



def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the store returns is UTC-aware."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[str] = mapped_column(String(32), default="")
    modules: Mapped[list] = mapped_column(JSON, default=list)
    facilitator_key_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    display_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class IssuedLink(Base):
    """Marks a participant whose token the kit handed out as a personal link.

    Workshop participants are recognisably issued (they belong to a workshop); a personal record
    has no workshop, and before tokens were checked a mistyped link created such rows too, so only
    the ones listed here are opened by a link.
    """

    __tablename__ = "issued_links"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FailedAttempt(Base):
    """One wrong join code or facilitator key, so every kernel sees the same rate limit."""

    __tablename__ = "failed_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("participant_id", "module", "item", name="uq_answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    module: Mapped[str] = mapped_column(String(80), index=True)
    item: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class IssuedRecord(Base):
    """A professional-learning record the kit issued, checkable by its id on the verify page.

    ``id`` is random (see :func:`new_record_id`), never derived from a name or a date, so it can
    be neither guessed nor forged; ``content`` is what the record certified when it was issued
    (no reflection texts), so a later change in the participant's answers cannot alter it. The
    participant's "Delete my answers" (and a facilitator's deletion) withdraws their records.
    """

    __tablename__ = "issued_records"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[Any] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


@dataclass(frozen=True)
class IssuedRecordInfo:
    id: str
    participant_id: int
    content: dict
    issued_at: datetime

# -- parents' evening: the roster teachers mark attendance on, their links, the reminder log -----


class EveningRoster(Base):
    """A timetable the office published so teachers can mark attendance on their phones.

    The planner keeps family data in the page; publishing is the office's deliberate step that
    stores the least the evening needs (names, children, times; no email or phone) under the
    office's own record, which can delete it.
    """

    __tablename__ = "evening_rosters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    roster: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class EveningTeacherLink(Base):
    """Which teacher of which roster an issued personal link belongs to (one link per teacher)."""

    __tablename__ = "evening_teacher_links"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    roster_id: Mapped[int] = mapped_column(
        ForeignKey("evening_rosters.id", ondelete="CASCADE"), index=True
    )
    teacher_id: Mapped[str] = mapped_column(String(80))


class ReminderSent(Base):
    """One reminder the kit tried to send: sent, failed (with the reason) or skipped (why)."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    batch: Mapped[str] = mapped_column(String(40), index=True)
    evening: Mapped[str] = mapped_column(String(200))
    family_id: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[str] = mapped_column(String(320), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(12))  # sent | failed | skipped
    reason: Mapped[str] = mapped_column(String(500), default="")
    test: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


@dataclass(frozen=True)
class AnswerRow:
    """A saved answer, detached from the database session so views can hold it safely."""

    participant_id: int
    participant_token: str
    display_name: str | None
    workshop_id: int | None
    module: str
    item: str
    value: Any
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ParticipantInfo:
    id: int
    token: str
    display_name: str | None
    workshop_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class WorkshopInfo:
    id: int
    code: str
    title: str
    date: str
    modules: list
    created_at: datetime


class DataFolderError(OSError):
    """The data folder for the SQLite file cannot be created; carries the folder and the reason.

    A subclass of OSError with the original errno, so a caller can tell a full disk or a read-only
    disk from a file standing where the folder should be, and name the folder for the IT person.
    """

    def __init__(self, folder: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(folder))
        self.folder = folder
        self.cause = cause


def is_link_token(token: str) -> bool:
    """Whether a string has the shape of a token the kit issues (it may still not exist)."""
    return bool(_TOKEN_RE.fullmatch(token or ""))


class TooManyAttempts(Exception):
    """Too many wrong codes or keys lately; ``until`` says when trying again is allowed."""

    def __init__(self, until: datetime, now: datetime | None = None) -> None:
        self.until = until
        now = now or _now()
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        at = until.astimezone().strftime("%H:%M")
        super().__init__(
            f"Too many wrong tries in the last few minutes. Please wait about {minutes} "
            f"minute{'s' if minutes != 1 else ''} and try again after {at}."
        )


def default_database_url() -> str:
    """The URL used when the IT person has set nothing: a SQLite file in a data folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    data_dir = Path(
        os.environ.get(DATA_DIR_ENV) or Path.home() / ".local" / "share" / "parents-as-partners"
    )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, no permission, read-only or full disk
        raise DataFolderError(data_dir, exc) from exc
    return f"sqlite:///{data_dir / 'answers.sqlite'}"


def _hash_key(key: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _check_key(key: str, stored: str) -> bool:
    try:
        _scheme, salt_hex, _digest = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(_hash_key(key, bytes.fromhex(salt_hex)), stored)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI callback
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The kit's single persistence API. Every module saves through this and nothing else."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_database_url()
        self.engine = _make_engine(self.url)
        # The schema is the migrations' (widgets/migrations), never create_all: a district's
        # PostgreSQL follows the code without hand-written DDL.
        from widgets.migrations import upgrade

        upgrade(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- workshops -------------------------------------------------------------------------
    def open_workshop(
        self, title: str, date: str = "", modules: Iterable[str] = ()
    ) -> tuple[WorkshopInfo, str]:
        """Create a workshop; returns it and the facilitator key (shown once, stored hashed)."""
        key = secrets.token_urlsafe(9)
        with self._session.begin() as s:
            for _ in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if s.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
                    break
            ws = Workshop(
                code=code,
                title=title.strip()[:200] or "Workshop",
                date=date,
                modules=list(modules),
                facilitator_key_hash=_hash_key(key),
            )
            s.add(ws)
            s.flush()
            info = _ws_info(ws)
        return info, key

    def workshop_by_code(self, code: str) -> WorkshopInfo | None:
        code = (code or "").strip().upper()
        with self._session() as s:
            ws = s.scalar(select(Workshop).where(Workshop.code == code))
            return _ws_info(ws) if ws else None

    def workshop_by_id(self, workshop_id: int) -> WorkshopInfo | None:
        with self._session() as s:
            ws = s.get(Workshop, workshop_id)
            return _ws_info(ws) if ws else None

    def check_facilitator_key(
        self, code: str, key: str, *, now: datetime | None = None
    ) -> WorkshopInfo | None:
        """The workshop if the key opens it, else None (no hint which part was wrong).

        Wrong keys count per workshop code; over the limit this raises :class:`TooManyAttempts`
        without checking the key, so guessing gains nothing.
        """
        code = (code or "").strip().upper()[:12]
        buckets = [("key:" + code, KEY_ATTEMPTS)]
        self._raise_if_blocked(buckets, now)
        with self._session() as s:
            ws = s.scalar(select(Workshop).where(Workshop.code == code))
            ok = ws is not None and _check_key((key or "").strip(), ws.facilitator_key_hash)
            info = _ws_info(ws) if ok else None
        if info is None:
            self._record_failure([b for b, _ in buckets], now)
        return info

    # -- rate limits -----------------------------------------------------------------------
    def blocked_until(
        self, bucket: str, limit: int, now: datetime | None = None
    ) -> datetime | None:
        """When this bucket may be tried again, or None if it may be tried now."""
        now = now or _now()
        with self._session() as s:
            ats = list(
                s.scalars(
                    select(FailedAttempt.at)
                    .where(FailedAttempt.bucket == bucket, FailedAttempt.at > now - ATTEMPT_WINDOW)
                    .order_by(FailedAttempt.at)
                )
            )
        if len(ats) < limit:
            return None
        return _aware(ats[len(ats) - limit]) + ATTEMPT_WINDOW

    def _raise_if_blocked(self, buckets: list[tuple[str, int]], now: datetime | None) -> None:
        untils = [u for b, n in buckets if (u := self.blocked_until(b, n, now)) is not None]
        if untils:
            raise TooManyAttempts(max(untils), now or _now())

    def _record_failure(self, buckets: list[str], now: datetime | None) -> None:
        now = now or _now()
        with self._session.begin() as s:
            s.execute(delete(FailedAttempt).where(FailedAttempt.at <= now - ATTEMPT_WINDOW))
            for b in buckets:
                s.add(FailedAttempt(bucket=b[:40], at=now))

    # -- participants ----------------------------------------------------------------------
    def participant(
        self, token: str, display_name: str | None = None, workshop_id: int | None = None
    ) -> ParticipantInfo:
        """Get or create the participant with this token (idempotent, safe under races)."""
        with self._session() as s:
            p = s.scalar(select(Participant).where(Participant.token == token))
            if p is None:
                p = Participant(token=token, display_name=display_name, workshop_id=workshop_id)
                s.add(p)
                try:
                    s.commit()
                except Exception:  # another kernel created it first
                    s.rollback()
                    p = s.scalar(select(Participant).where(Participant.token == token))
                    if p is None:
                        raise
            return _p_info(p)

    def join_workshop(
        self, code: str, display_name: str | None = None, *, now: datetime | None = None
    ) -> ParticipantInfo | None:
        """A new participant in the workshop with this code, or None if no such workshop.

        Wrong codes count towards a limit (per code and for the whole kit); over it, this raises
        :class:`TooManyAttempts` before looking the code up.
        """
        code = (code or "").strip().upper()[:12]
        buckets = [("join:" + code, CODE_ATTEMPTS), ("join", JOIN_ATTEMPTS)]
        self._raise_if_blocked(buckets, now)
        ws = self.workshop_by_code(code)
        if ws is None:
            self._record_failure([b for b, _ in buckets], now)
            return None
        name = (display_name or "").strip()[:80] or None
        return self._new_participant(name, ws.id)

    def issue_personal_link(self, display_name: str | None = None) -> ParticipantInfo:
        """A fresh personal record whose token the visitor bookmarks (no workshop)."""
        p = self._new_participant((display_name or "").strip()[:80] or None, None)
        with self._session.begin() as s:
            s.add(IssuedLink(participant_id=p.id))
        return p

    def _new_participant(self, name: str | None, workshop_id: int | None) -> ParticipantInfo:
        token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        with self._session.begin() as s:
            p = Participant(token=token, display_name=name, workshop_id=workshop_id)
            s.add(p)
            s.flush()
            return _p_info(p)

    def participant_by_link(self, token: str) -> ParticipantInfo | None:
        """The participant a link's token opens, or None. Never creates a record.

        Only tokens the kit issued open anything: the right shape (so ``solo-alice`` or a name
        never matches), present in the store, and either a workshop participant or a personal
        link the kit recorded as issued.
        """
        token = (token or "").strip()
        if not is_link_token(token):
            return None
        with self._session() as s:
            p = s.scalar(select(Participant).where(Participant.token == token))
            if p is None:
                return None
            if p.workshop_id is None and s.get(IssuedLink, p.id) is None:
                return None
            return _p_info(p)

    def count_participants(self) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count(Participant.id))) or 0)

    def participants(self, workshop_id: int) -> list[ParticipantInfo]:
        with self._session() as s:
            rows = s.scalars(
                select(Participant)
                .where(Participant.workshop_id == workshop_id)
                .order_by(Participant.id)
            )
            return [_p_info(p) for p in rows]

    def delete_participant(self, participant_id: int) -> int:
        """Remove a participant and everything they saved (a data-deletion request)."""
        with self._session.begin() as s:
            n = _delete_answers_of(s, participant_id)
            p = s.get(Participant, participant_id)
            if p is not None:
                s.delete(p)
            return n

    def delete_answers(self, participant_id: int) -> int:
        """A participant's own "delete my answers": every answer gone, their name forgotten.

        The record itself stays, so their bookmarked link still opens an (empty) record.
        """
        with self._session.begin() as s:
            n = _delete_answers_of(s, participant_id)
            p = s.get(Participant, participant_id)
            if p is not None:
                p.display_name = None
            return n

    # -- answers ---------------------------------------------------------------------------
    def save(self, participant_id: int, module: str, item: str, value: Any) -> None:
        """Insert or replace one answer (an upsert, so autosave on each keystroke is cheap).

        Returns only after the transaction has committed; any failure (full disk, read-only file,
        lost server, lock) is raised unchanged so :mod:`widgets.saving` can name it. Views save
        through :func:`widgets.saving.save_answer`, which says "Saved" only after this returns.
        """
        now = _now()
        values = dict(
            participant_id=participant_id,
            module=module,
            item=item,
            value=value,
            created_at=now,
            updated_at=now,
        )
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(Answer).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["participant_id", "module", "item"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def get(self, participant_id: int, module: str, item: str, default: Any = None) -> Any:
        with self._session() as s:
            a = s.scalar(
                select(Answer).where(
                    Answer.participant_id == participant_id,
                    Answer.module == module,
                    Answer.item == item,
                )
            )
            return a.value if a is not None else default

    def delete(self, participant_id: int, module: str, item: str) -> None:
        with self._session.begin() as s:
            a = s.scalar(
                select(Answer).where(
                    Answer.participant_id == participant_id,
                    Answer.module == module,
                    Answer.item == item,
                )
            )
            if a is not None:
                s.delete(a)

    def answers(
        self,
        *,
        participant_id: int | None = None,
        workshop_id: int | None = None,
        module: str | None = None,
        item_prefix: str | None = None,
    ) -> list[AnswerRow]:
        """Answers filtered by any combination of participant, workshop, module, item prefix."""
        q = select(Answer, Participant).join(Participant, Answer.participant_id == Participant.id)
        if participant_id is not None:
            q = q.where(Answer.participant_id == participant_id)
        if workshop_id is not None:
            q = q.where(Participant.workshop_id == workshop_id)
        if module is not None:
            q = q.where(Answer.module == module)
        if item_prefix:
            q = q.where(Answer.item.startswith(item_prefix, autoescape=True))
        q = q.order_by(Answer.id)
        with self._session() as s:
            return [
                AnswerRow(
                    participant_id=a.participant_id,
                    participant_token=p.token,
                    display_name=p.display_name,
                    workshop_id=p.workshop_id,
                    module=a.module,
                    item=a.item,
                    value=a.value,
                    created_at=_aware(a.created_at),
                    updated_at=_aware(a.updated_at),
                )
                for a, p in s.execute(q)
            ]

    # -- issued records ----------------------------------------------------------------------
    def issue_record(self, participant_id: int, content: dict) -> IssuedRecordInfo:
        """Keep what a record certifies under a new random id; returns it with that id."""
        with self._session.begin() as s:
            for _ in range(5):  # a clash of 138 random bits does not happen; be safe anyway
                rid = new_record_id()
                if s.get(IssuedRecord, rid) is None:
                    break
            rec = IssuedRecord(id=rid, participant_id=participant_id, content=content)
            s.add(rec)
            s.flush()
            return _rec_info(rec)

    def record_by_id(self, text: str) -> IssuedRecordInfo | None:
        """The issued record with this id (typed in any case, with or without dashes), or None."""
        rid = normalise_record_id(text)
        if rid is None:
            return None
        with self._session() as s:
            rec = s.get(IssuedRecord, rid)
            return _rec_info(rec) if rec is not None else None

    def records_of(self, participant_id: int) -> list[IssuedRecordInfo]:
        """Every record issued to a participant, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(IssuedRecord)
                .where(IssuedRecord.participant_id == participant_id)
                .order_by(IssuedRecord.issued_at)
            )
            return [_rec_info(r) for r in rows]

    # -- parents' evening: rosters, teacher links, reminder log -----------------------------
    def publish_roster(self, owner_id: int, title: str, roster: Any) -> int:
        """Store a roster (see :class:`EveningRoster`); returns its id."""
        with self._session.begin() as s:
            r = EveningRoster(owner_id=owner_id, title=(title or "Evening")[:200], roster=roster)
            s.add(r)
            s.flush()
            return int(r.id)

    def rosters_of(self, owner_id: int) -> list[tuple[int, str, datetime]]:
        """(id, title, published at) of the office's rosters, newest first."""
        with self._session() as s:
            rows = s.execute(
                select(EveningRoster.id, EveningRoster.title, EveningRoster.created_at)
                .where(EveningRoster.owner_id == owner_id)
                .order_by(EveningRoster.id.desc())
            )
            return [(int(i), t, _aware(c)) for i, t, c in rows]

    def roster(self, roster_id: int) -> tuple[int, str, Any] | None:
        """(owner id, title, roster) or None."""
        with self._session() as s:
            r = s.get(EveningRoster, roster_id)
            return (r.owner_id, r.title, r.roster) if r is not None else None

    def delete_roster(self, owner_id: int, roster_id: int) -> bool:
        """Delete a roster of this owner, its teacher links' records and what they marked."""
        with self._session.begin() as s:
            r = s.get(EveningRoster, roster_id)
            if r is None or r.owner_id != owner_id:
                return False
            pids = list(s.scalars(
                select(EveningTeacherLink.participant_id)
                .where(EveningTeacherLink.roster_id == roster_id)
            ))
            s.execute(delete(EveningTeacherLink).where(EveningTeacherLink.roster_id == roster_id))
            for pid in pids:
                _delete_answers_of(s, pid)
            s.flush()
            if pids:
                s.execute(delete(IssuedLink).where(IssuedLink.participant_id.in_(pids)))
                s.execute(delete(Participant).where(Participant.id.in_(pids)))
            s.execute(delete(EveningRoster).where(EveningRoster.id == roster_id))
            return True

    def issue_teacher_link(self, roster_id: int, teacher_id: str, name: str) -> ParticipantInfo:
        """A personal link for one teacher of a roster (the link opens only their slots)."""
        p = self.issue_personal_link(name)
        with self._session.begin() as s:
            s.add(EveningTeacherLink(participant_id=p.id, roster_id=roster_id,
                                     teacher_id=teacher_id[:80]))
        return p

    def teacher_links(self, roster_id: int) -> list[tuple[str, ParticipantInfo]]:
        """(teacher id, participant) for every link issued for this roster."""
        with self._session() as s:
            rows = s.execute(
                select(EveningTeacherLink.teacher_id, Participant)
                .join(Participant, Participant.id == EveningTeacherLink.participant_id)
                .where(EveningTeacherLink.roster_id == roster_id)
                .order_by(Participant.id)
            )
            return [(t, _p_info(p)) for t, p in rows]

    def teacher_link_of(self, participant_id: int) -> tuple[int, str] | None:
        """(roster id, teacher id) that this participant's link was issued for, or None."""
        with self._session() as s:
            link = s.get(EveningTeacherLink, participant_id)
            return (link.roster_id, link.teacher_id) if link is not None else None

    def log_reminders(self, owner_id: int, rows: Iterable[dict[str, Any]]) -> int:
        """Add rows to the reminder log (keys as :class:`ReminderSent`); returns how many."""
        n = 0
        with self._session.begin() as s:
            for row in rows:
                s.add(ReminderSent(owner_id=owner_id, **row))
                n += 1
        return n

    def reminder_log(self, owner_id: int, limit: int = 5000) -> list[dict[str, Any]]:
        """The office's reminder log, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(ReminderSent)
                .where(ReminderSent.owner_id == owner_id)
                .order_by(ReminderSent.id.desc())
                .limit(limit)
            )
            return [
                {
                    "batch": r.batch, "evening": r.evening, "family_id": r.family_id,
                    "recipient": r.recipient, "language": r.language, "status": r.status,
                    "reason": r.reason, "test": bool(r.test), "at": _aware(r.at),
                }
                for r in rows
            ]

    def dispose(self) -> None:
        self.engine.dispose()


def _delete_answers_of(s: Any, participant_id: int) -> int:
    """Delete every answer of one participant in session ``s``; how many there were."""
    n = 0
    for a in s.scalars(select(Answer).where(Answer.participant_id == participant_id)):
        s.delete(a)
        n += 1
    # Records issued from those answers are withdrawn with them: the verify page then says
    # "not found", as it must once the participant asked for their data to go.
    s.execute(delete(IssuedRecord).where(IssuedRecord.participant_id == participant_id))
    return n


def _ws_info(ws: Workshop) -> WorkshopInfo:
    return WorkshopInfo(
        ws.id, ws.code, ws.title, ws.date, list(ws.modules or []), _aware(ws.created_at)
    )


def _rec_info(r: IssuedRecord) -> IssuedRecordInfo:
    return IssuedRecordInfo(r.id, r.participant_id, dict(r.content or {}), _aware(r.issued_at))


def _p_info(p: Participant) -> ParticipantInfo:
    return ParticipantInfo(p.id, p.token, p.display_name, p.workshop_id, _aware(p.created_at))


_default_store: Store | None = None


def get_store() -> Store:
    """The process-wide store, created on first use so kernels start without a DB connection."""
    global _default_store
    if _default_store is None:
        _default_store = Store()
    return _default_store


def reset_store() -> None:
    """Forget the process-wide store (tests switch databases with this)."""
    global _default_store
    if _default_store is not None:
        _default_store.dispose()
    _default_store = None


# Tables other parts own, on the same metadata (imported last: they subclass Base above).
from widgets import family_tables as _family_tables  # noqa: E402,F401

"""A room session's warm-up: get the server ready for N participants before they arrive.

Voila gives every page its own kernel. A kernel started when the page is asked for costs several
seconds of the server's time, and thirty of them at once cost minutes; a kernel started in advance
("warm": started and the notebook already run) is handed over at once. Warm kernels hold memory
whether or not anyone comes, so the kit keeps almost none when no session runs (only the landing
page's) and warms the chosen modules' notebooks for a session the facilitator announces.

This module is the pure part, shared by the facilitator's panel (which writes the session file)
and the server's pool manager (``widgets/workshop/room_pool.py``, which reads it, sizes Voila's
kernel pools and writes a status file). Both files live in the data folder (``PAP_DATA_DIR``).
Nothing here imports Voila or ipywidgets.

Pool rule: a module of a session for N participants keeps ``N + spare(N)`` kernels warm or in use
(``spare`` = a tenth of the room, at least 2: for latecomers and reloads). As pages take kernels
the pool is not refilled until fewer than ``spare`` remain warm, so a room arriving at once does
not also start a second room's worth of kernels in the same seconds.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from widgets.limits import (
    MAX_ROOM_MODULES,
    MAX_ROOM_PARTICIPANTS,
    MAX_ROOM_SESSION_HOURS,
    MAX_ROOM_WARM_KERNELS,
)
from widgets.schema_base import StrictModel

SESSION_FILE = "room_session.json"
STATUS_FILE = "room_status.json"
# Kernels kept warm with no session: only the landing page, which everyone opens first.
IDLE_POOLS: dict[str, int] = {"index.ipynb": 1}
# The server writes its status every couple of seconds; older than this means it is not reporting.
STATUS_STALE_SECONDS = 30
DEFAULT_SESSION_HOURS = 3
NOTEBOOK_PATTERN = r"^[\w\-]+\.ipynb$"


class RoomError(ValueError):
    """A session the kit will not start; ``str(exc)`` says why and what to do instead."""


def data_dir() -> Path:
    """The kit's data folder (the same rule as the store's SQLite file)."""
    return Path(
        os.environ.get("PAP_DATA_DIR") or Path.home() / ".local" / "share" / "parents-as-partners"
    )


def spare(participants: int) -> int:
    """Extra warm kernels for latecomers and reloads: a tenth of the room, at least 2."""
    return max(2, math.ceil(participants / 10))


def pool_size(participants: int) -> int:
    """Kernels a session's module keeps warm or in use for a room of ``participants``."""
    return participants + spare(participants)


class RoomSession(StrictModel):
    """What the facilitator announced: how many people, which notebooks, until when."""

    participants: int = Field(ge=1, le=MAX_ROOM_PARTICIPANTS)
    modules: list[str] = Field(min_length=1, max_length=MAX_ROOM_MODULES)
    started: datetime
    until: datetime

    @field_validator("modules")
    @classmethod
    def _notebooks(cls, v: list[str]) -> list[str]:
        import re

        for nb in v:
            if not re.match(NOTEBOOK_PATTERN, nb):
                raise ValueError(f"{nb!r} is not a notebook name like 01_why_partnership.ipynb")
        if len(set(v)) != len(v):
            raise ValueError("a module is listed twice")
        return v

    @field_validator("started", "until")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("times must carry a time zone")
        return v

    @model_validator(mode="after")
    def _bounds(self) -> RoomSession:
        if self.until <= self.started:
            raise ValueError("the session must end after it starts")
        if self.until - self.started > timedelta(hours=MAX_ROOM_SESSION_HOURS):
            raise ValueError(f"a session lasts at most {MAX_ROOM_SESSION_HOURS} hours")
        if self.warm_kernels > MAX_ROOM_WARM_KERNELS:
            raise ValueError(
                f"{self.warm_kernels} warm kernels asked for; at most {MAX_ROOM_WARM_KERNELS}"
            )
        return self

    @property
    def warm_kernels(self) -> int:
        """Kernels this session asks the server to hold at most (all modules)."""
        return pool_size(self.participants) * len(self.modules)

    def active(self, now: datetime) -> bool:
        return self.started <= now < self.until


def new_session(
    participants: int,
    modules: list[str],
    now: datetime,
    hours: float = DEFAULT_SESSION_HOURS,
) -> RoomSession:
    """A session for the panel to write, or :class:`RoomError` in words a facilitator reads."""
    if not modules:
        raise RoomError("Choose at least one module the room will open.")
    if len(modules) > MAX_ROOM_MODULES:
        raise RoomError(
            f"Choose at most {MAX_ROOM_MODULES} modules: each one holds a kernel per person "
            "in the server's memory. Start another session when the room moves on."
        )
    if not 1 <= participants <= MAX_ROOM_PARTICIPANTS:
        raise RoomError(
            f"The number of participants must be between 1 and {MAX_ROOM_PARTICIPANTS}."
        )
    if pool_size(participants) * len(modules) > MAX_ROOM_WARM_KERNELS:
        most = max(1, MAX_ROOM_WARM_KERNELS // pool_size(participants))
        raise RoomError(
            f"A room of {participants} on {len(modules)} modules needs "
            f"{pool_size(participants) * len(modules)} kernels ready; the kit holds at most "
            f"{MAX_ROOM_WARM_KERNELS}. Choose {most} module{'s' if most != 1 else ''} now and "
            "the next ones when the room moves on."
        )
    try:
        return RoomSession(
            participants=participants,
            modules=list(modules),
            started=now,
            until=now + timedelta(hours=hours),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RoomError(f"This session cannot start: {first['msg']}.") from None


def pool_targets(session: RoomSession | None, now: datetime) -> dict[str, int]:
    """Notebook -> kernels to keep warm or in use: the idle pools, plus a running session's."""
    out = dict(IDLE_POOLS)
    if session is not None and session.active(now):
        for nb in session.modules:
            out[nb] = max(out.get(nb, 0), pool_size(session.participants))
    return out


def warm_target(total: int, in_use: int, idle: int, room_spare: int) -> int:
    """How many warm kernels a pool should hold now, given ``in_use`` handed to pages.

    ``total`` is the session's ``N + spare`` (or the idle size). Kernels in use count towards
    it, so a room arriving at once empties the pool without refilling it; once ``total`` is
    reached the pool keeps ``room_spare`` warm for latecomers. Never below the idle size.
    """
    return max(idle, min(total, max(room_spare, total - in_use)))


# -- the session file (written by the facilitator's page, read by the server) ----------------
def _write_json(path: Path, data: dict) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_session(session: RoomSession, folder: Path | None = None) -> Path:
    path = (folder or data_dir()) / SESSION_FILE
    _write_json(path, session.model_dump(mode="json"))
    return path


def end_session(folder: Path | None = None) -> bool:
    """Remove the session file; True if there was one."""
    path = (folder or data_dir()) / SESSION_FILE
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


@dataclass(frozen=True)
class SessionRead:
    session: RoomSession | None
    problem: str = ""  # why a session file present was ignored, in words


MAX_FILE_BYTES = 64 * 1024


def read_session(folder: Path | None = None) -> SessionRead:
    """The session file, validated. A broken file means no session (and says why), never a guess."""
    path = (folder or data_dir()) / SESSION_FILE
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return SessionRead(None, f"{path} is too large to be a session file; it was ignored.")
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SessionRead(None)
    except OSError as exc:
        return SessionRead(None, f"{path} could not be read ({exc.strerror}); it was ignored.")
    try:
        return SessionRead(RoomSession.model_validate_json(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "the file"
        return SessionRead(
            None,
            f"{path}: {where}: {first['msg']}. It was ignored; start the session again from "
            "the facilitator dashboard.",
        )


# -- the status file (written by the server) --------------------------------------------------
class PoolStatus(StrictModel):
    notebook: str
    target: int = Field(ge=0)  # kernels warm or in use the pool aims at
    warm: int = Field(ge=0)  # started and the notebook already run: handed over at once
    starting: int = Field(ge=0)
    in_use: int = Field(ge=0)  # handed to pages (and not yet ended)


class RoomStatus(StrictModel):
    written: datetime
    session_started: datetime | None = None  # which session these figures are for
    pools: list[PoolStatus] = Field(default_factory=list)
    held_back: str = ""  # why the server starts no more kernels now (memory), in words

    def pool(self, notebook: str) -> PoolStatus | None:
        return next((p for p in self.pools if p.notebook == notebook), None)


def write_status(status: RoomStatus, folder: Path | None = None) -> None:
    _write_json((folder or data_dir()) / STATUS_FILE, status.model_dump(mode="json"))


def read_status(folder: Path | None = None) -> RoomStatus | None:
    path = (folder or data_dir()) / STATUS_FILE
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return RoomStatus.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


# -- what the facilitator sees ----------------------------------------------------------------
@dataclass(frozen=True)
class Readiness:
    kind: Literal["info", "success", "warning"]
    text: str
    ready_for: int  # participants who can open every chosen module at once (0 when unknown)


def readiness(
    session: RoomSession | None,
    status: RoomStatus | None,
    now: datetime,
    titles: dict[str, str] | None = None,
) -> Readiness:
    """ "Ready for 30" only when 30 warm kernels really wait for every chosen module."""
    titles = titles or {}
    if session is None or not session.active(now):
        return Readiness(
            "info", "No session is running: the server keeps only the landing page warm.", 0
        )
    n = session.participants
    if (
        status is None
        or (now - status.written).total_seconds() > STATUS_STALE_SECONDS
        or status.session_started != session.started
    ):
        if (now - session.started).total_seconds() <= STATUS_STALE_SECONDS:
            return Readiness("info", "Session started: waiting for the server to take it up.", 0)
        return Readiness(
            "warning",
            "The server has not reported warm kernels for this session. Is it started with "
            "`make app` (the kit's voila.json)? Pages still open, each a few seconds slower.",
            0,
        )
    parts, ready, covered = [], n, n
    for nb in session.modules:
        p = status.pool(nb)
        warm, in_use = (p.warm, p.in_use) if p else (0, 0)
        ready = min(ready, warm)
        covered = min(covered, warm + in_use)
        parts.append(f"{titles.get(nb, nb)}: {warm} warm" + (f", {in_use} open" if in_use else ""))
    detail = "; ".join(parts)
    if status.held_back:
        return Readiness(
            "warning", f"Ready for {ready} of {n}. {status.held_back} ({detail})", ready
        )
    if ready >= n:
        return Readiness(
            "success", f"Ready for {n}: every chosen module opens at once ({detail}).", n
        )
    if covered >= n:
        return Readiness("success", f"Session under way: ready for {ready} more ({detail}).", ready)
    return Readiness("info", f"Warming up: ready for {ready} of {n} ({detail}).", ready)


def now_utc() -> datetime:
    return datetime.now(UTC)

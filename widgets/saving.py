"""The kit's one save path: "Saved" only after the store committed, and a failed save named.

A participant trusts the line under a text box. On main it said "Saved at ..." for writes that
never reached the disk, and a failed write said "nothing you entered was lost". Here a save is one
call, :func:`save_answer`, which

* finds the visitor (:func:`widgets.identity.current_visitor`); if the visitor cannot be
  established nothing is written and the result says so;
* writes through :func:`widgets.store.get_store` (``Store.save`` returns only after its
  transaction committed);
* returns a :class:`SaveResult`: "Saved at HH:MM:SS" only when the write committed, otherwise
  "Not saved: <cause>; ..." with the cause in plain words (disk full, read-only, no data folder,
  database server unreachable, busy).

Views show the result with :func:`show_save`. The text a user typed is never touched by a failed
save, so the message can truthfully say it is still in the box.

:func:`describe_store_error` is also what :func:`widgets.ui.plain_error` uses, so a view that still
calls ``store.save`` inside ``guarded(status)`` gives the same true words.
"""

from __future__ import annotations

import errno
import functools
import sqlite3
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import ipywidgets as ipw

from widgets import identity
from widgets.store import DataFolderError, Store, get_store
from widgets.ui import Kind, plain_error, show_message

Cause = Literal[
    "disk-full",
    "read-only",
    "no-data-folder",
    "server-unreachable",
    "busy",
    "no-visitor",
    "store-error",
]

KEPT_TEXT = "your text is still in the box; copy it somewhere safe"
KEPT_CHOICES = "your choices are still on the page; note them somewhere safe"

# Plain words per cause. Each is the part after "Not saved: " and before the "kept" advice.
_CAUSE_WORDS: dict[str, str] = {
    "disk-full": "the disk where answers are kept is full (tell your IT contact)",
    "read-only": (
        "the answers database is read-only, so nothing can be written to it "
        "(tell your IT contact)"
    ),
    "server-unreachable": (
        "the answers database server cannot be reached (tell your IT contact)"
    ),
    "busy": "the answers database is busy with other saves; try again in a moment",
}

# SQLite error names (Python 3.11+ ``sqlite_errorname``) and message fragments per cause.
_SQLITE_NAMES = {
    "SQLITE_FULL": "disk-full",
    "SQLITE_READONLY": "read-only",
    "SQLITE_READONLY_DBMOVED": "read-only",
    "SQLITE_READONLY_DIRECTORY": "read-only",
    "SQLITE_READONLY_RECOVERY": "read-only",
    "SQLITE_READONLY_ROLLBACK": "read-only",
    "SQLITE_READONLY_CANTINIT": "read-only",
    "SQLITE_READONLY_CANTLOCK": "read-only",
    "SQLITE_PERM": "read-only",
    "SQLITE_BUSY": "busy",
    "SQLITE_BUSY_SNAPSHOT": "busy",
    "SQLITE_BUSY_RECOVERY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_CANTOPEN": "read-only",
}
_TEXT_HINTS: list[tuple[str, str]] = [
    ("database or disk is full", "disk-full"),
    ("no space left on device", "disk-full"),
    ("could not extend file", "disk-full"),
    ("readonly database", "read-only"),
    ("read-only", "read-only"),
    ("read only", "read-only"),
    ("permission denied", "read-only"),
    ("unable to open database file", "read-only"),
    ("database is locked", "busy"),
    ("database table is locked", "busy"),
    ("deadlock detected", "busy"),
    ("could not obtain lock", "busy"),
    ("connection refused", "server-unreachable"),
    ("could not connect", "server-unreachable"),
    ("connection failed", "server-unreachable"),
    ("server closed the connection", "server-unreachable"),
    ("connection is closed", "server-unreachable"),
    ("connection timed out", "server-unreachable"),
    ("timeout expired", "server-unreachable"),
    ("could not translate host name", "server-unreachable"),
    ("name or service not known", "server-unreachable"),
    ("terminating connection", "server-unreachable"),
    ("the database system is shutting down", "server-unreachable"),
    ("the database system is starting up", "server-unreachable"),
]
# PostgreSQL SQLSTATE codes and classes.
_PG_STATES = {
    "53100": "disk-full",  # disk_full
    "25006": "read-only",  # read_only_sql_transaction
    "42501": "read-only",  # insufficient_privilege
    "55P03": "busy",  # lock_not_available
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "57P01": "server-unreachable",  # admin_shutdown
    "57P02": "server-unreachable",  # crash_shutdown
    "57P03": "server-unreachable",  # cannot_connect_now
}
_ERRNOS = {
    errno.ENOSPC: "disk-full",
    errno.EDQUOT: "disk-full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
}


@dataclass(frozen=True)
class SaveResult:
    """What happened to one save, in words a participant can act on.

    ``ok`` is True only when the store's transaction committed. ``message`` is what the status
    line shows; ``cause`` names the failure for code and tests (None when saved).
    """

    ok: bool
    message: str
    kind: Kind
    at: datetime | None = None
    cause: Cause | None = None

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class StoreFailure:
    """A classified store error: the cause and its plain words (without the "kept" advice)."""

    cause: Cause
    words: str


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (SQLAlchemy's ``.orig``) and its causes, without loops."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]
    return seen


def _is_store_error(e: BaseException) -> bool:
    if isinstance(e, (sqlite3.Error, DataFolderError)):
        return True
    mod = type(e).__module__ or ""
    return mod.startswith(("sqlalchemy", "psycopg"))


def classify_store_error(exc: BaseException) -> StoreFailure | None:
    """The plain cause of a failed store operation, or None if ``exc`` is not a store error.

    Recognises SQLite's and PostgreSQL's own error codes first, then their messages, then the
    operating system's errno (full disk, read-only file system, no permission).
    """
    chain = _chain(exc)
    for e in chain:
        if isinstance(e, DataFolderError):
            return StoreFailure(
                "no-data-folder",
                f"the folder for answers cannot be created ({e.folder}: "
                f"{e.cause.strerror or e.cause}); tell your IT contact",
            )
    if not any(_is_store_error(e) or isinstance(e, OSError) for e in chain):
        return None
    cause: str | None = None
    for e in chain:
        name = getattr(e, "sqlite_errorname", None)
        if name in _SQLITE_NAMES:
            cause = _SQLITE_NAMES[name]
            break
        state = getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)
        if isinstance(state, str):
            if state in _PG_STATES:
                cause = _PG_STATES[state]
                break
            if state.startswith("08"):  # connection exception class
                cause = "server-unreachable"
                break
    if cause is None:
        # The database's own words; a SQLAlchemy wrapper's text also quotes the statement and
        # the user's value, which must not decide the cause.
        text = " ".join(str(e) for e in chain if getattr(e, "orig", None) is None).lower()
        cause = next((c for hint, c in _TEXT_HINTS if hint in text), None)
    if cause is None:
        for e in chain:
            if isinstance(e, OSError) and e.errno in _ERRNOS:
                cause = _ERRNOS[e.errno]
                break
    if cause is None:
        for e in chain:
            # psycopg's own connection-level errors (the SQLAlchemy wrapper is judged by these)
            if type(e).__name__ in {"OperationalError", "InterfaceError"} and (
                type(e).__module__ or ""
            ).startswith("psycopg"):
                cause = "server-unreachable"
                break
    if cause is None and any(type(e).__name__ == "TimeoutError" for e in chain):
        cause = "busy"  # SQLAlchemy's pool ran out of connections: too many saves at once
    if cause is None:
        if not any(_is_store_error(e) for e in chain):
            return None  # an OSError from somewhere else, with no cause we can name
        return StoreFailure(
            "store-error",
            "the answers database reported an error "
            f"(technical detail for your IT contact: {type(exc).__name__})",
        )
    return StoreFailure(cause, _CAUSE_WORDS[cause])  # type: ignore[arg-type]


def not_saved(words: str, kept: str = KEPT_TEXT) -> str:
    """The one wording of a failed save: what went wrong and that the typed text is safe.

    ``words`` may be a short cause ("the disk ... is full") or whole sentences (the identity
    module's own messages); either way the result starts "Not saved: " and ends with ``kept``.
    """
    words = words.strip()
    for lead in ("Not saved:", "Not saving:"):
        if words.startswith(lead):
            words = words[len(lead) :].strip()
    words = words or "we could not tell who you are"
    if ". " in words.rstrip("."):  # several sentences: keep them whole, advice as its own
        return f"Not saved: {words.rstrip('.')}. {kept[:1].upper()}{kept[1:]}."
    return f"Not saved: {words.rstrip('.')}; {kept}."


def _visitor_unknown(exc: BaseException) -> bool:
    unknown = getattr(identity, "VisitorUnknown", None)
    return unknown is not None and isinstance(exc, unknown)


def _unknown_visitor_words(exc: BaseException) -> str:
    """Why the visitor is unknown; when the cause was the store, the store's named cause."""
    if getattr(exc, "reason", None) == "store":
        failure = classify_store_error(exc.__cause__) if exc.__cause__ is not None else None
        if failure is not None:
            return failure.words
    return str(exc)


def describe_store_error(exc: BaseException, kept: str = KEPT_TEXT) -> str | None:
    """The "Not saved: ..." sentence for a store error, or None if ``exc`` is not one."""
    if _visitor_unknown(exc):
        return not_saved(_unknown_visitor_words(exc), kept)
    failure = classify_store_error(exc)
    return None if failure is None else not_saved(failure.words, kept)


def _failed(exc: BaseException, kept: str) -> SaveResult:
    traceback.print_exception(exc, file=sys.__stderr__)  # the detail, for the IT person's log
    if _visitor_unknown(exc):
        words = _unknown_visitor_words(exc)
        return SaveResult(False, not_saved(words, kept), "error", cause="no-visitor")
    failure = classify_store_error(exc) or StoreFailure(
        "store-error",
        f"something went wrong on our side (technical detail for your IT contact: "
        f"{type(exc).__name__})",
    )
    return SaveResult(False, not_saved(failure.words, kept), "error", cause=failure.cause)


def save_answer(
    module: str,
    item: str,
    value: Any,
    *,
    visitor: identity.Visitor | None = None,
    store: Store | None = None,
    kept: str = KEPT_TEXT,
) -> SaveResult:
    """Save one answer for the page's visitor; "Saved at HH:MM:SS" only once it committed.

    Never raises for a failed save: the result carries the plain cause, so a view cannot forget
    to catch it and cannot claim success by mistake. ``visitor`` and ``store`` default to the
    page's own (:func:`identity.current_visitor`, :func:`get_store`). ``kept`` is the advice
    after the cause: :data:`KEPT_TEXT` for text boxes, :data:`KEPT_CHOICES` for choices.
    """
    try:
        who = visitor if visitor is not None else identity.current_visitor()
        target = store if store is not None else get_store()
        target.save(who.id, module, item, value)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a named "Not saved"
        return _failed(exc, kept)
    at = datetime.now()
    return SaveResult(True, f"Saved at {at:%H:%M:%S}.", "success", at=at)


SAVED_CLASS = "pap-saved"


def show_save(status: ipw.HTML, result: SaveResult, *, saved_text: str | None = None) -> None:
    """Show a save's result in a view's status line.

    A success is marked with the ``pap-saved`` class, so the page template can hide every
    "Saved at" line the moment the connection to the server is lost. ``saved_text`` replaces the
    "Saved at ..." words (e.g. "Your plan is ready and saved at ...") on success only.
    """
    if result.ok:
        show_message(status, saved_text or result.message, "success", css_class=SAVED_CLASS)
    else:
        show_message(status, result.message, "error")


def load_failed(exc: BaseException) -> str | None:
    """Words for saved answers that could not be loaded, or None if ``exc`` is not a store error.

    At page load nothing has been typed yet, so "your text is still in the box" would be wrong;
    what is true is that the boxes stay locked (so nothing typed can overwrite a saved answer)
    and that nothing can be saved until the cause is fixed. An unknown visitor's own message
    (from :mod:`widgets.identity`) already says this, so it is shown as it is.
    """
    if _visitor_unknown(exc):
        if getattr(exc, "reason", None) != "store" or exc.__cause__ is None:
            return str(exc)
        failure = classify_store_error(exc.__cause__)
        if failure is None:
            return str(exc)
    else:
        failure = classify_store_error(exc)
        if failure is None:
            return None
    return (
        f"Your saved answers could not be loaded: {failure.words}. This part of the page stays "
        "locked so nothing can be typed and lost; reload the page later."
    )


def guarded_load(status: ipw.HTML) -> Callable:
    """Like :func:`widgets.ui.guarded`, for the callback that fills in a visitor's saved answers.

    A store failure while loading is named (:func:`load_failed`); anything else gets the usual
    plain words. The full traceback goes to the server log.
    """

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
                traceback.print_exc(file=sys.__stderr__)
                show_message(status, load_failed(exc) or plain_error(exc), "error")
                return None

        return wrapper

    return deco

"""Who is using this page, so that what they type is saved to their record and nobody else's.

Voila starts a fresh kernel for every page load, so identity comes from the request. In order:

1. ``?p=<token>`` in the address: a link the kit issued (a workshop join or a personal link from
   the landing page). An unknown or forged token opens nothing and creates nothing.
2. The JupyterHub user of this single-user server (``JUPYTERHUB_USER``), kept under
   ``solo-<user>`` as before.
3. A user header set by an authenticating proxy, when the IT person names it in
   ``PAP_USER_HEADER`` (and lets Voila pass it on with ``VoilaConfiguration.http_header_envs``).
4. The shared record of this computer, only when nobody else can reach the page: a plain Jupyter
   kernel (its server has its own login) or a Voila server that listens on loopback
   (``PAP_SERVER_HOST``, which ``make app`` sets from ``HOST``; unset means "not sure", so no).

Anything else, and any failure to learn the request, raises :class:`VisitorUnknown`: the page
saves nothing and says so. It never falls back to someone else's record.

With preheated kernels Voila runs the notebook before anyone asks for it, and the request is only
known once a visitor arrives, through Voila's request-info websocket. Views build their widgets
straight away and fill in saved answers through :func:`when_known`. One resolver thread asks for
the request info (Voila answers one listener per kernel) and retries when the socket is slow to
open under load, which is where Voila's own helper silently gives up after five seconds.
"""

from __future__ import annotations

import getpass
import hashlib
import ipaddress
import json
import os
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from widgets.store import ParticipantInfo, Store, WorkshopInfo, get_store
from widgets.ui import UserFacingError

SERVER_HOST_ENV = "PAP_SERVER_HOST"
USER_HEADER_ENV = "PAP_USER_HEADER"
# Headers a proxy adds; present means the page was reached through one, so not from this computer.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")

# Asking Voila for the request: each try may wait this long for the socket to open; after
# ATTEMPTS_BEFORE_UNKNOWN failed tries the page says it is not saving, and the resolver keeps
# trying quietly up to MAX_ATTEMPTS (a "Try again" press retries at once).
OPEN_TIMEOUT = 15.0
ATTEMPTS_BEFORE_UNKNOWN = 2
MAX_ATTEMPTS = 12
RETRY_PAUSE = 5.0


class VisitorUnknown(UserFacingError):
    """The page cannot tell whose record to use; ``str(exc)`` says so in plain words.

    ``reason`` is one of ``"no-request"`` (the request info did not arrive; trying again may
    help), ``"store"`` (the database did not answer; trying again may help), ``"bad-link"``
    (the link's token opens no record), ``"no-record"`` (a shared server and no link: the visitor
    starts their own record) and ``"no-login"`` (the login header is missing).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason

    @property
    def retry(self) -> bool:
        """Whether pressing "Try again" can help (otherwise the visitor needs a link)."""
        return self.reason in ("no-request", "store")


NO_REQUEST = (
    "Not saving: this page could not find out who you are (the server was too busy to say). "
    "Nothing you type here is saved. Press Try again, or reload the page."
)
STORE_DOWN = (
    "Not saving: the kit could not reach its database. Nothing you type here is saved. "
    "Press Try again in a minute; if it keeps happening, tell your IT contact."
)
BAD_LINK = (
    "Not saving: this link does not open a record. It may be mistyped or cut short. "
    "Use the personal link you bookmarked, join your workshop again with its code, or start "
    "your own record on the landing page."
)
NO_RECORD = (
    "Not saving: this kit is shared on a network, so each person keeps their own record. "
    "Start your own record on the landing page (or join your workshop with its code), then "
    "bookmark the link it gives you."
)
NO_LOGIN = (
    "Not saving: the school login did not tell the kit who you are. Sign in again and reload "
    "the page; if it keeps happening, tell your IT contact."
)


@dataclass(frozen=True)
class Visitor:
    participant: ParticipantInfo
    workshop: WorkshopInfo | None
    query: str  # the query string to carry to other pages ("" or "p=...")
    source: str = "link"  # "link", "computer", "hub" or "login": how the visitor is known
    login: str = ""  # the hub or login user name, when that is how

    @property
    def id(self) -> int:
        return self.participant.id

    @property
    def label(self) -> str:
        if self.participant.display_name:
            return self.participant.display_name
        if self.login:
            return self.login
        if self.workshop:
            return "you (anonymous)"
        if self.source == "computer":
            return "your own record on this computer"
        return "your own record"

    @property
    def saving_to(self) -> str:
        """Whose record this page saves to, in words for the "Saving to: ..." line."""
        if self.workshop:
            name = self.participant.display_name or "anonymous participant"
            return f"{name} · workshop {self.workshop.code}"
        if self.source == "hub":
            return f"{self.login} (JupyterHub login)"
        if self.source == "login":
            return f"{self.login} (school login)"
        if self.source == "computer":
            return "your own record on this computer"
        return "your own record (personal link)"


_visitor: Visitor | None = None
_unknown: VisitorUnknown | None = None
_lock = threading.Lock()
_resolved = threading.Event()
_pending: list[tuple[Callable[[Visitor], None], Callable[[VisitorUnknown], None] | None]] = []
_watchers: list[tuple[Callable[[Visitor], None], Callable[[VisitorUnknown], None]]] = []
_resolver: threading.Thread | None = None
_info: dict[str, str] | None = None  # the request info, once Voila has sent it
_wake = threading.Event()


def preheated() -> bool:
    """Whether Voila started this kernel before anyone asked for the page (a warm pool): then
    the visitor is learnt later, from Voila's request-info socket, not at the first cell."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def _under_voila(environ: Mapping[str, str]) -> bool:
    """Whether Voila started this kernel (it sets these; a plain Jupyter kernel has none)."""
    return any(
        k in environ
        for k in ("VOILA_REQUEST_URL", "VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_APP_PORT")
    ) or environ.get("VOILA_PREHEAT", "False") != "False"


def _request_info_url() -> str:
    """Voila's request-info socket for this kernel (the same address ``voila.utils`` uses)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def _fetch_request_info(timeout: float) -> dict[str, str]:
    """One try at Voila's request info; waits (without limit) for the visitor once connected.

    Raises on any failure to connect, so the caller can tell "no answer" from "no query".
    """
    import asyncio

    import websockets

    async def _get() -> str:
        async with websockets.connect(_request_info_url(), open_timeout=timeout) as ws:
            return await ws.recv()

    loop = asyncio.new_event_loop()
    try:
        raw = loop.run_until_complete(_get())
    finally:
        loop.close()
    info = json.loads(raw)
    return {str(k): str(v) for k, v in info.items()} if isinstance(info, dict) else {}


def _is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def shared_record_allowed(info: Mapping[str, str], environ: Mapping[str, str]) -> bool:
    """Whether a visitor with no link may use the one record of this computer.

    Only when nobody else can reach the page: a plain Jupyter kernel (its server has its own
    login), or a Voila server declared to listen on loopback (``PAP_SERVER_HOST``), reached by a
    loopback address and not through a proxy. Unsure means no.
    """
    if not _under_voila(environ):
        return True
    if not _is_loopback(environ.get(SERVER_HOST_ENV, "")):
        return False
    if any(info.get(h) for h in PROXY_HEADERS):
        return False
    server_name = info.get("SERVER_NAME", "")
    return not server_name or _is_loopback(server_name)


def solo_token() -> str:
    user = os.environ.get("JUPYTERHUB_USER") or _login_name()
    return f"solo-{user}"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"


def _login_token(user: str) -> str:
    """The record key of a proxy-authenticated user (tokens fit in 80 characters)."""
    if len(user) <= 70:
        return f"login-{user}"
    return "login-h-" + hashlib.sha256(user.encode()).hexdigest()[:48]


def visitor_from_request(
    info: Mapping[str, str],
    store: Store | None = None,
    environ: Mapping[str, str] | None = None,
) -> Visitor:
    """The visitor a request names (see the module docstring for the order), or VisitorUnknown.

    ``info`` holds the CGI-style request variables (``QUERY_STRING``, ``SERVER_NAME``,
    ``HTTP_*`` headers) from Voila.
    """
    environ = os.environ if environ is None else environ
    store = store or get_store()
    params = parse_qs(info.get("QUERY_STRING") or "")
    token = (params.get("p") or [""])[0].strip()
    if token:
        p = store.participant_by_link(token)
        if p is None:
            raise VisitorUnknown(BAD_LINK, "bad-link")
        ws = store.workshop_by_id(p.workshop_id) if p.workshop_id is not None else None
        return Visitor(p, ws, urlencode({"p": p.token}), "link")
    hub_user = environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return Visitor(store.participant(f"solo-{hub_user}"), None, "", "hub", hub_user)
    header = environ.get(USER_HEADER_ENV, "").strip()
    if header:
        user = (info.get("HTTP_" + header.upper().replace("-", "_")) or "").strip()
        if not user:
            raise VisitorUnknown(NO_LOGIN, "no-login")
        return Visitor(store.participant(_login_token(user)), None, "", "login", user)
    if shared_record_allowed(info, environ):
        return Visitor(store.participant(f"solo-{_login_name()}"), None, "", "computer")
    raise VisitorUnknown(NO_RECORD, "no-record")


def visitor_from_query(query: str, store: Store | None = None) -> Visitor:
    """The visitor for a query string alone (with this kernel's environment for the rest)."""
    return visitor_from_request({"QUERY_STRING": query or ""}, store)


def _resolve_once(info: Mapping[str, str]) -> Visitor:
    try:
        return visitor_from_request(info)
    except VisitorUnknown:
        raise
    except Exception as exc:  # the store is down: say so, never guess a record
        traceback.print_exc(file=sys.__stderr__)
        raise VisitorUnknown(STORE_DOWN, "store") from exc


def _resolve_now() -> None:
    """Resolve from this kernel's environment (a kernel Voila started for one request)."""
    try:
        _publish(_resolve_once(os.environ))
    except VisitorUnknown as exc:
        _publish_unknown(exc)


def _resolve_preheated() -> None:
    """The resolver thread: ask Voila for the request, retrying while its socket is slow."""
    global _resolver, _info
    info = _info  # Voila sends the request once; a retry after a database failure reuses it
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if info is not None:
            break
        try:
            info = _info = _fetch_request_info(OPEN_TIMEOUT)
            break
        except Exception as exc:  # timeout, refused, closed: try again
            print(f"pap: request info try {attempt} failed: {exc!r}", file=sys.__stderr__)
            if attempt == ATTEMPTS_BEFORE_UNKNOWN:
                _publish_unknown(VisitorUnknown(NO_REQUEST, "no-request"))
            if attempt < MAX_ATTEMPTS:
                _wake.wait(RETRY_PAUSE)
                _wake.clear()
    if info is None:
        _publish_unknown(VisitorUnknown(NO_REQUEST, "no-request"))
    else:
        try:
            _publish(_resolve_once(info))
        except VisitorUnknown as exc:
            _publish_unknown(exc)
    with _lock:
        if _resolver is threading.current_thread():
            _resolver = None


def _publish(v: Visitor, *, replace: bool = False) -> None:
    """Make ``v`` the page's visitor; the resolver never replaces one set by a join."""
    global _visitor, _unknown
    with _lock:
        if _visitor is not None and not replace:
            return
        _visitor, _unknown = v, None
        pending = list(_pending)
        _pending.clear()
        watchers = list(_watchers)
    _resolved.set()
    for cb, _ in pending:
        _run(cb, v)
    for cb, _ in watchers:
        _run(cb, v)


def _publish_unknown(exc: VisitorUnknown) -> None:
    global _unknown
    with _lock:
        if _visitor is not None:
            return
        _unknown = exc
        listeners = [u for _, u in _pending if u is not None] + [u for _, u in _watchers]
    _resolved.set()
    for cb in listeners:
        _run(cb, exc)


def _kernel_loop() -> Any:
    """The kernel's own event loop (the thread that answers the browser's widget messages), or
    None outside a kernel (unit tests, a plain Python script)."""
    try:
        from IPython import get_ipython

        return getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    except Exception:  # noqa: BLE001 - no IPython: no kernel thread to move to
        return None


def on_kernel_thread(fn: Callable[[], None]) -> None:
    """Run ``fn`` on the kernel's main thread (now, if this is it).

    Why: in a preheated kernel the visitor is found on the resolver thread, just as the browser
    connects and asks for every widget's state, which ipywidgets answers by going through all
    widgets on the kernel's thread. A view filling in (making rows, setting values) on the
    resolver thread at that moment could leave the browser with a box whose children it never
    heard of, or values it never received (a reloaded request page showed its saved times
    unticked). On the kernel's thread the fill-in and the state request take turns.
    """
    loop = None if threading.current_thread() is threading.main_thread() else _kernel_loop()
    if loop is None:
        fn()
    else:
        loop.add_callback(fn)


def _run(cb: Callable, arg: object) -> None:
    def call() -> None:
        try:
            cb(arg)
        except Exception:  # a view's fill-in failed; the view shows its own message
            traceback.print_exc(file=sys.__stderr__)

    on_kernel_thread(call)


def _start_resolver() -> None:
    global _resolver
    with _lock:
        if _resolver is None and _visitor is None:
            _resolver = threading.Thread(
                target=_resolve_preheated, name="pap-visitor", daemon=True
            )
            _resolver.start()


def _ensure_resolving() -> None:
    if preheated():
        _start_resolver()
    elif _visitor is None and _unknown is None:
        _resolve_now()


def current_visitor() -> Visitor:
    """The visitor of this kernel's page; raises :class:`VisitorUnknown` when it cannot be told.

    Blocks until the request is known (preheated kernels).
    """
    if _visitor is not None:
        return _visitor
    if _unknown is None:
        _ensure_resolving()
        if preheated():
            _resolved.wait()
    if _visitor is not None:
        return _visitor
    raise _unknown or VisitorUnknown(NO_REQUEST, "no-request")


def unknown_reason() -> VisitorUnknown | None:
    """Why the visitor is unknown, if that is settled (None while known or still waiting)."""
    return _unknown if _visitor is None else None


def when_known(
    callback: Callable[[Visitor], None],
    on_unknown: Callable[[VisitorUnknown], None] | None = None,
) -> None:
    """Call ``callback(visitor)`` once the visitor is known, and only with the real visitor.

    If the visitor cannot be told, ``on_unknown(exc)`` is called instead (each time that
    happens) and ``callback`` waits: after a successful "Try again", or a join on this page, it
    runs then.
    """
    with _lock:
        v, unknown = _visitor, _unknown
        if v is None:
            _pending.append((callback, on_unknown))
    if v is not None:
        _run(callback, v)
        return
    if unknown is not None:
        if on_unknown is not None:
            _run(on_unknown, unknown)
        return
    _ensure_resolving()


def watch(
    on_known: Callable[[Visitor], None], on_unknown: Callable[[VisitorUnknown], None]
) -> None:
    """Like :func:`when_known`, but for the life of the page: every change is reported."""
    with _lock:
        _watchers.append((on_known, on_unknown))
        v, unknown = _visitor, _unknown
    if v is not None:
        _run(on_known, v)
    elif unknown is not None:
        _run(on_unknown, unknown)
    else:
        _ensure_resolving()


def retry() -> None:
    """Ask again who the visitor is (the "Try again" button); results go to the listeners."""
    global _unknown
    with _lock:
        if _visitor is not None:
            return
        _unknown = None
        _resolved.clear()
    if preheated():
        _wake.set()  # a resolver pausing between tries tries now
        _start_resolver()
    else:
        _resolve_now()


def set_visitor(visitor: Visitor | None) -> None:
    """Switch the page to another participant (after joining or starting a record) or reset.

    Views still waiting for a visitor fill in now; ``None`` forgets everything (tests).
    """
    global _visitor, _unknown, _resolver, _info
    if visitor is not None:
        _publish(visitor, replace=True)
        return
    with _lock:
        _visitor = None
        _unknown = None
        _info = None
        _resolver = None
        _resolved.clear()
        _pending.clear()
        _watchers.clear()
        _wake.clear()


def page_link(notebook: str, visitor: Visitor | None = None) -> str:
    """A relative Voila link to another notebook that keeps the visitor's identity."""
    v = visitor or current_visitor()
    return notebook + (f"?{v.query}" if v.query else "")

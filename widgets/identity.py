"""Who is using this page, so that what they type comes back after a refresh.

Voila starts a fresh kernel for every page load, so identity must come from the request. The kit
uses the page address: ``?p=<token>`` names a participant (a workshop link, or a personal link from
the landing page). With no token, the record is the solo record of this computer (or of the
JupyterHub user), which is what one teacher on one laptop expects.

With preheated kernels Voila runs the notebook before anyone asks for it, and the request (so the
query string) is only known once a visitor arrives. Blocking a cell until then would make every later
cell run after the visitor arrives, one kernel round trip each, which is most of a page's opening
time. So views build their widgets straight away and fill in the visitor's saved answers through
:func:`when_known`, which runs once the request is in. :func:`current_visitor` still blocks, for
callbacks and simple pages. One resolver thread serves both, because Voila answers only one
request-info listener per kernel.
"""

from __future__ import annotations

import getpass
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from widgets.store import ParticipantInfo, Store, WorkshopInfo, get_store


@dataclass(frozen=True)
class Visitor:
    participant: ParticipantInfo
    workshop: WorkshopInfo | None
    query: str  # the query string to carry to other pages ("" or "p=...")

    @property
    def id(self) -> int:
        return self.participant.id

    @property
    def label(self) -> str:
        if self.participant.display_name:
            return self.participant.display_name
        return "you (anonymous)" if self.workshop else "your own record on this computer"


_visitor: Visitor | None = None
_lock = threading.Lock()
_resolved = threading.Event()
_pending: list[Callable[[Visitor], None]] = []
_resolver: threading.Thread | None = None


def _preheated() -> bool:
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def _query_string() -> str:
    if _preheated():
        try:
            from voila.utils import get_query_string

            return get_query_string() or ""
        except Exception:  # not under Voila after all
            return os.environ.get("QUERY_STRING", "")
    return os.environ.get("QUERY_STRING", "")


def _resolve() -> None:
    global _visitor
    try:
        v = visitor_from_query(_query_string())
    except Exception:  # the store is down: fall back to the solo record rather than hang
        traceback.print_exc(file=sys.__stderr__)
        v = visitor_from_query("")
    with _lock:
        if _visitor is None:
            _visitor = v
        callbacks = list(_pending)
        _pending.clear()
    _resolved.set()
    for cb in callbacks:
        _run(cb, _visitor)


def _run(cb: Callable[[Visitor], None], v: Visitor) -> None:
    try:
        cb(v)
    except Exception:  # a view's fill-in failed; the view shows its own message
        traceback.print_exc(file=sys.__stderr__)


def _start_resolver() -> None:
    global _resolver
    with _lock:
        if _resolver is None and _visitor is None:
            _resolver = threading.Thread(target=_resolve, name="pap-visitor", daemon=True)
            _resolver.start()


def solo_token() -> str:
    user = os.environ.get("JUPYTERHUB_USER") or _login_name()
    return f"solo-{user}"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"


def visitor_from_query(query: str, store: Store | None = None) -> Visitor:
    """Resolve a query string to a participant; unknown tokens start a fresh personal record."""
    store = store or get_store()
    params = parse_qs(query or "")
    token = (params.get("p") or [""])[0].strip()[:80]
    if token:
        p = store.participant(token)
        ws = store.workshop_by_id(p.workshop_id) if p.workshop_id is not None else None
        return Visitor(p, ws, urlencode({"p": token}))
    return Visitor(store.participant(solo_token()), None, "")


def current_visitor() -> Visitor:
    """The visitor of this kernel's page; blocks until the request is known (preheated kernels)."""
    if _visitor is not None:
        return _visitor
    if not _preheated():
        _resolve()
        return _visitor
    _start_resolver()
    _resolved.wait()
    return _visitor


def when_known(callback: Callable[[Visitor], None]) -> None:
    """Call ``callback(visitor)`` now if the visitor is known, else as soon as the request arrives.

    Views use this to fill in saved answers without holding up the rest of the page.
    """
    with _lock:
        v = _visitor
        if v is None and _preheated():
            _pending.append(callback)
    if v is not None:
        _run(callback, v)
    elif _preheated():
        _start_resolver()
    else:
        _run(callback, current_visitor())


def set_visitor(visitor: Visitor | None) -> None:
    """Switch the page to another participant (after joining) or reset (tests)."""
    global _visitor, _resolver
    with _lock:
        _visitor = visitor
        if visitor is None:
            _resolver = None
            _resolved.clear()
            _pending.clear()


def page_link(notebook: str, visitor: Visitor | None = None) -> str:
    """A relative Voila link to another notebook that keeps the visitor's identity."""
    v = visitor or current_visitor()
    return notebook + (f"?{v.query}" if v.query else "")

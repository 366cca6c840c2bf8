"""Who is using this page, so that what they type comes back after a refresh.

Voila starts a fresh kernel for every page load, so identity must come from the request. The kit
uses the page address: ``?p=<token>`` names a participant (a workshop link, or a personal link from
the landing page). With no token, the record is the solo record of this computer (or of the
JupyterHub user), which is what one teacher on one laptop expects.

With preheated kernels the request is only known once a visitor arrives, so the query string is
read through Voila's ``get_query_string`` the first time it is needed, never at import.
"""

from __future__ import annotations

import getpass
import os
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


def _query_string() -> str:
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        try:
            from voila.utils import get_query_string

            return get_query_string() or ""
        except Exception:  # not under Voila after all
            return os.environ.get("QUERY_STRING", "")
    return os.environ.get("QUERY_STRING", "")


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
    """The visitor of this kernel's page (resolved once per kernel)."""
    global _visitor
    if _visitor is None:
        _visitor = visitor_from_query(_query_string())
    return _visitor


def set_visitor(visitor: Visitor | None) -> None:
    """Switch the page to another participant (after joining) or reset (tests)."""
    global _visitor
    _visitor = visitor


def page_link(notebook: str, visitor: Visitor | None = None) -> str:
    """A relative Voila link to another notebook that keeps the visitor's identity."""
    v = visitor or current_visitor()
    return notebook + (f"?{v.query}" if v.query else "")

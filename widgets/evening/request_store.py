"""Where request windows, family invites and families' replies live: three tables on the
store's own metadata (:mod:`widgets.family_tables`, imported by ``widgets.store``; migration
``0002_family_requests``), so one database holds everything.

* ``evening_request_windows``: what the office offered (a :class:`RequestWindow` as JSON), who
  opened it (the office's participant id) and when it closes.
* ``evening_family_invites``: one row per household, tied to the participant whose personal link
  (``Store.issue_personal_link``, 128 random bits) is in that household's letter. A link opens
  that household's invite and nothing else: the page looks the invite up by the participant the
  link resolved to, never by a family id from the address.
* ``evening_family_replies``: the household's latest answer (JSON), replaced on each change while
  the window is open; a change after the closing time is refused here, not only on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from widgets.evening.requests import FamilyReply, InviteDetails, RequestWindow, check_reply
from widgets.family_tables import FamilyInviteRow, FamilyReplyRow, RequestWindowRow
from widgets.limits import MAX_INVITES
from widgets.store import Store, get_store


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def _session(store: Store) -> sessionmaker:
    """A session on the store's engine (the tables come with the store's migrations)."""
    return sessionmaker(store.engine, expire_on_commit=False)


class WindowClosed(Exception):
    """The window closed before this change: nothing was saved."""


@dataclass(frozen=True)
class Invite:
    """One household's invite as the pages use it (detached from the database)."""

    id: int
    window_id: int
    participant_id: int
    token: str
    details: InviteDetails


@dataclass(frozen=True)
class Reply:
    invite: Invite
    reply: FamilyReply | None  # None: has not replied
    updated_at: dt.datetime | None


def open_window(window: RequestWindow, owner_id: int | None = None,
                store: Store | None = None) -> int:
    """Save a new request window; its id."""
    store = store or get_store()
    with _session(store).begin() as s:
        row = RequestWindowRow(owner_id=owner_id, window=window.model_dump(mode="json"),
                               closes_at=window.closes_at)
        s.add(row)
        s.flush()
        return row.id


def get_window(window_id: int, store: Store | None = None) -> RequestWindow | None:
    store = store or get_store()
    with _session(store)() as s:
        row = s.get(RequestWindowRow, window_id)
        return RequestWindow.model_validate(row.window) if row else None


def windows_of(owner_id: int, store: Store | None = None) -> list[tuple[int, RequestWindow]]:
    """The windows this office user opened, newest first."""
    store = store or get_store()
    with _session(store)() as s:
        rows = s.scalars(select(RequestWindowRow).where(RequestWindowRow.owner_id == owner_id)
                         .order_by(RequestWindowRow.id.desc()))
        return [(r.id, RequestWindow.model_validate(r.window)) for r in rows]


def set_closing(window_id: int, closes_at: dt.datetime, store: Store | None = None) -> None:
    """Move the closing time (close now, or give families longer)."""
    store = store or get_store()
    closes_at = _aware(closes_at)
    with _session(store).begin() as s:
        row = s.get(RequestWindowRow, window_id)
        if row is None:
            raise KeyError(window_id)
        data = dict(row.window)
        data["closes_at"] = closes_at.isoformat()
        row.window = data
        row.closes_at = closes_at


def issue_invites(window_id: int, invites: list[InviteDetails],
                  store: Store | None = None) -> list[Invite]:
    """A personal link for each household not invited yet (a household keeps its first link)."""
    store = store or get_store()
    if len(invites) > MAX_INVITES:
        raise ValueError(f"at most {MAX_INVITES} households per request window")
    existing = {i.details.family_id: i for i in invites_of(window_id, store)}
    out: list[Invite] = []
    for inv in invites:
        if inv.family_id in existing:
            out.append(existing[inv.family_id])
            continue
        p = store.issue_personal_link()
        with _session(store).begin() as s:
            row = FamilyInviteRow(window_id=window_id, participant_id=p.id,
                                  family_id=inv.family_id, details=inv.model_dump(mode="json"))
            s.add(row)
            s.flush()
            out.append(Invite(row.id, window_id, p.id, p.token, inv))
    return out


def invites_of(window_id: int, store: Store | None = None) -> list[Invite]:
    from widgets.store import Participant

    store = store or get_store()
    with _session(store)() as s:
        rows = s.execute(
            select(FamilyInviteRow, Participant.token)
            .join(Participant, Participant.id == FamilyInviteRow.participant_id)
            .where(FamilyInviteRow.window_id == window_id)
            .order_by(FamilyInviteRow.id)
        )
        return [Invite(r.id, r.window_id, r.participant_id, tok,
                       InviteDetails.model_validate(r.details)) for r, tok in rows]


def invite_for(participant_id: int, store: Store | None = None) -> Invite | None:
    """The one invite a family's link opens (by the participant the link resolved to)."""
    from widgets.store import Participant

    store = store or get_store()
    with _session(store)() as s:
        row = s.execute(
            select(FamilyInviteRow, Participant.token)
            .join(Participant, Participant.id == FamilyInviteRow.participant_id)
            .where(FamilyInviteRow.participant_id == participant_id)
        ).first()
        if row is None:
            return None
        r, tok = row
        return Invite(r.id, r.window_id, r.participant_id, tok,
                      InviteDetails.model_validate(r.details))


def save_reply(invite: Invite, reply: FamilyReply, *, now: dt.datetime | None = None,
               store: Store | None = None) -> dt.datetime:
    """Save (or replace) the household's reply; when it was saved. Refused after closing time
    (:class:`WindowClosed`) and when it does not fit the window (``ReplyProblem``). Returns only
    after the transaction committed."""
    store = store or get_store()
    now = now or _now()
    window = get_window(invite.window_id, store)
    if window is None or not window.is_open(now):
        raise WindowClosed()
    reply = check_reply(reply, window, invite.details)
    with _session(store).begin() as s:
        row = s.get(FamilyReplyRow, invite.id)
        if row is None:
            s.add(FamilyReplyRow(invite_id=invite.id, reply=reply.model_dump(mode="json"),
                                 updated_at=now))
        else:
            row.reply = reply.model_dump(mode="json")
            row.updated_at = now
    return now


def reply_of(invite: Invite, store: Store | None = None) -> FamilyReply | None:
    store = store or get_store()
    with _session(store)() as s:
        row = s.get(FamilyReplyRow, invite.id)
        return FamilyReply.model_validate(row.reply) if row else None


def replies(window_id: int, store: Store | None = None) -> list[Reply]:
    """Every invited household with its reply, or None if it has not replied (the office's
    "who has replied" list; reminders can use it for "not replied yet")."""
    store = store or get_store()
    invites = invites_of(window_id, store)
    with _session(store)() as s:
        rows = {r.invite_id: r for r in s.scalars(
            select(FamilyReplyRow).where(FamilyReplyRow.invite_id.in_([i.id for i in invites]))
        )} if invites else {}
    out = []
    for inv in invites:
        r = rows.get(inv.id)
        out.append(Reply(inv, FamilyReply.model_validate(r.reply) if r else None,
                         _aware(r.updated_at) if r else None))
    return out


def delete_window(window_id: int, store: Store | None = None) -> int:
    """Delete a window, its invites, the households' replies and their link records (a school's
    clear-up after the evening, or a deletion request); how many households it had."""
    from widgets.store import Participant

    store = store or get_store()
    with _session(store).begin() as s:
        invites = list(s.scalars(select(FamilyInviteRow).where(
            FamilyInviteRow.window_id == window_id)))
        for inv in invites:
            reply = s.get(FamilyReplyRow, inv.id)
            if reply is not None:
                s.delete(reply)
        s.flush()
        pids = [inv.participant_id for inv in invites]
        for inv in invites:
            s.delete(inv)
        s.flush()
        for pid in pids:
            p = s.get(Participant, pid)
            if p is not None:
                s.delete(p)
        row = s.get(RequestWindowRow, window_id)
        if row is not None:
            s.delete(row)
        return len(invites)

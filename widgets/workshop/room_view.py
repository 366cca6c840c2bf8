"""The facilitator's "get the server ready for a room" panel (a thin view of ``room.py``).

The facilitator says how many people will come and which modules they will open; the panel
writes the session file, and the server (``room_pool.py``) warms a kernel per person for those
notebooks. The panel then shows what the server reports: "Ready for 30" only when 30 warm kernels
wait for every chosen module. Starting a session needs a workshop's code and facilitator key, so
nobody else on the network can make the server hold memory.
"""

from __future__ import annotations

import threading

import ipywidgets as ipw

from widgets.html import render
from widgets.landing.model import available, load_catalogue
from widgets.limits import MAX_ROOM_MODULES, MAX_ROOM_PARTICIPANTS
from widgets.store import TooManyAttempts, get_store
from widgets.ui import card, guarded, plain, show_error, show_message
from widgets.workshop import room

_AUTO = ipw.Layout(width="auto")
# The panel re-reads the server's report this often, for at most this long after a change.
REFRESH_SECONDS = 3.0
REFRESH_FOR_SECONDS = 15 * 60


def _choices() -> list[tuple[str, str]]:
    """(title, notebook) for the modules and apps a room may open."""
    return [(e.title, e.notebook) for e in available(load_catalogue()) if e.kind != "facilitator"]


def room_warmup() -> ipw.VBox:
    """The panel: participants, modules, code and key, Get ready / End session, readiness."""
    choices = _choices()
    titles = {nb: t for t, nb in choices}
    count = ipw.BoundedIntText(
        value=30, min=1, max=MAX_ROOM_PARTICIPANTS, description="People coming"
    )
    boxes = [
        ipw.Checkbox(value=False, description=t, indent=False, layout=_AUTO) for t, _ in choices
    ]
    code_in = ipw.Text(description="Workshop code", placeholder="e.g. K7QX2M")
    key_in = ipw.Password(description="Workshop key")
    start = ipw.Button(description="Get ready for this room", button_style="primary", layout=_AUTO)
    end = ipw.Button(description="End the session", layout=_AUTO)
    check = ipw.Button(description="Check again", layout=_AUTO)
    status = ipw.HTML()
    ready = ipw.HTML()
    ready.add_class("pap-room-ready")
    current = [threading.Event()]

    def _show_readiness() -> room.Readiness:
        read = room.read_session()
        r = room.readiness(read.session, room.read_status(), room.now_utc(), titles)
        if read.problem:
            show_message(ready, read.problem, "warning")
        else:
            show_message(ready, r.text, r.kind)
        return r

    def _refresh_for_a_while() -> None:
        """Re-read the report every few seconds until ready (or a while has passed)."""
        current[0].set()  # an earlier refresher stops
        mine = current[0] = threading.Event()

        def _loop() -> None:
            waited = 0.0
            while waited < REFRESH_FOR_SECONDS and not mine.wait(REFRESH_SECONDS):
                waited += REFRESH_SECONDS
                try:
                    r = _show_readiness()
                except Exception:  # the panel keeps its last message; "Check again" retries
                    return
                if r.kind == "success" or not room.read_session().session:
                    return

        threading.Thread(target=_loop, name="pap-room-refresh", daemon=True).start()

    def _facilitator() -> bool:
        try:
            ws = get_store().check_facilitator_key(code_in.value, key_in.value)
        except TooManyAttempts as exc:
            show_error(status, str(exc))
            return False
        if ws is None:
            show_error(
                status,
                "That join code and facilitator key do not open a workshop. Check both (the key "
                "was shown when the workshop was opened) and try again.",
            )
            return False
        return True

    @guarded(status)
    def _start(_b: object = None) -> None:
        chosen = [nb for (_, nb), box in zip(choices, boxes, strict=True) if box.value]
        try:
            session = room.new_session(int(count.value), chosen, room.now_utc())
        except room.RoomError as exc:
            show_error(status, str(exc))
            return
        if not _facilitator():
            return
        room.write_session(session)
        show_message(
            status,
            f"Session started for {session.participants} participants until "
            f"{session.until:%H:%M} UTC. The server now warms "
            f"{room.pool_size(session.participants)} kernels for each chosen module; "
            "this panel shows how many are ready.",
            "success",
        )
        _show_readiness()
        _refresh_for_a_while()

    @guarded(status)
    def _end(_b: object = None) -> None:
        if not _facilitator():
            return
        had = room.end_session()
        show_message(
            status,
            "Session ended: the server lets its spare warm kernels go; open pages keep working."
            if had
            else "No session was running.",
            "success" if had else "info",
        )
        _show_readiness()

    @guarded(status)
    def _check(_b: object = None) -> None:
        _show_readiness()

    start.on_click(_start)
    end.on_click(_end)
    check.on_click(_check)
    try:
        _show_readiness()
    except Exception:
        show_message(ready, "The server's report could not be read; press Check again.", "warning")
    intro = ipw.HTML(
        render(
            "workshop/room_intro.html",
            max_modules=MAX_ROOM_MODULES,
            hours=room.DEFAULT_SESSION_HOURS,
        )
    )
    return card(
        [
            intro,
            count,
            plain("Modules the room will open", "b"),
            ipw.VBox(boxes),
            ipw.HBox([code_in, key_in]),
            ipw.HBox([start, end, check]),
            status,
            ready,
        ],
        title="Get the server ready for a room",
    )

"""The facilitator dashboard (a thin view of ``dashboard.py``; markup in templates/workshop/).

The participant's own record page is :mod:`widgets.workshop.record_view`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date

import ipywidgets as ipw

from widgets.html import render
from widgets.landing.model import LEARNING_KINDS, load_catalogue
from widgets.store import TooManyAttempts, WorkshopInfo, get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    guarded,
    message,
    plain,
    plain_error,
    show_message,
)
from widgets.workshop import dashboard

_AUTO = ipw.Layout(width="auto")
GROUP_PANELS = ("roleplay", "audit", "skills", "messages", "evening")


def _module_choices() -> list[tuple[str, str]]:
    return [(e.title, e.id) for e in load_catalogue().entries if e.kind in LEARNING_KINDS]


def facilitator_dashboard() -> ipw.VBox:
    """Open a new workshop or an existing one with its code and facilitator key."""
    status = ipw.HTML()
    body = ipw.VBox([])

    title = ipw.Text(
        description="Title",
        placeholder="e.g. Autumn staff PD: working with families",
        layout=ipw.Layout(width="min(100%, 560px)"),
    )
    when = ipw.DatePicker(description="Date", value=date.today())
    mods = ipw.SelectMultiple(
        options=_module_choices(),
        description="Modules",
        layout=ipw.Layout(width="min(100%, 560px)", height="9em"),
    )
    create = ipw.Button(description="Open a new workshop", button_style="primary", layout=_AUTO)
    # one label width for both, wide enough that "Facilitator key" stays on one line
    label = {"description_width": "120px"}
    code_in = ipw.Text(description="Join code", placeholder="e.g. K7QX2M", style=label)
    key_in = ipw.Password(description="Facilitator key", style=label)
    open_btn = ipw.Button(description="Open dashboard", button_style="primary", layout=_AUTO)

    # The key is a secret: it lives in its own box, which the projector view hides along with
    # the set-up form, and which the facilitator can put away once it is written down.
    key_line = ipw.HTML()
    key_done = ipw.Button(description="I have written it down", layout=_AUTO)
    key_box = ipw.VBox([key_line, ipw.HBox([key_done])])
    key_box.add_class("pap-key-box")
    key_box.add_class("pap-step")  # focus moves to the key when it appears (a11y.html.j2)
    key_box.layout.display = "none"
    setup = ipw.VBox([])  # tabs and status, filled below

    def _hide_key(_b: object = None) -> None:
        key_line.value = ""
        key_box.layout.display = "none"

    def _projecting(on: bool) -> None:
        setup.layout.display = "none" if on else None
        if on:
            _hide_key()

    @guarded(status)
    def _create(_b: ipw.Button) -> None:
        if not title.value.strip():
            raise UserFacingError("Give the workshop a title first.")
        ws, key = get_store().open_workshop(title.value, str(when.value or ""), list(mods.value))
        status.value = ""
        show_message(
            key_line,
            f"Workshop opened. Write down the facilitator key now: {key}\n"
            "It is shown only once and never on the projector view. With the join code it "
            "reopens this dashboard from any computer.",
            "success",
            title="Facilitator key",
        )
        key_box.layout.display = None
        body.children = [_dashboard(ws, _projecting)]

    @guarded(status)
    def _open(_b: ipw.Button) -> None:
        try:
            ws = get_store().check_facilitator_key(code_in.value, key_in.value)
        except TooManyAttempts as exc:
            raise UserFacingError(str(exc)) from exc
        key_in.value = ""
        if ws is None:
            raise UserFacingError(
                "That code and key do not open a workshop. Check both and try again."
            )
        status.value = ""
        _hide_key()
        body.children = [_dashboard(ws, _projecting)]

    create.on_click(_create)
    open_btn.on_click(_open)
    new_box = ipw.VBox([title, when, mods, ipw.HBox([create])])
    old_box = ipw.VBox([code_in, key_in, ipw.HBox([open_btn])])
    tabs = ipw.Tab(children=[new_box, old_box])
    tabs.set_title(0, "New workshop")
    tabs.set_title(1, "Reopen a workshop")
    css = ipw.HTML(render("workshop/tabs_style.html"))
    key_done.on_click(_hide_key)
    setup.children = [css, tabs, status]
    return ipw.VBox([setup, key_box, body])


def _group_panels(workshop_id: int) -> list[ipw.Widget]:
    """Each capability's own group view, where it has one; one failing panel never breaks the rest."""
    panels = []
    for pkg in GROUP_PANELS:
        try:
            mod = importlib.import_module(f"widgets.{pkg}.group")
        except ModuleNotFoundError:
            continue
        try:
            panels.append(mod.group_panel(workshop_id))
        except Exception as exc:  # noqa: BLE001
            panels.append(
                message(plain_error(exc), "error", title=f"The {pkg} panel could not load")
            )
    return panels


def _named(button: ipw.Widget, description: str) -> ipw.Widget:
    """A spoken description for a control whose words alone do not say what it does."""
    button.tooltip = description
    return button


def _dashboard(ws: WorkshopInfo, on_projector: Callable[[bool], None] | None = None) -> ipw.VBox:
    """The live dashboard. ``on_projector`` lets the page hide its set-up form and key too.

    Each control's message appears beside it (refresh under the refresh row, deletion inside the
    deletion card), and live refresh is on from the start, with an honest "updated N s ago".
    """
    store = get_store()
    seq = [0]
    refresh_status, delete_status = ipw.HTML(), ipw.HTML()
    updated = ipw.HTML()
    people, wall, dists, links, projector_css = (ipw.HTML() for _ in range(5))
    panels = ipw.VBox([])
    projector = _named(
        ipw.ToggleButton(description="Projector view", layout=_AUTO),
        "Show only the join code, the wall and the group's answers, for a projector",
    )
    refresh = _named(
        ipw.Button(description="Refresh now", button_style="primary", layout=_AUTO),
        "Read the newest answers now",
    )
    # Voila's Play is the page's clock: it ticks while the page is open and stops with it.
    # It is started by the page (class pap-autoplay, a11y.html.j2) once it is drawn: a Play
    # created already playing shows "pause" but never ticks. Until then the label says paused.
    ticker = ipw.Play(
        interval=dashboard.REFRESH_SECONDS * 1000, min=0, max=100_000, description="Auto refresh"
    )
    ticker.add_class("pap-autoplay")
    ticker_label = ipw.HTML()
    delete_who = ipw.Dropdown(description="Participant", options=[], value=None)
    delete_ok = ipw.Checkbox(description="They asked for their data to be deleted", indent=False)
    delete_btn = ipw.Button(description="Delete their data", button_style="danger", layout=_AUTO)
    root = ipw.VBox([])

    def _ticker_text(_c: object = None) -> None:
        on = ticker.playing
        ticker_label.value = render(
            "workshop/ticker.html", on=on, seconds=dashboard.REFRESH_SECONDS
        )

    @guarded(refresh_status)
    def _refresh(_x: object = None) -> None:
        snap = dashboard.take_snapshot(store, ws.id)
        people.value = render("workshop/people.html", people=snap.people)
        wall.value = render("workshop/wall.html", wall=snap.wall)
        dists.value = render("workshop/sorting.html", tables=snap.sorting)
        panels.children = _group_panels(ws.id)
        # The chooser keeps the person chosen while they are still there; nobody else is ever
        # chosen for the facilitator (a deletion leaves it empty).
        keep = delete_who.value
        delete_who.options = [(p.label, p.id) for p in snap.people]
        delete_who.value = keep if keep in {p.id for p in snap.people} else None
        links.value = "".join(download_html(*f) for f in dashboard.export_files(snap, ws.code))
        seq[0] += 1
        updated.value = render("workshop/updated.html", taken_at=snap.taken_at, seq=seq[0])
        # A click is answered beside the button (and read out); a timer tick says nothing.
        if isinstance(_x, ipw.Button):
            show_message(refresh_status, dashboard.refreshed_sentence(snap), "info")
        else:
            refresh_status.value = ""

    @guarded(delete_status)
    def _delete(_b: ipw.Button) -> None:
        done = dashboard.delete_participant(store, ws.id, delete_who.value, delete_ok.value)
        delete_ok.value = False
        delete_who.value = None
        _refresh()
        show_message(delete_status, done.sentence, "success")

    def _projector(change: dict) -> None:
        on = bool(change["new"])
        projector_css.value = render("workshop/projector_style.html") if on else ""
        # On the projector: the join code, the wall and the group's answers; never names,
        # the exports, the deletion form, nor (via on_projector) the set-up form or the key.
        for w in private:
            w.layout.display = "none" if on else None
        if on:
            root.add_class("pap-projector")
        else:
            root.remove_class("pap-projector")
        if on_projector is not None:
            on_projector(on)

    refresh.on_click(_refresh)
    ticker.observe(_refresh, names="value")
    ticker.observe(_ticker_text, names="playing")
    delete_btn.on_click(_delete)
    projector.observe(_projector, names="value")
    _ticker_text()
    _refresh()
    exports = card([links], title="Export the workshop's answers", level=2)
    deletion = card(
        [
            plain("Removes everything this participant saved in this workshop.", "small"),
            delete_who,
            delete_ok,
            delete_btn,
            delete_status,
        ],
        title="Delete a participant's data",
        level=2,
    )
    deletion.add_class("pap-dash-delete")
    root.add_class("pap-step")  # opened: focus moves to its first heading (a11y.html.j2)
    private = [people, exports, deletion]
    controls = ipw.HBox(
        [refresh, ticker, ticker_label, projector], layout=ipw.Layout(align_items="center")
    )
    controls.add_class("pap-dash-controls")
    root.children = [
        projector_css,
        ipw.HTML(render("workshop/header.html", ws=ws)),
        controls,
        updated,
        refresh_status,
        people,
        wall,
        dists,
        panels,
        exports,
        deletion,
    ]
    return root

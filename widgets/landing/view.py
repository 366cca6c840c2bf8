"""Landing page view: friendly cards linking to every module and app, plus joining a workshop."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import Markup, render
from widgets.identity import (
    Visitor,
    VisitorUnknown,
    page_link,
    set_visitor,
    visitor_from_query,
    when_known,
)
from widgets.landing.model import SECTIONS, Entry, available, by_section, load_catalogue
from widgets.record_bar import LINK_STYLE
from widgets.store import TooManyAttempts, get_store
from widgets.ui import card, guarded, message, plain, plain_error, show_message


def _meta(e: Entry) -> str:
    return " · ".join(x for x in [f"about {e.minutes} min" if e.minutes else "", e.audience] if x)


def cards_html(visitor: Visitor | None, *, clickable: bool = False) -> str:
    """The cards; with no visitor yet they are shown but not clickable, so no click can go to
    the wrong record before the page knows who is visiting. ``clickable`` opens them anyway
    (plain links) once it is settled that the visitor has no record yet."""
    sections = [
        {
            "title": SECTIONS[kind],
            "tiles": [
                {
                    "entry": e,
                    "href": page_link(e.notebook, visitor) if visitor else e.notebook,
                    "meta": _meta(e),
                }
                for e in entries
            ],
        }
        for kind, entries in by_section(available(load_catalogue())).items()
    ]
    return render(
        "landing/cards.html", sections=sections, clickable=bool(visitor or clickable)
    )


def _who_html(v: Visitor | None, state: str | None = None) -> str:
    if state is None:
        if v is None:
            state = "unknown"
        elif v.workshop:
            state = "workshop"
        else:
            state = "link" if v.source == "link" else "other"
    return render(
        "landing/who.html",
        state=state,
        workshop=v.workshop.title if v and v.workshop else "",
        label=v.label if v else "",
        saving_to=v.saving_to if v else "",
    )


def _link_html(v: Visitor, welcome: str) -> str:
    return render(
        "landing/personal_link.html",
        welcome=Markup(message(welcome, "success").value),
        link=page_link("index.ipynb", v),
        link_style=LINK_STYLE,
    )


def landing() -> ipw.VBox:
    """Everything on the landing page below its introduction."""
    try:
        cards = ipw.HTML(cards_html(None))
    except Exception as exc:  # a broken catalogue.yaml: say what to fix
        cards = message(plain_error(exc), "error", title="The list of modules could not load")
    who = ipw.HTML(_who_html(None))
    code = ipw.Text(
        placeholder="e.g. K7QX2M", description="Join code", layout=ipw.Layout(width="260px")
    )
    name = ipw.Text(
        placeholder="optional", description="Your name", layout=ipw.Layout(width="300px")
    )
    status = ipw.HTML()
    join = ipw.Button(
        description="Join workshop", button_style="primary", layout=ipw.Layout(width="auto")
    )
    own_status = ipw.HTML()
    own = ipw.Button(
        description="Start my own record", button_style="primary", layout=ipw.Layout(width="auto")
    )
    own.add_class("pap-start-record")
    own_box = card(
        [
            plain(
                "Working on your own? This kit is shared, so it keeps a separate record for "
                "each person. Start yours and bookmark the link it gives you: that link is how "
                "your answers come back."
            ),
            own,
            own_status,
        ],
        title="Your own record",
    )
    own_box.layout.display = "none"

    def _switch_to(v: Visitor) -> None:
        set_visitor(v)  # also fills in the record line and anything still waiting
        who.value = _who_html(v, "switched")
        cards.value = cards_html(v)

    @guarded(status)
    def _join(_b: ipw.Button) -> None:
        if not code.value.strip():
            show_message(
                status, "Type the join code your facilitator shows on the screen.", "warning"
            )
            return
        try:
            p = get_store().join_workshop(code.value, name.value)
        except TooManyAttempts as exc:
            show_message(status, str(exc), "warning")
            return
        if p is None:
            show_message(
                status,
                f"No workshop has the code {code.value.strip().upper()[:12]}. "
                "Check the letters with your facilitator.",
                "warning",
            )
            return
        v = visitor_from_query(f"p={p.token}")
        _switch_to(v)
        own_box.layout.display = "none"
        status.value = _link_html(
            v,
            f"Welcome{', ' + p.display_name if p.display_name else ''}! "
            "The module cards above now save your answers to this workshop.",
        )

    @guarded(own_status)
    def _own(_b: ipw.Button) -> None:
        own.disabled = True
        try:
            p = get_store().issue_personal_link()
        finally:
            own.disabled = False
        own.layout.display = "none"  # one press, one record
        v = visitor_from_query(f"p={p.token}")
        _switch_to(v)
        own_status.value = _link_html(
            v, "Your own record is ready. The cards below now save your answers to it."
        )

    join.on_click(_join)
    own.on_click(_own)

    @guarded(status)
    def _fill(v: Visitor) -> None:
        who.value = _who_html(v)
        cards.value = cards_html(v)

    @guarded(status)
    def _unknown(exc: VisitorUnknown) -> None:
        if exc.reason in ("no-record", "bad-link"):
            own_box.layout.display = None
            who.value = _who_html(None, "no-record")
            cards.value = cards_html(None, clickable=True)

    when_known(_fill, _unknown)
    join_box = card(
        [
            plain(
                "Taking part in a group session? Enter the code on the "
                "facilitator's screen. Your name is optional."
            ),
            ipw.HBox([code, name, join], layout=ipw.Layout(flex_flow="row wrap")),
            status,
        ],
        title="Join a workshop",
    )
    return ipw.VBox([who, own_box, cards, join_box])

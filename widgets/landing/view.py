"""Landing page view: friendly cards linking to every module and app, plus joining a workshop."""

from __future__ import annotations

import ipywidgets as ipw

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
from widgets.ui import card, esc, guarded, message, plain_error, show_message

_CARD_CSS = """
<style>
.pap-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:14px;margin:6px 0 18px}
.pap-tile{display:block;border:1px solid #d0d7de;border-radius:10px;padding:14px 16px;background:#fff;
  color:#1b1f24!important;text-decoration:none!important;box-shadow:0 1px 2px rgba(0,0,0,.05);transition:box-shadow .15s}
.pap-tile:hover,.pap-tile:focus{box-shadow:0 3px 10px rgba(31,95,168,.25);border-color:#1f5fa8}
.pap-tile .pap-icon{font-size:1.8em}
.pap-tile h4{margin:6px 0 4px;color:#1f5fa8;font-size:1.05em}
.pap-tile p{margin:0;font-size:.92em;line-height:1.4;color:#3d444d}
.pap-tile .pap-meta{margin-top:8px;font-size:.8em;color:#57606a}
</style>
"""


def _tile(e: Entry, visitor: Visitor | None) -> str:
    href = page_link(e.notebook, visitor) if visitor else e.notebook
    meta = " · ".join(x for x in [f"about {e.minutes} min" if e.minutes else "", e.audience] if x)
    return (
        f'<a class="pap-tile" href="{esc(href)}" data-notebook="{esc(e.notebook)}">'
        f'<div class="pap-icon">{esc(e.icon)}</div><h4>{esc(e.title)}</h4><p>{esc(e.blurb)}</p>'
        f'<div class="pap-meta">{esc(meta)}</div></a>'
    )


def cards_html(visitor: Visitor | None, *, clickable: bool = False) -> str:
    """The cards; with no visitor yet they are shown but not clickable, so no click can go to
    the wrong record before the page knows who is visiting. ``clickable`` opens them anyway
    (plain links) once it is settled that the visitor has no record yet."""
    sections = by_section(available(load_catalogue()))
    parts = [
        _CARD_CSS,
        "<div class='pap-cards'>"
        if visitor or clickable
        else "<div class='pap-cards pap-loading' style='pointer-events:none;opacity:.75'>",
    ]
    for kind, entries in sections.items():
        parts.append(f"<h3>{esc(SECTIONS[kind])}</h3><div class='pap-grid'>")
        parts += [_tile(e, visitor) for e in entries]
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def _who_html(v: Visitor | None) -> str:
    if v is None:
        return "<p>&nbsp;</p>"
    if v.workshop:
        return (
            f"<p>You are in the workshop <b>{esc(v.workshop.title)}</b> as <b>{esc(v.label)}</b>. "
            "Bookmark this page: its address keeps your answers together.</p>"
        )
    if v.source == "link":
        return (
            "<p>Your answers are saved to <b>your own record</b>. Bookmark this page: its "
            "address is your personal link and brings your answers back.</p>"
        )
    return (
        f"<p>Your answers are saved to <b>{esc(v.saving_to)}</b>. "
        "In a group session, join with the code your facilitator shows.</p>"
    )


def _link_html(v: Visitor, welcome: str) -> str:
    link = page_link("index.ipynb", v)
    return (
        message(welcome, "success").value
        + "<p>Your personal link (open it and bookmark it to come back to your answers): "
        f"<a href='{esc(link)}' class='pap-personal-link' style='{LINK_STYLE}'>{esc(link)}</a></p>"
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
            ipw.HTML(
                "<p>Working on your own? This kit is shared, so it keeps a separate record for "
                "each person. Start yours and bookmark the link it gives you: that link is how "
                "your answers come back.</p>"
            ),
            own,
            own_status,
        ],
        title="Your own record",
    )
    own_box.layout.display = "none"

    def _switch_to(v: Visitor) -> None:
        set_visitor(v)  # also fills in the record line and anything still waiting
        who.value = (
            "<p>Your answers are now saved to <b>"
            + esc(v.saving_to)
            + "</b>. Open your personal link below and bookmark it: it brings your answers back."
            "</p>"
        )
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
            "The cards below now save your answers to this workshop.",
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
            who.value = (
                "<p>To keep your answers, <b>start your own record</b> below or join your "
                "workshop with its code.</p>"
            )
            cards.value = cards_html(None, clickable=True)

    when_known(_fill, _unknown)
    join_box = card(
        [
            ipw.HTML(
                "<p>Taking part in a group session? Enter the code on the "
                "facilitator's screen. Your name is optional.</p>"
            ),
            ipw.HBox([code, name, join], layout=ipw.Layout(flex_flow="row wrap")),
            status,
        ],
        title="Join a workshop",
    )
    return ipw.VBox([who, own_box, cards, join_box])

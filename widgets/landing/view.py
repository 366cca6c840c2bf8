"""Landing page view: friendly cards linking to every module and app, plus joining a workshop."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.identity import Visitor, page_link, set_visitor, visitor_from_query, when_known
from widgets.landing.model import SECTIONS, Entry, available, by_section, load_catalogue
from widgets.store import get_store
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


def cards_html(visitor: Visitor | None) -> str:
    """The cards; with no visitor yet they are shown but not clickable, so no click can go to
    the wrong record before the page knows who is visiting."""
    sections = by_section(available(load_catalogue()))
    parts = [
        _CARD_CSS,
        "<div class='pap-cards'>"
        if visitor
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
    return (
        "<p>Your answers are saved to <b>your own record on this computer</b>. "
        "In a group session, join with the code your facilitator shows.</p>"
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

    @guarded(status)
    def _join(_b: ipw.Button) -> None:
        if not code.value.strip():
            show_message(
                status, "Type the join code your facilitator shows on the screen.", "warning"
            )
            return
        p = get_store().join_workshop(code.value, name.value)
        if p is None:
            show_message(
                status,
                f"No workshop has the code {code.value.strip().upper()}. "
                "Check the letters with your facilitator.",
                "warning",
            )
            return
        v = visitor_from_query(f"p={p.token}")
        set_visitor(v)
        who.value = _who_html(v)
        cards.value = cards_html(v)
        link = page_link("index.ipynb", v)
        status.value = (
            message(
                f"Welcome{', ' + p.display_name if p.display_name else ''}! "
                "The cards below now save your answers to this workshop.",
                "success",
            ).value
            + f"<p>Your personal link (bookmark it to come back to your answers): "
            f"<a href='{esc(link)}' class='pap-personal-link'>{esc(link)}</a></p>"
        )

    join.on_click(_join)

    @guarded(status)
    def _fill(v: Visitor) -> None:
        who.value = _who_html(v)
        cards.value = cards_html(v)

    when_known(_fill)
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
    return ipw.VBox([who, cards, join_box])

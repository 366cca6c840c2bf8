"""The line at the top of every page that says whose record it saves to, or that it saves nothing.

A teacher should never have to guess where their answers go: "Saving to: Amira · workshop K7QX2M",
or, when the page cannot tell who is visiting, "Not saving: ..." with what to do (a "Try again"
when asking again can help). Kept light: it imports nothing beyond what every page already loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as ipw

from widgets.html import render
from widgets.ui import plain

if TYPE_CHECKING:  # the identity module (and the database library) loads only where needed
    from widgets.identity import Visitor, VisitorUnknown

_STYLE = "margin:0 0 6px;padding:4px 10px;border-radius:4px;font-size:.92em;line-height:1.4;"
_KINDS = {
    "saving": "background:#e9f7ee;color:#1e7b3c;border-left:4px solid #1e7b3c",
    "waiting": "background:#f3f4f6;color:#3d444d;border-left:4px solid #8c959f",
    "not": "background:#fff6e0;color:#8a5a00;border-left:4px solid #8a5a00",
    "note": "background:#e8f1fb;color:#1f5fa8;border-left:4px solid #1f5fa8",
}


def _line(kind: str, text: str = "", *, icon: str = "", **ctx: object) -> str:
    return render(
        "ui/record_bar.html",
        kind=kind,
        style=_STYLE + _KINDS[kind],
        icon=icon,
        text=text,
        saving_to=ctx.get("saving_to"),
        home_link=ctx.get("home_link", False),
        link_style=LINK_STYLE,
    )


def saving_html(v: Visitor) -> str:
    return _line("saving", icon="💾", saving_to=v.saving_to)


LINK_STYLE = "color:#1f5fa8;text-decoration:underline;font-weight:600"


def not_saving_html(exc: VisitorUnknown, home: bool = True) -> str:
    link = home and exc.reason in ("no-record", "bad-link")
    return _line("not", str(exc), icon="⚠️", home_link=link)


def record_bar(note: str | None = None, *, home: bool = True) -> ipw.VBox:
    """ "Saving to: ..." for this page's visitor, kept up to date (a join or a retry changes it).

    ``note`` replaces it on pages that keep nothing about the visitor (the facilitator's pages);
    ``home=False`` leaves out the link to the landing page (on the landing page itself).
    """
    line = ipw.HTML(_line("waiting", "Finding out whose record this page saves to…", icon="⏳"))
    box = ipw.VBox([line])
    box.add_class("pap-record")
    if note is not None:
        line.value = _line("note", note)
        return box
    from widgets.identity import retry, watch

    again = ipw.Button(description="Try again", layout=ipw.Layout(width="auto"))
    again.add_class("pap-record-retry")

    def _known(v: Visitor) -> None:
        line.value = saving_html(v)
        box.children = [line]

    def _unknown(exc: VisitorUnknown) -> None:
        line.value = not_saving_html(exc, home)
        box.children = [line, ipw.HBox([again])] if exc.retry else [line]

    def _again(_b: ipw.Button) -> None:
        line.value = _line("waiting", "Asking again who you are…", icon="⏳")
        box.children = [line]
        retry()

    again.on_click(_again)
    watch(_known, _unknown)
    return box


def module_start(notebook: str) -> str:
    """The first cell of a module: shows the record bar and the module's length; returns its id.

    The id, minutes and audience line come from the catalogue (``widgets.catalogue``), so the
    notebook names only its own file: ``MODULE = module_start("01_why_partnership.ipynb")``.
    """
    from IPython.display import display

    from widgets.catalogue import entry, intro_line

    e = entry(notebook)
    display(record_bar())
    line = intro_line(e)
    if line:
        display(plain(line, cls="pap-module-intro", style="font-style:italic"))
    return e.id

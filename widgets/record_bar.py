"""The line at the top of every page that says whose record it saves to, or that it saves nothing.

A teacher should never have to guess where their answers go: "Saving to: Amira · workshop K7QX2M",
or, when the page cannot tell who is visiting, "Not saving: ..." with what to do (a "Try again"
when asking again can help). Kept light: it imports nothing beyond what every page already loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as ipw

from widgets.ui import esc

if TYPE_CHECKING:  # the identity module (and the database library) loads only where needed
    from widgets.identity import Visitor, VisitorUnknown

_STYLE = "margin:0 0 6px;padding:4px 10px;border-radius:4px;font-size:.92em;line-height:1.4;"
_KINDS = {
    "saving": "background:#e9f7ee;color:#1e7b3c;border-left:4px solid #1e7b3c",
    "waiting": "background:#f3f4f6;color:#3d444d;border-left:4px solid #8c959f",
    "not": "background:#fff6e0;color:#8a5a00;border-left:4px solid #8a5a00",
    "note": "background:#e8f1fb;color:#1f5fa8;border-left:4px solid #1f5fa8",
}


def _line(kind: str, html: str) -> str:
    return (
        f"<div class='pap-record-bar pap-record-{kind}' style='{_STYLE}{_KINDS[kind]}'>{html}</div>"
    )


def saving_html(v: Visitor) -> str:
    return _line("saving", f"💾 Saving to: <b>{esc(v.saving_to)}</b>")


LINK_STYLE = "color:#1f5fa8;text-decoration:underline;font-weight:600"


def not_saving_html(exc: VisitorUnknown, home: bool = True) -> str:
    extra = ""
    if home and exc.reason in ("no-record", "bad-link"):
        extra = (
            f" <a href='index.ipynb' class='pap-landing-link' style='{LINK_STYLE}'>"
            "Go to the landing page</a>"
        )
    return _line("not", f"⚠️ {esc(str(exc))}{extra}")


def record_bar(note: str | None = None, *, home: bool = True) -> ipw.VBox:
    """ "Saving to: ..." for this page's visitor, kept up to date (a join or a retry changes it).

    ``note`` replaces it on pages that keep nothing about the visitor (the facilitator's pages);
    ``home=False`` leaves out the link to the landing page (on the landing page itself).
    """
    line = ipw.HTML(_line("waiting", "⏳ Finding out whose record this page saves to…"))
    box = ipw.VBox([line])
    box.add_class("pap-record")
    if note is not None:
        line.value = _line("note", esc(note))
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
        line.value = _line("waiting", "⏳ Asking again who you are…")
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
        intro = ipw.HTML(f"<p class='pap-module-intro'><em>{esc(line)}</em></p>")
        display(intro)
    return e.id

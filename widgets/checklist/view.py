"""Thin view over :mod:`widgets.checklist.model`: a status toggle and note per item."""

from __future__ import annotations

import ipywidgets as ipw
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from widgets.checklist.model import (
    DEFAULT_STATUSES,
    ItemState,
    dump_states,
    load_checklist,
    parse_states,
    progress,
    to_csv,
    to_html,
)
from widgets.form import failed_card, sr_label
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import (
    card,
    download_html,
    guarded,
    plain,
    show_message,
    source_note,
)


def checklist(module: str, name: str) -> ipw.VBox:
    """Show ``datasets/checklists/<name>.yaml``; every change is saved as ``checklist:<name>``."""
    try:
        cl = load_checklist(name)
    except Exception as exc:  # broken YAML: a plain message naming file, line and fix
        return failed_card(exc, "This checklist could not load")
    item = f"checklist:{name}"
    states = parse_states(None, cl)
    status, bar, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    toggles: dict[str, ipw.ToggleButtons] = {}
    notes: dict[str, ipw.Text] = {}

    def _refresh_bar() -> None:
        p = progress(states)
        bar.value = render("ui/progress.html", p=p)

    @guarded(status)
    def _changed(_c: dict) -> None:
        for k in states:
            states[k] = ItemState(toggles[k].value, notes[k].value[:500])
        _refresh_bar()
        links.value = ""
        kept = "your ticks and notes are still on the page; note them somewhere safe"
        show_save(status, save_answer(module, item, dump_states(states), kept=kept))

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        states.update(parse_states(get_store().get(visitor.id, module, item), cl))
        for k, st in states.items():
            toggles[k].value, notes[k].value = st.status, st.note
        _refresh_bar()
        for w in (*toggles.values(), *notes.values()):
            w.observe(_changed, names="value")
            w.disabled = False

    # One Layout/Style model shared by all rows: every widget model costs a round trip when the
    # page opens, and a 20-item checklist would otherwise bring some 260 of them.
    shared = {
        "html_style": HTMLStyle(),
        "html_layout": ipw.Layout(width="100%"),
        "tb_style": ToggleButtonsStyle(button_width="92px"),
        "tb_layout": ipw.Layout(),
        "note_style": TextStyle(),
        "note_layout": ipw.Layout(width="320px"),
        "row_layout": ipw.Layout(
            border_bottom="1px solid #eee", padding="4px 0", flex_flow="row wrap", width="100%"
        ),
    }
    parts: list[ipw.Widget] = []
    if cl.intro:
        parts.append(plain(cl.intro))
    parts.append(bar)
    for s in cl.sections:
        parts.append(plain(s.title, "h4", style="margin:10px 0 2px"))
        for it in s.items:
            st = states[it.id]
            tb = ipw.ToggleButtons(
                options=DEFAULT_STATUSES,
                value=st.status,
                disabled=True,  # until saved states are loaded
                style=shared["tb_style"],
                layout=shared["tb_layout"],
            )
            tb.add_class(f"pap-check-{it.id}")
            nt = ipw.Text(
                value=st.note,
                disabled=True,
                placeholder="note, owner or date (optional)",
                style=shared["note_style"],
                layout=shared["note_layout"],
            )
            sr_label(nt, f"Note on: {it.text[:80]}")
            toggles[it.id], notes[it.id] = tb, nt
            label = ipw.HTML(
                render("ui/item_label.html", text=it.text, detail=it.detail, style=""),
                style=shared["html_style"],
                layout=shared["html_layout"],
            )
            # label on its own line (width 100%), then the status and the note beside it
            parts.append(ipw.HBox([label, tb, nt], layout=shared["row_layout"]))

    export = ipw.Button(description="Export checklist", layout=ipw.Layout(width="auto"))

    @guarded(status)
    def _export(_b: ipw.Button) -> None:
        slug = name.replace("_", "-")
        links.value = download_html(
            to_html(cl, states), f"{slug}.html", "Printable page", "text/html"
        ) + (download_html(to_csv(cl, states), f"{slug}.csv", "Spreadsheet (CSV)", "text/csv"))
        show_message(status, "Your checklist is ready to download.", "success")

    export.on_click(_export)
    if cl.source:
        parts.append(source_note(cl.source))
    parts += [export, links, status]
    _refresh_bar()
    when_known(_fill)
    return card(parts, title=cl.title)

"""Thin view over :mod:`widgets.sorting.model`: one dropdown per statement, a check button."""

from __future__ import annotations

import ipywidgets as ipw
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from widgets.form import failed_card
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.saving import KEPT_CHOICES, guarded_load, save_answer, show_save
from widgets.sorting.model import check, load_activity
from widgets.store import get_store
from widgets.ui import card, guarded, plain, show_message, source_note

_UNSET = "— choose —"
_DD_LAYOUT = ipw.Layout(width="220px")
_TEXT_LAYOUT = ipw.Layout(border_bottom="1px solid #eee", padding="2px 0 6px")


def _row_html(text: str, state: str = "", answer: str = "", why: str = "") -> str:
    """A statement and, once checked, its note (``state``: unplaced, right or wrong)."""
    return render("sorting/row.html", text=text, state=state, answer=answer, why=why)


def sorting_activity(module: str, name: str) -> ipw.VBox:
    """Show the activity ``datasets/activities/<name>.yaml``; placements are saved as made."""
    try:
        activity = load_activity(name)
    except Exception as exc:  # a broken dataset file: say so on the page, not in a traceback

        return failed_card(exc, "This activity could not load")
    item_key = f"sorting:{name}"
    status = ipw.HTML()
    # One grid of [statement, dropdown] pairs keeps the widget count low so the page opens fast.
    cells: list[ipw.Widget] = []
    dropdowns: dict[str, ipw.Dropdown] = {}
    texts: dict[str, ipw.HTML] = {}
    dd_style, text_style = DescriptionStyle(), HTMLStyle()  # shared: fewer models to load
    for it in activity.items:
        dd = ipw.Dropdown(
            options=[_UNSET, *activity.categories],
            value=_UNSET,
            description=it.text,  # the select's name for screen readers (label hidden below)
            disabled=True,  # until saved placements are loaded
            layout=_DD_LAYOUT,
            style=dd_style,
        )
        dd.add_class(f"pap-sort-{it.id}")
        dd.add_class("pap-label-sr")  # the statement is shown beside it already
        text = ipw.HTML(_row_html(it.text), layout=_TEXT_LAYOUT, style=text_style)
        dropdowns[it.id], texts[it.id] = dd, text
        cells += [text, dd]
    grid = ipw.GridBox(
        cells, layout=ipw.Layout(grid_template_columns="1fr 230px", grid_gap="2px 12px")
    )

    def _choices() -> dict[str, str | None]:
        return {k: (None if d.value == _UNSET else d.value) for k, d in dropdowns.items()}

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        store = get_store()
        saved = store.get(visitor.id, module, item_key, default={}) or {}
        for k, d in dropdowns.items():
            if saved.get(k) in activity.categories:
                d.value = saved[k]

        @guarded(status)
        def _save(_change: dict) -> None:
            show_save(status, save_answer(module, item_key, _choices(), kept=KEPT_CHOICES))

        for d in dropdowns.values():
            d.observe(_save, names="value")
            d.disabled = False

    when_known(_fill)

    button = ipw.Button(
        description="Check my answers", button_style="primary", layout=ipw.Layout(width="auto")
    )

    @guarded(status)
    def _check(_b: ipw.Button) -> None:
        result = check(activity, _choices())
        for r in result.results:
            state = "unplaced" if r.chosen is None else ("right" if r.correct else "wrong")
            texts[r.item.id].value = _row_html(r.item.text, state, r.item.answer, r.item.why)
        kind = "success" if result.score == result.total else "info"
        words = (
            f"{result.score} of {result.total} placed as the sources would. "
            "Read the notes under each statement."
        )
        score = {"score": result.score, "total": result.total}
        saved = save_answer(module, item_key + ":score", score, kept=KEPT_CHOICES)
        if saved.ok:
            show_message(status, words, kind)
        else:  # the check itself worked; say plainly that the score was not kept
            show_message(status, f"{words}\n{saved.message}", "warning")

    button.on_click(_check)
    intro = plain(activity.instructions)
    parts = [intro, grid, button, status]
    if activity.source:
        parts.insert(-2, source_note(activity.source))
    return card(parts, title=activity.title)

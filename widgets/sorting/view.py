"""Thin view over :mod:`widgets.sorting.model`: one dropdown per statement, a check button."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.identity import current_visitor
from widgets.sorting.model import check, load_activity
from widgets.store import get_store
from widgets.ui import card, esc, guarded, message, show_message

_UNSET = "— choose —"


def sorting_activity(module: str, name: str) -> ipw.VBox:
    """Show the activity ``datasets/activities/<name>.yaml``; placements are saved as made."""
    try:
        activity = load_activity(name)
    except Exception as exc:  # a broken dataset file: say so on the page, not in a traceback
        from widgets.ui import plain_error

        return card([message(plain_error(exc), "error")], title="This activity could not load")
    store, visitor = get_store(), current_visitor()
    item_key = f"sorting:{name}"
    saved = store.get(visitor.id, module, item_key, default={}) or {}
    status = ipw.HTML()
    rows, dropdowns, feedback = [], {}, {}
    for it in activity.items:
        dd = ipw.Dropdown(
            options=[_UNSET, *activity.categories],
            value=saved.get(it.id) if saved.get(it.id) in activity.categories else _UNSET,
            layout=ipw.Layout(width="220px"),
        )
        dd.add_class(f"pap-sort-{it.id}")
        fb = ipw.HTML()
        dropdowns[it.id], feedback[it.id] = dd, fb
        text = ipw.HTML(
            f"<div style='padding-top:4px'>{esc(it.text)}</div>", layout=ipw.Layout(flex="1 1 auto")
        )
        rows.append(
            ipw.VBox(
                [ipw.HBox([text, dd]), fb],
                layout=ipw.Layout(border_bottom="1px solid #eee", padding="4px 0"),
            )
        )

    def _choices() -> dict[str, str | None]:
        return {k: (None if d.value == _UNSET else d.value) for k, d in dropdowns.items()}

    @guarded(status)
    def _save(_change: dict) -> None:
        store.save(visitor.id, module, item_key, _choices())

    for d in dropdowns.values():
        d.observe(_save, names="value")

    button = ipw.Button(
        description="Check my answers", button_style="primary", layout=ipw.Layout(width="auto")
    )

    @guarded(status)
    def _check(_b: ipw.Button) -> None:
        result = check(activity, _choices())
        for r in result.results:
            if r.chosen is None:
                feedback[r.item.id].value = "<small style='color:#8a5a00'>Not placed yet.</small>"
            else:
                mark, colour = (
                    ("✔ Yes.", "#1e7b3c")
                    if r.correct
                    else (f"✘ This one is {esc(r.item.answer)}.", "#a12622")
                )
                feedback[
                    r.item.id
                ].value = f"<small style='color:{colour}'><b>{mark}</b> {esc(r.item.why)}</small>"
        kind = "success" if result.score == result.total else "info"
        show_message(
            status,
            f"{result.score} of {result.total} placed as the sources would. "
            "Read the notes under each statement.",
            kind,
        )
        store.save(
            visitor.id, module, item_key + ":score", {"score": result.score, "total": result.total}
        )

    button.on_click(_check)
    intro = ipw.HTML(f"<p>{esc(activity.instructions)}</p>")
    parts = [intro, *rows, button, status]
    if activity.source:
        parts.insert(-2, ipw.HTML(f"<small><em>Based on: {esc(activity.source)}</em></small>"))
    return card(parts, title=activity.title)

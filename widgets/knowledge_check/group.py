"""The facilitator's before/after self-rating summary for a workshop (anonymous, suppressed).

``group_panel(workshop_id)`` has the signature the dashboard's group panels use, so it can be
listed there; ``self_rating_summary()`` is the same panel on its own, opened with the workshop's
join code and facilitator key, for the dashboard notebook's own cell.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import render
from widgets.knowledge_check.model import all_depths, group_summary
from widgets.privacy import SELF_RATING_MIN_GROUP
from widgets.store import TooManyAttempts, get_store
from widgets.ui import UserFacingError, card, guarded, plain, show_message


def summary_html(workshop_id: int) -> str:
    """The summary table for one workshop, from the store (no names, small groups hidden)."""
    from widgets.landing.model import load_catalogue

    titles = {e.id: e.title for e in load_catalogue().entries}
    rows = get_store().answers(workshop_id=workshop_id, item_prefix="self-rating:")
    summaries = group_summary(rows, all_depths(), titles)
    return render("knowledge_check/group_summary.html", summaries=summaries, min_group=SELF_RATING_MIN_GROUP)


def group_panel(workshop_id: int) -> ipw.HTML:
    return ipw.HTML(summary_html(workshop_id))


def self_rating_summary() -> ipw.VBox:
    """A button that opens the summary panel (built on request, so the dashboard opens fast)."""
    from widgets.ui import on_demand

    return on_demand(
        "Self-ratings before and after",
        _summary_panel,
        note="Group means of how participants rated their confidence at the start and end of "
        "each module, for a workshop you facilitate.",
    )


def _summary_panel() -> ipw.VBox:
    """The panel a facilitator opens with the join code and key; refreshed on demand."""
    status, out = ipw.HTML(), ipw.HTML()
    # Labels unlike the dashboard's own "Join code" / "Facilitator key", so the two forms on one
    # page are never confused (by a screen reader or a test looking a field up by its label).
    code = ipw.Text(description="Code", placeholder="the workshop's join code")
    key = ipw.Password(description="Key", placeholder="its facilitator key")
    show = ipw.Button(
        description="Show the summary", button_style="primary", layout=ipw.Layout(width="auto")
    )
    show.add_class("pap-self-rating-show")
    opened: dict[str, int] = {}

    @guarded(status)
    def _show(_b: ipw.Button) -> None:
        if "id" not in opened:
            try:
                ws = get_store().check_facilitator_key(code.value, key.value)
            except TooManyAttempts as exc:
                raise UserFacingError(str(exc)) from exc
            key.value = ""
            if ws is None:
                raise UserFacingError(
                    "That code and key do not open a workshop. Check both and try again."
                )
            opened["id"] = ws.id
            code.disabled = key.disabled = True
            show.description = "Refresh the summary"
        out.value = summary_html(opened["id"])
        show_message(status, "Summary updated.", "info")

    show.on_click(_show)
    return card(
        [
            plain(
                "How participants rated their own confidence at the start and at the end of each "
                "module, as group means. Nobody is named.",
                style="margin:0",
            ),
            code,
            key,
            show,
            out,
            status,
        ],
        title="Self-ratings before and after",
    )

"""The verification page (thin view): type a record's id, see what the kit issued it for.

The id is the key of a row the kit wrote when it issued the record (random, about 138 bits), so
an id the kit did not issue, or one whose record was withdrawn, finds nothing: the page says
"not found" plainly, and shows nothing else. The page reads only; it saves nothing.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import render
from widgets.store import get_store, normalise_record_id
from widgets.ui import card, guarded, show_message
from widgets.workshop import pd_record

NOT_FOUND = (
    "Not found: no record with this id was issued by this kit, or it was withdrawn. "
    "Check the id letter by letter against the record; if it matches, the record is not genuine "
    "or no longer stands."
)
NOT_AN_ID = (
    "This is not a record id. Ids look like PAP-ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2-3456 "
    "(seven groups of four letters and digits after PAP)."
)


def lookup_html(text: str) -> tuple[bool, str]:
    """(found, HTML or message) for a typed id: the certified facts, or why nothing is shown."""
    if normalise_record_id(text) is None:
        return False, NOT_AN_ID
    rec = get_store().record_by_id(text)
    if rec is None:
        return False, NOT_FOUND
    return True, pd_record.verified_html(rec.content, rec.id, rec.issued_at)


def verify_record() -> ipw.VBox:
    status, out = ipw.HTML(), ipw.HTML()
    box = ipw.Text(
        description="Record id",
        placeholder="PAP-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
        layout=ipw.Layout(width="min(100%, 36em)"),
    )
    box.add_class("pap-verify-id")
    button = ipw.Button(
        description="Check", button_style="primary", layout=ipw.Layout(width="auto")
    )
    button.add_class("pap-verify-button")

    @guarded(status)
    def _check(_x: object = None) -> None:
        found, result = lookup_html(box.value)
        if found:
            out.value = result
            status.value = ""
        else:
            out.value = ""
            show_message(status, result, "warning")

    button.on_click(_check)
    intro = ipw.HTML(render("pd_record/verify_intro.html"))
    return card([intro, box, button, status, out], title="Check a learning record")

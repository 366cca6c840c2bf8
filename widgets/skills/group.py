"""The facilitator dashboard's panel for the skills poster: the group's combined capacity."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.catalogue import module_id
from widgets.privacy import SKILLS_MIN_GROUP
from widgets.skills import model as m
from widgets.skills.view import PROFILE_ITEM
from widgets.store import get_store
from widgets.ui import card, esc

MODULE = module_id("07_roles_and_leadership.ipynb")  # the catalogue owns the id


def group_panel(workshop_id: int) -> ipw.Widget:
    """Skills and interests the group offers, counted; nothing shown below five people."""
    lib = m.load_library()
    rows = get_store().answers(workshop_id=workshop_id, module=MODULE, item_prefix=PROFILE_ITEM)
    profiles = [m.clean(r.value, lib) for r in rows if r.item == PROFILE_ITEM]
    profiles = [p for p in profiles if p.skills or p.interests]
    cap = m.group_capacity(profiles, lib)
    if cap.skills is None:
        body = (
            f"<p>{cap.people} people have filled in a skills poster. The group's capacity is shown "
            f"once {SKILLS_MIN_GROUP} or more have, so nobody can be picked out.</p>"
        )
    else:

        def lst(counts: dict[str, int]) -> str:
            return (
                "".join(f"<li>{esc(k)}: <b>{v}</b></li>" for k, v in counts.items()) or "<li>—</li>"
            )

        body = (
            f"<p>{cap.people} people. What this group could offer a school between them:</p>"
            "<div style='display:flex;gap:2em;flex-wrap:wrap'>"
            f"<div><b>Skills</b><ul>{lst(cap.skills)}</ul></div>"
            f"<div><b>Interests</b><ul>{lst(cap.interests or {})}</ul></div></div>"
        )
    return card([ipw.HTML(body)], title="Skills and capacity poster")

"""The facilitator dashboard's panel for the skills poster: the group's combined capacity."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.catalogue import module_id
from widgets.html import render
from widgets.privacy import SKILLS_MIN_GROUP
from widgets.skills import model as m
from widgets.store import get_store
from widgets.ui import card

MODULE = module_id("07_roles_and_leadership.ipynb")  # the catalogue owns the id


def group_panel(workshop_id: int) -> ipw.Widget:
    """Skills and interests the group offers, counted; nothing shown below five people."""
    lib = m.load_library()
    rows = get_store().answers(
        workshop_id=workshop_id, module=MODULE, item_prefix=m.PROFILE_ITEM
    )
    profiles = [m.clean(r.value, lib) for r in rows if r.item == m.PROFILE_ITEM]
    profiles = [p for p in profiles if p.skills or p.interests]
    cap = m.group_capacity(profiles, lib)
    body = render("skills/group_panel.html", cap=cap, min_group=SKILLS_MIN_GROUP)
    return card([ipw.HTML(body)], title="Skills and capacity poster")

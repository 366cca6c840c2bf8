"""The facilitator dashboard's panel for the barrier audit: the workshop team's aggregate."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit.instrument import load_instrument
from widgets.audit.pages import team_html
from widgets.audit.services import team_scores
from widgets.privacy import TEAM_MIN_N
from widgets.ui import card


def group_panel(workshop_id: int) -> ipw.Widget:
    """Team profile and item answers for this school year; nothing shown below five people."""
    inst = load_instrument()
    year = act.school_year()
    scores = team_scores(workshop_id, year, inst)
    body = ipw.HTML(team_html(scores, inst, year, TEAM_MIN_N))
    return card([body], title=f"Barrier audit ({scores.respondents} rated for {year})")

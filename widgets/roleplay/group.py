"""The facilitator dashboard's role-play panel: how the group chose at each decision point."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.datasets import DatasetError
from widgets.html import render
from widgets.privacy import ROLEPLAY_MIN_GROUP
from widgets.roleplay.attempts import ITEM_PREFIX, MODULE
from widgets.roleplay.engine import choice_distribution
from widgets.roleplay.schema import load_scenario, scenario_names
from widgets.store import AnswerRow, get_store


def first_attempts(rows: list[AnswerRow]) -> dict[str, list[list[str]]]:
    """Each participant's first attempt per scenario: the group's instinct, not its rehearsals."""
    first: dict[tuple[int, str], tuple[str, list[str]]] = {}
    for r in rows:
        if not r.item.startswith(ITEM_PREFIX) or not isinstance(r.value, dict):
            continue
        scenario = str(r.value.get("scenario", ""))
        key = (r.participant_id, scenario)
        if key not in first or r.item < first[key][0]:
            first[key] = (r.item, [str(c) for c in r.value.get("choices", [])])
    out: dict[str, list[list[str]]] = {}
    for (_pid, scenario), (_item, choices) in first.items():
        out.setdefault(scenario, []).append(choices)
    return out


def panel_html(rows: list[AnswerRow], min_group: int = ROLEPLAY_MIN_GROUP) -> str:
    """How the group chose at each decision point (counts below ``min_group`` withheld)."""
    attempts = first_attempts(rows)
    scenarios = []
    for name in scenario_names():
        try:
            sc = load_scenario(name)
        except DatasetError:
            continue
        if sc.id not in attempts:
            continue
        scenarios.append(
            {
                "title": sc.title,
                "n": len(attempts[sc.id]),
                # by choice id, in the file's order: not the order anyone saw
                "points": choice_distribution(sc, attempts[sc.id], min_group),
            }
        )
    return render(
        "roleplay/group_panel.html", scenarios=scenarios, min_group=min_group, pct=_pct
    )


def _pct(n: int, reached: int) -> int:
    """Width of a choice's bar: its share of those who reached the point, in per cent."""
    return round(100 * n / max(1, reached))


def group_panel(workshop_id: int) -> ipw.Widget:
    rows = get_store().answers(workshop_id=workshop_id, module=MODULE, item_prefix=ITEM_PREFIX)
    return ipw.HTML(panel_html(rows))

"""The facilitator dashboard's role-play panel: how the group chose at each decision point."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.datasets import DatasetError
from widgets.privacy import ROLEPLAY_MIN_GROUP
from widgets.roleplay.attempts import ITEM_PREFIX, MODULE
from widgets.roleplay.engine import choice_distribution
from widgets.roleplay.schema import load_scenario, scenario_names
from widgets.store import AnswerRow, get_store
from widgets.ui import esc


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
    attempts = first_attempts(rows)
    parts = ["<div class='pap-dash-section'><h3>Role-play: how the group chose</h3>"]
    shown_any = False
    for name in scenario_names():
        try:
            sc = load_scenario(name)
        except DatasetError:
            continue
        if sc.id not in attempts:
            continue
        shown_any = True
        n = len(attempts[sc.id])
        parts.append(
            f"<h4>{esc(sc.title)} <small>({n} {'person' if n == 1 else 'people'})</small></h4>"
        )
        for d in choice_distribution(sc, attempts[sc.id], min_group):
            parts.append(
                f"<p style='margin:6px 0 2px;color:#57606a'><i>{esc(d.parent_says[:200])}</i></p>"
            )
            if d.counts is None:
                parts.append(
                    f"<p><small>{d.reached} reached this point: fewer than {min_group}, "
                    "so not shown.</small></p>"
                )
                continue
            total = max(1, d.reached)
            parts.append("<table style='border-collapse:collapse;width:100%'>")
            for c in d.counts:  # by choice id, in the file's order: not the order anyone saw
                pct = round(100 * c.n / total)
                parts.append(
                    f"<tr data-choice='{esc(c.choice_id)}'>"
                    f"<td style='padding:2px 8px 2px 0;width:60%'>{esc(c.say)}</td>"
                    f"<td><div style='background:#1f5fa8;height:12px;width:{pct}%;"
                    f"min-width:2px;display:inline-block'></div> {c.n}</td></tr>"
                )
            parts.append("</table>")
    if not shown_any:
        parts.append("<p>No role-plays played in this workshop yet.</p>")
    parts.append("</div>")
    return "".join(parts)


def group_panel(workshop_id: int) -> ipw.Widget:
    rows = get_store().answers(workshop_id=workshop_id, module=MODULE, item_prefix=ITEM_PREFIX)
    return ipw.HTML(panel_html(rows))

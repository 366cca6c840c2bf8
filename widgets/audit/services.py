"""The audit's reads and writes of the store, apart from any widget (tested without a kernel).

Ratings and plans are saved per school year under keys from :mod:`widgets.audit.actions`. The
staff audit appears on two pages (the module and the app); a rating made on one is found from the
other for the same year. Writes go through :func:`widgets.saving.save_answer`, so "Saved" is only
said once the store committed.
"""

from __future__ import annotations

from typing import Any

from widgets.audit import actions as act
from widgets.audit.instrument import Instrument
from widgets.audit.scoring import GroupScores, aggregate, latest_ratings
from widgets.identity import Visitor
from widgets.saving import KEPT_CHOICES, SaveResult, save_answer
from widgets.store import get_store

#: The other page that holds the same staff audit.
OTHER = {act.MODULE: act.APP, act.APP: act.MODULE}


def _pages(module: str) -> list[str]:
    return [m for m in (module, OTHER.get(module)) if m is not None]


def load_ratings(pid: int, module: str, year: str) -> dict:
    """Ratings saved on this page, else those saved on the other audit page for the same year."""
    store = get_store()
    for m in _pages(module):
        v = store.get(pid, m, act.ratings_key(year))
        if isinstance(v, dict) and isinstance(v.get("ratings"), dict) and v["ratings"]:
            return dict(v["ratings"])
    return {}


def saved_years(pid: int, module: str) -> list[str]:
    """School years for which this person saved ratings, on either audit page."""
    store = get_store()
    years = set()
    for m in _pages(module):
        for r in store.answers(participant_id=pid, module=m, item_prefix=act.RATINGS_PREFIX):
            if isinstance(r.value, dict) and r.value.get("ratings"):
                years.add(r.item[len(act.RATINGS_PREFIX) :])
    return sorted(years)


def save_ratings(visitor: Visitor, module: str, year: str, ratings: dict) -> SaveResult:
    return save_answer(
        module, act.ratings_key(year), {"ratings": ratings}, visitor=visitor, kept=KEPT_CHOICES
    )


def team_scores(workshop_id: int, year: str, inst: Instrument) -> GroupScores:
    """The workshop team's ratings for a year (each member once, latest answers)."""
    rows = []
    store = get_store()
    for m in (act.MODULE, act.APP):
        rows += store.answers(workshop_id=workshop_id, module=m, item_prefix=act.ratings_key(year))
    rows = [r for r in rows if r.item == act.ratings_key(year)]
    return aggregate(latest_ratings(rows).values(), inst)


def load_plan(pid: int, module: str, year: str) -> act.Plan:
    return act.parse_plan_record(get_store().get(pid, module, act.plan_key(year)))


def previous_plan(pid: int, module: str, year: str) -> tuple[str, act.Plan] | None:
    """The latest earlier year's plan, to check what was done before planning again."""
    store = get_store()
    prev = act.previous_year(
        [
            r.item[len(act.PLAN_PREFIX) :]
            for r in store.answers(participant_id=pid, module=module, item_prefix=act.PLAN_PREFIX)
        ],
        year,
    )
    if prev is None:
        return None
    return prev, load_plan(pid, module, prev)


def save_plan(visitor: Visitor, module: str, year: str, plan: act.Plan) -> SaveResult:
    return save_answer(module, act.plan_key(year), plan.model_dump(), visitor=visitor)


def save_survey_summary(
    visitor: Visitor, module: str, year: str, summary: dict[str, Any]
) -> SaveResult:
    """Only totals of a family survey are saved; its rows never leave the page."""
    return save_answer(module, f"survey:{year}", summary, visitor=visitor, kept=KEPT_CHOICES)

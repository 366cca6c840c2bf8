"""Checks that a scenario is playable and honest.

Playable: every scene reachable, every route ends, enough decisions. Honest: on every route the
rubric evidence agrees with the ending (see ``engine.verdict_conflict``), so the debrief can never
call a conversation that ended poorly a high score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from widgets.roleplay.engine import Play, score_percent, verdict_conflict
from widgets.roleplay.schema import Scenario

MAX_STEPS = 40
MAX_ROUTES = 5_000  # a work budget: a scenario with more routes than this is reported, not walked


@dataclass(frozen=True)
class Route:
    """One complete way through a scenario."""

    choice_ids: tuple[str, ...]
    ending: str
    outcome: str
    percent: int | None


@dataclass
class PathReport:
    paths: int
    reached_scenes: set[str]
    endings_reached: set[str]
    min_decisions: int
    max_decisions: int
    problems: list[str]
    routes: list[Route] = field(default_factory=list)


def explore(scenario: Scenario) -> PathReport:
    """Play every sequence of choices (states included) and report what can happen."""
    reached: set[str] = set()
    endings: set[str] = set()
    problems: list[str] = []
    routes: list[Route] = []
    conflicts: list[str] = []

    def walk(choice_ids: list[str]) -> None:
        if len(routes) >= MAX_ROUTES:
            return
        play = Play.replay(scenario, choice_ids)
        reached.add(play.scene_id)
        if play.over:
            endings.add(play.scene_id)
            outcome = play.scene.ending.outcome
            pct = score_percent(play.history)
            routes.append(Route(tuple(choice_ids), play.scene_id, outcome, pct))
            why = verdict_conflict(outcome, pct)
            if why:
                conflicts.append(
                    f"the route {' → '.join(choice_ids)} disagrees with its ending: {why}; add "
                    "to those choices the behaviours they break (or show)"
                )
            return
        if len(choice_ids) >= MAX_STEPS:
            problems.append(f"a path does not end within {MAX_STEPS} steps: {choice_ids[:6]}…")
            return
        options = play.choices()
        if not options:
            problems.append(f"scene {play.scene_id!r} offers no choice in state {play.state}")
            return
        for c in options:
            walk([*choice_ids, c.id])

    walk([])
    if len(routes) >= MAX_ROUTES:
        problems.append(
            f"more than {MAX_ROUTES} routes; only the first {MAX_ROUTES} were checked. "
            "Join branches back together so the scenario stays checkable"
        )
    unreachable = sorted({s.id for s in scenario.scenes} - reached)
    if unreachable:
        problems.append(f"scenes no path reaches: {unreachable}")
    problems += conflicts[:10]
    if len(conflicts) > 10:
        problems.append(
            f"... and {len(conflicts) - 10} more routes that disagree with their ending"
        )
    lengths = [len(r.choice_ids) for r in routes]
    return PathReport(
        len(routes),
        reached,
        endings,
        min(lengths, default=0),
        max(lengths, default=0),
        problems,
        routes,
    )

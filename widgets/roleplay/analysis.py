"""Checks that a scenario is playable: every scene reachable, every path ends, enough variety."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.roleplay.engine import Play
from widgets.roleplay.schema import Scenario

MAX_STEPS = 40


@dataclass
class PathReport:
    paths: int
    reached_scenes: set[str]
    endings_reached: set[str]
    min_decisions: int
    max_decisions: int
    problems: list[str]


def explore(scenario: Scenario) -> PathReport:
    """Play every sequence of choices (states included) and report what can happen."""
    reached: set[str] = set()
    endings: set[str] = set()
    problems: list[str] = []
    lengths: list[int] = []

    def walk(choice_ids: list[str]) -> None:
        play = Play.replay(scenario, choice_ids)
        reached.add(play.scene_id)
        if play.over:
            endings.add(play.scene_id)
            lengths.append(len(choice_ids))
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
    unreachable = sorted({s.id for s in scenario.scenes} - reached)
    if unreachable:
        problems.append(f"scenes no path reaches: {unreachable}")
    return PathReport(
        len(lengths), reached, endings, min(lengths, default=0), max(lengths, default=0), problems
    )

"""Saved role-play attempts: what is stored, how it is played back, which one a page reopens.

An attempt is one answer in the store, item ``roleplay:<scenario>:<nnn>``, holding the choice ids,
the seed that ordered the options, the participant's own words and how it ended. Everything the
page shows (the conversation, the debrief, the downloads) is rebuilt from that record, so a
refresh brings back exactly what was there, finished or not. No widgets here.
"""

from __future__ import annotations

import zlib
from typing import Any

from widgets.catalogue import module_id
from widgets.roleplay.engine import Play, score
from widgets.roleplay.schema import Scenario

MODULE = module_id("03_one_to_one_meetings.ipynb")  # the catalogue owns the id
ITEM_PREFIX = "roleplay:"


def attempt_item(scenario_id: str, n: int) -> str:
    return f"{ITEM_PREFIX}{scenario_id}:{n:03d}"


def attempt_number(item: str) -> int | None:
    """The attempt number in an item key, or None for a key that is not an attempt."""
    if not item.startswith(ITEM_PREFIX):
        return None
    try:
        return int(item.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


def attempt_seed(participant_id: int, scenario_id: str, n: int) -> int:
    """The seed that orders an attempt's options: different per attempt, the same on every replay.

    Derived from who, which scenario and which attempt (not from a clock or a random source),
    and saved with the attempt all the same, so a record can be replayed on its own.
    """
    return zlib.crc32(f"{participant_id}:{scenario_id}:{n}".encode())


def attempt_record(play: Play, when: str) -> dict[str, Any]:
    """What the store keeps for an attempt (``when`` is an ISO timestamp, passed in)."""
    end = play.scene.ending if play.over else None
    return {
        "scenario": play.scenario.id,
        "choices": play.choice_ids,
        "seed": play.seed,
        "said": dict(play.said),
        "finished": play.over,
        "ending": play.scene_id if end else None,
        "outcome": end.outcome if end else None,
        "when": when,
    }


def restore(scenario: Scenario, record: dict[str, Any]) -> Play:
    """Rebuild the attempt a record describes: choices, option order and own words.

    Raises ValueError when the record no longer replays (the scenario was edited since).
    """
    if not isinstance(record, dict):
        raise ValueError("not an attempt record")
    seed = record.get("seed")
    said = record.get("said") if isinstance(record.get("said"), dict) else {}
    return Play.replay(
        scenario,
        [str(c) for c in record.get("choices") or []],
        seed=int(seed) if isinstance(seed, int) else None,
        said=said,
    )


def latest(attempts: list[tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]] | None:
    """The highest-numbered attempt, finished or not: the one a page reopens."""
    return max(attempts, key=lambda a: a[0], default=None)


def last_played(records: list[tuple[str, dict[str, Any]]]) -> str | None:
    """The scenario id of the attempt saved most recently, from (item, value) pairs.

    Ordered by the saved ``when`` (ISO text sorts in time order); ties, or records without it,
    fall back to the attempt number.
    """
    best: tuple[str, int, str] | None = None
    for item, value in records:
        n = attempt_number(item)
        if n is None or not isinstance(value, dict) or not value.get("scenario"):
            continue
        key = (str(value.get("when") or ""), n, str(value["scenario"]))
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def numbered_attempts(rows: list[tuple[str, Any]]) -> list[tuple[int, dict]]:
    """(attempt number, record) for saved rows ``(item, value)`` of one scenario, in order."""
    out = []
    for item, value in rows:
        n = attempt_number(item)
        if n is not None and isinstance(value, dict):
            out.append((n, value))
    return sorted(out, key=lambda x: x[0])


def finished_choices(scenario: Scenario, attempts: list[tuple[int, dict]]) -> list[tuple[str, int]]:
    """The finished attempts that still fit the scenario, labelled for a comparison picker."""
    opts = []
    for n, rec in attempts:
        if not rec.get("finished"):
            continue
        try:
            p = restore(scenario, rec)
        except ValueError:
            continue
        shown, broken = score(p.history)
        opts.append((f"Attempt {n}: {p.scene.ending.title} ({shown} shown, {broken} missed)", n))
    return opts

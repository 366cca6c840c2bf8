"""Rules for reading audit results: weakest items, staff views to compare, colour bands.

Pure functions over the instrument and scores (no store, no widgets), shared by the rater, the
team view, the plan builder and the survey panel so each rule lives once.
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets.audit.instrument import Instrument
from widgets.audit.scoring import GroupScores, item_means, score_respondent
from widgets.privacy import TEAM_MIN_N

Weak = list[tuple[str, float | None]]

#: Colour bands for a 0-100 mean in tables: (below this score, word, background). The word is
#: given in a tooltip and a legend, and the number is always printed: colour never carries it alone.
BANDS: tuple[tuple[float, str, str], ...] = (
    (40.0, "low (under 40)", "#fbd9d6"),
    (60.0, "middling (40 to 59)", "#fff0b3"),
    (float("inf"), "good (60 or more)", "#e9f7ee"),
)


def band(mean: float) -> tuple[str, str]:
    """The (word, colour) band a 0-100 mean falls in."""
    for upper, word, colour in BANDS:
        if mean < upper:
            return word, colour
    raise ValueError(mean)  # pragma: no cover - the last band is unbounded


class NothingToRank(Exception):
    """The chosen source has no ratings yet; the message says what to do first."""


def dim_titles(inst: Instrument) -> dict[str, str]:
    return {d.id: d.title for d in inst.dimensions}


def lowest(scores: dict[str, float | None], k: int) -> Weak:
    """The ``k`` lowest-scored items (ties by id, so the same ratings always give the same list)."""
    rated = [(i, m) for i, m in scores.items() if m is not None]
    return sorted(rated, key=lambda x: (x[1], x[0]))[:k]


def weakest(
    source: str,
    k: int,
    *,
    ratings: dict,
    team: GroupScores | None,
    survey_means: dict[str, float | None] | None,
    inst: Instrument,
) -> Weak:
    """The weakest items from "mine", "team" or "survey"; NothingToRank says what is missing."""
    if source == "mine":
        if not ratings:
            raise NothingToRank("Rate some items in the audit first, or choose another source.")
        return lowest(score_respondent(ratings, inst).items, k)
    if source == "team":
        if team is None:
            raise NothingToRank(
                "Show your team's results first (in a workshop, once five people have rated)."
            )
        return [(s.item_id, s.mean) for s in team.weakest(k, TEAM_MIN_N)]
    if not survey_means:
        raise NothingToRank("Analyse a family survey first, or choose another source.")
    return lowest(survey_means, k)


def staff_view(
    team: GroupScores | None, ratings: dict, inst: Instrument
) -> tuple[dict[str, float | None], str] | None:
    """Item means to set against families': the team's when shown, else the person's own."""
    if team is not None:
        return item_means(team), "your team"
    if ratings:
        return item_means(score_respondent(ratings, inst)), "your own ratings"
    return None


@dataclass(frozen=True)
class WeakRow:
    text: str
    dimension: str
    score: float | None


def weak_rows(inst: Instrument, weak: Weak) -> list[WeakRow]:
    return [WeakRow(inst.item(i).text, inst.dimension_of(i).title, s) for i, s in weak]


def look_for_levels(inst: Instrument, item_id: str) -> list[tuple[str, str]]:
    """(scale label, what that level looks like) for the item, lowest described level first."""
    return [(inst.label(v), text) for v, text in inst.item(item_id).looks_like.by_value().items()]


def team_item_scores(team: GroupScores, min_n: int = TEAM_MIN_N) -> dict[str, float | None]:
    """Team item means, with items rated by fewer than ``min_n`` people left out (privacy)."""
    return {k: s.mean for k, s in team.items.items() if s.n >= min_n and s.mean is not None}

"""Scores for the barrier audit: per item and dimension, per respondent and across a group.

Every rating is turned into a score from 0 (the lowest point of its scale) to 100 (the highest),
so a four-point staff scale and a five-point family survey can be put side by side. "Don't know"
is counted and reported, never averaged: a team that does not know whether interpreters are
booked has learned something different from a team that knows they are not.

A group score for a dimension is the mean of each respondent's own dimension score, so a person
who rated every item in a dimension does not weigh more than one who rated two.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from widgets.audit.instrument import Instrument

DK = "dk"
Rating = int | str  # 1..points, or "dk"
Ratings = Mapping[str, Rating]

HIGH_SPREAD = 30.0  # standard deviation (score points) above which a group clearly disagrees


def to_score(value: int, points: int) -> float:
    """A rating on a 1..points scale as 0..100."""
    return (value - 1) / (points - 1) * 100.0


def clean_ratings(raw: object, instrument: Instrument) -> dict[str, Rating]:
    """Keep only valid ratings of known items (saved data may predate an edit of the YAML)."""
    if not isinstance(raw, Mapping):
        return {}
    known = {i.id for i in instrument.items}
    out: dict[str, Rating] = {}
    for k, v in raw.items():
        if k not in known:
            continue
        if v == DK:
            out[k] = DK
        elif isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= instrument.points:
            out[k] = v
    return out


def _mean(xs: list[float]) -> float | None:
    return statistics.fmean(xs) if xs else None


def _sd(xs: list[float]) -> float | None:
    """Sample standard deviation (exactly 0 when everyone agrees); None with fewer than two."""
    return statistics.stdev(xs) if len(xs) >= 2 else None


@dataclass(frozen=True)
class RespondentScores:
    """One person's audit: item scores and dimension scores (None where nothing was rated)."""

    items: dict[str, float]
    dimensions: dict[str, float | None]
    dont_know: list[str]
    unanswered: list[str]

    @property
    def overall(self) -> float | None:
        vals = [v for v in self.dimensions.values() if v is not None]
        return _mean(vals)


def score_respondent(ratings: Ratings, instrument: Instrument) -> RespondentScores:
    r = clean_ratings(ratings, instrument)
    items = {k: to_score(v, instrument.points) for k, v in r.items() if v != DK}
    dims = {
        d.id: _mean([items[i.id] for i in d.items if i.id in items]) for d in instrument.dimensions
    }
    dk = [i.id for i in instrument.items if r.get(i.id) == DK]
    missing = [i.id for i in instrument.items if i.id not in r]
    return RespondentScores(items, dims, dk, missing)


@dataclass(frozen=True)
class ItemSummary:
    item_id: str
    n: int  # rated on the scale
    dont_know: int
    counts: dict[int, int]  # scale value -> respondents
    mean: float | None  # 0..100
    sd: float | None

    @property
    def disagreement(self) -> bool:
        """True when the group is split: a large spread, or a quarter at each end of the scale."""
        if self.sd is not None and self.sd >= HIGH_SPREAD:
            return True
        if not self.n:
            return False
        pts = sorted(self.counts)
        half = len(pts) // 2
        low = sum(self.counts[p] for p in pts[:half]) / self.n
        high = sum(self.counts[p] for p in pts[len(pts) - half :]) / self.n
        return low >= 0.25 and high >= 0.25


@dataclass(frozen=True)
class DimensionSummary:
    dimension_id: str
    n: int  # respondents with a score for the dimension
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class GroupScores:
    respondents: int
    items: dict[str, ItemSummary]
    dimensions: dict[str, DimensionSummary]
    points: int

    def weakest(self, k: int = 5, min_n: int = 1) -> list[ItemSummary]:
        """Items with the lowest mean (ties: larger disagreement first), rated by >= min_n."""
        rated = [s for s in self.items.values() if s.mean is not None and s.n >= min_n]
        return sorted(rated, key=lambda s: (s.mean, -(s.sd or 0.0), s.item_id))[:k]


def aggregate(responses: Iterable[Ratings], instrument: Instrument) -> GroupScores:
    """Summaries across respondents (a workshop team, or a school's staff)."""
    cleaned = [clean_ratings(r, instrument) for r in responses]
    cleaned = [r for r in cleaned if r]
    points = instrument.points
    items: dict[str, ItemSummary] = {}
    for it in instrument.items:
        vals = [r[it.id] for r in cleaned if it.id in r]
        nums = [v for v in vals if v != DK]
        scores = [to_score(v, points) for v in nums]
        items[it.id] = ItemSummary(
            it.id,
            len(nums),
            sum(1 for v in vals if v == DK),
            {p: nums.count(p) for p in range(1, points + 1)},
            _mean(scores),
            _sd(scores),
        )
    per_person = [score_respondent(r, instrument) for r in cleaned]
    dims: dict[str, DimensionSummary] = {}
    for d in instrument.dimensions:
        vals = [p.dimensions[d.id] for p in per_person if p.dimensions[d.id] is not None]
        dims[d.id] = DimensionSummary(d.id, len(vals), _mean(vals), _sd(vals))
    return GroupScores(len(cleaned), items, dims, points)


@dataclass(frozen=True)
class Gap:
    dimension_id: str
    staff: float | None
    parents: float | None
    items: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """Staff minus families: positive means staff see the practice as stronger than families do."""
        if self.staff is None or self.parents is None:
            return None
        return self.staff - self.parents


def gaps(
    staff_items: Mapping[str, float | None],
    parent_items: Mapping[str, float | None],
    instrument: Instrument,
) -> list[Gap]:
    """Staff vs family score per dimension, on the items both were asked (item means 0..100).

    Only comparable items count on both sides, so a dimension's gap is never an artefact of staff
    rating statements families were not shown.
    """
    out = []
    for d in instrument.dimensions:
        common = [
            i.id
            for i in d.items
            if staff_items.get(i.id) is not None and parent_items.get(i.id) is not None
        ]
        if not common:
            continue
        out.append(
            Gap(
                d.id,
                _mean([staff_items[i] for i in common]),
                _mean([parent_items[i] for i in common]),
                common,
            )
        )
    return out


def item_means(scores: GroupScores | RespondentScores) -> dict[str, float | None]:
    """Item id -> mean score, from a group or from one respondent."""
    if isinstance(scores, RespondentScores):
        return dict(scores.items)
    return {k: v.mean for k, v in scores.items.items()}


def latest_ratings(rows: Iterable[object]) -> dict[int, dict]:
    """Per participant, the most recently saved ratings among store rows (module or app page).

    ``rows`` are the store's AnswerRow objects whose value is ``{"ratings": {...}}``; a person who
    rated in both the module and the app counts once, with their latest answers.
    """
    best: dict[int, tuple[object, dict]] = {}
    for r in rows:
        value = getattr(r, "value", None)
        ratings = value.get("ratings") if isinstance(value, dict) else None
        if not isinstance(ratings, dict) or not ratings:
            continue
        pid = r.participant_id  # type: ignore[attr-defined]
        when = r.updated_at  # type: ignore[attr-defined]
        if pid not in best or when >= best[pid][0]:
            best[pid] = (when, ratings)
    return {pid: ratings for pid, (_w, ratings) in best.items()}

"""What the audit widgets of one page share: the year, the ratings, the team result, the survey.

One :class:`Session` per page (per module id), so the plan builder can propose actions from the
ratings just made or the survey just analysed, and the survey can be compared with the ratings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from widgets.audit import actions as act
from widgets.audit.scoring import GroupScores


@dataclass
class Session:
    """What the widgets of one page share."""

    module: str
    year: str = field(default_factory=act.school_year)
    ratings: dict[str, Any] = field(default_factory=dict)
    team: GroupScores | None = None
    survey_means: dict[str, float | None] | None = None  # audit items only
    survey_label: str = ""
    on_year: list[Callable[[str], None]] = field(default_factory=list)

    def set_year(self, year: str) -> None:
        if year != self.year:
            self.year = year
            for cb in list(self.on_year):
                cb(year)


_SESSIONS: dict[str, Session] = {}


def session(module: str) -> Session:
    if module not in _SESSIONS:
        _SESSIONS[module] = Session(module)
    return _SESSIONS[module]


def reset_sessions() -> None:
    """Forget page state (tests)."""
    _SESSIONS.clear()

"""Minimum group sizes: the one owner of every "too few people to show" threshold in the kit.

A count, mean or distribution about a handful of people can identify them: in a workshop of six,
"1 placed this in Never" is somebody the facilitator can often guess. So every view of a group
shows nothing below a minimum size, and each use's minimum lives here, named for that use and
documented once with why. Nothing else in ``widgets/`` defines a group-size threshold (a unit
test checks), so a school or a reviewer finds them all in one place.

The audit's complementary suppression (hiding a second cell so a hidden one cannot be worked out
from published totals) stays in :mod:`widgets.audit.suppression`; its threshold is
:data:`SURVEY_MIN_CELL`.
"""

from __future__ import annotations

WORKSHOP_MIN_GROUP = 5
"""Facilitator dashboard: a sorting activity's distribution needs this many answers.

It is shown live on a projector to the people who answered; in a room of colleagues five is the
smallest group where one answer cannot usually be told from the rest (the kit's workshop rule).
"""

ROLEPLAY_MIN_GROUP = WORKSHOP_MIN_GROUP
"""Dashboard role-play panel: a decision point's choices need this many first attempts.

Same room and audience as :data:`WORKSHOP_MIN_GROUP`, so the same rule.
"""

SKILLS_MIN_GROUP = WORKSHOP_MIN_GROUP
"""Dashboard skills panel: the group's skills and interests need this many profiles.

Same room and audience as :data:`WORKSHOP_MIN_GROUP`; a skill held by one of three is a person.
"""

SELF_RATING_MIN_GROUP = WORKSHOP_MIN_GROUP
"""Dashboard before/after self-rating summary: a module's means need this many complete pairs.

Shown to the same room as :data:`WORKSHOP_MIN_GROUP`; a rating of one's own confidence is
personal, so a module where fewer people rated every statement both times shows only the count.
"""

TEAM_MIN_N = WORKSHOP_MIN_GROUP
"""Staff self-audit: team panels and per-item team means need this many raters.

Colleagues rate their own school's practice; below five, a low item points at a person.
"""

EVENING_MIN_ANSWERS = 5
"""After-evening parent survey: a question's breakdown needs this many answers.

Returned by a few families of one evening, often on paper the teacher handed out; fewer than
five answers and a rating or a choice can be matched to the parent who gave it.
"""

SURVEY_MIN_CELL = 10
"""District/school family survey breakdowns (home language, grade...): a cell needs this many.

These tables leave the room (printed, shared with governors) and cross-tabulate family traits,
so the usual statistical-disclosure minimum of ten applies, with complementary suppression on
top (:mod:`widgets.audit.suppression`). Staff can change it on the page (3 to 100).
"""


def big_enough(n: int, min_n: int) -> bool:
    """True when a group of ``n`` may be shown: at least ``min_n`` people (an empty group is not).

    For views that show a group whole or not at all (a distribution, a team panel).
    """
    return n >= min_n


def too_small(n: int, min_n: int) -> bool:
    """True when a count must be hidden: some people, but fewer than ``min_n``.

    A count of 0 reveals nobody, so it is not hidden (tables keep their empty cells).
    """
    return 0 < n < min_n

"""The planner's views, by their old address: each now lives in its own module.

:mod:`widgets.evening.planner_view` (the planner's tabs), :mod:`~widgets.evening.intake_view`
(upload, columns), :mod:`~widgets.evening.settings_view` (the evening),
:mod:`~widgets.evening.results_view` (the timetable), :mod:`~widgets.evening.requests_view`
(the office's request window), :mod:`~widgets.evening.family_view` (the family's request page)
and :mod:`~widgets.evening.survey_view` (survey, booking comparison).
"""

from widgets.evening.planner_view import evening_planner
from widgets.evening.survey_view import booking_comparison, survey_analysis

__all__ = ["booking_comparison", "evening_planner", "survey_analysis"]

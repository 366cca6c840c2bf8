"""Parents' evening planner: fair clash-free timetables, letters, calendars and the survey."""

from widgets.evening.family_view import family_bar, family_request
from widgets.evening.planner_view import evening_planner
from widgets.evening.survey_view import booking_comparison, survey_analysis

__all__ = [
    "booking_comparison", "evening_planner", "family_bar", "family_request", "survey_analysis",
]

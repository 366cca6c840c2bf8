"""Parents' evening planner: fair clash-free timetables, letters, calendars and the survey."""

from widgets.evening.view import booking_comparison, evening_planner, survey_analysis

__all__ = ["booking_comparison", "evening_planner", "survey_analysis"]

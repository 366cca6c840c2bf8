"""Planner for a session parents lead for staff or other parents."""

from widgets.session_plan.view import session_planner

__all__ = ["session_planner"]

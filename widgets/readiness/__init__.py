"""Volunteer readiness tracker: screening and training checks per role, with a status."""

from widgets.readiness.view import readiness_tracker

__all__ = ["readiness_tracker"]

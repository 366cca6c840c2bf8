"""Checklists and readiness trackers whose ticks are saved (logistics, screening, outreach)."""

from widgets.checklist.view import checklist

__all__ = ["checklist"]

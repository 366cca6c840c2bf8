"""The timetable this page's planner made last, for panels beside it (reminders, attendance).

Each Voila page has its own kernel, so a module-level value is this page's alone. The planner
calls :func:`publish` after every solve that passed the checks; panels register with
:func:`on_plan` and are called with the newest plan (and at once if one exists).
"""

from __future__ import annotations

from collections.abc import Callable

from widgets.evening.data import Instance, Timetable

_latest: tuple[Instance, Timetable] | None = None
_listeners: list[Callable[[Instance, Timetable], None]] = []


def publish(inst: Instance, tt: Timetable) -> None:
    """The planner made a new timetable (already verified): tell every panel."""
    global _latest
    _latest = (inst, tt)
    for cb in list(_listeners):
        cb(inst, tt)


def latest() -> tuple[Instance, Timetable] | None:
    return _latest


def on_plan(callback: Callable[[Instance, Timetable], None]) -> None:
    """Call ``callback(inst, tt)`` for every new plan, and now if there is one."""
    _listeners.append(callback)
    if _latest is not None:
        callback(*_latest)


def reset() -> None:
    """Forget the plan and the panels (tests)."""
    global _latest
    _latest = None
    _listeners.clear()

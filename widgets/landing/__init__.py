"""The landing page: cards for every module and app, and joining a workshop."""

from widgets.landing.view import landing

__all__ = ["landing"]

"""Role-play of one-to-one meetings with parents: scenarios as YAML, a pure engine, a thin view."""

from widgets.roleplay.view import roleplay

__all__ = ["roleplay"]

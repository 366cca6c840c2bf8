"""Family-facing sessions: short modules for parents, often led by another parent."""

from widgets.family.view import family_module

__all__ = ["family_module"]

"""Skills and capacity poster: a parent's skills and time matched to roles on the ladder."""

from widgets.skills.view import skills_poster

__all__ = ["skills_poster"]

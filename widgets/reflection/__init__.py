"""Reflection prompts whose answers are saved as the participant types."""

from widgets.reflection.view import module_summary, reflect

__all__ = ["reflect", "module_summary"]

"""Facilitator guides (Markdown in facilitator_guides/) read, printed and downloaded in the browser."""

from widgets.guides.view import guide_reader

__all__ = ["guide_reader"]

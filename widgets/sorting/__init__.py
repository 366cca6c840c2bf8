"""Sort-into-categories activities (e.g. involvement or engagement?) loaded from datasets/."""

from widgets.sorting.view import sorting_activity

__all__ = ["sorting_activity"]

"""Per module: a short case, a knowledge check with feedback and a before/after self-rating."""

from widgets.knowledge_check.view import case_study, knowledge_check, self_rating

__all__ = ["case_study", "knowledge_check", "self_rating"]

"""Student interview guide builder: questions for parents or teachers, ready to print."""

from widgets.interview.view import interview_builder

__all__ = ["interview_builder"]

"""The "rewrite a jargon-heavy letter" exercise (``datasets/messages/rewrite_exercise.yaml``)."""

from __future__ import annotations

from pydantic import Field

from widgets.datasets import load_yaml
from widgets.schema_base import StrictModel


class RewriteExercise(StrictModel):
    title: str = Field(min_length=1)
    original: str = Field(min_length=1)


def load_exercise() -> RewriteExercise:
    return load_yaml("messages/rewrite_exercise.yaml", RewriteExercise)

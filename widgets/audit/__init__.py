"""Barrier audit and family survey analysis: rate, compare staff and families, plan actions."""

from widgets.audit.survey_view import survey_panel
from widgets.audit.view import (
    audit_rater,
    barrier_audit_app,
    framework_view,
    parent_questionnaire,
    plan_builder,
    team_view,
)

__all__ = [
    "audit_rater",
    "barrier_audit_app",
    "framework_view",
    "parent_questionnaire",
    "plan_builder",
    "survey_panel",
    "team_view",
]

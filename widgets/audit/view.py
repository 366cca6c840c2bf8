"""The barrier audit's pages, put together: rate, see the team, read by framework, plan, survey.

Each panel is its own thin view (:mod:`rater_view`, :mod:`team_view`, :mod:`plan_view`,
:mod:`survey_view`); they share one :class:`~widgets.audit.session.Session` per page. Rules,
store access and HTML live in :mod:`results`, :mod:`services` and :mod:`pages`. This module keeps
the names notebooks and tests import.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit.instrument import load_parent_version
from widgets.audit.pages import parent_page, parent_panel
from widgets.audit.plan_view import plan_builder
from widgets.audit.rater_view import audit_rater
from widgets.audit.session import Session, reset_sessions, session
from widgets.audit.team_view import framework_view, team_view
from widgets.ui import download_html, message, plain_error

__all__ = [
    "Session",
    "audit_rater",
    "barrier_audit_app",
    "framework_view",
    "parent_questionnaire",
    "plan_builder",
    "reset_sessions",
    "session",
    "team_view",
]


def parent_questionnaire(lang: str = "en") -> ipw.HTML:
    """The family version as a printable page (and a download), in English or French."""
    try:
        pv = load_parent_version(lang)
    except Exception as exc:
        return message(plain_error(exc), "error")
    link = download_html(
        parent_page(pv), f"family-survey-{pv.language}.html", "Printable questionnaire",
        "text/html",
    )  # fmt: skip
    return ipw.HTML(parent_panel(pv, link))


def barrier_audit_app(module: str = act.APP) -> ipw.VBox:
    """Everything on one page, for the app notebook."""
    from widgets.audit.survey_view import survey_panel

    return ipw.VBox(
        [
            audit_rater(module),
            team_view(module),
            framework_view(module),
            survey_panel(module),
            plan_builder(module),
        ]
    )

"""The team's pooled view (never below the workshop minimum) and results read by framework.

Thin: the team's scores come from :mod:`widgets.audit.services`, the HTML from
:mod:`widgets.audit.pages`, the regrouping by framework from :mod:`widgets.audit.frameworks`.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit import pages, services
from widgets.audit.frameworks import load_frameworks
from widgets.audit.instrument import load_instrument
from widgets.audit.results import team_item_scores
from widgets.audit.scoring import score_respondent
from widgets.audit.session import session
from widgets.html import render
from widgets.identity import Visitor, current_visitor, when_known
from widgets.privacy import TEAM_MIN_N, big_enough
from widgets.ui import UserFacingError, card, guarded, message, plain, plain_error

AUTO = ipw.Layout(width="auto")


def team_view(module: str = act.MODULE) -> ipw.VBox:
    """In a workshop, the team's aggregate (never below five people); alone, a short note."""
    status, out = ipw.HTML(), ipw.HTML()
    sess = session(module)
    button = ipw.Button(
        description="Show our team's results", button_style="primary", layout=AUTO, disabled=True
    )
    note = plain("Checking whether you are in a workshop…")

    @guarded(status)
    def _show(_b: object = None) -> None:
        v = current_visitor()
        if v.workshop is None:
            raise UserFacingError("Team results are only available in a workshop.")
        inst = load_instrument()
        sess.team = services.team_scores(v.workshop.id, sess.year, inst)
        out.value = pages.team_html(sess.team, inst, sess.year)
        if not big_enough(sess.team.respondents, TEAM_MIN_N):
            sess.team = None

    @guarded(status)
    def _fill(v: Visitor) -> None:
        if v.workshop is None:
            note.value = render("audit/team_alone.html")
            return
        note.value = render("audit/team_note.html", workshop=v.workshop.title, min_n=TEAM_MIN_N)
        button.disabled = False

    button.on_click(_show)
    when_known(_fill)
    return card([note, button, status, out], title="Our team's view")


def framework_view(module: str = act.MODULE) -> ipw.VBox:
    """The same ratings read by the dimensions of a framework (Australian or PTA)."""
    status, out = ipw.HTML(), ipw.HTML()
    try:
        inst = load_instrument()
        fws = load_frameworks(inst)
    except Exception as exc:
        return card([message(plain_error(exc), "error")], title="The framework view could not load")
    sess = session(module)
    which = ipw.Dropdown(
        options=[(f.short, f.id) for f in fws.frameworks],
        value=fws.frameworks[0].id,
        description="Framework",
        style={"description_width": "initial"},
    )
    which.add_class("pap-framework-choice")
    whose = ipw.Dropdown(
        options=[("my ratings", "mine"), ("our team's ratings", "team")],
        value="mine",
        description="Whose ratings",
        style={"description_width": "initial"},
    )
    show = ipw.Button(description="Show by framework", button_style="primary", layout=AUTO)

    @guarded(status)
    def _show(_b: object = None) -> None:
        out.value = ""  # never leave another source's result under a new question
        if whose.value == "team":
            if sess.team is None:
                raise UserFacingError(
                    "Show your team's results first (in a workshop, once five people have rated)."
                )
            scores, who = team_item_scores(sess.team), "team"
        else:
            if not sess.ratings:
                raise UserFacingError("Rate some items in the audit first.")
            scores, who = dict(score_respondent(sess.ratings, inst).items), "my ratings"
        out.value = pages.framework_html(scores, inst, fws.get(which.value), who)
        status.value = ""

    show.on_click(_show)
    intro = ipw.HTML(render("audit/framework_intro.html", frameworks=fws.frameworks))
    box = card(
        [
            intro,
            ipw.HBox([which, whose], layout=ipw.Layout(flex_flow="row wrap")),
            show,
            status,
            out,
        ],
        title="Results by framework",
    )
    box.add_class("pap-audit-frameworks")
    return box

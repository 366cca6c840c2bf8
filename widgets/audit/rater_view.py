"""The staff rating view: every item with what each level looks like, saved as it changes.

Thin: items and look-fors come from the instrument, store reads and writes from
:mod:`widgets.audit.services`, the profile's HTML from :mod:`widgets.audit.pages`.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as ipw
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from widgets.audit import actions as act
from widgets.audit import pages, services
from widgets.audit.instrument import load_instrument
from widgets.audit.scoring import DK, clean_ratings, score_respondent
from widgets.audit.session import session
from widgets.html import render
from widgets.identity import Visitor, current_visitor, when_known
from widgets.saving import show_save
from widgets.ui import UserFacingError, card, guarded, message, plain_error

AUTO = ipw.Layout(width="auto")


def audit_rater(module: str = act.MODULE) -> ipw.VBox:
    """Rate every item of the audit; saved as you go, with your profile on request."""
    status, profile = ipw.HTML(), ipw.HTML()
    try:
        inst = load_instrument()
    except Exception as exc:
        return card([message(plain_error(exc), "error")], title="The audit could not load")
    sess = session(module)
    labels = [(p.label, p.value) for p in inst.scale] + [(inst.dont_know, DK)]
    year = ipw.Dropdown(
        options=act.year_options(), value=sess.year, description="School year", disabled=True
    )
    year.add_class("pap-audit-year")
    progress = ipw.HTML()
    toggles: dict[str, ipw.ToggleButtons] = {}
    rows: list[ipw.Widget] = []
    # Shared Layout/Style models: each model is a round trip when the page opens (37 items would
    # otherwise bring over 250 of them).
    tb_style = ToggleButtonsStyle(button_width="auto")
    tb_layout = ipw.Layout(margin="0 0 4px 0")
    text_style, text_layout = HTMLStyle(), ipw.Layout()
    for d in inst.dimensions:
        rows.append(ipw.HTML(render("audit/dimension_head.html", title=d.title, intro=d.intro)))
        for it in d.items:
            tb = ipw.ToggleButtons(
                options=labels, value=None, disabled=True, style=tb_style, layout=tb_layout
            )
            tb.add_class("pap-audit-scale")
            tb.add_class(f"pap-item-{it.id}")
            toggles[it.id] = tb
            text = ipw.HTML(pages.item_html(inst, it.id), style=text_style, layout=text_layout)
            rows += [text, tb]
    show = ipw.Button(description="Show my profile", button_style="primary", layout=AUTO)
    loading = {"on": True}

    def _progress() -> None:
        progress.value = render(
            "audit/progress.html",
            n=len(sess.ratings),
            total=len(inst.items),
            dk=sum(1 for v in sess.ratings.values() if v == DK),
            year=sess.year,
        )

    def _apply(ratings: dict) -> None:
        loading["on"] = True
        try:
            sess.ratings = clean_ratings(ratings, inst)
            for k, tb in toggles.items():
                tb.value = sess.ratings.get(k)
        finally:
            loading["on"] = False
        _progress()

    @guarded(status)
    def _render_profile(_b: object = None) -> None:
        if not sess.ratings:
            raise UserFacingError("Rate at least one item first.")
        mine = score_respondent(sess.ratings, inst)
        v = current_visitor()
        prev_year = act.previous_year(services.saved_years(v.id, module), sess.year)
        before = (
            score_respondent(services.load_ratings(v.id, module, prev_year), inst)
            if prev_year
            else None
        )
        profile.value = pages.profile_html(
            mine, inst, sess.year, before=before, prev_year=prev_year
        )
        status.value = ""

    def _make_saver(v: Visitor, item_id: str) -> Callable[[dict], None]:
        @guarded(status)
        def _save(change: dict) -> None:
            if loading["on"]:
                return
            if change["new"] is None:
                sess.ratings.pop(item_id, None)
            else:
                sess.ratings[item_id] = change["new"]
            result = services.save_ratings(v, module, sess.year, sess.ratings)
            if not result.ok:
                show_save(status, result)
            elif status.value and "pap-saved" not in status.value:
                status.value = ""  # an earlier failure is over: this save committed
            _progress()

        return _save

    @guarded(status)
    def _fill(v: Visitor) -> None:
        _apply(services.load_ratings(v.id, module, sess.year))
        for k, tb in toggles.items():
            tb.observe(_make_saver(v, k), names="value")
            tb.disabled = False

        @guarded(status)
        def _year(change: dict) -> None:
            sess.set_year(change["new"])
            _apply(services.load_ratings(v.id, module, sess.year))
            profile.value = ""

        year.observe(_year, names="value")
        year.disabled = False

    show.on_click(_render_profile)
    _progress()
    when_known(_fill)
    intro = ipw.HTML(
        render(
            "audit/rater_intro.html",
            dont_know=inst.dont_know,
            levels=[p.label for p in inst.scale[1:]],
        )
    )
    box = card(
        [intro, year, progress, *rows, show, status, profile], title="Barrier audit: your ratings"
    )
    box.add_class("pap-audit-rater")
    return box

"""Views for the barrier audit: rate, see the profile, see the team, plan, analyse a family survey.

The pieces share one :class:`Session` per page (per module id), so the plan builder can propose
actions from the ratings just made or the survey just analysed, and the survey can be compared
with the staff ratings. Everything a user enters is saved through the store as it changes; raw
survey rows stay in the page's memory and only aggregate results are saved.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as ipw
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from widgets.audit import actions as act
from widgets.audit.instrument import (
    Instrument,
    load_actions,
    load_instrument,
    load_parent_version,
)
from widgets.audit.scoring import (
    DK,
    GroupScores,
    aggregate,
    clean_ratings,
    latest_ratings,
    score_respondent,
)
from widgets.identity import Visitor, current_visitor, when_known
from widgets.privacy import TEAM_MIN_N, big_enough
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    esc,
    guarded,
    message,
    message_html,
    plain_error,
    show_message,
)

_AUTO = ipw.Layout(width="auto")
_OTHER = {act.MODULE: act.APP, act.APP: act.MODULE}


@dataclass
class Session:
    """What the widgets of one page share."""

    module: str
    year: str = field(default_factory=act.school_year)
    ratings: dict[str, Any] = field(default_factory=dict)
    team: GroupScores | None = None
    survey_means: dict[str, float | None] | None = None  # audit items only
    survey_label: str = ""
    on_year: list[Callable[[str], None]] = field(default_factory=list)

    def set_year(self, year: str) -> None:
        if year != self.year:
            self.year = year
            for cb in list(self.on_year):
                cb(year)


_SESSIONS: dict[str, Session] = {}


def session(module: str) -> Session:
    if module not in _SESSIONS:
        _SESSIONS[module] = Session(module)
    return _SESSIONS[module]


def reset_sessions() -> None:
    """Forget page state (tests)."""
    _SESSIONS.clear()


def _load_ratings(pid: int, module: str, year: str) -> dict:
    """Ratings saved on this page, else those saved on the other audit page for the same year."""
    store = get_store()
    for m in (module, _OTHER.get(module)):
        if m is None:
            continue
        v = store.get(pid, m, act.ratings_key(year))
        if isinstance(v, dict) and isinstance(v.get("ratings"), dict) and v["ratings"]:
            return dict(v["ratings"])
    return {}


def _saved_years(pid: int, module: str) -> list[str]:
    store = get_store()
    years = set()
    for m in (module, _OTHER.get(module)):
        if m is None:
            continue
        for r in store.answers(participant_id=pid, module=m, item_prefix=act.RATINGS_PREFIX):
            if isinstance(r.value, dict) and r.value.get("ratings"):
                years.add(r.item[len(act.RATINGS_PREFIX) :])
    return sorted(years)


def _dim_titles(inst: Instrument) -> dict[str, str]:
    return {d.id: d.title for d in inst.dimensions}


def _weak_list_html(inst: Instrument, weak: list[tuple[str, float | None]]) -> str:
    if not weak:
        return ""
    lis = "".join(
        f"<li>{esc(inst.item(i).text)} <small>({esc(inst.dimension_of(i).title)}, score "
        f"{'–' if s is None else f'{s:.0f}'})</small></li>"
        for i, s in weak
    )
    return (
        f"<p style='margin:8px 0 2px'><b>Weakest items</b></p><ol class='pap-audit-weak'>{lis}</ol>"
    )


# -- rating -----------------------------------------------------------------------------------------
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
    # Shared Layout/Style models: each model is a round trip when the page opens (29 items would
    # otherwise bring over 200 of them).
    tb_style = ToggleButtonsStyle(button_width="auto")
    tb_layout = ipw.Layout(margin="0 0 4px 0")
    text_style, text_layout = HTMLStyle(), ipw.Layout()
    for d in inst.dimensions:
        rows.append(
            ipw.HTML(
                f"<h4 style='margin:14px 0 2px;color:#1f5fa8'>{esc(d.title)}</h4>"
                f"<div style='color:#555;font-size:.92em'>{esc(d.intro)}</div>"
            )
        )
        for it in d.items:
            tb = ipw.ToggleButtons(
                options=labels, value=None, disabled=True, style=tb_style, layout=tb_layout
            )
            tb.add_class("pap-audit-scale")
            tb.add_class(f"pap-item-{it.id}")
            toggles[it.id] = tb
            text = ipw.HTML(
                f"<div style='margin-top:6px'>{esc(it.text)}</div>"
                + (
                    f"<div style='color:#666;font-size:.85em'>Evidence: {esc(it.evidence)}</div>"
                    if it.evidence
                    else ""
                ),
                style=text_style,
                layout=text_layout,
            )
            rows += [text, tb]
    show = ipw.Button(description="Show my profile", button_style="primary", layout=_AUTO)
    loading = {"on": True}

    def _progress() -> None:
        n = len(sess.ratings)
        dk = sum(1 for v in sess.ratings.values() if v == DK)
        progress.value = (
            f"<div class='pap-audit-progress'>Rated {n} of {len(inst.items)} items"
            f"{f' ({dk} don’t know)' if dk else ''} for {esc(sess.year)}.</div>"
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
        from widgets.audit.charts import profile_chart

        if not sess.ratings:
            raise UserFacingError("Rate at least one item first.")
        mine = score_respondent(sess.ratings, inst)
        titles = _dim_titles(inst)
        scores = [(titles[k], v) for k, v in mine.dimensions.items()]
        v = current_visitor()
        prev_year = act.previous_year(_saved_years(v.id, module), sess.year)
        compare = None
        note = ""
        if prev_year:
            before = score_respondent(_load_ratings(v.id, module, prev_year), inst)
            compare = [before.dimensions[k] for k in mine.dimensions]
            note = (
                f"<p class='pap-audit-compare'>Compared with your audit for {esc(prev_year)} "
                "(grey bars).</p>"
            )
        chart = profile_chart(
            scores,
            label=sess.year,
            compare=compare,
            compare_label=prev_year or "",
            title=f"Your profile, {sess.year}",
        )
        weak = sorted(mine.items.items(), key=lambda kv: (kv[1], kv[0]))[:5]
        dk = (
            f"<p><small>Marked “don’t know” (not counted in scores): "
            f"{esc(', '.join(inst.item(i).text for i in mine.dont_know))}</small></p>"
            if mine.dont_know
            else ""
        )
        profile.value = (
            f"<div class='pap-audit-profile'>{note}{chart.html('pap-chart pap-profile-chart')}"
            f"{_weak_list_html(inst, weak)}{dk}</div>"
        )
        status.value = ""

    def _make_saver(v: Visitor, item_id: str) -> Callable[[dict], None]:
        @guarded(status)
        def _save(change: dict) -> None:
            if loading["on"]:
                return
            new = change["new"]
            if new is None:
                sess.ratings.pop(item_id, None)
            else:
                sess.ratings[item_id] = new
            get_store().save(v.id, module, act.ratings_key(sess.year), {"ratings": sess.ratings})
            _progress()

        return _save

    @guarded(status)
    def _fill(v: Visitor) -> None:
        _apply(_load_ratings(v.id, module, sess.year))
        for k, tb in toggles.items():
            tb.observe(_make_saver(v, k), names="value")
            tb.disabled = False

        @guarded(status)
        def _year(change: dict) -> None:
            sess.set_year(change["new"])
            _apply(_load_ratings(v.id, module, sess.year))
            profile.value = ""

        year.observe(_year, names="value")
        year.disabled = False

    show.on_click(_render_profile)
    _progress()
    when_known(_fill)
    intro = ipw.HTML(
        "<p>Rate each statement for your school as it is now, not as it should be. Choose "
        f"“{esc(inst.dont_know)}” when you cannot say: it is kept apart and does not pull the score "
        "down. Your ratings are saved as you go.</p>"
    )
    box = card(
        [intro, year, progress, *rows, show, status, profile], title="Barrier audit: your ratings"
    )
    box.add_class("pap-audit-rater")
    return box


# -- team ------------------------------------------------------------------------------------------
def team_scores(workshop_id: int, year: str, inst: Instrument) -> GroupScores:
    """The workshop team's ratings for a year (each member once, latest answers)."""
    rows = []
    store = get_store()
    for m in (act.MODULE, act.APP):
        rows += store.answers(workshop_id=workshop_id, module=m, item_prefix=act.ratings_key(year))
    rows = [r for r in rows if r.item == act.ratings_key(year)]
    return aggregate(latest_ratings(rows).values(), inst)


def team_html(scores: GroupScores, inst: Instrument, year: str, min_n: int = TEAM_MIN_N) -> str:
    """Team aggregate as charts, or a plain note when too few have rated to show anything."""
    from widgets.audit.charts import diverging_chart, profile_chart

    if not big_enough(scores.respondents, min_n):
        return message_html(
            f"{scores.respondents} team member(s) have rated the audit for {year}. Results appear "
            f"once at least {min_n} have, so that no one's ratings can be picked out.",
            "info",
            title="Not enough ratings yet",
        )
    titles = _dim_titles(inst)
    dims = [(titles[k], v.mean if big_enough(v.n, min_n) else None) for k, v in scores.dimensions.items()]
    prof = profile_chart(
        dims, label="Team", title=f"Team profile, {year} ({scores.respondents} people)"
    )
    shown = [s for s in scores.items.values() if big_enough(s.n, min_n)]
    div = diverging_chart(
        [
            (inst.item(s.item_id).text, [s.counts[p] for p in range(1, inst.points + 1)])
            for s in shown
        ],
        [p.label for p in inst.scale],
        dont_know=[s.dont_know for s in shown],
        title="How the team rated each item",
    )
    hidden = len(scores.items) - len(shown)
    split = [s for s in shown if s.disagreement]
    split_html = (
        "<p><b>Where the team disagrees</b> (worth discussing before planning):</p><ul>"
        + "".join(f"<li>{esc(inst.item(s.item_id).text)}</li>" for s in split)
        + "</ul>"
        if split
        else "<p>No item shows a strong split in the team.</p>"
    )
    weak = [(s.item_id, s.mean) for s in scores.weakest(5, min_n)]
    return (
        f"<div class='pap-audit-team'>{prof.html('pap-chart pap-team-chart')}"
        f"{_weak_list_html(inst, weak)}{split_html}{div.html('pap-chart pap-team-items')}"
        + (
            f"<p><small>{hidden} item(s) are not shown because fewer than {min_n} people rated "
            "them on the scale.</small></p>"
            if hidden
            else ""
        )
        + "</div>"
    )


def team_view(module: str = act.MODULE) -> ipw.VBox:
    """In a workshop, the team's aggregate (never below five people); alone, a short note."""
    status, out = ipw.HTML(), ipw.HTML()
    sess = session(module)
    button = ipw.Button(
        description="Show our team's results", button_style="primary", layout=_AUTO, disabled=True
    )
    note = ipw.HTML("<p>Checking whether you are in a workshop…</p>")

    @guarded(status)
    def _show(_b: object = None) -> None:
        v = current_visitor()
        if v.workshop is None:
            raise UserFacingError("Team results are only available in a workshop.")
        inst = load_instrument()
        sess.team = team_scores(v.workshop.id, sess.year, inst)
        out.value = team_html(sess.team, inst, sess.year)
        if not big_enough(sess.team.respondents, TEAM_MIN_N):
            sess.team = None

    @guarded(status)
    def _fill(v: Visitor) -> None:
        if v.workshop is None:
            note.value = (
                "<p>You are working on your own record. In a workshop, this panel shows the "
                "whole team's ratings together (once at least five people have rated), so you can "
                "compare your view with your colleagues'.</p>"
            )
            return
        note.value = (
            f"<p>Workshop: <b>{esc(v.workshop.title)}</b>. Results are anonymous and appear once "
            f"at least {TEAM_MIN_N} people have rated.</p>"
        )
        button.disabled = False

    button.on_click(_show)
    when_known(_fill)
    return card([note, button, status, out], title="Our team's view")


# -- action plan -----------------------------------------------------------------------------------
def plan_builder(module: str = act.MODULE) -> ipw.VBox:
    """Proposed actions for the weakest items; the team keeps, edits and assigns them; exports."""
    status, proposals_box, links, last_year = ipw.HTML(), ipw.VBox([]), ipw.HTML(), ipw.HTML()
    links.add_class("pap-plan-links")
    try:
        inst, lib = load_instrument(), load_actions()
    except Exception as exc:
        return card([message(plain_error(exc), "error")], title="The plan builder could not load")
    sess = session(module)
    source = ipw.Dropdown(
        options=[
            ("my ratings", "mine"),
            ("our team's ratings", "team"),
            ("the family survey", "survey"),
        ],
        value="mine",
        description="Weakest items from",
        style={"description_width": "initial"},
    )
    how_many = ipw.BoundedIntText(
        value=4,
        min=1,
        max=12,
        description="How many items",
        style={"description_width": "initial"},
        layout=ipw.Layout(width="180px"),
    )
    propose_btn = ipw.Button(description="Propose actions", button_style="primary", layout=_AUTO)
    add_btn = ipw.Button(description="Add chosen actions to the plan", layout=_AUTO)
    own_btn = ipw.Button(description="Add an action of our own", layout=_AUTO)
    export_btn = ipw.Button(description="Export the plan", button_style="success", layout=_AUTO)
    school = ipw.Text(description="School", placeholder="school name for the printout")
    rows_box = ipw.VBox([])
    rows_box.add_class("pap-plan-rows")
    plan: list[act.PlanRow] = []
    checks: list[tuple[ipw.Checkbox, act.Proposal]] = []
    state: dict[str, Any] = {"visitor": None, "loading": False}

    def _save() -> None:
        v = state["visitor"]
        if v is None or state["loading"]:
            return
        get_store().save(
            v.id,
            module,
            act.plan_key(sess.year),
            {"rows": [r.model_dump() for r in plan], "school": school.value.strip()[:120]},
        )

    def _row_widget(k: int, r: act.PlanRow) -> ipw.Widget:
        what = ipw.Text(value=r.action, description="Action", layout=ipw.Layout(width="98%"))
        owner = ipw.Text(value=r.owner, description="Who", placeholder="name or role")
        due = ipw.DatePicker(
            value=_dt.date.fromisoformat(r.due) if r.due else None, description="By when"
        )
        measure = ipw.Text(
            value=r.measure,
            description="Success measure",
            style={"description_width": "initial"},
            layout=ipw.Layout(width="98%"),
        )
        notes = ipw.Text(value=r.notes, description="Notes", layout=ipw.Layout(width="98%"))
        remove = ipw.Button(description="Remove", layout=_AUTO)
        for w, cls in ((what, "action"), (owner, "owner"), (due, "due"), (measure, "measure")):
            w.add_class(f"pap-plan-{cls}")

        @guarded(status)
        def _changed(_c: dict) -> None:
            try:
                plan[k] = act.PlanRow(
                    item_id=r.item_id,
                    action_id=r.action_id,
                    action=what.value or " ",
                    owner=owner.value,
                    due=due.value.isoformat() if due.value else "",
                    measure=measure.value,
                    notes=notes.value,
                )
            except Exception:  # noqa: BLE001 - keep what was typed; say what to fix
                show_message(
                    status, "Each action needs a description (up to 300 characters).", "warning"
                )
                return
            _save()
            links.value = ""

        for w in (what, owner, due, measure, notes):
            w.observe(_changed, names="value")

        @guarded(status)
        def _remove(_b: object) -> None:
            plan.pop(k)
            _save()
            _draw()

        remove.on_click(_remove)
        for_item = (
            f"<small style='color:#555'>For: {esc(inst.item(r.item_id).text)}</small>"
            if r.item_id in {i.id for i in inst.items}
            else "<small style='color:#555'>An action of your own</small>"
        )
        box = ipw.VBox(
            [
                ipw.HTML(f"<b>{k + 1}.</b> {for_item}"),
                what,
                ipw.HBox([owner, due], layout=ipw.Layout(flex_flow="row wrap")),
                measure,
                notes,
                ipw.HBox([remove]),
            ],
            layout=ipw.Layout(border="1px solid #e1e4e8", padding="6px", margin="4px 0"),
        )
        box.add_class("pap-plan-row")
        return box

    def _draw() -> None:
        rows_box.children = (
            [_row_widget(k, r) for k, r in enumerate(plan)]
            if plan
            else [ipw.HTML("<p>No actions in the plan yet.</p>")]
        )
        links.value = ""

    def _weak() -> list[tuple[str, float | None]]:
        k = how_many.value
        if source.value == "mine":
            if not sess.ratings:
                raise UserFacingError(
                    "Rate some items in the audit first, or choose another source."
                )
            mine = score_respondent(sess.ratings, inst)
            return sorted(mine.items.items(), key=lambda kv: (kv[1], kv[0]))[:k]
        if source.value == "team":
            if sess.team is None:
                raise UserFacingError(
                    "Show your team's results first (in a workshop, once five people have rated)."
                )
            return [(s.item_id, s.mean) for s in sess.team.weakest(k, TEAM_MIN_N)]
        if not sess.survey_means:
            raise UserFacingError("Analyse a family survey first, or choose another source.")
        rated = [(i, m) for i, m in sess.survey_means.items() if m is not None]
        return sorted(rated, key=lambda x: (x[1], x[0]))[:k]

    @guarded(status)
    def _propose(_b: object) -> None:
        weak = _weak()
        if not weak:
            raise UserFacingError("There is nothing rated on the scale to propose actions for.")
        props = act.propose(weak, inst, lib)
        checks.clear()
        kids: list[ipw.Widget] = []
        for p in props:
            cb = ipw.Checkbox(
                value=p.direct,
                description=p.action.title,
                indent=False,
                layout=ipw.Layout(width="auto"),
            )
            cb.add_class("pap-proposal")
            checks.append((cb, p))
            score = "" if p.score is None else f" (score {p.score:.0f})"
            kids.append(
                ipw.VBox(
                    [
                        cb,
                        ipw.HTML(
                            f"<div style='margin:-4px 0 6px 24px;font-size:.9em;color:#444'>"
                            f"{esc(p.action.detail)}<br><i>For: {esc(p.item_text)}{score}</i></div>"
                        ),
                    ]
                )
            )
        proposals_box.children = kids
        show_message(
            status,
            f"{len(props)} actions proposed for {len(weak)} items. Tick the ones to keep, then add "
            "them to the plan.",
            "info",
        )

    @guarded(status)
    def _add(_b: object) -> None:
        chosen = [p for cb, p in checks if cb.value]
        if not chosen:
            raise UserFacingError("Tick at least one proposed action first.")
        have = {r.action_id for r in plan if r.action_id}
        new = [act.row_from_proposal(p) for p in chosen if p.action.id not in have]
        plan.extend(new)
        _save()
        _draw()
        proposals_box.children = []
        checks.clear()
        show_message(
            status,
            f"Added {len(new)} action(s). Give each one an owner, a date and a success measure.",
            "success",
        )

    @guarded(status)
    def _own(_b: object) -> None:
        plan.append(act.PlanRow(action="Describe the action"))
        _save()
        _draw()

    @guarded(status)
    def _export(_b: object) -> None:
        if not plan:
            raise UserFacingError("Add at least one action before exporting.")
        from widgets.audit.charts import profile_chart

        chart_uri, chart_alt = "", ""
        if sess.ratings:
            mine = score_respondent(sess.ratings, inst)
            titles = _dim_titles(inst)
            ch = profile_chart(
                [(titles[k], v) for k, v in mine.dimensions.items()],
                title=f"Audit profile, {sess.year}",
            )
            chart_uri, chart_alt = ch.data_uri, ch.alt
        page = act.plan_to_html(
            plan,
            inst,
            school=school.value.strip(),
            year=sess.year,
            profile_png_uri=chart_uri,
            profile_alt=chart_alt,
        )
        stem = f"action-plan-{sess.year}"
        links.value = download_html(page, f"{stem}.html", "Printable plan (HTML)", "text/html") + (
            download_html(
                act.plan_to_csv(plan, inst), f"{stem}.csv", "Spreadsheet (CSV)", "text/csv"
            )
        )
        _save()
        missing = act.missing_fields(plan)
        if missing:
            show_message(
                status, "Exported. Still to decide: " + "; ".join(missing) + ".", "warning"
            )
        else:
            show_message(
                status, "Exported. The plan is also saved for next year's audit.", "success"
            )

    def _load_year(v: Visitor) -> None:
        state["loading"] = True
        try:
            saved = get_store().get(v.id, module, act.plan_key(sess.year))
            plan[:] = act.parse_plan(saved)
            if isinstance(saved, dict) and saved.get("school"):
                school.value = str(saved["school"])
        finally:
            state["loading"] = False
        _draw()
        prev = act.previous_year(
            [
                r.item[len(act.PLAN_PREFIX) :]
                for r in get_store().answers(
                    participant_id=v.id, module=module, item_prefix=act.PLAN_PREFIX
                )
            ],
            sess.year,
        )
        if prev:
            old = act.parse_plan(get_store().get(v.id, module, act.plan_key(prev)))
            last_year.value = (
                f"<details class='pap-plan-last'><summary>Last plan ({esc(prev)}): "
                f"{len(old)} action(s). Check what was done before planning again.</summary><ul>"
                + "".join(
                    f"<li>{esc(r.action)}{' (' + esc(r.owner) + ')' if r.owner else ''}"
                    f"{' by ' + esc(r.due) if r.due else ''}</li>"
                    for r in old
                )
                + "</ul></details>"
            )
        else:
            last_year.value = ""

    @guarded(status)
    def _fill(v: Visitor) -> None:
        state["visitor"] = v
        _load_year(v)
        sess.on_year.append(lambda _y: _load_year(v))
        school.observe(lambda _c: _save(), names="value")
        for b in (propose_btn, add_btn, own_btn, export_btn):
            b.disabled = False

    for b in (propose_btn, add_btn, own_btn, export_btn):
        b.disabled = True
    propose_btn.on_click(_propose)
    add_btn.on_click(_add)
    own_btn.on_click(_own)
    export_btn.on_click(_export)
    _draw()
    when_known(_fill)
    box = card(
        [
            ipw.HTML(
                "<p>The kit proposes actions for your weakest items from its library of "
                "mitigations. Keep the ones that fit, edit them, and give each an owner, a date "
                "and a way to tell whether it worked.</p>"
            ),
            ipw.HBox([source, how_many], layout=ipw.Layout(flex_flow="row wrap")),
            propose_btn,
            proposals_box,
            ipw.HBox([add_btn, own_btn]),
            status,
            last_year,
            rows_box,
            ipw.HBox([school, export_btn], layout=ipw.Layout(flex_flow="row wrap")),
            links,
        ],
        title="Action plan",
    )
    box.add_class("pap-audit-plan")
    return box


# -- family questionnaire --------------------------------------------------------------------------
def parent_questionnaire(lang: str = "en") -> ipw.HTML:
    """The family version as a printable page (and a download), in English or French."""
    try:
        pv = load_parent_version(lang)
    except Exception as exc:
        return message(plain_error(exc), "error")
    head = "".join(f"<th style='padding:2px 6px'>{esc(s.label)}</th>" for s in pv.scale)
    rows = "".join(
        f"<tr><td style='padding:4px 6px'>{esc(i.text)}</td>"
        + "<td style='text-align:center'>☐</td>" * (len(pv.scale) + 1)
        + "</tr>"
        for i in pv.items
    )
    table = (
        f"<h3>{esc(pv.title)}</h3><p>{esc(pv.intro)}</p><table border='1' "
        f"style='border-collapse:collapse'><tr><th></th>{head}<th>{esc(pv.dont_know)}</th></tr>"
        f"{rows}</table>"
    )
    page = (
        f"<!doctype html><html lang='{esc(pv.language)}'><meta charset='utf-8'><title>"
        f"{esc(pv.title)}</title><body style='font-family:system-ui,sans-serif;max-width:50em;"
        f"margin:2em auto'>{table}</body></html>"
    )
    link = download_html(
        page, f"family-survey-{pv.language}.html", "Printable questionnaire", "text/html"
    )
    return ipw.HTML(
        f"<details class='pap-parent-version'><summary>Family questionnaire "
        f"({esc(pv.language.upper())}): {len(pv.items)} questions</summary>{table}</details>{link}"
    )


def barrier_audit_app(module: str = act.APP) -> ipw.VBox:
    """Everything on one page, for the app notebook."""
    from widgets.audit.survey_view import survey_panel

    return ipw.VBox(
        [audit_rater(module), team_view(module), survey_panel(module), plan_builder(module)]
    )

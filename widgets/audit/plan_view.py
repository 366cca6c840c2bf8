"""The action plan view: proposals for the weakest items, the team's edits, mid-year review, export.

Thin: which items are weakest is :func:`widgets.audit.results.weakest`, proposals and the plan's
rules are :mod:`widgets.audit.actions`, reads and saves are :mod:`widgets.audit.services` (saves
through ``save_answer``), HTML is :mod:`widgets.audit.pages` and its templates.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit import pages, services
from widgets.audit.instrument import load_actions, load_instrument
from widgets.audit.results import NothingToRank, dim_titles, weakest
from widgets.audit.scoring import score_respondent
from widgets.audit.session import session
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.saving import show_save
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    guarded,
    message,
    plain,
    plain_error,
    show_message,
)

AUTO = ipw.Layout(width="auto")
WIDE = ipw.Layout(width="98%")
INITIAL = {"description_width": "initial"}


def _date_value(iso: str) -> _dt.date | None:
    return _dt.date.fromisoformat(iso) if iso else None


def plan_builder(module: str = act.MODULE) -> ipw.VBox:
    """Proposed actions for the weakest items; the team keeps, edits, assigns, reviews, exports."""
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
        style=INITIAL,
    )
    how_many = ipw.BoundedIntText(
        value=4, min=1, max=12, description="How many items", style=INITIAL,
        layout=ipw.Layout(width="180px"),
    )  # fmt: skip
    propose_btn = ipw.Button(description="Propose actions", button_style="primary", layout=AUTO)
    add_btn = ipw.Button(description="Add chosen actions to the plan", layout=AUTO)
    own_btn = ipw.Button(description="Add an action of our own", layout=AUTO)
    export_btn = ipw.Button(description="Export the plan", button_style="success", layout=AUTO)
    school = ipw.Text(description="School", placeholder="school name for the printout")
    goal = ipw.Text(
        description="School-improvement goal",
        placeholder="the goal in your school improvement plan these actions serve",
        style=INITIAL,
        layout=WIDE,
    )
    goal.add_class("pap-plan-goal")
    review = ipw.DatePicker(description="Mid-year review on", style=INITIAL)
    review.add_class("pap-plan-review")
    rows_box = ipw.VBox([])
    rows_box.add_class("pap-plan-rows")
    plan = act.Plan()
    checks: list[tuple[ipw.Checkbox, act.Proposal]] = []
    state: dict[str, Any] = {"visitor": None, "loading": False}

    def _save() -> bool:
        """Save the plan; False (with the cause shown) when the store did not confirm it."""
        v = state["visitor"]
        if v is None or state["loading"]:
            return True
        plan.school = school.value.strip()[:120]
        plan.goal = goal.value.strip()[:200]
        plan.review_date = review.value.isoformat() if review.value else ""
        problems = act.review_problems(plan, sess.year)
        result = services.save_plan(v, module, sess.year, plan)
        if not result.ok:
            show_save(status, result)
        elif problems:
            show_message(status, "Saved, but: " + "; ".join(problems) + ".", "warning")
        else:
            show_save(status, result)
        return result.ok

    def _row_widget(k: int, r: act.PlanRow) -> ipw.Widget:
        what = ipw.Text(value=r.action, description="Action", layout=WIDE)
        row_goal = ipw.Text(
            value=r.goal, description="Goal it serves", placeholder="blank = the plan's goal",
            style=INITIAL, layout=WIDE,
        )  # fmt: skip
        owner = ipw.Text(value=r.owner, description="Who", placeholder="name or role")
        due = ipw.DatePicker(value=_date_value(r.due), description="By when")
        budget = ipw.Text(value=r.budget, description="Budget", placeholder="e.g. £150, or none")
        measure = ipw.Text(
            value=r.measure, description="Success measure", style=INITIAL, layout=WIDE
        )
        notes = ipw.Text(value=r.notes, description="Notes", layout=WIDE)
        status_dd = ipw.Dropdown(
            options=[(w, k_) for k_, w in act.STATUS_WORDS.items()],
            value=r.progress_status,
            description="Mid-year: where it stands",
            style=INITIAL,
        )
        progress = ipw.Textarea(
            value=r.progress, description="Mid-year progress",
            placeholder="what has happened, the evidence, what changes now",
            style=INITIAL, layout=ipw.Layout(width="98%", height="4em"),
        )  # fmt: skip
        remove = ipw.Button(description="Remove", layout=AUTO)
        for w, cls in (
            (what, "action"), (row_goal, "row-goal"), (owner, "owner"), (due, "due"),
            (budget, "budget"), (measure, "measure"), (status_dd, "status"),
            (progress, "progress"),
        ):  # fmt: skip
            w.add_class(f"pap-plan-{cls}")

        @guarded(status)
        def _changed(_c: dict) -> None:
            try:
                plan.rows[k] = act.PlanRow(
                    item_id=r.item_id,
                    action_id=r.action_id,
                    action=what.value or " ",
                    goal=row_goal.value,
                    owner=owner.value,
                    due=due.value.isoformat() if due.value else "",
                    budget=budget.value,
                    measure=measure.value,
                    notes=notes.value,
                    progress_status=status_dd.value,
                    progress=progress.value,
                )
            except Exception:  # noqa: BLE001 - keep what was typed; say what to fix
                show_message(
                    status,
                    "Not saved: each action needs a description (up to 300 characters), a budget "
                    "of up to 80 characters and mid-year progress of up to 1,000. Your text is "
                    "still in the box.",
                    "warning",
                )
                return
            _save()
            links.value = ""

        for w in (what, row_goal, owner, due, budget, measure, notes, status_dd, progress):
            w.observe(_changed, names="value")

        @guarded(status)
        def _remove(_b: object) -> None:
            plan.rows.pop(k)
            _save()
            _draw()

        remove.on_click(_remove)
        item_text = inst.item(r.item_id).text if r.item_id in {i.id for i in inst.items} else ""
        review_box = ipw.VBox([status_dd, progress])
        review_box.add_class("pap-plan-midyear")
        box = ipw.VBox(
            [
                ipw.HTML(render("audit/plan_row_head.html", k=k + 1, item_text=item_text)),
                what,
                row_goal,
                ipw.HBox([owner, due, budget], layout=ipw.Layout(flex_flow="row wrap")),
                measure,
                notes,
                review_box,
                ipw.HBox([remove]),
            ],
            layout=ipw.Layout(border="1px solid #e1e4e8", padding="6px", margin="4px 0"),
        )
        box.add_class("pap-plan-row")
        return box

    def _draw() -> None:
        rows_box.children = (
            [_row_widget(k, r) for k, r in enumerate(plan.rows)]
            if plan.rows
            else [plain("No actions in the plan yet.")]
        )
        links.value = ""

    @guarded(status)
    def _propose(_b: object) -> None:
        try:
            weak = weakest(
                source.value,
                how_many.value,
                ratings=sess.ratings,
                team=sess.team,
                survey_means=sess.survey_means,
                inst=inst,
            )
        except NothingToRank as exc:
            raise UserFacingError(str(exc)) from None
        if not weak:
            raise UserFacingError("There is nothing rated on the scale to propose actions for.")
        props = act.propose(weak, inst, lib)
        checks.clear()
        kids: list[ipw.Widget] = []
        for p in props:
            cb = ipw.Checkbox(value=p.direct, description=p.action.title, indent=False, layout=AUTO)
            cb.add_class("pap-proposal")
            checks.append((cb, p))
            detail = render(
                "audit/proposal.html", detail=p.action.detail, item_text=p.item_text, score=p.score
            )
            kids.append(ipw.VBox([cb, ipw.HTML(detail)]))
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
        have = {r.action_id for r in plan.rows if r.action_id}
        new = [act.row_from_proposal(p) for p in chosen if p.action.id not in have]
        plan.rows.extend(new)
        _save()
        _draw()
        proposals_box.children = []
        checks.clear()
        show_message(
            status,
            f"Added {len(new)} action(s). Give each one a goal, an owner, a date, a budget and a "
            "success measure.",
            "success",
        )

    @guarded(status)
    def _own(_b: object) -> None:
        plan.rows.append(act.PlanRow(action="Describe the action"))
        _save()
        _draw()

    @guarded(status)
    def _export(_b: object) -> None:
        if not plan.rows:
            raise UserFacingError("Add at least one action before exporting.")
        from widgets.audit.charts import profile_chart

        chart_uri, chart_alt = "", ""
        if sess.ratings:
            mine = score_respondent(sess.ratings, inst)
            titles = dim_titles(inst)
            ch = profile_chart(
                [(titles[k], v) for k, v in mine.dimensions.items()],
                title=f"Audit profile, {sess.year}",
            )
            chart_uri, chart_alt = ch.data_uri, ch.alt
        saved = _save()
        page = act.plan_to_html(
            plan.rows, inst, school=plan.school, year=sess.year, profile_png_uri=chart_uri,
            profile_alt=chart_alt, plan=plan,
        )  # fmt: skip
        stem = f"action-plan-{sess.year}"
        links.value = download_html(page, f"{stem}.html", "Printable plan (HTML)", "text/html") + (
            download_html(
                act.plan_to_csv(plan.rows, inst, plan), f"{stem}.csv", "Spreadsheet (CSV)",
                "text/csv",
            )
        )  # fmt: skip
        if not saved:
            return  # the failed save's message stays: the plan is exported but not saved
        missing = act.missing_fields(plan.rows, plan) + act.review_problems(plan, sess.year)
        if missing:
            show_message(
                status, "Exported. Still to decide: " + "; ".join(missing) + ".", "warning"
            )
        else:
            show_message(
                status, "Exported. The plan is also saved for the mid-year review.", "success"
            )

    def _load_year(v: Visitor) -> None:
        state["loading"] = True
        try:
            saved = services.load_plan(v.id, module, sess.year)
            plan.rows[:] = saved.rows
            school.value, goal.value = saved.school, saved.goal
            review.value = _date_value(saved.review_date)
        finally:
            state["loading"] = False
        _draw()
        if saved.unreadable:
            show_message(
                status,
                f"{saved.unreadable} saved part(s) of this year's plan could not be read (edited "
                "by hand or saved by an older version) and are left out. Check the plan below "
                "and add what is missing; saving now keeps only what you see.",
                "warning",
            )
        prev = services.previous_plan(v.id, module, sess.year)
        last_year.value = pages.last_plan_html(*prev) if prev else ""

    @guarded(status)
    def _fill(v: Visitor) -> None:
        state["visitor"] = v
        _load_year(v)
        sess.on_year.append(lambda _y: _load_year(v))
        for w in (school, goal, review):
            w.observe(guarded(status)(lambda _c: _save()), names="value")
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
            ipw.HTML(render("audit/plan_intro.html")),
            ipw.HBox([school, review], layout=ipw.Layout(flex_flow="row wrap")),
            goal,
            ipw.HBox([source, how_many], layout=ipw.Layout(flex_flow="row wrap")),
            propose_btn,
            proposals_box,
            ipw.HBox([add_btn, own_btn]),
            status,
            last_year,
            rows_box,
            export_btn,
            links,
        ],
        title="Action plan",
    )
    box.add_class("pap-audit-plan")
    return box

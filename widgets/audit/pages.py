"""The audit's HTML pieces, built from templates (no widgets, no store: tested without a kernel).

Views put these strings into ``ipw.HTML``; every value passes through a Jinja2 template with
autoescape (:mod:`widgets.html`), so a hostile column heading or plan owner stays text.
"""

from __future__ import annotations

from typing import Any

from widgets.audit import actions as act
from widgets.audit.charts import diverging_chart, gap_chart, profile_chart
from widgets.audit.frameworks import Framework, by_framework
from widgets.audit.instrument import Instrument, ParentVersion
from widgets.audit.results import BANDS, Weak, band, dim_titles, lowest, weak_rows
from widgets.audit.scoring import GroupScores, RespondentScores, gaps
from widgets.audit.suppression import COMPLEMENTARY, TOTAL, shown_count
from widgets.html import Markup, render
from widgets.privacy import TEAM_MIN_N, big_enough
from widgets.ui import message_html

AMBER = "color:#7a4a00;background:#fff4d6;padding:0 4px;border-radius:3px"


def item_html(inst: Instrument, item_id: str) -> str:
    """An item as staff rate it: the statement, the evidence, and what each level looks like."""
    from widgets.audit.results import look_for_levels

    return render(
        "audit/rater_item.html", item=inst.item(item_id), levels=look_for_levels(inst, item_id)
    )


def profile_html(
    mine: RespondentScores,
    inst: Instrument,
    year: str,
    *,
    before: RespondentScores | None = None,
    prev_year: str | None = None,
) -> str:
    """A person's profile: bars per area (against last year if any), weakest items, don't-knows."""
    titles = dim_titles(inst)
    chart = profile_chart(
        [(titles[k], v) for k, v in mine.dimensions.items()],
        label=year,
        compare=[before.dimensions[k] for k in mine.dimensions] if before else None,
        compare_label=prev_year or "",
        title=f"Your profile, {year}",
    )
    return render(
        "audit/profile.html",
        prev_year=prev_year if before else None,
        chart=Markup(chart.html("pap-chart pap-profile-chart")),
        weak=weak_rows(inst, lowest(mine.items, 5)),
        dont_know=[inst.item(i).text for i in mine.dont_know],
    )


def team_html(scores: GroupScores, inst: Instrument, year: str, min_n: int = TEAM_MIN_N) -> str:
    """Team aggregate as charts, or a plain note when too few have rated to show anything."""
    if not big_enough(scores.respondents, min_n):
        return message_html(
            f"{scores.respondents} team member(s) have rated the audit for {year}. Results appear "
            f"once at least {min_n} have, so that no one's ratings can be picked out.",
            "info",
            title="Not enough ratings yet",
        )
    titles = dim_titles(inst)
    dims = [
        (titles[k], v.mean if big_enough(v.n, min_n) else None)
        for k, v in scores.dimensions.items()
    ]
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
    weak: Weak = [(s.item_id, s.mean) for s in scores.weakest(5, min_n)]
    return render(
        "audit/team.html",
        profile_chart=Markup(prof.html("pap-chart pap-team-chart")),
        weak=weak_rows(inst, weak),
        split=[inst.item(s.item_id).text for s in shown if s.disagreement],
        items_chart=Markup(div.html("pap-chart pap-team-items")),
        hidden=len(scores.items) - len(shown),
        min_n=min_n,
    )


def framework_html(
    item_scores: dict[str, float | None], inst: Instrument, fw: Framework, who: str
) -> str:
    """Results regrouped by the dimensions of one framework, as a chart, a table and item lists."""
    rows = by_framework(item_scores, inst, fw)
    chart = profile_chart([(r.title, r.score) for r in rows], label=who, title=f"{fw.short}: {who}")
    return render(
        "audit/framework.html",
        framework=fw,
        chart=Markup(chart.html("pap-chart pap-framework-chart")),
        rows=[
            dict(
                title=r.title,
                score=r.score,
                rated=r.rated,
                total=len(r.items),
                texts=[inst.item(i).text for i in r.items],
            )
            for r in rows
        ],
    )


def last_plan_html(year: str, plan: act.Plan) -> str:
    return render("audit/last_plan.html", year=year, rows=plan.rows, status_words=act.STATUS_WORDS)


def parent_page(pv: ParentVersion) -> str:
    """The family questionnaire as a printable page."""
    return render("printable/family_questionnaire.html", pv=pv, lang=pv.language)


def parent_panel(pv: ParentVersion, download_link: str) -> str:
    """The questionnaire folded on the page, with the kit-built download link under it."""
    return render("audit/parent_panel.html", pv=pv, link=Markup(download_link))


# -- family survey ------------------------------------------------------------------------------
def column_html(col: Any, labels: dict[str, str]) -> str:
    from widgets.audit.survey_columns import describe

    samples = ", ".join(f"“{s}”" for s in col.samples) or "(no values)"
    return render(
        "audit/survey_column.html",
        col=col,
        what=describe(col, labels),
        samples=samples[:120],
        amber=AMBER,
    )


def summary_html(preview: Any, name: str, rows: int) -> str:
    c = preview.counts()
    text = (
        f"{rows:,} rows read from {name}. Recognised from the answers: "
        f"{c['items'] + c['questions']} question(s) ({c['items']} matched to audit items, "
        f"{c['questions']} of your own), {c['groups']} group column(s), {c['comments']} comment "
        f"column(s); {c['ignored']} column(s) left out. Correct anything wrong below."
    )
    if preview.unreadable:
        n_cols = sum(1 for q in preview.questions if q.unreadable)
        return message_html(
            f"{text} {preview.unreadable:,} value(s) in {n_cols} question column(s) could not be "
            "read as answers on the scale: they will be left out and listed after Analyse. To keep "
            "them, correct them in the spreadsheet (or add your survey's words to "
            "datasets/audit/likert.yaml), or mark the column as something other than a question.",
            "warning",
            title="Step 2: check what each column is",
        )
    return message_html(text, "info", title="Step 2: check what each column is")


def survey_label(labels: dict[str, str], key: str) -> str:
    from widgets.audit.survey import OWN

    return labels.get(key) or (key[len(OWN) :] if key.startswith(OWN) else key)


def breakdown_html(bd: Any, labels: dict[str, str], items: list[str]) -> str:
    """Means by group with suppressed cells shown as ▒, and why; combined groups explained."""

    def _n(d: Any) -> str:
        if d.shown:
            return f"n={d.n}"
        return "n hidden" if d.reason == COMPLEMENTARY else f"n<{bd.min_n}"

    rows = []
    for i in items:
        cells = []
        for g in bd.groups:
            m = bd.means.get((g, i))
            word, colour = band(m) if m is not None else ("", "")
            cells.append(
                dict(hidden=bool(bd.hidden.get((g, i))), value=m, colour=colour, band=word)
            )
        ov = bd.overall.get(i)
        all_cell = f"{ov:.0f}" if ov is not None else "▒" if bd.hidden.get((TOTAL, i)) else "–"
        rows.append(dict(label=survey_label(labels, i), all=all_cell, cells=cells))
    state = ""
    if bd.combined:
        d = bd.groups[bd.combined]
        state = (
            "shown"
            if d.shown
            else (
                f"still hidden: it has {shown_count(d.n, bd.min_n)} responses"
                if d.reason != COMPLEMENTARY
                else "hidden: shown, it would let a hidden group be worked out by subtraction "
                "(tick every hidden group to combine them all)"
            )
        )
    return render(
        "audit/survey_breakdown.html",
        column=bd.group_column,
        groups=[dict(name=g, n=_n(d)) for g, d in bd.groups.items()],
        rows=rows,
        n_primary=sum(1 for d in bd.groups.values() if d.reason and d.reason != COMPLEMENTARY),
        n_comp=sum(1 for d in bd.groups.values() if d.reason == COMPLEMENTARY),
        min_n=bd.min_n,
        combined=bd.combined,
        members=list(bd.members),
        combined_state=state,
        bands=[w for _, w, _ in BANDS],
    )


def survey_results_html(data: Any, res: dict, labels: dict[str, str], families: int) -> str:
    """The answers chart with the response rate, unread answers (amber) and empty rows counted."""
    from widgets.audit.survey import problems_text, response_rate

    rate = response_rate(data.responses, families)
    if rate is None:
        rate_txt = (
            f"{data.responses:,} responses (enter the number of families asked to see the "
            "response rate)"
        )
    else:
        rate_txt = f"{rate:.0%} response rate ({data.responses:,} of {families:,} families)" + (
            " — more responses than families: check the number, or duplicates" if rate > 1 else ""
        )
    chart = diverging_chart(
        [(survey_label(labels, i), r.counts) for i, r in res.items()],
        data.labels,
        dont_know=[r.dont_know for r in res.values()],
        title="Families' answers by question",
    )
    return render(
        "audit/survey_results.html",
        rate_txt=rate_txt,
        points=data.points,
        dk_total=sum(r.dont_know for r in res.values()),
        problems=data.problems,
        problems_text=problems_text(data.problems) if data.problems else "",
        empty_rows=list(data.empty_rows),
        amber=AMBER,
        chart=Markup(chart.html("pap-chart pap-survey-chart")),
    )


def survey_actions_html(props: list[act.Proposal], labels: dict[str, str]) -> str:
    return render("audit/survey_actions.html", props=props, labels=labels)


def gap_html(
    staff: dict[str, float | None] | None,
    who: str,
    survey_means: dict[str, float | None],
    comparable: set[str],
    inst: Instrument,
) -> str:
    """Staff against families per area, or a plain note saying what is missing."""
    if not staff:
        note = "Rate the audit (above) to compare staff and family views."
        return render("audit/survey_gap.html", chart=None, note=note)
    gs = gaps({k: v for k, v in staff.items() if k in comparable}, survey_means, inst)
    if not gs:
        note = "No question was answered by both staff and families."
        return render("audit/survey_gap.html", chart=None, note=note)
    titles = dim_titles(inst)
    ch = gap_chart(
        [(titles[g.dimension_id], g.staff, g.parents) for g in gs],
        title=f"Staff ({who}) and families compared",
    )
    return render("audit/survey_gap.html", chart=Markup(ch.html("pap-chart pap-gap-chart")), note="")

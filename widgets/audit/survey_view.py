"""The family survey panel: upload, check what each column is, analyse, break down, combine groups.

Thin: reading and judging columns is :mod:`widgets.audit.survey_columns`, reading answers and
suppression is :mod:`widgets.audit.survey`; this module only lays them out. Raw rows stay in the
page's memory; only aggregate results are saved.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit.instrument import (
    Instrument,
    comparable_items,
    load_actions,
    load_instrument,
    load_likert,
    load_parent_version,
)
from widgets.audit.scoring import gaps, item_means, score_respondent
from widgets.audit.suppression import COMPLEMENTARY, TOTAL, shown_count
from widgets.audit.view import _AUTO, _dim_titles, session
from widgets.identity import current_visitor
from widgets.privacy import SURVEY_MIN_CELL
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    esc,
    guarded,
    message,
    message_html,
    plain_error,
    show_message,
)

DISTRICT_SAMPLE = (
    "district_survey.csv.gz"  # 100,000 synthetic responses (tools/make_audit_samples.py)
)
_AMBER = "color:#7a4a00;background:#fff4d6;padding:0 4px;border-radius:3px"


def _survey_labels(inst: Instrument) -> dict[str, str]:
    pv = load_parent_version("en")
    texts = {i.id: i.text for i in pv.items}
    return {i.id: texts.get(i.id, i.text) for i in inst.items}


def _label(labels: dict[str, str], key: str) -> str:
    from widgets.audit.survey import OWN

    return labels.get(key) or (key[len(OWN) :] if key.startswith(OWN) else key)


def _sample_bytes(name: str = "survey_sample.csv") -> bytes:
    from widgets.datasets import dataset_path

    return dataset_path(f"audit/{name}").read_bytes()


def _column_html(col: Any, labels: dict[str, str]) -> str:
    from widgets.audit.survey_columns import describe

    samples = ", ".join(f"“{s}”" for s in col.samples) or "(no values)"
    bad = ""
    if col.unreadable:
        bad = (
            f"<br><span class='pap-unreadable' style='{_AMBER}'>⚠️ {col.unreadable:,} value(s) "
            f"could not be read as answers ({esc(', '.join(col.unreadable_examples))}) and will "
            "be left out</span>"
        )
    return (
        f"<div class='pap-map-col' style='width:420px;overflow:hidden;text-overflow:ellipsis'>"
        f"<b>{esc(col.column)}</b><br><small>The kit reads it as: <i class='pap-map-what'>"
        f"{esc(describe(col, labels))}</i></small><br><small style='color:#666'>{col.filled:,} "
        f"filled, e.g. {esc(samples[:120])}</small>{bad}</div>"
    )


def _summary_html(preview: Any, name: str, rows: int) -> str:
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


def _breakdown_html(bd: Any, labels: dict[str, str], items: list[str]) -> str:
    groups = list(bd.groups)

    def _n(g: str) -> str:
        d = bd.groups[g]
        if d.shown:
            return f"n={d.n}"
        return "n hidden" if d.reason == COMPLEMENTARY else f"n&lt;{bd.min_n}"

    head = "".join(
        f"<th style='padding:3px 6px'>{esc(g)}<br><small>{_n(g)}</small></th>" for g in groups
    )
    body = ""
    for i in items:
        tds = ""
        for g in groups:
            m = bd.means.get((g, i))
            why = bd.hidden.get((g, i))
            if why:
                cell = "<span title='hidden to protect a small group' style='color:#999'>▒</span>"
            elif m is None:
                cell = "–"
            else:
                shade = "#fbd9d6" if m < 40 else "#fff0b3" if m < 60 else "#e9f7ee"
                cell = f"<span style='background:{shade};padding:0 4px'>{m:.0f}</span>"
            tds += f"<td style='text-align:center'>{cell}</td>"
        ov = bd.overall.get(i)
        all_cell = f"{ov:.0f}" if ov is not None else "▒" if bd.hidden.get((TOTAL, i)) else "–"
        body += (
            f"<tr><td style='padding:2px 6px'>{esc(_label(labels, i))}</td>"
            f"<td style='text-align:center'><b>{all_cell}</b></td>{tds}</tr>"
        )
    n_primary = sum(1 for d in bd.groups.values() if d.reason and d.reason != COMPLEMENTARY)
    n_comp = sum(1 for d in bd.groups.values() if d.reason == COMPLEMENTARY)
    note = ""
    if n_primary or n_comp:
        note = (
            f"<p class='pap-suppression-note'><small>▒ = hidden. {n_primary} group(s) have fewer "
            f"than {bd.min_n} responses and are hidden"
            + (
                f"; {n_comp} more group(s) are hidden too, because the hidden group could otherwise "
                "be worked out from the totals"
                if n_comp
                else ""
            )
            + ". Cells resting on fewer than "
            f"{bd.min_n} answers are hidden in the same way.</small></p>"
        )
    combined = ""
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
        combined = (
            f"<p class='pap-combined-note'><small><b>{esc(bd.combined)}</b> combines "
            f"{esc(', '.join(bd.members))}: {state}. Suppression is applied again to the "
            "combination.</small></p>"
        )
    return (
        f"<div class='pap-breakdown' style='overflow-x:auto'><table style='border-collapse:collapse;"
        f"font-size:.9em'><tr><th style='text-align:left'>Question (mean score 0-100)</th>"
        f"<th>All</th>{head}</tr>{body}</table>{note}{combined}</div>"
    )


def survey_panel(module: str = act.APP) -> ipw.VBox:
    """Upload a family survey export, check its columns, and see results with small groups hidden."""
    status, summary, mapping_box, results = ipw.HTML(), ipw.HTML(), ipw.VBox([]), ipw.HTML()
    breakdown_out, actions_out, gap_out = ipw.HTML(), ipw.HTML(), ipw.HTML()
    try:
        inst = load_instrument()
        versions = [load_parent_version("en"), load_parent_version("fr")]
        likert, lib = load_likert(), load_actions()
    except Exception as exc:
        return card(
            [message(plain_error(exc), "error")], title="The survey analysis could not load"
        )
    sess = session(module)
    labels = _survey_labels(inst)
    upload = ipw.FileUpload(
        accept=".csv,.tsv,.txt,.xlsx,.gz", multiple=False, description="Upload survey"
    )
    upload.add_class("pap-survey-upload")
    sample = ipw.Button(description="Use the sample survey", layout=_AUTO)
    district = ipw.Button(description="Try the district sample (100,000 families)", layout=_AUTO)
    district.add_class("pap-district-sample")
    families = ipw.BoundedIntText(
        value=0,
        min=0,
        max=1_000_000,
        description="Families asked",
        style={"description_width": "initial"},
        layout=ipw.Layout(width="220px"),
    )
    families.add_class("pap-families")
    min_n = ipw.BoundedIntText(
        value=SURVEY_MIN_CELL,
        min=3,
        max=100,
        description="Hide groups smaller than",
        style={"description_width": "initial"},
        layout=ipw.Layout(width="260px"),
    )
    group_by = ipw.Dropdown(
        options=[], description="Break down by", style={"description_width": "initial"}
    )
    group_by.add_class("pap-group-by")
    combine_box = ipw.VBox([])
    combine_box.add_class("pap-combine")
    analyse = ipw.Button(description="Analyse", button_style="primary", layout=_AUTO, disabled=True)
    state: dict[str, Any] = {"upload": None, "data": None, "preview": None, "rows": {}}
    options = [
        ("Not used (left out)", "ignore"),
        ("A group (language, grade, school...)", "group"),
        ("Free-text comments (not analysed)", "comment"),
        ("A question of our own (not an audit item)", "question"),
    ] + [(f"Audit item: {labels[i.id]}", "item:" + i.id) for i in inst.items]

    def _redraw_columns() -> None:
        pv = state["preview"]
        for col in pv.columns:
            html, _dd = state["rows"][col.column]
            html.value = _column_html(col, labels)
        summary.value = _summary_html(pv, state["upload"].name, len(state["upload"].frame))

    def _make_chooser(column: str) -> Any:
        @guarded(status)
        def _chosen(change: dict) -> None:
            from widgets.audit.survey_columns import rechoose

            state["preview"] = rechoose(
                state["preview"], state["upload"], column, change["new"], likert, versions, inst
            )
            _redraw_columns()

        return _chosen

    def _mapping_step(up: Any) -> None:
        from widgets.audit.survey_columns import recognise

        pv = recognise(up, inst, versions, likert)
        state["preview"], state["rows"] = pv, {}
        kids: list[ipw.Widget] = []
        dd_layout = ipw.Layout(width="420px")
        for col in pv.columns:
            dd = ipw.Dropdown(options=options, value=col.choice, layout=dd_layout, description=f"Column {col.column}")
            dd.add_class("pap-map").add_class("pap-label-sr")  # label for screen readers only
            html = ipw.HTML(_column_html(col, labels))
            state["rows"][col.column] = (html, dd)
            dd.observe(_make_chooser(col.column), names="value")
            row = ipw.HBox([html, dd], layout=ipw.Layout(margin="0 0 6px 0"))
            row.add_class("pap-map-row")
            kids.append(row)
        summary.value = _summary_html(pv, up.name, len(up.frame))
        mapping_box.children = kids
        analyse.disabled = False
        results.value = breakdown_out.value = actions_out.value = gap_out.value = ""
        combine_box.children = []

    @guarded(status)
    def _load(uploaded: Any) -> None:
        from widgets.audit.survey import read_upload

        show_message(status, f"Reading {uploaded.name}…", "info")
        up = read_upload(uploaded)
        state["upload"] = up
        _mapping_step(up)
        if state["preview"].unreadable:
            show_message(
                status, "File read, with values to check (in amber). Then press Analyse.", "warning"
            )
        else:
            show_message(status, "File read. Check the columns, then press Analyse.", "success")

    @guarded(status)
    def _on_upload(change: dict) -> None:
        from widgets.uploads import from_file_upload

        if not change["new"]:
            return
        try:
            uploaded = from_file_upload(change["new"])
        finally:
            upload.value = ()  # the rows are read: do not keep a second copy in the widget
        if uploaded is not None:
            _load(uploaded)

    @guarded(status)
    def _on_sample(_b: object, name: str = "survey_sample.csv") -> None:
        from widgets.uploads import open_upload

        _load(open_upload(_sample_bytes(name), name))

    @guarded(status)
    def _analyse(_b: object) -> None:
        from widgets.audit.charts import diverging_chart
        from widgets.audit.survey import (
            OWN,
            distributions,
            prepare,
            problems_text,
            response_rate,
            weak_items,
        )

        up = state["upload"]
        if up is None:
            raise UserFacingError("Upload a survey file or use the sample first.")
        data = prepare(up, state["preview"].mapping, likert, versions)
        state["data"] = data
        res = distributions(data)
        rate = response_rate(data.responses, families.value)
        rate_txt = (
            f"{rate:.0%} response rate ({data.responses:,} of {families.value:,} families)"
            + (
                " — more responses than families: check the number, or duplicates"
                if rate > 1
                else ""
            )
            if rate is not None
            else f"{data.responses:,} responses (enter the number of families asked to see the "
            "response rate)"
        )
        chart = diverging_chart(
            [(_label(labels, i), r.counts) for i, r in res.items()],
            data.labels,
            dont_know=[r.dont_know for r in res.values()],
            title="Families' answers by question",
        )
        probs = ""
        if data.problems:
            probs = (
                f"<details class='pap-survey-problems' style='{_AMBER}'><summary>⚠️ "
                f"{len(data.problems)} answer(s) could not be read and were left out; every other "
                "answer in those rows was kept.</summary><pre style='white-space:pre-wrap'>"
                f"{esc(problems_text(data.problems))}</pre></details>"
            )
        empty = (
            f"<p><small>{len(data.empty_rows)} empty row(s) skipped"
            f" (row {', '.join(str(r) for r in data.empty_rows[:10])}"
            f"{'…' if len(data.empty_rows) > 10 else ''}).</small></p>"
            if data.empty_rows
            else ""
        )
        dk_total = sum(r.dont_know for r in res.values())
        results.value = (
            f"<div class='pap-survey-results'><p class='pap-response-rate'><b>{esc(rate_txt)}</b>"
            f" · {data.points}-point scale · {dk_total:,} “don’t know” answers counted apart</p>"
            f"{probs}{empty}{chart.html('pap-chart pap-survey-chart')}</div>"
        )
        audit_res = {i: r for i, r in res.items() if not i.startswith(OWN)}
        sess.survey_means = {i: r.mean for i, r in audit_res.items() if r.n >= min_n.value}
        sess.survey_label = up.name
        weak = weak_items(audit_res, 4, min_n.value)
        props = act.propose(weak, inst, lib, per_item=2)
        actions_out.value = (
            "<div class='pap-survey-actions'><h4 style='margin:10px 0 4px'>Weakest questions and "
            "actions from the library</h4><ul>"
            + "".join(
                f"<li><b>{esc(p.action.title)}</b>: {esc(p.action.detail)}<br><small>For: "
                f"{esc(labels[p.item_id])} (families' score {p.score:.0f})</small></li>"
                for p in props
            )
            + "</ul><p><small>To put these in your plan, choose “the family survey” in the action "
            "plan below.</small></p></div>"
            if props
            else "<p class='pap-survey-actions'><small>No audit item has enough answers to "
            "propose actions.</small></p>"
        )
        gcols = list(data.groups.columns)
        state["quiet"] = True  # one redraw below, not one per property set
        try:
            group_by.options = [("(no breakdown)", "")] + [(c, c) for c in gcols]
            group_by.value = gcols[0] if gcols else ""
        finally:
            state["quiet"] = False
        _combine_step()
        _gap()
        get_store().save(
            current_visitor().id,
            module,
            f"survey:{sess.year}",
            {
                "file": up.name[:120],
                "responses": data.responses,
                "families": families.value or None,
                "means": {
                    i: (None if m is None else round(m, 1)) for i, m in sess.survey_means.items()
                },
            },
        )
        if data.problems:
            show_message(
                status,
                f"Analysed. {len(data.problems)} answer(s) could not be read and were left out "
                "(listed above the chart): correct them in the spreadsheet and upload it again to "
                "count them.",
                "warning",
            )
        else:
            show_message(status, "Analysed.", "success")

    @guarded(status)
    def _combine_step(_c: object = None) -> None:
        """Tick boxes for the groups of the chosen breakdown, to combine small ones."""
        from widgets.audit.survey import breakdown, combined_name

        if state.get("quiet"):
            return
        data = state["data"]
        if data is None or not group_by.value:
            combine_box.children = []
            _breakdown()
            return
        plain = breakdown(data, group_by.value, min_n.value)
        boxes = []
        for g, d in plain.groups.items():
            size = f"n={d.n}" if d.shown else "hidden"
            cb = ipw.Checkbox(value=False, description=f"{g} ({size})", indent=False, layout=_AUTO)
            cb.add_class("pap-combine-group")
            cb.observe(_breakdown, names="value")
            boxes.append((g, cb))
        name = ipw.Text(
            value=combined_name(group_by.value),
            description="Call them",
            layout=ipw.Layout(width="300px"),
        )
        name.add_class("pap-combine-name")
        name.observe(_breakdown, names="value")
        hidden_btn = ipw.Button(description="Tick the hidden groups", layout=_AUTO)

        def _tick_hidden(_b: object) -> None:
            state["quiet"] = True  # one redraw for all the ticks
            try:
                for g, cb in boxes:
                    cb.value = not plain.groups[g].shown
            finally:
                state["quiet"] = False
            _breakdown()

        hidden_btn.on_click(_tick_hidden)
        state["combine"] = (boxes, name)
        combine_box.children = [
            ipw.HTML(
                "<p style='margin:8px 0 2px'><b>Combine small groups</b> so their families are "
                "heard together (for example several languages as “Other languages”). The "
                "combination is checked again: it is hidden if it is still small, or if showing "
                "it would let a hidden group be worked out.</p>"
            ),
            ipw.HBox([cb for _, cb in boxes], layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox([name, hidden_btn], layout=ipw.Layout(flex_flow="row wrap")),
        ]
        _breakdown()

    @guarded(status)
    def _breakdown(_c: object = None) -> None:
        from widgets.audit.survey import breakdown

        data = state["data"]
        if state.get("quiet"):
            return
        if data is None or not group_by.value:
            breakdown_out.value = ""
            return
        boxes, name = state.get("combine") or ([], None)
        members = [g for g, cb in boxes if cb.value]
        bd = breakdown(
            data,
            group_by.value,
            min_n.value,
            combine=members,
            combined=name.value if name is not None else "",
        )
        breakdown_out.value = (
            f"<h4 style='margin:10px 0 4px'>By {esc(group_by.value)}</h4>"
            + _breakdown_html(bd, labels, data.items)
        )

    def _gap() -> None:
        from widgets.audit.charts import gap_chart

        if not sess.survey_means:
            gap_out.value = ""
            return
        staff = None
        who = ""
        if sess.team is not None:
            staff, who = item_means(sess.team), "your team"
        elif sess.ratings:
            staff, who = item_means(score_respondent(sess.ratings, inst)), "your own ratings"
        if not staff:
            gap_out.value = (
                "<p><small>Rate the audit (above) to compare staff and family views.</small></p>"
            )
            return
        comparable = set(comparable_items())
        gs = gaps({k: v for k, v in staff.items() if k in comparable}, sess.survey_means, inst)
        if not gs:
            gap_out.value = (
                "<p><small>No question was answered by both staff and families.</small></p>"
            )
            return
        titles = _dim_titles(inst)
        ch = gap_chart(
            [(titles[g.dimension_id], g.staff, g.parents) for g in gs],
            title=f"Staff ({who}) and families compared",
        )
        gap_out.value = f"<div class='pap-survey-gap'>{ch.html('pap-chart pap-gap-chart')}</div>"

    upload.observe(_on_upload, names="value")
    sample.on_click(_on_sample)
    district.on_click(lambda b: _on_sample(b, DISTRICT_SAMPLE))
    analyse.on_click(_analyse)
    group_by.observe(_combine_step, names="value")
    min_n.observe(_combine_step, names="value")
    from widgets.limits import MAX_UPLOAD_BYTES, size_words

    box = card(
        [
            ipw.HTML(
                "<p><b>Step 1: choose the survey export</b> (CSV, Excel or Unicode text, or a .gz of one, up "
                f"to {size_words(MAX_UPLOAD_BYTES)}; one row per family, one column per "
                "question). Your own questions are fine: the kit recognises them from the "
                "answers, as words in English, French, Spanish or Arabic (“Strongly agree”, "
                "“Tout à fait d’accord”, “Muy de acuerdo”, “موافق بشدة”) or numbers 1 to 5. "
                "Nothing leaves this page; only the totals are saved.</p>"
            ),
            ipw.HBox([upload, sample, district, families], layout=ipw.Layout(flex_flow="row wrap")),
            summary,
            mapping_box,
            ipw.HBox([min_n, analyse], layout=ipw.Layout(flex_flow="row wrap")),
            status,
            results,
            group_by,
            combine_box,
            breakdown_out,
            actions_out,
            gap_out,
        ],
        title="Family survey analysis",
    )
    box.add_class("pap-survey")
    return box

"""The family survey panel: upload, check what each column is, analyse, break down, combine groups.

Thin: reading and judging columns is :mod:`widgets.audit.survey_columns`, reading answers and
suppression is :mod:`widgets.audit.survey`; this module only lays them out. Raw rows stay in the
page's memory; only aggregate results are saved.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from widgets.audit import actions as act
from widgets.audit import pages, services
from widgets.audit.instrument import (
    Instrument,
    comparable_items,
    load_actions,
    load_instrument,
    load_likert,
    load_parent_version,
)
from widgets.audit.results import staff_view
from widgets.audit.session import session
from widgets.html import render
from widgets.identity import current_visitor
from widgets.privacy import SURVEY_MIN_CELL
from widgets.saving import show_save
from widgets.ui import UserFacingError, card, guarded, message, plain_error, show_message

DISTRICT_SAMPLE = (
    "district_survey.csv.gz"  # 100,000 synthetic responses (tools/make_audit_samples.py)
)
AUTO = ipw.Layout(width="auto")


def _survey_labels(inst: Instrument) -> dict[str, str]:
    """Audit items in the families' wording where the family version has them."""
    pv = load_parent_version("en")
    texts = {i.id: i.text for i in pv.items}
    return {i.id: texts.get(i.id, i.text) for i in inst.items}


def _sample_bytes(name: str = "survey_sample.csv") -> bytes:
    from widgets.datasets import dataset_path

    return dataset_path(f"audit/{name}").read_bytes()


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
    sample = ipw.Button(description="Use the sample survey", layout=AUTO)
    district = ipw.Button(description="Try the district sample (100,000 families)", layout=AUTO)
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
    analyse = ipw.Button(description="Analyse", button_style="primary", layout=AUTO, disabled=True)
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
            html.value = pages.column_html(col, labels)
        summary.value = pages.summary_html(pv, state["upload"].name, len(state["upload"].frame))

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
            dd = ipw.Dropdown(
                options=options,
                value=col.choice,
                layout=dd_layout,
                description=f"Column {col.column}",
            )
            dd.add_class("pap-map").add_class("pap-label-sr")  # label for screen readers only
            html = ipw.HTML(pages.column_html(col, labels))
            state["rows"][col.column] = (html, dd)
            dd.observe(_make_chooser(col.column), names="value")
            row = ipw.HBox([html, dd], layout=ipw.Layout(margin="0 0 6px 0"))
            row.add_class("pap-map-row")
            kids.append(row)
        summary.value = pages.summary_html(pv, up.name, len(up.frame))
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
        from widgets.audit.survey import OWN, distributions, prepare, weak_items

        up = state["upload"]
        if up is None:
            raise UserFacingError("Upload a survey file or use the sample first.")
        data = prepare(up, state["preview"].mapping, likert, versions)
        state["data"] = data
        res = distributions(data)
        results.value = pages.survey_results_html(data, res, labels, families.value)
        audit_res = {i: r for i, r in res.items() if not i.startswith(OWN)}
        sess.survey_means = {i: r.mean for i, r in audit_res.items() if r.n >= min_n.value}
        sess.survey_label = up.name
        props = act.propose(weak_items(audit_res, 4, min_n.value), inst, lib, per_item=2)
        actions_out.value = pages.survey_actions_html(props, labels)
        gcols = list(data.groups.columns)
        state["quiet"] = True  # one redraw below, not one per property set
        try:
            group_by.options = [("(no breakdown)", "")] + [(c, c) for c in gcols]
            group_by.value = gcols[0] if gcols else ""
        finally:
            state["quiet"] = False
        _combine_step()
        _gap()
        saved = services.save_survey_summary(
            current_visitor(),
            module,
            sess.year,
            {
                "file": up.name[:120],
                "responses": data.responses,
                "families": families.value or None,
                "means": {
                    i: (None if m is None else round(m, 1)) for i, m in sess.survey_means.items()
                },
            },
        )
        if not saved.ok:
            show_save(status, saved)
        elif data.problems:
            show_message(
                status,
                f"Analysed. {len(data.problems)} answer(s) could not be read and were left out "
                "(listed above the chart): correct them in the spreadsheet and upload it again to "
                "count them. The totals are saved.",
                "warning",
            )
        else:
            show_message(status, "Analysed. The totals are saved.", "success")

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
            cb = ipw.Checkbox(value=False, description=f"{g} ({size})", indent=False, layout=AUTO)
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
        hidden_btn = ipw.Button(description="Tick the hidden groups", layout=AUTO)

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
            ipw.HTML(render("audit/survey_combine_intro.html")),
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
        breakdown_out.value = pages.breakdown_html(bd, labels, data.items)

    def _gap() -> None:
        if not sess.survey_means:
            gap_out.value = ""
            return
        staff = staff_view(sess.team, sess.ratings, inst)
        gap_out.value = pages.gap_html(
            staff[0] if staff else None,
            staff[1] if staff else "",
            sess.survey_means,
            set(comparable_items()),
            inst,
        )

    upload.observe(_on_upload, names="value")
    sample.on_click(_on_sample)
    district.on_click(lambda b: _on_sample(b, DISTRICT_SAMPLE))
    analyse.on_click(_analyse)
    group_by.observe(_combine_step, names="value")
    min_n.observe(_combine_step, names="value")
    from widgets.limits import MAX_UPLOAD_BYTES, size_words

    box = card(
        [
            ipw.HTML(render("audit/survey_intro.html", max_size=size_words(MAX_UPLOAD_BYTES))),
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

"""The planner's steps 1 and 2: upload the school's files (or a sample), match the columns,
check the rows and settle family ids shared by different households.

Only lays out widgets and wires their events; reading, mapping and joining are
:mod:`widgets.evening.ingest` and :mod:`widgets.evening.data`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import ipywidgets as ipw

from widgets.evening.settings_view import (
    AUTO,
    KIND_TITLES,
    NONE_COL,
    fill_settings,
    settings_from,
)
from widgets.html import Markup, render
from widgets.ui import UserFacingError, card, guarded, message_html, show_message, text_html


def intake_steps(
    status: ipw.HTML, sw: dict[str, ipw.Widget], state: dict, go_to: Callable[[int], None]
) -> SimpleNamespace:
    """Steps 1 and 2, sharing ``state`` (tables, files, choices) with the planner."""
    from widgets.evening import ingest

    # ---- step 1: upload ----------------------------------------------------------------
    uploads: dict[str, ipw.FileUpload] = {}
    upload_info = {k: ipw.HTML() for k in ingest.KINDS}
    rows1: list[ipw.Widget] = []
    for kind in ingest.KINDS:
        up = ipw.FileUpload(accept=".csv,.tsv,.txt,.xlsx,.xlsm,.gz", multiple=False,
                           description="Choose file")
        up.add_class(f"pap-ev-upload-{kind}")
        uploads[kind] = up
        rows1.append(ipw.HTML(text_html(KIND_TITLES[kind], "b")))
        rows1.append(ipw.HBox([up, upload_info[kind]]))
    small_btn = ipw.Button(description="Use the small sample school", layout=AUTO)
    small_btn.add_class("pap-ev-sample-small")
    large_btn = ipw.Button(description="Use the large sample school (1,000 families)", layout=AUTO)
    large_btn.add_class("pap-ev-sample-large")
    to_map_btn = ipw.Button(description="Next: match columns", button_style="primary", layout=AUTO)
    step1 = ipw.VBox(
        [
            ipw.HTML(text_html(
                "Upload your school's exports as CSV or Excel (.xlsx). Column names do not "
                "need to match ours: you choose which column is which in the next step. Files "
                "stay in this page and are not saved."
            )),
            *rows1,
            ipw.HTML(text_html("No files to hand? Try the planner with made-up data:",
                               style="margin-top:10px")),
            ipw.HBox([small_btn, large_btn]),
            ipw.HBox([to_map_btn]),
        ]
    )

    # ---- step 2: column mapping ------------------------------------------------------
    map_box = ipw.VBox([ipw.HTML(text_html("Upload the families and teachers files first."))])
    dropdowns: dict[str, dict[str, ipw.Dropdown]] = {}
    check_btn = ipw.Button(description="Check the rows", button_style="primary", layout=AUTO)
    check_btn.add_class("pap-ev-check")
    check_out = ipw.HTML()
    check_out.add_class("pap-ev-check-out")
    conflict_box = ipw.VBox()
    conflict_box.add_class("pap-ev-conflicts")
    step2 = ipw.VBox([map_box, ipw.HBox([check_btn]), check_out, conflict_box])


    # ---- behaviour --------------------------------------------------------------------
    def _reread(kind: str, sheet: str | None, header_line: int | None) -> None:
        uf = state["files"].get(kind)
        if uf is None:
            return
        _set_table(kind, ingest.read_upload(uf, kind, sheet=sheet, header_line=header_line))
        _build_mapping_ui((kind,))

    def _where_widgets(kind: str, table) -> list[ipw.Widget]:
        """Which sheet and which row hold the header: a guess the user can change."""
        out: list[ipw.Widget] = []
        note = (
            f"We read the header from row {table.header_line}"
            + (f" of the sheet '{table.sheet}'" if table.sheet else "")
            + (f" ({table.skipped} row(s) above it are not read)" if table.skipped else "")
            + "."
        )
        if not table.sure:
            note += " We are not sure this is right: if the choices below are not the file's " \
                    "column headers, choose the sheet and the header row."
        out.append(ipw.HTML(message_html(note, "info" if table.sure else "warning")))
        row: list[ipw.Widget] = []
        if len(table.sheets) > 1:
            sheet_dd = ipw.Dropdown(description="Sheet", options=table.sheets, value=table.sheet,
                                    layout=ipw.Layout(width="320px"))
            sheet_dd.add_class(f"pap-ev-sheet-{kind}")
            sheet_dd.observe(
                guarded(status)(lambda c, k=kind: _reread(k, c["new"], None)), names="value"
            )
            row.append(sheet_dd)
        header_box = ipw.BoundedIntText(
            description="Header row", value=table.header_line, min=1, max=10_000,
            layout=ipw.Layout(width="200px"),
        )
        header_box.add_class(f"pap-ev-header-{kind}")
        header_box.observe(
            guarded(status)(lambda c, k=kind: _reread(k, state["tables"][k].sheet or None,
                                                       int(c["new"]))),
            names="value",
        )
        row.append(header_box)
        out.append(ipw.HBox(row))
        return out

    def _build_mapping_ui(fresh: tuple[str, ...] = ()) -> None:
        """The column choices; a file not in ``fresh`` keeps what the user chose for it."""
        kept = {k: v for k, v in _mappings().items() if k not in fresh}
        kids: list[ipw.Widget] = []
        dropdowns.clear()
        for kind in ingest.KINDS:
            table = state["tables"].get(kind)
            if table is None:
                continue
            guess = ingest.guess_mapping(table.columns, kind)
            dds = {}
            items: list[ipw.Widget] = [
                ipw.HTML(render("evening/mapping_head.html", title=KIND_TITLES[kind],
                                name=table.name, rows=len(table.rows)))
            ]
            if kind in state["files"]:
                items += _where_widgets(kind, table)
            for spec in ingest.field_specs(kind):
                needed = spec.required and not spec.required_unless
                dd = ipw.Dropdown(
                    description=spec.label + (" *" if needed else " (*)" if spec.required else ""),
                    options=[NONE_COL, *table.columns],
                    value=(
                        (kept[kind][spec.name] or NONE_COL)
                        if spec.name in kept.get(kind, {})
                        and kept[kind][spec.name] in (None, *table.columns)
                        else guess.get(spec.name) or NONE_COL
                    ),
                    style={"description_width": "230px"},
                    layout=ipw.Layout(width="520px"),
                )
                dd.add_class(f"pap-ev-map-{kind}-{spec.name}")
                dds[spec.name] = dd
                items.append(dd)
            dropdowns[kind] = dds
            kids.append(card(items))
        kids.append(ipw.HTML(render(
            "evening/small_note.html",
            text="* needed. (*) needed unless the fields it can be made from are chosen: a "
                 "child's name from forename and surname, a family from the contact email. We "
                 "matched the columns we recognised; check each one and change any that are "
                 "wrong.")))
        map_box.children = kids
        conflict_box.children = []

    def _mappings() -> dict[str, dict[str, str | None]]:
        return {
            kind: {f: (dd.value if dd.value != NONE_COL else None) for f, dd in dds.items()}
            for kind, dds in dropdowns.items()
        }

    def _set_table(kind: str, table) -> None:
        state["tables"][kind] = table
        upload_info[kind].value = text_html(
            f"{table.name}: {len(table.rows)} rows, {len(table.columns)} columns", "span",
            style="margin-left:8px", icon="✅",
        )

    def _on_upload(kind: str):
        @guarded(status)
        def handler(change: dict) -> None:
            from widgets.uploads import from_file_upload

            uf = from_file_upload(change["new"])
            if uf is None:
                return
            upload_info[kind].value = ""
            table = ingest.read_upload(uf, kind)
            state["files"][kind] = uf
            state["choices"] = {}
            _set_table(kind, table)
            state["inst"] = None
            status.value = ""
            _build_mapping_ui((kind,))

        return handler

    for kind, up in uploads.items():
        up.observe(_on_upload(kind), names="value")

    def _use_sample(name: str) -> None:
        from widgets.uploads import open_upload

        spec = ingest.sample_spec(name)
        state["choices"] = {}
        for kind, (fname, data) in ingest.sample_files(name).items():
            uf = open_upload(data, fname)
            state["files"][kind] = uf
            _set_table(kind, ingest.read_upload(uf, kind))
        fill_settings(sw, spec.settings)
        _build_mapping_ui(ingest.KINDS)
        show_message(status, f"Loaded the sample: {spec.label}. Check the columns next.", "success")
        go_to(1)

    small_btn.on_click(guarded(status)(lambda _b: _use_sample("small")))
    large_btn.on_click(guarded(status)(lambda _b: _use_sample("large")))

    @guarded(status)
    def _to_map(_b) -> None:
        missing = [k for k in ("families", "teachers") if k not in state["tables"]]
        if missing:
            raise UserFacingError(
                "Upload the " + " and ".join(missing) + " file first, or use a sample school."
            )
        go_to(1)

    to_map_btn.on_click(_to_map)

    def _load():
        missing = [k for k in ("families", "teachers") if k not in state["tables"]]
        if missing:
            raise UserFacingError(
                "Upload the " + " and ".join(missing) + " file first, or use a sample school."
            )
        settings = settings_from(sw)
        return ingest.load_all(settings, state["tables"], _mappings(), state["choices"])

    def _problems_html(loaded) -> str:
        from widgets.evening.status import check_outcome

        outcome = check_outcome(loaded)
        files = []
        for kind in (*ingest.KINDS, "joined"):
            probs = loaded.problems.get(kind, [])
            good, total = loaded.counts.get(kind, (0, 0))
            files.append({
                "title": KIND_TITLES.get(kind, kind),
                "good": good,
                "total": total,
                "heading": "Requests that could not be joined up" if kind == "joined"
                else "Rows to fix (the other rows are kept)",
                "lines": ingest.problem_lines(probs, 60) if probs else [],
            })
        box = Markup(message_html(outcome.text, outcome.kind, title=outcome.title))
        return render("evening/row_check.html", outcome=box, files=files)

    def _conflict_widgets(loaded) -> list[ipw.Widget]:
        """Each family id with rows for different households, side by side, and a choice."""
        from widgets.evening.status import conflict_html

        if not loaded.conflicts:
            return []
        kids: list[ipw.Widget] = [ipw.HTML(render("evening/conflicts_intro.html"))]
        for c in loaded.conflicts[:100]:
            table = conflict_html(c)
            dd = ipw.Dropdown(
                description="Choose",
                options=[("Not chosen yet (planned as separate families)", ""), *c.choices()],
                value=state["choices"].get(c.family_id, ""),
                layout=ipw.Layout(width="520px"),
            )
            dd.add_class("pap-ev-conflict-choice")

            def _chosen(change: dict, fid: str = c.family_id) -> None:
                if change["new"]:
                    state["choices"][fid] = change["new"]
                else:
                    state["choices"].pop(fid, None)
                state["inst"] = None

            dd.observe(guarded(status)(_chosen), names="value")
            kids.append(card([ipw.HTML(table), dd]))
        if len(loaded.conflicts) > 100:
            kids.append(ipw.HTML(text_html(f"… and {len(loaded.conflicts) - 100} more: fix "
                                           "the family ids in the file.")))
        return kids

    @guarded(status)
    def _check(_b) -> None:
        loaded = _load()
        check_out.value = _problems_html(loaded)
        conflict_box.children = _conflict_widgets(loaded)
        status.value = ""

    check_btn.on_click(_check)

    return SimpleNamespace(
        step1=step1, step2=step2, load=_load, mappings=_mappings,
        conflict_widgets=_conflict_widgets, conflict_box=conflict_box,
    )

"""Thin views for the parents' evening planner: the upload wizard, the survey analysis.

The wizard has four steps (upload, match columns, the evening, the timetable). Family data stays
in this page's memory and is never saved; only the evening settings are kept in the store, so a
school finds them again next time.
"""

from __future__ import annotations

import datetime as dt
import time

import ipywidgets as ipw

from widgets.identity import Visitor, current_visitor, when_known
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    esc,
    guarded,
    message_html,
    show_message,
)

_FULL = ipw.Layout(width="100%")
_AUTO = ipw.Layout(width="auto")
NONE_COL = "(not in this file)"

STYLE = """<style>
.pap-ev-table{border-collapse:collapse;margin:4px 0 10px;font-size:0.92em}
.pap-ev-table td,.pap-ev-table th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;
vertical-align:top}
.pap-ev-table th{background:#f3f6f9}
.pap-ev-grid td.busy{background:#e8f1fb}.pap-ev-grid td.off{background:#f3f3f3;color:#888}
.pap-ev-scroll{max-height:460px;overflow:auto;border:1px solid #e1e4e8;padding:4px}
</style>"""

KIND_TITLES = {
    "families": "Families and their requests (one row per child and teacher)",
    "teachers": "Teachers and rooms",
    "interpreters": "Interpreters and signers (optional)",
}


def _settings_widgets() -> dict[str, ipw.Widget]:
    s = {"description_width": "170px"}
    lay = ipw.Layout(width="420px")
    return {
        "school": ipw.Text(description="School", value="Our school", style=s, layout=lay),
        "date": ipw.DatePicker(
            description="Date", value=dt.date.today() + dt.timedelta(days=21), style=s
        ),
        "start": ipw.Text(description="Evening starts", value="16:00", style=s, layout=lay),
        "end": ipw.Text(description="Evening ends", value="19:00", style=s, layout=lay),
        "slot_minutes": ipw.Dropdown(
            description="Minutes per meeting",
            options=[5, 8, 10, 12, 15, 20],
            value=10,
            style=s,
            layout=lay,
        ),
        "break_pattern": ipw.Dropdown(
            description="Teachers' breaks",
            options=[
                ("Staggered (each teacher at a different time)", "staggered"),
                ("Fixed (everyone at the same time)", "fixed"),
                ("None", "none"),
            ],
            value="staggered",
            style=s,
            layout=lay,
        ),
        "break_minutes": ipw.BoundedIntText(
            description="Break length (minutes)", value=10, min=0, max=120, style=s, layout=lay
        ),
        "break_at": ipw.Text(description="Fixed break at", value="18:00", style=s, layout=lay),
        "max_consecutive": ipw.BoundedIntText(
            description="Most meetings in a row", value=8, min=1, max=100, style=s, layout=lay
        ),
        "gap_minutes": ipw.BoundedIntText(
            description="Walking time between rooms", value=0, min=0, max=30, style=s, layout=lay
        ),
        "venue": ipw.Text(description="Where", value="", style=s, layout=lay),
        "contact": ipw.Text(description="Contact for changes", value="", style=s, layout=lay),
        "school_locale": ipw.Dropdown(
            description="Dates and times as in",
            options=SCHOOL_LOCALES,
            value="en_GB",
            style=s,
            layout=lay,
        ),
    }


# How a school writes dates and times in its letters (a Babel locale; en_GB is 24-hour).
SCHOOL_LOCALES = [
    ("United Kingdom (Wednesday 16 December 2026, 17:40)", "en_GB"),
    ("Ireland", "en_IE"),
    ("United States (12-hour clock)", "en_US"),
    ("Canada, English (12-hour clock)", "en_CA"),
    ("Canada, French", "fr_CA"),
    ("Australia", "en_AU"),
    ("New Zealand", "en_NZ"),
]


def _letter_language_options() -> list[tuple[str, str]]:
    from widgets.evening.letters import letter_templates

    return [(f"{t.name} ({t.english_name})" if t.name != t.english_name else t.name, code)
            for code, t in letter_templates().items()]


def _settings_from(ws: dict[str, ipw.Widget]):
    from pydantic import ValidationError

    from widgets.evening.data import Settings

    raw = {k: w.value for k, w in ws.items()}
    if raw["date"] is None:
        raise UserFacingError("Choose the date of the evening.")
    try:
        return Settings.model_validate(raw)
    except ValidationError as e:
        words = []
        for err in e.errors():
            field = ".".join(str(x) for x in err.get("loc", ())) or "settings"
            label = ws[field].description if field in ws else "The settings"
            words.append(f"{label}: {err.get('msg', '').removeprefix('Value error, ')}")
        raise UserFacingError("; ".join(words)) from None


def _settings_to_json(ws: dict[str, ipw.Widget]) -> dict:
    out = {}
    for k, w in ws.items():
        v = w.value
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def _fill_settings(ws: dict[str, ipw.Widget], saved: dict) -> None:
    from widgets.evening.data import fmt_time

    for k, v in (saved or {}).items():
        if k not in ws or v is None:
            continue
        w = ws[k]
        try:
            if k == "date":
                w.value = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
            elif isinstance(w, ipw.Text) and isinstance(v, int):
                w.value = fmt_time(v)
            elif isinstance(w, ipw.Text):
                w.value = str(v)
            elif isinstance(w, ipw.Dropdown):
                values = [o[1] if isinstance(o, tuple) else o for o in w.options]
                if v in values:
                    w.value = v
            else:
                w.value = v
        except Exception:  # an old saved value that no longer fits: keep the default
            continue


def _grid_html(inst, tt, teacher_ids: list[str]) -> str:
    """Slots down, teachers across: each cell the family and child (escaped)."""
    from widgets.evening.data import fmt_time

    st = inst.settings
    at = {}
    req = {r.id: r for r in inst.requests}
    for rid, p in tt.placements.items():
        at[(req[rid].teacher_id, p.slot)] = req[rid]
    head = "".join(
        f"<th>{esc(inst.teachers[t].name)}<br><small>{esc(inst.teachers[t].room)}</small></th>"
        for t in teacher_ids
    )
    rows = []
    for s in range(st.n_slots):
        cells = []
        for t in teacher_ids:
            r = at.get((t, s))
            if r is not None:
                fam = inst.families[r.family_id]
                p = tt.placements[r.id]
                extra = " 🗣" if p.interpreter_id else ""
                cells.append(
                    f"<td class='busy'>{esc(fam.name)}{extra}<br>"
                    f"<small>{esc(', '.join(r.children))}</small></td>"
                )
            elif s in inst.teachers[t].slots:
                cells.append("<td></td>")
            elif s in inst.teachers[t].breaks:
                cells.append("<td class='off'>break</td>")
            else:
                cells.append("<td class='off'>not here</td>")
        rows.append(f"<tr><th>{fmt_time(st.slot_start(s))}</th>{''.join(cells)}</tr>")
    return (
        "<div class='pap-ev-scroll'><table class='pap-ev-table pap-ev-grid pap-ev-timetable'>"
        f"<thead><tr><th>Time</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def evening_planner(module: str = "evening-planner") -> ipw.VBox:
    """The planner: upload (or the sample school), match columns, set the evening, solve."""
    from widgets.evening import ingest

    status = ipw.HTML()
    state: dict = {"tables": {}, "files": {}, "choices": {}, "inst": None, "tt": None,
                   "report": None}

    # ---- step 1: upload ----------------------------------------------------------------
    uploads: dict[str, ipw.FileUpload] = {}
    upload_info = {k: ipw.HTML() for k in ingest.KINDS}
    rows1: list[ipw.Widget] = []
    for kind in ingest.KINDS:
        up = ipw.FileUpload(accept=".csv,.tsv,.txt,.xlsx,.xlsm,.gz", multiple=False,
                           description="Choose file")
        up.add_class(f"pap-ev-upload-{kind}")
        uploads[kind] = up
        rows1.append(ipw.HTML(f"<b>{esc(KIND_TITLES[kind])}</b>"))
        rows1.append(ipw.HBox([up, upload_info[kind]]))
    small_btn = ipw.Button(description="Use the small sample school", layout=_AUTO)
    small_btn.add_class("pap-ev-sample-small")
    large_btn = ipw.Button(description="Use the large sample school (1,000 families)", layout=_AUTO)
    large_btn.add_class("pap-ev-sample-large")
    to_map_btn = ipw.Button(description="Next: match columns", button_style="primary", layout=_AUTO)
    step1 = ipw.VBox(
        [
            ipw.HTML(
                "<p>Upload your school's exports as CSV or Excel (.xlsx). Column names do not "
                "need to match ours: you choose which column is which in the next step. Files "
                "stay in this page and are not saved.</p>"
            ),
            *rows1,
            ipw.HTML("<p style='margin-top:10px'>No files to hand? Try the planner with made-up "
                     "data:</p>"),
            ipw.HBox([small_btn, large_btn]),
            ipw.HBox([to_map_btn]),
        ]
    )

    # ---- step 2: column mapping ------------------------------------------------------
    map_box = ipw.VBox([ipw.HTML("<p>Upload the families and teachers files first.</p>")])
    dropdowns: dict[str, dict[str, ipw.Dropdown]] = {}
    check_btn = ipw.Button(description="Check the rows", button_style="primary", layout=_AUTO)
    check_btn.add_class("pap-ev-check")
    check_out = ipw.HTML()
    check_out.add_class("pap-ev-check-out")
    conflict_box = ipw.VBox()
    conflict_box.add_class("pap-ev-conflicts")
    step2 = ipw.VBox([map_box, ipw.HBox([check_btn]), check_out, conflict_box])

    # ---- step 3: settings -------------------------------------------------------------
    sw = _settings_widgets()
    to_solve_btn = ipw.Button(description="Next: make the timetable", layout=_AUTO)
    step3 = ipw.VBox(
        [
            ipw.HTML(
                "<p>Set up the evening. Families who can only come after work, teachers' breaks "
                "and walking time between rooms are all respected.</p>"
            ),
            *sw.values(),
            ipw.HBox([to_solve_btn]),
        ]
    )

    # ---- step 4: solve and results ----------------------------------------------------
    solve_btn = ipw.Button(description="Make the timetable", button_style="success", layout=_AUTO)
    solve_btn.add_class("pap-ev-solve")
    summary = ipw.HTML()
    summary.add_class("pap-ev-summary")
    view_pick = ipw.Dropdown(description="Show", options=[], layout=ipw.Layout(width="460px"))
    grid = ipw.HTML()
    report_html = ipw.HTML()
    report_html.add_class("pap-ev-report")
    downloads = ipw.HTML()
    downloads.add_class("pap-ev-downloads")
    family_pick = ipw.Dropdown(description="Family", options=[], layout=ipw.Layout(width="420px"))
    family_pick.add_class("pap-ev-family")
    lang_pick = ipw.Dropdown(
        description="Language",
        options=[("Their home language", "")] + _letter_language_options(),
        value="",
        layout=ipw.Layout(width="300px"),
    )
    letter_link = ipw.HTML()
    letter_link.add_class("pap-ev-letter")
    letter_preview = ipw.HTML()
    cal_btn = ipw.Button(description="Prepare calendar files (.ics)", layout=_AUTO)
    cal_links = ipw.HTML()
    results = ipw.VBox(
        [
            summary,
            view_pick,
            grid,
            ipw.HTML("<h4>Fairness report</h4>"),
            report_html,
            ipw.HTML("<h4>Downloads</h4>"),
            downloads,
            ipw.HBox([cal_btn]),
            cal_links,
            ipw.HTML("<h4>One family's letter</h4>"),
            ipw.HBox([family_pick, lang_pick]),
            letter_link,
            letter_preview,
        ]
    )
    results.layout.display = "none"
    step4 = ipw.VBox([ipw.HBox([solve_btn]), results])

    tabs = ipw.Tab(children=[step1, step2, step3, step4])
    for i, t in enumerate(["1. Upload", "2. Match columns", "3. The evening", "4. Timetable"]):
        tabs.set_title(i, t)
    tabs.add_class("pap-ev-tabs")

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
                ipw.HTML(
                    f"<b>{esc(KIND_TITLES[kind])}</b> · {esc(table.name)}, "
                    f"{len(table.rows)} rows"
                )
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
        kids.append(ipw.HTML("<p><small>* needed. (*) needed unless the fields it can be made "
                             "from are chosen: a child's name from forename and surname, a "
                             "family from the contact email. We matched the columns we "
                             "recognised; check each one and change any that are wrong.</small>"
                             "</p>"))
        map_box.children = kids
        conflict_box.children = []

    def _mappings() -> dict[str, dict[str, str | None]]:
        return {
            kind: {f: (dd.value if dd.value != NONE_COL else None) for f, dd in dds.items()}
            for kind, dds in dropdowns.items()
        }

    def _set_table(kind: str, table) -> None:
        state["tables"][kind] = table
        upload_info[kind].value = (
            f"<span style='margin-left:8px'>✅ {esc(table.name)}: {len(table.rows)} rows, "
            f"{len(table.columns)} columns</span>"
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
        _fill_settings(sw, spec.settings)
        _build_mapping_ui(ingest.KINDS)
        show_message(status, f"Loaded the sample: {spec.label}. Check the columns next.", "success")
        tabs.selected_index = 1

    small_btn.on_click(guarded(status)(lambda _b: _use_sample("small")))
    large_btn.on_click(guarded(status)(lambda _b: _use_sample("large")))

    @guarded(status)
    def _to_map(_b) -> None:
        missing = [k for k in ("families", "teachers") if k not in state["tables"]]
        if missing:
            raise UserFacingError(
                "Upload the " + " and ".join(missing) + " file first, or use a sample school."
            )
        tabs.selected_index = 1

    to_map_btn.on_click(_to_map)

    def _load():
        missing = [k for k in ("families", "teachers") if k not in state["tables"]]
        if missing:
            raise UserFacingError(
                "Upload the " + " and ".join(missing) + " file first, or use a sample school."
            )
        settings = _settings_from(sw)
        return ingest.load_all(settings, state["tables"], _mappings(), state["choices"])

    def _problems_html(loaded) -> str:
        from widgets.evening.status import check_outcome

        outcome = check_outcome(loaded)
        parts = [message_html(outcome.text, outcome.kind, title=outcome.title)]
        for kind in (*ingest.KINDS, "joined"):
            probs = loaded.problems.get(kind, [])
            if kind in loaded.counts:
                good, total = loaded.counts[kind]
                if total:
                    parts.append(
                        f"<p>{esc(KIND_TITLES[kind])}: <b>{good} of {total}</b> rows are ready."
                        "</p>"
                    )
            if probs:
                lines = ingest.problem_lines(probs, 60)
                title = (
                    "Requests that could not be joined up"
                    if kind == "joined"
                    else "Rows to fix (the other rows are kept)"
                )
                parts.append(
                    f"<p><b>{esc(title)}:</b></p><ul class='pap-ev-problems'>"
                    + "".join(f"<li>{esc(x)}</li>" for x in lines)
                    + "</ul>"
                )
        return "".join(parts)

    def _conflict_widgets(loaded) -> list[ipw.Widget]:
        """Each family id with rows for different households, side by side, and a choice."""
        from widgets.evening.status import conflict_html

        if not loaded.conflicts:
            return []
        kids: list[ipw.Widget] = [ipw.HTML(
            "<h4>One family id, different households</h4><p>These rows share a family id but "
            "not the parent, the email or the home language. Until you choose they are planned "
            "as separate families, so no letter names another household's child.</p>"
        )]
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
            kids.append(ipw.HTML(f"<p>… and {len(loaded.conflicts) - 100} more: fix the family "
                                 "ids in the file.</p>"))
        return kids

    @guarded(status)
    def _check(_b) -> None:
        loaded = _load()
        check_out.value = _problems_html(loaded)
        conflict_box.children = _conflict_widgets(loaded)
        status.value = ""

    check_btn.on_click(_check)
    to_solve_btn.on_click(guarded(status)(lambda _b: _go_solve()))

    def _go_solve() -> None:
        _settings_from(sw)  # a plain message now if a setting is wrong
        get_store().save(current_visitor().id, module, "settings", _settings_to_json(sw))
        tabs.selected_index = 3

    @guarded(status)
    def _solve(_b) -> None:
        from widgets.evening import fairness, outputs
        from widgets.evening.scheduler import solve, upper_bound
        from widgets.evening.status import timetable_outcome
        from widgets.evening.verify import verify

        solve_btn.disabled = True
        try:
            show_message(status, "Working out the timetable…", "info")
            loaded = _load()
            inst = loaded.instance
            if not inst.requests:
                raise UserFacingError(
                    "No request could be read from the families file. Check the column "
                    "matching in step 2."
                )
            t0 = time.perf_counter()
            tt = solve(inst)
            tt.upper_bound = upper_bound(inst)
            broken = verify(tt, inst)
            if broken:  # never show a timetable that breaks a rule
                raise RuntimeError("timetable check failed: " + broken[0])
            rep = fairness.build_report(inst, tt)
            state.update(inst=inst, tt=tt, report=rep)
            from widgets.evening import current  # reminders and attendance panels

            current.publish(inst, tt)
            secs = time.perf_counter() - t0
            try:
                get_store().save(
                    current_visitor().id, module, "settings", _settings_to_json(sw)
                )
            except Exception:  # saving settings is a convenience; the timetable still shows
                pass
            outcome = timetable_outcome(loaded, rep)
            summary.value = message_html(
                outcome.text + f"\nWorked out in {secs:.1f} s.", outcome.kind,
                title=outcome.title,
            )
            if loaded.conflicts:
                conflict_box.children = _conflict_widgets(loaded)
            opts = [("The whole evening (all teachers)" if len(inst.teachers) <= 12
                     else "The first 10 teachers", "__all__")]
            opts += [(f"{t.name} · {t.room}", tid) for tid, t in inst.teachers.items()]
            view_pick.options = opts
            view_pick.value = "__all__"
            _show_grid()
            report_html.value = fairness.report_html(rep, inst)
            reasons = {u.request.id: u.reason for u in rep.unplaced}
            school = outputs.safe_name(inst.settings.school)
            downloads.value = (
                download_html(outputs.timetable_csv(inst, tt, reasons),
                              f"timetable_{school}.csv", "Timetable (CSV)", "text/csv")
                + download_html(outputs.teacher_sheets_html(inst, tt),
                                f"teacher_sheets_{school}.html", "Teacher sheets (print)",
                                "text/html")
                + download_html(outputs.all_letters_html(inst, tt), f"letters_{school}.html",
                                "All letters (print)", "text/html")
                + download_html(outputs.letters_zip(inst, tt), f"letters_{school}.zip",
                                "Letters, one file each (zip)", "application/zip")
            )
            cal_links.value = ""
            fam_opts = [
                (f"{f.name} ({f.id}) · {f.language}", fid)
                for fid, f in inst.families.items()
            ]
            family_pick.options = fam_opts
            if fam_opts:
                family_pick.value = fam_opts[0][1]
            _show_letter()
            results.layout.display = None
            status.value = ""
        finally:
            solve_btn.disabled = False

    solve_btn.on_click(_solve)

    def _show_grid() -> None:
        inst, tt = state["inst"], state["tt"]
        if inst is None:
            return
        if view_pick.value == "__all__":
            ids = list(inst.teachers)[:12 if len(inst.teachers) <= 12 else 10]
        else:
            ids = [view_pick.value]
        grid.value = _grid_html(inst, tt, ids)

    view_pick.observe(guarded(status)(lambda _c: _show_grid()), names="value")

    def _show_letter() -> None:
        from widgets.evening import outputs

        inst, tt = state["inst"], state["tt"]
        fid = family_pick.value
        if inst is None or not fid:
            return
        page = outputs.letter_html(inst, tt, fid, lang_pick.value or None)
        lang = lang_pick.value or outputs.letter_language(inst.families[fid].language)
        ics = outputs.family_ics(inst, tt, fid)  # None without a time: no empty calendar
        base = outputs.safe_name(fid)
        letter_link.value = download_html(
            page, f"letter_{base}_{lang}.html", "Download this letter", "text/html"
        ) + (
            download_html(ics, f"evening_{base}.ics", "Calendar file (.ics)", "text/calendar")
            if ics
            else "<small>No calendar file: this family has no time; their letter says the "
                 "school will call them.</small>"
        )
        letter_preview.value = (
            "<div style='border:1px solid #d0d7de;padding:4px 16px;max-height:420px;"
            "overflow:auto' class='pap-ev-letter-preview'>"
            + outputs.letter_body(inst, tt, fid, lang_pick.value or None)
            + "</div>"
        )

    family_pick.observe(guarded(status)(lambda _c: _show_letter()), names="value")
    lang_pick.observe(guarded(status)(lambda _c: _show_letter()), names="value")

    @guarded(status)
    def _calendars(_b) -> None:
        from widgets.evening import outputs

        inst, tt = state["inst"], state["tt"]
        if inst is None:
            raise UserFacingError("Make the timetable first.")
        cal_btn.disabled = True
        try:
            school = outputs.safe_name(inst.settings.school)
            cal_links.value = download_html(
                outputs.ics_zip(inst, tt, "families"), f"calendars_families_{school}.zip",
                "Family calendars (zip of .ics)", "application/zip",
            ) + download_html(
                outputs.ics_zip(inst, tt, "teachers"), f"calendars_teachers_{school}.zip",
                "Teacher calendars (zip of .ics)", "application/zip",
            )
        finally:
            cal_btn.disabled = False

    cal_btn.on_click(_calendars)

    @guarded(status)
    def _fill(visitor: Visitor) -> None:
        saved = get_store().get(visitor.id, module, "settings", None)
        if isinstance(saved, dict):
            _fill_settings(sw, saved)

    when_known(_fill)

    box = ipw.VBox([ipw.HTML(STYLE), tabs, status])
    box.add_class("pap-evening-planner")
    return box


def survey_analysis(module: str = "evening-planner") -> ipw.VBox:
    """Download the after-evening survey; upload the answers for a per-question summary."""
    from widgets.evening import survey as sv

    status = ipw.HTML()
    try:
        srv = sv.load_survey()
    except Exception as exc:
        from widgets.ui import plain_error

        return card([ipw.HTML(message_html(plain_error(exc), "error"))],
                    title="The survey could not load")
    links = ipw.HTML(
        download_html(sv.survey_html(srv), "parents_evening_survey.html",
                      "Survey to print", "text/html")
        + download_html(sv.survey_csv_header(srv), "survey_answers_template.csv",
                        "Empty answers sheet (CSV)", "text/csv")
    )
    up = ipw.FileUpload(accept=".csv,.txt", multiple=False, description="Answers CSV")
    up.add_class("pap-ev-survey-upload")
    sample_btn = ipw.Button(description="Use the sample answers", layout=_AUTO)
    sample_btn.add_class("pap-ev-survey-sample")
    out = ipw.HTML()
    out.add_class("pap-ev-survey-out")

    def _show(data: bytes, name: str) -> None:
        res = sv.analyse(data, name, srv)
        out.value = sv.result_html(res)
        status.value = ""

    @guarded(status)
    def _on_upload(change: dict) -> None:
        files = change["new"]
        if files:
            _show(bytes(files[0]["content"]), files[0]["name"])

    @guarded(status)
    def _on_sample(_b) -> None:
        from widgets.datasets import dataset_path

        _show(dataset_path("evening/survey_sample.csv").read_bytes(), "survey_sample.csv")

    up.observe(_on_upload, names="value")
    sample_btn.on_click(_on_sample)
    qs = "".join(f"<li>{esc(q.text)}</li>" for q in srv.questions)
    return card(
        [
            ipw.HTML(STYLE),
            ipw.HTML(f"<p>{esc(srv.intro)}</p><details><summary>The questions</summary>"
                     f"<ol>{qs}</ol></details>"),
            links,
            ipw.HBox([up, sample_btn]),
            out,
            status,
        ],
        title=srv.title,
    )


def booking_comparison(module: str = "parents-evenings", sample: str = "small") -> ipw.VBox:
    """First come, first served against the planner, on the same sample school."""
    status = ipw.HTML()
    out = ipw.HTML()
    out.add_class("pap-ev-compare")
    btn = ipw.Button(description="Compare the two ways of booking", button_style="primary",
                     layout=_AUTO)
    btn.add_class("pap-ev-compare-btn")

    @guarded(status)
    def _go(_b) -> None:
        from widgets.evening.fairness import build_report
        from widgets.evening.ingest import load_sample
        from widgets.evening.scheduler import first_come_first_served, solve

        inst = load_sample(sample).instance
        rows = []
        for tt in (first_come_first_served(inst), solve(inst)):
            rep = build_report(inst, tt)
            need = [r for r in inst.requests if inst.families[r.family_id].needs_interpreter]
            must = [r for r in inst.requests if r.priority == 1]
            late = [r for r in inst.requests
                    if inst.families[r.family_id].window[0] > inst.settings.start + 60]

            def pct(rs: list, placed: dict = tt.placements) -> str:
                got = sum(r.id in placed for r in rs)
                return f"{100 * got / len(rs):.0f}%" if rs else "–"

            rows.append([tt.method, f"{rep.placed} of {rep.requested}", pct(must), pct(need),
                         pct(late), f"{rep.families_with_none}"])
        head = ["How times are given", "Meetings placed", "“Must meet” placed",
                "Families needing an interpreter", "Families who can only come late",
                "Families with no meeting"]
        out.value = (
            "<table class='pap-ev-table'><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head)
            + "</tr>" + "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows
            ) + "</table>"
        )
        status.value = ""

    btn.on_click(_go)
    return card(
        [
            ipw.HTML(STYLE),
            ipw.HTML(
                "<p>The sample school: 40 families, 8 teachers, 4 interpreters. In the first row "
                "families book online in the order they get round to it; those who need an "
                "interpreter or work late tend to book last. In the second the school plans the "
                "times, with its priorities first.</p>"
            ),
            btn,
            out,
            status,
        ],
        title="Same evening, two ways of booking",
    )

"""The planner's step 4: the timetable grid, the fairness report, downloads, one family's letter.

Only lays out widgets and wires their events; the timetable, letters and files come from
:mod:`widgets.evening.outputs` and :mod:`widgets.evening.fairness`.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.evening.settings_view import AUTO, letter_language_options
from widgets.html import render
from widgets.ui import UserFacingError, download_html, guarded, message_html, text_html


def grid_html(inst, tt, teacher_ids: list[str]) -> str:
    """Slots down, teachers across: each cell the family and child (escaped by the template)."""
    from widgets.evening.data import fmt_time

    st = inst.settings
    at = {}
    req = {r.id: r for r in inst.requests}
    for rid, p in tt.placements.items():
        at[(req[rid].teacher_id, p.slot)] = req[rid]
    rows = []
    for s in range(st.n_slots):
        cells = []
        for t in teacher_ids:
            r = at.get((t, s))
            if r is not None:
                p = tt.placements[r.id]
                signs = " 🗣" if p.interpreter_id else ""
                signs += {"phone": " 📞", "video": " 🎥"}.get(r.mode, "")
                if r.with_households:
                    signs += " 👪"
                cells.append({"kind": "busy", "family": inst.families[r.family_id].name,
                              "signs": signs, "children": ", ".join(r.children)})
            elif s in inst.teachers[t].slots:
                cells.append({"kind": "free"})
            else:
                cells.append({"kind": "off",
                              "what": "break" if s in inst.teachers[t].breaks else "not here"})
        rows.append({"time": fmt_time(st.slot_start(s)), "cells": cells})
    return render("evening/grid.html", teachers=[inst.teachers[t] for t in teacher_ids],
                  rows=rows)


class Results:
    """Step 4's widgets; :meth:`show` fills them for a solved evening."""

    def __init__(self, status: ipw.HTML) -> None:
        self.status = status
        self.state: dict = {"inst": None, "tt": None}
        self.summary = ipw.HTML()
        self.summary.add_class("pap-ev-summary")
        self.view_pick = ipw.Dropdown(description="Show", options=[],
                                      layout=ipw.Layout(width="460px"))
        self.grid = ipw.HTML()
        self.report_html = ipw.HTML()
        self.report_html.add_class("pap-ev-report")
        self.downloads = ipw.HTML()
        self.downloads.add_class("pap-ev-downloads")
        self.family_pick = ipw.Dropdown(description="Family", options=[],
                                        layout=ipw.Layout(width="420px"))
        self.family_pick.add_class("pap-ev-family")
        self.lang_pick = ipw.Dropdown(
            description="Language",
            options=[("Their home language", "")] + letter_language_options(),
            value="",
            layout=ipw.Layout(width="300px"),
        )
        self.letter_link = ipw.HTML()
        self.letter_link.add_class("pap-ev-letter")
        self.letter_preview = ipw.HTML()
        self.cal_btn = ipw.Button(description="Prepare calendar files (.ics)", layout=AUTO)
        self.cal_links = ipw.HTML()
        self.box = ipw.VBox(
            [
                self.summary,
                self.view_pick,
                self.grid,
                ipw.HTML(text_html("Fairness report", "h4")),
                self.report_html,
                ipw.HTML(text_html("Downloads", "h4")),
                self.downloads,
                ipw.HBox([self.cal_btn]),
                self.cal_links,
                ipw.HTML(text_html("One family's letter", "h4")),
                ipw.HBox([self.family_pick, self.lang_pick]),
                self.letter_link,
                self.letter_preview,
            ]
        )
        self.box.layout.display = "none"
        self.view_pick.observe(guarded(status)(lambda _c: self._show_grid()), names="value")
        self.family_pick.observe(guarded(status)(lambda _c: self._show_letter()), names="value")
        self.lang_pick.observe(guarded(status)(lambda _c: self._show_letter()), names="value")
        self.cal_btn.on_click(guarded(status)(self._calendars))

    def show(self, loaded, inst, tt, rep, secs: float) -> None:
        """Fill every part of step 4 for this timetable (already verified by the caller)."""
        from widgets.evening import fairness, outputs
        from widgets.evening.status import timetable_outcome

        self.state.update(inst=inst, tt=tt)
        outcome = timetable_outcome(loaded, rep)
        self.summary.value = message_html(
            outcome.text + f"\nWorked out in {secs:.1f} s.", outcome.kind, title=outcome.title
        )
        opts = [("The whole evening (all teachers)" if len(inst.teachers) <= 12
                 else "The first 10 teachers", "__all__")]
        opts += [(f"{t.name} · {t.room}", tid) for tid, t in inst.teachers.items()]
        self.view_pick.options = opts
        self.view_pick.value = "__all__"
        self._show_grid()
        self.report_html.value = fairness.report_html(rep, inst)
        reasons = {u.request.id: u.reason for u in rep.unplaced}
        school = outputs.safe_name(inst.settings.school)
        self.downloads.value = (
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
        self.cal_links.value = ""
        fam_opts = [
            (f"{f.name} ({f.id}) · {f.language}", fid) for fid, f in inst.families.items()
        ]
        self.family_pick.options = fam_opts
        if fam_opts:
            self.family_pick.value = fam_opts[0][1]
        self._show_letter()
        self.box.layout.display = None

    def _show_grid(self) -> None:
        inst, tt = self.state["inst"], self.state["tt"]
        if inst is None:
            return
        if self.view_pick.value == "__all__":
            ids = list(inst.teachers)[:12 if len(inst.teachers) <= 12 else 10]
        else:
            ids = [self.view_pick.value]
        self.grid.value = grid_html(inst, tt, ids)

    def _show_letter(self) -> None:
        from widgets.evening import outputs

        inst, tt = self.state["inst"], self.state["tt"]
        fid = self.family_pick.value
        if inst is None or not fid:
            return
        lang_choice = self.lang_pick.value or None
        page = outputs.letter_html(inst, tt, fid, lang_choice)
        lang = lang_choice or outputs.letter_language(inst.families[fid].language)
        ics = outputs.family_ics(inst, tt, fid)  # None without a time: no empty calendar
        base = outputs.safe_name(fid)
        self.letter_link.value = download_html(
            page, f"letter_{base}_{lang}.html", "Download this letter", "text/html"
        ) + (
            download_html(ics, f"evening_{base}.ics", "Calendar file (.ics)", "text/calendar")
            if ics
            else text_html("No calendar file: this family has no time; their letter says the "
                           "school will call them.", "small")
        )
        self.letter_preview.value = outputs.letter_preview_html(inst, tt, fid, lang_choice)

    def _calendars(self, _b) -> None:
        from widgets.evening import outputs

        inst, tt = self.state["inst"], self.state["tt"]
        if inst is None:
            raise UserFacingError("Make the timetable first.")
        self.cal_btn.disabled = True
        try:
            school = outputs.safe_name(inst.settings.school)
            self.cal_links.value = download_html(
                outputs.ics_zip(inst, tt, "families"), f"calendars_families_{school}.zip",
                "Family calendars (zip of .ics)", "application/zip",
            ) + download_html(
                outputs.ics_zip(inst, tt, "teachers"), f"calendars_teachers_{school}.zip",
                "Teacher calendars (zip of .ics)", "application/zip",
            )
        finally:
            self.cal_btn.disabled = False

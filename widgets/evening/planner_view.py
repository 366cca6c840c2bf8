"""The parents' evening planner: a thin view that lays out the steps and wires them together.

Steps: 1 upload, 2 match columns (:mod:`widgets.evening.intake_view`), 3 the evening
(:mod:`widgets.evening.settings_view`), 4 the timetable (:mod:`widgets.evening.results_view`),
5 families' own requests (:mod:`widgets.evening.requests_view`). Uploaded files stay in this
page's memory; the evening settings are kept in the store, and so are request windows, the
households invited and their replies (families asked for them through their personal links).
"""

from __future__ import annotations

import time

import ipywidgets as ipw

from widgets.evening.intake_view import intake_steps
from widgets.evening.results_view import Results
from widgets.evening.settings_view import (
    AUTO,
    STYLE,
    fill_settings,
    settings_from,
    settings_to_json,
    settings_widgets,
)
from widgets.identity import Visitor, when_known
from widgets.saving import save_answer, show_save
from widgets.store import get_store
from widgets.ui import UserFacingError, guarded, show_message, text_html

SETTINGS_KEPT = "the settings are still in step 3, and the timetable is made from them"

TAB_TITLES = ["1. Upload", "2. Match columns", "3. The evening", "4. Timetable",
              "5. Families' requests"]


def evening_planner(module: str = "evening-planner") -> ipw.VBox:
    """The planner: upload (or the sample school), match columns, set the evening, solve; and
    open a request window so families choose their own meetings."""
    from widgets.evening.requests_view import RequestsPanel

    status = ipw.HTML()
    state: dict = {"tables": {}, "files": {}, "choices": {}, "inst": None}
    tabs = ipw.Tab()

    def go_to(i: int) -> None:
        tabs.selected_index = i

    sw = settings_widgets()
    intake = intake_steps(status, sw, state, go_to)

    to_solve_btn = ipw.Button(description="Next: make the timetable", layout=AUTO)
    step3 = ipw.VBox(
        [
            ipw.HTML(text_html(
                "Set up the evening. Families who can only come after work, teachers' breaks "
                "and walking time between rooms are all respected. Phone and video meetings "
                "use no room; a video link pattern (with {teacher}) gives each teacher a link "
                "unless the teachers file has their own."
            )),
            *sw.values(),
            ipw.HBox([to_solve_btn]),
        ]
    )

    solve_btn = ipw.Button(description="Make the timetable", button_style="success", layout=AUTO)
    solve_btn.add_class("pap-ev-solve")
    results = Results(status)
    step4 = ipw.VBox([ipw.HBox([solve_btn]), results.box])

    requests = RequestsPanel(status, sw, state, module, intake.mappings)

    tabs.children = [intake.step1, intake.step2, step3, step4, requests.box]
    for step in tabs.children:  # the page moves focus to a step that "Next" opens (a11y.html.j2)
        step.add_class("pap-step")
    for i, t in enumerate(TAB_TITLES):
        tabs.set_title(i, t)
    tabs.add_class("pap-ev-tabs")

    def _save_settings() -> bool:
        """Keep the evening's settings in the store; a failed save is named in the status line
        (the boxes keep what was typed, and the timetable is made from them all the same)."""
        res = save_answer(module, "settings", settings_to_json(sw), kept=SETTINGS_KEPT)
        if not res.ok:
            show_save(status, res)
        return res.ok

    def _go_solve() -> None:
        settings_from(sw)  # a plain message now if a setting is wrong
        if _save_settings():
            status.value = ""
        go_to(3)

    to_solve_btn.on_click(guarded(status)(lambda _b: _go_solve()))

    def _load():
        """From the uploads, or from families' requests mixed with any uploads."""
        if requests.use_requests():
            return requests.load(settings_from(sw), intake.mappings())
        return intake.load()

    @guarded(status)
    def _solve(_b) -> None:
        from widgets.evening import fairness
        from widgets.evening.scheduler import solve, upper_bound
        from widgets.evening.verify import verify

        solve_btn.disabled = True
        try:
            show_message(status, "Working out the timetable…", "info")
            loaded = _load()
            inst = loaded.instance
            if not inst.requests:
                raise UserFacingError(
                    "No request could be read from the families file or the families' replies. "
                    "Check the column matching in step 2, or wait for replies in step 5."
                )
            t0 = time.perf_counter()
            tt = solve(inst)
            tt.upper_bound = upper_bound(inst)
            broken = verify(tt, inst)
            if broken:  # never show a timetable that breaks a rule
                raise RuntimeError("timetable check failed: " + broken[0])
            rep = fairness.build_report(inst, tt)
            state.update(inst=inst, tt=tt)
            from widgets.evening import current  # the reminders and attendance panels read it

            current.publish(inst, tt)
            if loaded.conflicts:
                intake.conflict_box.children = intake.conflict_widgets(loaded)
            results.show(loaded, inst, tt, rep, time.perf_counter() - t0)
            status.value = ""
            _save_settings()  # after the timetable shows: a failed save stays in the status
        finally:
            solve_btn.disabled = False

    solve_btn.on_click(_solve)

    @guarded(status)
    def _fill(visitor: Visitor) -> None:
        saved = get_store().get(visitor.id, module, "settings", None)
        if isinstance(saved, dict):
            kept_default = fill_settings(sw, saved)
            if kept_default:
                show_message(
                    status,
                    "Some saved settings no longer fit and show their default instead: "
                    f"{', '.join(kept_default)}. Check them in step 3.",
                    "warning",
                )
        requests.refresh_windows(visitor)

    when_known(_fill)

    box = ipw.VBox([ipw.HTML(STYLE), tabs, status])
    box.add_class("pap-evening-planner")
    return box

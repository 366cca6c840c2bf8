"""The after-evening survey and the "two ways of booking" comparison: thin views."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.evening.settings_view import AUTO, STYLE
from widgets.html import render
from widgets.ui import card, download_html, guarded, message_html, text_html


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
    sample_btn = ipw.Button(description="Use the sample answers", layout=AUTO)
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
    return card(
        [
            ipw.HTML(STYLE),
            ipw.HTML(render("evening/survey_intro.html", intro=srv.intro,
                            questions=srv.questions)),
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
                     layout=AUTO)
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
        out.value = render("evening/compare.html", head=head, rows=rows)
        status.value = ""

    btn.on_click(_go)
    return card(
        [
            ipw.HTML(STYLE),
            ipw.HTML(text_html(
                "The sample school: 40 families, 8 teachers, 4 interpreters. In the first row "
                "families book online in the order they get round to it; those who need an "
                "interpreter or work late tend to book last. In the second the school plans the "
                "times, with its priorities first."
            )),
            btn,
            out,
            status,
        ],
        title="Same evening, two ways of booking",
    )

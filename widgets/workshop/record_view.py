"""The participant's record page (thin view): the PD record worth keeping, with a checkable id.

Builds on :mod:`widgets.workshop.model` (what is done) and :mod:`widgets.workshop.pd_record`
(objectives, mode, dates, time measured, evidence, checks and self-rating change). "Prepare my
certificate" issues the record in the store under a random id that the verify page looks up.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import ipywidgets as ipw

from widgets.html import render
from widgets.identity import Visitor, VisitorUnknown, current_visitor, when_known
from widgets.knowledge_check.model import all_depths, changes_from_rows, check_scores_from_rows
from widgets.landing.model import LEARNING_KINDS, load_catalogue
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    guarded,
    plain,
    plain_error,
    show_message,
)
from widgets.workshop import model, pd_record

_AUTO = ipw.Layout(width="auto")


def build(v: Visitor, name: str = "", school: str = "", facilitator: str = "") -> tuple:
    """(PDRecord, Completion) for a visitor, from the store and the catalogue."""
    entries = [e for e in load_catalogue().entries if e.kind in LEARNING_KINDS]
    rows = get_store().answers(participant_id=v.id)
    comp = model.completion(rows, [(e.id, e.title, e.minutes or 0) for e in entries])
    notes = []
    try:
        depths = all_depths()
    except Exception as exc:  # noqa: BLE001 - a broken check file must not hide the record
        depths = {}
        notes.append(
            "The self-rating changes are left off this record because a file needs fixing: "
            + plain_error(exc)
        )
    ratings = {m: c.words for m, c in changes_from_rows(rows, depths).items() if c.paired}
    ws = (v.workshop.title, v.workshop.date) if v.workshop else None
    rec = pd_record.build_record(
        rows,
        comp,
        name=name,
        school=school,
        issued=datetime.now(),
        objectives={e.id: e.objectives for e in entries},
        workshop=ws,
        facilitator=facilitator,
        checks=check_scores_from_rows(rows),
        ratings=ratings,
    )
    return dataclasses.replace(rec, notes=notes), comp


def my_record() -> ipw.VBox:
    """The visitor's record: modules, time, evidence, self-rating change; HTML and PDF with an id."""
    status, summary, links = ipw.HTML(), plain("Loading your record…"), ipw.HTML()
    wide = ipw.Layout(width="min(100%, 28em)")
    name = ipw.Text(
        description="Name on it", placeholder="your name as it should appear", layout=wide
    )
    school = ipw.Text(description="School", placeholder="optional", layout=wide)
    facilitator = ipw.Text(
        description="Facilitator",
        placeholder="who led your workshop (optional)",
        layout=ipw.Layout(width="min(100%, 28em)"),  # its own: hiding it must not hide the rest
    )
    facilitator.layout.display = "none"  # shown for workshop participants only
    make = ipw.Button(description="Prepare my certificate", button_style="primary", layout=_AUTO)
    make.add_class("pap-prepare-record")

    @guarded(status)
    def _fill(v: Visitor) -> None:
        rec, comp = build(v)
        if v.participant.display_name and not name.value:
            name.value = v.participant.display_name
        if v.workshop:
            facilitator.layout.display = None
        summary.value = render(
            "pd_record/record_summary.html",
            r=rec,
            saving_to=v.saving_to,
            reflections=len(comp.reflections),
        )
        if rec.notes:
            show_message(status, " ".join(rec.notes), "warning")

    @guarded(status)
    def _make(_b: ipw.Button) -> None:
        v = current_visitor()
        rec, comp = build(v, name.value, school.value, facilitator.value)
        issued = get_store().issue_record(v.id, pd_record.certified(rec))
        rec = dataclasses.replace(rec, record_id=issued.id)
        page = pd_record.record_html(rec, comp.reflections)
        from widgets.workshop.certificate_pdf import certificate_pdf

        pdf = certificate_pdf(
            name.value.strip(), comp, datetime.now(), school.value.strip(), details=rec
        )
        links.value = download_html(
            page,
            "professional-learning-record.html",
            "Record and portfolio (web page)",
            "text/html",
        ) + download_html(
            pdf,
            "professional-learning-record.pdf",
            "Record and portfolio (PDF)",
            "application/pdf",
        )
        show_message(
            status,
            f"Record issued with the id {issued.id}. Anyone can check it on the page "
            '"Check a learning record" (verify_record.ipynb). It certifies what your record '
            "shows now; prepare a new one after more modules.",
            "success",
        )

    forget_ok = ipw.Checkbox(
        description="Yes, delete every answer in this record", indent=False, layout=wide
    )
    forget = ipw.Button(description="Delete my answers", button_style="danger", layout=_AUTO)
    forget.add_class("pap-delete-mine")
    forget_status = ipw.HTML()

    @guarded(forget_status)
    def _forget(_b: ipw.Button) -> None:
        v = current_visitor()  # only ever this page's own visitor
        if not forget_ok.value:
            raise UserFacingError("Tick the box first to confirm you want every answer deleted.")
        n = get_store().delete_answers(v.id)
        forget_ok.value = False
        links.value = ""
        _fill(v)
        show_message(
            forget_status,
            f"Deleted {n} answer{'s' if n != 1 else ''} from {v.saving_to}, and withdrew any "
            "record issued from them. Nothing else was touched.",
            "success",
        )

    def _unknown(exc: VisitorUnknown) -> None:
        show_message(summary, str(exc), "warning")

    make.on_click(_make)
    forget.on_click(_forget)
    when_known(_fill, _unknown)
    mine = card(
        [
            plain(
                "Removes everything saved in this record (reflections, ratings, plans) and "
                "the name on it, and withdraws any record issued from it (its id then shows "
                '"not found"). Nobody else\'s answers are touched.'
            ),
            forget_ok,
            forget,
            forget_status,
        ],
        title="Delete my answers",
    )
    return ipw.VBox(
        [
            card(
                [summary, name, school, facilitator, make, links, status],
                title="My professional learning record",
            ),
            mine,
        ]
    )

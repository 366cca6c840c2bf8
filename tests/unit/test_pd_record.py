"""The PD record worth keeping: time measured, evidence, objectives, mode, and ids that can be
checked on the verify page (issued by the store, unguessable, withdrawn with the answers)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import ipywidgets as ipw
from pypdf import PdfReader

from widgets import identity
from widgets.store import (
    CODE_ALPHABET,
    AnswerRow,
    new_record_id,
    normalise_record_id,
)
from widgets.workshop import model, pd_record
from widgets.workshop.certificate_pdf import certificate_pdf
from widgets.workshop.verify_view import NOT_AN_ID, NOT_FOUND, lookup_html

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def _row(module: str, item: str, value, created: int, updated: int | None = None) -> AnswerRow:
    """A row saved ``created`` minutes after T0 and last changed ``updated`` minutes after it."""
    c = T0 + timedelta(minutes=created)
    u = T0 + timedelta(minutes=created if updated is None else updated)
    return AnswerRow(1, "p-x", None, None, module, item, value, c, u)


# -- time actually spent ----------------------------------------------------------------------


def test_time_spent_runs_from_first_to_last_save_with_each_pause_capped():
    rows = [
        _row("a", "reflection:x", {"text": "t"}, 0, 5),  # 0 and 5
        _row("a", "sorting:y", {"k": "v"}, 12),  # 12: gap 7
        _row("a", "reflection:z", {"text": "t"}, 200),  # 200: gap 188, counted as 15
        _row("b", "reflection:x", {"text": "t"}, 30),  # one save: nothing measurable
    ]
    spent = pd_record.time_spent(rows)
    assert spent["a"] == timedelta(minutes=5 + 7 + 15)
    assert spent["b"] == timedelta(0)
    assert pd_record.time_spent(list(reversed(rows))) == spent  # order of rows does not matter
    assert pd_record.time_spent(rows, cap=timedelta(minutes=5))["a"] == timedelta(minutes=15)
    assert (
        pd_record.minutes(timedelta(seconds=89)) == 1
        and pd_record.minutes(timedelta(seconds=90)) == 2
    )
    assert "lower bound" in pd_record.TIME_RULE and "15 minutes" in pd_record.TIME_RULE


# -- the record ---------------------------------------------------------------------------------

CAT = [
    ("why-partnership", "Why partnership matters", 30),
    ("one-to-one", "One-to-one meetings", 45),
]
EXPECTED = {
    "why-partnership": [model.Expected("reflection", "reflection:x", "reflection: x")],
    "one-to-one": [model.Expected("role-play", "roleplay:", "role-play", exact=False)],
}


def _rows() -> list[AnswerRow]:
    return [
        _row("why-partnership", "self-rating:before", {"a": 1}, 0),
        _row(
            "why-partnership", "reflection:x", {"prompt": "What changed?", "text": HOSTILE}, 3, 20
        ),
        _row("why-partnership", "check:answers", {"checked": True, "score": 3, "of": 4}, 25),
        _row("one-to-one", "roleplay:late:1", {"scenario": "late", "finished": False}, 60),
        _row("one-to-one", "plan:2026", {"rows": [1]}, 70),
        _row("one-to-one", "sorting:x:score", 3, 71),
    ]


def _build(rows=None, workshop=None, facilitator=""):
    rows = rows if rows is not None else _rows()
    comp = model.completion(rows, CAT, EXPECTED)
    return pd_record.build_record(
        rows,
        comp,
        name="Sam",
        school="École",
        issued=datetime(2026, 11, 25),
        objectives={"why-partnership": ["Tell involvement from engagement"]},
        workshop=workshop,
        facilitator=facilitator,
        checks={"why-partnership": (3, 4)},
        ratings={"why-partnership": "from 1.0 to 3.0 (+2.0) on 1 statement"},
    ), comp


def test_record_carries_objectives_mode_dates_time_checks_ratings_and_evidence():
    rec, _ = _build()
    assert (rec.mode, rec.workshop, rec.facilitator) == ("self-study", "", "")
    why, one = rec.modules
    assert why.completed and why.status == "done 2026-11-20" and why.earned_minutes == 30
    assert why.objectives == ["Tell involvement from engagement"] and one.objectives == []
    assert (why.first_date, why.last_date, why.spent_minutes) == (
        "2026-11-20",
        "2026-11-20",
        23,
    )  # 3 + 15 (a 17-minute pause) + 5
    assert (why.check, one.check) == ("3 of 4 right", "")
    assert why.rating.startswith("from 1.0 to 3.0")
    assert not one.completed and one.spent_minutes == 11
    assert (rec.earned_minutes, rec.spent_minutes) == (30, 34)
    kinds = [(e.kind, e.module) for e in rec.evidence]
    assert kinds == [
        ("reflection", "Why partnership matters"),
        ("action plan", "One-to-one meetings"),
    ]  # an unfinished role-play and a score are not evidence
    ws, _ = _build(workshop=("Autumn PD", "2026-11-20"), facilitator=" Ms Lee ")
    assert (ws.mode, ws.workshop, ws.facilitator) == (
        "workshop",
        "Autumn PD (2026-11-20)",
        "Ms Lee",
    )
    alone, _ = _build(facilitator="Ms Lee")
    assert alone.facilitator == "", "a facilitator is named only for a workshop"


def test_finished_role_play_is_evidence_as_a_debrief():
    rows = [
        _row(
            "one-to-one",
            "roleplay:late:1",
            {"scenario": "late_again", "finished": True, "outcome": "agreed"},
            5,
        )
    ]
    rec, _ = _build(rows)
    assert [(e.kind, e.label) for e in rec.evidence] == [
        ("role-play debrief", "conversation 'late again' (agreed)")
    ]


def test_what_is_certified_keeps_no_reflection_text():
    rec, _ = _build()
    data = pd_record.certified(rec)
    assert HOSTILE not in repr(data) and "What changed" not in repr(data)
    assert data["evidence"][0] == {
        "kind": "reflection",
        "module": "Why partnership matters",
        "date": "2026-11-20",
    }
    assert data["modules"][0]["spent_minutes"] == 23


def test_record_page_and_pdf_show_the_id_and_escape_what_was_typed():
    rec, comp = _build(facilitator=HOSTILE, workshop=("W <b>", ""))
    from dataclasses import replace

    rec = replace(rec, record_id="PAP-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG", name=HOSTILE)
    page = pd_record.record_html(rec, comp.reflections)
    assert "<script>" not in page and "&lt;script&gt;" in page and "W &lt;b&gt;" in page
    assert "PAP-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG" in page and "verify_record.ipynb" in page
    assert "Tell involvement from engagement" in page and "lower bound" in page
    pdf = certificate_pdf("Sam", comp, datetime(2026, 11, 25), "École", details=rec)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "PAP-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG",
        "Evidence",
        "Objectives",
        "Tell involvement from engagement",
        "3 of 4 right",
        "My reflections",
    ):
        assert expected in text, expected


# -- ids: issued, checked, withdrawn ---------------------------------------------------------------


def test_record_ids_are_random_readable_and_normalised():
    ids = {new_record_id() for _ in range(200)}
    assert len(ids) == 200
    one = next(iter(ids))
    assert re.fullmatch("PAP(-[" + CODE_ALPHABET + "]{4}){7}", one)
    assert normalise_record_id(one.lower().replace("-", " ")) == one
    assert normalise_record_id(one[4:].replace("-", "")) == one  # without the prefix too
    assert normalise_record_id(one[:-1]) is None and normalise_record_id("PAP-" + "O" * 28) is None


def test_issued_record_verifies_and_forged_or_withdrawn_ids_show_not_found(kit_store):
    p = kit_store.issue_personal_link("Sam")
    rec, _ = _build()
    issued = kit_store.issue_record(p.id, pd_record.certified(rec))
    found, html = lookup_html(issued.id.lower())
    assert found and "Found" in html and "Why partnership matters" in html and issued.id in html
    assert "What changed" not in html
    forged = issued.id[:-1] + ("A" if issued.id[-1] != "A" else "B")
    assert lookup_html(forged) == (False, NOT_FOUND)
    assert lookup_html("PAP-1234") == (False, NOT_AN_ID)
    assert kit_store.records_of(p.id)[0].id == issued.id
    kit_store.delete_answers(p.id)
    assert lookup_html(issued.id) == (False, NOT_FOUND)


def test_record_page_issues_an_id_the_verify_page_finds(kit_store):
    from widgets.workshop.record_view import my_record
    from widgets.workshop.verify_view import verify_record

    ws, _ = kit_store.open_workshop("Autumn PD", "2026-11-20")
    p = kit_store.join_workshop(ws.code, "Ana")
    kit_store.save(
        p.id, "why-partnership", "reflection:family-memory", {"prompt": "P", "text": "t"}
    )
    identity.set_visitor(identity.visitor_from_query(f"p={p.token}"))
    page = my_record()
    fac = next(w for w in _walk(page) if getattr(w, "description", "") == "Facilitator")
    assert fac.layout.display is None  # shown in a workshop
    fac.value = "Ms Lee"
    next(w for w in _walk(page) if getattr(w, "description", "") == "Prepare my certificate").click()
    text = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    rid = re.search(r"PAP(-[A-Z0-9]{4}){7}", text).group(0)
    assert "professional-learning-record.pdf" in text
    content = kit_store.record_by_id(rid).content
    assert (content["mode"], content["facilitator"], content["name"]) == (
        "workshop",
        "Ms Lee",
        "Ana",
    )
    assert content["workshop"] == "Autumn PD (2026-11-20)"
    check = verify_record()
    next(w for w in _walk(check) if isinstance(w, ipw.Text)).value = rid
    next(w for w in _walk(check) if getattr(w, "description", "") == "Check").click()
    shown = "".join(w.value for w in _walk(check) if isinstance(w, ipw.HTML))
    assert "Found" in shown and "Ana" in shown and "Ms Lee" in shown


def test_a_broken_check_file_leaves_ratings_off_and_says_so(kit_store, monkeypatch):
    from widgets.datasets import DatasetError, Problem
    from widgets.workshop import record_view

    def broken():
        raise DatasetError("datasets/checks/x.yaml", [Problem("line 3", "bad", "fix it")])

    monkeypatch.setattr(record_view, "all_depths", broken)
    identity.set_visitor(identity.visitor_from_query(f"p={kit_store.issue_personal_link().token}"))
    rec, _ = record_view.build(identity.current_visitor())
    assert rec.notes and "datasets/checks/x.yaml" in rec.notes[0]
    page = record_view.my_record()
    fields = {w.description: w for w in _walk(page) if isinstance(w, ipw.Text)}
    assert fields["Facilitator"].layout.display == "none"  # self-study: no facilitator field
    assert fields["Name on it"].layout.display is None and fields["School"].layout.display is None
    assert "left off this record" in "".join(
        w.value for w in _walk(page) if isinstance(w, ipw.HTML)
    )


def test_the_certificate_a_hostile_name_downloads_is_escaped_and_uses_the_printable_layout(
    kit_store,
):
    """Driven through the record page: the name, school, facilitator and reflection a
    participant typed as markup are text on the downloaded certificate, which is the one
    printable layout (printable/base.html) with the record's id on it."""
    import base64

    from widgets.workshop.record_view import my_record

    img = "<img src=x onerror=alert(1)>"
    ws, _ = kit_store.open_workshop("Autumn PD", "2026-11-20")
    p = kit_store.join_workshop(ws.code, img)
    kit_store.save(
        p.id, "why-partnership", "reflection:family-memory", {"prompt": img, "text": img}
    )
    identity.set_visitor(identity.visitor_from_query(f"p={p.token}"))
    page = my_record()
    fields = {w.description: w for w in _walk(page) if isinstance(w, ipw.Text)}
    assert fields["Name on it"].value == img  # filled from the name they joined with
    fields["School"].value = img
    fields["Facilitator"].value = img
    shown = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    assert "<img" not in shown
    prepare = "Prepare my certificate"
    next(w for w in _walk(page) if getattr(w, "description", "") == prepare).click()
    links = next(
        w for w in _walk(page) if isinstance(w, ipw.HTML) and "text/html;base64," in w.value
    )
    b64 = re.search(r"data:text/html;base64,([A-Za-z0-9+/=]+)", links.value).group(1)
    cert = base64.b64decode(b64).decode("utf-8")
    assert cert.startswith("<!doctype html>") and "<body>" in cert  # printable/base.html
    assert "<img" not in cert
    assert cert.count("&lt;img src=x onerror=alert(1)&gt;") >= 5  # name, school, facilitator,
    # the reflection's prompt and its text
    assert re.search(r"PAP(-[A-Z0-9]{4}){7}", cert) and "Record of professional learning" in cert

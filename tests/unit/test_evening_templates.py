"""The parents' evening planner's pages come from templates (issue 13).

Letters, teacher sheets, the survey and the invitations are printable pages extending the one
layout (``printable/base.html``); the fairness report, the timetable grid, the row check and the
survey summary are templates in ``widgets/templates/evening/``. A hostile name from an upload is
text on every one of them, and a letter's placeholders are filled once.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import ipywidgets as ipw
import pytest
from support.widget_tree import by_class as _find

from widgets.evening import fairness, outputs, status, survey
from widgets.evening.data import (
    FamilyRow,
    InterpreterRow,
    Settings,
    TeacherRow,
    build_instance,
    find_conflicts,
)
from widgets.evening.results_view import grid_html
from widgets.evening.scheduler import solve, upper_bound

HOSTILE = "<img src=x onerror=alert(1)>"
EVENING = Path(__file__).resolve().parents[2] / "widgets" / "templates" / "evening"


def _no_markup_from(page: str, text: str = HOSTILE) -> None:
    """The hostile text is on the page as text (escaped), never as a tag."""
    assert "<img" not in page and "onerror=alert(1)&gt;" in page
    assert text.replace("<", "&lt;").replace(">", "&gt;") in page


@pytest.fixture(scope="module")
def hostile():
    """Every name a school's upload can carry is the hostile string; one family meets by phone,
    one gets no time at all (so both letters are drawn), and one needs an interpreter."""
    st = Settings(start="16:00", end="17:00", slot_minutes=10, break_minutes=0, school=HOSTILE,
                  venue=HOSTILE, contact=HOSTILE)
    fams = [
        FamilyRow(family_id="F1", parent_name=f"Mr {HOSTILE}", child_name=HOSTILE, teacher="T1",
                  phone=HOSTILE, mode="phone"),
        FamilyRow(family_id="F2", parent_name=HOSTILE, child_name="Bo", teacher="T1",
                  home_language="Somali", interpreter=True),
        FamilyRow(family_id="F3", parent_name=HOSTILE, child_name="Cy", teacher="T1",
                  available_from="19:00"),
    ]
    teachers = [TeacherRow(teacher_id="T1", name=HOSTILE, room=HOSTILE)]
    interps = [InterpreterRow(interpreter_id="I1", name=HOSTILE, languages="Somali")]
    inst, _ = build_instance(st, fams, teachers, interps)
    tt = solve(inst)
    tt.upper_bound = upper_bound(inst)
    assert outputs.has_time(inst, tt, "F1") and not outputs.has_time(inst, tt, "F3")
    return inst, tt


def test_a_hostile_name_is_text_in_letters(hostile):
    inst, tt = hostile
    for fid in ("F1", "F2", "F3"):
        _no_markup_from(outputs.letter_html(inst, tt, fid))
        _no_markup_from(str(outputs.letter_body(inst, tt, fid)))
        _no_markup_from(outputs.letter_preview_html(inst, tt, fid))
    _no_markup_from(outputs.all_letters_html(inst, tt))
    # the phone number and the interpreter's name reach the letter, as text
    assert "pap-ev-mode-phone" in outputs.letter_html(inst, tt, "F1")


def test_a_hostile_name_is_text_on_teacher_sheets_grid_and_fairness_report(hostile):
    inst, tt = hostile
    sheets = outputs.teacher_sheets_html(inst, tt)
    _no_markup_from(sheets)
    assert "Phone: call" in sheets  # the teacher's note, escaped like the rest
    _no_markup_from(grid_html(inst, tt, list(inst.teachers)))
    rep = fairness.build_report(inst, tt)
    assert rep.unplaced  # the family who cannot come is named in the report
    page = fairness.report_html(rep, inst)
    _no_markup_from(page)
    assert "Requests without a time, and why" in page and "pap-ev-unplaced" in page


def test_a_hostile_value_is_text_in_the_conflict_table_and_survey_summary():
    rows = [
        FamilyRow(family_id="F7", parent_name=HOSTILE, child_name="Amy", teacher="T1",
                  email="a@example.org", line=2),
        FamilyRow(family_id="F7", parent_name="Mr Haddad", child_name=HOSTILE, teacher="T2",
                  email="h@example.org", home_language="Arabic", line=3),
    ]
    _no_markup_from(status.conflict_html(find_conflicts(rows)[0]))
    answers = "welcome,next_time,length\n" + "".join(f"4,{HOSTILE},{HOSTILE}\n" for _ in range(6))
    summary = survey.result_html(survey.analyse(answers.encode()))
    _no_markup_from(summary)
    assert summary.count("<li>") == 6 and "Other answers" in summary  # a choice it did not offer


def test_letter_placeholders_are_filled_once_on_every_page(hostile):
    """A parent, a teacher and a school named like a placeholder stay as they were typed."""
    st = Settings(start="16:00", end="17:00", slot_minutes=10, break_minutes=0,
                  school="{contact}", contact="{school}", venue="{date}")
    fams = [FamilyRow(family_id="F1", parent_name="Mr {school}", child_name="{teachers}",
                      teacher="T1")]
    inst, _ = build_instance(st, fams, [TeacherRow(teacher_id="T1", name="{interpreter}")], [])
    tt = solve(inst)
    page = outputs.letter_html(inst, tt, "F1")
    assert "Dear {school} family," in page
    assert "{contact} on " in page  # the school's name, not the contact it looks like
    assert "Where: {date}" in page and "please contact {school}." in page
    assert "{interpreter}" in page and "{teachers}" in page
    sheets = outputs.teacher_sheets_html(inst, tt)
    assert "Mr {school}" in sheets and "{contact}," in sheets


LAYOUTS = ('{% extends "printable/base.html" %}', '{% extends "evening/letter_page.html" %}')


def test_printable_pages_extend_the_one_layout(hostile):
    inst, tt = hostile
    prints = sorted(EVENING.glob("print_*.html"))
    assert {p.name for p in prints} >= {"print_letters.html", "print_teacher_sheets.html",
                                        "print_survey.html", "print_invitations.html"}
    for p in prints:
        first = next(x for x in p.read_text(encoding="utf-8").splitlines() if x.strip())
        assert first in LAYOUTS, p.name
    letter_page = (EVENING / "letter_page.html").read_text(encoding="utf-8")
    assert letter_page.startswith(LAYOUTS[0])  # the evening's letter layout is the one layout too
    for p in EVENING.glob("*.html"):  # no page of its own outside the layout
        assert not re.search(r"<!doctype|<html", p.read_text(encoding="utf-8"), re.I), p.name
    for page in (outputs.letter_html(inst, tt, "F1"), outputs.teacher_sheets_html(inst, tt),
                 outputs.all_letters_html(inst, tt), survey.survey_html(survey.load_survey())):
        assert page.startswith("<!doctype html>") and "@media print" in page  # base.html's
        assert page.count("<!doctype") == 1


def test_an_arabic_letter_page_is_right_to_left_in_the_layout(hostile):
    inst, tt = hostile
    page = outputs.letter_html(inst, tt, "F1", "ar")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<section class="letter" lang="ar" dir="rtl">' in page
    # names and rooms keep their own direction inside the right-to-left letter
    cells = re.findall(r"<tr><td>[^<]*</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert cells
    for teacher, room, child in cells:
        assert teacher.startswith("<bdi>") and room.startswith("<bdi>") and child.startswith("<bdi>")


# ----------------------------------------------------------------------------- the planner view


def _walk(w):
    yield w
    for c in getattr(w, "children", ()) or ():
        yield from _walk(c)


def test_a_failed_settings_save_is_named_and_the_settings_stay(kit_store, monkeypatch):
    """On main a failed save of the evening's settings was swallowed; now the status line says
    "Not saved" and why, the boxes keep what was typed, and the timetable still shows."""
    from widgets.evening import evening_planner

    box = evening_planner("evening-planner")
    status_line = box.children[2]
    _find(box, "pap-ev-sample-small")[0].click()
    school = next(w for w in _walk(box) if isinstance(w, ipw.Text) and w.description == "School")
    school.value = "Hillside <Academy>"

    works = kit_store.save
    disk = {"full": True}

    def save(*a, **k):
        if disk["full"]:
            raise sqlite3.OperationalError("database or disk is full")
        return works(*a, **k)

    monkeypatch.setattr(kit_store, "save", save)
    next_btn = next(w for w in _walk(box) if isinstance(w, ipw.Button)
                    and w.description == "Next: make the timetable")
    next_btn.click()
    shown = status_line.value
    assert "pap-msg-error" in shown and "Not saved" in shown and "disk" in shown
    assert "still in step 3" in shown
    assert box.children[1].selected_index == 3  # the planner moves on all the same

    _find(box, "pap-ev-solve")[0].click()
    assert "Timetable ready" in _find(box, "pap-ev-summary")[0].value  # the timetable shows
    shown = status_line.value
    assert "Not saved" in shown and "disk" in shown and "Traceback" not in shown
    assert school.value == "Hillside <Academy>"  # what was typed stays

    disk["full"] = False  # the store works again: the next solve saves and clears the line
    _find(box, "pap-ev-solve")[0].click()
    assert status_line.value == ""
    from widgets.identity import current_visitor

    saved = kit_store.get(current_visitor().id, "evening-planner", "settings")
    assert saved["school"] == "Hillside <Academy>"


def test_saved_settings_that_no_longer_fit_are_named_not_dropped(kit_store):
    from widgets.evening import evening_planner
    from widgets.identity import current_visitor

    kit_store.save(current_visitor().id, "evening-planner", "settings",
                   {"school": "Hillside", "slot_minutes": 7, "date": "not a date"})
    box = evening_planner("evening-planner")
    school = next(w for w in _walk(box) if isinstance(w, ipw.Text) and w.description == "School")
    assert school.value == "Hillside"  # what fits is restored
    shown = box.children[2].value
    assert "pap-msg-warning" in shown and "Minutes per meeting" in shown and "Date" in shown
    assert "Evening starts" not in shown

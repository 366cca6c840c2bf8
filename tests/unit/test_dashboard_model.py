"""The facilitator dashboard's model (widgets/workshop/model.py) on hand-made rows: no kernel, no
database. What the dashboard shows is decided here, so each rule is pinned with exact values."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from widgets.reflection.model import PREFIX as R
from widgets.store import AnswerRow, ParticipantInfo
from widgets.workshop import model

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def person(pid: int, name: str | None = None) -> ParticipantInfo:
    return ParticipantInfo(pid, f"p-{pid}", name, 1, T0)


def row(pid: int, module: str, item: str, value: object, minutes: int = 0) -> AnswerRow:
    at = T0 + timedelta(minutes=minutes)
    return AnswerRow(pid, f"p-{pid}", None, 1, module, item, value, at, at)


# -- who has joined --------------------------------------------------------------------------------


def test_labels_use_the_name_given_else_a_code_that_survives_a_deletion():
    people = [person(7, "Ana"), person(9), person(12, ""), person(15, "Ben")]
    c9, c12 = model.participant_code("p-9"), model.participant_code("p-12")
    assert model.participant_labels(people) == {
        7: "Ana",
        9: f"Participant {c9}",
        12: f"Participant {c12}",  # an empty name is no name
        15: "Ben",
    }
    assert len(c9) == 4 and c9 != c12 and c9.isalnum()
    # Deleting someone earlier in the list renames nobody else.
    assert model.participant_labels([person(12, "")]) == {12: f"Participant {c12}"}
    assert model.participant_labels([]) == {}


def test_activity_counts_include_people_with_nothing_and_ignore_strangers():
    people = [person(1), person(2), person(3)]
    rows = [row(1, "m", "a", 1), row(1, "m", "b", 2), row(3, "m", "a", 1), row(99, "m", "a", 1)]
    assert model.activity_counts(rows, people) == {1: 2, 2: 0, 3: 1}


# -- the reflections wall ----------------------------------------------------------------------------


def test_wall_is_newest_first_by_save_time_not_by_row_order():
    rows = [
        row(1, "m1", R + "a", {"prompt": "P", "text": "middle"}, minutes=5),
        row(2, "m1", R + "a", {"prompt": "P", "text": "oldest"}, minutes=1),
        row(3, "m2", R + "b", {"text": "newest, no prompt"}, minutes=9),
    ]
    wall = model.reflection_wall(rows)
    assert [c.text for c in wall] == ["newest, no prompt", "middle", "oldest"]
    assert wall[0] == model.WallCard("m2", "", "newest, no prompt")


def test_wall_keeps_only_written_reflections_of_the_module_asked_for():
    rows = [
        row(1, "m1", R + "a", {"prompt": "P", "text": "keep"}),
        row(1, "m1", R + "b", "not a dict"),
        row(1, "m1", R + "c", {"prompt": "P", "text": "\n \t"}),
        row(1, "m1", "sorting:x", {"text": "a sorting answer is not a reflection"}),
        row(1, "m1", "notes:" + R, {"text": "prefix must be at the start"}),
        row(1, "m2", R + "a", {"prompt": "P", "text": "other module"}),
    ]
    assert [c.text for c in model.reflection_wall(rows, "m1")] == ["keep"]
    assert sorted(c.text for c in model.reflection_wall(rows)) == ["keep", "other module"]


# -- how the group sorted ----------------------------------------------------------------------------


def test_distribution_counts_every_category_in_order_from_exactly_min_group():
    items, cats = [("s1", "One"), ("s2", "Two")], ["Agree", "Unsure", "Disagree"]
    answers = ["Agree", "Agree", "Disagree", "Agree", "Disagree"]
    rows = [row(i, "m", "sorting:act", {"s1": a, "s2": "Agree"}) for i, a in enumerate(answers)]
    rows.append(row(9, "m", "sorting:other", {"s1": "Unsure"}))  # another activity
    rows.append(row(10, "m", "sorting:act", "not a dict"))
    rows.append(row(11, "m", "sorting:act", {"s1": "Maybe"}))  # not a category: not counted
    d1, d2 = model.sorting_distributions(rows, "act", items, cats)
    assert (d1.question, d1.respondents, d1.suppressed) == ("One", 5, False)
    assert list(d1.counts.items()) == [("Agree", 3), ("Unsure", 0), ("Disagree", 2)]
    assert d2.counts == {"Agree": 5, "Unsure": 0, "Disagree": 0}


def test_distribution_below_min_group_hides_counts_but_says_how_many():
    rows = [row(i, "m", "sorting:act", {"s1": "A"}) for i in range(3)]
    (d,) = model.sorting_distributions(rows, "act", [("s1", "One")], ["A", "B"])
    assert d.suppressed and d.counts is None and d.respondents == 3
    (d,) = model.sorting_distributions(rows, "act", [("s1", "One")], ["A", "B"], min_group=3)
    assert d.counts == {"A": 3, "B": 0}
    (d,) = model.sorting_distributions([], "act", [("s1", "One")], ["A", "B"])
    assert d.respondents == 0 and d.suppressed


# -- exports -------------------------------------------------------------------------------------------


def test_export_records_text_for_reflections_json_for_the_rest():
    people = [person(1, "Zoë"), person(2)]
    rows = [
        row(1, "m", R + "a", {"prompt": "P", "text": "Élan"}, minutes=3),
        row(2, "m", "sorting:act", {"s1": "Déjà"}),
        row(2, "m", R + "odd", "a reflection saved as plain text"),
        row(5, "m", "x", [1, 2]),  # a participant no longer listed
    ]
    recs = model.export_records(rows, people)
    P2 = f"Participant {model.participant_code('p-2')}"
    P5 = f"Participant {model.participant_code('p-5')}"  # from the answer's own token
    assert recs == [
        {"participant": "Zoë", "module": "m", "item": R + "a", "value": "Élan",
         "saved_at": "2026-11-24 09:03"},
        {"participant": P2, "module": "m", "item": "sorting:act",
         "value": '{"s1": "Déjà"}', "saved_at": "2026-11-24 09:00"},
        {"participant": P2, "module": "m", "item": R + "odd",
         "value": json.dumps("a reflection saved as plain text"), "saved_at": "2026-11-24 09:00"},
        {"participant": P5, "module": "m", "item": "x", "value": "[1, 2]",
         "saved_at": "2026-11-24 09:00"},
    ]  # fmt: skip


def test_export_csv_columns_blanks_and_formula_guard():
    recs = [
        {"participant": "=cmd|' /C calc'!A0", "module": "m", "item": "i", "value": None,
         "saved_at": "2026-11-24 09:00"},
        {"participant": "Ana", "module": "m", "item": "i", "value": "a, \"quoted\"\nline",
         "saved_at": "2026-11-24 09:01"},
    ]  # fmt: skip
    parsed = list(csv.reader(io.StringIO(model.export_csv(recs))))
    assert parsed[0] == model.EXPORT_COLUMNS
    assert parsed[1] == ["'=cmd|' /C calc'!A0", "m", "i", "", "2026-11-24 09:00"]
    assert parsed[2][3] == 'a, "quoted"\nline'
    assert model.export_csv([]).splitlines() == [",".join(model.EXPORT_COLUMNS)]


# The completion record and certificate are pinned in tests/unit/test_completion.py.

"""Barrier audit: instrument files, scoring, suppression, survey reading, actions, charts, views."""

from __future__ import annotations

import base64
import io
import itertools
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import ipywidgets as ipw
import pytest
from support.widget_tree import button as _button
from support.widget_tree import by_class as _by_class
from support.widget_tree import html_text as _html
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.audit import actions as act
from widgets.audit import charts, scoring, suppression, survey, survey_columns
from widgets.audit.instrument import (
    comparable_items,
    load_actions,
    load_parent_version,
)
from widgets.datasets import DatasetError, dataset_path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import make_audit_samples  # noqa: E402

HOSTILE = '<img src=x onerror="alert(1)">'
SAMPLE = "audit/survey_sample.csv"


# -- instrument -----------------------------------------------------------------------------------
def test_instrument_covers_the_dimensions_of_the_issue(inst):
    titles = " ".join(d.title.lower() for d in inst.dimensions)
    for word in ("welcome", "communication", "learning at home", "barriers", "voice",
                 "volunteering", "student voice"):  # fmt: skip
        assert word in titles
    logistics = {i.id for i in next(d for d in inst.dimensions if d.id == "logistics").items}
    assert {"times-vary", "childcare", "transport", "digital-access"} <= logistics
    assert any("past-experience" in i.tags for i in inst.items)
    assert any("language" in i.tags for i in inst.items)
    assert all(i.evidence for i in inst.items), "every item has an evidence note"
    assert inst.points == 4 and inst.dont_know


def test_parent_versions_match_in_english_and_french(inst, versions):
    en, fr = versions
    assert [i.id for i in en.items] == [i.id for i in fr.items]
    assert len(en.items) >= 12 and en.points == fr.points
    known = {i.id for i in inst.items}
    assert {i.id for i in en.items} <= known
    assert "D'accord" in [s.label for s in fr.scale]
    assert comparable_items() == [i.id for i in en.items]


def test_unknown_language_is_a_plain_error():
    with pytest.raises(DatasetError, match="choose en or fr"):
        load_parent_version("xx")


def test_every_item_gets_a_proposed_action(inst):
    lib = load_actions()
    for it in inst.items:
        props = act.propose([(it.id, 10.0)], inst, lib)
        assert props, f"no action for {it.id}"
        assert props[0].direct or set(props[0].action.tags) & set(it.tags)
    titles = " ".join(a.title.lower() for a in lib.actions)
    for word in ("times", "childcare", "interpreters", "invitations", "front office",
                 "home-based", "parent-led", "food"):  # fmt: skip
        assert word in titles, word


# -- scoring --------------------------------------------------------------------------------------
def test_dont_know_is_counted_apart_from_the_mean(inst):
    a = {"front-door": 4, "front-office": scoring.DK, "all-views-heard": 1}
    s = scoring.score_respondent(a, inst)
    assert s.items == {"front-door": 100.0, "all-views-heard": 0.0}
    assert s.dimensions["welcome"] == 50.0
    assert s.dont_know == ["front-office"]
    assert s.dimensions["communication"] is None
    g = scoring.aggregate([a, {"front-door": 2, "front-office": scoring.DK}], inst)
    fo = g.items["front-office"]
    assert fo.n == 0 and fo.dont_know == 2 and fo.mean is None
    fd = g.items["front-door"]
    assert fd.n == 2 and fd.counts == {1: 0, 2: 1, 3: 0, 4: 1}
    assert fd.mean == pytest.approx((100 + 100 / 3) / 2)


def test_invalid_saved_values_are_dropped(inst):
    raw = {"front-door": 9, "nope": 2, "childcare": True, "transport": "3", "ladder": 2}
    assert scoring.clean_ratings(raw, inst) == {"ladder": 2}
    assert scoring.clean_ratings("junk", inst) == {}


def test_group_dimension_score_weighs_each_person_once(inst):
    a = {"front-door": 4, "front-office": 4, "all-views-heard": 4, "past-experiences": 4}
    b = {"front-door": 1}
    g = scoring.aggregate([a, b], inst)
    assert g.dimensions["welcome"].mean == 50.0 and g.dimensions["welcome"].n == 2
    assert g.respondents == 2


def test_disagreement_and_weakest(inst):
    split = [{"childcare": v} for v in (1, 1, 4, 4, 1, 4)]
    agree = [{"transport": v} for v in (2, 2, 2, 2, 2, 2)]
    g = scoring.aggregate([s | t for s, t in zip(split, agree, strict=True)], inst)
    assert g.items["childcare"].disagreement
    assert not g.items["transport"].disagreement
    assert g.items["transport"].sd == 0.0
    assert [s.item_id for s in g.weakest(2)] == ["transport", "childcare"]
    assert g.weakest(5, min_n=7) == []


def test_staff_parent_gap_uses_only_common_items(inst):
    staff = {"front-door": 80.0, "front-office": 60.0, "past-experiences": 0.0}
    parents = {"front-door": 50.0, "front-office": 50.0}
    gs = {g.dimension_id: g for g in scoring.gaps(staff, parents, inst)}
    assert set(gs) == {"welcome"}
    assert gs["welcome"].gap == pytest.approx(20.0)
    assert gs["welcome"].items == ["front-door", "front-office"]


def test_latest_ratings_keeps_each_persons_newest():
    class Row:
        def __init__(self, pid, when, ratings):
            self.participant_id, self.updated_at, self.value = pid, when, {"ratings": ratings}

    rows = [Row(1, 1, {"x": 1}), Row(1, 2, {"x": 2}), Row(2, 1, {}), Row(3, 5, {"x": 4})]
    assert scoring.latest_ratings(rows) == {1: {"x": 2}, 3: {"x": 4}}


# -- suppression ----------------------------------------------------------------------------------
def _lone_hidden_lines(counts, s, rows=True, cols=True):
    """Published lines with exactly one hidden non-empty cell (each would give it away)."""
    bad = []
    lines = []
    if rows:
        lines += [[(i, j) for j in range(len(counts[0]))] for i in range(len(counts))]
    if cols:
        lines += [[(i, j) for i in range(len(counts))] for j in range(len(counts[0]))]
    for line in lines:
        live = [c for c in line if counts[c[0]][c[1]] > 0]
        hidden = [c for c in live if s.hidden(*c)]
        if len(hidden) == 1:
            bad.append(line)
    return bad


def _groups(sizes, *min_n):
    """Group decisions of a breakdown with sizes only (the size column and its total published)."""
    return suppression.suppress_breakdown(sizes, {}, *min_n)[0]


def test_a_small_group_is_hidden():
    d = _groups({"English": 120, "French": 40, "Tigrinya": 4, "Somali": 3})
    assert d["Tigrinya"].reason == suppression.PRIMARY
    assert d["Somali"].reason == suppression.PRIMARY
    # two hidden groups protect each other: English and French stay visible
    assert d["English"].shown and d["French"].shown


def test_complementary_suppression_hides_a_second_group():
    d = _groups({"English": 120, "French": 40, "Arabic": 15, "Tigrinya": 4})
    assert d["Tigrinya"].reason == suppression.PRIMARY
    assert d["Arabic"].reason == suppression.COMPLEMENTARY  # the smallest of the others
    assert d["English"].shown and d["French"].shown


def test_minimum_is_configurable():
    sizes = {"A": 30, "B": 12, "C": 8, "D": 7}
    assert _groups(sizes)["B"].shown
    assert _groups(sizes)["C"].reason == suppression.PRIMARY  # the default is privacy's 10
    assert _groups(sizes, 5)["C"].shown
    assert _groups(sizes, 10)["C"].reason == suppression.PRIMARY
    assert _groups(sizes, 15)["B"].reason == suppression.PRIMARY
    with pytest.raises(ValueError):
        suppression.suppress_table([[1]], 0)


def test_table_cells_complementary_in_rows_and_columns():
    counts = [
        [40, 3, 25],
        [30, 20, 22],
        [18, 35, 50],
    ]
    s = suppression.suppress_table(counts, 10)
    assert s.cells[0][1] == suppression.PRIMARY
    assert s.count >= 4  # one primary needs partners in its row and column, and they in theirs
    assert _lone_hidden_lines(counts, s) == []
    assert not any(s.row_totals) and not any(s.col_totals)


def test_zero_cells_are_not_protection_and_a_lone_cell_hides_its_total():
    s = suppression.suppress_table([[0, 4, 0]], 10, row_totals=True, col_totals=False)
    assert s.cells[0] == [None, suppression.PRIMARY, None]
    assert s.row_totals == [True]


@pytest.mark.parametrize("seed", range(25))
def test_no_published_line_ever_has_a_single_hidden_cell(seed):
    import random

    rnd = random.Random(seed)
    counts = [[rnd.choice([0, 1, 3, 6, 9, 12, 25, 60]) for _ in range(5)] for _ in range(4)]
    s = suppression.suppress_table(counts, 10)
    for line in _lone_hidden_lines(counts, s):
        # only allowed when the line's total itself is hidden
        i0, j0 = line[0]
        is_row = all(i == i0 for i, _ in line)
        assert s.row_totals[i0] if is_row else s.col_totals[j0]


def test_breakdown_hides_small_cells_inside_big_groups():
    sizes = {"A": 50, "B": 40, "C": 30}
    cells = {"A": {"q1": 50, "q2": 45}, "B": {"q1": 40, "q2": 6}, "C": {"q1": 30, "q2": 28}}
    groups, hidden = suppression.suppress_breakdown(sizes, cells, 10)
    assert all(g.shown for g in groups.values())
    assert hidden[("B", "q2")] == suppression.PRIMARY
    assert hidden[("C", "q2")] == suppression.COMPLEMENTARY
    assert hidden[("A", "q1")] is None and hidden[("B", "q1")] is None


# -- survey ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(inst, versions, likert):
    up = survey.read_table(dataset_path(SAMPLE).read_bytes(), "survey_sample.csv")
    mapping = survey_columns.recognise(up, inst, versions, likert).mapping
    return up, mapping, survey.prepare(up, mapping, likert, versions)


def test_sample_mapping_guess(sample):
    up, mapping, _ = sample
    assert mapping["Home language"] == survey.GROUP and mapping["Grade"] == survey.GROUP
    assert mapping["Timestamp"] == survey.IGNORE
    assert mapping["Any other comments?"] == survey.COMMENT
    shouty = next(c for c in up.columns if c.isupper())
    assert mapping[shouty] == "item:all-views-heard"
    assert sum(m.startswith(survey.ITEM) for m in mapping.values()) == 12


def test_sample_bad_cells_are_reported_by_row_and_good_ones_kept(sample):
    up, _, data = sample
    rows = [p.where for p in data.problems]
    assert any(w.startswith("row 7, column The office staff") for w in rows)
    assert any(w.startswith("row 19,") for w in rows)
    assert len(data.problems) == 2
    assert data.empty_rows == [32]
    assert data.rows_read == len(up.frame) and data.responses == len(up.frame) - 1
    assert data.points == 4 and data.labels[-1] == "Strongly agree"
    # row 7 lost only its unreadable answer
    assert data.values.iloc[5].notna().sum() >= 9
    assert data.values.isna().iloc[5]["front-office"]


def test_sample_distribution_rate_and_breakdown(sample):
    _, _, data = sample
    res = survey.distributions(data)
    fd = res["front-door"]
    assert fd.n + fd.dont_know <= data.responses and sum(fd.counts) == fd.n
    assert 0 <= fd.mean <= 100
    assert survey.response_rate(data.responses, 200) == pytest.approx(data.responses / 200)
    assert survey.response_rate(10, 0) is None
    bd = survey.breakdown(data, "Home language", 10)
    assert list(bd.groups)[:2] == ["English", "French"]  # mixed case merged, canonical spelling
    assert bd.groups["Tigrinya"].reason == suppression.PRIMARY
    assert bd.groups["Somali"].reason == suppression.COMPLEMENTARY
    assert all(bd.means[("Tigrinya", i)] is None for i in data.items)
    assert bd.means[("English", "front-door")] is not None
    weak = survey.weak_items(res, 3)
    assert [w[0] for w in weak][0] in {"childcare", "translated", "times-vary"}


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_numbers_on_a_five_point_scale(inst, versions, likert):
    data = _xlsx(
        [
            ["Grade", "Meetings and events are at times I can come.", "childcare"],
            [3, 5, 1],
            [4, 4, None],
            [3, 1, 2],
            [5, 3, "Don't know"],
        ]
    )
    up = survey.read_table(data, "survey.xlsx")
    m = survey_columns.recognise(up, inst, versions, likert).mapping
    assert m == {"Grade": "group", up.columns[1]: "item:times-vary", "childcare": "item:childcare"}
    d = survey.prepare(up, m, likert, versions)
    assert d.points == 5 and d.problems == []
    res = survey.distributions(d)
    assert res["times-vary"].counts == [1, 0, 1, 1, 1]
    assert res["childcare"].dont_know == 1 and res["childcare"].n == 2


def test_semicolon_cp1252_french_and_a_broken_row(inst, versions, likert):
    text = (
        "Langue;Les réunions et les activités ont lieu à des heures où je peux venir.;Q2. Transport\n"
        "Français;  tout à fait D’ACCORD ;\n"
        "français;pas d'accord;4\n"
        "Arabe;Ni d'accord ni pas d'accord;2;extra;cells\n"
        "Arabe;neutre;1\n"
    )
    up = survey.read_table(text.encode("cp1252"), "export.csv")
    assert [p.where for p in up.problems] == ["row 4"]
    m = survey_columns.recognise(up, inst, versions, likert).mapping
    assert m[up.columns[0]] == "group" and m[up.columns[1]] == "item:times-vary"
    m[up.columns[2]] = "item:transport"
    d = survey.prepare(up, m, likert, versions)
    assert d.points == 5  # a middle answer was used
    assert d.responses == 3 and d.empty_rows == [4]
    res = survey.distributions(d)
    assert res["times-vary"].counts == [0, 1, 1, 0, 1]
    assert sorted(d.groups[up.columns[0]].unique()) == ["Arabe", "Français"]


def test_answer_words_with_numbers_and_unknown_words(inst, versions, likert):
    up = survey.read_table(b"transport\n4 - Agree\nAgree (4)\n1\nsometimes\n\n", "a.csv")
    d = survey.prepare(up, {"transport": "item:transport"}, likert, versions)
    res = survey.distributions(d)
    assert res["transport"].n == 3
    assert [p.where for p in d.problems] == ["row 5, column transport"]
    assert "sometimes" in d.problems[0].what


def test_mapping_mistakes_are_plain_errors(inst, versions, likert):
    up = survey.read_table(b"a,b\n1,2\n", "a.csv")
    with pytest.raises(DatasetError, match="no column is read as a survey question"):
        survey.prepare(up, {"a": "ignore", "b": "group"}, likert, versions)
    with pytest.raises(DatasetError, match="same question"):
        survey.prepare(up, {"a": "item:transport", "b": "item:transport"}, likert, versions)
    with pytest.raises(DatasetError, match="empty"):
        survey.read_table(b"   ", "x.csv")
    with pytest.raises(DatasetError, match="Excel"):
        survey.read_table(b"PK\x03\x04 not really", "x.xlsx")


def test_district_generator_reads_cleanly(inst, versions, likert):
    raw = make_audit_samples.district_csv(rows=3000, seed=1)
    up = survey.read_table(raw, "district.csv")
    m = survey_columns.recognise(up, inst, versions, likert).mapping
    assert sum(v.startswith(survey.ITEM) for v in m.values()) == 16
    assert m["Home language"] == m["School"] == m["Grade"] == survey.GROUP
    d = survey.prepare(up, m, likert, versions)
    assert d.problems == [] and d.responses == 3000 and d.points == 4
    bd = survey.breakdown(d, "Home language", 10)
    assert bd.shown_groups
    # families with another home language feel translation lower (built into the generator)
    assert bd.means[("Arabic", "translated")] < bd.means[("English", "translated")]


def test_small_sample_file_is_what_the_generator_writes():
    assert dataset_path(SAMPLE).read_text(encoding="utf-8") == make_audit_samples.small_csv()


# -- actions and plan -----------------------------------------------------------------------------
def test_proposals_prefer_direct_matches_and_never_repeat(inst):
    lib = load_actions()
    props = act.propose([("childcare", 10.0), ("food-and-schedule", 20.0)], inst, lib, per_item=2)
    assert props[0].action.id == "childcare-at-events" and props[0].direct
    ids = [p.action.id for p in props]
    assert len(ids) == len(set(ids)) == 4


def test_school_years():
    assert act.school_year(date(2026, 3, 1)) == "2025-26"
    assert act.school_year(date(2026, 9, 1)) == "2026-27"
    assert act.previous_year(["2023-24", "2025-26", "junk", "2024-25"], "2025-26") == "2024-25"
    assert act.previous_year(["2025-26"], "2025-26") is None
    assert "2025-26" in act.year_options(date(2026, 1, 1))


def test_plan_rows_exports_and_escaping(inst):
    with pytest.raises(ValueError):
        act.PlanRow(action="x", due="31/03/2026")
    with pytest.raises(ValueError):
        act.PlanRow(action="   ")
    rows = [
        act.PlanRow(
            item_id="childcare",
            action="Crèche " + HOSTILE,
            owner="Ms Ode",
            due="2026-03-31",
            measure="Families using it",
        ),  # fmt: skip
        act.PlanRow(action="Our own idea"),
    ]
    csv_text = act.plan_to_csv(rows, inst)
    assert csv_text.splitlines()[0].startswith("item,action,goal,owner,due,budget")
    assert "Ms Ode" in csv_text and "2026-03-31" in csv_text
    page = act.plan_to_html(rows, inst, school="<b>X</b>", year="2025-26")
    assert "<img" not in page and "&lt;img" in page and "&lt;b&gt;X" in page
    assert act.missing_fields(rows) == [
        "Action 1 has no school-improvement goal or budget",
        "Action 2 has no school-improvement goal, owner, date, budget or success measure",
    ]
    saved = {"rows": [r.model_dump() for r in rows] + [{"action": ""}, "junk"]}
    assert act.parse_plan(saved) == rows


# -- charts ---------------------------------------------------------------------------------------
def test_charts_are_png_with_alt_text():
    p = charts.profile_chart([("Welcome", 80.0), ("Logistics", 20.0), ("Voice", None)],
                             compare=[60.0, 30.0, None], compare_label="2024-25")  # fmt: skip
    assert p.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Strongest: Welcome (80)" in p.alt and "Weakest: Logistics (20)" in p.alt
    assert "change +20" in p.alt and "Voice no score" in p.alt
    d = charts.diverging_chart(
        [("Q1", [1, 2, 3, 4, 10]), ("Q2", [10, 0, 0, 0, 0])], survey.LABELS_5, dont_know=[2, 0]
    )
    assert "Q1: 70% agree, 15% disagree (n=20)" in d.alt and "Don't know" in d.alt
    g = charts.gap_chart([("Welcome", 80.0, 50.0), ("Voice", 40.0, 45.0), ("X", None, 10.0)])
    assert "Widest gap: Welcome (+30)" in g.alt
    html = g.html()
    assert "alt='Dot plot" in html and "Chart description" in html
    assert charts.profile_chart([("A", None)]).alt.endswith("nothing rated yet.")


def test_chart_alt_text_is_escaped_in_html():
    c = charts.profile_chart([(HOSTILE, 50.0)])
    assert "<img src=x" not in c.html().replace("<img src='data:", "")


# -- views ----------------------------------------------------------------------------------------
@pytest.fixture()
def fresh(kit_store):
    from widgets.audit import view

    view.reset_sessions()
    yield kit_store
    view.reset_sessions()


def test_rater_saves_reloads_and_shows_profile(fresh, inst):
    from widgets.audit import view

    box = view.audit_rater("barrier-audit")
    toggles = _by_class(box, "pap-audit-scale")
    assert len(toggles) == len(inst.items) and not toggles[0].disabled
    _by_class(box, "pap-item-front-door")[0].value = 4
    _by_class(box, "pap-item-childcare")[0].value = 1
    _by_class(box, "pap-item-transport")[0].value = scoring.DK
    v = identity.current_visitor()
    year = act.school_year()
    saved = fresh.get(v.id, "barrier-audit", f"ratings:{year}")
    assert saved == {"ratings": {"front-door": 4, "childcare": 1, "transport": "dk"}}
    view.reset_sessions()
    again = view.audit_rater("barrier-audit")
    assert _by_class(again, "pap-item-childcare")[0].value == 1
    assert "Rated 3 of" in _html(again)
    _button(again, "Show my profile").click()
    out = _html(again)
    assert "pap-profile-chart" in out and "alt='Bar chart of 8 dimensions" in out
    assert "Weakest items" in out and "don’t know" in out
    assert "Compared with" not in out


def test_rater_compares_with_last_year(fresh):
    from widgets.audit import view

    v = identity.current_visitor()
    prev = act.year_options()[2]  # the year before this one
    fresh.save(v.id, "audit-app", f"ratings:{prev}", {"ratings": {"childcare": 4}})
    box = view.audit_rater("barrier-audit")
    _by_class(box, "pap-item-childcare")[0].value = 2
    _button(box, "Show my profile").click()
    out = _html(box)
    assert f"Compared with your audit for {prev}" in out and "change -" in out


def test_plan_builder_proposes_adds_edits_exports(fresh):
    from widgets.audit import view

    rater = view.audit_rater("barrier-audit")
    _by_class(rater, "pap-item-childcare")[0].value = 1
    _by_class(rater, "pap-item-translated")[0].value = 2
    _by_class(rater, "pap-item-front-door")[0].value = 4
    box = view.plan_builder("barrier-audit")
    _button(box, "Propose actions").click()
    checks = _by_class(box, "pap-proposal")
    assert (
        checks
        and checks[0].description == "Provide childcare or a children's corner at every event"
    )
    _button(box, "Add chosen actions to the plan").click()
    rows = _by_class(box, "pap-plan-row")
    assert rows
    owner = _by_class(box, "pap-plan-owner")[0]
    owner.value = "Deputy head " + HOSTILE
    _by_class(box, "pap-plan-due")[0].value = date(2026, 5, 1)
    v = identity.current_visitor()
    saved = fresh.get(v.id, "barrier-audit", f"plan:{act.school_year()}")
    assert (
        saved["rows"][0]["owner"].startswith("Deputy head")
        and saved["rows"][0]["due"] == "2026-05-01"
    )
    _button(box, "Export the plan").click()
    links = _by_class(box, "pap-plan-links")[0].value
    csv_b64 = re.search(r'data:text/csv;base64,([^"]+)', links).group(1)
    assert "Deputy head" in base64.b64decode(csv_b64).decode()
    page = base64.b64decode(re.search(r'data:text/html;base64,([^"]+)', links).group(1)).decode()
    assert "<img src=x" not in page and "Provide childcare" in page
    # reload: the plan comes back
    view.reset_sessions()
    again = view.plan_builder("barrier-audit")
    assert len(_by_class(again, "pap-plan-row")) == len(rows)


def test_plan_builder_without_ratings_says_what_to_do(fresh):
    from widgets.audit import view

    box = view.plan_builder("barrier-audit")
    _button(box, "Propose actions").click()
    assert "Rate some items" in _html(box)
    _button(box, "Export the plan").click()
    assert "Add at least one action" in _html(box) and "Traceback" not in _html(box)


def test_survey_panel_sample_end_to_end(fresh):
    from widgets.audit import survey_view, view

    rater = view.audit_rater("audit-app")
    for item in ("front-door", "childcare", "translated", "positive-first"):
        _by_class(rater, f"pap-item-{item}")[0].value = 3
    box = survey_view.survey_panel("audit-app")
    _button(box, "Use the sample survey").click()
    assert len(_by_class(box, "pap-map")) == 16
    _by_class(box, "pap-families")[0].value = 150
    _button(box, "Analyse").click()
    out = _html(box)
    assert "response rate" in out and "could not be read" in out
    assert "pap-survey-chart" in out and "alt='Diverging stacked bar" in out
    assert "By Home language" in out and "pap-suppression-note" in out
    assert "Tigrinya" in out and "n&lt;10" in out and "n hidden" in out
    assert "pap-survey-actions" in out and "pap-gap-chart" in out
    v = identity.current_visitor()
    saved = fresh.get(v.id, "audit-app", f"survey:{act.school_year()}")
    assert saved["responses"] > 80 and "childcare" in saved["means"]
    plan = view.plan_builder("audit-app")
    plan_src = next(w for w in _walk(plan) if isinstance(w, ipw.Dropdown))
    plan_src.value = "survey"
    _button(plan, "Propose actions").click()
    assert _by_class(plan, "pap-proposal")


def test_survey_panel_escapes_hostile_headings(fresh):
    from widgets.audit import survey_view

    box = survey_view.survey_panel("audit-app")
    handler_upload = next(w for w in _walk(box) if isinstance(w, ipw.FileUpload))
    content = f"{HOSTILE},transport\nx,agree\n".encode()
    handler_upload.value = (
        {
            "name": "h.csv",
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )
    out = _html(box)
    assert "&lt;img" in out and "<img src=x onerror" not in out


def test_team_view_and_group_panel_suppress_below_five(fresh):
    from widgets.audit import view
    from widgets.audit.group import group_panel

    ws, _ = fresh.open_workshop("Staff day")
    people = [fresh.join_workshop(ws.code, f"P{k}") for k in range(5)]
    year = act.school_year()
    for k, p in enumerate(people[:4]):
        fresh.save(p.id, "barrier-audit", f"ratings:{year}", {"ratings": {"childcare": 1 + k % 4}})
    assert "Not enough ratings yet" in _html(group_panel(ws.id))
    fresh.save(people[4].id, "audit-app", f"ratings:{year}", {"ratings": {"childcare": 4}})
    panel = _html(group_panel(ws.id))
    assert "pap-team-chart" in panel and "5 rated" in panel
    identity.set_visitor(identity.visitor_from_query(f"p={people[0].token}"))
    box = view.team_view("barrier-audit")
    _button(box, "Show our team's results").click()
    assert "pap-team-chart" in _html(box)


def test_team_view_alone_explains_itself(fresh):
    from widgets.audit import view

    box = view.team_view("barrier-audit")
    assert "working on your own record" in _html(box)
    assert _button(box, "Show our team's results").disabled


def test_parent_questionnaire_in_both_languages():
    from widgets.audit import view

    en, fr = view.parent_questionnaire("en").value, view.parent_questionnaire("fr").value
    assert "Strongly agree" in en and "Tout à fait d&#39;accord" in fr  # escaped by the template
    assert "pap-download" in fr


def test_all_combinations_of_two_small_groups_stay_protected():
    for a, b in itertools.product([3, 9, 10, 40], repeat=2):
        d = _groups({"Big": 200, "A": a, "B": b})
        hidden = [g for g, x in d.items() if not x.shown]
        assert len(hidden) != 1


def test_shipped_district_sample_is_100k_responses_and_reads_gzipped():
    from widgets.audit.survey import read_table
    from widgets.datasets import dataset_path

    data = dataset_path("audit/district_survey.csv.gz").read_bytes()
    up = read_table(data, "district_survey.csv.gz")
    assert len(up.frame) == 100_000
    assert "Home language" in up.columns


def test_broken_gzip_gets_a_plain_message():
    from widgets.audit.survey import read_table
    from widgets.datasets import DatasetError

    with pytest.raises(DatasetError, match="not a readable .gz file"):
        read_table(b"\x1f\x8bnot really gzip", "export.csv.gz")

"""Audit look-fors, framework mapping, sources, the action plan's goal/budget/mid-year review, and
the audit's layering (thin views, templates, data tables beside charts)."""

from __future__ import annotations

import ast
import base64
import html
import re
import sqlite3
from datetime import date
from pathlib import Path

import ipywidgets as ipw
import pytest
import yaml
from support.seeds import SEEDS
from support.widget_tree import button as _button
from support.widget_tree import by_class as _by_class
from support.widget_tree import html_text as _html
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.audit import actions as act
from widgets.audit import charts, pages, results
from widgets.audit.frameworks import by_framework, load_frameworks, mapping_problems
from widgets.audit.instrument import Instrument, load_actions, load_instrument
from widgets.datasets import DatasetError, dataset_path, load_yaml_text
from widgets.html import render
from widgets.sources import load_sources

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "widgets" / "audit"
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture()
def fresh(kit_store):
    from widgets.audit import view

    view.reset_sessions()
    yield kit_store
    view.reset_sessions()


# -- look-fors --------------------------------------------------------------------------------------
def test_every_item_has_three_distinct_level_descriptors(inst):
    assert len(inst.items) >= 37
    for it in inst.items:
        levels = it.looks_like.by_value()
        assert sorted(levels) == [2, 3, 4], it.id
        texts = list(levels.values())
        assert len(set(texts)) == 3 and all(len(t) >= 10 for t in texts), it.id
        assert it.text not in texts, it.id


def test_a_missing_level_descriptor_is_a_named_error():
    raw = yaml.safe_load(dataset_path("audit/instrument.yaml").read_text())
    del raw["dimensions"][0]["items"][0]["looks_like"]["mostly"]
    with pytest.raises(DatasetError) as err:
        load_yaml_text(yaml.safe_dump(raw), Instrument, "instrument.yaml")
    assert "mostly" in str(err.value) and "looks_like" in str(err.value)


def test_look_fors_are_shown_in_words_where_staff_rate(fresh, inst):
    from widgets.audit import view

    box = view.audit_rater("barrier-audit")
    out = _html(box)
    assert out.count("pap-look-fors") == len(inst.items)
    for label in ("Starting", "Mostly in place", "Fully in place"):
        assert out.count(f">{label}</dt>") == len(inst.items)  # named levels, not colour
    sen = inst.item("sen-meetings").looks_like.fully
    assert sen.split(",")[0] in out


# -- framework mapping ------------------------------------------------------------------------------
def test_mapping_covers_every_item_and_every_framework_dimension(inst):
    fws = load_frameworks(inst)
    assert {f.id for f in fws.frameworks} == {"australia", "pta"}
    assert mapping_problems(inst, fws) == []
    for f in fws.frameworks:
        dims = {d.id for d in f.dimensions}
        for it in inst.items:
            assert set(it.frameworks[f.id]) <= dims and it.frameworks[f.id], (f.id, it.id)
        for d in f.dimensions:
            assert any(d.id in it.frameworks[f.id] for it in inst.items), (f.id, d.id)


def test_frameworks_are_the_seed_characteristics_and_the_pta_standards_as_guidance(inst):
    fws = load_frameworks(inst)
    aus, pta = fws.get("australia"), fws.get("pta")
    assert len(aus.dimensions) == 8 and [s.seed for s in aus.sources] == ["australia"]
    seed = (SEEDS / "001_abc799271dabe362.txt").read_text().lower() if SEEDS else ""
    if seed:
        assert "mutual trust and respect" in seed and "appropriate and adequate resources" in seed
    assert pta.kit_guidance and not pta.sources and len(pta.dimensions) == 6
    assert "Speaking up for every child" in pta.title_of("speaking-up")
    assert "Collaborating with community" in pta.title_of("community")
    speak = [it.id for it in inst.items if "speaking-up" in it.frameworks["pta"]]
    assert {"speaking-up", "policy-voice"} <= set(speak)
    assert "community-partners" in [
        it.id for it in inst.items if "community" in it.frameworks["pta"]
    ]


def test_a_gap_in_the_mapping_names_what_to_fix(inst):
    fws = load_frameworks(inst)
    items = {it.id: it for it in inst.items}
    broken = inst.model_copy(deep=True)
    first = broken.dimensions[0].items[0]
    first.frameworks.pop("pta")
    for d in broken.dimensions:
        for it in d.items:
            it.frameworks["pta"] = [x for x in it.frameworks.get("pta", []) if x != "community"]
    first.frameworks["australia"] = ["no-such-dimension"]
    problems = [str(p) for p in mapping_problems(broken, fws)]
    assert any(first.id in p and "no dimension of 'pta'" in p for p in problems)
    assert any("'community'" in p and "no audit item" in p for p in problems)
    assert any("no-such-dimension" in p for p in problems)
    assert items  # the loaded instrument itself is untouched
    assert mapping_problems(inst, fws) == []


def test_results_by_framework_count_an_item_under_each_of_its_dimensions(inst):
    fw = load_frameworks(inst).get("pta")
    rows = {
        r.dimension_id: r for r in by_framework({"speaking-up": 0.0, "front-door": 100.0}, inst, fw)
    }
    assert rows["speaking-up"].score == 0.0 and rows["speaking-up"].rated == 1
    assert rows["welcoming"].score == 100.0
    assert rows["community"].score is None and rows["community"].items


def test_framework_view_shows_the_chosen_framework_with_a_table(fresh):
    from widgets.audit import view

    rater = view.audit_rater("barrier-audit")
    _by_class(rater, "pap-item-speaking-up")[0].value = 1
    _by_class(rater, "pap-item-community-partners")[0].value = 4
    box = view.framework_view("barrier-audit")
    _button(box, "Show by framework").click()
    out = _html(box)
    assert "pap-framework-chart" in out and "Mutual trust and respect" in out
    assert "pap-data-table" in out
    _by_class(box, "pap-framework-choice")[0].value = "pta"
    _button(box, "Show by framework").click()
    out = _html(box)
    assert "Standard 4: Speaking up for every child" in out and "named as the kit" in out
    whose = next(
        w for w in _walk(box) if isinstance(w, ipw.Dropdown) and w.description == "Whose ratings"
    )
    whose.value = "team"
    _button(box, "Show by framework").click()
    out = _html(box)
    assert "Show your team" in out and "pap-framework-chart" not in out


# -- sources and inclusion --------------------------------------------------------------------------
def test_every_item_and_action_cites_a_known_seed_or_says_kit_guidance(inst):
    known = set(load_sources())
    lib = load_actions()
    for x in [*inst.items, *lib.actions]:
        assert bool(x.sources) != x.kit_guidance, x.id
        assert all(s.seed in known and s.section for s in x.sources), x.id
    raw = (
        dataset_path("audit/instrument.yaml").read_text()
        + dataset_path("audit/actions.yaml").read_text()
    )
    assert not re.search(r"^\s+source:", raw, re.M), "the old single `source:` field is gone"


def test_the_wrong_attributions_are_fixed(inst):
    lib = {a.id: a for a in load_actions().actions}
    # No seed mentions transport: the transport item and action are the kit's own guidance.
    if SEEDS:
        assert not any("transport" in p.read_text().lower() for p in SEEDS.glob("*.txt"))
    assert inst.item("transport").kit_guidance and lib["transport-help"].kit_guidance
    assert [s.seed for s in lib["community-venues"].sources][0] == "scotland"
    # Ontario's policy says nothing of digital access.
    assert "ontario" not in [s.seed for s in inst.item("digital-access").sources]
    assert lib["offline-routes"].kit_guidance or "ontario" not in [
        s.seed for s in lib["offline-routes"].sources
    ]


def test_inclusion_advocacy_and_community_items_each_have_a_direct_action(inst):
    lib = load_actions()
    for item in ("carers", "two-households", "low-literacy", "access-needs", "sen-meetings",
                 "speaking-up", "policy-voice", "community-partners"):  # fmt: skip
        inst.item(item)
        assert any(item in a.items for a in lib.actions), item


# -- action plan -----------------------------------------------------------------------------------
def test_plan_validation_goal_budget_and_review_dates():
    with pytest.raises(ValueError):
        act.PlanRow(action="x", budget="x" * 81)
    with pytest.raises(ValueError):
        act.PlanRow(action="x", progress_status="finished-ish")
    with pytest.raises(ValueError):
        act.Plan(review_date="mid-February")
    row = act.PlanRow(action="Crèche", owner="Ms Ode", due="2026-03-31", budget="£150",
                      measure="Families using it")  # fmt: skip
    plan = act.Plan(rows=[row])
    assert act.missing_fields(plan.rows, plan) == [
        "The plan has no mid-year review date",
        "Action 1 has no school-improvement goal",
    ]
    plan.goal = "Raise attendance at parents' evenings"
    plan.review_date = "2026-02-10"
    assert act.missing_fields(plan.rows, plan) == []
    assert act.review_problems(plan, "2025-26") == []
    plan.review_date = "2026-09-01"
    plan.rows[0].due = "2025-06-30"
    probs = act.review_problems(plan, "2025-26")
    assert "outside the school year 2025-26" in probs[0] and "Action 1 is due before" in probs[1]
    old = {"rows": [{"action": "Old row"}], "school": "X"}  # saved before goal/budget existed
    restored = act.parse_plan_record(old)
    assert restored.rows[0].budget == "" and restored.school == "X" and restored.review_date == ""
    assert act.parse_plan_record({"rows": [], "review_date": "31/02"}).review_date == ""
    assert restored.unreadable == 0


def test_a_saved_plan_part_that_no_longer_reads_is_counted_not_lost_quietly():
    raw = {
        "school": "X",
        "review_date": "31/02",
        "rows": [{"action": "Keep me"}, {"action": "x" * 5000}, "not a row"],
    }
    plan = act.parse_plan_record(raw)
    assert [r.action for r in plan.rows] == ["Keep me"]
    assert plan.unreadable == 3  # two rows and the date
    assert "unreadable" not in plan.model_dump()  # never saved back as data


def test_plan_builder_says_in_amber_when_saved_rows_were_left_out(fresh):
    from widgets.audit import view

    v = identity.current_visitor()
    year = act.school_year()
    fresh.save(v.id, "barrier-audit", f"plan:{year}",
               {"goal": "G", "rows": [{"action": "Kept"}, {"action": "y" * 5000}]})
    box = view.plan_builder("barrier-audit")
    out = html.unescape(_html(box))
    assert "1 saved part(s) of this year's plan could not be read" in out
    assert "pap-msg-warning" in out


def test_plan_page_prints_the_goal_budget_and_midyear_review_escaped(inst):
    plan = act.Plan(goal="Goal " + HOSTILE, review_date="2026-02-10", rows=[
        act.PlanRow(item_id="childcare", action="Crèche", budget="£150 " + HOSTILE,
                    progress_status="behind", progress="Two events so far " + HOSTILE),
    ])  # fmt: skip
    page = act.plan_to_html(plan.rows, inst, school="S", year="2025-26", plan=plan)
    assert "<img src=x" not in page and page.count("&lt;img") == 4  # goal twice (header, row)
    assert "Mid-year review (2026-02-10)" in page and "behind: needs help" in page
    assert "£150" in page and "<main>" in page
    csv = act.plan_to_csv(plan.rows, inst, plan)
    assert "midyear_status" in csv.splitlines()[0] and "Goal <img" in csv


def test_plan_builder_saves_and_restores_goal_budget_and_midyear_review(fresh):
    from widgets.audit import view

    rater = view.audit_rater("barrier-audit")
    _by_class(rater, "pap-item-childcare")[0].value = 1
    box = view.plan_builder("barrier-audit")
    _button(box, "Propose actions").click()
    _button(box, "Add chosen actions to the plan").click()
    year = act.school_year()
    first, _last = act.year_bounds(year)
    _by_class(box, "pap-plan-goal")[0].value = "More families at meetings"
    _by_class(box, "pap-plan-review")[0].value = date(first.year + 1, 2, 10)
    _by_class(box, "pap-plan-budget")[0].value = "£150"
    _by_class(box, "pap-plan-owner")[0].value = "Deputy head"
    _by_class(box, "pap-plan-status")[0].value = "on-track"
    _by_class(box, "pap-plan-progress")[0].value = "Childcare at two events; 12 families used it"
    assert "Saved at" in _html(box)
    v = identity.current_visitor()
    saved = fresh.get(v.id, "barrier-audit", f"plan:{year}")
    assert saved["goal"] == "More families at meetings"
    assert saved["review_date"] == f"{first.year + 1}-02-10"
    assert (
        saved["rows"][0]["budget"] == "£150" and saved["rows"][0]["progress_status"] == "on-track"
    )
    view.reset_sessions()
    again = view.plan_builder("barrier-audit")
    assert _by_class(again, "pap-plan-goal")[0].value == "More families at meetings"
    assert _by_class(again, "pap-plan-review")[0].value == date(first.year + 1, 2, 10)
    assert _by_class(again, "pap-plan-progress")[0].value.startswith("Childcare at two events")
    assert _by_class(again, "pap-plan-status")[0].value == "on-track"
    _button(again, "Export the plan").click()
    links = _by_class(again, "pap-plan-links")[0].value
    page = base64.b64decode(re.search(r'data:text/html;base64,([^"]+)', links).group(1)).decode()
    assert "Childcare at two events" in page and "on track" in page


def test_a_review_date_outside_the_year_is_saved_with_a_warning(fresh):
    from widgets.audit import view

    box = view.plan_builder("barrier-audit")
    _button(box, "Add an action of our own").click()
    _by_class(box, "pap-plan-review")[0].value = date(2001, 1, 1)
    out = _html(box)
    assert "Saved, but" in out and "outside the school year" in out


def test_a_failed_plan_save_says_not_saved_and_keeps_the_text(fresh, monkeypatch):
    from widgets.audit import view

    box = view.plan_builder("barrier-audit")
    _button(box, "Add an action of our own").click()

    def _full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(type(fresh), "save", _full)
    _by_class(box, "pap-plan-budget")[0].value = "£90"
    out = _html(box)
    assert "Not saved" in out and "full" in out and "Saved at" not in out
    assert _by_class(box, "pap-plan-budget")[0].value == "£90"


# -- results rules, templates, charts ------------------------------------------------------------------
def test_weakest_rules_live_in_results(inst):
    with pytest.raises(results.NothingToRank, match="Rate some items"):
        results.weakest("mine", 3, ratings={}, team=None, survey_means=None, inst=inst)
    with pytest.raises(results.NothingToRank, match="family survey"):
        results.weakest("survey", 3, ratings={}, team=None, survey_means={}, inst=inst)
    got = results.weakest("mine", 2, ratings={"childcare": 1, "transport": 1, "front-door": 4},
                          team=None, survey_means=None, inst=inst)  # fmt: skip
    assert got == [("childcare", 0.0), ("transport", 0.0)]
    assert results.lowest({"b": 10.0, "a": 10.0, "c": None}, 5) == [("a", 10.0), ("b", 10.0)]
    assert results.staff_view(None, {}, inst) is None
    assert results.staff_view(None, {"childcare": 4}, inst)[1] == "your own ratings"


def test_colour_bands_have_words_and_fixed_thresholds():
    assert results.band(39.9)[0].startswith("low") and results.band(40.0)[0].startswith("middling")
    assert results.band(60.0)[0].startswith("good")
    assert len({c for _, _, c in results.BANDS}) == 3


def test_templates_escape_everything_they_are_given(inst):
    out = render("audit/weak_list.html", weak=[results.WeakRow(HOSTILE, HOSTILE, 3.0)])
    assert "<img src=x" not in out and out.count("&lt;img") == 2
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render("audit/weak_list.html")


def test_every_chart_carries_a_table_of_its_numbers():
    p = charts.profile_chart([("Welcome " + HOSTILE, 80.0), ("Voice", None)],
                             compare=[60.0, 10.0], compare_label="2024-25")  # fmt: skip
    assert p.columns == ("Dimension", "Score", "2024-25", "Change")
    assert p.rows[0][1:] == ("80", "60", "+20") and p.rows[1][1] == "no score"
    html = p.html()
    assert "pap-data-table" in html and '<th scope="row"' in html and "<img src=x" not in html
    d = charts.diverging_chart([("Q1", [1, 1, 2])], ["No", "Maybe", "Yes"], dont_know=[3])
    assert d.rows == (("Q1", "25", "25", "50", "4", "3"),)
    g = charts.gap_chart([("Welcome", 80.0, 50.0)])
    assert g.rows == (("Welcome", "80", "50", "+30"),) and "pap-data-table" in g.html()


def test_team_page_and_group_panel_have_tables_and_suppress(fresh):
    from widgets.audit.group import group_panel

    ws, _ = fresh.open_workshop("Staff day")
    people = [fresh.join_workshop(ws.code, f"P{k}") for k in range(5)]
    year = act.school_year()
    for k, p in enumerate(people):
        fresh.save(p.id, "barrier-audit", f"ratings:{year}", {"ratings": {"childcare": 1 + k % 4}})
    panel = _html(group_panel(ws.id))
    assert panel.count("pap-data-table") == 2  # profile and item answers
    from widgets.audit.services import team_scores

    scores = team_scores(ws.id, year, load_instrument())
    assert results.team_item_scores(scores) == {"childcare": scores.items["childcare"].mean}
    assert results.team_item_scores(scores, min_n=6) == {}
    assert "Not enough ratings yet" in pages.team_html(scores, load_instrument(), year, min_n=6)


# -- layering ----------------------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_no_audit_view_file_is_over_400_lines():
    views = [AUDIT / "view.py", *AUDIT.glob("*_view.py")]
    assert len(views) >= 5
    for v in views:
        assert len(v.read_text().splitlines()) <= 400, v.name


def test_group_panel_and_rules_import_no_view_and_no_widgets():
    for name in ("group.py", "services.py", "results.py", "pages.py", "frameworks.py"):
        mods = _imports(AUDIT / name)
        assert not any(m.endswith("view") or "_view" in m for m in mods), name
    for name in ("results.py", "frameworks.py", "session.py", "actions.py"):
        assert "ipywidgets" not in _imports(AUDIT / name), name


def test_audit_views_build_no_html_from_user_text_in_fstrings():
    for v in [AUDIT / "view.py", *AUDIT.glob("*_view.py")]:
        src = v.read_text()
        assert "esc(" not in src, f"{v.name} escapes by hand: use a template"
        assert not re.search(r"f[\"'][^\"']*<(p|div|li|b|h4|details|span)\b", src), v.name

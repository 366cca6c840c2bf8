"""widgets.privacy owns every minimum group size; each use reads its own, documented value."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from widgets import privacy

WIDGETS = Path(privacy.__file__).parent

# Names with MIN in them that are not about how many people a view may show.
NOT_GROUP_SIZES = {"MIN_SUGGESTIONS", "MIN_SENTENCE_WORDS", "STATE_MIN"}
THRESHOLD_NAME = re.compile(r"(^|_)MIN(_|$)")
THRESHOLD_ARG = re.compile(r"^min_(n|group|cell|answers|size)$")


def suspicious_definitions(source: str) -> list[str]:
    """Group-size thresholds defined in ``source``: a MIN constant, or a ``min_n``/``min_group``
    parameter whose default is a bare number (other than 0 or 1, "no minimum") instead of a name
    from widgets.privacy."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            names += [e.id for t in targets if isinstance(t, ast.Tuple) for e in t.elts
                      if isinstance(e, ast.Name)]
            for name in names:
                if THRESHOLD_NAME.search(name) and name not in NOT_GROUP_SIZES:
                    found.append(f"line {node.lineno}: {name} =")
        if isinstance(node, ast.arguments):
            pos = node.posonlyargs + node.args
            pairs = list(zip(pos[len(pos) - len(node.defaults):], node.defaults, strict=True))
            pairs += [(a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d is not None]
            for arg, default in pairs:
                if (
                    THRESHOLD_ARG.match(arg.arg)
                    and isinstance(default, ast.Constant)
                    and default.value not in (0, 1, None)  # "no minimum" is not a threshold
                ):
                    found.append(f"line {default.lineno}: {arg.arg}={default.value!r}")
    return found


def test_the_checker_catches_the_old_kinds_of_definition():
    assert suspicious_definitions("MIN_GROUP = 5\nTEAM_MIN_N = 5\nDEFAULT_MIN_N = 10\n") == [
        "line 1: MIN_GROUP =",
        "line 2: TEAM_MIN_N =",
        "line 3: DEFAULT_MIN_N =",
    ]
    assert suspicious_definitions("def f(x, min_group: int = 5): ...") == ["line 1: min_group=5"]
    assert suspicious_definitions("def f(*, min_n=10): ...") == ["line 1: min_n=10"]
    assert suspicious_definitions("def weakest(k=5, min_n=1): ...") == []
    ok = "from widgets.privacy import TEAM_MIN_N\ndef f(min_n: int = TEAM_MIN_N): ...\n"
    assert suspicious_definitions(ok) == []


def test_no_module_but_privacy_defines_a_group_size_threshold():
    offenders = {}
    for path in sorted(WIDGETS.rglob("*.py")):
        if path.name == "privacy.py" and path.parent == WIDGETS:
            continue
        found = suspicious_definitions(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(WIDGETS.parent))] = found
    assert offenders == {}, "define group-size thresholds in widgets/privacy.py only"


def test_each_use_has_its_documented_value():
    assert privacy.WORKSHOP_MIN_GROUP == 5
    assert privacy.ROLEPLAY_MIN_GROUP == 5
    assert privacy.SKILLS_MIN_GROUP == 5
    assert privacy.TEAM_MIN_N == 5
    assert privacy.EVENING_MIN_ANSWERS == 5
    assert privacy.SURVEY_MIN_CELL == 10
    for name in ("WORKSHOP_MIN_GROUP", "ROLEPLAY_MIN_GROUP", "SKILLS_MIN_GROUP", "TEAM_MIN_N",
                 "EVENING_MIN_ANSWERS", "SURVEY_MIN_CELL"):
        src = inspect.getsource(privacy)
        assert re.search(rf'^{name} = .+\n"""\S', src, re.M), f"{name} needs its docstring"


def _default(fn, arg):
    return inspect.signature(fn).parameters[arg].default


def test_each_place_takes_its_default_from_privacy():
    from widgets.audit import pages, suppression, survey
    from widgets.roleplay import engine, group
    from widgets.skills import model as skills
    from widgets.workshop import model as workshop

    assert _default(workshop.sorting_distributions, "min_group") == privacy.WORKSHOP_MIN_GROUP
    from widgets.workshop import dashboard

    assert dashboard.WORKSHOP_MIN_GROUP is privacy.WORKSHOP_MIN_GROUP  # what the dashboard prints
    assert not hasattr(workshop, "MIN_GROUP")
    assert _default(engine.choice_distribution, "min_group") == privacy.ROLEPLAY_MIN_GROUP
    assert _default(group.panel_html, "min_group") == privacy.ROLEPLAY_MIN_GROUP
    assert _default(skills.group_capacity, "min_group") == privacy.SKILLS_MIN_GROUP
    assert _default(pages.team_html, "min_n") == privacy.TEAM_MIN_N
    for fn in (suppression.suppress_table, suppression.suppress_breakdown,
               suppression.suppress_combined, suppression.shown_count, survey.breakdown,
               survey.weak_items):
        assert _default(fn, "min_n") == privacy.SURVEY_MIN_CELL, fn.__name__


@pytest.mark.parametrize("answers, suppressed", [(4, True), (5, False), (0, False)])
def test_evening_survey_hides_a_question_below_its_minimum(answers, suppressed):
    from widgets.evening import survey

    s = survey.load_survey()
    q = next(q for q in s.questions if q.kind == "rating")
    data = "response," + q.id + "\n" + "".join(f"{i},4\n" for i in range(answers))
    (qs,) = [x for x in survey.analyse(data.encode(), survey=s).questions if x.question.id == q.id]
    assert qs.suppressed is suppressed
    assert qs.answered == answers


def test_the_two_rules_differ_only_at_zero():
    assert [privacy.big_enough(n, 5) for n in (0, 4, 5, 6)] == [False, False, True, True]
    assert [privacy.too_small(n, 5) for n in (0, 1, 4, 5)] == [False, True, True, False]

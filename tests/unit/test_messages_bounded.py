"""The message checker reads any text in time proportional to its length.

Two guards, neither of which depends on how busy the machine is:

* by construction: no regular expression the checker uses has a repeat nested in another repeat
  (the shape that backtracks exponentially), checked on the parsed patterns;
* by work: the whole checker runs on 1 MB shaped to hurt (no spaces, an address-like run, dots,
  digits, jargon words, long whitespace; the word-heavy ones a quarter of that) under a 300-second pytest-timeout per case. The fixed
  checker needs well under 2 s of CPU per case (``tests/bench/bench_readability.py``); the
  quadratic contact pattern it replaced needed about half an hour on the first case, so a
  regression fails by orders of magnitude, not by a margin a slow machine could cross.
"""

from __future__ import annotations

import re
import re._parser as sre_parse

import pytest

from widgets.messages import checker, readability

MB = 1_000_000
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT}


def _patterns() -> list[re.Pattern]:
    mods = (checker, readability)
    found = [v for m in mods for v in vars(m).values() if isinstance(v, re.Pattern)]
    glossary = checker.load_glossary()
    found += [re.compile(re.escape(t.term)) for t in glossary]  # terms are literal words
    return found


def _nested_unbounded(items, inside: bool = False) -> bool:
    for op, av in items:
        if op in _REPEATS:
            lo, hi, sub = av
            unbounded = hi == sre_parse.MAXREPEAT or hi > 50
            if unbounded and inside:
                return True
            if _nested_unbounded(sub, inside or unbounded):
                return True
        elif op == sre_parse.SUBPATTERN:
            if _nested_unbounded(av[-1], inside):
                return True
        elif op == sre_parse.BRANCH:
            if any(_nested_unbounded(b, inside) for b in av[1]):
                return True
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            if _nested_unbounded(av[1], inside):
                return True
        elif op == sre_parse.ATOMIC_GROUP:
            if _nested_unbounded(av, inside):
                return True
    return False


def test_the_lint_sees_a_nested_repeat():
    assert _nested_unbounded(sre_parse.parse(r"(?:a+b)+c"))
    assert _nested_unbounded(sre_parse.parse(r"x(?=(\w+\s?)*$)"))
    assert not _nested_unbounded(sre_parse.parse(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.]+"))


def test_no_pattern_of_the_checker_nests_unbounded_repeats():
    pats = _patterns()
    assert len(pats) > 20
    bad = [p.pattern for p in pats if _nested_unbounded(sre_parse.parse(p.pattern, p.flags))]
    assert bad == []


def test_leading_repeats_of_contact_patterns_start_only_at_a_run_start():
    """A repeat that may start at any letter of a run must be anchored to the run's start."""
    assert checker.EMAIL_RE.pattern.startswith("(?<!")
    assert checker.PHONE_RE.pattern.startswith("(?<!")


CASES = {
    "letters without a space": "a" * MB,
    "letters and digits": "a1" * (MB // 2),
    "an address-like run": ("x.y-z+" * (MB // 6 + 1))[:MB],
    "an @ in the middle of a run": "a" * (MB // 2) + "@" + "b" * (MB // 2),
    "dots": "." * MB,
    "digits and brackets": "1(" * (MB // 8),  # word-heavy cases: a quarter, for the suite's time
    "spaces after a newline": ("\n" + " " * 9_999) * (MB // 10_000),
    "is followed by spaces": ("is" + " " * 9_998) * (MB // 10_000),
    "jargon words": "IEP below-benchmark " * (MB // 80),
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", sorted(CASES))
def test_whole_checker_on_a_megabyte_shaped_to_hurt(name):
    text = CASES[name]
    ch = checker.load_channels()["letter"]
    rep = checker.check_message(text, ch, max_chars=None)
    assert rep.stats.words == len(readability.words(text))
    html = checker.highlighted_html(text[:50_000], rep.findings[:100])
    assert isinstance(html, str)

"""The reading grade agrees with textstat + the CMU dictionary, without either installed.

``datasets/messages/readability_letters/expected.yaml`` holds textstat's grade and ease for each
letter, computed once by ``tests/bench/bench_readability.py --write-expected``; these tests compare
the kit's own figures with them, offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from widgets.messages import readability as r

LETTERS = Path(__file__).resolve().parents[2] / "datasets" / "messages" / "readability_letters"
EXPECTED = yaml.safe_load((LETTERS / "expected.yaml").read_text(encoding="utf-8"))["letters"]
GRADE_TOLERANCE = 0.5
# Reading ease moves about 7 points per grade through syllables: 4 points is half a grade's worth.
EASE_TOLERANCE = 4.0


def test_there_are_at_least_20_varied_letters_each_with_an_expected_figure():
    names = sorted(p.name for p in LETTERS.glob("*.txt"))
    assert len(names) >= 20
    assert sorted(EXPECTED) == names
    texts = [(LETTERS / n).read_text(encoding="utf-8") for n in names]
    assert sum("Dear" in t for t in texts) >= 10  # salutations
    assert sum(any(s in t for s in ("regards", "wishes", "Yours", "Thanks")) for t in texts) >= 10
    assert sum("\n- " in t or "\n1. " in t for t in texts) >= 3  # lists
    assert sum(":30" in t or ":15" in t for t in texts) >= 8  # times
    grades = [EXPECTED[n]["grade"] for n in names]
    assert min(grades) < 4 and max(grades) > 12  # short notes and formal letters


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_grade_and_ease_agree_with_textstat(name):
    want = EXPECTED[name]
    got = r.readability((LETTERS / name).read_text(encoding="utf-8"))
    tolerance = want.get("tolerance", GRADE_TOLERANCE)
    assert tolerance <= 0.6, "a wider allowance needs a reason in expected.yaml (why)"
    if "tolerance" in want:
        assert want.get("why"), name
    assert abs(got.grade - want["grade"]) <= tolerance, (name, got, want)
    assert abs(got.reading_ease - want["ease"]) <= EASE_TOLERANCE, (name, got, want)


def test_mean_difference_from_textstat_is_small():
    diffs = [
        abs(r.readability((LETTERS / n).read_text(encoding="utf-8")).grade - w["grade"])
        for n, w in EXPECTED.items()
    ]
    assert sum(diffs) / len(diffs) <= 0.2


def _count(text: str) -> tuple[int, int]:
    s = r.readability(text)
    return s.words, s.sentences


def test_salutation_and_closing_are_not_sentences_of_their_own():
    body = "We are going to the farm on Friday. Please send a coat and a packed lunch."
    assert _count(body) == (16, 2)
    # the salutation is read with the first sentence; the closing block counts once
    assert _count(f"Dear Mrs Khan,\n\n{body}\n\nKind regards,\n\nMs Amina Patel\nYear 4")[1] == 3
    assert _count(f"Hi Sam,\n{body}\nThanks,\nAmina")[1] == 2  # two words or fewer: not counted


def test_a_paragraph_or_heading_without_a_full_stop_joins_the_next_sentence():
    assert _count("Maths Week\n\nNext week is Maths Week. Come and play.")[1] == 2
    assert len(r.sentences("Maths Week\n\nNext week is Maths Week. Come and play.")) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Please ask Mr. Khan or Dr. Lee about the trip to the farm.",
        "Bring warm things, e.g. a coat, and i.e. not sandals, to the farm.",
        "The letter from J. Smith says the trip to the farm is on.",
        "The coach leaves at 5.30 pm and the trip costs £2.50 per child today.",
        "See www.oakfield.sch.uk/trips or email trips@oakfield.sch.uk about the farm.",
        "It starts at 5 p.m. on Friday and ends at 7 p.m. on the dot.",
    ],
)
def test_abbreviations_times_prices_and_addresses_do_not_end_a_sentence(text):
    assert len(r.sentences(text)) == 1


def test_a_capital_after_pm_or_etc_starts_a_new_sentence():
    assert len(r.sentences("Come at 5 p.m. Bring a friend with you.")) == 2
    assert len(r.sentences("Pens, pencils, etc. Bring them all in a bag.")) == 2


def test_numbers_and_times_count_as_words_of_one_syllable():
    s = r.readability("Come at 5:30 pm on 14 June.")
    assert s.words == 7
    assert [r.word_syllables(w) for w in r.words("5:30 14 £2.50 2026-03-04 9am")] == [1] * 5


def test_hyphenated_words_and_addresses_are_one_word():
    assert r.words("a below-benchmark score, Parent/Guardian — see x@y.org") == [
        "a",
        "below-benchmark",
        "score,",
        "Parent/Guardian",
        "see",
        "x@y.org",
    ]
    assert r.word_syllables("below-benchmark") == 4
    assert r.word_syllables("Parent/Guardian") == 5


def test_syllable_exceptions_file_is_valid_and_used():
    from widgets.datasets import load_yaml

    data = load_yaml("messages/syllables.yaml", r.SyllableExceptions)
    assert len(data.words) >= 50
    assert all(w == w.lower() and 1 <= n <= 8 for w, n in data.words.items())
    assert r.syllables("Wednesday") == data.words["wednesday"] == 2
    assert r.syllables("business") == 2


def test_bad_syllable_exceptions_are_reported_with_the_place():
    from widgets.datasets import DatasetError, load_yaml_text

    with pytest.raises(DatasetError, match="words"):
        load_yaml_text("words: {idea: three}\n", r.SyllableExceptions, "syllables.yaml")


def test_empty_and_wordless_text():
    assert r.readability("") == r.Readability(0, 0, 0)
    assert r.readability(" - • … !!").grade == 0.0
    assert r.sentences("") == []

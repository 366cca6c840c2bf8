"""The stricter plain-language check for readers who find reading hard (issue 16, low literacy)."""

from __future__ import annotations

import pytest

from widgets.messages import checker
from widgets.messages.plain_language import check_plain_language, load_rules

HARD = (
    "Dear families,\n\nPlease RSVP by 04/03 for the IEP review. The meeting will consider the "
    "individualized educational accommodations recommended previously. We would appreciate your "
    "participation."
)
EASY = (
    "Dear Ms Ali,\n\nWe would like to meet you about Sam's reading. Can you come on Tuesday 4 March "
    "at 3 pm?\n\nWe will meet in Room 12. If that time is hard, call me on 555 0134 and we can talk."
)


def test_rules_load_and_every_tip_is_marked():
    rules = load_rules()
    assert rules.max_sentence_words < checker.LONG_SENTENCE_WORDS
    assert all(t.sources or t.kit_guidance for t in rules.tips)
    assert any(t.sources for t in rules.tips)


def test_a_hard_letter_gets_marks_and_notes():
    res = check_plain_language(HARD)
    marked = {m.text for m in res.marks}
    assert {"RSVP", "04/03", "IEP"} <= marked
    assert any("three or more syllables" in n for n in res.notes)
    assert any("by voice" in n for n in res.notes)
    assert res.long_word_share > load_rules().max_long_word_share


def test_an_easy_letter_is_left_alone():
    res = check_plain_language(EASY)
    assert res.marks == []
    assert res.notes == []
    assert res.tips  # the tips are always offered


def test_a_sentence_between_the_limits_is_marked_once():
    sentence = (
        "We will hold a short meeting after school next week so that you can see the new books."
    )
    n = len(sentence.split())
    assert load_rules().max_sentence_words < n <= checker.LONG_SENTENCE_WORDS
    res = check_plain_language(sentence + " Call me.")
    assert [m.text for m in res.marks] == [sentence]


def test_dense_paragraphs_are_noted():
    para = "We met. It went well. Sam read. He smiled. Call me."
    assert any("more than three sentences" in n for n in check_plain_language(para).notes)


def test_the_checker_adds_the_marks_only_when_asked():
    ch = checker.load_channels()["letter"]
    plain = checker.check_message(HARD, ch)
    strict = checker.check_message(HARD, ch, low_literacy=True)
    assert plain.plain is None and not plain.of("plain-language")
    assert strict.plain is not None and strict.of("plain-language")
    html = checker.highlighted_html(strict.text, strict.findings)
    assert 'class="pap-plain-language"' in html


@pytest.mark.parametrize("size", [10_000, 60_000])
def test_long_runs_do_not_blow_up(size):
    """No pattern rescans a run: digits, slashes and dots in bulk are checked in one pass."""
    for text in ("1/" * size, "e." * size, "9" * size):
        check_plain_language(text)


def test_the_view_shows_the_option_and_escapes_the_notes(kit_store):
    import ipywidgets as ipw

    from widgets.messages.view import message_checker

    view = message_checker()

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    box = next(w for w in walk(view) if "pap-low-literacy" in getattr(w, "_dom_classes", ()))
    area = next(w for w in walk(view) if "pap-message-input" in getattr(w, "_dom_classes", ()))
    button = next(w for w in walk(view) if isinstance(w, ipw.Button))
    box.value = True
    area.value = HARD + " <script>x</script>"
    button.click()
    page = "\n".join(w.value for w in walk(view) if isinstance(w, ipw.HTML))
    assert "For readers who find reading hard" in page
    assert "<script>" not in page
    assert "kit guidance" in page


def test_the_sample_letter_shows_what_the_check_is_for():
    from widgets.messages.plain_language import sample_letter

    res = check_plain_language(sample_letter())
    assert {"IEP", "14/11", "RSVP", "ASAP", "e.g."} <= {m.text for m in res.marks}
    assert any("three or more syllables" in n for n in res.notes)


def test_the_module_activity_opens_with_the_sample_letter(kit_store):
    import ipywidgets as ipw

    from widgets.messages.plain_language import sample_letter
    from widgets.messages.view import message_checker

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    view = message_checker("communicating", low_literacy_sample=True)
    area = next(w for w in walk(view) if isinstance(w, ipw.Textarea))
    assert area.value == sample_letter()

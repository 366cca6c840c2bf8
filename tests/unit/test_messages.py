"""The message checker, readability, templates and communication plan (no kernel, no network)."""

from __future__ import annotations

import socket

import pytest

from widgets.messages import checker, plan, readability, templates

JARGON_LETTER = (
    "Dear Parent/Guardian, Your child's IEP will be reviewed at the SST. We will discuss "
    "formative assessment data, scaffolding and differentiation in relation to the curriculum "
    "expectations and benchmarks. Failure to attend will result in the plan being finalised "
    "without your input!!"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Prove the checks run offline: any attempt to open a socket fails the test."""

    def refuse(*a, **k):
        raise AssertionError("the checker tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    "word,n",
    [
        ("cat", 1),
        ("table", 2),
        ("parent", 2),
        ("evening", 2),  # "eve-ning", as the CMU dictionary has it (listed in syllables.yaml)
        ("every", 3),
        ("idea", 3),
        ("safety", 2),
        ("required", 3),
        ("someone", 2),
        ("don't", 1),
        ("didn't", 2),
        ("education", 4),
        ("curriculum", 4),
        ("communication", 5),
        ("differentiation", 6),
        ("school", 1),
    ],
)
def test_syllables_offline(word, n):
    assert readability.syllables(word) == n


def test_flesch_figures_on_a_known_text():
    r = readability.readability("The cat sat on the mat. The dog ran.")
    assert (r.words, r.sentences, r.syllables) == (9, 2, 9)
    assert r.reading_ease == pytest.approx(206.835 - 1.015 * 4.5 - 84.6 * 1.0)
    assert r.grade == pytest.approx(0.39 * 4.5 + 11.8 - 15.59)


def test_hard_text_scores_harder_than_plain_text():
    plain = readability.readability("Come to our maths night. Bring the family. We start at six.")
    hard = readability.readability(JARGON_LETTER)
    assert hard.grade > plain.grade + 5
    assert hard.reading_ease < plain.reading_ease


def test_sentences_split_on_end_punctuation_and_a_list_stays_with_its_lead_in():
    assert readability.sentences("One. Two! Three?\nBring:\n- four\n- five") == [
        "One.",
        "Two!",
        "Three?",
        "Bring:\n- four\n- five",
    ]


def test_glossary_has_enough_terms_with_plain_alternatives():
    g = checker.load_glossary()
    assert len(g) >= 149  # 109 before issue 12, and at least 40 more
    assert all(t.plain.strip() for t in g)
    assert len({t.term.lower() for t in g}) == len(g), "duplicate terms in the glossary"


def test_jargon_found_with_plain_alternatives():
    found = {
        f.text: f.suggestion for f in checker.find_jargon(JARGON_LETTER, checker.load_glossary())
    }
    assert found["IEP"] == "your child's learning plan"
    assert "formative assessment" in found and "assessment" not in found  # longest match wins
    assert {
        "scaffolding",
        "differentiation",
        "benchmarks",
        "SST",
        "curriculum expectations",
    } <= set(found)


def test_acronyms_match_case_sensitively_but_phrases_do_not():
    g = checker.load_glossary()
    assert [f.text for f in checker.find_jargon("an idea about a sea", g)] == []
    assert [f.text for f in checker.find_jargon("Formative Assessment", g)] == [
        "Formative Assessment"
    ]


def test_full_report_on_a_jargon_letter():
    ch = checker.load_channels()["letter"]
    rep = checker.check_message(JARGON_LETTER, ch)
    assert len(rep.of("jargon")) >= 7
    assert rep.of("passive"), "“will be reviewed” is passive"
    tone = {f.text for f in rep.of("tone")}
    assert "!!" in tone and any("Failure to" in t or "result in" in t for t in tone)
    assert rep.essentials == {"what": True, "when": False, "where": False, "contact": False}
    assert rep.missing == ["when", "where", "contact"]
    assert rep.stats.grade > 10  # 10.9 by hand: 42 words, 3 sentences, 75 syllables


def test_a_good_invitation_passes_the_essentials():
    ch = checker.load_channels()["text"]
    msg = "Maths night this Thursday at 6 pm in the library. Questions? Call Ms Patel on 555-0100."
    rep = checker.check_message(msg, ch)
    assert rep.essentials == {"what": True, "when": True, "contact": True}
    assert not rep.of("jargon") and not rep.length_problem


def test_length_against_channel():
    ch = checker.load_channels()["text"]
    rep = checker.check_message("Reminder about the trip tomorrow. " * 20, ch)
    assert "characters is long for a text message" in rep.length_problem


def test_long_sentences_flagged():
    long = " ".join(["word"] * 30) + ". Short one."
    f = checker.find_long_sentences(long)
    assert len(f) == 1 and "30 words" in f[0].message


def test_shouting_but_not_acronyms():
    g = checker.load_glossary()
    texts = {f.text for f in checker.find_tone("PLEASE reply about the IEP today", g)}
    assert texts == {"PLEASE"}


def test_suggested_rewrite_swaps_terms():
    out = checker.suggested_rewrite("The IEP uses scaffolding.")
    assert out == "The your child's learning plan uses step-by-step help."


def test_highlighted_html_escapes_user_text():
    hostile = 'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> about the IEP'
    rep = checker.check_message(hostile, checker.load_channels()["email"])
    out = checker.highlighted_html(hostile, rep.findings)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and '<mark class="pap-jargon"' in out


def test_templates_valid_in_three_languages_and_fill():
    ts = templates.load_templates()
    assert {
        "welcome",
        "positive-note",
        "weekly-learning",
        "event-invitation",
        "meeting-request",
    } <= set(ts)
    for t in ts.values():
        assert {"en", "fr", "es"} <= set(t.text)
    t = ts["positive-note"]
    text = templates.fill(t, "fr", {"child_name": "Ravi", "family_name": "M. Singh"})
    assert "Ravi" in text and "M. Singh" in text and "[Your name]" in text
    assert templates.blanks(t, {"child_name": "Ravi"}) == [
        "Family name(s)",
        "Your name",
        "What you noticed (be specific)",
        "Best way to reach you",
    ]


def test_template_with_undeclared_placeholder_is_rejected():
    from widgets.datasets import DatasetError, load_yaml_text

    bad = """
templates:
  - id: x
    title: X
    fields: [{name: a, label: A}]
    text: {en: "Hi {a} {b}", fr: "Salut {a}", es: "Hola {a}"}
"""
    with pytest.raises(DatasetError, match=r"uses \['b'\]"):
        load_yaml_text(bad, templates.Templates, "t.yaml")


def test_english_templates_pass_their_own_checker():
    """Our own templates must practise what the checker preaches: no jargon, grade 8 or under."""
    for t in templates.load_templates().values():
        filled = templates.fill(t, "en", {f.name: f.example for f in t.fields})
        rep = checker.check_message(filled, checker.load_channels()[t.channel], needs=t.needs)
        assert not rep.of("jargon"), (t.id, [f.text for f in rep.of("jargon")])
        assert rep.stats.grade <= 8.5, (t.id, rep.stats.grade)
        assert not rep.missing, (t.id, rep.missing)


def test_plan_gaps_and_exports():
    opts = plan.load_plan_options()
    rows = [
        plan.PlanRow(
            audience="All families",
            channel="Newsletter",
            purpose="news <b>",
            frequency="Monthly",
            owner="Office",
        )
    ]
    assert "New families" in plan.gaps(rows, opts) and "All families" not in plan.gaps(rows, opts)
    assert "news &lt;b&gt;" in plan.to_html(rows, opts, "Oak School")
    assert plan.to_csv(rows).splitlines()[1] == "All families,Newsletter,news <b>,Monthly,Office,"


FORMAL = (
    "Dear Parent/Guardian,\n\nPursuant to the assessment policy, your child's reading is "
    "below-benchmark. In accordance with the tiered intervention framework, targeted support "
    "will commence prior to half term. Should you have any queries, please do not hesitate to "
    "contact the SENCo.\n\nYours faithfully,\nMrs. J. Okafor"
)


def test_bureaucratic_terms_found_with_plain_alternatives():
    found = {f.text: f.suggestion for f in checker.find_jargon(FORMAL, checker.load_glossary())}
    assert found["Pursuant to"] == "under"
    assert found["below-benchmark"] == "behind where we expect at this age"
    assert found["In accordance with"] == "in line with"
    assert found["do not hesitate to contact"] == "please contact"
    assert {"tiered intervention", "targeted support", "commence", "prior to", "queries"} <= set(
        found
    )
    assert found["SENCo"].startswith("the teacher who leads support")


@pytest.mark.parametrize(
    "text",
    [
        "below-benchmark",
        "below benchmark",
        "Below‐Benchmark",
        "below -\tbenchmark",
        "below\nbenchmark",
    ],
)
def test_hyphenated_terms_match_with_hyphens_or_spaces(text):
    found = checker.find_jargon(f"Her reading is {text} for now.", checker.load_glossary())
    assert [f.suggestion for f in found] == ["behind where we expect at this age"]
    assert found[0].text == text


def test_terms_inside_longer_hyphenated_words_or_other_words_are_not_jargon():
    g = checker.load_glossary()
    assert checker.find_jargon("non-pursuant pursuantly SENDing", g) == []
    assert [f.text for f in checker.find_jargon("pursuant, pull-out and push-in.", g)] == [
        "pursuant",
        "pull-out",
        "push-in",
    ]


def test_multi_word_terms_may_break_across_lines_and_take_a_plural():
    g = checker.load_glossary()
    found = checker.find_jargon("two running\n  records and one data wall", g)
    assert [f.text for f in found] == ["running\n  records", "data wall"]
    # not across punctuation
    assert checker.find_jargon("running. Record", g) == []


def test_glossary_terms_must_be_whole_words():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="only letters, digits, spaces and hyphens"):
        checker.GlossaryTerm(term="child's plan", plain="plan")
    assert checker.GlossaryTerm(term="below-benchmark", plain="behind").term == "below-benchmark"


def test_suggested_rewrite_handles_hyphenated_and_multi_word_terms():
    out = checker.suggested_rewrite("Pursuant to the plan, her reading is below-benchmark.")
    assert out == "Under the plan, her reading is behind where we expect at this age."
    out = checker.suggested_rewrite("Hello.\n\nTargeted support will commence. Pursuant to it…")
    assert out == "Hello.\n\nExtra help chosen for your child will start. Under it…"


def test_over_long_message_is_refused_plainly_with_the_limit():
    from widgets import limits

    ch = checker.load_channels()["letter"]
    text = "a" * (limits.MAX_MESSAGE_CHARS + 1)
    with pytest.raises(checker.MessageTooLong) as exc:
        checker.check_message(text, ch)
    words = str(exc.value)
    assert f"{limits.MAX_MESSAGE_CHARS:,}" in words and f"{len(text):,}" in words
    assert checker.too_long(text) == words
    assert checker.too_long("a" * limits.MAX_MESSAGE_CHARS) == ""
    with pytest.raises(checker.MessageTooLong):
        checker.suggested_rewrite(text)
    # at the limit it is checked
    assert checker.check_message("IEP " * (limits.MAX_MESSAGE_CHARS // 4), ch).of("jargon")


def test_long_sentence_counts_its_own_words_not_a_salutation_or_list():
    items = "\n".join(f"- item number {i}" for i in range(10))
    text = f"Dear Mrs Khan,\nPlease bring these things:\n{items}\nThank you."
    assert checker.find_long_sentences(text) == []
    long = "Dear Ms Lee,\n" + " ".join(["word"] * 26) + "."
    f = checker.find_long_sentences(long)
    assert len(f) == 1 and "26 words" in f[0].message
    assert long[f[0].start : f[0].end] == f[0].text


def test_contact_found_in_an_address_a_number_or_words_but_not_in_a_long_run():
    assert checker.essentials("Email office@oak.sch.uk")["contact"]
    assert checker.essentials("Ring 01632 960 123")["contact"]
    assert checker.essentials("Get in touch any time")["contact"]
    assert not checker.essentials("a" * 5000 + "@" + "b" * 5000)["contact"]
    assert not checker.essentials("12345")["contact"]


def _walk_widgets(w):
    import ipywidgets as ipw

    yield w
    if isinstance(w, ipw.Box):
        for c in w.children:
            yield from _walk_widgets(c)


def test_rewrite_activity_says_saved_only_after_the_store_confirmed(kit_store, monkeypatch):
    import ipywidgets as ipw

    from widgets import identity
    from widgets.messages.view import rewrite_activity

    box = rewrite_activity("m-rw")
    area = next(w for w in _walk_widgets(box) if isinstance(w, ipw.Textarea))
    htmls = [w for w in _walk_widgets(box) if isinstance(w, ipw.HTML)]
    area.value = "Please come on Tuesday."
    v = identity.current_visitor()
    assert kit_store.get(v.id, "m-rw", "rewrite:rewrite") == {"text": "Please come on Tuesday."}
    assert any("Saved at" in h.value for h in htmls)

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kit_store, "save", broken)
    area.value = "Please come on Wednesday."
    shown = " ".join(h.value for h in htmls)
    assert "Saved at" not in shown and "Not saved" in shown
    assert area.value == "Please come on Wednesday."


def test_letter_placeholders_are_filled_once():
    """A value that looks like a placeholder (a parent named "{school}") stays as typed."""
    for t in templates.load_templates().values():
        names = [f.name for f in t.fields]
        if len(names) < 2:
            continue
        a, b = names[0], names[1]
        values = {a: "{" + b + "}", b: "Oak School"}
        filled = templates.fill(t, "en", values)
        body = t.text["en"]
        if "{" + a + "}" not in body or "{" + b + "}" not in body:
            continue
        # filled twice, the first slot would read "Oak School" too
        assert "{" + b + "}" in filled, t.id
        assert filled.count("Oak School") == body.count("{" + b + "}"), t.id
        return
    pytest.fail("no template with two fields to check")

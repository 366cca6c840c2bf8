"""Parents' evening letters in many languages: the letters' schema, which letter a family's home
language gets, the office's amber lines, dates on the school's locale, salutations per language,
single-pass placeholders and right-to-left letters."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from widgets.datasets import DatasetError, load_yaml_text
from widgets.evening import fairness, ingest, outputs, status
from widgets.evening.data import FamilyRow, Settings, TeacherRow, build_instance
from widgets.evening.letters import (
    LetterFile,
    family_name,
    fill,
    format_clock,
    format_date,
    format_when,
    language_notes,
    letter_file,
    letter_language,
    match_language,
    salutation,
)
from widgets.evening.scheduler import solve
from widgets.html import escape

WANTED = {"en", "fr", "es", "ar", "ur", "pl", "so", "pa", "zh"}
TEXT_FIELDS = ("title", "salutation", "salutation_plain", "intro", "col_time", "col_teacher",
               "col_room", "col_child", "interpreter", "arrive", "unplaced", "none_title", "none",
               "none_next", "none_interpreter", "none_contact", "change", "place", "sign_off")


def _plan(families: list[FamilyRow], **settings):
    st = Settings(**{"start": "17:40", "end": "18:40", "slot_minutes": 10, "break_minutes": 0,
                     "date": "2026-12-16", "school": "Hillside", "contact": "the office",
                     **settings})
    teachers = [TeacherRow(teacher_id="JSM", name="Mr J Smith", room="S12")]
    inst, problems = build_instance(st, families, teachers, [])
    loaded = ingest.Loaded(inst, {"families": [], "teachers": [], "interpreters": [],
                                  "joined": problems},
                           {"families": (len(families), len(families)), "teachers": (1, 1),
                            "interpreters": (0, 0)})
    tt = solve(inst)
    return loaded, inst, tt


def _fam(fid: str, parent: str = "Mr García", lang: str = "English", **kw) -> FamilyRow:
    return FamilyRow(family_id=fid, parent_name=parent, child_name="Ana", teacher="JSM",
                     home_language=lang, **kw)


# ----------------------------------------------------------------------------- the data


def test_every_language_has_every_field_and_a_speaker_status():
    lf = letter_file()
    assert WANTED <= set(lf.languages), f"missing: {WANTED - set(lf.languages)}"
    for code, tpl in lf.languages.items():
        for f in TEXT_FIELDS:
            assert getattr(tpl, f).strip(), f"{code}.{f} is empty"
        assert isinstance(tpl.checked_by_speaker, bool)
        assert tpl.dir == ("rtl" if code in {"ar", "ur"} else "ltr"), code
    assert lf.languages["en"].checked_by_speaker is True
    # the translations written for the kit wait for a speaker
    assert not any(lf.languages[c].checked_by_speaker for c in ("ur", "pl", "so", "pa", "zh"))


def _block(**over) -> str:
    fields = {f: f"'{f} text'" for f in TEXT_FIELDS}
    fields["salutation"] = "'Dear {family} family,'"
    fields.update(over)
    body = "\n".join(f"    {k}: {v}" for k, v in fields.items())
    return ("languages:\n  en:\n    name: English\n    english_name: English\n    locale: en_GB\n"
            f"    dir: ltr\n    checked_by_speaker: true\n{body}\n")


def test_the_schema_names_what_is_wrong_in_a_letter_block():
    assert "en" in load_yaml_text(_block(), LetterFile).languages
    with pytest.raises(DatasetError, match="sign_off"):
        load_yaml_text(_block().replace("    sign_off: 'sign_off text'\n", ""), LetterFile)
    with pytest.raises(DatasetError, match=r"\{shcool\}"):
        load_yaml_text(_block(intro="'Welcome to {shcool}'"), LetterFile)
    with pytest.raises(DatasetError, match="not a locale"):
        load_yaml_text(_block().replace("locale: en_GB", "locale: xx_YY"), LetterFile)
    no_status = _block().replace("    checked_by_speaker: true\n", "")
    with pytest.raises(DatasetError, match="checked_by_speaker"):
        load_yaml_text(no_status, LetterFile)


# ----------------------------------------------------------------------------- home languages


@pytest.mark.parametrize(
    ("written", "code"),
    [("Polish", "pl"), ("polski", "pl"), ("pl", "pl"), ("pl-PL", "pl"), ("POLISH ", "pl"),
     ("Somali", "so"), ("Soomaali", "so"), ("af-Soomaali", "so"),
     ("Punjabi", "pa"), ("Panjabi", "pa"), ("ਪੰਜਾਬੀ", "pa"),
     ("Mandarin", "zh"), ("Chinese", "zh"), ("中文", "zh"), ("普通话", "zh"), ("zh-CN", "zh"),
     ("Chinese (Mandarin)", "zh"),
     ("Urdu", "ur"), ("اردو", "ur"), ("Arabic", "ar"), ("العربية", "ar"),
     ("Español", "es"), ("francais", "fr"), ("English", "en")],
)
def test_home_languages_in_many_forms_find_their_letter(written, code):
    assert match_language(written) == code
    assert letter_language(written) == code


def test_a_language_without_a_letter_gets_english_and_no_script_matches_another():
    assert match_language("Tigrinya") is None and letter_language("Tigrinya") == "en"
    assert match_language("ትግርኛ") is None  # non-Latin names do not collapse to one empty key
    assert letter_language("") == "en"


# ----------------------------------------------------------------------------- the office's lines


def test_unchecked_and_missing_languages_make_amber_lines():
    notes = language_notes(["Polish", "English", "Tigrinya", "tigrinya ", "polski", "Amharic"])
    assert notes.unchecked == ("Polish",)
    assert notes.missing == (("Tigrinya", 2), ("Amharic", 1))
    lines = notes.lines()
    assert lines[0].startswith(
        "Letters in Polish have not been checked by a Polish speaker yet."
    )
    assert "3 families get an English letter" in lines[1]
    assert "Tigrinya (2), Amharic (1)" in lines[1]
    assert language_notes(["English", "", "english"]).lines() == []
    assert language_notes(["Arabic"]).lines()[0].startswith(
        "Letters in Arabic have not been checked by an Arabic speaker yet."
    )


def test_a_language_set_as_checked_has_no_line():
    lf = letter_file().model_copy(deep=True)
    lf.languages["pl"].checked_by_speaker = True
    assert language_notes(["Polish", "Somali"], lf).unchecked == ("Somali",)


def test_the_timetable_status_carries_the_letter_lines():
    loaded, inst, tt = _plan([_fam("P", "Pani Nowak", "polski"), _fam("T", "Ms Tesfaye", "Tigrinya")])
    out = status.timetable_outcome(loaded, fairness.build_report(inst, tt))
    assert out.kind == "warning"
    assert "Letters in Polish have not been checked by a Polish speaker yet" in out.text
    assert "1 family gets an English letter" in out.text and "Tigrinya (1)" in out.text
    assert out.left_out == 0  # nothing is lost: every family still gets a letter
    english_only, inst2, tt2 = _plan([_fam("E", "Ms Roe", "English")])
    ok = status.timetable_outcome(english_only, fairness.build_report(inst2, tt2))
    assert ok.kind == "success" and "Letters in" not in ok.text


# ----------------------------------------------------------------------------- dates and times


def test_en_gb_dates_and_times_are_written_the_british_way():
    d = dt.date(2026, 12, 16)
    assert format_when(d, 17 * 60 + 40, "en_CA", "en_GB") == "Wednesday 16 December 2026, 17:40"
    us = format_when(d, 17 * 60 + 40, "en_US", "en_US").replace("\u202f", " ")
    assert us == "Wednesday, December 16, 2026, 5:40 PM"
    # another language keeps its words but the school's 24-hour clock
    assert format_clock(17 * 60 + 40, "pl", "en_GB") == "17:40"
    assert format_clock(17 * 60 + 40, "zh_Hans", "en_GB") == "17:40"
    assert format_clock(17 * 60 + 40, "zh_Hans", "en_US") != "17:40"
    assert format_date(d, "pl", "en_GB") == "środa, 16 grudnia 2026"


def test_letters_follow_the_school_locale():
    loaded, inst, tt = _plan([_fam("G", "Mr García", "English")], end="17:50")  # one slot
    page = outputs.letter_html(inst, tt, "G")
    assert "Wednesday 16 December 2026" in page and "17:40 – 17:50" in page
    assert "p.m." not in page and "PM" not in page
    _l, inst_us, tt_us = _plan([_fam("G", "Mr García", "English")], end="17:50",
                                school_locale="en_US")
    us = outputs.letter_html(inst_us, tt_us, "G")
    assert "December 16, 2026" in us and "5:40" in us and "17:40" not in us
    # the teachers' printed schedules write the date the same way, not as 2026-12-16
    assert "Wednesday 16 December 2026" in outputs.teacher_sheets_html(inst, tt)
    assert "December 16, 2026" in outputs.teacher_sheets_html(inst_us, tt_us)
    with pytest.raises(ValidationError, match="not a locale"):
        Settings(school_locale="Narnia")


# ----------------------------------------------------------------------------- salutations


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "Dear García family,"), ("es", "Estimada familia García:"),
     ("fr", "Chère famille García,"), ("pl", "Szanowni Państwo,"),
     ("so", "Qoyska García ee sharafta leh,"), ("zh", "尊敬的García家长："),
     ("ar", "عائلة García الكريمة،"), ("ur", "محترم García خاندان،"),
     ("pa", "ਸਤਿਕਾਰਯੋਗ García ਪਰਿਵਾਰ ਜੀ,")],
)
def test_salutations_fit_the_language(code, expected):
    tpl = letter_file().languages[code]
    assert salutation(tpl, "Mr García") == expected
    _l, inst, tt = _plan([_fam("G", "Mr García", "English")])
    page = outputs.letter_html(inst, tt, "G", code)
    assert f"<p>{expected}</p>" in page and "(Mr García)" not in page


@pytest.mark.parametrize(
    ("parent", "family"),
    [("Mr García", "García"), ("García (Mr)", "García"), ("Mr and Mrs Haddad", "Haddad"),
     ("Robinson, Jane", "Robinson"), ("Sra. García López", "García López"),
     ("Ms Lee (mother)", "Lee"), ("Jane Roe", "Roe"), ("Mr", ""), ("", "")],
)
def test_family_names_lose_their_titles(parent, family):
    assert family_name(parent) == family


def test_no_family_name_gives_the_plain_salutation():
    tpl = letter_file().languages["es"]
    assert salutation(tpl, "Mrs") == "Estimada familia:"


# ----------------------------------------------------------------------------- placeholders, RTL


def test_a_parent_named_like_a_placeholder_is_not_filled_in():
    assert fill("{parent} at {school}", {"parent": "{school}", "school": "Hillside"}) == (
        "{school} at Hillside"
    )
    _l, inst, tt = _plan([_fam("X", "{school}", "English")], contact="{school} <office>")
    page = outputs.letter_html(inst, tt, "X")
    assert "Dear {school} family," in page
    assert "please contact {school} &lt;office&gt;." in page and "<office>" not in page


@pytest.mark.parametrize("code", sorted(WANTED))
def test_letters_carry_lang_and_dir_with_and_without_a_time(code):
    rtl = code in {"ar", "ur"}
    direction = "rtl" if rtl else "ltr"
    _l, inst, tt = _plan([_fam("G", "Mr García", "English")])
    page = outputs.letter_html(inst, tt, "G", code)
    assert f'<html lang="{code}" dir="{direction}">' in page
    assert f'<section class="letter" lang="{code}" dir="{direction}">' in page
    # a family with no time (their teacher has no slot that suits them) gets the none_ letter
    _l, inst2, tt2 = _plan([_fam("N", "Mr García", "English", available_from="19:00")])
    assert not outputs.has_time(inst2, tt2, "N")
    none = outputs.letter_html(inst2, tt2, "N", code)
    assert f'lang="{code}" dir="{direction}"' in none and "<table" not in none
    assert str(escape(letter_file().languages[code].none_title)) in none  # as the template escapes it


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_polish_texts_never_bend_a_full_date_after_a_preposition():
    """Babel writes a Polish weekday in the nominative ("czwartek, 10 grudnia 2026"), so
    "do {closes}" printed "do czwartek" (it must be "do czwartku"). A full date stands on its
    own in the Polish texts: after a colon or in brackets, never straight after do/w dniu/od."""
    import re

    import yaml

    from widgets.datasets import DATASETS_DIR

    bent = re.compile(r"\b(do|w dniu|od|przed|po)\s+\{(date|closes)\}", re.IGNORECASE)
    found = []
    for name in ("letters.yaml", "reminders.yaml", "family_page.yaml"):
        block = yaml.safe_load((DATASETS_DIR / "evening" / name).read_text("utf-8"))["languages"]
        found += [f"{name}: {s}" for s in _strings(block.get("pl", {})) if bent.search(s)]
    assert not found, found
    assert format_date(dt.date(2026, 12, 10), "pl").startswith("czwartek")  # the reason

"""Family survey: columns recognised by their answers (en/fr/es/ar), the preview, combining groups
with suppression that holds across tables, and the bounded upload of a survey."""

from __future__ import annotations

import csv
import gzip
import io
import random
import struct
import tracemalloc
import zipfile
import zlib
from datetime import UTC, datetime

import ipywidgets as ipw
import numpy as np
import pytest
from support.widget_tree import by_class as _by_class
from support.widget_tree import html_text as _html
from support.widget_tree import walk as _walk

from widgets import limits
from widgets.audit import suppression, survey, survey_columns
from widgets.audit.instrument import (
    Likert,
)
from widgets.datasets import DatasetError, load_yaml_text


def _csv(headers: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _survey(headers, answers, groups, comments, n=24, bad=None, seed=3):
    """A survey export: a timestamp, a group column, Likert columns, a comment column.

    ``answers`` are the answer words, drawn per cell at random (seeded, so always the same);
    ``bad`` = {(row, col): text} puts unreadable text in some cells.
    """
    rnd = random.Random(seed)
    rows = []
    for r in range(n):
        row = [f"2026-04-{1 + r % 28:02d} 18:{r:02d}", groups[r % len(groups)]]
        row += [rnd.choice(answers) for _ in headers]
        row.append(comments[r % len(comments)] if r % 3 == 0 else "")
        rows.append(row)
    for (r, c), text in (bad or {}).items():
        rows[r][2 + c] = text
    return rows


EN_Q = [
    "I feel welcome when I visit the school",
    "The office staff are friendly and helpful",
    "Letters from the school are easy to understand",
    "I can get information from the school in my language",
    "Meetings are at times I can come",
    "I can get childcare when I come to school events",
    "My child enjoys going to school",
]
EN_A = ["Strongly agree", "Agree", "agree ", "Disagree", "STRONGLY DISAGREE", "Don't know", "4", ""]


def _read(data: bytes, name: str):
    return survey.read_table(data, name)


def test_english_survey_with_its_own_wording(inst, versions, likert):
    rows = _survey(
        EN_Q,
        EN_A,
        ["English", "Somali", "English", "Arabic"],
        ["Evenings are hard for me because of my shifts at work"],
        bad={(2, 0): "sometimes", (5, 0): "sometimes", (7, 6): "it depends on the day"},
    )
    up = _read(_csv(["Timestamp", "Home language", *EN_Q, "Anything else?"], rows), "own.csv")
    pv = survey_columns.recognise(up, inst, versions, likert)
    kinds = {c.column: c.kind for c in pv.columns}
    assert [kinds[q] for q in EN_Q] == ["question"] * 7  # all seven, whatever their wording
    assert kinds["Home language"] == "group" and kinds["Timestamp"] == "other"
    assert kinds["Anything else?"] == "comment"
    m = pv.mapping
    # "I feel welcome ... the school" names a school but its answers are on the scale
    assert m[EN_Q[0]] == survey.QUESTION
    assert m[EN_Q[1]] == "item:front-office" and m[EN_Q[2]] == "item:plain-language"
    assert m[EN_Q[3]] == "item:translated" and m[EN_Q[4]] == "item:times-vary"
    assert m[EN_Q[5]] == "item:childcare" and m[EN_Q[6]] == survey.QUESTION
    welcome = pv.column(EN_Q[0])
    assert welcome.unreadable == 2 and welcome.unreadable_examples == ("sometimes",)
    assert pv.column(EN_Q[6]).unreadable == 1 and pv.unreadable == 3
    assert pv.counts() == {"items": 5, "questions": 2, "groups": 1, "comments": 1, "ignored": 1}
    # the analysis reads every question, and leaves out exactly the cells the preview counted
    data = survey.prepare(up, m, likert, versions)
    assert len(data.problems) == pv.unreadable == 3
    assert survey.OWN + EN_Q[0] in data.items and "front-office" in data.items
    res = survey.distributions(data)
    col = [r[2] for r in rows]
    rated = sum(1 for v in col if survey.norm(v) not in ("", "don't know", "sometimes"))
    assert res[survey.OWN + EN_Q[0]].n == rated
    assert res[survey.OWN + EN_Q[0]].dont_know == sum(1 for v in col if v == "Don't know")


FR_Q = [
    "Je me sens bien accueilli à l'école",
    "Les réunions ont lieu à des heures où je peux venir",
    "L'école me donne des nouvelles de mon enfant",
]
FR_A = ["Tout à fait d'accord", "Plutôt d'accord", "PAS DU TOUT D’ACCORD", "Pas d'accord",
        "Ne sais pas", "  plutôt pas d'accord"]  # fmt: skip
ES_Q = ["Me siento bienvenido en la escuela", "La escuela me informa en mi idioma"]
ES_A = ["Muy de acuerdo", "De acuerdo", "En desacuerdo", "Muy en desacuerdo", "No sé"]
AR_Q = ["أشعر بالترحيب في المدرسة", "مواعيد الاجتماعات مناسبة لي"]
AR_A = ["موافق بشدة", "موافق", "غير موافق", "غير موافق بشدة", "لا أعرف", "٤"]


@pytest.mark.parametrize(
    ("lang", "questions", "answers", "group", "values", "points"),
    [
        ("fr", FR_Q, FR_A, "Langue parlée à la maison", ["Français", "Arabe", "Lingala"], 4),
        ("es", ES_Q, ES_A, "Idioma", ["Español", "Quechua"], 4),
        ("ar", AR_Q, AR_A, "اللغة", ["العربية", "الكردية"], 4),
    ],
)
def test_other_languages_are_recognised_by_their_answers(
    inst, versions, likert, lang, questions, answers, group, values, points
):
    rows = _survey(questions, answers, values, ["Un commentaire un peu plus long que cela"])
    up = _read(_csv(["Horodatage", group, *questions, "Commentaires"], rows), f"{lang}.csv")
    pv = survey_columns.recognise(up, inst, versions, likert)
    assert [pv.column(q).kind for q in questions] == ["question"] * len(questions)
    assert pv.column(group).choice == survey.GROUP
    assert pv.unreadable == 0, [c.unreadable_examples for c in pv.questions]
    assert pv.points == points
    data = survey.prepare(up, pv.mapping, likert, versions)
    assert data.problems == [] and data.responses == len(rows)
    res = survey.distributions(data)
    key = next(iter(data.items))
    first = [r[2] for r in rows]
    dk = sum(1 for v in first if v in ("Ne sais pas", "No sé", "لا أعرف"))
    assert res[key].dont_know == dk and res[key].n == len(rows) - dk
    if lang == "fr":  # the French heading matches the French questionnaire's wording
        assert pv.mapping[FR_Q[1]] == "item:times-vary"


def test_numbers_are_questions_unless_the_heading_names_a_group(inst, versions, likert):
    rows = [
        [
            str(1 + k % 5),
            str(1 + (k * 3) % 5),
            f"School {k % 3}",
            str(k + 1000),
            f"0{1 + k % 4}/05/2026",
        ]
        for k in range(30)
    ]
    heads = ["I feel safe at school", "Grade", "School", "Response ID", "Date"]
    up = _read(_csv(heads, rows), "n.csv")
    pv = survey_columns.recognise(up, inst, versions, likert)
    assert pv.column("I feel safe at school").choice == survey.QUESTION
    assert pv.column("Grade").choice == survey.GROUP  # 1..5, but a grade
    assert pv.column("School").choice == survey.GROUP
    assert pv.column("Response ID").choice == survey.IGNORE
    assert pv.column("Date").choice == survey.IGNORE  # four dates repeat, but are no group
    small = _read(b"Response ID,Favourite colour\n1,blue\n2,green\n3,blue\n", "s.csv")
    assert survey_columns.recognise(small, inst, versions, likert).mapping == {
        "Response ID": survey.IGNORE,  # 1, 2, 3 count rows; they answer nothing
        "Favourite colour": survey.GROUP,
    }
    assert pv.points == 5


def test_preview_follows_the_users_corrections(inst, versions, likert):
    rows = _survey(EN_Q[:2], EN_A, ["English", "French"], ["A long comment about the evenings"],
                   bad={(1, 0): "maybe"})  # fmt: skip
    up = _read(_csv(["Timestamp", "Home language", *EN_Q[:2], "Notes"], rows), "p.csv")
    pv = survey_columns.recognise(up, inst, versions, likert)
    labels = {i.id: i.text for i in inst.items}
    assert pv.unreadable == 1
    assert "question of your own" in survey_columns.describe(pv.column(EN_Q[0]), labels)
    assert "heading matches" in survey_columns.describe(pv.column(EN_Q[1]), labels)
    # the user says the welcome question is the audit's front-door item
    pv2 = survey_columns.rechoose(pv, up, EN_Q[0], "item:front-door", likert, versions, inst)
    assert pv2.column(EN_Q[0]).item_id == "front-door" and pv2.unreadable == 1
    assert "you chose" in survey_columns.describe(pv2.column(EN_Q[0]), labels)
    # ... then that it is not a question at all: nothing is counted as unreadable in it
    pv3 = survey_columns.rechoose(pv2, up, EN_Q[0], survey.IGNORE, likert, versions, inst)
    assert pv3.column(EN_Q[0]).unreadable == 0 and pv3.unreadable == 0
    # a group column read as a question: every value is unreadable, and counted
    pv4 = survey_columns.rechoose(pv3, up, "Home language", survey.QUESTION, likert, versions)
    assert pv4.column("Home language").unreadable == len(rows)
    assert pv4.unreadable == len(rows)
    assert pv4.column("Home language").unreadable_examples[0] in ("English", "French")
    assert pv.mapping[EN_Q[0]] == survey.QUESTION  # the earlier preview is unchanged


def test_a_likert_word_under_two_points_is_refused_with_the_word():
    text = (
        "languages:\n  en:\n    name: English\n    points: {1: [bad], 2: [meh], 3: [ok], "
        "4: [fine], 5: [great]}\n  xx:\n    name: Other\n    points: {1: [nope], 2: [ok], "
        "3: [so-so], 4: [yup], 5: [super]}\n"
    )
    with pytest.raises(DatasetError, match="'ok'"):
        load_yaml_text(text, Likert, "likert.yaml")


def test_shipped_vocabulary_reads_each_language(likert, versions):
    words, dk = survey.vocabulary(likert, versions)
    assert {"en", "fr", "es", "ar"} <= set(likert.languages)
    for w, p in [("Strongly agree", 5), ("Tout à fait d'accord", 5), ("Muy de acuerdo", 5),
                 ("موافق بشدة", 5), ("غير موافق", 2), ("Plutôt pas d'accord", 2)]:  # fmt: skip
        assert survey.code_value(w, words, dk) == ("text", p), w
    for w in ("Don't know", "Ne sais pas", "No sé", "لا أعرف"):
        assert survey.code_value(w, words, dk)[0] == "dk", w
    assert survey.code_value("٤", words, dk) == ("num", 4)


# -- combining groups -------------------------------------------------------------------------------
def _data_with_groups(sizes: dict[str, int], items=("q1", "q2"), seed=1) -> survey.SurveyData:
    import pandas as pd

    rng = np.random.default_rng(seed)
    langs = [g for g, n in sizes.items() for _ in range(n)]
    n = len(langs)
    values = pd.DataFrame({i: rng.integers(1, 5, n).astype("float32") for i in items})
    dk = pd.DataFrame({i: np.zeros(n, bool) for i in items})
    groups = pd.DataFrame({"Home language": pd.Series(langs, dtype="category")})
    return survey.SurveyData(values, dk, groups, 4, survey.LABELS_4, [], n, [])


def test_combining_the_hidden_languages_shows_them_together():
    sizes = {"English": 60, "French": 30, "Arabic": 15, "Tigrinya": 4, "Somali": 7}
    data = _data_with_groups(sizes)
    plain = survey.breakdown(data, "Home language", 10)
    assert not plain.groups["Tigrinya"].shown and not plain.groups["Somali"].shown
    bd = survey.breakdown(data, "Home language", 10, combine=["Tigrinya", "Somali"])
    assert bd.combined == "Other languages" and bd.members == ("Somali", "Tigrinya")  # larger first
    assert list(bd.groups) == ["English", "French", "Arabic", "Other languages"]
    other = bd.groups["Other languages"]
    assert other.shown and other.n == 11
    scores = data.scores()
    mask = data.groups["Home language"].isin(["Tigrinya", "Somali"]).to_numpy()
    assert bd.means[("Other languages", "q1")] == pytest.approx(float(scores["q1"][mask].mean()))
    assert bd.groups["Arabic"].shown


def test_a_combination_still_too_small_is_hidden_again_with_its_complement():
    data = _data_with_groups(
        {"English": 60, "French": 30, "Arabic": 15, "Tigrinya": 4, "Somali": 3}
    )
    bd = survey.breakdown(data, "Home language", 10, combine=["Tigrinya", "Somali"])
    assert bd.groups["Other languages"].reason == suppression.PRIMARY
    # alone in the size column it could be worked out from the total: another group is hidden too
    assert bd.groups["Arabic"].reason == suppression.COMPLEMENTARY
    assert all(bd.means[("Other languages", i)] is None for i in data.items)


def test_combining_one_hidden_group_with_a_shown_one_does_not_reveal_it():
    # Plain: Tigrinya (4) hidden, Arabic hidden to protect it. Combining Tigrinya with French
    # (shown) would give Tigrinya = combination - French, so the combination stays hidden.
    data = _data_with_groups({"English": 60, "French": 30, "Arabic": 15, "Tigrinya": 4})
    plain = survey.breakdown(data, "Home language", 10)
    assert plain.groups["Arabic"].reason == suppression.COMPLEMENTARY
    bd = survey.breakdown(data, "Home language", 10, combine=["Tigrinya", "French"])
    assert not bd.groups["Other languages"].shown
    assert not bd.groups["Arabic"].shown  # still hidden, as in the plain table
    assert bd.means[("Other languages", "q1")] is None


def _determined(rows: list[np.ndarray], target: np.ndarray) -> bool:
    """Whether ``target``·x follows from the published equations ``rows``·x = known."""
    if not rows:
        return False
    a = np.array(rows, dtype=float)
    return np.linalg.matrix_rank(np.vstack([a, target])) == np.linalg.matrix_rank(a)


@pytest.mark.parametrize("seed", range(60))
def test_no_hidden_cell_follows_from_the_plain_and_the_combined_table(seed):
    """Both tables published: no hidden cell of the plain table can be solved for, in any line."""
    rnd = random.Random(seed)
    n_groups = rnd.randint(3, 7)
    groups = [f"G{k}" for k in range(n_groups)]
    sizes = {g: rnd.choice([2, 4, 7, 9, 11, 14, 25, 60]) for g in groups}
    cells = {g: {i: rnd.randint(0, sizes[g]) for i in ("q1", "q2")} for g in groups}
    decisions, hidden = suppression.suppress_breakdown(sizes, cells, 10)
    plain = {g: {suppression.SIZE: sizes[g], **cells[g]} for g in groups}
    plain_hidden = dict(hidden) | {(g, suppression.SIZE): d.reason for g, d in decisions.items()}
    members = rnd.sample(groups, rnd.randint(1, n_groups - 1))
    d2, h2 = suppression.suppress_combined(plain, plain_hidden, members, "Other", 10)
    combined_hidden = dict(h2) | {(g, suppression.SIZE): d.reason for g, d in d2.items()}
    plain_rows_hidden = {g for g, d in decisions.items() if not d.shown}
    rows_hidden = {g for g, d in d2.items() if not d.shown}
    for line in (suppression.SIZE, "q1", "q2"):
        # What a reader learns: a shown cell, an empty cell of a shown group ("–"), and the total.
        # A hidden group's cells all read as hidden, empty or not.
        eqs = []
        if not plain_hidden.get((suppression.TOTAL, line)):
            eqs.append(np.ones(n_groups))  # the line's total is published
        for k, g in enumerate(groups):
            hid = plain_hidden.get((g, line)) or g in plain_rows_hidden
            if not hid or (plain[g][line] == 0 and g not in plain_rows_hidden):
                eqs.append(np.eye(n_groups)[k])
        if not combined_hidden.get(("Other", line)) and "Other" not in rows_hidden:
            eqs.append(np.array([1.0 if g in members else 0.0 for g in groups]))
        for k, g in enumerate(groups):
            if plain_hidden.get((g, line)) and plain[g][line] > 0:
                assert not _determined(eqs, np.eye(n_groups)[k]), (line, g, sizes, members)
        # the combined table on its own never has a line with a single unknown cell
        rows = [g for g in groups if g not in members] + ["Other"]
        values = {g: plain[g][line] for g in groups if g not in members}
        values["Other"] = sum(plain[g][line] for g in members)
        unknown = [
            g
            for g in rows
            if g in rows_hidden or (combined_hidden.get((g, line)) and values[g] > 0)
        ]
        total_hidden = combined_hidden.get((suppression.TOTAL, line))
        assert len(unknown) != 1 or total_hidden, (line, unknown, sizes, members)


# -- bounded upload ---------------------------------------------------------------------------------
def _gzip_of_repeats(chunk: bytes, times: int) -> bytes:
    """A valid gzip of ``chunk`` repeated ``times`` times, built without holding the whole."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no back-references
    tail = c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return head + seg * times + tail + struct.pack("<II", crc, (len(chunk) * times) & 0xFFFFFFFF)


@pytest.fixture(scope="module")
def gib_bomb() -> bytes:
    line = b"Strongly agree,Agree,Disagree,English\n"
    chunk = line * ((1 << 20) // len(line)) + b"\n" * ((1 << 20) % len(line))
    return _gzip_of_repeats(chunk, 1024)  # 1 GiB inside


def test_the_bomb_builder_makes_real_gzip():
    assert gzip.decompress(_gzip_of_repeats(b"abc\n" * 1000, 5)) == b"abc\n" * 5000


def test_a_gigabyte_inside_a_gzip_is_refused_with_bounded_memory(gib_bomb):
    assert len(gib_bomb) < 4 * limits.MIB
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError) as e:
            survey.read_table(gib_bomb, "district.csv.gz")
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"unpacks to more than {limits.size_words(limits.MAX_UNPACKED_BYTES)}" in str(e.value)
    # the cap plus the growth slack of one buffer, never the gigabyte (main took 7.6 GB)
    assert peak < 1.5 * limits.MAX_UNPACKED_BYTES


def test_nested_gzip_is_refused_after_one_layer(gib_bomb):
    nested = gzip.compress(gib_bomb)
    assert len(nested) < 64 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError, match="compressed file inside a compressed file"):
            survey.read_table(nested, "survey.csv.gz")
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * limits.MIB


def test_oversized_empty_and_workbook_bombs_get_plain_messages():
    with pytest.raises(DatasetError, match="more than the 25 MB"):
        survey.read_table(b"a,b\n1,2\n", "big.csv", size=limits.MAX_UPLOAD_BYTES + 1)
    big = b"Agree," * (limits.MAX_UPLOAD_BYTES // 6 + 1)
    with pytest.raises(DatasetError, match="25 MB"):
        survey.read_table(big, "big.csv")
    for empty in (b"", b"  \n\n", gzip.compress(b"")):
        with pytest.raises(DatasetError, match="empty"):
            survey.read_table(empty, "e.csv.gz" if empty[:2] == b"\x1f\x8b" else "e.csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        # 30 MB at a ratio of about 1000: a bomb by its ratio, refused from the zip directory
        zf.writestr("xl/worksheets/sheet1.xml", b"<c>1</c>" * (4 * limits.MIB))
    assert len(buf.getvalue()) < limits.MIB
    with pytest.raises(DatasetError, match="workbook unpacks to 32 MB, more than the 150 MB"):
        survey.read_table(buf.getvalue(), "survey.xlsx")


def test_utf16_tab_export_is_read_and_recognised(inst, versions, likert):
    text = "Langue\tJe me sens bien accueilli à l'école\n" + "".join(
        f"{lang}\t{a}\n"
        for lang, a in zip(
            ["Français", "Arabe"] * 6,
            ["Tout à fait d'accord", "Pas d'accord", "Ne sais pas"] * 4,
            strict=True,
        )
    )
    for enc in ("utf-16", "utf-16-le"):
        up = survey.read_table(text.encode(enc), "export.csv")
        assert up.columns == ["Langue", "Je me sens bien accueilli à l'école"]
        pv = survey_columns.recognise(up, inst, versions, likert)
        assert pv.mapping == {"Langue": survey.GROUP, up.columns[1]: survey.QUESTION}
        assert pv.unreadable == 0


# -- the panel --------------------------------------------------------------------------------------
@pytest.fixture()
def fresh(kit_store):
    from widgets.audit import view

    view.reset_sessions()
    yield kit_store
    view.reset_sessions()


def _upload(box, content: bytes, name: str, size: int | None = None) -> None:
    up = next(w for w in _walk(box) if isinstance(w, ipw.FileUpload))
    up.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content) if size is None else size,
            "content": memoryview(content),
            "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )


def test_panel_previews_own_wording_and_counts_unreadable_in_amber(fresh):
    from widgets.audit import survey_view

    rows = _survey(EN_Q, EN_A, ["English", "Somali"], ["A long comment about the evenings"],
                   bad={(2, 0): "sometimes", (4, 3): "sometimes"})  # fmt: skip
    box = survey_view.survey_panel("audit-app")
    _upload(box, _csv(["Timestamp", "Home language", *EN_Q, "Comments"], rows), "own.csv")
    out = _html(box)
    assert "7 question(s) (5 matched to audit items, 2 of your own)" in out
    assert "2 value(s) in 2 question column(s) could not be read" in out
    amber = [w for w in _walk(box) if isinstance(w, ipw.HTML) and "pap-unreadable" in w.value]
    assert len(amber) == 2 and all("“sometimes”" not in w.value for w in amber)
    assert all("sometimes" in w.value for w in amber)
    dds = {d.value for d in _by_class(box, "pap-map")}
    assert {"question", "group", "comment", "item:front-office"} <= dds
    # a correction in the dropdown redraws that column's reading and the counts
    lang_dd = next(d for d in _by_class(box, "pap-map") if d.value == "group")
    lang_dd.value = "question"
    assert f"{len(rows) + 2} value(s) in 3 question column(s) could not be read" in _html(box)
    lang_dd.value = "group"
    assert "2 value(s) in 2 question column(s) could not be read" in _html(box)
    next(w for w in _walk(box) if isinstance(w, ipw.Button) and w.description == "Analyse").click()
    out = _html(box)
    assert "2 answer(s) could not be read" in out and "pap-survey-chart" in out
    assert "I feel welcome when I visit the school" in out  # own questions are analysed too
    status = [w.value for w in _walk(box) if isinstance(w, ipw.HTML) and "Analysed" in w.value]
    assert status and "warning" in status[0]


def test_panel_combines_hidden_groups(fresh):
    from widgets.audit import survey_view

    box = survey_view.survey_panel("audit-app")
    next(
        w
        for w in _walk(box)
        if isinstance(w, ipw.Button) and w.description.startswith("Use the sample")
    ).click()
    next(w for w in _walk(box) if isinstance(w, ipw.Button) and w.description == "Analyse").click()
    ticks = {w.description.split(" (")[0]: w for w in _by_class(box, "pap-combine-group")}
    assert {"English", "French", "Tigrinya", "Somali"} <= set(ticks)
    next(
        w
        for w in _walk(box)
        if isinstance(w, ipw.Button) and w.description == "Tick the hidden groups"
    ).click()
    assert ticks["Tigrinya"].value and ticks["Somali"].value and not ticks["English"].value
    out = next(
        w.value for w in _walk(box) if isinstance(w, ipw.HTML) and "pap-breakdown" in w.value
    )
    assert "Other languages" in out and "combines Somali, Tigrinya" in out and ": shown" in out
    assert ">Tigrinya<" not in out


def test_panel_refuses_bombs_and_big_files_in_plain_words(fresh, gib_bomb):
    from widgets.audit import survey_view

    box = survey_view.survey_panel("audit-app")
    _upload(box, gib_bomb, "survey.csv.gz")
    assert "unpacks to more than 100 MB" in _html(box)
    _upload(box, b"a,b\n1,2\n", "survey.csv", size=limits.MAX_UPLOAD_BYTES * 2)
    out = _html(box)
    assert "more than the 25 MB this page accepts" in out and "Traceback" not in out
    assert not _by_class(box, "pap-map")

"""Family survey analysis: read a messy export, map its columns, count, compare, protect groups.

A school's survey comes back from Google Forms, Microsoft Forms or a paper tally as CSV or XLSX
with answers as words ("Strongly agree", "D'accord", " agree ") or numbers, blank cells, stray
spaces and the odd row typed in the wrong column. Nothing here throws a row away silently: every
cell that cannot be read is reported by its spreadsheet row number and left out on its own, and
every good answer in the same row is kept. Every file is opened through
:mod:`widgets.uploads` first (size cap, one bounded gzip layer, workbook-bomb check), and which
column is what is judged from its answers in :mod:`widgets.audit.survey_columns`.

Everything is vectorised with pandas (answers are mapped through the handful of distinct values a
column holds, not row by row), so a district's 100,000 responses aggregate in well under two
seconds. pandas is imported inside the functions so that a page opens without it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from widgets.audit.instrument import Likert, ParentVersion, norm
from widgets.audit.suppression import (
    SIZE,
    TOTAL,
    GroupDecision,
    suppress_breakdown,
    suppress_combined,
)
from widgets.datasets import DatasetError, Problem
from widgets.privacy import SURVEY_MIN_CELL
from widgets.uploads import UploadedFile, open_upload

if TYPE_CHECKING:
    import pandas as pd

IGNORE = "ignore"
GROUP = "group"
ITEM = "item:"
QUESTION = "question"  # a question on the agreement scale that is not one of the audit's items
COMMENT = "comment"  # free text: kept out of the analysis (and never shown beside a group)
OWN = "own:"  # key prefix of a question that is not an audit item, followed by its column
NOT_GIVEN = "Not given"
MAX_ROWS = 500_000

LABELS_5 = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
LABELS_4 = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]

_DK, _BAD, _BLANK = -1, -2, 0


# -- reading a file --------------------------------------------------------------------------------
@dataclass
class Upload:
    """An uploaded table as text cells, with any rows that could not be read at all."""

    frame: pd.DataFrame
    name: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def _dedupe(headers: list[str]) -> list[str]:
    out, seen = [], {}
    for k, h in enumerate(headers):
        h = " ".join(str(h).split()) or f"Column {k + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        out.append(h)
    return out


def read_table(data: bytes, filename: str, size: int | None = None) -> Upload:
    """CSV (any common encoding, comma/semicolon/tab), XLSX, or either gzipped, into text cells.

    The bytes go through :func:`widgets.uploads.open_upload` first, so the size cap, the one
    streamed gzip layer with its cap, the refusal of a gzip inside a gzip and the workbook-bomb
    check all apply before anything is parsed. Row numbers in problems are spreadsheet rows: the
    header is row 1, the first answer row 2.
    """
    return read_upload(open_upload(data, filename, size))


def read_upload(upload: UploadedFile) -> Upload:
    """Parse a file that has passed the upload rules (see :func:`read_table`)."""
    import pandas as pd

    name, data = upload.name, upload.data
    if upload.is_xlsx:
        try:
            frame = pd.read_excel(
                io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl"
            )
        except Exception:  # noqa: BLE001 - a corrupt or password-protected workbook
            raise DatasetError(
                name,
                [
                    Problem(
                        "the whole file",
                        "it could not be opened as an Excel workbook",
                        "save it again from Excel as .xlsx, or export it as CSV",
                    )
                ],
            ) from None
        frame.columns = _dedupe([str(c) for c in frame.columns])
        frame = frame.fillna("").astype(str)
        return Upload(_limit(frame, name), name)
    if name.lower().endswith(".xls") or data[:4] == b"\xd0\xcf\x11\xe0":
        raise DatasetError(
            name,
            [
                Problem(
                    "the whole file", "old .xls workbooks are not read", "save it as .xlsx or CSV"
                )
            ],
        )
    return _read_csv_text(upload.text(), name)


def _delimiter(text: str) -> str:
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(",;\t", key=first.count)


def _read_csv_text(text: str, name: str) -> Upload:
    import pandas as pd

    sep = _delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
        frame.columns = _dedupe([str(c) for c in frame.columns])
        return Upload(_limit(frame, name), name)
    except pd.errors.ParserError:
        pass  # some rows have the wrong number of cells: read row by row and report them
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError(
            name, [Problem("the whole file", "it is empty", "choose a file with data")]
        ) from None
    header = _dedupe(header)
    width = len(header)
    good, problems = [], []
    for k, row in enumerate(reader, start=2):
        if len(row) == width:
            good.append(row)
        elif len(row) < width and not any(c.strip() for c in row):
            good.append([""] * width)
        elif len(row) < width:
            good.append(row + [""] * (width - len(row)))
        else:
            good.append([""] * width)  # keep the numbering; the row is reported and left out
            problems.append(
                Problem(
                    f"row {k}",
                    f"it has {len(row)} cells but the header has {width} (a comma inside an answer?)",
                    "put answers containing commas in quotes, or fix the row in the spreadsheet",
                )
            )
    frame = pd.DataFrame(good, columns=header, dtype=str)
    return Upload(_limit(frame, name), name, problems)


def _limit(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.shape[1] == 0:
        raise DatasetError(
            name, [Problem("row 1", "there are no column headings", "add a header row")]
        )
    if len(frame) > MAX_ROWS:
        raise DatasetError(
            name,
            [
                Problem(
                    "the whole file",
                    f"it has {len(frame):,} rows, more than the {MAX_ROWS:,} this page analyses",
                    "split the file by school or term",
                )
            ],
        )
    return frame


# -- turning answers into numbers -----------------------------------------------------------------
def vocabulary(likert: Likert, versions: list[ParentVersion]) -> tuple[dict[str, int], set[str]]:
    """Every answer word the kit reads (normalised) -> point 1..5, and the don't-know words."""
    words: dict[str, int] = {}
    for point, ws in likert.points.items():
        for w in ws:
            words[norm(w)] = point
    dk = {norm(w) for w in likert.dont_know}
    for pv in versions:  # the questionnaire's own labels, whatever the scale length
        five = _to_five(pv.points)
        for sp in pv.scale:
            words.setdefault(norm(sp.label), five[sp.value - 1])
        dk.add(norm(pv.dont_know))
    return words, dk


def _to_five(points: int) -> list[int]:
    return {4: [1, 2, 4, 5], 5: [1, 2, 3, 4, 5], 3: [1, 3, 5], 2: [1, 5]}.get(
        points, [1, 2, 3, 4, 5]
    )


def decide_scale(kinds: Any) -> int:
    """4 or 5 points, from the coded answers of every question column.

    The words decide when there are any (a middle answer means five points); numbers only decide
    in a numbers-only file, where a 5 means five points (a 7 is simply unreadable).
    """
    used_text_mid = used_text = False
    num_max = 0
    for kind, v in kinds:
        if kind == "text":
            used_text = True
            used_text_mid = used_text_mid or v == 3
        elif kind == "num":
            num_max = max(num_max, v)
    if used_text_mid:
        return 5
    if used_text:
        return 4
    return 5 if num_max == 5 else 4


def on_scale(kind: str, v: int, scale_points: int) -> int:
    """A coded answer as a point 1..scale_points, or _DK / _BLANK / _BAD."""
    if kind == "text":
        text_map = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5} if scale_points == 5 else {1: 1, 2: 2, 4: 3, 5: 4}
        return text_map.get(v, _BAD)  # a middle answer on a four-point file is not readable
    if kind == "num":
        return v if 1 <= v <= scale_points else _BAD
    return v


def code_value(raw: str, words: dict[str, int], dk: set[str]) -> tuple[str, int]:
    """("text", 1..5 on the five-point line) | ("num", n) | ("dk", -1) | ("blank", 0) | ("bad", -2)."""
    s = norm(raw)
    if not s:
        return "blank", _BLANK
    if s in dk:
        return "dk", _DK
    if s in words:
        return "text", words[s]
    # "4 - Agree", "Agree (4)": take the words when they are known, else the number.
    m = re.fullmatch(r"(\d+(?:[.,]0+)?)\s*[-:=.)]?\s*(.*)", s) or re.fullmatch(
        r"(.*?)\s*\((\d+)\)", s
    )
    if m:
        a, b = m.group(1), m.group(2)
        word = b if a[:1].isdigit() else a
        num = a if a[:1].isdigit() else b
        if word and norm(word) in words:
            return "text", words[norm(word)]
        if any(ch.isdigit() for ch in word):  # a date, a time, 3.5, "4/5": not one answer
            return "bad", _BAD
        try:
            return "num", int(float(num.replace(",", ".")))
        except ValueError:
            return "bad", _BAD
    return "bad", _BAD


@dataclass
class SurveyData:
    """Answers as numbers: ``values`` 1..points (NaN blank/don't know), ``dk`` flags, groups."""

    values: pd.DataFrame
    dk: pd.DataFrame
    groups: pd.DataFrame
    points: int
    labels: list[str]
    problems: list[Problem]
    rows_read: int
    empty_rows: list[int]

    @property
    def responses(self) -> int:
        return len(self.values)

    @property
    def items(self) -> list[str]:
        return list(self.values.columns)

    def scores(self) -> pd.DataFrame:
        return (self.values - 1) / (self.points - 1) * 100.0


def prepare(
    upload: Upload,
    mapping: Mapping[str, str],
    likert: Likert,
    versions: list[ParentVersion],
    *,
    scale_points: int | None = None,
) -> SurveyData:
    """Apply the column mapping and read every answer; report what could not be read.

    ``scale_points`` (4 or 5) says how to read numeric answers; by default it follows the words
    used (a middle answer means five points) or the largest number in the file.
    """
    import numpy as np
    import pandas as pd

    frame = upload.frame
    item_cols = {
        c: (m[len(ITEM) :] if m.startswith(ITEM) else OWN + c)
        for c, m in mapping.items()
        if (m.startswith(ITEM) or m == QUESTION) and c in frame
    }
    group_cols = [c for c, m in mapping.items() if m == GROUP and c in frame]
    if not item_cols:
        raise DatasetError(
            upload.name,
            [
                Problem(
                    "column mapping",
                    "no column is read as a survey question",
                    "choose “a question” or an audit item for each answer column in the mapping "
                    "step",
                )
            ],
        )
    dup = {i for i in item_cols.values() if list(item_cols.values()).count(i) > 1}
    if dup:
        raise DatasetError(
            upload.name,
            [
                Problem(
                    "column mapping",
                    f"more than one column is matched to the same question ({', '.join(sorted(dup))})",
                    "match each question to one column only",
                )
            ],
        )
    words, dkw = vocabulary(likert, versions)
    # Each column is factorised once (row -> index of its distinct value, in C), so every word is
    # read once per column however many rows carry it.
    kinds: dict[str, list[tuple[str, int]]] = {}
    factors: dict[str, Any] = {}
    for col in item_cols:
        idx, uniques = pd.factorize(frame[col], use_na_sentinel=False)
        factors[col] = idx
        kinds[col] = [code_value(u, words, dkw) for u in uniques]
    if scale_points is None:
        scale_points = decide_scale(k for ks in kinds.values() for k in ks)
    if scale_points not in (4, 5):
        raise DatasetError(
            upload.name, [Problem("scale", "only 4- or 5-point scales are read", "choose 4 or 5")]
        )

    values: dict[str, Any] = {}
    dkf: dict[str, Any] = {}
    bad_cells: list[tuple[int, str, str]] = []
    for col, item in item_cols.items():
        lookup = [on_scale(kind, v, scale_points) for kind, v in kinds[col]]
        codes = np.asarray(lookup, dtype=np.int16)[factors[col]]
        bad = np.flatnonzero(codes == _BAD)
        if len(bad):
            raw = frame[col].to_numpy()
            bad_cells.extend((int(r) + 2, col, str(raw[r])) for r in bad)
        values[item] = np.where(codes > 0, codes, np.nan).astype("float32")
        dkf[item] = codes == _DK
    vals = pd.DataFrame(values)
    dks = pd.DataFrame(dkf)
    answered = vals.notna().any(axis=1).to_numpy() | dks.any(axis=1).to_numpy()
    all_blank = ~answered
    # A row whose only content was unreadable is still reported via its cells, not as empty.
    bad_rows = {r for r, _, _ in bad_cells}
    empty_rows = [int(k) + 2 for k in np.flatnonzero(all_blank) if int(k) + 2 not in bad_rows]
    problems = list(upload.problems)
    bad_cells.sort()
    for r, col, raw in bad_cells:
        problems.append(
            Problem(
                f"row {r}, column {col}",
                f"“{raw.strip()[:40]}” is not an answer on the scale, so this answer is left out",
                "use the scale's words or a number from 1 to " + str(scale_points),
            )
        )
    keep = answered
    groups = pd.DataFrame(index=range(len(frame)))
    for g in group_cols:
        groups[g] = _clean_groups(frame[g])
    return SurveyData(
        values=vals[keep].reset_index(drop=True),
        dk=dks[keep].reset_index(drop=True),
        groups=groups[keep].reset_index(drop=True),
        points=scale_points,
        labels=LABELS_5 if scale_points == 5 else LABELS_4,
        problems=problems,
        rows_read=len(frame),
        empty_rows=empty_rows,
    )


def _clean_groups(col: pd.Series) -> pd.Series:
    """'french', ' French ' and 'FRENCH' are one group, shown with its most common spelling."""
    import pandas as pd

    # Work on the few distinct values, not on every row: a district file has 100k rows.
    stripped = col.map({u: " ".join(str(u).split()) for u in col.unique()})
    key = stripped.map({u: norm(u) for u in stripped.unique()})
    best: dict[str, tuple[bool, int, str]] = {}
    counts = pd.DataFrame({"k": key, "s": stripped}).value_counts()
    for (k, s), n in counts.items():
        rank = (not s.isupper() and not s.islower(), int(n), s)
        if k not in best or rank > best[k]:
            best[k] = rank
    spell = {k: r[-1] for k, r in best.items()}
    spell[""] = NOT_GIVEN
    return key.map(spell).astype("category")


# -- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    item_id: str
    n: int
    dont_know: int
    counts: list[int]  # lowest .. highest scale point
    mean: float | None  # 0..100


def distributions(data: SurveyData) -> dict[str, ItemResult]:
    """Per item: counts per scale point, don't-know count, number rated and mean score."""
    import numpy as np

    out = {}
    scores = data.scores()
    for item in data.items:
        v = data.values[item].to_numpy()
        ok = ~np.isnan(v)
        counts = np.bincount(v[ok].astype(np.int64), minlength=data.points + 1)[1:]
        n = int(ok.sum())
        out[item] = ItemResult(
            item,
            n,
            int(data.dk[item].sum()),
            [int(c) for c in counts[: data.points]],
            float(scores[item].mean()) if n else None,
        )
    return out


def response_rate(responses: int, families: int | None) -> float | None:
    """Responses as a share of families (None when the number of families is not given)."""
    if not families or families <= 0:
        return None
    return responses / families


@dataclass(frozen=True)
class Breakdown:
    """Item means by group, with every cell that must not be shown already removed."""

    group_column: str
    groups: dict[str, GroupDecision]
    means: dict[tuple[str, str], float | None]  # (group, item) -> mean, None = hidden or no answers
    hidden: dict[tuple[str, str], str | None]
    overall: dict[str, float | None]
    min_n: int
    combined: str = ""  # the name of the combined group ("" = nothing combined)
    members: tuple[str, ...] = ()  # the groups inside it

    @property
    def shown_groups(self) -> list[str]:
        return [g for g, d in self.groups.items() if d.shown]


OTHER_LANGUAGES = "Other languages"
OTHER_GROUPS = "Other groups"


def combined_name(group_column: str) -> str:
    """What to call the combination by default: "Other languages" for a language column."""
    words = ("language", "langue", "idioma", "lengua", "لغة", "اللغة")
    return OTHER_LANGUAGES if any(w in norm(group_column) for w in words) else OTHER_GROUPS


def _group_counts(
    data: SurveyData, group_column: str
) -> tuple[dict[str, int], dict[str, dict[str, int]], Any, Any]:
    import pandas as pd

    scores = data.scores()
    g = data.groups[group_column]
    grouped = scores.groupby(g, observed=True, sort=True)
    sums, counts = grouped.sum(), grouped.count()
    sizes_s = g.value_counts(sort=False)
    sizes = {str(k): int(v) for k, v in sizes_s.items() if v > 0}
    order = sorted(sizes, key=lambda k: (k == NOT_GIVEN, -sizes[k], k))
    sizes = {k: sizes[k] for k in order}
    cell_counts = {str(k): {i: int(counts.loc[k, i]) for i in data.items} for k in counts.index}
    sums = pd.DataFrame(sums)
    return sizes, cell_counts, sums, counts


def breakdown(
    data: SurveyData,
    group_column: str,
    min_n: int = SURVEY_MIN_CELL,
    *,
    combine: Sequence[str] = (),
    combined: str = "",
) -> Breakdown:
    """Mean score per item in each group (home language, grade...), small groups suppressed.

    ``combine`` names groups to report as one (``combined``, "Other languages" by default for a
    language column), so that families of small language groups are heard together. The
    combination is suppressed again as a group of its own, and cells the plain breakdown hides
    stay hidden, so no hidden group can be worked out by comparing the two tables
    (:func:`~widgets.audit.suppression.suppress_combined`).
    """
    if group_column not in data.groups:
        raise KeyError(group_column)
    scores = data.scores()
    sizes, cell_counts, sums, _ = _group_counts(data, group_column)
    decisions, hidden = suppress_breakdown(sizes, cell_counts, min_n)
    overall = {
        i: (float(scores[i].mean()) if scores[i].notna().any() else None) for i in data.items
    }
    plain_overall = {i: (None if hidden.get((TOTAL, i)) else m) for i, m in overall.items()}
    members = tuple(g for g in sizes if g in set(combine))
    name = (combined or combined_name(group_column)).strip()[:60] or OTHER_GROUPS
    if name in sizes and name not in members:
        name = f"{name} (combined)"

    def _mean(groups: Sequence[str], item: str) -> float | None:
        n = sum(cell_counts.get(x, {}).get(item, 0) for x in groups)
        if not n:
            return None
        return float(sum(float(sums.loc[x, item]) for x in groups if x in sums.index) / n)

    if not members:
        out = {
            (grp, i): (None if hidden.get((grp, i)) else _mean([grp], i))
            for grp in sizes
            for i in data.items
        }
        return Breakdown(group_column, decisions, out, hidden, plain_overall, min_n)
    plain = {x: {SIZE: sizes[x], **cell_counts.get(x, {})} for x in sizes}
    plain_hidden: dict[tuple[str, str], str | None] = dict(hidden)
    plain_hidden.update({(x, SIZE): d.reason for x, d in decisions.items()})
    decisions2, hidden2 = suppress_combined(plain, plain_hidden, members, name, min_n)
    order = [x for x in sizes if x not in members and x != NOT_GIVEN] + [name]
    order += [NOT_GIVEN] if NOT_GIVEN in sizes and NOT_GIVEN not in members else []
    decisions2 = {x: decisions2[x] for x in order}
    out = {}
    for grp in order:
        inside = list(members) if grp == name else [grp]
        for i in data.items:
            out[(grp, i)] = None if hidden2.get((grp, i)) else _mean(inside, i)
    overall2 = {
        i: (None if hidden2.get((TOTAL, i)) or hidden.get((TOTAL, i)) else m)
        for i, m in overall.items()
    }
    return Breakdown(group_column, decisions2, out, hidden2, overall2, min_n, name, members)


def weak_items(
    results: Mapping[str, ItemResult], k: int = 5, min_n: int = SURVEY_MIN_CELL
) -> list[tuple[str, float]]:
    """The k items families rated lowest (only items enough families answered)."""
    rated = [(r.item_id, r.mean) for r in results.values() if r.mean is not None and r.n >= min_n]
    return sorted(rated, key=lambda x: (x[1], x[0]))[:k]


def problems_text(problems: list[Problem], limit: int = 30) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more")
    return "\n".join(lines)

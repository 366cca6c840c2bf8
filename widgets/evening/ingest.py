"""Read a school's CSV or Excel export, match its columns to the planner's fields, check every row.

School systems name columns their own way ("Parent language", "Home Lang", "Langue", SIMS's
"Legal Surname"), save CSV as UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or
Windows-1252, separate with commas, semicolons or tabs, put a title above the header and a notes
sheet before the data. This module copes with all of that: every upload is opened through
:mod:`widgets.uploads` (size, gzip and workbook-bomb limits), the header row and the sheet are
found by how well they match ``datasets/evening/column_aliases.yaml`` (and the user can choose
another), a column is proposed for each field, and rows are validated one by one so a bad row is
named (row, column, what is wrong) without losing the good ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, Field, ValidationError

from widgets.datasets import DatasetError, Problem, _fix_for, load_yaml
from widgets.evening.data import (
    Conflict,
    FamilyRow,
    InterpreterRow,
    TeacherRow,
    find_conflicts,
    norm_key,
)
from widgets.schema_base import StrictModel
from widgets.uploads import UploadedFile, open_upload

MAX_ROWS = 50_000
HEADER_SCAN = 30  # rows looked at when finding the header row
KINDS = ("families", "teachers", "interpreters")
ROW_MODELS: dict[str, type[BaseModel]] = {
    "families": FamilyRow,
    "teachers": TeacherRow,
    "interpreters": InterpreterRow,
}


def file_error(name: str, what: str, fix: str) -> DatasetError:
    """A whole-file problem in the kit's usual words (shown by ``ui.plain_error``)."""
    return DatasetError(name, [Problem("the whole file", what, fix)])


class FieldSpec(StrictModel):
    name: str = Field(min_length=1)
    label: str = Field(min_length=1)
    required: bool = False
    required_unless: list[str] = []
    aliases: list[str] = []


class FileSpec(StrictModel):
    label: str
    fields: list[FieldSpec] = Field(min_length=1)


class AliasFile(StrictModel):
    files: dict[str, FileSpec]


@lru_cache(maxsize=1)
def _specs_cached() -> AliasFile:
    return load_yaml("evening/column_aliases.yaml", AliasFile)


def field_specs(kind: str) -> list[FieldSpec]:
    return _specs_cached().files[kind].fields


@lru_cache(maxsize=8)
def _alias_keys(kind: str) -> dict[str, str]:
    """norm_key of every name a column may have -> the field it means (first field wins)."""
    out: dict[str, str] = {}
    for s in field_specs(kind):
        for x in [s.name, s.label, *s.aliases]:
            out.setdefault(norm_key(x), s.name)
    return out


@dataclass
class Table:
    """A sheet as text: its header and its rows (``lines`` holds each row's line number).

    ``sheet``/``sheets`` name the workbook sheet read and all of them; ``header_line`` is the line
    the header was found on; ``sure`` is False when the header or the sheet was a guess the user
    should check (the page then offers to choose).
    """

    name: str
    columns: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    header_line: int = 1
    sure: bool = True
    skipped: int = 0  # non-empty rows above the header (a title, notes)


def _cell(v: object) -> str:
    """A cell's text, with Excel's times and dates written so :func:`parse_time` reads them."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        if v.year < 1901:  # Excel stores a time-only cell as a date in 1899/1900
            return f"{v.hour:02d}:{v.minute:02d}"
        return v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, dt.time):
        return f"{v.hour:02d}:{v.minute:02d}"
    if isinstance(v, dt.timedelta):  # a duration-formatted cell ([h]:mm)
        minutes = round(v.total_seconds() / 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


Grid = list[tuple[int, list[str]]]  # (line number, cells) for each non-empty row


def _xlsx_grids(data: bytes, name: str) -> dict[str, Grid]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise file_error(
            name, "it cannot be opened as an Excel workbook", "save it again as .xlsx, or as CSV"
        ) from None
    grids: dict[str, Grid] = {}
    try:
        for ws in wb.worksheets:
            grid: Grid = []
            for n, raw in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in raw]
                while cells and not cells[-1]:
                    cells.pop()
                if not any(cells):
                    continue
                grid.append((n, cells))
                if len(grid) > MAX_ROWS + HEADER_SCAN:
                    raise file_error(name, f"it has more than {MAX_ROWS} rows", "split it up")
            grids[ws.title] = grid
    finally:
        wb.close()
    if not any(grids.values()):
        raise file_error(name, "no sheet has rows with data", "choose the workbook with the data")
    return grids


def _delimiter(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number of cells (a title line
    above the header has none, so the first line alone would mislead)."""
    best, best_score = ",", -1
    for d in [",", ";", "\t", "|"]:
        counts = [ln.count(d) for ln in lines if ln.strip()]
        if not counts or max(counts) == 0:
            continue
        top = max(counts)
        score = top * sum(1 for c in counts if c == top) + sum(1 for c in counts if c > 0)
        if score > best_score:
            best, best_score = d, score
    return best


def _csv_grid(text: str, name: str) -> Grid:
    lines = text.splitlines()
    delim = _delimiter(lines[:HEADER_SCAN])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    grid: Grid = []
    line = 1
    for cells in reader:
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            grid.append((line, cells))
            if len(grid) > MAX_ROWS + HEADER_SCAN:
                raise file_error(name, f"it has more than {MAX_ROWS} rows", "split it up")
        line = reader.line_num + 1
    if not grid:
        raise file_error(name, "it is empty", "choose a file with a header row and data")
    return grid


def header_score(cells: list[str], kind: str | None) -> int:
    """How many different fields of ``kind`` (any kind if None) the cells name exactly."""
    kinds = [kind] if kind else list(KINDS)
    best = 0
    for k in kinds:
        keys = _alias_keys(k)
        best = max(best, len({keys[norm_key(c)] for c in cells if norm_key(c) in keys}))
    return best


def find_header(grid: Grid, kind: str | None) -> tuple[int, int]:
    """(index in grid, score) of the likeliest header among the first rows: the one naming the
    most fields; with no match at all, the first row as wide as the widest."""
    scan = grid[:HEADER_SCAN]
    best_i, best_score = 0, -1
    for i, (_line, cells) in enumerate(scan):
        sc = header_score(cells, kind)
        if sc > best_score:
            best_i, best_score = i, sc
    if best_score <= 0 and scan:
        widest = max(sum(1 for c in cells if c) for _l, cells in scan)
        best_i = next(i for i, (_l, cells) in enumerate(scan) if sum(1 for c in cells if c) >= min(widest, 2))
        best_score = 0
    return best_i, best_score


def _table_from(grid: Grid, name: str, header_index: int) -> Table:
    header_index = max(0, min(header_index, len(grid) - 1))
    line, header = grid[header_index]
    body = grid[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise file_error(name, f"it has more than {MAX_ROWS} rows", "split it up")
    t = Table(name, header, [c for _l, c in body], [ln for ln, _c in body])
    t.header_line = line
    t.skipped = header_index
    return _tidy(t)


def read_table(
    data: bytes | UploadedFile,
    name: str | None = None,
    kind: str | None = None,
    sheet: str | None = None,
    header_line: int | None = None,
) -> Table:
    """A CSV (any common encoding and separator) or an .xlsx workbook, as text rows.

    Raw bytes are first checked by :func:`widgets.uploads.open_upload`. ``kind`` helps find the
    header row and the sheet; ``sheet`` and ``header_line`` (the row number the user sees in
    their spreadsheet) override the guess.
    """
    uf = data if isinstance(data, UploadedFile) else open_upload(bytes(data), name or "file")
    name = uf.name
    if uf.is_xlsx:
        grids = _xlsx_grids(uf.data, name)
    elif name.lower().endswith(".xls") or uf.data[:4] == b"\xd0\xcf\x11\xe0":
        raise file_error(
            name, "it is an old-style Excel file (.xls)", "open it and save it as .xlsx or CSV"
        )
    else:
        grids = {"": _csv_grid(uf.text(), name)}
    sheets = [s for s, g in grids.items() if g]
    if sheet is not None and sheet not in grids:
        raise file_error(name, f"it has no sheet called {sheet!r}", "choose one of its sheets")
    scored = {s: find_header(grids[s], kind) for s in sheets}
    chosen = sheet if sheet is not None else max(sheets, key=lambda s: (scored[s][1], -sheets.index(s)))
    grid = grids[chosen]
    if not grid:
        raise file_error(name, f"the sheet {chosen!r} is empty", "choose the sheet with the data")
    if header_line is not None:
        idx = next((i for i, (ln, _c) in enumerate(grid) if ln >= header_line), len(grid) - 1)
        sure = True
    else:
        idx, score = scored[chosen]
        rivals = [s for s in sheets if s != chosen and scored[s][1] >= score > 0]
        sure = sheet is not None or (score >= 2 and not rivals)
        if sheet is not None and score < 2:
            sure = False
    t = _table_from(grid, name, idx)
    t.sheet, t.sheets, t.sure = ("" if chosen == "" else chosen), [s for s in sheets if s], sure
    return t


def read_upload(uf: UploadedFile, kind: str | None = None, **kw: object) -> Table:
    """The table in an already-checked upload (see :func:`read_table`)."""
    return read_table(uf, kind=kind, **kw)  # type: ignore[arg-type]


def _tidy(t: Table) -> Table:
    cols, seen = [], {}
    for i, c in enumerate(t.columns):
        c = c.strip() or f"Column {i + 1}"
        if c in seen:
            seen[c] += 1
            c = f"{c} ({seen[c]})"
        else:
            seen[c] = 1
        cols.append(c)
    width = max([len(cols), *(len(r) for r in t.rows)]) if t.rows else len(cols)
    cols += [f"Column {i + 1}" for i in range(len(cols), width)]
    t.columns = cols
    return t


def guess_mapping(columns: list[str], kind: str) -> dict[str, str | None]:
    """A column for each field: exact alias matches first, then close spellings."""
    specs = field_specs(kind)
    keys = {c: norm_key(c) for c in columns}
    taken: set[str] = set()
    out: dict[str, str | None] = {s.name: None for s in specs}
    for s in specs:  # exact: the field name, its label, an alias
        names = {norm_key(x) for x in [s.name, s.label, *s.aliases]}
        for c in columns:
            if c not in taken and keys[c] in names:
                out[s.name] = c
                taken.add(c)
                break
    for s in specs:  # close: a typo or a small variation ("Parent lang.")
        if out[s.name] is not None:
            continue
        names = [norm_key(x) for x in [s.name, s.label, *s.aliases]]
        best, best_score = None, 0.0
        for c in columns:
            if c in taken or not keys[c]:
                continue
            score = max(difflib.SequenceMatcher(None, keys[c], n).ratio() for n in names)
            if score > best_score:
                best, best_score = c, score
        if best is not None and best_score >= 0.84:
            out[s.name] = best
            taken.add(best)
    return out


def missing_required(mapping: dict[str, str | None], kind: str) -> list[str]:
    return [
        s.label
        for s in field_specs(kind)
        if s.required
        and not mapping.get(s.name)
        and not any(mapping.get(alt) for alt in s.required_unless)
    ]


@dataclass
class MappedRows:
    rows: list
    problems: list[Problem]
    total: int
    notes: list[str] = field(default_factory=list)  # what was inferred, for an amber line


def apply_mapping(table: Table, mapping: dict[str, str | None], kind: str) -> MappedRows:
    """Validate each row under the chosen columns; a bad row is named and the rest are kept."""
    missing = missing_required(mapping, kind)
    if missing:
        where = f" (sheet {table.sheet!r}, header on row {table.header_line})" if table.sheet else (
            f" (header on row {table.header_line})"
        )
        raise file_error(
            table.name,
            f"no column is chosen for {', '.join(missing)}{where}",
            "choose the column that holds it in the mapping step; if the columns listed there "
            "are not the file's headers, choose the sheet and the header row above them",
        )
    model = ROW_MODELS[kind]
    index = {c: i for i, c in enumerate(table.columns)}
    header_of = {f: col for f, col in mapping.items() if col and col in index}
    notes: list[str] = []
    compose_name = kind == "families" and not header_of.get("child_name")
    id_from_email = kind == "families" and not header_of.get("family_id")
    if compose_name:
        notes.append(
            "the child's name is made from "
            + " and ".join(repr(header_of[f]) for f in ("child_forename", "child_surname")
                           if header_of.get(f))
        )
    if id_from_email:
        notes.append(
            f"there is no family id column, so rows with the same {header_of['email']!r} are "
            "taken as one family"
        )
    rows, problems = [], []
    for n, cells in enumerate(table.rows):
        line = table.lines[n] if n < len(table.lines) else n + 2
        rec: dict[str, object] = {
            f: (cells[index[col]] if index[col] < len(cells) else "")
            for f, col in header_of.items()
        }
        if compose_name:
            rec["child_name"] = " ".join(
                str(rec.get(f) or "").strip() for f in ("child_forename", "child_surname")
            ).strip()
        if id_from_email:
            rec["family_id"] = str(rec.get("email") or "").strip().lower()
        rec["line"] = line
        try:
            rows.append(model.model_validate(rec))
        except ValidationError as e:
            for err in e.errors():
                loc = err.get("loc", ())
                fname = str(loc[0]) if loc else ""
                col = header_of.get(fname)
                if fname == "child_name" and compose_name:
                    col = " + ".join(header_of[f] for f in ("child_forename", "child_surname")
                                     if header_of.get(f))
                if fname == "family_id" and id_from_email:
                    col = header_of.get("email")
                where = f"Row {line}" + (f", column '{col}'" if col else "")
                msg = err.get("msg", "invalid value").removeprefix("Value error, ")
                if err.get("type") == "string_too_short":
                    msg = "is empty"
                problems.append(Problem(where, msg, _fix_for(err)))
    return MappedRows(rows, problems, len(table.rows), notes)


def problem_lines(problems: list[Problem], limit: int = 50) -> list[str]:
    """Short sentences for the screen: 'Row 14, column 'From': must be a time like 17:30 ...'."""
    out = [f"{p.where}: {p.what}" for p in problems[:limit]]
    if len(problems) > limit:
        out.append(f"… and {len(problems) - limit} more")
    return out


class SampleSpec(StrictModel):
    label: str
    folder: str
    settings: dict


class SampleFile(StrictModel):
    samples: dict[str, SampleSpec]


def sample_spec(name: str) -> SampleSpec:
    return load_yaml("evening/samples.yaml", SampleFile).samples[name]


def sample_files(name: str) -> dict[str, tuple[str, bytes]]:
    """The sample school's three files as (file name, bytes), as if they had been uploaded."""
    from widgets.datasets import dataset_path

    spec = sample_spec(name)
    out = {}
    for kind in KINDS:
        path = dataset_path(f"{spec.folder}/{kind}.csv")
        out[kind] = (path.name, path.read_bytes())
    return out


@dataclass
class Loaded:
    """Everything the uploads gave: an instance, and every problem found on the way."""

    instance: object  # widgets.evening.data.Instance
    problems: dict[str, list[Problem]]
    counts: dict[str, tuple[int, int]]  # kind -> (good rows, rows)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inferred on the way (a guess to check)
    choices: dict[str, str] = field(default_factory=dict)  # conflicts the user settled

    @property
    def unsettled(self) -> list[Conflict]:
        """Conflicts nobody has chosen for yet (kept as separate families meanwhile)."""
        return [c for c in self.conflicts if c.family_id not in self.choices]

    @property
    def left_out(self) -> int:
        """Rows and requests that did not make it into the instance."""
        return sum(len(v) for v in self.problems.values())


def load_all(
    settings: object,
    tables: dict[str, Table],
    mappings: dict[str, dict[str, str | None]] | None = None,
    choices: dict[str, str] | None = None,
) -> Loaded:
    """Map, validate and join the uploads (interpreters may be missing).

    ``choices`` settles family ids whose rows describe different households (see
    :func:`widgets.evening.data.find_conflicts`); the conflicts are returned either way so the
    page can show them.
    """
    from widgets.evening.data import build_instance

    mappings = mappings or {}
    rows: dict[str, list] = {}
    problems: dict[str, list[Problem]] = {}
    counts: dict[str, tuple[int, int]] = {}
    notes: list[str] = []
    for kind in KINDS:
        table = tables.get(kind)
        if table is None:
            if kind == "interpreters":
                rows[kind], problems[kind], counts[kind] = [], [], (0, 0)
                continue
            raise file_error(
                f"the {kind} file", "it has not been uploaded yet", f"upload the {kind} file"
            )
        mapping = mappings.get(kind) or guess_mapping(table.columns, kind)
        res = apply_mapping(table, mapping, kind)
        rows[kind], problems[kind] = res.rows, res.problems
        counts[kind] = (len(res.rows), res.total)
        notes += [f"{kind} file: {n}" for n in res.notes]
        if table.skipped:
            where = f"sheet {table.sheet!r}, " if table.sheet else ""
            notes.append(
                f"{kind} file: the header is on {where}row {table.header_line}; "
                f"{table.skipped} row(s) above it were not read"
            )
    conflicts = find_conflicts(rows["families"])
    inst, join_problems = build_instance(
        settings, rows["families"], rows["teachers"], rows["interpreters"], choices
    )
    problems["joined"] = join_problems
    notes += inst.notes
    return Loaded(inst, problems, counts, conflicts, notes, dict(choices or {}))


def load_sample(name: str) -> Loaded:
    from widgets.evening.data import Settings

    settings = Settings.model_validate(sample_spec(name).settings)
    tables = {
        k: read_table(data, fname, kind=k) for k, (fname, data) in sample_files(name).items()
    }
    return load_all(settings, tables)

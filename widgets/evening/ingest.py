"""Read a school's CSV or Excel export, match its columns to the planner's fields, check every row.

School systems name columns their own way ("Parent language", "Home Lang", "Langue"), save CSV
as UTF-8, UTF-8 with a BOM or Windows-1252, and use commas or semicolons. This module copes with
all of that, proposes a column for each field from ``datasets/evening/column_aliases.yaml``, and
validates rows one by one so a bad row is named (row, column, what is wrong) without losing the
good ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from widgets.datasets import DatasetError, Problem, _fix_for, decode_bytes, load_yaml
from widgets.evening.data import FamilyRow, InterpreterRow, TeacherRow, norm_key

MAX_ROWS = 50_000
KINDS = ("families", "teachers", "interpreters")
ROW_MODELS: dict[str, type[BaseModel]] = {
    "families": FamilyRow,
    "teachers": TeacherRow,
    "interpreters": InterpreterRow,
}


def file_error(name: str, what: str, fix: str) -> DatasetError:
    """A whole-file problem in the kit's usual words (shown by ``ui.plain_error``)."""
    return DatasetError(name, [Problem("the whole file", what, fix)])


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    label: str = Field(min_length=1)
    required: bool = False
    aliases: list[str] = []


class FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    fields: list[FieldSpec] = Field(min_length=1)


class AliasFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: dict[str, FileSpec]


@lru_cache(maxsize=1)
def _specs_cached() -> AliasFile:
    return load_yaml("evening/column_aliases.yaml", AliasFile)


def field_specs(kind: str) -> list[FieldSpec]:
    return _specs_cached().files[kind].fields


@dataclass
class Table:
    """A sheet as text: its header and its rows (``lines`` holds each row's line number)."""

    name: str
    columns: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        if v.year < 1901:  # Excel stores a time-only cell as a date in 1899/1900
            return f"{v.hour:02d}:{v.minute:02d}"
        return v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, dt.time):
        return f"{v.hour:02d}:{v.minute:02d}"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _read_xlsx(data: bytes, name: str) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise file_error(
            name, "it cannot be opened as an Excel workbook", "save it again as .xlsx, or as CSV"
        ) from None
    try:
        for ws in wb.worksheets:
            header: list[str] | None = None
            rows: list[list[str]] = []
            lines: list[int] = []
            for n, raw in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in raw]
                if not any(cells):
                    continue
                if header is None:
                    header = cells
                    continue
                rows.append(cells)
                lines.append(n)
                if len(rows) > MAX_ROWS:
                    raise file_error(name, f"it has more than {MAX_ROWS} rows", "split it up")
            if header:
                return _tidy(Table(name, header, rows, lines))
    finally:
        wb.close()
    raise file_error(name, "no sheet has rows with data", "choose the workbook with the data")


def _read_csv(data: bytes, name: str) -> Table:
    text = decode_bytes(data, name)
    first = text.splitlines()[0] if text.splitlines() else ""
    delim = max([",", ";", "\t", "|"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows, lines = [], []
    for n, cells in enumerate(reader, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        rows.append(cells)
        lines.append(reader.line_num if reader.line_num else n)
        if len(rows) > MAX_ROWS:
            raise file_error(name, f"it has more than {MAX_ROWS} rows", "split it up")
    if header is None:
        raise file_error(name, "it is empty", "choose a file with a header row and data")
    return _tidy(Table(name, header, rows, lines))


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
    t.columns = cols
    return t


def read_table(data: bytes, name: str) -> Table:
    """A CSV (any common encoding and separator) or an .xlsx workbook, as text rows."""
    if not data:
        raise file_error(name, "it is empty", "choose a file with data")
    if data[:2] == b"PK" or name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, name)
    if name.lower().endswith(".xls"):
        raise file_error(
            name, "it is an old-style Excel file (.xls)", "open it and save it as .xlsx or CSV"
        )
    return _read_csv(data, name)


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
    return [s.label for s in field_specs(kind) if s.required and not mapping.get(s.name)]


@dataclass
class MappedRows:
    rows: list
    problems: list[Problem]
    total: int


def apply_mapping(table: Table, mapping: dict[str, str | None], kind: str) -> MappedRows:
    """Validate each row under the chosen columns; a bad row is named and the rest are kept."""
    missing = missing_required(mapping, kind)
    if missing:
        raise file_error(
            table.name,
            f"no column is chosen for {', '.join(missing)}",
            "choose the column that holds it in the mapping step",
        )
    model = ROW_MODELS[kind]
    index = {c: i for i, c in enumerate(table.columns)}
    header_of = {f: col for f, col in mapping.items() if col}
    rows, problems = [], []
    for n, cells in enumerate(table.rows):
        line = table.lines[n] if n < len(table.lines) else n + 2
        rec = {
            f: (cells[index[col]] if index[col] < len(cells) else "")
            for f, col in header_of.items()
        }
        try:
            rows.append(model.model_validate(rec))
        except ValidationError as e:
            for err in e.errors():
                loc = err.get("loc", ())
                fname = str(loc[0]) if loc else ""
                col = header_of.get(fname)
                where = f"Row {line}" + (f", column '{col}'" if col else "")
                msg = err.get("msg", "invalid value").removeprefix("Value error, ")
                if err.get("type") == "string_too_short":
                    msg = "is empty"
                problems.append(Problem(where, msg, _fix_for(err)))
    return MappedRows(rows, problems, len(table.rows))


def problem_lines(problems: list[Problem], limit: int = 50) -> list[str]:
    """Short sentences for the screen: 'Row 14, column 'From': must be a time like 17:30 ...'."""
    out = [f"{p.where}: {p.what}" for p in problems[:limit]]
    if len(problems) > limit:
        out.append(f"… and {len(problems) - limit} more")
    return out


class SampleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    folder: str
    settings: dict


class SampleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


def load_all(
    settings: object,
    tables: dict[str, Table],
    mappings: dict[str, dict[str, str | None]] | None = None,
) -> Loaded:
    """Map, validate and join the uploads (interpreters may be missing)."""
    from widgets.evening.data import build_instance

    mappings = mappings or {}
    rows: dict[str, list] = {}
    problems: dict[str, list[Problem]] = {}
    counts: dict[str, tuple[int, int]] = {}
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
        good_lines = len(res.rows)
        counts[kind] = (good_lines, res.total)
    inst, join_problems = build_instance(
        settings, rows["families"], rows["teachers"], rows["interpreters"]
    )
    problems["joined"] = join_problems
    return Loaded(inst, problems, counts)


def load_sample(name: str) -> Loaded:
    from widgets.evening.data import Settings

    settings = Settings.model_validate(sample_spec(name).settings)
    tables = {k: read_table(data, fname) for k, (fname, data) in sample_files(name).items()}
    return load_all(settings, tables)

"""The one way the kit reads a file from ``datasets/``.

Facilitators edit these files by hand, so a mistake must come back as a sentence they can act on:
which file, which line and field, what is wrong and how to fix it. Every YAML or CSV file goes
through :func:`load_yaml` or :func:`load_csv`, which validate with a pydantic model and raise
:class:`DatasetError` carrying that sentence. Which schema validates each file in ``datasets/`` is
listed in :mod:`widgets.dataset_registry`; a test checks every file there against it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"

T = TypeVar("T")


@dataclass
class Problem:
    """One thing wrong in a file, in words a facilitator can act on."""

    where: str  # "line 12, scenes → 2 → choices → 0 → feedback"
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}. Fix: {self.fix}"


@dataclass
class DatasetError(Exception):
    """A dataset file that cannot be used as it is."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"The file {self.file} needs fixing:"]
        lines += [f"  - {p}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more")
        return "\n".join(lines)

    @property
    def plain(self) -> str:
        return str(self)


def dataset_path(relative: str | Path) -> Path:
    p = Path(relative)
    return p if p.is_absolute() else DATASETS_DIR / p


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DATASETS_DIR.parent))
    except ValueError:
        return str(path)


_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove this field or check its spelling",
    "string_type": "write text here",
    "int_type": "write a whole number here",
    "int_parsing": "write a whole number here",
    "float_parsing": "write a number here",
    "float_type": "write a number here",
    "bool_parsing": "write true or false",
    "list_type": "write a list here (lines starting with '- ')",
    "dict_type": "write named fields here (name: value)",
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "string_too_short": "this must not be empty",
    "too_short": "add at least the number of entries required",
    "value_error": "correct the value as described",
    "date_from_datetime_parsing": "write a date like 2026-09-15",
    "date_parsing": "write a date like 2026-09-15",
}


def _fix_for(err: dict) -> str:
    return _FIXES.get(err.get("type", ""), "correct the value as described")


def _path_str(loc: tuple) -> str:
    return " → ".join(str(x) for x in loc) if loc else "the whole file"


def _node_line(node: Any, loc: tuple) -> int | None:
    """Walk a composed YAML node along a pydantic location to find the 1-based line."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_yaml_text(text: str, name: str) -> tuple[Any, Any]:
    """Parse YAML text, returning (data, node tree); broken YAML becomes a DatasetError."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise DatasetError(
            name,
            [
                Problem(
                    where,
                    f"the YAML cannot be read ({what})",
                    "check the indentation (spaces, not tabs), that every 'name: value' has a "
                    "space after the colon, and that text containing ': ' or '#' is in quotes",
                )
            ],
        ) from None
    return data, node


def validate(data: Any, model: type[T] | Any, name: str, node: Any = None) -> T:
    """Validate parsed data with a pydantic model or type; errors name line, field and fix."""
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    try:
        return adapter.validate_python(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(err.get("loc", ()))
            line = _node_line(node, loc) if node is not None else None
            where = (f"line {line}, " if line else "") + _path_str(loc)
            msg = err.get("msg", "invalid value")
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            problems.append(Problem(where, msg, _fix_for(err)))
        raise DatasetError(name, problems) from None


def load_yaml_text(text: str, model: type[T] | Any, name: str = "uploaded file") -> T:
    data, node = parse_yaml_text(text, name)
    if data is None:
        raise DatasetError(name, [Problem("the whole file", "it is empty", "add the content")])
    return validate(data, model, name, node)


@lru_cache(maxsize=256)
def _load_yaml_cached(path: Path, mtime: float, model: Any) -> Any:
    name = _display_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DatasetError(
            name, [Problem("the whole file", "it does not exist", "check the file name")]
        ) from None
    except UnicodeDecodeError:
        raise DatasetError(
            name,
            [Problem("the whole file", "it is not saved as UTF-8 text", "save it as UTF-8")],
        ) from None
    return load_yaml_text(text, model, name)


def load_yaml(relative: str | Path, model: type[T] | Any) -> T:
    """Load and validate a YAML file under datasets/ (cached until the file changes)."""
    path = dataset_path(relative)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        mtime = -1.0
    return _load_yaml_cached(path, mtime, model)


@dataclass
class CsvResult:
    """Rows that passed validation, and a Problem for every row that did not."""

    rows: list
    problems: list[Problem]


def validate_rows(
    records: list[dict], model: type[BaseModel], name: str, first_line: int = 2
) -> CsvResult:
    """Validate dict rows one by one so one bad row never loses the good ones."""
    rows, problems = [], []
    for i, rec in enumerate(records):
        try:
            rows.append(model.model_validate(rec))
        except ValidationError as e:
            for err in e.errors():
                col = ".".join(str(x) for x in err.get("loc", ())) or "row"
                msg = err.get("msg", "invalid value").removeprefix("Value error, ")
                problems.append(Problem(f"row {i + first_line}, column {col}", msg, _fix_for(err)))
    return CsvResult(rows, problems)


def load_csv(relative: str | Path, model: type[BaseModel]) -> CsvResult:
    """Load a CSV under datasets/ into validated rows (line numbers count the header as 1)."""
    path = dataset_path(relative)
    name = _display_name(path)
    text = decode_bytes(path.read_bytes(), name)
    reader = csv.DictReader(io.StringIO(text))
    records = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    return validate_rows(records, model, name)


def _utf16_codec(data: bytes) -> str | None:
    """UTF-16 as Excel's "Unicode text" writes it: with a BOM, or many zero bytes in one column."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str = "file") -> str:
    """Decode text from a school export: UTF-16 (Excel's "Unicode text"), UTF-8 with or without
    BOM, else Windows-1252 and then a guess."""
    if not data.strip():
        raise DatasetError(
            name, [Problem("the whole file", "it is empty", "choose a file with data")]
        )
    utf16 = _utf16_codec(data)
    if utf16:
        try:
            return data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Spreadsheet exports from Windows in English/French/Spanish schools are Windows-1252; a guess
    # on a short file picks a neighbour code page too often, so try it first and guess only after.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("latin-1")

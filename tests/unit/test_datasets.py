"""The one dataset loader: errors name the file, the line and field, and the fix."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field

from widgets import datasets
from widgets.datasets import DatasetError, decode_bytes, load_yaml, load_yaml_text, validate_rows


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    count: int


class Things(BaseModel):
    model_config = ConfigDict(extra="forbid")
    things: list[Thing]


def test_valid_yaml_loads():
    t = load_yaml_text("things:\n  - name: a\n    count: 2\n", Things)
    assert t.things[0].count == 2


def test_validation_error_names_line_field_and_fix():
    text = "things:\n  - name: a\n    count: 2\n  - name: b\n    count: lots\n"
    with pytest.raises(DatasetError) as e:
        load_yaml_text(text, Things, "datasets/x.yaml")
    msg = str(e.value)
    assert "datasets/x.yaml" in msg
    assert "line 5" in msg and "things → 1 → count" in msg
    assert "whole number" in msg


def test_missing_and_extra_fields_get_fixes():
    with pytest.raises(DatasetError) as e:
        load_yaml_text("things:\n  - nme: a\n    count: 1\n", Things, "f.yaml")
    msg = str(e.value)
    assert "name" in msg and "add this field" in msg
    assert "nme" in msg and "spelling" in msg


def test_broken_yaml_gets_line_and_advice():
    with pytest.raises(DatasetError) as e:
        load_yaml_text("things:\n  - name: a\n   count: [1\n", Things, "bad.yaml")
    msg = str(e.value)
    assert "bad.yaml" in msg and "line" in msg and "indentation" in msg


def test_empty_yaml():
    with pytest.raises(DatasetError, match="empty"):
        load_yaml_text("", Things, "e.yaml")


def test_load_yaml_from_datasets_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DATASETS_DIR", tmp_path)
    (tmp_path / "t.yaml").write_text("things: []\n", encoding="utf-8")
    assert load_yaml("t.yaml", Things).things == []
    with pytest.raises(DatasetError, match="does not exist"):
        load_yaml("missing.yaml", Things)


def test_rows_keep_good_ones_and_name_bad_rows():
    res = validate_rows(
        [{"name": "a", "count": "1"}, {"name": "", "count": "x"}, {"name": "c", "count": "3"}],
        Thing,
        "f.csv",
    )
    assert [r.name for r in res.rows] == ["a", "c"]
    wheres = [p.where for p in res.problems]
    assert all(w.startswith("row 3") for w in wheres) and len(wheres) == 2


@pytest.mark.parametrize(
    "raw",
    [
        "Élève,Année\nRenée,5\n".encode(),
        "\ufeffÉlève,Année\nRenée,5\n".encode(),
        "Élève,Année\nRenée,5\n".encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252"],
)
def test_decode_school_exports(raw):
    assert decode_bytes(raw) == "Élève,Année\nRenée,5\n"


def test_decode_empty_file():
    with pytest.raises(DatasetError, match="empty"):
        decode_bytes(b"  \n", "upload.csv")


# Every shipped file is validated by its schema in tests/unit/test_dataset_registry.py.

"""The upload rules: size before reading, one gzip layer streamed with a cap, workbook bombs, UTF-16."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile

import pytest

from widgets import limits
from widgets.datasets import DatasetError, decode_bytes
from widgets.uploads import from_file_upload, gunzip_bounded, open_upload


def _problem(err: DatasetError) -> str:
    return str(err)


def test_announced_size_over_limit_is_refused_before_reading():
    with pytest.raises(DatasetError) as e:
        open_upload(b"a,b\n1,2\n", "x.csv", size=limits.MAX_UPLOAD_BYTES + 1)
    assert "25 MB" in _problem(e.value)


def test_plain_csv_passes_through():
    up = open_upload(b"a,b\n1,2\n", "x.csv")
    assert up.name == "x.csv" and up.text() == "a,b\n1,2\n"


def test_one_gzip_layer_is_unpacked_and_renamed():
    up = open_upload(gzip.compress(b"a,b\n1,2\n"), "survey.csv.gz")
    assert up.name == "survey.csv" and up.data == b"a,b\n1,2\n"


def test_gzip_bomb_stops_at_cap_without_expanding(monkeypatch):
    bomb = gzip.compress(b"0" * (64 * limits.MIB), compresslevel=9)  # ~64 KB on the wire
    tracemalloc.start()
    with pytest.raises(DatasetError) as e:
        gunzip_bounded(bomb, "bomb.csv.gz", limit=4 * limits.MIB)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "unpacks to more than 4 MB" in _problem(e.value)
    assert peak < 16 * limits.MIB


def test_nested_gzip_is_refused():
    nested = gzip.compress(gzip.compress(b"a,b\n1,2\n"))
    with pytest.raises(DatasetError) as e:
        open_upload(nested, "x.csv.gz")
    assert "inside a compressed file" in _problem(e.value)


def test_truncated_and_garbage_gzip_get_plain_messages():
    good = gzip.compress(b"a,b\n" * 1000)
    with pytest.raises(DatasetError, match="cut short"):
        open_upload(good[: len(good) // 2], "x.csv.gz")
    with pytest.raises(DatasetError, match="not a readable"):
        open_upload(b"\x1f\x8bnot really gzip at all", "x.csv.gz")


def test_empty_upload_is_refused():
    with pytest.raises(DatasetError, match="empty"):
        open_upload(b"  \n", "x.csv")
    with pytest.raises(DatasetError, match="empty once unpacked"):
        open_upload(gzip.compress(b"\n\n"), "x.csv.gz")


def test_workbook_bomb_is_refused_from_its_directory():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<c>" * (60 * limits.MIB))
    with pytest.raises(DatasetError, match="workbook unpacks"):
        open_upload(buf.getvalue(), "roster.xlsx")


def test_not_a_workbook_is_refused():
    with pytest.raises(DatasetError, match="could not be opened as an Excel workbook"):
        open_upload(b"PK\x03\x04 broken", "roster.xlsx")


def test_file_upload_value_shape():
    value = ({"name": "f.csv", "size": 8, "content": memoryview(b"a,b\n1,2\n")},)
    up = from_file_upload(value)
    assert up is not None and up.data == b"a,b\n1,2\n"
    assert from_file_upload(()) is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252"])
def test_school_export_encodings_decode(encoding):
    text = "Nom\tPrénom\tLangue\nGarcía\tJosé\tespañol\n"
    assert decode_bytes(text.encode(encoding), "x.txt") == text

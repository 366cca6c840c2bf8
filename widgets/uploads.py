"""The one way the kit opens a file a user uploads, with every size rule checked first.

An upload is untrusted: a 4 MB gzip can hold a gigabyte, a nested gzip more, and an .xlsx is a zip
that can do the same. So the size is checked before anything is read, exactly one gzip layer is
unpacked, streamed, and stopped at a byte cap, and a workbook's parts are measured from its zip
directory before openpyxl sees it. Each refusal is a :class:`~widgets.datasets.DatasetError` whose
sentence names the limit.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from widgets.datasets import DatasetError, Problem, decode_bytes
from widgets.limits import (
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    size_words,
)

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class UploadedFile:
    """An upload after the size rules: its bytes (one gzip layer removed) and its name."""

    name: str
    data: bytes

    @property
    def is_xlsx(self) -> bool:
        return self.name.lower().endswith((".xlsx", ".xlsm")) or self.data[:4] == ZIP_MAGIC

    def text(self) -> str:
        return decode_bytes(self.data, self.name)


def _refuse(name: str, what: str, fix: str) -> DatasetError:
    return DatasetError(name, [Problem("the whole file", what, fix)])


def check_size(size: int, name: str, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file by its announced size, before its content is touched."""
    if size > limit:
        raise _refuse(
            name,
            f"it is {size_words(size)}, more than the {size_words(limit)} this page accepts",
            "upload a smaller file (for example one school or one year at a time)",
        )


def gunzip_bounded(data: bytes, name: str, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """Unpack one gzip layer, streamed, stopping as soon as the output passes ``limit``."""
    d = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            chunk = view[start : start + _CHUNK]
            while chunk:
                out += d.decompress(chunk, limit + 1 - len(out))
                if len(out) > limit:
                    raise _refuse(
                        name,
                        f"it unpacks to more than {size_words(limit)}",
                        "upload the CSV itself, or a smaller export",
                    )
                chunk = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error:
        raise _refuse(name, "it is not a readable .gz file", "upload the CSV itself") from None
    if not d.eof:
        raise _refuse(name, "the .gz file is cut short", "download or export it again")
    return bytes(out)


def check_xlsx(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(
            name,
            "it could not be opened as an Excel workbook",
            "save it again from Excel as .xlsx, or export it as CSV",
        ) from None
    total = sum(i.file_size for i in infos)
    worst = max(((i.file_size / max(i.compress_size, 1)) for i in infos), default=0)
    if total > MAX_XLSX_UNPACKED_BYTES or (worst > MAX_XLSX_RATIO and total > MAX_UPLOAD_BYTES):
        raise _refuse(
            name,
            f"the workbook unpacks to {size_words(total)}, more than the "
            f"{size_words(MAX_XLSX_UNPACKED_BYTES)} this page accepts",
            "save only the sheet with the data, or export it as CSV",
        )


def open_upload(data: bytes, filename: str, size: int | None = None) -> UploadedFile:
    """Check an uploaded file against every size rule and unpack one gzip layer.

    ``size`` is the size the browser announced (ipywidgets' FileUpload gives it); the content is
    checked too, since a message can claim anything.
    """
    name = (filename or "uploaded file").strip() or "uploaded file"
    check_size(max(size or 0, len(data)), name)
    if not data or not bytes(data[:65536]).strip() and not bytes(data).strip():
        raise _refuse(name, "it is empty", "choose a file with data")
    data = bytes(data)
    if name.lower().endswith(".gz") or data[:2] == GZIP_MAGIC:
        data = gunzip_bounded(data, name)
        name = name[:-3] if name.lower().endswith(".gz") else name
        if data[:2] == GZIP_MAGIC:
            raise _refuse(
                name,
                "it is a compressed file inside a compressed file",
                "unpack it once and upload the CSV, or its .gz",
            )
        if not data.strip():
            raise _refuse(name, "it is empty once unpacked", "choose a file with data")
    if data[:4] == ZIP_MAGIC or name.lower().endswith((".xlsx", ".xlsm")):
        check_xlsx(data, name)
    return UploadedFile(name, data)


def from_file_upload(value: object) -> UploadedFile | None:
    """The first file of an ipywidgets 8 ``FileUpload.value``, checked; None when nothing chosen."""
    items = list(value or ())
    if not items:
        return None
    item = items[0]
    content = item["content"]
    return open_upload(
        content.tobytes() if hasattr(content, "tobytes") else bytes(content),
        str(item.get("name") or "uploaded file"),
        int(item.get("size") or 0),
    )

"""Reading an uploaded file into sheets of cells, refusing what is not safe to parse.

Checked before any parsing: the size against the upload limit, and for a zip container
(XLSX, a zip of ODK CSVs) the uncompressed size written in its directory against the
uncompressed limit, so a zip bomb is refused without being expanded. CSV text is read as
UTF-8 (with or without BOM) or UTF-16 (BOM), else as Windows-1252 when every byte is
defined there (a notice says so), else refused with the encodings to choose from.
Every text cell goes through ``ctip.spreadsheets.restore`` (CTIP's own exports come back).
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ctip.errors import FieldError, ValidationFailed
from ctip.spreadsheets import restore

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
MB = 1024 * 1024

Rows = list[list[Any]]


@dataclass
class Sheets:
    """The sheets of a file in order (a CSV is one sheet named after the file)."""

    sheets: dict[str, Rows] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    encoding: str | None = None


def refuse(template: str, **params: Any) -> ValidationFailed:
    return ValidationFailed([FieldError("file", template, params)])


def check_size(data: bytes, max_upload_mb: int) -> None:
    if len(data) > max_upload_mb * MB:
        raise refuse(
            "the file is larger than the upload limit of %(limit)s MB", limit=max_upload_mb
        )
    if not data:
        raise refuse("the file is empty")


def _zip(data: bytes, max_uncompressed_mb: int, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse(
            "this %(what)s file is not a spreadsheet (it is damaged or of another kind)", what=what
        ) from None
    total = sum(info.file_size for info in archive.infolist())
    if total > max_uncompressed_mb * MB:
        raise refuse(
            "the file expands to more than %(limit)s MB when opened and is refused",
            limit=max_uncompressed_mb,
        )
    return archive


def _cells(row: tuple[Any, ...]) -> list[Any]:
    return [restore(c) for c in row]


def read_xlsx(data: bytes, max_uncompressed_mb: int) -> Sheets:
    from openpyxl import load_workbook

    _zip(data, max_uncompressed_mb, ".xlsx").close()
    try:
        with warnings.catch_warnings():  # the template's data-validation extension
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise refuse("this .xlsx file is not a spreadsheet (it is damaged or of another kind)")
    out = Sheets()
    try:
        with warnings.catch_warnings():  # read-only sheets warn while they are read
            warnings.simplefilter("ignore")
            for sheet in book.worksheets:
                out.sheets[sheet.title] = [_cells(r) for r in sheet.iter_rows(values_only=True)]
    except Exception:
        raise refuse("this .xlsx file is not a spreadsheet (it is damaged or of another kind)")
    finally:
        book.close()
    return out


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    if encoding:
        if encoding not in ENCODINGS:
            raise refuse(
                "unknown encoding %(value)s; choose one of %(allowed)s",
                value=encoding,
                allowed=", ".join(ENCODINGS),
            )
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise refuse("the file is not %(encoding)s text", encoding=encoding) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not _CP1252_UNDEFINED & set(data) and b"\x00" not in data:
        return data.decode("cp1252"), "cp1252"
    raise refuse(
        "the file's text encoding is not recognised; save it as UTF-8, or choose its "
        "encoding (%(allowed)s)",
        allowed=", ".join(ENCODINGS),
    )


def csv_rows(textual: str) -> Rows:
    """Rows of CSV text; the delimiter (comma, semicolon or tab) is the header's commonest."""
    header = textual.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    return [_cells(tuple(r)) for r in csv.reader(io.StringIO(textual), delimiter=delimiter)]


def read_csv(data: bytes, name: str, encoding: str | None = None) -> Sheets:
    textual, used = decode(data, encoding)
    out = Sheets(sheets={name: csv_rows(textual)}, encoding=used)
    if used == "cp1252":
        out.notices.append("the file was read as Windows-1252 text")
    return out


def read_csv_zip(data: bytes, max_uncompressed_mb: int, encoding: str | None = None) -> Sheets:
    """A zip of CSV files (ODK Central's export with repeat groups): one sheet per CSV."""
    archive = _zip(data, max_uncompressed_mb, ".zip")
    out = Sheets()
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".csv"):
                continue
            name = info.filename.rsplit("/", 1)[-1][:-4]
            part = read_csv(archive.read(info), name, encoding)
            out.sheets.update(part.sheets)
            out.notices += part.notices
    if not out.sheets:
        raise refuse("the zip file holds no CSV files")
    return out


def read(
    data: bytes,
    filename: str,
    *,
    max_upload_mb: int,
    max_uncompressed_mb: int,
    encoding: str | None = None,
) -> Sheets:
    """The sheets of an uploaded .xlsx, .csv or .zip (of CSVs) file."""
    check_size(data, max_upload_mb)
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, max_uncompressed_mb)
    if lower.endswith(".zip"):
        return read_csv_zip(data, max_uncompressed_mb, encoding)
    if lower.endswith((".csv", ".txt")):
        return read_csv(data, filename.rsplit("/", 1)[-1].rsplit(".", 1)[0], encoding)
    raise refuse("send a .xlsx, .csv or .zip file")

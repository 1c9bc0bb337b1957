"""From the sheets of a file to source rows: one person in one case each, with its cells under
HTCDS field names and the column names as the file writes them. Pure functions.

- ``htcds``: the official template (sheet ``Case Sheet`` or ``Sheet1``, or CTIP's own export),
  field names in row 1 and, when present, labels in row 2. Where the two rows disagree for
  the mailing-address columns the *label* wins (it is what the person filling the sheet read);
  the nameless column is read by its label. A row with nothing but the running number is empty.
- ``kobo``: a KoboToolbox export (XLSX or CSV), names or labels as headers, ``/`` group paths.
  Each submission (``_uuid``) is one case; rows of a repeat sheet (``_parent_index`` →
  ``_index``) are its persons, else the submission is one person.
- ``odk``: an ODK Central CSV (or a zip of the main and repeat CSVs), ``-`` group paths,
  ``KEY``/``PARENT_KEY``; ``meta-instanceID`` when ``KEY`` is absent.
- ``csv``: any sheet with a column mapping (column → HTCDS field); recognised headers need none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ctip.errors import FieldError, ValidationFailed
from ctip.imports.fields import (
    CASE_KEY_FIELDS,
    HTCDS_PREFIX,
    MAILING,
    VERSION_MARKERS,
    Header,
    by_label,
    by_name,
    fold,
    resolve,
)
from ctip.imports.files import Rows, Sheets
from ctip.imports.values import text

SOURCES = ("htcds", "kobo", "odk", "csv")
TEMPLATE_SHEETS = ("Case Sheet", "Sheet1")


@dataclass
class SourceRow:
    """One person in one case as a file states it."""

    sheet: str
    number: int
    key: str
    case_key: str
    cells: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    spaces: bool = False  # multi-selects separated by spaces (Kobo, ODK)
    submitted: Any = None


def stable_key(*parts: Any) -> str:
    """A short stable hash of folded values (the template's record key)."""
    joined = "\x1f".join(fold(text(p)) if not isinstance(p, str) else fold(p) for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:40]


def _refuse(template: str, **params: Any) -> ValidationFailed:
    return ValidationFailed([FieldError("file", template, params)])


def _blank(value: Any) -> bool:
    return text(value) == ""


# --- the HTCDS template ---------------------------------------------------------------------


def _version(sheets: Sheets) -> None:
    about = sheets.sheets.get("about") or []
    for row in about:
        for cell in row:
            match = re.search(r"HTCDS\s*v?(\d+(?:\.\d+)*)", text(cell), re.I)
            if match and match.group(1) not in ("2", "2.0"):
                raise _refuse(
                    "this is an HTCDS template of version %(found)s; CTIP reads version 2.0",
                    found=match.group(1),
                )


def _template_sheet(sheets: Sheets) -> tuple[str, Rows]:
    for name in TEMPLATE_SHEETS:
        if name in sheets.sheets:
            return name, sheets.sheets[name]
    for name, rows in sheets.sheets.items():
        if rows and sum(1 for c in rows[0] if by_name(c)) >= 3:
            return name, rows
    raise _refuse("no sheet of this file has HTCDS field names in its first row")


def _is_label_row(row: list[Any]) -> bool:
    filled = [c for c in row if not _blank(c)]
    return len(filled) >= 3 and sum(1 for c in filled if by_label(c)) * 2 >= len(filled)


def template_headers(names: list[Any], labels: list[Any] | None) -> list[Header | None]:
    """The field of each template column, surviving the template's quirks."""
    out: list[Header | None] = []
    for i, name in enumerate(names):
        label = labels[i] if labels is not None and i < len(labels) else None
        by_n, by_l = by_name(name), by_label(label) if label is not None else None
        if by_n and by_l and by_n != by_l and by_n in MAILING and by_l in MAILING:
            out.append(Header(by_l))
        elif by_n:
            out.append(Header(by_n))
        elif _blank(name) and by_l:
            out.append(Header(by_l))
        else:
            out.append(resolve(name))
    return out


def _check_template(headers: list[Header | None], names: list[Any]) -> None:
    found = {h.field for h in headers if h}
    prefixed = [n for n in names if HTCDS_PREFIX.match(text(n))]
    if not any(m in found for m in VERSION_MARKERS):
        if len(prefixed) >= 3:
            raise _refuse(
                "the columns are not those of HTCDS version 2.0 (%(found)s ...); CTIP reads "
                "version 2.0",
                found=", ".join(text(n) for n in prefixed[:3]),
            )
        raise _refuse("no sheet of this file has HTCDS field names in its first row")


def _row_cells(
    headers: list[Header | None], names: list[str], row: list[Any]
) -> tuple[dict[str, Any], dict[str, str], dict[str, list[str]]]:
    cells: dict[str, Any] = {}
    columns: dict[str, str] = {}
    options: dict[str, list[str]] = {}
    for header, name, value in zip(headers, names, row, strict=False):
        if header is None or _blank(value):
            continue
        if header.option is not None:
            if text(value) in ("1", "True", "TRUE", "true"):
                options.setdefault(header.field, []).append(header.option)
                columns.setdefault(header.field, name)
            continue
        cells[header.field] = value
        columns[header.field] = name
    return cells, columns, options


def _template_key(cells: dict[str, Any]) -> tuple[str, str]:
    if not _blank(cells.get("cas_CaseId")):
        case_key = stable_key("ctip", cells["cas_CaseId"])
    elif any(not _blank(cells.get(f)) for f in CASE_KEY_FIELDS):
        case_key = stable_key(*(cells.get(f) for f in CASE_KEY_FIELDS))
    else:
        case_key = ""
    person = (
        cells.get("prs_PersonId"),
        cells.get("prs_FirstName"),
        cells.get("prs_SecondName"),
        cells.get("prs_Birthdate"),
        cells.get("prs_NameKm"),
        cells.get("per_Role"),
    )
    key = stable_key(case_key, *person)
    return key, case_key or key


def _column_name(name: Any, label: Any, index: int) -> str:
    shown = text(label) or text(name)
    return shown or f"column {index + 1}"


def htcds_rows(sheets: Sheets) -> list[SourceRow]:
    """The person rows of an HTCDS 2.0 template (or CTIP's HTCDS export)."""
    _version(sheets)
    sheet, rows = _template_sheet(sheets)
    if not rows:
        raise _refuse("the sheet %(sheet)s is empty", sheet=sheet)
    names = rows[0]
    labels = rows[1] if len(rows) > 1 and _is_label_row(rows[1]) else None
    headers = template_headers(list(names), list(labels) if labels else None)
    _check_template(headers, list(names))
    shown = [
        _column_name(n, labels[i] if labels and i < len(labels) else None, i)
        for i, n in enumerate(names)
    ]
    start = 2 if labels is None else 3
    out: list[SourceRow] = []
    for number, row in enumerate(rows[start - 1 :], start=start):
        cells, columns, _ = _row_cells(headers, shown, list(row))
        if not cells:
            continue
        key, case_key = _template_key(cells)
        out.append(SourceRow(sheet, number, key, case_key, cells, columns))
    return out


# --- KoboToolbox and ODK Central --------------------------------------------------------------


def _index_of(names: list[Any], *wanted: str) -> int | None:
    folded = [fold(n) for n in names]
    for w in wanted:
        if fold(w) in folded:
            return folded.index(fold(w))
    return None


def _sheet_records(
    name: str, rows: Rows, separators: str
) -> tuple[list[str], list[Header | None], list[tuple[int, list[Any]]]]:
    names = [text(n) for n in rows[0]] if rows else []
    headers = [resolve(n, separators) for n in names]
    data = [(i, list(r)) for i, r in enumerate(rows[1:], start=2) if any(not _blank(c) for c in r)]
    return names, headers, data


def _with_options(cells: dict[str, Any], options: dict[str, list[str]]) -> dict[str, Any]:
    """A select-multiple's 0/1 columns win over its space-separated column: with label
    headers the options are labels, which may themselves hold spaces."""
    for name, chosen in options.items():
        cells[name] = list(chosen)
    return cells


def _form_rows(
    sheets: Sheets,
    *,
    separators: str,
    key_columns: tuple[str, ...],
    parent_column: str,
    child_key: str,
    time_columns: tuple[str, ...],
    what: str,
) -> list[SourceRow]:
    """Rows of a form export: each submission a case, each repeat row (or the submission
    itself, without repeats) a person."""
    order = list(sheets.sheets.items())
    main_name, main_rows = order[0]
    names, headers, data = _sheet_records(main_name, main_rows, separators)
    key_at = _index_of(names, *key_columns)
    if key_at is None:
        raise _refuse(
            "this is not a %(what)s export: it has no %(column)s column",
            what=what,
            column=key_columns[0],
        )
    index_at = _index_of(names, "_index") if what == "KoboToolbox" else key_at
    time_at = _index_of(names, *time_columns)
    parents: dict[str, tuple[str, dict[str, Any], dict[str, str], Any]] = {}
    submissions: list[tuple[int, str, dict[str, Any], dict[str, str], Any]] = []
    for number, row in data:
        cells, columns, options = _row_cells(headers, names, row)
        uuid = text(row[key_at]) if key_at < len(row) else ""
        submitted = row[time_at] if time_at is not None and time_at < len(row) else None
        link = text(row[index_at]) if index_at is not None and index_at < len(row) else uuid
        parents[link] = (uuid, cells, columns, submitted)
        submissions.append((number, uuid, _with_options(cells, options), columns, submitted))
    out: list[SourceRow] = []
    with_children: set[str] = set()
    for sheet, rows in order[1:]:
        c_names, c_headers, c_data = _sheet_records(sheet, rows, separators)
        parent_at = _index_of(c_names, parent_column)
        own_at = _index_of(c_names, child_key)
        if parent_at is None:
            continue
        seen: dict[str, int] = {}
        for number, row in c_data:
            link = text(row[parent_at]) if parent_at < len(row) else ""
            parent = parents.get(link)
            if parent is None:
                continue
            uuid, p_cells, p_columns, submitted = parent
            cells, columns, options = _row_cells(c_headers, c_names, row)
            seen[uuid] = seen.get(uuid, 0) + 1
            own = text(row[own_at]) if own_at is not None and what == "ODK Central" else ""
            key = own or f"{uuid}/{sheet}/{seen[uuid]}"
            merged = {**p_cells, **_with_options(cells, options)}
            out.append(
                SourceRow(
                    sheet,
                    number,
                    key,
                    uuid,
                    merged,
                    {**p_columns, **columns},
                    spaces=True,
                    submitted=submitted,
                )
            )
            with_children.add(uuid)
    for number, uuid, cells, columns, submitted in submissions:
        if uuid not in with_children:
            out.append(
                SourceRow(
                    main_name,
                    number,
                    uuid or f"row-{number}",
                    uuid or f"row-{number}",
                    cells,
                    columns,
                    spaces=True,
                    submitted=submitted,
                )
            )
    return sorted(out, key=lambda r: (r.sheet != main_name, r.sheet, r.number))


def kobo_rows(sheets: Sheets) -> list[SourceRow]:
    return _form_rows(
        sheets,
        separators="/",
        key_columns=("_uuid", "meta/instanceID"),
        parent_column="_parent_index",
        child_key="_index",
        time_columns=("_submission_time",),
        what="KoboToolbox",
    )


def odk_rows(sheets: Sheets) -> list[SourceRow]:
    ordered = dict(
        sorted(
            sheets.sheets.items(),
            key=lambda kv: (
                _index_of([text(c) for c in (kv[1][0] if kv[1] else [])], "PARENT_KEY") is not None
            ),
        )
    )
    return _form_rows(
        Sheets(ordered, sheets.notices),
        separators="-",
        key_columns=("KEY", "meta-instanceID"),
        parent_column="PARENT_KEY",
        child_key="KEY",
        time_columns=("SubmissionDate",),
        what="ODK Central",
    )


# --- any spreadsheet with a mapping ---------------------------------------------------------


def mapped_rows(sheets: Sheets, mapping: dict[str, str]) -> list[SourceRow]:
    """Rows of the first sheet, columns read through ``mapping`` (header → field), else by
    their HTCDS name or label."""
    sheet, rows = next(iter(sheets.sheets.items()))
    if not rows:
        raise _refuse("the sheet %(sheet)s is empty", sheet=sheet)
    names = [text(n) for n in rows[0]]
    folded = {fold(k): v for k, v in mapping.items() if v}
    headers: list[Header | None] = [
        Header(folded[fold(n)]) if fold(n) in folded else resolve(n) for n in names
    ]
    if not any(headers):
        raise _refuse("no column is mapped to a field; map the columns first")
    out: list[SourceRow] = []
    for number, row in enumerate(rows[1:], start=2):
        cells, columns, _ = _row_cells(headers, names, list(row))
        if cells:
            key, case_key = _template_key(cells)
            out.append(SourceRow(sheet, number, key, case_key, cells, columns))
    return out


def headers_of(sheets: Sheets) -> list[str]:
    """The first sheet's column names (for the mapping page)."""
    rows = next(iter(sheets.sheets.values()), [])
    return [text(n) for n in rows[0]] if rows else []


def rows_of(source: str, sheets: Sheets, mapping: dict[str, str] | None = None) -> list[SourceRow]:
    if source == "htcds":
        return htcds_rows(sheets)
    if source == "kobo":
        return kobo_rows(sheets)
    if source == "odk":
        return odk_rows(sheets)
    if source == "csv":
        return mapped_rows(sheets, mapping or {})
    raise _refuse(
        "unknown source %(value)s; one of %(allowed)s", value=source, allowed=", ".join(SOURCES)
    )

"""Outside lists: link two lists, deduplicate one, or match one against the registry.

A list is a CSV (UTF-8, with or without a byte-order mark) or an XLSX workbook (first
sheet). The caller maps its columns to *roles*; every value is read and checked before any
linking starts, and the first problems found are reported with their column and row (rows
counted as a spreadsheet shows them: the header is row 1). Nothing is written when a list
has a problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ctip.errors import FieldError, ValidationFailed
from ctip.identifiers.normalize import normalise
from ctip.linkage.features import features, frame

ROLES = (
    "first_name",
    "last_name",
    "full_name",
    "khmer_name",
    "dob",
    "birth_year",
    "birth_month",
    "birth_day",
    "age",
    "sex",
    "nationality",
    "phone",
    "id_number",
    "address",
    "street_number",
    "city",
    "postcode",
    "state",
)
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y")
MAX_ERRORS = 20
_YEAR = re.compile(r"^\d{4}$")

# How an identifier found in a list becomes comparable: file-to-file matching compares the
# normalised values in memory; matching against the registry compares blind indexes.
IdentForm = Callable[[str, str], list[str]]


def plain_ident(kind: str, value: str) -> list[str]:
    return [f"{kind}:{value}"]


@dataclass(frozen=True)
class ListData:
    """A read list: its header, its rows (as text) and the first data row's number."""

    name: str
    header: list[str]
    rows: list[list[str]]


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``SOURCE_COLUMN=ROLE`` options as {column: role}; unknown roles are refused."""
    mapping: dict[str, str] = {}
    errors: list[FieldError] = []
    for pair in pairs:
        column, sep, role = pair.partition("=")
        column, role = column.strip(), role.strip()
        if not sep or not column:
            errors.append(
                FieldError("map", "write the mapping as COLUMN=ROLE: %(value)s", {"value": pair})
            )
        elif role not in ROLES:
            errors.append(
                FieldError(
                    column,
                    "unknown role %(role)s (known roles: %(roles)s)",
                    {"role": role, "roles": ", ".join(ROLES)},
                )
            )
        else:
            mapping[column] = role
    if errors:
        raise ValidationFailed(errors)
    if not mapping:
        raise ValidationFailed.single("map", "map at least one column to a role")
    return mapping


def read_list(name: str, content: bytes) -> ListData:
    """The rows of a CSV or XLSX list; a wrong encoding names its row and column."""
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(name, content)
    text = _decode(name, content)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise ValidationFailed.single(name, "the list is empty")
    header = [h.strip() for h in rows[0]]
    return ListData(name, header, [r for r in rows[1:] if any(c.strip() for c in r)])


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = content[: exc.start]
        row = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        header = content.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        col_index = content[line_start : exc.start].count(b",")
        column = header[col_index].strip() if col_index < len(header) else name
        raise ValidationFailed(
            [
                FieldError(
                    column,
                    "the file is not UTF-8 text (save it as CSV UTF-8): byte %(byte)s",
                    {"byte": hex(content[exc.start])},
                    row,
                )
            ]
        ) from None


def _read_xlsx(name: str, content: bytes) -> ListData:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationFailed.single(name, "the workbook cannot be read") from None
    sheet = book.worksheets[0]
    rows = [
        ["" if v is None else _cell_text(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    if not rows:
        raise ValidationFailed.single(name, "the list is empty")
    header = [h.strip() for h in rows[0]]
    return ListData(name, header, [r for r in rows[1:] if any(c.strip() for c in r)])


def _cell_text(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_DATE_SHAPES = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)


def parse_date(text: str) -> str | None:
    """``YYYY-MM-DD`` of a date written in one of the accepted shapes, else ``None``.

    A date of the right shape that the calendar does not have (``19711319``) is kept as
    written: a typing error in a date is still evidence, compared digit by digit."""
    for shape in _DATE_SHAPES:
        found = shape.match(text.strip())
        if found:
            return f"{found['y']}-{int(found['m']):02d}-{int(found['d']):02d}"
    return None


def records(
    data: ListData,
    *,
    id_column: str,
    mapping: dict[str, str],
    ident_form: IdentForm = plain_ident,
    prefix: str = "",
    today: date | None = None,
) -> pd.DataFrame:
    """The list's rows as canonical feature records; every problem found is reported."""
    today = today or date.today()
    index = {h: i for i, h in enumerate(data.header)}
    missing = [c for c in [id_column, *mapping] if c not in index]
    if missing:
        raise ValidationFailed(
            [
                FieldError(
                    c,
                    "the list %(list)s has no column %(column)s (it has: %(columns)s)",
                    {"list": data.name, "column": c, "columns": ", ".join(data.header)},
                    1,
                )
                for c in dict.fromkeys(missing)
            ]
        )
    errors: list[FieldError] = []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, row in enumerate(data.rows, start=2):
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        rid = cells[id_column]
        if not rid:
            errors.append(FieldError(id_column, "the record has no id", {}, n))
        elif rid in seen:
            errors.append(FieldError(id_column, "the id %(value)s is repeated", {"value": rid}, n))
        seen.add(rid)
        values, problems = _values(cells, mapping, ident_form, today, n)
        errors += problems
        if len(errors) >= MAX_ERRORS:
            break
        out.append(features(unique_id=f"{prefix}{rid}", **values))
    if errors:
        raise ValidationFailed(errors[:MAX_ERRORS])
    return frame(out)


def _values(
    cells: dict[str, str],
    mapping: dict[str, str],
    ident_form: IdentForm,
    today: date,
    row: int,
) -> tuple[dict[str, Any], list[FieldError]]:
    by_role: dict[str, list[tuple[str, str]]] = {}
    for column, role in mapping.items():
        if cells[column]:
            by_role.setdefault(role, []).append((column, cells[column]))
    errors: list[FieldError] = []
    first = " ".join(v for _, v in by_role.get("first_name", [])) or None
    last = " ".join(v for _, v in by_role.get("last_name", [])) or None
    for _, full in by_role.get("full_name", []):
        tokens = full.split()
        if tokens and not first and not last:
            first, last = " ".join(tokens[:-1]) or None, tokens[-1]
    values: dict[str, Any] = {"first": first, "last": last}
    values["km"] = " ".join(v for _, v in by_role.get("khmer_name", [])) or None
    dob: date | str | None = None
    for column, text in by_role.get("dob", []):
        dob = parse_date(text)
        if dob is None:
            errors.append(
                FieldError(
                    column,
                    "%(value)s is not a date (write YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY)",
                    {"value": text},
                    row,
                )
            )
    year = _number(by_role, "birth_year", 1880, today.year, row, errors)
    month = _number(by_role, "birth_month", 1, 12, row, errors)
    day = _number(by_role, "birth_day", 1, 31, row, errors)
    age = _number(by_role, "age", 0, 130, row, errors)
    if dob is None and year is not None and month is not None and day is not None:
        try:
            dob = date(year, month, day)
        except ValueError:
            dob = None
    if year is None and age is not None:
        year = today.year - age
    values.update(dob=dob, birth_year=year)
    values["sex"] = next((v for _, v in by_role.get("sex", [])), None)
    values["nationalities"] = [v for _, v in by_role.get("nationality", [])]
    values["provinces"] = [v for _, v in by_role.get("state", [])]
    for role in ("city", "postcode", "address", "street_number"):
        values[role] = " ".join(v for _, v in by_role.get(role, [])) or None
    idents: list[str] = []
    for _column, text in by_role.get("phone", []):
        found = normalise("phone", text)
        if found.valid and found.value:
            idents += ident_form("phone", found.value)
    for _column, text in by_role.get("id_number", []):
        found = normalise("passport", text)
        if found.valid and found.value:
            idents += ident_form("document", found.value)
    values["identifiers"] = idents
    return values, errors


def _number(
    by_role: dict[str, list[tuple[str, str]]],
    role: str,
    low: int,
    high: int,
    row: int,
    errors: list[FieldError],
) -> int | None:
    for column, text in by_role.get(role, []):
        try:
            value = int(float(text))
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            errors.append(
                FieldError(
                    column,
                    "%(value)s is not a number from %(low)s to %(high)s",
                    {"value": text, "low": low, "high": high},
                    row,
                )
            )
            return None
        return value
    return None


def load(path: Path) -> ListData:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed.single(
            str(path), "cannot read the file: %(reason)s", reason=exc.strerror or str(exc)
        ) from None
    return read_list(path.name, content)


OUTPUT_COLUMNS = ("left_id", "right_id", "match_probability", "cluster_id")


def output_frame(
    pairs: pd.DataFrame,
    clusters: pd.DataFrame,
    *,
    threshold: float,
    link: bool,
) -> pd.DataFrame:
    """Pairs at or above ``threshold`` as output rows with per-field evidence columns."""
    kept = pairs[pairs["match_probability"] >= threshold]
    cluster_of = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    names = _display_ids(clusters)
    rows = []
    fields: list[str] = []
    for rec in kept.to_dict("records"):
        left, right = rec["unique_id_l"], rec["unique_id_r"]
        if link and str(left).startswith("r:"):
            left, right = right, left
        row = {
            "left_id": _strip(left),
            "right_id": _strip(right),
            "match_probability": round(float(rec["match_probability"]), 6),
            "cluster_id": names.get(cluster_of.get(left, left), _strip(left)),
        }
        for name, (label, weight) in (rec["evidence"] or {}).items():
            col = f"evidence_{name}"
            if col not in fields:
                fields.append(col)
            row[col] = f"{label} ({weight:+.1f})"
        rows.append(row)
    return pd.DataFrame(rows, columns=[*OUTPUT_COLUMNS, *sorted(fields)])


def _strip(uid: Any) -> str:
    text = str(uid)
    return text[2:] if text[:2] in ("l:", "r:") else text


def _display_ids(clusters: pd.DataFrame) -> dict[Any, str]:
    """Cluster id → the smallest member id as written in the list (without side prefix)."""
    out: dict[Any, str] = {}
    for cid, members in clusters.groupby("cluster_id")["unique_id"]:
        out[cid] = min((_strip(m) for m in members), key=_id_order)
    return out


def _id_order(text: str) -> tuple[int, Any]:
    return (0, int(text)) if text.isdigit() else (1, text)


def link_lists(
    left: ListData,
    right: ListData | None,
    *,
    id_column: str,
    mapping: dict[str, str],
    threshold: float,
    data_dir: Path,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    floor: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Link ``left`` with ``right`` (or deduplicate ``left``): the output rows."""
    from ctip.linkage.model import open_engine, predict_and_cluster

    link = right is not None
    left_df = records(left, id_column=id_column, mapping=mapping, prefix="l:" if link else "")
    right_df = records(right, id_column=id_column, mapping=mapping, prefix="r:") if right else None
    with open_engine(engine, data_dir=data_dir, spark_master=spark_master) as eng:
        result = predict_and_cluster(
            eng,
            left_df,
            right=right_df,
            floor=min(threshold, floor if floor is not None else threshold),
            threshold=threshold,
            progress=progress,
        )
    return output_frame(result.pairs, result.clusters, threshold=threshold, link=link)


def write_csv(out: Path, frame_: pd.DataFrame) -> None:
    """Write the output through a temporary file, so a failure leaves no half file."""
    from ctip.spreadsheets import csv_safe

    tmp = out.with_name(out.name + ".partial")
    safe = frame_.map(csv_safe) if len(frame_) else frame_
    safe.to_csv(tmp, index=False)
    tmp.replace(out)


def registry_ident(kind: str, value: str) -> list[str]:
    """An identifier from a list as the registry's blind indexes (``type:digest``)."""
    from ctip.identifiers.service import digest_of

    if kind == "phone":
        return [f"phone:{digest_of('phone', value)}"]
    return [f"{t}:{digest_of(t, value)}" for t in ("passport", "national_id")]


def match_registry(
    session: Any,
    *,
    actor: Any,
    data: ListData,
    id_column: str,
    mapping: dict[str, str],
    threshold: float,
    settings: Any,
) -> pd.DataFrame:
    """An outside list against the registry persons the actor may see (scoped extract):
    rows ``left_id`` (the list's id), ``right_id`` (person id), probability, evidence."""
    import json

    from ctip.audit.service import record
    from ctip.linkage.features import registry_frame
    from ctip.linkage.model import open_engine, predict_and_cluster
    from ctip.linkage.run import current_model
    from ctip.persons.extract import persons_table

    left = records(
        data, id_column=id_column, mapping=mapping, ident_form=registry_ident, prefix="l:"
    )
    table = persons_table(session, actor=actor, purpose=f"outside list {data.name}")
    right = registry_frame(table)
    right["unique_id"] = ["r:" + str(i) for i in right["unique_id"]]
    stored = current_model(session)
    model = None
    if stored is not None:
        model = json.loads(stored.settings)
        model["link_type"] = "link_only"
    if right.empty:
        result_rows = pd.DataFrame(columns=list(OUTPUT_COLUMNS))
    else:
        with open_engine(
            "duckdb", data_dir=settings.data_dir, spark_master=settings.linkage_spark_master
        ) as eng:
            result = predict_and_cluster(
                eng, left, right=right, floor=threshold, threshold=threshold, model=model
            )
        result_rows = output_frame(result.pairs, result.clusters, threshold=threshold, link=True)
    record(
        session,
        actor=actor,
        action="linkage.file",
        entity_type="person",
        detail=f"{data.name}: {len(left)} rows, {len(result_rows)} matches",
        # The registry persons the reader is shown, by id: a list matched against the registry
        # reads those persons as surely as opening their pages does.
        after={
            "rows": len(left),
            "matches": len(result_rows),
            "persons": sorted({int(pid) for pid in result_rows["right_id"]}),
        },
    )
    return result_rows

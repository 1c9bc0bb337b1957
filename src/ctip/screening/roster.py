"""Importing an intervention's roster from CSV or XLSX.

Thousands of rows: each bad row is reported by its spreadsheet row number and field, and the
good rows are kept. Importing the same file again changes nothing: each row has a stable key
(the passport, else name, date of birth or age and nationality), kept as a blind index, so a
known row is updated in place. Passports and phones are blind-indexed exactly as the registry
indexes identifiers, so people already in the registry and people twice on the roster are
flagged by exact match (the linkage part adds probabilistic matching).

A roster is bounded before it is parsed: its size in bytes, an XLSX file's total uncompressed
size (read from the zip directory, so a zip bomb is refused unopened) and its number of rows
(``RosterLimits``, from the ``CTIP_MAX_UPLOAD_BYTES`` and ``CTIP_ROSTER_*`` settings). Web
routes run the import in a worker thread, so a large file never blocks the event loop.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zipfile import BadZipFile, ZipFile

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import Actor
from ctip.errors import FieldError, ValidationFailed
from ctip.identifiers.normalize import index_form, normalise
from ctip.identifiers.service import digest_of
from ctip.persons.names import normalise_name
from ctip.persons.schemas import normalise_gender
from ctip.reference import GENDERS, countries
from ctip.screening import interventions
from ctip.screening.decision import MAX_AGE
from ctip.screening.models import RosterEntry
from ctip.security import keyring

# Column names people use → the roster field (compared lower-case, separators folded).
HEADERS: dict[str, tuple[str, ...]] = {
    "given_name": ("given name", "first name", "firstname", "prs first name", "prs firstname"),
    "family_name": ("family name", "last name", "surname", "prs second name", "prs lastname"),
    "name": ("name", "full name"),
    "sex": ("sex", "gender", "prs gender"),
    "age": ("age", "estimated age"),
    "date_of_birth": ("date of birth", "dob", "birth date", "birthdate", "prs dateofbirth"),
    "nationality": ("nationality", "citizenship", "country", "prs nationality"),
    "passport": ("passport", "passport number", "passport no", "passport no."),
    "phone": ("phone", "telephone", "mobile", "phone number", "tel"),
}
ENTRY_FIELDS = (
    "given_name",
    "family_name",
    "gender",
    "date_of_birth",
    "age",
    "nationality",
    "passport",
    "phone",
    "phone_valid",
    "passport_digest",
    "phone_digest",
)


def _fold(header: object) -> str:
    return re.sub(r"[\s_\-.:/]+", " ", str(header or "")).strip().lower()


_LOOKUP = {_fold(alias): name for name, aliases in HEADERS.items() for alias in (*aliases, name)}


@dataclass(frozen=True)
class RosterRow:
    """A valid roster row: cleaned values, blind indexes and the stable key."""

    number: int
    key: str
    values: dict[str, Any]


@dataclass
class ImportReport:
    """What an import did, and every refused row with its field and message."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)
    repeated_rows: list[tuple[int, int]] = field(default_factory=list)
    duplicates: int = 0
    in_registry: int = 0


# --- reading files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterLimits:
    """How large a roster may be (defaults match the settings' defaults)."""

    max_bytes: int = 10_485_760
    max_rows: int = 20_000
    max_unpacked_bytes: int = 104_857_600

    @classmethod
    def of(cls, settings: Any) -> RosterLimits:
        return cls(
            settings.max_upload_bytes, settings.roster_max_rows, settings.roster_max_unpacked_bytes
        )


def _check_zip(data: bytes, limits: RosterLimits) -> None:
    """Refuse an XLSX whose parts would inflate past the limit (before openpyxl opens it)."""
    try:
        with ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except BadZipFile:
        raise ValidationFailed.single("file", "send a .csv or .xlsx file") from None
    if unpacked > limits.max_unpacked_bytes:
        raise ValidationFailed.single(
            "file",
            "the workbook unpacks to more than %(n)s MB",
            n=limits.max_unpacked_bytes // 1_048_576,
        )


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError):
        raise ValidationFailed.single("file", "send a .csv or .xlsx file") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _csv_rows(text: str) -> Iterator[list[Any]]:
    """Rows of a CSV file; the delimiter (comma, semicolon or tab) is the header's commonest.
    A row the csv module cannot read (a field over its size limit, a NUL) is a clear error."""
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ValidationFailed(
            [
                FieldError(
                    "file",
                    "this row cannot be read: %(error)s",
                    {"error": str(exc)},
                    row=reader.line_num,
                )
            ]
        ) from None


def read_table(
    data: bytes, filename: str, limits: RosterLimits | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {field: value}) for each data row of a CSV or XLSX file,
    within ``limits`` (too large a file, workbook or row count is refused, naming the limit)."""
    limits = limits or RosterLimits()
    if len(data) > limits.max_bytes:
        raise ValidationFailed.single(
            "file", "the file is larger than %(n)s MB", n=limits.max_bytes // 1_048_576
        )
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        _check_zip(data, limits)
        raw = _xlsx_rows(data)
    elif lower.endswith((".csv", ".txt")):
        try:
            raw = _csv_rows(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationFailed.single("file", "the file is not UTF-8 text")
    else:
        raise ValidationFailed.single("file", "send a .csv or .xlsx file")
    header = next(raw, None) or []
    fields = [_LOOKUP.get(_fold(h)) for h in header]
    if not {"given_name", "family_name", "name"} & set(fields):
        raise ValidationFailed([FieldError("name", "the roster has no name column", row=1)])
    for number, cells in enumerate(raw, start=2):
        if number - 1 > limits.max_rows:
            raise ValidationFailed(
                [
                    FieldError(
                        "file",
                        "a roster holds at most %(n)s rows",
                        {"n": limits.max_rows},
                        row=number,
                    )
                ]
            )
        yield number, {f: c for f, c in zip(fields, cells, strict=False) if f is not None}


# --- checking one row ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _country(value: str) -> str | None:
    known = countries()
    if value.upper() in known:
        return value.upper()
    by_name = {name.casefold(): code for code, name in known.items()}
    return by_name.get(value.casefold())


class _Row:
    """Collects one row's cleaned values and errors."""

    def __init__(self, number: int, raw: dict[str, Any], today: date) -> None:
        self.number, self.raw, self.today = number, raw, today
        self.values: dict[str, Any] = {}
        self.errors: list[FieldError] = []

    def error(self, name: str, template: str, **params: Any) -> None:
        self.errors.append(FieldError(name, template, params, row=self.number))

    def names(self) -> None:
        given, family = _text(self.raw.get("given_name")), _text(self.raw.get("family_name"))
        if not given and not family:
            given = _text(self.raw.get("name"))
        if not given and not family:
            self.error("name", "required")
        self.values.update(given_name=given or None, family_name=family or None)

    def sex(self) -> None:
        gender = normalise_gender(_text(self.raw.get("sex"))) or "NonSpecifiedUnknown"
        if gender not in GENDERS:
            self.error("sex", "unknown sex %(value)s", value=self.raw.get("sex"))
        self.values["gender"] = gender

    def age(self) -> None:
        text, age = _text(self.raw.get("age")), None
        if text:
            try:
                age = int(float(text))
            except ValueError:
                self.error("age", "enter a whole number")
            else:
                if not 0 <= age <= MAX_AGE:
                    self.error("age", "an age must be between 0 and %(n)s", n=MAX_AGE)
        self.values["age"] = age

    def birth(self) -> None:
        value, born = self.raw.get("date_of_birth"), None
        if _text(value):
            try:
                born = _date(value)
            except ValueError:
                self.error("date_of_birth", "enter a date as YYYY-MM-DD")
            else:
                if born > self.today:
                    self.error("date_of_birth", "the date of birth is in the future")
        self.values["date_of_birth"] = born

    def nationality(self) -> None:
        text = _text(self.raw.get("nationality"))
        code = _country(text) if text else None
        if text and code is None:
            self.error("nationality", "unknown country %(value)s", value=text)
        self.values["nationality"] = code

    def identifiers(self) -> None:
        passport, phone = _text(self.raw.get("passport")), _text(self.raw.get("phone"))
        self.values.update(
            passport=passport or None,
            phone=phone or None,
            phone_valid=True,
            passport_digest=None,
            phone_digest=None,
        )
        if passport:
            norm = normalise("passport", passport)
            if norm.value is None:
                self.error("passport", "not a passport number")
            else:
                self.values["passport_digest"] = digest_of("passport", norm.value)
                self.values["passport_key"] = norm.value
        if phone:
            purpose, form, valid = _phone_form(phone, self.values.get("nationality"))
            self.values.update(phone_digest=digest_of(purpose, form), phone_valid=valid)


def _phone_form(phone: str, nationality: str | None) -> tuple[str, str, bool]:
    """The phone's blind-index form, read in the region ``phone_region`` chooses."""
    purpose, form, result = index_form(
        "phone", phone, interventions.phone_region(phone, nationality)
    )
    return purpose, form, result.valid


def _stable_key(values: dict[str, Any]) -> str:
    if values.get("passport_key"):
        key = "passport:" + values["passport_key"]
    else:
        name = normalise_name(" ".join(filter(None, (values["given_name"], values["family_name"]))))
        born = (
            values["date_of_birth"].isoformat()
            if values["date_of_birth"]
            else f"age {values['age']}"
        )
        key = f"person:{name}|{born}|{values['nationality'] or ''}"
    return keyring().blind_index("roster", key)


def check_row(number: int, raw: dict[str, Any], today: date) -> RosterRow | list[FieldError]:
    """A valid row, or its errors (each naming the row and field)."""
    row = _Row(number, raw, today)
    for step in (row.names, row.sex, row.age, row.birth, row.nationality, row.identifiers):
        step()
    if row.errors:
        return row.errors
    return RosterRow(number, _stable_key(row.values), row.values)


# --- storing ------------------------------------------------------------------------------


def _store(
    entry: RosterEntry | None, row: RosterRow, intervention_id: int, report: ImportReport
) -> RosterEntry | None:
    values = {k: row.values[k] for k in ENTRY_FIELDS}
    if entry is None:
        report.created += 1
        return RosterEntry(
            intervention_id=intervention_id, row_key=row.key, row_number=row.number, **values
        )
    if all(getattr(entry, k) == v for k, v in values.items()) and entry.row_number == row.number:
        report.unchanged += 1
        return None
    for name, value in values.items():
        setattr(entry, name, value)
    entry.row_number = row.number
    report.updated += 1
    return None


def _mark_duplicates(entries: list[RosterEntry]) -> int:
    """Point each entry sharing a passport or phone with an earlier one at that entry."""
    first: dict[str, int] = {}
    count = 0
    for entry in sorted(entries, key=lambda e: e.row_number):
        earlier = None
        for digest in filter(None, (entry.passport_digest, entry.phone_digest)):
            earlier = earlier or first.get(digest)
            first.setdefault(digest, entry.id)
        if entry.duplicate_of_id != earlier:
            entry.duplicate_of_id = earlier
        count += earlier is not None
    return count


def _mark_registry(session: Session, actor: Actor, entries: list[RosterEntry]) -> int:
    """Record on each entry the registry persons *in the importer's scope* carrying its
    passport or phone exactly (a person outside it is never matched, so the count and the
    flag say nothing about records the importer may not see)."""
    digests = [d for e in entries for d in (e.passport_digest, e.phone_digest) if d]
    holders = interventions.registry_holders(session, actor=actor, digests=digests)
    count = 0
    for entry in entries:
        found: set[int] = set().union(
            *(holders.get(d, set()) for d in (entry.passport_digest, entry.phone_digest) if d)
        )
        matches = [str(p) for p in sorted(found - {entry.person_id})]
        if entry.registry_person_ids != matches:
            entry.registry_person_ids = matches
        count += bool(matches)
    return count


def _take(
    session: Session,
    number: int,
    raw: dict[str, Any],
    today: date,
    intervention_id: int,
    existing: dict[str, RosterEntry],
    seen: dict[str, int],
    report: ImportReport,
) -> None:
    """Check one row; keep it (new or updated), or report it (errors, a repeated row)."""
    checked = check_row(number, raw, today)
    if isinstance(checked, list):
        report.errors += checked
    elif checked.key in seen:
        report.repeated_rows.append((number, seen[checked.key]))
    else:
        seen[checked.key] = number
        new = _store(existing.get(checked.key), checked, intervention_id, report)
        if new is not None:
            session.add(new)
            existing[checked.key] = new


def import_rows(
    session: Session,
    *,
    actor: Actor,
    intervention_id: int,
    rows: Iterable[tuple[int, dict[str, Any]]],
    today: date | None = None,
) -> ImportReport:
    """Keep every valid row (new rows added, known rows updated), report the rest."""
    interventions.for_write(session, actor=actor, intervention_id=intervention_id)
    today, report = today or date.today(), ImportReport()
    existing = {
        e.row_key: e
        for e in session.scalars(
            select(RosterEntry).where(RosterEntry.intervention_id == intervention_id)
        )
    }
    seen: dict[str, int] = {}
    for number, raw in rows:
        if any(_text(v) for v in raw.values()):
            report.rows += 1
            _take(session, number, raw, today, intervention_id, existing, seen, report)
    session.flush()
    _finish(session, actor, intervention_id, list(existing.values()), report)
    return report


def _finish(
    session: Session,
    actor: Actor,
    intervention_id: int,
    entries: list[RosterEntry],
    report: ImportReport,
) -> None:
    report.duplicates = _mark_duplicates(entries)
    report.in_registry = _mark_registry(session, actor, entries)
    session.flush()
    audit(
        session,
        actor=actor,
        action="roster.import",
        entity_type="intervention",
        entity_id=intervention_id,
        after={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "refused": len({e.row for e in report.errors}),
            "repeated": len(report.repeated_rows),
            "duplicates": report.duplicates,
            "in_registry": report.in_registry,
        },
    )


def import_file(
    session: Session,
    *,
    actor: Actor,
    intervention_id: int,
    data: bytes,
    filename: str,
    today: date | None = None,
    limits: RosterLimits | None = None,
) -> ImportReport:
    """Import a roster file (CSV or XLSX, first sheet, first row the column names)."""
    interventions.for_write(session, actor=actor, intervention_id=intervention_id)
    return import_rows(
        session,
        actor=actor,
        intervention_id=intervention_id,
        rows=list(read_table(data, filename, limits)),  # refused whole before any write
        today=today,
    )

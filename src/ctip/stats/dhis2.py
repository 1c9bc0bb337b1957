"""Figures as a DHIS2 aggregate ``dataValueSets`` file, for a configurable mapping.

The mapping (JSON or YAML; ``CTIP_DHIS2_MAPPING`` or ``--mapping``) names DHIS2's ids:

    orgUnits: {national: <uid>, KH-1: <uid>, ...}
    dataValues:
      - {figure: cases.total, dataElement: <uid>, categoryOptionCombo: <uid>}
      - {figure: cases.by_exploitation_type, row: ForcedLabour, dataElement: <uid>, ...}

``figure`` is a metric of ``ctip.stats.definitions``; ``row``/``column`` pick a cell of a
breakdown (default: the table's total). Periods are DHIS2's: ``2024``, ``2024Q1``, ``202401``.

Who gets what: national readers the national figures and every mapped province; a provincial
officer their province only; a viewer the national figures of the year's latest public
release (protected figures only, so yearly periods only). A suppressed figure is left out.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_role
from ctip.config import Settings
from ctip.errors import FieldError, ValidationFailed
from ctip.reference import PROVINCE_CODES
from ctip.stats.definitions import METRICS
from ctip.stats.engine import Period, annual_tables
from ctip.stats.publication_service import latest_release, published_tables
from ctip.stats.tables import TOTAL_COLUMN, Table

NATIONAL = "national"
EXPORTERS = ("admin", "secretariat", "provincial_officer", "viewer")
_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|(0[1-9]|1[0-2]))?$")


def parse_period(text: str) -> Period:
    """A DHIS2 period id (``2024``, ``2024Q1``, ``202401``) as a range of days."""
    match = _PERIOD.match(text.strip())
    if match is None:
        raise ValidationFailed.single(
            "period", "unknown period %(value)s; use 2024, 2024Q1 or 202401", value=text
        )
    year, quarter, month = int(match[1]), match[2], match[3]
    if quarter:
        first = 3 * (int(quarter) - 1) + 1
        return Period(date(year, first, 1), _month_end(year, first + 2))
    if month:
        return Period(date(year, int(month), 1), _month_end(year, int(month)))
    return Period.year(year)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Entry:
    """One mapped figure: which cell of which table goes to which data element."""

    figure: str
    data_element: str
    category_option_combo: str
    row: str | None = None
    column: str | None = None
    attribute_option_combo: str | None = None


@dataclass(frozen=True)
class DhisMapping:
    org_units: dict[str, str]
    entries: list[Entry]


_METRIC_IDS = frozenset(m.id for m in METRICS)


def _entry(raw: Any, row: int) -> tuple[Entry | None, list[FieldError]]:
    if not isinstance(raw, Mapping):
        return None, [FieldError("dataValues", "each entry must be a mapping", row=row)]
    errors = []
    figure = str(raw.get("figure", ""))
    if figure not in _METRIC_IDS:
        errors.append(FieldError("figure", "unknown figure %(value)s", {"value": figure}, row))
    for name in ("dataElement", "categoryOptionCombo"):
        if not str(raw.get(name, "")).strip():
            errors.append(FieldError(name, "a DHIS2 id is required", row=row))
    if errors:
        return None, errors
    entry = Entry(
        figure,
        str(raw["dataElement"]).strip(),
        str(raw["categoryOptionCombo"]).strip(),
        str(raw["row"]) if raw.get("row") is not None else None,
        str(raw["column"]) if raw.get("column") is not None else None,
        str(raw["attributeOptionCombo"]) if raw.get("attributeOptionCombo") else None,
    )
    return entry, []


def parse_mapping(data: Any) -> DhisMapping:
    """Check a mapping document; every mistake names its field and entry (row)."""
    if not isinstance(data, Mapping):
        raise ValidationFailed.single("mapping", "the mapping must be a JSON or YAML object")
    units = data.get("orgUnits")
    errors: list[FieldError] = []
    if not isinstance(units, Mapping) or not units:
        errors.append(FieldError("orgUnits", "map national and provinces to DHIS2 org units"))
        units = {}
    for key in units:
        if key != NATIONAL and key not in PROVINCE_CODES:
            errors.append(FieldError("orgUnits", "unknown province %(value)s", {"value": key}))
    entries: list[Entry] = []
    raw_entries = data.get("dataValues")
    if not isinstance(raw_entries, list) or not raw_entries:
        errors.append(FieldError("dataValues", "list the figures to export"))
        raw_entries = []
    for row, raw in enumerate(raw_entries, start=1):
        entry, problems = _entry(raw, row)
        errors += problems
        if entry is not None:
            entries.append(entry)
    if errors:
        raise ValidationFailed(errors)
    return DhisMapping({str(k): str(v) for k, v in units.items()}, entries)


def load_mapping(path: Path) -> DhisMapping:
    """Read a mapping file (``.json``, else YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ValidationFailed.single("mapping", "cannot read %(path)s", path=str(path))
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError):
        raise ValidationFailed.single(
            "mapping", "%(path)s is not valid JSON or YAML", path=str(path)
        )
    return parse_mapping(data)


def figure(table: Table, entry: Entry) -> int | float | None:
    """The cell an entry points at: a row (and column) of a breakdown, else the total."""
    if entry.row is None and entry.column is None:
        return table.value
    if entry.row is None:
        if entry.column not in table.columns:
            return 0
        return table.col_totals[table.columns.index(entry.column)]
    if entry.row not in table.rows:
        return 0  # a code with no cases is absent from the table
    if entry.column is None:
        i = table.rows.index(entry.row)
        return table.row_totals[i] if table.columns != [TOTAL_COLUMN] else table.cells[i][0]
    return table.get(entry.row, entry.column, 0)


def data_values(
    tables_by_unit: Mapping[str, Mapping[str, Table]], mapping: DhisMapping, period: str
) -> list[dict[str, str]]:
    """DHIS2 data values for every mapped org unit and figure (suppressed ones left out)."""
    out = []
    for unit, tables in tables_by_unit.items():
        for entry in mapping.entries:
            table = tables.get(entry.figure)
            value = None if table is None else figure(table, entry)
            if value is None:
                continue
            item = {
                "dataElement": entry.data_element,
                "period": period,
                "orgUnit": mapping.org_units[unit],
                "categoryOptionCombo": entry.category_option_combo,
                "value": str(round(value, 1) if isinstance(value, float) else value),
            }
            if entry.attribute_option_combo:
                item["attributeOptionCombo"] = entry.attribute_option_combo
            out.append(item)
    return out


def _tables_for(
    session: Session, actor: Actor, settings: Settings, period: Period, units: list[str]
) -> dict[str, dict[str, Table]]:
    out = {}
    for unit in units:
        report = annual_tables(
            session=session,
            actor=actor,
            settings=settings,
            start=period.start,
            end=period.end,
            province=None if unit == NATIONAL else unit,
        )
        out[unit] = report.tables
    return out


def _viewer_tables(
    session: Session, period_text: str, period: Period
) -> dict[str, dict[str, Table]]:
    if not period.is_year:
        raise ValidationFailed.single(
            "period",
            "published figures exist for whole years only, not %(value)s",
            value=period_text,
        )
    release = latest_release(session, year=period.start.year)
    if release is None:
        raise ValidationFailed.single(
            "period", "no public release of %(year)s yet", year=period.start.year
        )
    return {NATIONAL: published_tables(release)}


def export(
    session: Session, *, actor: Actor, settings: Settings, period: str, mapping: DhisMapping
) -> dict[str, Any]:
    """The ``dataValueSets`` document of ``period`` within the actor's scope; audited."""
    require_role(actor, *EXPORTERS)
    span = parse_period(period)
    if actor.role == "viewer":
        tables = _viewer_tables(session, period, span)
        tables = {u: t for u, t in tables.items() if u in mapping.org_units}
    else:
        if actor.role == "provincial_officer":
            units = [u for u in mapping.org_units if u == actor.province]
        else:
            units = list(mapping.org_units)
        tables = _tables_for(session, actor, settings, span, units)
    values = data_values(tables, mapping, period.strip())
    record(
        session,
        actor=actor,
        action="export.dhis2",
        detail=f"period={period.strip()} units={','.join(tables) or '-'} values={len(values)}",
    )
    return {"dataValues": values}

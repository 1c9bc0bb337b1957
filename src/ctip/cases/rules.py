"""Rules on case, role and event fields (pure): each returns the field errors it finds.

Codes follow the standards exactly (HTCDS, ISIC, ISO 3166), so exports need no mapping.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ctip.errors import FieldError
from ctip.reference import (
    BORDER_CROSSING_CODES,
    CUSTODY_STATUSES,
    DECIDING_ORG_TYPES,
    EVENT_TYPES,
    EXPLOITATION_TYPES,
    FORCED_LABOUR_SUBTYPES,
    ISIC_SECTIONS,
    METHODS_OF_CONTROL,
    OFFENDER_ROLES,
    PERPETRATOR_ROLES,
    PERSON_ROLES,
    PROVINCE_CODES,
    RECRUITMENT_APPS,
    RECRUITMENT_METHODS,
    TRAFFICKING_STATUSES,
    VICTIM_CONTEXT_ROLES,
    countries,
)

COUNTRY_FIELDS = ("origin_countries", "transit_countries", "exploitation_countries")
# Timeline events recorded by hand; status changes are written only by transitions.
TIMELINE_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t != "status_change")
VICTIM_FIELDS = (
    "trafficking_status",
    "status_decided_by",
    "status_decided_on",
    "methods_of_control",
    "recruitment_method",
    "recruitment_apps",
)
OFFENDER_FIELDS = ("role_in_process", "custody_status", "arrested_on")
# Trafficking statuses that are decisions, so the deciding organisation type must be named.
DECIDED_STATUSES = frozenset({"ActualVictimOfTrafficking", "NotAVictimOfTrafficking"})
EARLIEST = date(1990, 1, 1)


def _unknown(field: str, value: str) -> FieldError:
    return FieldError(field, "unknown code %(value)s", {"value": value})


def code_errors(
    field: str, value: str | None, allowed: tuple[str, ...] | frozenset[str]
) -> list[FieldError]:
    """An error when ``value`` is set and not one of ``allowed``."""
    return [_unknown(field, value)] if value and value not in allowed else []


def list_errors(field: str, values: list[str] | None, allowed: Any) -> list[FieldError]:
    """An error naming every value of ``values`` that is not one of ``allowed``."""
    bad = [v for v in values or [] if v not in allowed]
    return [_unknown(field, ", ".join(bad))] if bad else []


def date_errors(field: str, value: date | None, today: date) -> list[FieldError]:
    """A date may not lie in the future nor before 1990."""
    if value is None:
        return []
    if value > today:
        return [
            FieldError(field, "the date %(value)s is in the future", {"value": value.isoformat()})
        ]
    if value < EARLIEST:
        return [
            FieldError(field, "the date %(value)s is before 1990", {"value": value.isoformat()})
        ]
    return []


def province_errors(field: str, value: str | None) -> list[FieldError]:
    if value and value not in PROVINCE_CODES:
        return [FieldError(field, "unknown province code %(value)s", {"value": value})]
    return []


def case_errors(values: dict[str, Any], today: date) -> list[FieldError]:
    """Errors in the case fields present in ``values`` (a new case or a change)."""
    errors: list[FieldError] = []
    if "title" in values and not (values["title"] or "").strip():
        errors.append(FieldError("title", "required"))
    if "opened_on" in values and values["opened_on"] is None:
        errors.append(FieldError("opened_on", "required"))
    errors += province_errors("province", values.get("province"))
    errors += date_errors("opened_on", values.get("opened_on"), today)
    errors += list_errors(
        "exploitation_types", values.get("exploitation_types"), EXPLOITATION_TYPES
    )
    errors += code_errors(
        "forced_labour_subtype", values.get("forced_labour_subtype"), FORCED_LABOUR_SUBTYPES
    )
    errors += code_errors("industry", values.get("industry"), ISIC_SECTIONS)
    for name in COUNTRY_FIELDS:
        errors += list_errors(name, values.get(name), countries())
    return errors


def subtype_errors(types: list[str], subtype: str | None) -> list[FieldError]:
    """A forced-labour sub-type (online-scam forced criminality ...) needs forced labour."""
    if subtype and "ForcedLabour" not in types:
        return [
            FieldError(
                "forced_labour_subtype",
                "a forced-labour sub-type needs the exploitation type forced labour",
            )
        ]
    return []


def _wrong_side(role: str, values: dict[str, Any]) -> list[FieldError]:
    errors = []
    if role not in VICTIM_CONTEXT_ROLES:
        errors += [FieldError(f, "only for victims") for f in VICTIM_FIELDS if values.get(f)]
    if role not in OFFENDER_ROLES:
        errors += [
            FieldError(f, "only for suspects and brokers") for f in OFFENDER_FIELDS if values.get(f)
        ]
    return errors


def _victim_errors(values: dict[str, Any], today: date) -> list[FieldError]:
    errors = code_errors(
        "trafficking_status", values.get("trafficking_status"), TRAFFICKING_STATUSES
    )
    errors += code_errors("status_decided_by", values.get("status_decided_by"), DECIDING_ORG_TYPES)
    if values.get("trafficking_status") in DECIDED_STATUSES and not values.get("status_decided_by"):
        errors.append(
            FieldError(
                "status_decided_by",
                "name the type of organisation that decided the trafficking status",
            )
        )
    errors += date_errors("status_decided_on", values.get("status_decided_on"), today)
    errors += list_errors(
        "methods_of_control", values.get("methods_of_control"), METHODS_OF_CONTROL
    )
    errors += code_errors(
        "recruitment_method", values.get("recruitment_method"), RECRUITMENT_METHODS
    )
    errors += list_errors("recruitment_apps", values.get("recruitment_apps"), RECRUITMENT_APPS)
    return errors


def participant_errors(role: str, values: dict[str, Any], today: date) -> list[FieldError]:
    """Errors in a role and its HTCDS details (victim details only for victims, and so on)."""
    if role not in PERSON_ROLES:
        return [
            FieldError(
                "role",
                "unknown role %(value)s; one of %(allowed)s",
                {"value": role, "allowed": ", ".join(PERSON_ROLES)},
            )
        ]
    errors = _wrong_side(role, values) + _victim_errors(values, today)
    errors += code_errors("role_in_process", values.get("role_in_process"), PERPETRATOR_ROLES)
    errors += code_errors("custody_status", values.get("custody_status"), CUSTODY_STATUSES)
    errors += date_errors("arrested_on", values.get("arrested_on"), today)
    return errors


def place_errors(values: dict[str, Any]) -> list[FieldError]:
    """Errors in the parts of a place: province, country and border-crossing codes, lat/lon."""
    errors = province_errors("province", values.get("province"))
    errors += code_errors("border_crossing", values.get("border_crossing"), BORDER_CROSSING_CODES)
    errors += list_errors(
        "country", [values["country"]] if values.get("country") else [], countries()
    )
    lat, lon = values.get("lat"), values.get("lon")
    if lat is not None and not -90 <= lat <= 90:
        errors.append(FieldError("lat", "a latitude lies between -90 and 90"))
    if lon is not None and not -180 <= lon <= 180:
        errors.append(FieldError("lon", "a longitude lies between -180 and 180"))
    return errors


def event_errors(values: dict[str, Any], today: date) -> list[FieldError]:
    """Errors in a timeline event: its type, date and place."""
    errors = code_errors("event_type", values.get("event_type"), TIMELINE_EVENT_TYPES)
    errors += date_errors("occurred_on", values.get("occurred_on"), today)
    return errors + place_errors(values)

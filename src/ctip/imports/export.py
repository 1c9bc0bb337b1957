"""The registry as HTCDS: cases, persons, victim and perpetrator contexts and trafficking
events under HTCDS field names, one sheet per table, plus a ``Case Sheet`` in the official
template's column order (one row per person in a case) that CTIP imports back without loss.

Scoped like every read (cases the actor may see, roles they may see on them); every export is
one audit entry. Cells are written through ``ctip.spreadsheets`` so no name runs as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_role, visible_cases, visible_participants
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.cases.timeline import events_shown
from ctip.errors import ValidationFailed
from ctip.identifiers.models import Identifier
from ctip.imports.fields import ALL_COLUMNS, LABELS
from ctip.imports.models import SourceRecord
from ctip.persons.models import Person
from ctip.persons.service import split_aliases
from ctip.reference import PROVINCE_CODES
from ctip.spreadsheets import csv_safe, xlsx_append

FORMATS = ("xlsx", "csv")
EXPORTERS = ("admin", "secretariat", "provincial_officer", "investigator", "ngo_caseworker")
CASE_SHEET = "Case Sheet"
TABLES: dict[str, tuple[str, ...]] = {
    "cases": (
        "cas_CaseId",
        "cas_Province",
        "cas_OpenedOn",
        "cas_Title",
        "cas_Summary",
        "cas_Status",
        "vic_TypeOfExploitation",
        "vic_ForcedLabourIndustry",
        "cas_ForcedLabourSubtype",
        "cas_OriginCountries",
        "cas_TransitCountries",
        "cas_ExploitationCountries",
    ),
    "persons": (
        "prs_PersonId",
        "prs_FirstName",
        "prs_SecondName",
        "prs_NameKm",
        "prs_Aliases",
        "prs_Gender",
        "prs_Birthdate",
        "prs_EstimatedAge",
        "prs_Citizenship",
        "prs_Address",
        "prs_MobilePhone",
        "prs_Email",
        "prs_PassportNumber",
        "prs_NationalId",
    ),
    "victims": (
        "cas_CaseId",
        "prs_PersonId",
        "vic_TraffickingStatus",
        "vic_TraffickingStatusDecisionMakingOrg",
        "vic_TraffickingStatusDecisionDate",
        "vic_MethodsOfControl",
        "vic_MethodOfRecruitment",
        "vic_RecruitmentWebsitesAndApps",
    ),
    "perpetrators": (
        "cas_CaseId",
        "prs_PersonId",
        "per_Role",
        "per_RoleInProcess",
        "per_CustodyStatus",
        "per_ArrestDate",
    ),
    "events": ("cas_CaseId", "hte_Type", "hte_Date", "hte_Place", "prs_PersonId"),
}
HTE_TYPES = {
    "recruitment": "Recruitment",
    "transit": "Transit",
    "exploitation": "Exploitation",
    "border_crossing": "Transit",
}
IDENTIFIER_COLUMNS = {
    "phone": "prs_MobilePhone",
    "email": "prs_Email",
    "passport": "prs_PassportNumber",
    "national_id": "prs_NationalId",
}


@dataclass(frozen=True)
class ExportFilters:
    opened_from: date | None = None
    opened_to: date | None = None
    province: str | None = None


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value) or None
    if isinstance(value, date):
        return value.isoformat()
    return value if value not in ("", None) else None


def _cases(session: Session, actor: Actor, filters: ExportFilters) -> list[Case]:
    query = select(Case).where(visible_cases(actor))
    if filters.province:
        query = query.where(Case.province == filters.province)
    if filters.opened_from:
        query = query.where(Case.opened_on >= filters.opened_from)
    if filters.opened_to:
        query = query.where(Case.opened_on <= filters.opened_to)
    return list(session.scalars(query.order_by(Case.opened_on, Case.id)))


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "cas_CaseId": case.reference,
        "cas_Province": case.province,
        "cas_OpenedOn": case.opened_on,
        "cas_Title": case.title,
        "cas_Summary": case.summary,
        "vic_TypeOfExploitation": case.exploitation_types,
        "vic_ForcedLabourIndustry": case.industry,
        "cas_ForcedLabourSubtype": case.forced_labour_subtype,
        "cas_OriginCountries": case.origin_countries,
        "cas_TransitCountries": case.transit_countries,
        "cas_ExploitationCountries": case.exploitation_countries,
    }


def _person_values(person: Person, idents: list[Identifier]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "prs_PersonId": person.id,
        "prs_FirstName": person.given_name,
        "prs_SecondName": person.family_name,
        "prs_NameKm": person.name_km,
        "prs_Aliases": "\n".join(split_aliases(person.aliases)) or None,
        "prs_Gender": person.gender,
        "prs_Birthdate": person.date_of_birth,
        "prs_EstimatedAge": person.estimated_age,
        "prs_Citizenship": person.nationalities,
        "prs_Address": person.address,
    }
    for ident in idents:
        column = IDENTIFIER_COLUMNS.get(ident.id_type)
        if column:
            values[column] = ";".join(filter(None, (values.get(column), ident.raw)))
    return values


def _link_values(link: CasePerson) -> dict[str, Any]:
    return {
        "per_Role": link.role,
        "vic_TraffickingStatus": link.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": link.status_decided_by,
        "vic_TraffickingStatusDecisionDate": link.status_decided_on,
        "vic_MethodsOfControl": link.methods_of_control,
        "vic_MethodOfRecruitment": link.recruitment_method,
        "vic_RecruitmentWebsitesAndApps": link.recruitment_apps,
        "per_RoleInProcess": link.role_in_process,
        "per_CustodyStatus": link.custody_status,
        "per_ArrestDate": link.arrested_on,
    }


@dataclass
class HtcdsExport:
    """Rows per sheet, under HTCDS field names."""

    sheets: dict[str, list[dict[str, Any]]]
    cases: int
    persons: int


def collect(session: Session, *, actor: Actor, filters: ExportFilters) -> HtcdsExport:
    """Everything the actor may see, as HTCDS rows (audited as one ``export``)."""
    require_role(actor, *EXPORTERS)
    if filters.province and filters.province not in PROVINCE_CODES:
        raise ValidationFailed.single(
            "province", "unknown province code %(value)s", value=filters.province
        )
    cases = _cases(session, actor, filters)
    by_id = {c.id: c for c in cases}
    links = _links(session, actor, list(by_id))
    person_ids = sorted({link.person_id for link in links})
    idents = _identifiers(session, person_ids)
    extras = _extras(session, [link.id for link in links])
    sheets: dict[str, list[dict[str, Any]]] = {CASE_SHEET: [], **{t: [] for t in TABLES}}
    sheets["cases"] = [{**_case_values(c), "cas_Status": c.status} for c in cases]
    seen: set[int] = set()
    for link in links:
        case, person = by_id[link.case_id], link.person
        person_values = _person_values(person, idents.get(person.id, []))
        link_values = _link_values(link)
        if person.id not in seen:
            sheets["persons"].append(person_values)
            seen.add(person.id)
        ids = {"cas_CaseId": case.reference, "prs_PersonId": person.id}
        target = "victims" if link.role == "victim" else "perpetrators"
        sheets[target].append({**ids, **link_values})
        row = {**extras.get(link.id, {}), **_case_values(case), **person_values, **link_values}
        sheets[CASE_SHEET].append(row)
    staffed = {link.case_id for link in links}
    sheets[CASE_SHEET] += [_case_values(c) for c in cases if c.id not in staffed]
    sheets["events"] = _events(session, actor, list(by_id), by_id)
    record(
        session,
        actor=actor,
        action="export",
        entity_type="case",
        detail=f"HTCDS: {len(cases)} cases, {len(seen)} persons",
        after={"format": "htcds", "cases": len(cases), "persons": len(seen)},
    )
    return HtcdsExport(sheets, len(cases), len(seen))


def _links(session: Session, actor: Actor, case_ids: list[int]) -> list[CasePerson]:
    out: list[CasePerson] = []
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        out += session.scalars(
            select(CasePerson)
            .where(CasePerson.case_id.in_(chunk), visible_participants(actor))
            .order_by(CasePerson.case_id, CasePerson.id)
        )
    return out


def _identifiers(session: Session, person_ids: list[int]) -> dict[int, list[Identifier]]:
    out: dict[int, list[Identifier]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        for ident in session.scalars(
            select(Identifier).where(Identifier.person_id.in_(chunk)).order_by(Identifier.id)
        ):
            out.setdefault(ident.person_id or 0, []).append(ident)
    return out


def _extras(session: Session, link_ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(link_ids), 500):
        chunk = link_ids[start : start + 500]
        for link_id, extra in session.execute(
            select(SourceRecord.participant_id, SourceRecord.extra).where(
                SourceRecord.participant_id.in_(chunk), SourceRecord.extra.is_not(None)
            )
        ):
            if link_id is not None and extra:
                out[link_id] = json.loads(extra)
    return out


def _events(
    session: Session, actor: Actor, case_ids: list[int], by_id: dict[int, Case]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        for event in session.scalars(
            select(CaseEvent)
            .where(
                CaseEvent.case_id.in_(chunk),
                CaseEvent.event_type.in_(HTE_TYPES),
                events_shown(actor),  # as the timeline: not events about hidden roles
            )
            .order_by(CaseEvent.case_id, CaseEvent.occurred_on)
        ):
            place = event.location
            rows.append(
                {
                    "cas_CaseId": by_id[event.case_id].reference,
                    "hte_Type": HTE_TYPES[event.event_type],
                    "hte_Date": event.occurred_on,
                    "hte_Place": (place.place_name or place.province or place.country)
                    if place
                    else None,
                    "prs_PersonId": event.person_id,
                }
            )
    return rows


def _columns(sheet: str) -> list[str | None]:
    if sheet == CASE_SHEET:
        return [None] + [name for name, _ in ALL_COLUMNS]
    return list(TABLES[sheet])


def _table(sheet: str, rows: Iterable[dict[str, Any]]) -> Iterable[list[Any]]:
    columns = _columns(sheet)
    yield columns
    yield [LABELS.get(c, c) if c else None for c in columns]
    for n, row in enumerate(rows, start=1):
        yield [n if c is None else _cell(row.get(c)) for c in columns]


def to_xlsx(export: HtcdsExport) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    book.remove(book.active)
    for name, rows in export.sheets.items():
        sheet = book.create_sheet(name)
        for values in _table(name, rows):
            xlsx_append(sheet, values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv_zip(export: HtcdsExport) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in export.sheets.items():
            text = io.StringIO()
            writer = csv.writer(text)
            for values in _table(name, rows):
                writer.writerow(["" if v is None else csv_safe(v) for v in values])
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8-sig"))
    return out.getvalue()


def render(export: HtcdsExport, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValidationFailed.single(
            "format",
            "unknown format %(value)s; one of %(allowed)s",
            value=fmt,
            allowed=", ".join(FORMATS),
        )
    return to_xlsx(export) if fmt == "xlsx" else to_csv_zip(export)

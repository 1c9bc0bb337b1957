"""A filled HTCDS 2.0 template for trying the Import page: synthetic people from the seeded
demo generator, written in the official column layout, with three rows that are wrong.

The sample holds ``SAMPLE_ROWS`` (45) person rows forming ``SAMPLE_CASES`` (42) cases: 39
cases of one victim and 3 cases of two. The second row of each two-victim case carries one
realistic error, so the preview shows 42 cases, 42 good persons and 3 rows with errors:

- a bad date: ``Birthdate`` holds ``31/02/…`` (there is no 31 February);
- an unknown vocabulary value: ``Trafficking Status`` holds ``Probable victim``;
- a missing required field: ``First Name`` and ``Second Name`` are empty (a person needs a name).

People come from demo case indices starting at ``SAMPLE_START`` (far beyond what
``ctip demo load`` writes), so the sample's people are not the loaded demo records — except
the few the generator makes recur across cases, which the preview reports as likely the same.
The template has no province column: the importer's province (or ``--province``) applies.
Pure function of the seed: the same seed gives the same bytes' content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook

from ctip.demo.generator import BLOCK, Generator
from ctip.demo.plans import CasePlan, Participation
from ctip.imports.fields import LABELS, published_header_rows

SAMPLE_CASES = 42
SAMPLE_PAIRS = 3
SAMPLE_ROWS = SAMPLE_CASES + SAMPLE_PAIRS
SAMPLE_ERRORS = 3
SAMPLE_START = 10 * BLOCK
DEFAULT_SEED = 2024
SHEET = "Sheet1"
FIRST_DATA_ROW = 3  # row 1: field names, row 2: labels
_OWNERS = ("Sok Dara", "Chan Vanna", "Keo Sophea", "Lim Rithy")
_TOWNS = ("Poipet", "Serei Saophoan", "Mongkol Borei", "Thma Puok")


@dataclass(frozen=True)
class SampleError:
    """One planted error: the sheet row and the column (as the template labels it)."""

    row: int
    column: str
    kind: str  # date | vocabulary | missing


def _named_victims(case: CasePlan) -> list[Participation]:
    return [
        p for p in case.participations if p.role == "victim" and (p.record.given or p.record.family)
    ]


def _cases(seed: int) -> list[tuple[CasePlan, list[Participation]]]:
    """42 cases with their victims: the first three with two named victims get two rows."""
    out: list[tuple[CasePlan, list[Participation]]] = []
    pairs = 0
    for case in Generator(seed).cases(SAMPLE_START, SAMPLE_START + BLOCK):
        victims = _named_victims(case)
        if not victims:
            continue
        take = 2 if len(victims) >= 2 and pairs < SAMPLE_PAIRS else 1
        if take == 1 and len(out) >= SAMPLE_CASES - (SAMPLE_PAIRS - pairs):
            continue  # keep the last places for two-victim cases
        pairs += take == 2
        out.append((case, victims[:take]))
        if len(out) == SAMPLE_CASES:
            break
    return out


def _day(value: date | None, style: int) -> Any:
    """Dates as spreadsheets hold them: a real date cell, or day-first text."""
    if value is None:
        return None
    return value if style % 2 else value.strftime("%d/%m/%Y")


def _status(case: CasePlan) -> str:
    return "Closed" if "closed" in case.status.lower() else "Active"


def _row(case: CasePlan, person: Participation, n: int) -> dict[str, Any]:
    """One template row by HTCDS field name."""
    record = person.record
    phones = [i.raw for i in record.identifiers if i.id_type == "phone"]
    mails = [i.raw for i in record.identifiers if i.id_type == "email"]
    return {
        "cas_CaseOwner": _OWNERS[case.index % len(_OWNERS)],
        "prs_FirstName": record.given,
        "prs_SecondName": record.family,
        "prs_Birthdate": _day(record.date_of_birth, n),
        "prs_Gender": record.gender,
        "prs_Citizenship": record.entity.nationality,
        "prs_Email": mails[0] if mails else None,
        "prs_MobilePhone": "; ".join(phones) or None,
        "prs_MailingCity": _TOWNS[case.index % len(_TOWNS)],
        "prs_MailingState": "Banteay Meanchey",
        "prs_MailingCountry": "Cambodia",
        "vic_TraffickingStatus": person.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": person.status_decided_by,
        "vic_MethodOfRecruitment": person.recruitment_method,
        "vic_MethodsOfControl": "; ".join(person.methods_of_control) or None,
        "vic_TypeOfExploitation": "; ".join(case.exploitation_types) or None,
        "vic_ForcedLabourIndustry": case.industry,
        "cas_Status": _status(case),
        "cas_ReferringOrganisation": case.reporting_org,
        "cas_IncomingReferralDate": _day(case.opened_on, case.index),
        "cas_IncomingReferralDetails": f"Sample case {case.index - SAMPLE_START + 1}",
    }


def _break(row: dict[str, Any], kind: str, born: date | None) -> str:
    """Plant one error of ``kind`` in ``row``; the field it names."""
    if kind == "date":
        row["prs_Birthdate"] = f"31/02/{(born or date(1998, 1, 1)).year}"
        return "prs_Birthdate"
    if kind == "vocabulary":
        row["vic_TraffickingStatus"] = "Probable victim"
        return "vic_TraffickingStatus"
    row["prs_FirstName"] = row["prs_SecondName"] = None
    return "prs_FirstName"


def sample_rows(seed: int = DEFAULT_SEED) -> tuple[list[dict[str, Any]], list[SampleError]]:
    """The sample's rows (by field name) and the errors planted in them."""
    rows: list[dict[str, Any]] = []
    errors: list[SampleError] = []
    kinds = iter(("date", "vocabulary", "missing"))
    for case, victims in _cases(seed):
        for i, person in enumerate(victims):
            row = _row(case, person, len(rows))
            if i == 1:
                kind = next(kinds)
                name = _break(row, kind, person.record.date_of_birth)
                errors.append(SampleError(FIRST_DATA_ROW + len(rows), LABELS[name], kind))
            rows.append(row)
    return rows, errors


def sample_xlsx(seed: int = DEFAULT_SEED) -> bytes:
    """The sample as an .xlsx workbook in the official template layout."""
    rows, _ = sample_rows(seed)
    names, labels = published_header_rows()
    by_label = {label: name for name, label in LABELS.items()}
    fields = [by_label.get(label) if label else None for label in labels]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(names)
    sheet.append(labels)
    for n, row in enumerate(rows, start=1):
        sheet.append([n] + [row.get(f) if f else None for f in fields[1:]])
    for n in range(len(rows) + 1, len(rows) + 11):  # the template's numbered empty rows
        sheet.append([n])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Files shaped like the HTCDS 2.0 template, Kobo and ODK exports, built from the documented
field names (no real data)."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from openpyxl import Workbook

from ctip.imports.fields import TEMPLATE_COLUMNS

# The template's field-name row as IOM publishes it: the mailing names in another order than
# their labels, the misspelt decision-making field, one nameless column.
TEMPLATE_NAMES: list[str | None] = [None] + [n for n, _ in TEMPLATE_COLUMNS]
TEMPLATE_LABELS: list[str | None] = [None] + [label for _, label in TEMPLATE_COLUMNS]
_MAILING_NAMES = [
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
]
_MAILING_LABELS = [
    "Mailing Street",
    "Mailing City",
    "Mailing State/Province",
    "Mailing Zip/Postal Code",
    "Mailing Country",
]
_AT = TEMPLATE_NAMES.index("prs_MailingCity")
TEMPLATE_NAMES[_AT : _AT + 5] = _MAILING_NAMES
TEMPLATE_LABELS[_AT : _AT + 5] = _MAILING_LABELS
TEMPLATE_NAMES[TEMPLATE_NAMES.index("vic_TraffickingStatusDecisionMakingOrg")] = (
    "vic_TraffickinStatusDecisionMakingOrg"
)
TEMPLATE_NAMES[TEMPLATE_NAMES.index("cas_ReasonForOutgoingReferral")] = None


def person(i: int, **overrides: Any) -> dict[str, Any]:
    """One template row by *label* (what a person filling the sheet reads)."""
    row: dict[str, Any] = {
        "Case Owner": f"Officer {i // 2}",
        "First Name": f"Given{i}",
        "Second Name": f"Family{i}",
        "Birthdate": f"{1990 + i % 20}-0{1 + i % 9}-1{i % 10}",
        "Gender": "Feminine" if i % 2 else "Masculine",
        "Citizenship": "KH",
        "Mobile Phone": f"012 {100000 + i:06d}",
        "Mailing Street": f"Street {i}",
        "Mailing City": "Poipet",
        "Trafficking Status": "Possible victim of trafficking",
        "Trafficking Status Decision Making Organization": "Police",
        "Methods of Control": "Debt bondage ; Physical threats",
        "Type of Exploitation": "Forced labour",
        "Status": "Active",
        "Incoming Referral Date": f"2024-02-{1 + (i // 2) % 27:02d}",
        "Referring Organisation": "Border police",
    }
    row.update(overrides)
    return row


def template_xlsx(
    rows: list[dict[str, Any]], sheet: str = "Sheet1", filler: int = 3, about: str | None = None
) -> bytes:
    """An HTCDS template workbook: names, labels, the rows, then running numbers only."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(TEMPLATE_NAMES)
    ws.append(TEMPLATE_LABELS)
    for n, row in enumerate(rows, start=1):
        ws.append([n] + [row.get(label) if label else None for label in TEMPLATE_LABELS[1:]])
        if "Reason for Outgoing Referral" in row:
            ws.cell(
                ws.max_row,
                TEMPLATE_LABELS.index("Reason for Outgoing Referral") + 1,
                row["Reason for Outgoing Referral"],
            )
    for n in range(len(rows) + 1, len(rows) + 1 + filler):
        ws.append([n])
    if about:
        book.create_sheet("about").append([about])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_sheets(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()

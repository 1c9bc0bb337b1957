"""Referral lists of an intervention, per nationality (for embassies) and per service
(shelter, medical, legal, repatriation), as data, XLSX and PDF.

A person is on the lists when their latest screening is ``presumed_victim`` or
``possible_victim``; on a service list when that screening says the service is needed. The PDF
is set in the Khmer font with text shaping (HarfBuzz), so Khmer headings and names render
correctly. Every export is audited.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import Actor
from ctip.cases.models import Case
from ctip.errors import ValidationFailed
from ctip.i18n import label_in, translate
from ctip.reference import countries
from ctip.screening import interventions
from ctip.screening.decision import age_on
from ctip.screening.flags import VICTIM_RESULTS
from ctip.screening.models import RosterEntry
from ctip.spreadsheets import xlsx_append

LIST_SERVICES = ("shelter", "medical", "legal", "repatriation")
FORMATS = ("xlsx", "pdf")
COLUMNS = ("No.", "Name", "Sex", "Age", "Nationality", "Passport", "Phone", "Result", "Services")
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class ListRow:
    row_number: int
    name: str
    gender: str
    age: int | None
    nationality: str
    passport: str
    phone: str
    result: str
    services: list[str]


@dataclass
class ReferralLists:
    """The lists of one intervention, with what identifies it on paper."""

    intervention_id: int
    case_reference: str
    place: str
    occurred_on: date
    by_nationality: dict[str, list[ListRow]] = field(default_factory=dict)
    by_service: dict[str, list[ListRow]] = field(default_factory=dict)


def _age(entry: RosterEntry, on: date) -> int | None:
    return age_on(entry.date_of_birth, on) if entry.date_of_birth else entry.age


def referral_lists(session: Session, *, actor: Actor, intervention_id: int) -> ReferralLists:
    """Presumed and possible victims of an intervention, grouped by nationality and service."""
    intervention = interventions.get(session, actor=actor, intervention_id=intervention_id)
    reference = session.scalar(select(Case.reference).where(Case.id == intervention.case_id))
    lists = ReferralLists(
        intervention.id,
        reference or "",
        intervention.place,
        intervention.occurred_on,
        {},
        {s: [] for s in LIST_SERVICES},
    )
    latest = interventions.latest_results(session, intervention_id)
    entries = session.scalars(
        select(RosterEntry)
        .where(RosterEntry.intervention_id == intervention_id)
        .order_by(RosterEntry.row_number)
    )
    for entry in entries:
        screening = latest.get(entry.id)
        if screening is None or screening.result not in VICTIM_RESULTS:
            continue
        row = ListRow(
            entry.row_number,
            interventions.entry_name(entry),
            entry.gender,
            _age(entry, intervention.occurred_on),
            entry.nationality or "??",
            entry.passport or "",
            entry.phone or "",
            screening.result,
            list(screening.services_needed),
        )
        lists.by_nationality.setdefault(row.nationality, []).append(row)
        for service in row.services:
            lists.by_service.setdefault(service, []).append(row)
    lists.by_nationality = dict(sorted(lists.by_nationality.items()))
    return lists


def _cells(row: ListRow, language: str) -> list[str]:
    return [
        str(row.row_number),
        row.name,
        label_in(row.gender, language),
        "" if row.age is None else str(row.age),
        _country(row.nationality, language),
        row.passport,
        row.phone,
        label_in(row.result, language),
        ", ".join(label_in(s, language) for s in row.services),
    ]


def _country(code: str, language: str) -> str:
    return countries(language).get(code) or countries().get(code) or code


def _groups(lists: ReferralLists, language: str) -> list[tuple[str, list[ListRow]]]:
    """(title, rows) per nationality and then per service."""
    groups = [
        (f"{code} - {_country(code, language)}", rows)
        for code, rows in lists.by_nationality.items()
    ]
    groups += [
        (translate("Service: %(service)s", language, service=label_in(s, language)), rows)
        for s, rows in lists.by_service.items()
    ]
    return groups


def _title(lists: ReferralLists, language: str) -> str:
    return translate(
        "Referral lists - %(place)s, %(date)s - case %(reference)s",
        language,
        place=lists.place,
        date=lists.occurred_on.isoformat(),
        reference=lists.case_reference,
    )


def to_xlsx(lists: ReferralLists, language: str = "en") -> bytes:
    """One sheet per nationality and per service, a header row of translated column names."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for index, (title, rows) in enumerate(_groups(lists, language), start=1):
        safe = "".join(c for c in title if c not in "[]:*?/\\")
        sheet = book.create_sheet(f"{index} {safe}"[:31])
        xlsx_append(sheet, [_title(lists, language)])
        xlsx_append(sheet, [translate(c, language) for c in COLUMNS])
        for row in rows:  # names, passports and phones are typed text: never formulas
            xlsx_append(sheet, _cells(row, language))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_table(pdf: FPDF, rows: list[ListRow], language: str) -> None:
    widths = (10, 50, 22, 12, 35, 30, 35, 35, 48)
    heading = FontFace(emphasis="", fill_color=(225, 230, 240))
    with pdf.table(
        col_widths=widths, text_align="LEFT", line_height=7, headings_style=heading
    ) as table:
        header = table.row()
        for column in COLUMNS:
            header.cell(translate(column, language))
        for row in rows:
            line = table.row()
            for cell in _cells(row, language):
                line.cell(cell)


def _fonts(pdf: FPDF, font: Path | None) -> None:
    """The Khmer font, shaped as Khmer script (HarfBuzz picks the script from the first
    letter otherwise, and a Latin first letter would leave Khmer unshaped)."""
    if font is None:
        pdf.set_font("helvetica", size=9)
        return
    pdf.add_font("khmer", fname=str(font))
    if FALLBACK_FONT.exists():
        pdf.add_font("fallback", fname=str(FALLBACK_FONT))
        pdf.set_fallback_fonts(["fallback"])
    pdf.set_font("khmer", size=9)
    pdf.set_text_shaping(use_shaping_engine=True, script="khmr", language="km")


def to_pdf(lists: ReferralLists, font: Path | None, language: str = "en") -> bytes:
    """An A4 landscape PDF, one section per nationality and per service, in the Khmer font
    with HarfBuzz text shaping (Latin falls back to DejaVu Sans where installed)."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    _fonts(pdf, font)
    pdf.add_page()
    pdf.set_font_size(14)
    pdf.multi_cell(0, 9, _title(lists, language), new_x="LMARGIN", new_y="NEXT")
    for title, rows in _groups(lists, language):
        pdf.set_font_size(12)
        pdf.multi_cell(0, 9, f"{title} ({len(rows)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(9)
        if rows:
            _pdf_table(pdf, rows, language)
        pdf.ln(4)
    return bytes(pdf.output())


def export(
    session: Session,
    *,
    actor: Actor,
    intervention_id: int,
    fmt: str,
    font: Path | None = None,
    language: str = "en",
) -> bytes:
    """The referral lists as ``xlsx`` or ``pdf``; the export is audited."""
    if fmt not in FORMATS:
        raise ValidationFailed.single("format", "unknown format %(value)s", value=fmt)
    lists = referral_lists(session, actor=actor, intervention_id=intervention_id)
    data = to_xlsx(lists, language) if fmt == "xlsx" else to_pdf(lists, font, language)
    audit(
        session,
        actor=actor,
        action="export",
        entity_type="intervention",
        entity_id=intervention_id,
        detail=f"referral lists {fmt} ({language})",
        after={"persons": sum(len(r) for r in lists.by_nationality.values())},
    )
    return data

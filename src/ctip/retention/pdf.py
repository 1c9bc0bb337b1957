"""Everything held about one person as a PDF (for a court or the person), Khmer shaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fpdf import FPDF

from ctip.i18n import translate
from ctip.screening.exports import _fonts as khmer_pdf_fonts


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _block(pdf: FPDF, title: str, row: dict[str, Any]) -> None:
    pdf.set_font_size(11)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(8)
    for key in sorted(row):
        pdf.multi_cell(0, 4.5, f"{key}: {_text(row[key])}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def to_pdf(doc: dict[str, Any], font: Path | None, language: str = "en") -> bytes:
    """An A4 PDF of ``export_person``'s document: the person, the cases, every record."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=14)
    khmer_pdf_fonts(pdf, font)
    pdf.add_page()
    pdf.set_font_size(15)
    person_id = doc["person"]["id"]
    title = translate("Everything held about person %(id)s", language, id=person_id)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)
    made = translate(
        "Exported %(at)s by %(user)s; kept until %(until)s.",
        language,
        at=doc["exported_at"],
        user=doc["exported_by"],
        until=doc.get("retain_until") or "—",
    )
    pdf.multi_cell(0, 5, made, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _block(pdf, translate("Person", language), doc["person"])
    for case in doc["cases"]:
        _block(pdf, translate("Case %(id)s", language, id=case["id"]), case)
    for table, rows in sorted(doc["records"].items()):
        for n, row in enumerate(rows, start=1):
            _block(pdf, f"{table} {n}/{len(rows)}", row)
    return bytes(pdf.output())

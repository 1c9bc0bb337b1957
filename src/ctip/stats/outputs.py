"""The annual report as files: PDF (Khmer shaped by HarfBuzz, charts drawn, page numbers,
the definitions annex), XLSX and CSV tables, JSON and a self-contained HTML page.

Every file is written from one ``Report``; nothing is fetched from the internet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont
from openpyxl import Workbook

from ctip.i18n import translate
from ctip.screening.exports import _fonts as khmer_pdf_fonts
from ctip.spreadsheets import csv_safe, xlsx_append
from ctip.stats.charts import Chart, charts_for
from ctip.stats.definitions import BY_ID, METRICS
from ctip.stats.engine import Report
from ctip.stats.report import PERSON_BASIS, code_label, report_json
from ctip.stats.tables import Figure

FORMATS = ("pdf", "html", "xlsx", "csv", "json")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _(message: str) -> str:
    return message


HEAD = (_("Figure"), _("This period"), _("Previous period"), _("Change"), _("Unit"))


def title(report: Report, language: str) -> str:
    from ctip.reference import province_name

    where = (
        province_name(report.province, language)
        if report.province
        else translate("National", language)
    )
    return translate(
        "Annual review %(period)s — %(where)s", language, period=report.period.label, where=where
    )


def _show(value: Figure) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _signed(value: Figure) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + _show(value)


def headline_rows(report: Report, language: str) -> list[list[str]]:
    """One row per headline figure: title, figure, previous, change, unit."""
    return [
        [
            translate(BY_ID[key].title, language),
            _show(report.figure(key)),
            _show(report.previous.get(key)),
            _signed(report.change(key)),
            translate(BY_ID[key].unit, language),
        ]
        for key in report.headlines
    ]


# -- PDF -------------------------------------------------------------------------------------


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class _ReportPDF(FPDF):
    """Shaping (HarfBuzz) only where the text needs it: plain ASCII (numbers, codes, English)
    is set without it, which makes a report several times faster to write. Where it does
    (Khmer), each distinct text is shaped once per font and size (a label recurs in the
    tables, the charts and the annex, and fpdf2 shapes a text to measure it and again to
    draw it), and text with no right-to-left letter skips the bidirectional algorithm."""

    footer_text = ""

    def memoise_shaping(self) -> None:
        """Remember each font's shaping results for this document (call after add_font)."""
        for font in self.fonts.values():
            if type(font) is TTFFont:
                font.__class__ = _RememberingFont
                _SHAPED[id(font)] = {}

    def forget_shaping(self) -> None:
        for font in self.fonts.values():
            _SHAPED.pop(id(font), None)

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Any:
        if not self.text_shaping or _RTL.search(text):
            return super()._preload_bidirectional_text(text, markdown)
        self.text_shaping["paragraph_direction"] = TextDirection.LTR
        self.text_shaping["fragment_direction"] = TextDirection.LTR
        return self._preload_font_styles(text, markdown)

    def cell(self, *args: Any, **kwargs: Any) -> Any:
        text = kwargs.get("text", args[2] if len(args) > 2 else "")
        if not self.text_shaping or not str(text).isascii():
            return super().cell(*args, **kwargs)
        saved, self.text_shaping = self.text_shaping, None
        try:
            return super().cell(*args, **kwargs)
        finally:
            self.text_shaping = saved

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        if not self.text_shaping or not s.isascii():
            return super().get_string_width(s, normalized, markdown)
        saved, self.text_shaping = self.text_shaping, None
        try:
            return super().get_string_width(s, normalized, markdown)
        finally:
            self.text_shaping = saved

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font_size(8)
        self.cell(0, 8, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="C")


_SHAPED: dict[int, dict[tuple[Any, ...], Any]] = {}  # per font object of a document


def _key(kind: str, text: str, size: float, params: dict[str, Any] | None) -> tuple[Any, ...]:
    return (kind, text, size, tuple(sorted((k, repr(v)) for k, v in (params or {}).items())))


class _RememberingFont(TTFFont):
    """A document's font that shapes each (text, size, parameters) once."""

    __slots__ = ()

    def shape_text(self, text: str, font_size_pt: float, text_shaping_params: Any) -> Any:
        seen = _SHAPED.setdefault(id(self), {})
        key = _key("shape", text, font_size_pt, text_shaping_params)
        if key not in seen:
            seen[key] = super().shape_text(text, font_size_pt, text_shaping_params)
        return seen[key]

    def shaped_text_width(self, text: str, font_size_pt: float, text_shaping_params: Any) -> Any:
        seen = _SHAPED.setdefault(id(self), {})
        key = _key("width", text, font_size_pt, text_shaping_params)
        if key not in seen:
            seen[key] = super().shaped_text_width(text, font_size_pt, text_shaping_params)
        return seen[key]


def to_pdf(report: Report, font: Path | None, language: str = "en") -> bytes:
    """An A4 PDF of the report in ``language``, Khmer shaped with HarfBuzz."""
    pdf = _ReportPDF(format="A4")
    pdf.footer_text = title(report, language)
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    khmer_pdf_fonts(pdf, font)
    pdf.memoise_shaping()
    try:
        return _write_pdf(pdf, report, language)
    finally:
        pdf.forget_shaping()


def _write_pdf(pdf: _ReportPDF, report: Report, language: str) -> bytes:
    pdf.set_font_size(16)
    _line(pdf, 0, 9, title(report, language))
    pdf.set_font_size(9)
    for line in _preamble(report, language):
        _line(pdf, 0, 5, line)
    pdf.ln(2)
    _pdf_grid(pdf, [translate(h, language) for h in HEAD], headline_rows(report, language))
    for chart in charts_for(report, language):
        _pdf_chart(pdf, chart)
    if report.previous_goals:
        _pdf_goals(pdf, report.previous_goals, language)
    pdf.add_page()
    pdf.set_font_size(13)
    pdf.cell(0, 8, translate("Annex: definitions", language), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(8)
    for m in METRICS:
        pdf.set_font_size(9)
        _line(pdf, 0, 5, f"{translate(m.title, language)} ({translate(m.unit, language)})")
        pdf.set_font_size(8)
        _line(pdf, 0, 4.5, m.definition(language))
        _line(
            pdf,
            0,
            4.5,
            translate("Denominator", language) + ": " + translate(m.denominator, language),
        )
        pdf.ln(1)
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines that fit ``width`` at the current font, at spaces (a word
    longer than a line is cut). Each word is shaped and measured once (Khmer clusters never
    cross a space), where fpdf2's own line breaking shapes every character."""
    measure = _measurer(pdf)
    space = measure(" ")
    lines: list[str] = []
    current, used = "", 0.0
    for word in text.split(" "):
        size = measure(word)
        if current and used + space + size <= width:
            current, used = f"{current} {word}", used + space + size
            continue
        if current:
            lines.append(current)
        while size > width and len(word) > 1:
            cut = max(1, int(len(word) * width / size) - 1)
            lines.append(word[:cut])
            word = word[cut:]
            size = measure(word)
        current, used = word, size
    lines.append(current)
    return lines


def _measurer(pdf: FPDF) -> Callable[[str], float]:
    """Width of a text at the current font and size, remembered per document."""
    cache: dict[tuple[str, float, str], float] = pdf.__dict__.setdefault("_ctip_widths", {})
    key_font, key_size = pdf.font_family, pdf.font_size_pt

    def measure(text: str) -> float:
        key = (key_font, key_size, text)
        if key not in cache:
            cache[key] = pdf.get_string_width(text)
        return cache[key]

    return measure


def _line(pdf: FPDF, w: float, h: float, text: str) -> None:
    """A paragraph, the cursor back at the left margin on the next line."""
    width = w or (pdf.w - pdf.l_margin - pdf.r_margin)
    for line in _wrap(pdf, text, width):
        pdf.cell(width, h, line, new_x="LMARGIN", new_y="NEXT")


def _preamble(report: Report, language: str) -> list[str]:
    lines = [
        translate(
            "Data as of %(when)s (analytic copy, %(how)s).",
            language,
            when=report.freshness.refreshed_at.strftime("%Y-%m-%d %H:%M UTC"),
            how=report.freshness.loader,
        ),
        translate(PERSON_BASIS[report.person_basis], language),
        translate("Definitions version %(v)s.", language, v=report.definitions_version),
    ]
    if report.empty:
        lines.append(
            translate(
                "No case was opened in this period within your scope: every figure is zero.",
                language,
            )
        )
    return lines


GRID_WIDTHS = (80.0, 26.0, 26.0, 22.0, 26.0)
GRID_ALIGN = ("L", "R", "R", "R", "L")


def _pdf_grid(pdf: FPDF, head: list[str], rows: list[list[str]]) -> None:
    """A bordered table, the first row shaded; cells wrap within their column."""
    pdf.set_font_size(8)
    line_h = 4.5
    for index, row in enumerate([head, *rows]):
        wrapped = [_wrap(pdf, cell, w - 2) for cell, w in zip(row, GRID_WIDTHS, strict=True)]
        height = line_h * max(len(lines) for lines in wrapped) + 1
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
        x, y = pdf.l_margin, pdf.get_y()
        for lines, w, align in zip(wrapped, GRID_WIDTHS, GRID_ALIGN, strict=True):
            if index == 0:
                pdf.set_fill_color(225, 230, 240)
                pdf.rect(x, y, w, height, style="DF")
            else:
                pdf.rect(x, y, w, height)
            for n, text in enumerate(lines):
                pdf.set_xy(x + 1, y + 0.5 + n * line_h)
                pdf.cell(w - 2, line_h, text, align=align)
            x += w
        pdf.set_xy(pdf.l_margin, y + height)


def _pdf_chart(pdf: FPDF, chart: Chart) -> None:
    needed = 10 + 6 * max(1, len(chart.bars))
    if pdf.get_y() + needed > pdf.h - 20:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font_size(11)
    pdf.cell(0, 7, chart.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(8)
    top = max((v for _, v in chart.bars), default=0) or 1
    left, label_w, span = pdf.l_margin, 55.0, 100.0
    for label, value in chart.bars:
        y = pdf.get_y()
        pdf.set_xy(left, y)
        pdf.cell(label_w - 2, 5, label, align="R")
        pdf.set_fill_color(31, 95, 139)
        pdf.rect(left + label_w, y + 0.8, max(0.5, span * value / top), 3.6, style="F")
        pdf.set_xy(left + label_w + span * value / top + 1.5, y)
        pdf.cell(20, 5, f"{value:g}")
        pdf.set_xy(left, y + 5.5)


def _pdf_goals(pdf: FPDF, goals: list[dict[str, Any]], language: str) -> None:
    pdf.ln(3)
    pdf.set_font_size(11)
    pdf.cell(0, 7, translate("Last year's goals", language), new_x="LMARGIN", new_y="NEXT")
    rows = [
        [
            g["title"],
            g["comparison"] + " " + _show(g["target"]),
            _show(g["figure"]),
            translate(g["status_label"], language),
            g.get("province") or "",
        ]
        for g in goals
    ]
    head = [
        translate(h, language)
        for h in (_("Goal"), _("Target"), _("Figure"), _("Status"), _("Province"))
    ]
    _pdf_grid(pdf, head, rows)


# -- spreadsheets ----------------------------------------------------------------------------


def _long_rows(report: Report, language: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for key, table in report.tables.items():
        name = translate(table.title_msgid, language)
        for row, column, value in table.records():
            rows.append(
                [
                    key,
                    name,
                    code_label(table.row_dim, row, language) if table.row_dim else "",
                    column,
                    value,
                    table.unit,
                ]
            )
    return rows


LONG_HEAD = (_("Metric"), _("Title"), _("Row"), _("Column"), _("Value"), _("Unit"))


def to_csv(report: Report, language: str = "en") -> bytes:
    """Every table in long form, one cell a line (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([translate(h, language) for h in LONG_HEAD])
    for row in _long_rows(report, language):
        writer.writerow([csv_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report, language: str = "en") -> bytes:
    """A workbook: headline figures, every table in long form, and the definitions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "headline"
    xlsx_append(sheet, [title(report, language)])
    xlsx_append(sheet, [translate(h, language) for h in HEAD])
    for row in headline_rows(report, language):
        xlsx_append(sheet, list(row))
    tables = book.create_sheet("tables")
    xlsx_append(tables, [translate(h, language) for h in LONG_HEAD])
    for row in _long_rows(report, language):
        xlsx_append(tables, row)
    annex = book.create_sheet("definitions")
    for m in METRICS:
        xlsx_append(
            annex,
            [
                m.id,
                translate(m.title, language),
                m.unit,
                m.definition(language),
                translate(m.denominator, language),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json_bytes(report: Report, language: str = "en") -> bytes:
    return json.dumps(report_json(report, language), ensure_ascii=False, indent=1).encode()


def render_file(
    report: Report, fmt: str, *, language: str, font: Path | None, html: str = ""
) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``); ``html`` is the rendered page for html."""
    if fmt == "pdf":
        return to_pdf(report, font, language)
    if fmt == "xlsx":
        return to_xlsx(report, language)
    if fmt == "csv":
        return to_csv(report, language)
    if fmt == "json":
        return to_json_bytes(report, language)
    return html.encode()

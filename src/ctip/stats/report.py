"""The report as data: the JSON every output is written from, and the labels of its codes.

``report_json`` is what ``/api/v1/stats/annual`` answers and ``--format json`` writes; the
page, the PDF and the spreadsheets read the same ``Report``.
"""

from __future__ import annotations

from typing import Any

from ctip.api_types import utc_text
from ctip.i18n import label_in, translate
from ctip.reference import countries, province_name
from ctip.stats.definitions import METRICS, VERSION
from ctip.stats.engine import Report
from ctip.stats.tables import Figure, Table

GROUPS = ("cases", "victims", "suspects", "nonpunishment")


def _(message: str) -> str:
    return message


SECTION_TITLES = {
    "cases": _("Cases"),
    "victims": _("Victims"),
    "suspects": _("Suspects and prosecutions"),
    "nonpunishment": _("Non-punishment"),
    "durations": _("Time to justice"),
}
PERSON_BASIS = {
    "records": _("Victims counted as person records (no record linkage has run)."),
    "linkage": _("Victims counted as resolved persons from the latest record-linkage run."),
}
EMPTY_NOTICE = _("No case was opened in this period within your scope: every figure is zero.")


def code_label(dimension: str | None, code: str, language: str) -> str:
    """A row or column code as words: provinces and countries by name, vocabulary codes by
    their catalogue label, duration groups by what they group."""
    if code.startswith("province:"):
        return province_name(code.split(":", 1)[1], language)
    if code.startswith("type:"):
        return label_in(code.split(":", 1)[1], language)
    if code == "all":
        return translate("All cases", language)
    if dimension == "province":
        return province_name(code, language)
    if dimension == "country":
        return countries(language).get(code, code)
    if dimension == "age_band":
        return code
    return label_in(code, language)


def _section(table: Table) -> Any:
    if table.is_scalar:
        return table.value
    if table.col_dim is None:
        return table.as_dict()
    return {
        row: dict(zip(table.columns, values, strict=True))
        for row, values in zip(table.rows, table.cells, strict=True)
    }


def _duration(table: Table) -> dict[str, Any]:
    def stats(values: list[Figure]) -> dict[str, Figure]:
        return {"cases": values[0], "median": values[1], "p90": values[2]}

    rows = dict(zip(table.rows, table.cells, strict=True))
    overall = stats(rows.get("all", [0, None, None]))
    return {
        **overall,
        "by_province": {
            k.split(":", 1)[1]: stats(v) for k, v in rows.items() if k.startswith("province:")
        },
        "by_type": {k.split(":", 1)[1]: stats(v) for k, v in rows.items() if k.startswith("type:")},
    }


def report_json(report: Report, language: str = "en") -> dict[str, Any]:
    """The report as JSON-ready data (see ``docs/statistics.md`` for the layout)."""
    data: dict[str, Any] = {
        "year": report.period.start.year if report.period.is_year else None,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "province": report.province,
        "empty": report.empty,
        "notice": translate(EMPTY_NOTICE, language) if report.empty else None,
        "data_as_of": utc_text(report.freshness.refreshed_at.replace(microsecond=0)),
        "analytic_copy": {
            "loader": report.freshness.loader,
            "rebuilt": report.freshness.rebuilt,
            "rows_read": report.freshness.rows_added,
            "seconds": round(report.freshness.seconds, 3),
        },
        "person_basis": report.person_basis,
        "stalled_days": report.stalled_days,
        "definitions_version": report.definitions_version or VERSION,
    }
    for group in GROUPS:
        data[group] = {}
    data["durations"] = {}
    for key, table in report.tables.items():
        group, name = key.split(".", 1)
        if group == "durations":
            data["durations"][name] = _duration(table)
        else:
            data[group][name] = _section(table)
    data["previous"] = {key: report.previous.get(key) for key in report.headlines}
    data["change"] = {key: report.change(key) for key in report.headlines}
    data["tables"] = [table.to_json() for table in report.tables.values()]
    data["definitions"] = [
        {
            "id": m.id,
            "title": translate(m.title, language),
            "unit": m.unit,
            "definition": m.definition(language),
            "denominator": translate(m.denominator, language),
            "multi_select": m.multi_select,
        }
        for m in METRICS
    ]
    data["goals"] = report.goals
    data["previous_goals"] = report.previous_goals
    return data

"""The report as one self-contained HTML document (for ``--format html`` outside the app)."""

from __future__ import annotations

from html import escape

from ctip.i18n import translate
from ctip.stats.charts import charts_for, svg
from ctip.stats.definitions import METRICS
from ctip.stats.engine import Report
from ctip.stats.outputs import HEAD, headline_rows, title


def standalone_html(report: Report, language: str) -> str:
    """Headline figures, charts (inline SVG) and the definitions annex; no external file."""
    head = "".join(f"<th>{escape(translate(h, language))}</th>" for h in HEAD)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
        for row in headline_rows(report, language)
    )
    charts = "".join(
        f"<section><h3>{escape(c.title)}</h3>{svg(c)}</section>"
        for c in charts_for(report, language)
    )
    annex = "".join(
        f"<dt>{escape(translate(m.title, language))} ({escape(translate(m.unit, language))})</dt>"
        f"<dd>{escape(m.definition(language))}</dd>"
        for m in METRICS
    )
    name = escape(title(report, language))
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{name}</title><style>body{{font-family:'Khmer OS','Noto Sans Khmer',sans-serif;"
        "max-width:60em;margin:auto;padding:1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em}</style></head><body>"
        f"<h1>{name}</h1><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"{charts}<h2>{escape(translate('Annex: definitions', language))}</h2><dl>{annex}</dl>"
        "</body></html>"
    )

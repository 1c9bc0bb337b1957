"""Charts drawn on the server: horizontal bar charts as SVG for the page, and the same chart
data drawn natively in the PDF (``ctip.stats.outputs``). Labels are in the report's language;
the SVG scales to the screen width, so it reads on a phone."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ctip.i18n import translate
from ctip.stats.engine import Report
from ctip.stats.queries import AGE_BANDS
from ctip.stats.report import code_label

CHARTED = (
    "cases.by_exploitation_type",
    "cases.by_province",
    "cases.by_border_crossing",
    "victims.by_sex",
    "victims.by_age_band",
    "victims.by_nationality",
    "victims.by_recruitment_app",
    "victims.by_means_of_control",
    "victims.referred",
)
MAX_BARS = 12
BAR, GAP, LABEL_W, WIDTH = 24, 6, 180, 420
COLOURS = ("#1f5f8b", "#2e7d6b")


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[tuple[str, float]]


def charts_for(report: Report, language: str) -> list[Chart]:
    """The report's charts: the largest ``MAX_BARS`` rows of each charted table."""
    charts = []
    for key in CHARTED:
        table = report.tables[key]
        counts = table.as_dict()
        if table.row_dim == "age_band":  # bands in their own order, not by size
            pairs = [(band, counts[band]) for band in AGE_BANDS if band in counts]
        else:
            pairs = sorted(counts.items(), key=lambda kv: -(kv[1] or 0))[:MAX_BARS]
        bars = [(code_label(table.row_dim, code, language), float(n or 0)) for code, n in pairs]
        charts.append(Chart(key, translate(table.title_msgid, language), bars))
    return charts


def svg(chart: Chart) -> str:
    """A horizontal bar chart as an inline SVG element (no script, no external resource)."""
    height = max(1, len(chart.bars)) * (BAR + GAP) + GAP
    top = max((v for _, v in chart.bars), default=0) or 1
    span = WIDTH - LABEL_W - 50
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(chart.title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:40em" '
        'preserveAspectRatio="xMinYMin meet" '
        f'data-chart="{escape(chart.key)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(chart.title)}</title>",
    ]
    if not chart.bars:
        parts.append(f'<text x="4" y="{BAR}" font-size="14">—</text>')
    for i, (label, value) in enumerate(chart.bars):
        y = GAP + i * (BAR + GAP)
        w = max(1.0, span * value / top)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR * 0.7:.0f}" text-anchor="end" font-size="15" '
            f'font-family="Khmer OS, Noto Sans Khmer, sans-serif">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}" '
            f'fill="{COLOURS[i % 2]}"/>'
            f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR * 0.7:.0f}" font-size="15">'
            f"{value:g}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

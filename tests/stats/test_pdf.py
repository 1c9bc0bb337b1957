"""The Khmer PDF is shaped: the glyphs only HarfBuzz's Khmer shaping produces (subscript
consonant forms after a coeng) are the ones embedded, not the naive one-glyph-per-letter forms."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from ctip.auth.scope import SYSTEM
from ctip.stats.engine import annual_tables
from ctip.stats.outputs import to_pdf
from ctip.web.fonts import khmer_font

TITLE = "ការពិនិត្យប្រចាំឆ្នាំ"  # "Annual review": coeng + TA, coeng + NYO


def _outline(font: TTFont, name: str) -> tuple:
    glyph = font["glyf"][name]
    if not glyph.numberOfContours:
        return ()
    return tuple(map(tuple, glyph.getCoordinates(font["glyf"])[0]))


def _shaped_only(path: Path, text: str) -> set[str]:
    """Glyph names HarfBuzz picks for ``text`` that no single letter maps to."""
    original = TTFont(path)
    order, cmap = original.getGlyphOrder(), original.getBestCmap()
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf)
    return {order[g.codepoint] for g in buf.glyph_infos} - {cmap[ord(c)] for c in text}


def _embedded_outlines(pdf: bytes) -> set[tuple]:
    found: set[tuple] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if data[:4] == b"\x00\x01\x00\x00":
            subset = TTFont(io.BytesIO(data))
            found |= {_outline(subset, n) for n in subset.getGlyphOrder()}
    return found


def test_khmer_report_pdf_embeds_shaped_glyphs(db, stats_settings, make_case):
    font = khmer_font(stats_settings)
    if font is None:
        pytest.skip("no Khmer font installed (Debian's fonts-khmeros)")
    make_case()
    report = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    pdf = to_pdf(report, font, "km")
    shaped = _shaped_only(font, TITLE)
    assert shaped, "the font has no contextual Khmer forms to check"
    original = TTFont(font)
    embedded = _embedded_outlines(pdf)
    assert {_outline(original, name) for name in shaped} <= embedded
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 2

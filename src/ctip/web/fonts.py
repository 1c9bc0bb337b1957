"""Locating a Khmer font: for browsers without one, and for PDF reports."""

from __future__ import annotations

from pathlib import Path

from ctip.config import Settings

# Debian's fonts-khmeros and fonts-noto-core install these.
CANDIDATES = (
    "/usr/share/fonts/truetype/khmeros/KhmerOS.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOSsys.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf",
)


def khmer_font(settings: Settings) -> Path | None:
    """The configured Khmer font, else the first installed one, else None."""
    if settings.khmer_font is not None:
        return settings.khmer_font if settings.khmer_font.exists() else None
    for candidate in CANDIDATES:
        path = Path(candidate)
        if path.exists():
            return path
    return None

"""Fonts for scripts a browser may lack (Khmer for the registry; Thai and Chinese for the
public offer checker), served from ``/static/fonts/`` as the stylesheet's fallback, and the
Khmer font for PDF reports. Found among Debian's font packages (``fonts-khmeros``,
``fonts-thai-tlwg``, ``fonts-noto-cjk``), never downloaded."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, Response

from ctip.config import Settings

# Debian's fonts-khmeros and fonts-noto-core install these.
CANDIDATES = (
    "/usr/share/fonts/truetype/khmeros/KhmerOS.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOSsys.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf",
)
# Script → (served file name, media type, candidate files, fontconfig family to ask for).
SCRIPTS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "khmer": ("khmer.ttf", "font/ttf", CANDIDATES, "Khmer OS"),
    "thai": (
        "thai.ttf",
        "font/ttf",
        (
            "/usr/share/fonts/truetype/tlwg/Garuda.ttf",
            "/usr/share/fonts/opentype/tlwg/Garuda.otf",
            "/usr/share/fonts/truetype/tlwg/Loma.ttf",
            "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
        ),
        "Garuda",
    ),
    "cjk": (
        "cjk.otf",
        "font/otf",
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        ),
        "Noto Sans CJK SC",
    ),
}
CACHE = "public, max-age=604800"


def _fontconfig(family: str) -> Path | None:
    """The file fontconfig picks for ``family``, if it really is that family."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", family],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found, _, file = out.partition("|")
    return Path(file) if family.lower() in found.lower() and file else None


def find_font(script: str) -> Path | None:
    """An installed font for ``script`` (``khmer``, ``thai``, ``cjk``), else None."""
    _, _, candidates, family = SCRIPTS[script]
    for candidate in candidates:
        path = Path(candidate)
        if path.exists():
            return path
    return _fontconfig(family)


def khmer_font(settings: Settings) -> Path | None:
    """The configured Khmer font, else the first installed one, else None."""
    if settings.khmer_font is not None:
        return settings.khmer_font if settings.khmer_font.exists() else None
    return find_font("khmer")


def install(app: FastAPI, settings: Settings) -> None:
    """Serve ``/static/fonts/{khmer.ttf,thai.ttf,cjk.otf}`` (404 when none is installed)."""
    files = {"khmer": khmer_font(settings), "thai": find_font("thai"), "cjk": find_font("cjk")}
    for script, (name, media, _, _) in SCRIPTS.items():
        _route(app, f"/static/fonts/{name}", files[script], media)


def _route(app: FastAPI, url: str, path: Path | None, media: str) -> None:
    @app.get(url, include_in_schema=False)
    def font() -> Response:
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, media_type=media, headers={"Cache-Control": CACHE})

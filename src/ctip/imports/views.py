"""The Import page: upload, preview (fix cells, map columns), import; and the HTCDS export.

Uploads are parsed in sync route functions, which FastAPI runs in its thread pool, so a large
workbook never blocks the event loop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from ctip.api_types import IsoDate
from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.errors import DomainError, NotFound, ValidationFailed
from ctip.imports import export, mappings, service, uploads
from ctip.imports.api import api_router, size_guard
from ctip.imports.fields import FIELDS, LABELS
from ctip.imports.sources import SOURCES
from ctip.imports.uploads import Upload
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep, get_settings
from ctip.web.gates import requires
from ctip.web.render import form_errors, render

router = APIRouter(include_in_schema=False)
__all__ = ["api_router", "router"]
PREVIEW_ROWS = 200
ENCODINGS = ("", "utf-8", "utf-8-sig", "utf-16", "cp1252")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _index(
    request: Request, actor: Actor, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    return render(
        request,
        "imports/index.html",
        {
            "sources": SOURCES,
            "encodings": ENCODINGS,
            "errors": errors or {},
            "own_province": actor.province if actor.role == "provincial_officer" else None,
            "sample": not get_settings(request).is_production,
        },
        status_code=status_code,
    )


@router.get("/import", dependencies=[requires("cases.read")])
def import_page(request: Request, actor: ActorDep) -> Response:
    return _index(request, actor)


def _preview(
    session: Session, actor: Actor, settings: Settings, upload: Upload, data: bytes
) -> service.Preview:
    """The preview of a kept upload with what the user chose and corrected so far."""
    return service.preview(
        session,
        actor=actor,
        settings=settings,
        data=data,
        filename=upload.filename,
        source=upload.source,
        province=upload.province,
        mapping=upload.mapping,
        columns=upload.columns,
        corrections=upload.corrections(),
        encoding=upload.encoding,
    )


def _preview_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Settings,
    upload: Upload,
    data: bytes,
    status_code: int = 200,
) -> Response:
    try:
        found = _preview(session, actor, settings, upload, data)
    except ValidationFailed as exc:
        if upload.source == "csv" and any(e.template.startswith("no column") for e in exc.errors):
            return _mapping_page(request, upload, data, form_errors(exc))
        uploads.delete(settings, upload.token)
        return _index(request, actor, form_errors(exc), status_code=422)
    shown = [r for i, r in enumerate(found.rows) if i < PREVIEW_ROWS or not r.valid]
    return render(
        request,
        "imports/preview.html",
        {
            "upload": upload,
            "preview": found,
            "summary": found.summary(),
            "rows": shown,
            "hidden": len(found.rows) - len(shown),
            "labels": LABELS,
            "fields": FIELDS,
        },
        status_code=status_code,
    )


def _mapping_page(
    request: Request, upload: Upload, data: bytes, errors: dict[str, str]
) -> Response:
    from ctip.imports import files, sources

    sheets = files.read(
        data,
        upload.filename,
        max_upload_mb=10**6,
        max_uncompressed_mb=10**6,
        encoding=upload.encoding,
    )
    return render(
        request,
        "imports/mapping.html",
        {
            "upload": upload,
            "headers": sources.headers_of(sheets),
            "fields": FIELDS,
            "labels": LABELS,
            "errors": errors,
        },
        status_code=422,
    )


@router.post("/import", dependencies=[requires("cases.read"), Depends(size_guard)])
def upload_file(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep, form: FormDep
) -> Response:
    sent = form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        exc = ValidationFailed.single("file", "choose a file to import")
        return _index(request, actor, form_errors(exc), status_code=422)
    data = sent.file.read(settings.import_max_upload_mb * 1024 * 1024 + 1)
    try:
        service.check_upload(actor=actor, settings=settings, data=data)
    except DomainError as exc:
        return _index(request, actor, form_errors(exc), status_code=422)
    upload = uploads.new(
        settings,
        actor,
        data,
        filename=sent.filename,
        source=_text(form, "source") or "htcds",
        province=_text(form, "province"),
        mapping=_text(form, "mapping"),
        encoding=_text(form, "encoding"),
    )
    return _preview_page(request, session, actor, settings, upload, data)


def _read_fixes(upload: Upload, form: FormData) -> None:
    for key, value in form.multi_items():
        if key.startswith("fix:") and isinstance(value, str):
            _, row, column = key.split(":", 2)
            upload.fixes.setdefault(row, {})[column] = value
        if key.startswith("map:") and isinstance(value, str):
            upload.columns[key[4:]] = value


@router.post("/import/{token}/check")
def check_again(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    form: FormDep,
    token: str,
) -> Response:
    upload, data = uploads.load(settings, actor, token)
    _read_fixes(upload, form)
    name = _text(form, "mapping_name")
    if name:
        mappings.save_mapping(
            session,
            actor=actor,
            name=name,
            province=upload.province or actor.province or "",
            columns=upload.columns,
        )
        upload.mapping = name
    uploads.save(settings, upload, data)
    return _preview_page(request, session, actor, settings, upload, data)


@router.post("/import/{token}/run")
def run_import(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    form: FormDep,
    token: str,
) -> Response:
    upload, data = uploads.load(settings, actor, token)
    _read_fixes(upload, form)
    uploads.save(settings, upload, data)
    found = _preview(session, actor, settings, upload, data)
    skip = _text(form, "skip_invalid") == "1"
    if found.bad_rows and not skip:
        return _preview_page(request, session, actor, settings, upload, data, status_code=422)
    outcome = service.run(session, actor=actor, preview=found, skip_invalid=skip)
    uploads.delete(settings, upload.token)
    cases = sorted(set(outcome.case_ids.values()))
    return render(
        request,
        "imports/done.html",
        {
            "outcome": outcome,
            "upload": upload,
            "rows": sorted(outcome.case_ids.items()),
            "case_count": len(cases),
        },
    )


@router.get("/import/sample.xlsx")
def sample_file(actor: ActorDep, settings: SettingsDep, seed: int = 2024) -> Response:
    """A freshly generated filled HTCDS template of synthetic people (not in production)."""
    from ctip.demo.htcds_sample import sample_xlsx

    if settings.is_production:
        raise NotFound("not found")
    headers = {"Content-Disposition": 'attachment; filename="ctip-htcds-sample.xlsx"'}
    return Response(sample_xlsx(seed), media_type=XLSX, headers=headers)


@router.get("/import/export.{fmt}")
def export_file(
    session: SessionDep,
    actor: ActorDep,
    fmt: str,
    opened_from: IsoDate | None = None,
    opened_to: IsoDate | None = None,
    province: str | None = None,
) -> Response:
    filters = export.ExportFilters(opened_from, opened_to, province or None)
    data = export.render(export.collect(session, actor=actor, filters=filters), fmt)
    media = XLSX if fmt == "xlsx" else "application/zip"
    name = f"ctip-htcds-{date.today().isoformat()}.{'xlsx' if fmt == 'xlsx' else 'zip'}"
    headers: dict[str, Any] = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media, headers=headers)

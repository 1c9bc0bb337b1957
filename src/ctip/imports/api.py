"""The imports JSON API (mounted under ``/api/v1``): preview an upload row by row, import it,
and read a batch's status. Bearer token only; the same roles, scope and limits as the page.

- ``POST /imports/preview`` (multipart: ``file``, ``source``, ``province``, ``mapping``,
  ``encoding``): the preview, kept under a token bound to the caller.
- ``POST /imports/{token}/run`` (JSON: ``skip_invalid``, ``corrections``): the import; a file
  with invalid rows answers 422 naming each row and column unless ``skip_invalid``.
- ``GET /imports/batches/{batch_id}``: what a batch did (its importer and administrators only;
  anyone else gets the same 404 as for a batch that does not exist).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ctip.api_types import UtcDateTime
from ctip.auth.scope import Actor, require_case_writer
from ctip.config import Settings
from ctip.errors import ValidationFailed
from ctip.imports import service, uploads
from ctip.imports.plan import RowPlan
from ctip.imports.uploads import Upload
from ctip.web.deps import ActorDep, SessionDep, SettingsDep

api_router = APIRouter(tags=["imports"])


class ErrorOut(BaseModel):
    detail: Any = Field(description="what is wrong (a list naming field and row for a 422)")


def _error(text: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": text}


ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("no or an invalid bearer token"),
    403: _error("the caller's role cannot import (viewers, NGO case workers, secretariat)"),
    404: _error("no such upload or batch within the caller's reach"),
    422: _error(
        "bad input (a file over the upload limit, not a spreadsheet, invalid rows): each "
        "problem names the field, or the row and the column"
    ),
}


class CellError(BaseModel):
    row: int | None
    column: str
    message: str
    template: str


class IdentifierOut(BaseModel):
    type: str
    raw: str
    normalised: str | None
    problem: str | None


class MatchOut(BaseModel):
    person_id: int
    name: str
    reason: str
    probability: float | None = None


class RowOut(BaseModel):
    row: int
    sheet: str
    state: str = Field(description="new, update, unchanged or error")
    province: str | None
    case_key: str
    existing_case_id: int | None
    role: str
    person: dict[str, Any]
    details: dict[str, Any]
    case: dict[str, Any]
    identifiers: list[IdentifierOut]
    recognised: dict[str, list[str]]
    errors: list[CellError]
    notices: list[str]
    likely_same: list[MatchOut]


class PreviewOut(BaseModel):
    token: str = Field(description="send it to /imports/{token}/run to import this preview")
    source: str
    filename: str
    summary: dict[str, int]
    notices: list[str]
    rows: list[RowOut]


class RunIn(BaseModel):
    skip_invalid: bool = False
    corrections: dict[int, dict[str, str]] = Field(
        default_factory=dict, description="row number → {column as the file calls it: value}"
    )


class RunOut(BaseModel):
    batch_id: int | None
    nothing_new: bool
    counts: dict[str, int]
    case_ids: dict[int, int] = Field(description="row number → case id")


class BatchOut(BaseModel):
    id: int
    source: str
    filename: str | None
    province: str
    created_at: UtcDateTime
    counts: dict[str, int]
    mine: bool


def _cell_errors(row: RowPlan, language: str) -> list[CellError]:
    return [
        CellError(row=e.row, column=e.field, message=e.translated(language), template=e.template)
        for e in row.errors
    ]


def _rows(found: service.Preview, language: str) -> list[RowOut]:
    case_ids = {(p.rows[0].province, p.key): p.case_id for p in found.cases}
    return [
        RowOut(
            row=r.number,
            sheet=r.sheet,
            state=found.state(r),
            province=r.province,
            case_key=r.case_key,
            existing_case_id=case_ids.get((r.province, r.case_key)),
            role=r.role,
            person=r.person,
            details=r.details,
            case=r.case,
            identifiers=[
                IdentifierOut(type=i.id_type, raw=i.raw, normalised=i.normalised, problem=i.problem)
                for i in r.identifiers
            ],
            recognised=r.recognised,
            errors=_cell_errors(r, language),
            notices=r.notices,
            likely_same=[
                MatchOut(
                    person_id=m.person_id,
                    name=m.name,
                    reason=m.reason,
                    probability=getattr(m, "probability", None),
                )
                for m in found.matches.get(r.number, [])
            ],
        )
        for r in found.rows
    ]


def _preview_of(
    session: Session, actor: Actor, settings: Settings, upload: Upload, data: bytes
) -> service.Preview:
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


def size_guard(request: Request, settings: SettingsDep) -> None:
    """Refuse a body larger than the upload limit before it is read (form fields aside)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > (settings.import_max_upload_mb + 1) * 1024 * 1024:
        raise ValidationFailed.single(
            "file",
            "the file is larger than the upload limit of %(limit)s MB",
            limit=settings.import_max_upload_mb,
        )


@api_router.post(
    "/imports/preview",
    response_model=PreviewOut,
    responses=ERRORS,
    dependencies=[Depends(size_guard)],
)
def preview_upload(
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: UploadFile = File(description="an .xlsx, .csv or .zip (of CSVs) file"),
    source: str = Form("htcds", description="htcds, kobo, odk or csv"),
    province: str | None = Form(None, description="KH-n for rows that carry no province"),
    mapping: str | None = Form(None, description="a saved column mapping (csv)"),
    encoding: str | None = Form(None, description="utf-8, utf-8-sig, utf-16 or cp1252"),
) -> PreviewOut:
    """What importing the file would do, per row; nothing is written but the audit entry."""
    require_case_writer(actor)
    data = file.file.read(settings.import_max_upload_mb * 1024 * 1024 + 1)
    service.check_upload(actor=actor, settings=settings, data=data)
    upload = uploads.new(
        settings,
        actor,
        data,
        filename=file.filename or "upload",
        source=source,
        province=province or None,
        mapping=mapping or None,
        encoding=encoding or None,
    )
    try:
        found = _preview_of(session, actor, settings, upload, data)
    except Exception:
        uploads.delete(settings, upload.token)
        raise
    return PreviewOut(
        token=upload.token,
        source=found.source,
        filename=found.filename,
        summary=found.summary(),
        notices=found.notices,
        rows=_rows(found, actor.language),
    )


@api_router.post("/imports/{token}/run", response_model=RunOut, responses=ERRORS)
def run_upload(
    token: str, data: RunIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> RunOut:
    """Import a previewed upload in one transaction (all or nothing; ``skip_invalid`` writes
    only the good rows). Importing the same file again creates nothing twice."""
    require_case_writer(actor)
    upload, content = uploads.load(settings, actor, token)
    for row, cells in data.corrections.items():
        upload.fixes.setdefault(str(row), {}).update(cells)
    uploads.save(settings, upload, content)
    found = _preview_of(session, actor, settings, upload, content)
    outcome = service.run(session, actor=actor, preview=found, skip_invalid=data.skip_invalid)
    uploads.delete(settings, upload.token)
    return RunOut(
        batch_id=outcome.batch_id,
        nothing_new=outcome.nothing_new,
        counts=outcome.counts(),
        case_ids=outcome.case_ids,
    )


@api_router.get("/imports/batches/{batch_id}", response_model=BatchOut, responses=ERRORS)
def batch_status(batch_id: int, session: SessionDep, actor: ActorDep) -> BatchOut:
    """What a batch did: created, updated, unchanged and skipped rows."""
    batch = service.visible_batch(session, actor=actor, batch_id=batch_id)
    return BatchOut(
        id=batch.id,
        source=batch.source,
        filename=batch.filename,
        province=batch.province,
        created_at=batch.created_at,
        counts=batch.counts or {},
        mine=batch.actor_id == actor.id,
    )

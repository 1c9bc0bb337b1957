"""Retention pages: the administrators' purge page, and the export of everything held about
one person (a JSON download, same answer for a missing and an out-of-scope person: 404)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import require_role
from ctip.errors import FieldError, ValidationFailed
from ctip.i18n import current_language
from ctip.retention import service
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import form_errors, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["retention"])


def _on(value: str | None) -> date:
    if not value or not value.strip():
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed([FieldError("on", "not a date (use YYYY-MM-DD)")])


@router.get("/retention")
def retention_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Cases and persons past their retention date, and the purge (administrators only)."""
    require_role(actor, "admin")
    on = date.today()
    return render(
        request,
        "retention/page.html",
        {"due": service.due(session, on=on), "on": on, "result": None, "errors": {}},
    )


@router.post("/retention/purge")
def purge_page(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    require_role(actor, "admin")
    try:
        on = _on(str(form.get("on") or ""))
        result = service.purge(session, actor=actor, on=on)
    except ValidationFailed as exc:
        return render(
            request,
            "retention/page.html",
            {
                "due": service.due(session, on=date.today()),
                "on": date.today(),
                "result": None,
                "errors": form_errors(exc),
            },
            status_code=422,
        )
    return RedirectResponse(
        f"/retention?purged_cases={result.cases}&purged_persons={result.persons}",
        status_code=303,
    )


def _download(session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    doc = service.export_person(session, actor=actor, person_id=person_id)
    return Response(
        service.export_json(doc),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="person-{person_id}.json"'},
    )


@router.get("/retention/persons/{person_id}/export.json")
def export_page(person_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """Everything held about one person, as a JSON file (audited)."""
    return _download(session, actor, person_id)


@router.get("/retention/persons/{person_id}/export.pdf")
def export_pdf_page(
    person_id: int, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """Everything held about one person, as a PDF for a court or the person (audited)."""
    from ctip.retention.pdf import to_pdf
    from ctip.web.fonts import khmer_font

    doc = service.export_person(session, actor=actor, person_id=person_id, fmt="pdf")
    return Response(
        to_pdf(doc, khmer_font(settings), current_language()),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="person-{person_id}.pdf"'},
    )


@api_router.get("/retention/persons/{person_id}/export")
def export_api(person_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """Everything held about one person within the caller's scope; 404 outside it (audited)."""
    return _download(session, actor, person_id)

"""Organisations: the register page (with a create form for admins) and its JSON API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import Actor
from ctip.errors import Conflict, FieldError, ValidationFailed
from ctip.i18n import current_language
from ctip.orgs import service
from ctip.orgs.schemas import OrgIn, OrgOut, OrgPage
from ctip.reference import ORG_TYPES, PROVINCES
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["organisations"])


def province_options(language: str) -> list[tuple[str, str]]:
    """(code, name in ``language``) for a province select."""
    return [(code, km if language == "km" else en) for code, en, km in PROVINCES]


def _page_context(
    request: Request, session: SessionDep, actor: Actor, page_size: int
) -> dict[str, Any]:
    params = request.query_params
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    page = max(page, 1)
    rows, total = service.list_orgs(
        session,
        actor=actor,
        q=params.get("q"),
        org_type=params.get("org_type") or None,
        province=params.get("province") or None,
        page=page,
        page_size=page_size,
    )
    return {
        "orgs": rows,
        "total": total,
        "page": page,
        "page_size": page_size,
        "filters": dict(params),
        "ORG_TYPES": ORG_TYPES,
        "province_options": province_options(current_language()),
        "can_create": actor.role in service.ORG_EDITORS,
        "form": {},
        "errors": {},
    }


@router.get("/organisations")
def org_list(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    return render(
        request, "orgs/list.html", _page_context(request, session, actor, settings.page_size)
    )


def _org_in(form: dict[str, str]) -> OrgIn:
    """The form's fields as an ``OrgIn``; a field pydantic refuses becomes a field error."""
    try:
        return OrgIn(
            name=form.get("name", ""),
            org_type=form.get("org_type", ""),
            name_km=form.get("name_km") or None,
            province=form.get("province") or None,
            country=form.get("country") or "KH",
            is_agency=bool(form.get("is_agency")),
        )
    except ValidationError as exc:
        raise ValidationFailed([FieldError(str(e["loc"][0]), "too long") for e in exc.errors()])


@router.post("/organisations")
def org_create(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, settings: SettingsDep
) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        org = service.create_org(session, actor=actor, data=_org_in(values))
    except (ValidationFailed, Conflict) as exc:
        errors = (
            exc.errors
            if isinstance(exc, ValidationFailed)
            else [FieldError(exc.field or "name", exc.template, exc.params)]
        )
        ctx = _page_context(request, session, actor, settings.page_size)
        ctx.update(form=values, errors={e.field: e.translated(current_language()) for e in errors})
        return render(request, "orgs/list.html", ctx, status_code=exc.status_code)
    return RedirectResponse(f"/organisations?created={org.id}", status_code=303)


@api_router.get("/organisations", response_model=OrgPage)
def org_list_json(
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    q: str | None = None,
    org_type: str | None = None,
    province: str | None = None,
    page: int = 1,
) -> OrgPage:
    """Organisations by part of their name, type and province."""
    rows, total = service.list_orgs(
        session,
        actor=actor,
        q=q,
        org_type=org_type,
        province=province,
        page=max(page, 1),
        page_size=settings.page_size,
    )
    return OrgPage(
        items=[OrgOut.model_validate(o) for o in rows],
        total=total,
        page=max(page, 1),
        page_size=settings.page_size,
    )


@api_router.post("/organisations", response_model=OrgOut, status_code=201)
def org_create_json(data: OrgIn, session: SessionDep, actor: ActorDep) -> OrgOut:
    """Add an organisation (admins and secretariat); 409 when the name exists."""
    return OrgOut.model_validate(service.create_org(session, actor=actor, data=data))


@api_router.get("/organisations/{org_id}", response_model=OrgOut)
def org_get_json(org_id: int, session: SessionDep, actor: ActorDep) -> OrgOut:
    """One organisation."""
    return OrgOut.model_validate(service.get_org(session, actor=actor, org_id=org_id))

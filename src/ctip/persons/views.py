"""Person pages (record, view, edit, find by name) and the persons JSON API.

Pages and API call the same service functions; form errors are shown next to their fields in
the reader's language, with nothing written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import Actor
from ctip.cases import hooks
from ctip.errors import Conflict, StaleVersion, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.identifiers.schemas import IdentifierIn
from ctip.persons import service
from ctip.persons.schemas import (
    PersonDetail,
    PersonIn,
    PersonList,
    PersonOut,
    PersonUpdate,
    parse_form,
)
from ctip.reference import GENDERS, IDENTIFIER_TYPES, PERSON_ROLES, SOCIAL_PLATFORMS
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep, in_one_thread
from ctip.web.render import form_errors, form_values, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["persons"])

FORM_FIELDS = (
    "given_name",
    "family_name",
    "name_km",
    "aliases",
    "gender",
    "date_of_birth",
    "estimated_age",
    "address",
    "notes",
)


def person_values(form: FormData) -> dict[str, Any]:
    """The person fields of a submitted form (nationalities may be chosen several times)."""
    names = (*FORM_FIELDS, "nationalities", *(("version",) if "version" in form else ()))
    return form_values(form, names, lists=("nationalities",), blank="")


def parse_person(model: type[PersonIn] | type[PersonUpdate], values: dict[str, Any]) -> Any:
    """The form as ``model``. When some fields are malformed, the rules broken by the other
    fields are reported too, so the user sees every problem at once."""
    try:
        return parse_form(model, values)
    except ValidationFailed as exc:
        bad = {e.field for e in exc.errors}
        try:
            rest = model.model_validate({k: v for k, v in values.items() if k not in bad})
        except ValidationError:
            raise exc
        more = service.problems(rest.model_dump(include=set(service.AUDITED_FIELDS)))
        raise ValidationFailed(exc.errors + [e for e in more if e.field not in bad])


def _form_context(
    values: dict[str, Any], errors: dict[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"values": values, "errors": errors or {}, "GENDERS": GENDERS, **extra}


def _stored_values(person: PersonDetail) -> dict[str, Any]:
    """A person's current values as the edit form shows them."""
    values = person.model_dump(include=set(FORM_FIELDS) | {"nationalities", "version"})
    values["aliases"] = "\n".join(person.aliases)
    return values


# ---- pages ---------------------------------------------------------------------------------


@router.get("/persons")
def search_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """The persons list: newest first, filtered by any part of a name (any order), sex,
    nationality and role; 50 a page."""
    params = request.query_params
    values = {k: params.get(k, "").strip() for k in ("q", "gender", "nationality", "role")}
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    filters = service.PersonFilters(
        query=values["q"],
        gender=values["gender"] or None,
        nationality=values["nationality"] or None,
        role=values["role"] or None,
    )
    ctx: dict[str, Any] = {
        **values,
        "values": values,
        "errors": {},
        "persons": [],
        "total": 0,
        "page": max(page, 1),
        "page_size": settings.page_size,
        "GENDERS": GENDERS,
        "PERSON_ROLES": PERSON_ROLES,
        "can_record": actor.role in service.PERSON_WRITERS,
    }
    try:
        rows, ctx["total"] = service.listing(
            session, actor=actor, filters=filters, page=page, page_size=settings.page_size
        )
    except ValidationFailed as exc:
        ctx["errors"] = form_errors(exc)
        return render(request, "persons/search.html", ctx, status_code=422)
    ctx["persons"] = [service.to_out(p) for p in rows]
    return render(request, "persons/search.html", ctx)


@router.get("/persons/new")
def new_page(request: Request, actor: ActorDep) -> Response:
    service.require_person_writer(actor)
    return render(request, "persons/form.html", _form_context({"nationalities": []}))


@router.post("/persons/new")
def create_page(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = person_values(form)
    try:
        person = service.create(session, actor=actor, data=parse_person(PersonIn, values))
    except ValidationFailed as exc:
        return render(
            request, "persons/form.html", _form_context(values, form_errors(exc)), status_code=422
        )
    return RedirectResponse(f"/persons/{person.id}", status_code=303)


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    person_id: int,
    ident: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    person = service.profile(session, actor=actor, person_id=person_id)
    return render(
        request,
        "persons/detail.html",
        {
            "person": person,
            "ident": ident or {},
            "errors": errors or {},
            "flagged": False,
            "latest_screenings": {},
            **hooks.person_page_extras(session, actor=actor, person_id=person_id),
            "IDENTIFIER_TYPES": IDENTIFIER_TYPES,
            "SOCIAL_PLATFORMS": SOCIAL_PLATFORMS,
            "can_edit": service.may_change(session, actor=actor, person_id=person_id),
        },
        status_code=status_code,
    )


@router.get("/persons/{person_id}")
async def detail_page(request: Request, person_id: int) -> Response:
    return await in_one_thread(
        request, lambda session, actor: _detail_page(request, session, actor, person_id)
    )


@router.post("/persons/{person_id}/identifiers")
def add_identifier_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    form: FormDep,
    person_id: int,
) -> Response:
    values = {k: str(form.get(k) or "") for k in ("type", "value", "platform", "issuing_country")}
    try:
        data = parse_form(IdentifierIn, values)
        identifiers.add(
            session,
            actor=actor,
            id_type=data.type,
            value=data.value,
            person_id=person_id,
            platform=data.platform,
            issuing_country=data.issuing_country,
            region=settings.default_phone_region,
        )
    except (ValidationFailed, Conflict) as exc:
        return _detail_page(
            request,
            session,
            actor,
            person_id,
            values,
            form_errors(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/persons/{person_id}#identifiers", status_code=303)


@router.get("/persons/{person_id}/edit")
def edit_page(request: Request, session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    service.require_person_writer(actor)
    detail = service.profile(session, actor=actor, person_id=person_id)
    service.require_may_change(session, actor=actor, person_id=person_id)
    return render(
        request, "persons/form.html", _form_context(_stored_values(detail), person=detail)
    )


@router.post("/persons/{person_id}/edit")
def update_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: int
) -> Response:
    values = person_values(form)
    try:
        service.update(
            session, actor=actor, person_id=person_id, data=parse_person(PersonUpdate, values)
        )
    except (ValidationFailed, StaleVersion) as exc:
        person = service.get(session, actor=actor, person_id=person_id, audit=False)
        if isinstance(exc, StaleVersion):
            values["version"] = person.version
        return render(
            request,
            "persons/form.html",
            _form_context(values, form_errors(exc), person=service.to_out(person)),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


# ---- JSON API ------------------------------------------------------------------------------


@api_router.post("/persons", status_code=201, response_model=PersonOut)
def create_person(data: PersonIn, session: SessionDep, actor: ActorDep) -> PersonOut:
    """Record a person (`sex` with F/M is accepted for `gender`)."""
    return service.to_out(service.create(session, actor=actor, data=data))


@api_router.get("/persons", response_model=PersonList)
def search_persons(
    session: SessionDep, actor: ActorDep, q: str = "", limit: int = 50
) -> PersonList:
    """Persons within scope whose name (either order), one name, or alias is `q`."""
    found = service.search(session, actor=actor, query=q, limit=max(1, min(limit, 200)))
    return PersonList(query=q, items=[service.to_out(p) for p in found])


@api_router.get("/persons/{person_id}", response_model=PersonDetail)
def read_person(person_id: int, session: SessionDep, actor: ActorDep) -> PersonDetail:
    """A person with identifiers and every case role the caller may see (the read is audited)."""
    return service.profile(session, actor=actor, person_id=person_id)


@api_router.patch("/persons/{person_id}", response_model=PersonOut)
def update_person(
    person_id: int, data: PersonUpdate, session: SessionDep, actor: ActorDep
) -> PersonOut:
    """Change the fields sent; a stale `version` answers 409 and changes nothing."""
    return service.to_out(service.update(session, actor=actor, person_id=person_id, data=data))

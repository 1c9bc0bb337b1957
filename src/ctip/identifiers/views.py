"""Identifier search page and the identifiers JSON API (add to a person or case, list, search).

The form that adds an identifier to a person lives on the person page (``persons.views``).
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.identifiers import service
from ctip.identifiers.schemas import IdentifierIn, IdentifierOut, IdentifierSearchOut
from ctip.web.deps import ActorDep, SessionDep, SettingsDep
from ctip.web.gates import requires
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["identifiers"])


def _search(session: Session, actor: Actor, settings: Settings, value: str) -> IdentifierSearchOut:
    hits = service.search(session, actor=actor, value=value, region=settings.default_phone_region)
    return IdentifierSearchOut.model_validate({"value": value, **asdict(hits)})


@router.get("/identifiers/search", dependencies=[requires("identifiers.search")])
def search_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep, value: str = ""
) -> Response:
    result = _search(session, actor, settings, value) if value.strip() else None
    return render(request, "identifiers/search.html", {"value": value, "result": result})


@api_router.get(
    "/identifiers/search",
    response_model=IdentifierSearchOut,
    dependencies=[requires("identifiers.search")],
)
def search_identifiers(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, value: str = ""
) -> IdentifierSearchOut:
    """Every person and case in the caller's scope carrying `value` in any format
    (`+855 12 345 678`, `012345678` and `855-12-345-678` are one phone)."""
    return _search(session, actor, settings, value)


def _out(ident: object) -> IdentifierOut:
    return IdentifierOut.model_validate(ident)


def _add(
    session: Session,
    actor: Actor,
    settings: Settings,
    data: IdentifierIn,
    person_id: int | None = None,
    case_id: int | None = None,
) -> IdentifierOut:
    return _out(
        service.add(
            session,
            actor=actor,
            id_type=data.type,
            value=data.value,
            person_id=person_id,
            case_id=case_id,
            platform=data.platform,
            issuing_country=data.issuing_country,
            region=settings.default_phone_region,
        )
    )


@api_router.post("/persons/{person_id}/identifiers", status_code=201, response_model=IdentifierOut)
def add_to_person(
    person_id: int, data: IdentifierIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> IdentifierOut:
    """Attach an identifier to a person; an unparseable value is kept with `valid: false`."""
    return _add(session, actor, settings, data, person_id=person_id)


@api_router.get("/persons/{person_id}/identifiers", response_model=list[IdentifierOut])
def list_for_person(person_id: int, session: SessionDep, actor: ActorDep) -> list[IdentifierOut]:
    return [_out(i) for i in service.for_person(session, actor=actor, person_id=person_id)]


@api_router.post("/cases/{case_id}/identifiers", status_code=201, response_model=IdentifierOut)
def add_to_case(
    case_id: int, data: IdentifierIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> IdentifierOut:
    """Attach an identifier to a case itself (a compound's phone, a recruitment page)."""
    return _add(session, actor, settings, data, case_id=case_id)


@api_router.get("/cases/{case_id}/identifiers", response_model=list[IdentifierOut])
def list_for_case(
    case_id: int, session: SessionDep, actor: ActorDep, include_participants: bool = False
) -> list[IdentifierOut]:
    """Identifiers on a case; with `include_participants` also those of its visible persons."""
    found = service.for_case(
        session, actor=actor, case_id=case_id, include_participants=include_participants
    )
    return [_out(i) for i in found]

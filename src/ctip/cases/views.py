"""The case JSON API under ``/api/v1`` (the pages live in ``cases/pages.py``).

Views parse the request, call one service function and shape the answer; domain errors
become HTTP answers in ``web/errors.py`` (404 outside scope, 403, 409, 422 naming the field).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from ctip.api_types import IsoDate
from ctip.auth.scope import Actor
from ctip.cases import participants as roles
from ctip.cases import service, timeline
from ctip.cases.detail import detail
from ctip.cases.pages import router
from ctip.cases.schemas import (
    CaseDetail,
    CaseFilters,
    CaseIn,
    CaseList,
    CaseOut,
    CaseUpdate,
    EventIn,
    EventOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantUpdate,
    ShareIn,
    ShareOut,
    TransitionIn,
    parse,
)
from ctip.errors import ValidationFailed
from ctip.i18n import current_language
from ctip.orgs.schemas import OrgOut
from ctip.web.answers import model_response
from ctip.web.deps import ActorDep, SessionDep, in_one_thread
from ctip.web.gates import requires

__all__ = ["api_router", "router"]

api_router = APIRouter(tags=["cases"])


@api_router.post(
    "/cases",
    response_model=CaseOut,
    status_code=201,
    dependencies=[requires("cases.create")],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CaseIn.model_json_schema()}},
        }
    },
)
def create_case(
    body: Annotated[dict[str, Any], Body()], session: SessionDep, actor: ActorDep
) -> CaseOut:
    """Record a case (a ``CaseIn``); the answer carries its ``id``, ``reference`` and
    ``version``. A 422 lists every field's problem at once."""
    data = parse(CaseIn, body, checks=service.field_errors)
    return service.to_out(service.create(session, actor=actor, data=data))


@api_router.get("/cases", response_model=CaseList)
async def list_cases(
    request: Request,
    q: str | None = None,
    reference: str | None = None,
    province: str | None = None,
    status: str | None = None,
    type: str | None = Query(None, description="HTCDS exploitation type"),
    opened_from: IsoDate | None = None,
    opened_to: IsoDate | None = None,
    page: int = Query(1, ge=1),
    page_size: int | None = Query(None, ge=1, le=200),
    after: str | None = Query(None, description="the `next` cursor of the page before"),
    with_total: bool = Query(False, description="count the total on an `after` page too"),
) -> Response:
    """Cases within the caller's scope, newest first; ``q`` matches a reference, a title,
    a person's name or an identifier in any format. Pages by ``page`` (with the total) or,
    cheaper however deep, by ``after`` (the ``next`` cursor of the page before; no total
    unless ``with_total``)."""
    filters = CaseFilters(
        q=q,
        reference=reference,
        province=province or None,
        status=status or None,
        exploitation_type=type or None,
        opened_from=opened_from,
        opened_to=opened_to,
    )
    size = page_size or request.app.state.settings.page_size

    def work(session: Session, actor: Actor) -> Response:
        return model_response(page_of(session, actor))

    def page_of(session: Session, actor: Actor) -> CaseList:
        if after is None:
            rows, total = service.search(
                session, actor=actor, filters=filters, page=page, page_size=size
            )
            more = bool(rows) and page * size < total
            cursor = service.cursor_of(rows[-1]) if more else None
            return CaseList(items=rows, total=total, page=page, page_size=size, next=cursor)
        rows, cursor = service.next_page(
            session, actor=actor, filters=filters, after=after, page_size=size
        )
        counted = service.count(session, actor=actor, filters=filters) if with_total else None
        return CaseList(items=rows, total=counted, page=page, page_size=size, next=cursor)

    return await in_one_thread(request, work)


@api_router.get("/cases/{case_id}", response_model=CaseDetail)
async def get_case(case_id: int, request: Request) -> Response:
    """A case with its people (in the roles the caller may see), timeline, identifiers and
    referrals, and the statuses the caller may move it to."""
    language = current_language()
    return await in_one_thread(
        request,
        lambda session, actor: model_response(
            detail(session, actor=actor, case_id=case_id, language=language)
        ),
    )


@api_router.patch("/cases/{case_id}", response_model=CaseOut)
def patch_case(case_id: int, data: CaseUpdate, session: SessionDep, actor: ActorDep) -> CaseOut:
    """Change the fields sent; ``version`` must be the one last read (else 409)."""
    return service.to_out(service.update(session, actor=actor, case_id=case_id, data=data))


@api_router.get("/cases/{case_id}/persons", response_model=list[ParticipantOut])
def list_participants(case_id: int, session: SessionDep, actor: ActorDep) -> list[ParticipantOut]:
    """The persons on the case in the roles the caller may see."""
    return roles.participants(session, actor=actor, case_id=case_id)


@api_router.post("/cases/{case_id}/persons", response_model=ParticipantOut, status_code=201)
def add_participant(
    case_id: int, data: ParticipantIn, session: SessionDep, actor: ActorDep
) -> ParticipantOut:
    """Attach ``person_id`` in ``role``, or record ``person`` (with an optional ``phone``) and
    attach them, in one transaction. The same person in the same role twice is a 409."""
    if data.person_id is not None:
        row = roles.add_participant(
            session,
            actor=actor,
            case_id=case_id,
            person_id=data.person_id,
            role=data.role,
            details=data,
        )
    elif data.person is not None:
        row = roles.add_new_person(
            session,
            actor=actor,
            case_id=case_id,
            person=data.person,
            role=data.role,
            details=data,
            phone=data.phone,
        )
    else:
        raise ValidationFailed.single("person_id", "give person_id or a new person")
    return roles.participant_out(row)


@api_router.patch("/cases/{case_id}/persons/{participant_id}", response_model=ParticipantOut)
def patch_participant(
    case_id: int, participant_id: int, data: ParticipantUpdate, session: SessionDep, actor: ActorDep
) -> ParticipantOut:
    """Replace a person's role details on the case (``version`` as last read)."""
    row = roles.update_participant(
        session, actor=actor, case_id=case_id, participant_id=participant_id, data=data
    )
    return roles.participant_out(row)


@api_router.post("/cases/{case_id}/transitions", response_model=CaseOut)
def transition(case_id: int, data: TransitionIn, session: SessionDep, actor: ActorDep) -> CaseOut:
    """Move the case to ``status`` on ``on``; refused moves answer 409 with the reason."""
    case = timeline.apply_transition(session, actor=actor, case_id=case_id, data=data)
    return service.to_out(case)


@api_router.get("/cases/{case_id}/events", response_model=list[EventOut])
def list_events(case_id: int, session: SessionDep, actor: ActorDep) -> list[EventOut]:
    """The case timeline in date order, status changes included."""
    return timeline.timeline(session, actor=actor, case_id=case_id, language=current_language())


@api_router.post("/cases/{case_id}/events", response_model=EventOut, status_code=201)
def add_event(case_id: int, data: EventIn, session: SessionDep, actor: ActorDep) -> EventOut:
    """Add a dated event (recruitment, border crossing, arrest, hearing ...) to the timeline."""
    event = timeline.add_event(session, actor=actor, case_id=case_id, data=data)
    return timeline.event_out(event, actor.display_name or actor.username, current_language())


@api_router.get("/cases/{case_id}/shares", response_model=list[OrgOut])
def list_shares(case_id: int, session: SessionDep, actor: ActorDep) -> list[OrgOut]:
    """The agencies the case is shared with."""
    return [
        OrgOut.model_validate(org) for org in service.shares(session, actor=actor, case_id=case_id)
    ]


@api_router.post("/cases/{case_id}/shares", response_model=ShareOut, status_code=201)
def share_case(case_id: int, data: ShareIn, session: SessionDep, actor: ActorDep) -> ShareOut:
    """Share the case with another agency, whose investigators can then work on it."""
    row = service.share(session, actor=actor, case_id=case_id, organisation_id=data.organisation_id)
    return ShareOut.model_validate(row)

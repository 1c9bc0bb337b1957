"""Case pages: list and search, new case, case page, edit, add a person, events, transitions.

Forms post with the CSRF token; an invalid form is shown again with a message per field in
the reader's language (422) and nothing written. Each page has a JSON twin in ``views.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple, TypedDict

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, QueryParams
from starlette.responses import RedirectResponse, Response

from ctip import reference as ref
from ctip.auth.scope import Actor, require_case_writer
from ctip.cases import hooks, service, timeline
from ctip.cases import participants as roles
from ctip.cases.detail import detail
from ctip.cases.lifecycle import NEEDS_CONFIRMATION, STATUSES, allowed_next, natural_next
from ctip.cases.rules import OFFENDER_FIELDS, TIMELINE_EVENT_TYPES, VICTIM_FIELDS
from ctip.cases.schemas import (
    CaseDetail,
    CaseFilters,
    CaseIn,
    CaseRow,
    CaseUpdate,
    EventIn,
    ParticipantDetails,
    PersonRef,
    TransitionIn,
    parse,
)
from ctip.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from ctip.i18n import current_language, gettext, label_in
from ctip.orgs.models import Organisation
from ctip.persons import service as people
from ctip.web.deps import ActorDep, FormDep, SessionDep, in_one_thread
from ctip.web.gates import requires
from ctip.web.render import can, form_errors, labels
from ctip.web.render import form_values as read_form
from ctip.web.render import render as render_page

router = APIRouter(include_in_schema=False)

LIST_FIELDS = (
    "exploitation_types",
    "origin_countries",
    "transit_countries",
    "exploitation_countries",
    "methods_of_control",
    "recruitment_apps",
    "nationalities",
)
CASE_FORM_FIELDS = (
    "title",
    "province",
    "opened_on",
    "forced_labour_subtype",
    "industry",
    "summary",
    "reporting_org_id",
)
FILTER_FIELDS = ("q", "reference", "province", "status", "type", "opened_from", "opened_to")


VOCAB: dict[str, Any] = {
    "STATUSES": STATUSES,
    "EXPLOITATION_TYPES": ref.EXPLOITATION_TYPES,
    "FORCED_LABOUR_SUBTYPES": ref.FORCED_LABOUR_SUBTYPES,
    "ISIC_SECTIONS": ref.ISIC_SECTIONS,
    "PERSON_ROLES": ref.PERSON_ROLES,
    "GENDERS": ref.GENDERS,
    "TRAFFICKING_STATUSES": ref.TRAFFICKING_STATUSES,
    "DECIDING_ORG_TYPES": ref.DECIDING_ORG_TYPES,
    "METHODS_OF_CONTROL": ref.METHODS_OF_CONTROL,
    "RECRUITMENT_METHODS": ref.RECRUITMENT_METHODS,
    "RECRUITMENT_APPS": ref.RECRUITMENT_APPS,
    "PERPETRATOR_ROLES": ref.PERPETRATOR_ROLES,
    "CUSTODY_STATUSES": ref.CUSTODY_STATUSES,
    "EVENT_TYPES": TIMELINE_EVENT_TYPES,
    "BORDER_CROSSINGS": ref.BORDER_CROSSINGS,
}


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A case page with the vocabularies its forms offer."""
    return render_page(request, name, {**VOCAB, **context}, status_code=status_code)


def form_values(form: FormData | QueryParams, names: tuple[str, ...]) -> dict[str, Any]:
    """Submitted case fields: ``web.render.form_values`` with the case's list fields."""
    return read_form(form, names, lists=LIST_FIELDS)


def _case_form_values(form: FormData) -> dict[str, Any]:
    return form_values(form, CASE_FORM_FIELDS + LIST_FIELDS[:4])


def _org_choices(session: Session) -> list[Organisation]:
    return service.share_targets(session)


# --- list ---------------------------------------------------------------------------------


@router.get("/cases")
async def case_list(request: Request) -> Response:
    """The case list with its search form, 50 rows a page."""
    return await in_one_thread(request, lambda session, actor: _case_list(request, session, actor))


def _case_list(request: Request, session: Session, actor: Actor) -> Response:
    """The first page counts the matches; the pages after it follow the ``after`` cursor
    of the "Next" link (keyset paging, no count); old ``page=`` links still work."""
    if not can(actor, "cases.read"):
        raise PermissionDenied("your role sees aggregate figures only", role=actor.role)
    settings = request.app.state.settings
    values = form_values(request.query_params, FILTER_FIELDS)
    page = request.query_params.get("page", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    after = request.query_params.get("after") or None
    ctx: dict[str, Any] = {
        "values": values,
        "errors": {},
        "rows": [],
        "total": None,
        "page": page_number,
        "page_size": settings.page_size,
        "after": after,
        "next_cursor": None,
    }
    try:
        filters = parse(CaseFilters, {**values, "exploitation_type": values["type"]})
        if after is None:
            ctx["rows"], ctx["total"] = service.search(
                session,
                actor=actor,
                filters=filters,
                page=page_number,
                page_size=settings.page_size,
            )
            if ctx["rows"] and page_number * settings.page_size < ctx["total"]:
                ctx["next_cursor"] = service.cursor_of(ctx["rows"][-1])
        else:
            ctx["rows"], ctx["next_cursor"] = service.next_page(
                session, actor=actor, filters=filters, after=after, page_size=settings.page_size
            )
        ctx["rows"] = _listed(ctx["rows"], current_language())
    except ValidationFailed as exc:
        ctx["errors"] = form_errors(exc)
        return render(request, "cases/list.html", ctx, status_code=422)
    return render(request, "cases/list.html", ctx)


class ListedCase(NamedTuple):
    """A case list row with its labels in the reader's language, worked out in Python once
    (three function calls a row from Jinja cost half the rows' rendering time)."""

    id: int
    reference: str
    title: str
    province_name: str
    opened_on: date
    status: str
    status_label: str
    types_label: str
    marks: tuple[str, ...]


def _listed(rows: list[CaseRow], language: str) -> list[ListedCase]:
    return [
        ListedCase(
            id=row.id,
            reference=row.reference,
            title=row.title,
            province_name=ref.province_name(row.province, language),
            opened_on=row.opened_on,
            status=row.status,
            status_label=label_in(row.status, language) if row.status else "",
            types_label=labels(row.exploitation_types),
            marks=tuple(row.marks),
        )
        for row in rows
    ]


# --- new and edit -------------------------------------------------------------------------


def _case_form(
    request: Request,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    case: Any = None,
) -> Response:
    return render(
        request,
        "cases/form.html",
        {"values": values, "errors": errors, "case": case, "orgs": _org_choices(session)},
        status_code=status_code,
    )


@router.get("/cases/new")
def new_case_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require_case_writer(actor)
    return _case_form(request, session, {"province": actor.province}, {})


@router.post("/cases/new", dependencies=[requires("cases.create")])
def new_case(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = _case_form_values(form)
    try:
        data = parse(CaseIn, values, checks=service.field_errors)
        case = service.create(session, actor=actor, data=data)
    except PermissionDenied as exc:
        return _case_form(request, session, values, form_errors(exc), exc.status_code)
    except ValidationFailed as exc:
        return _case_form(request, session, values, form_errors(exc), 422)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}/edit")
def edit_case_form(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    case = service.for_write(session, actor=actor, case_id=case_id)
    values = service.to_out(case).model_dump()
    return _case_form(request, session, values, {}, case=case)


@router.post("/cases/{case_id}/edit")
def edit_case(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    case = service.for_write(session, actor=actor, case_id=case_id)
    values = _case_form_values(form)
    values.pop("province", None)
    values["version"] = form.get("version")
    try:
        service.update(session, actor=actor, case_id=case_id, data=parse(CaseUpdate, values))
    except DomainError as exc:
        code = 422 if isinstance(exc, ValidationFailed) else exc.status_code
        values["province"] = case.province
        return _case_form(request, session, values, form_errors(exc), code, case=case)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


# --- the case page and its small forms ----------------------------------------------------


class CasePageContext(TypedDict, total=False):
    """What the case page template is given (typed, so a misspelt key fails the type check).
    Parts add their own keys through ``ctip.cases.hooks.on_case_page``."""

    case: CaseDetail
    orgs: list[Organisation]
    errors: dict[str, str]
    event_values: dict[str, Any]
    form: str | None
    latest_screenings: dict[int, Any]
    interventions: list[Any]
    can_screen: bool
    confirm: bool
    today: str
    transition_values: dict[str, Any]


def case_page(
    request: Request,
    session: Session,
    actor: Actor,
    case_id: int,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The case page: facts, status and its transition form, timeline, persons, identifiers,
    referrals, the event form and the share form."""
    data = detail(session, actor=actor, case_id=case_id, language=current_language())
    ctx = CasePageContext(
        case=data,
        orgs=_org_choices(session) if data.can_write else [],
        errors={},
        event_values={},
        form=None,
        latest_screenings={},
        interventions=[],
        can_screen=False,
        confirm=False,
        today=date.today().isoformat(),
        transition_values={"status": natural_next(data.status)},
    )
    page: dict[str, Any] = {**ctx, **hooks.case_page_extras(session, actor=actor, case_id=data.id)}
    return render(request, "cases/detail.html", {**page, **extra}, status_code=status_code)


@router.get("/cases/{case_id}")
async def show_case(case_id: int, request: Request) -> Response:
    return await in_one_thread(
        request, lambda session, actor: case_page(request, session, actor, case_id)
    )


def _transition_errors(values: dict[str, Any]) -> dict[str, str]:
    """What the status form lacks before the service is asked: a status and a date."""
    errors = {}
    if not values.get("status"):
        errors["status"] = gettext("choose the new status")
    if not values.get("on"):
        errors["on"] = gettext("give the date of the change")
    return errors


@router.post("/cases/{case_id}/transitions")
def transition_case(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Change the status; a verdict or a closure is asked to be confirmed first, and a refused
    change shows the form again with what was chosen."""
    values = form_values(form, ("status", "on", "note", "version", "confirmed"))
    again: dict[str, Any] = {"form": "transition", "transition_values": values}
    errors = _transition_errors(values)
    if errors:
        return case_page(request, session, actor, case_id, 422, errors=errors, **again)
    current = service.visible(session, actor=actor, case_id=case_id).status
    asks = values["status"] in NEEDS_CONFIRMATION and values["status"] in allowed_next(current)
    if asks and values["confirmed"] != "yes":
        return case_page(request, session, actor, case_id, confirm=True, **again)
    try:
        timeline.apply_transition(
            session, actor=actor, case_id=case_id, data=parse(TransitionIn, values)
        )
    except DomainError as exc:
        code = 422 if isinstance(exc, ValidationFailed) else exc.status_code
        return case_page(request, session, actor, case_id, code, errors=form_errors(exc), **again)
    return RedirectResponse(f"/cases/{case_id}#status", status_code=303)


EVENT_FIELDS = (
    "event_type",
    "occurred_on",
    "description",
    "person_id",
    "country",
    "province",
    "district",
    "commune",
    "village",
    "border_crossing",
    "place_name",
)


@router.post("/cases/{case_id}/events")
def add_event(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    values = form_values(form, EVENT_FIELDS)
    try:
        timeline.add_event(session, actor=actor, case_id=case_id, data=parse(EventIn, values))
    except ValidationFailed as exc:
        return case_page(
            request,
            session,
            actor,
            case_id,
            422,
            errors=form_errors(exc),
            event_values=values,
            form="event",
        )
    return RedirectResponse(f"/cases/{case_id}#timeline", status_code=303)


@router.post("/cases/{case_id}/shares")
def share_case(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    value = str(form.get("organisation_id") or "")
    try:
        if not value.isdigit():
            raise ValidationFailed.single("organisation_id", "choose from the list")
        service.share(session, actor=actor, case_id=case_id, organisation_id=int(value))
    except DomainError as exc:
        code = 422 if isinstance(exc, ValidationFailed) else exc.status_code
        return case_page(
            request, session, actor, case_id, code, errors=form_errors(exc), form="share"
        )
    return RedirectResponse(f"/cases/{case_id}#shares", status_code=303)


# --- a person in a role -------------------------------------------------------------------

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "name_km",
    "sex",
    "date_of_birth",
    "estimated_age",
    "nationalities",
)
DETAIL_FIELDS = (*VICTIM_FIELDS, *OFFENDER_FIELDS, "notes")


def _person_form(
    request: Request,
    case: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    choices: list[Any] | None = None,
) -> Response:
    return render(
        request,
        "cases/person_form.html",
        {"case": case, "values": values, "errors": errors, "choices": choices or []},
        status_code=status_code,
    )


class SeveralPersons(ValidationFailed):
    """A name given to attach a recorded person matches several: the form offers them."""

    def __init__(self, found: list[Any]) -> None:
        super().__init__([FieldError("person", "several persons have this name: choose one below")])
        self.found = found


def _recorded_person(session: Session, actor: Actor, values: dict[str, Any]) -> int | None:
    """The recorded person the form names: one chosen from a list, or the one person in scope
    whose name matches what was typed (never a typed internal number)."""
    if values["person_id"]:
        return int(parse(PersonRef, {"person_id": values["person_id"]}).person_id)
    if not values["person"]:
        return None
    found = people.search(session, actor=actor, query=values["person"], limit=20)
    if not found:
        raise ValidationFailed.single("person", "no person of that name that you may see")
    if len(found) > 1:
        raise SeveralPersons(found)
    return int(found[0].id)


@router.get("/cases/{case_id}/persons/new")
def new_person_form(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    case = service.for_write(session, actor=actor, case_id=case_id)
    return _person_form(request, case, {"role": "victim", "nationalities": ["KH"]}, {})


def _attach(session: Session, actor: Actor, case_id: int, values: dict[str, Any]) -> None:
    """Attach an existing person by id, or record a new one with an optional phone."""
    details = parse(ParticipantDetails, {k: values[k] for k in DETAIL_FIELDS})
    role = values["role"] or ""
    person_id = _recorded_person(session, actor, values)
    if person_id is not None:
        roles.add_participant(
            session, actor=actor, case_id=case_id, person_id=person_id, role=role, details=details
        )
        return
    person = {k: values[k] for k in PERSON_FIELDS}
    roles.add_new_person(
        session,
        actor=actor,
        case_id=case_id,
        person=person,
        role=role,
        details=details,
        phone=values["phone"],
    )


@router.post("/cases/{case_id}/persons/new")
def new_person(
    case_id: int, request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    case = service.for_write(session, actor=actor, case_id=case_id)
    names = ("role", "person", "person_id", "phone", *PERSON_FIELDS, *DETAIL_FIELDS)
    values = form_values(form, names)
    try:
        _attach(session, actor, case.id, values)
    except DomainError as exc:
        code = 422 if isinstance(exc, ValidationFailed) else exc.status_code
        found = [people.to_out(p) for p in exc.found] if isinstance(exc, SeveralPersons) else []
        return _person_form(request, case, values, form_errors(exc), code, found)
    return RedirectResponse(f"/cases/{case_id}#persons", status_code=303)

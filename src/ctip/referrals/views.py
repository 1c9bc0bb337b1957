"""Referral pages (inbox and outbox, new referral, answer) and their JSON API."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import Actor
from ctip.errors import DomainError, FieldError, ValidationFailed
from ctip.reference import REFERRAL_REASONS, REFERRAL_SERVICES
from ctip.referrals import service
from ctip.referrals.schemas import ReferralIn, ReferralList, ReferralOut, ReferralResponseIn
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import form_errors, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["referrals"])


def _date(form: dict[str, str], name: str, errors: list[FieldError]) -> date | None:
    value = form.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(name, "not a date (use YYYY-MM-DD)"))
        return None


def _int(form: dict[str, str], name: str, errors: list[FieldError]) -> int | None:
    value = form.get(name, "").strip()
    if value.isdigit():
        return int(value)
    if value:
        errors.append(FieldError(name, "choose from the list"))
    return None


def _page_number(request: Request) -> int:
    value = request.query_params.get("page", "")
    return max(int(value), 1) if value.isdigit() else 1


# --- inbox --------------------------------------------------------------------------------


@router.get("/referrals")
def referral_list(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    params = request.query_params
    direction = params.get("direction") if params.get("direction") in service.DIRECTIONS else None
    overdue = params.get("overdue") == "1"
    page = _page_number(request)
    rows, total = service.inbox(
        session,
        actor=actor,
        status=params.get("status") or None,
        overdue_only=overdue,
        due_days=settings.referral_due_days,
        direction=direction,
        page=page,
        page_size=settings.page_size,
    )
    items = service.describe(session, rows, due_days=settings.referral_due_days)
    return render(
        request,
        "referrals/list.html",
        {
            "items": items,
            "total": total,
            "page": page,
            "page_size": settings.page_size,
            "direction": direction or ("incoming" if actor.role == "ngo_caseworker" else ""),
            "status": params.get("status", ""),
            "overdue": overdue,
            "STATUSES": service.STATUSES,
            "due_days": settings.referral_due_days,
            "declined": params.get("declined", "").isdigit(),
        },
    )


# --- new referral -------------------------------------------------------------------------


def _form_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    case_id: int,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    choices = service.form_choices(session, actor=actor, case_id=case_id)
    return render(
        request,
        "referrals/form.html",
        {
            "case": choices.case,
            "organisations": choices.organisations,
            "people": choices.people,
            "REASONS": REFERRAL_REASONS,
            "SERVICES": REFERRAL_SERVICES,
            "form": form,
            "errors": errors,
            "can_override": actor.role in service.OVERRIDE_ROLES,
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/referrals/new")
def referral_form(request: Request, case_id: int, session: SessionDep, actor: ActorDep) -> Response:
    defaults = {
        "referred_on": date.today().isoformat(),
        "reason": "AdditionalServicesRequired",
        "person_id": request.query_params.get("person_id", ""),
    }
    return _form_page(request, session, actor, case_id, defaults, {})


def _create_from_form(session: SessionDep, actor: Actor, case_id: int, form: dict[str, str]) -> int:
    errors: list[FieldError] = []
    to_org_id = _int(form, "to_org_id", errors)
    referred_on = _date(form, "referred_on", errors)
    if to_org_id is None:
        errors.append(FieldError("to_org_id", "required"))
    if referred_on is None and "referred_on" not in {e.field for e in errors}:
        errors.append(FieldError("referred_on", "required"))
    person_id, consent_on = _int(form, "person_id", errors), _date(form, "consent_on", errors)
    if errors or to_org_id is None or referred_on is None:
        raise ValidationFailed(errors)
    referral = service.create(
        session,
        actor=actor,
        case_id=case_id,
        to_org_id=to_org_id,
        reason=form.get("reason", ""),
        service=form.get("service", ""),
        referred_on=referred_on,
        person_id=person_id,
        consent_given=bool(form.get("consent_given")),
        consent_on=consent_on,
        consent_override_reason=form.get("consent_override_reason"),
    )
    return referral.id


def _plain(form: FormData) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


@router.post("/cases/{case_id}/referrals/new")
def referral_create(
    request: Request, case_id: int, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    values = _plain(form)
    try:
        referral_id = _create_from_form(session, actor, case_id, values)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _form_page(
            request, session, actor, case_id, values, form_errors(exc), status_code=exc.status_code
        )
    return RedirectResponse(f"/referrals/{referral_id}?created=1", status_code=303)


# --- one referral -------------------------------------------------------------------------


def _detail_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    settings: Any,
    referral_id: int,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    referral = service.get(session, actor=actor, referral_id=referral_id)
    item = service.describe(session, [referral], due_days=settings.referral_due_days)[0]
    can_answer = referral.status == "pending" and (
        actor.role == "admin" or actor.organisation_id == referral.to_org_id
    )
    return render(
        request,
        "referrals/detail.html",
        {
            "item": item,
            "person": service.referral_person(session, actor=actor, referral=referral),
            "can_answer": can_answer,
            "form": form or {"on": date.today().isoformat()},
            "errors": errors,
        },
        status_code=status_code,
    )


@router.get("/referrals/{referral_id}")
def referral_detail(
    request: Request, referral_id: int, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    return _detail_page(request, session, actor, settings, referral_id, {}, {})


@router.post("/referrals/{referral_id}/response")
def referral_respond(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    settings: SettingsDep,
) -> Response:
    values = _plain(form)
    if values.get("decision") == "decline" and values.get("confirmed") != "yes":
        return _detail_page(
            request, session, actor, settings, referral_id, {**values, "confirm": "decline"}, {}
        )
    try:
        errors: list[FieldError] = []
        on, version = _date(values, "on", errors), _int(values, "version", errors)
        if on is None or version is None:
            raise ValidationFailed(errors or [FieldError("on", "required")])
        service.respond(
            session,
            actor=actor,
            referral_id=referral_id,
            accept=values.get("decision") == "accept",
            on=on,
            note=values.get("note"),
            version=version,
        )
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _detail_page(
            request,
            session,
            actor,
            settings,
            referral_id,
            values,
            form_errors(exc),
            status_code=exc.status_code,
        )
    # A case worker who declines no longer sees the referral: back to the list, not a 404,
    # with a word on what happened.
    if values.get("decision") == "accept":
        return RedirectResponse(f"/referrals/{referral_id}?accepted=1", status_code=303)
    return RedirectResponse(f"/referrals?declined={referral_id}", status_code=303)


# --- JSON API -----------------------------------------------------------------------------


@api_router.post("/cases/{case_id}/referrals", response_model=ReferralOut, status_code=201)
def create_json(
    case_id: int, data: ReferralIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> ReferralOut:
    """Refer a case (and optionally a victim, with consent or an override) onwards."""
    referral = service.create(session, actor=actor, case_id=case_id, **data.model_dump())
    return service.describe(session, [referral], due_days=settings.referral_due_days)[0]


@api_router.get("/cases/{case_id}/referrals", response_model=ReferralList)
def case_referrals_json(
    case_id: int, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> ReferralList:
    """The referrals of one case."""
    rows = service.for_case(session, actor=actor, case_id=case_id)
    items = service.describe(session, rows, due_days=settings.referral_due_days)
    return ReferralList(items=items, total=len(items), page_size=max(len(items), 1))


@api_router.get("/referrals", response_model=ReferralList)
def inbox_json(
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    status: str | None = None,
    overdue: bool = False,
    direction: str | None = None,
    page: int = 1,
) -> ReferralList:
    """Referrals in scope: ``direction`` incoming or outgoing, ``status``, ``overdue``."""
    if direction is not None and direction not in service.DIRECTIONS:
        raise ValidationFailed.single("direction", "choose from the list")
    rows, total = service.inbox(
        session,
        actor=actor,
        status=status,
        overdue_only=overdue,
        due_days=settings.referral_due_days,
        direction=direction,
        page=max(page, 1),
        page_size=settings.page_size,
    )
    return ReferralList(
        items=service.describe(session, rows, due_days=settings.referral_due_days),
        total=total,
        page=max(page, 1),
        page_size=settings.page_size,
    )


@api_router.get("/referrals/{referral_id}", response_model=ReferralOut)
def get_json(
    referral_id: int, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> ReferralOut:
    """One referral."""
    referral = service.get(session, actor=actor, referral_id=referral_id)
    return service.describe(session, [referral], due_days=settings.referral_due_days)[0]


@api_router.post("/referrals/{referral_id}/response", response_model=ReferralOut)
def respond_json(
    referral_id: int,
    data: ReferralResponseIn,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
) -> ReferralOut:
    """Accept or decline (receiving organisation only); a stale ``version`` is refused (409)."""
    referral = service.respond(session, actor=actor, referral_id=referral_id, **data.model_dump())
    return service.describe(session, [referral], due_days=settings.referral_due_days)[0]

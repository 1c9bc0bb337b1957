"""Screening pages: interventions, roster import, keyboard-friendly mass screening (save and
next), a person's screenings and status on a case, the non-punishment queue, referral lists.

The JSON API is in ``screening/api.py`` (``api_router``), built from the same services.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import Actor
from ctip.cases import hooks
from ctip.cases import service as cases
from ctip.errors import DomainError, ValidationFailed
from ctip.i18n import current_language
from ctip.orgs import service as orgs
from ctip.persons import service as persons
from ctip.persons.schemas import parse_form
from ctip.reference import (
    DECIDING_ORG_TYPES,
    PROVINCES,
    REFERRAL_SERVICES,
    TRAFFICKING_STATUSES,
    province_name,
)
from ctip.screening import exports, flags, interventions, roster, service
from ctip.screening.api import api_router, download
from ctip.screening.questionnaire import explain, load, text
from ctip.screening.schemas import (
    FlagDecisionIn,
    InterventionIn,
    ReferralFromScreeningIn,
    ScreeningIn,
    StatusIn,
)
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.fonts import khmer_font
from ctip.web.gates import requires
from ctip.web.render import form_errors, form_values, render

router = APIRouter(include_in_schema=False)
__all__ = ["api_router", "router"]

LIST_FIELDS = ("act", "means", "purpose", "assessed", "indicators", "services_needed")
VALUE_FIELDS = ("age_at_act", "date_of_birth", "date_of_act", "screened_on")


def screening_values(form: FormData) -> dict[str, Any]:
    """Screening answers from a submitted form (checkbox lists, dates, one note per section)."""
    values = form_values(form, (*LIST_FIELDS, *VALUE_FIELDS), lists=LIST_FIELDS)
    values["notes"] = [
        {
            "question": section.code,
            "note": str(form.get(f"note_{section.code}") or ""),
            "source": str(form.get(f"source_{section.code}") or "") or None,
        }
        for section in load().sections
        if str(form.get(f"note_{section.code}") or "").strip() or form.get(f"source_{section.code}")
    ]
    return values


def _form_ctx(
    values: dict[str, Any], errors: dict[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    notes = {n["question"]: n for n in values.get("notes", [])}
    return {
        "values": values,
        "notes": notes,
        "errors": errors or {},
        "qtext": text,
        "questionnaire": load(),
        "SERVICES": REFERRAL_SERVICES,
        **extra,
    }


def _intervention_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    lang = current_language()
    provinces = [(code, province_name(code, lang)) for code, _, _ in PROVINCES]
    ctx = {
        "values": values,
        "errors": errors or {},
        "provinces": provinces,
        "case_choices": cases.reference_choices(session, actor=actor),
    }
    return render(request, "screening/intervention_form.html", ctx, status_code=status_code)


# --- interventions ---------------------------------------------------------------------------


@router.get("/screening", dependencies=[requires("screening.read")])
def index_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    rows = interventions.listing(session, actor=actor)
    counts = None
    if actor.role in flags.FLAG_READERS:
        counts = {"open": len(flags.queue(session, actor=actor, status="open"))}
    return render(request, "screening/index.html", {"rows": rows, "flag_counts": counts})


@router.get("/screening/interventions/new", dependencies=[requires("screening.read")])
def new_intervention_page(
    request: Request, session: SessionDep, actor: ActorDep, case: str = "", case_id: str = ""
) -> Response:
    """The intervention form; ``?case=KH-12-2026-000001`` (or the case page's link) fills in
    the case."""
    if case_id.isdigit() and not case:
        found = cases.visible(session, actor=actor, case_id=int(case_id))
        case = found.reference
    return _intervention_form(request, session, actor, {"case": case, "agencies": ""})


@router.post("/screening/interventions/new", dependencies=[requires("screening.read")])
def create_intervention_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    values = {
        k: str(form.get(k) or "")
        for k in ("case", "occurred_on", "place", "province", "agencies", "notes")
    }
    errors: list[Any] = []
    try:
        values["case_id"] = str(cases.case_id_of(session, actor=actor, value=values["case"]))
    except ValidationFailed as exc:
        errors, values["case_id"] = exc.errors, "0"
    try:
        data = parse_form(InterventionIn, values)
        if errors:
            raise ValidationFailed(errors)
        created = interventions.create(session, actor=actor, data=data)
    except ValidationFailed as exc:
        found = form_errors(ValidationFailed(errors + [e for e in exc.errors if e not in errors]))
        return _intervention_form(request, session, actor, values, found, status_code=422)
    return RedirectResponse(f"/screening/interventions/{created.id}", status_code=303)


def _intervention_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    intervention_id: int,
    page: int = 1,
    report: Any = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    intervention = interventions.get(session, actor=actor, intervention_id=intervention_id)
    rows, total = interventions.entries(
        session, actor=actor, intervention_id=intervention_id, page=page
    )
    nxt = interventions.next_unscreened(session, intervention_id=intervention_id)
    return render(
        request,
        "screening/intervention.html",
        {
            "intervention": intervention,
            "rows": rows,
            "total": total,
            "page": page,
            "page_size": 50,
            "next_entry": nxt,
            "report": report,
            "errors": errors or {},
            "case": cases.visible(session, actor=actor, case_id=intervention.case_id),
            "progress": interventions.progress(
                session, actor=actor, intervention_id=intervention_id
            ),
        },
        status_code=status_code,
    )


@router.get("/screening/interventions/{intervention_id}")
def intervention_page(
    request: Request, session: SessionDep, actor: ActorDep, intervention_id: int, page: int = 1
) -> Response:
    return _intervention_page(request, session, actor, intervention_id, max(page, 1))


@router.post("/screening/interventions/{intervention_id}/roster")
async def import_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    settings: SettingsDep,
    intervention_id: int,
) -> Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        exc = ValidationFailed.single("file", "choose a .csv or .xlsx file")
        return _intervention_page(
            request, session, actor, intervention_id, errors=form_errors(exc), status_code=422
        )
    data = await upload.read(settings.max_upload_bytes + 1)
    limits = roster.RosterLimits.of(settings)
    return await run_in_threadpool(
        _imported_page, request, session, actor, intervention_id, data, upload.filename, limits
    )


def _imported_page(
    request: Request,
    session: Session,
    actor: Actor,
    intervention_id: int,
    data: bytes,
    filename: str,
    limits: roster.RosterLimits,
) -> Response:
    """Import (in a worker thread: parsing a large file must not block the event loop)."""
    try:
        report = roster.import_file(
            session,
            actor=actor,
            intervention_id=intervention_id,
            data=data,
            filename=filename,
            limits=limits,
        )
    except ValidationFailed as exc:
        return _intervention_page(
            request, session, actor, intervention_id, errors=form_errors(exc), status_code=422
        )
    return _intervention_page(request, session, actor, intervention_id, report=report)


@router.get("/screening/interventions/{intervention_id}/referrals.{fmt}")
def referral_lists_file(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, intervention_id: int, fmt: str
) -> Response:
    data = exports.export(
        session,
        actor=actor,
        intervention_id=intervention_id,
        fmt=fmt,
        font=khmer_font(settings),
        language=current_language(),
    )
    return download(data, fmt, f"referral-lists-{intervention_id}")


@router.get("/screening/interventions/{intervention_id}/referrals")
def referral_lists_page(
    request: Request, session: SessionDep, actor: ActorDep, intervention_id: int
) -> Response:
    lists = exports.referral_lists(session, actor=actor, intervention_id=intervention_id)
    return render(request, "screening/referral_lists.html", {"lists": lists})


# --- mass screening: one roster entry after another --------------------------------------------


def _entry_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    entry_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    intervention, entry = interventions.entry(session, actor=actor, entry_id=entry_id)
    if values is None:
        values = {"date_of_birth": entry.date_of_birth, "age_at_act": entry.age}
    return render(
        request,
        "screening/screen.html",
        _form_ctx(
            values,
            errors,
            intervention=intervention,
            entry=entry,
            name=interventions.entry_name(entry),
            registry_matches=interventions.registry_matches(session, actor=actor, entry=entry),
            latest=interventions.latest_results(session, intervention.id).get(entry.id),
            progress=interventions.progress(session, actor=actor, intervention_id=intervention.id),
            action=f"/screening/entries/{entry.id}",
        ),
        status_code=status_code,
    )


@router.get("/screening/entries/{entry_id}")
def entry_page(request: Request, session: SessionDep, actor: ActorDep, entry_id: int) -> Response:
    return _entry_page(request, session, actor, entry_id)


@router.post("/screening/entries/{entry_id}")
def screen_entry_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, entry_id: int
) -> Response:
    values = screening_values(form)
    try:
        screening = interventions.screen_entry(
            session, actor=actor, entry_id=entry_id, data=parse_form(ScreeningIn, values)
        )
    except ValidationFailed as exc:
        return _entry_page(
            request, session, actor, entry_id, values, form_errors(exc), status_code=422
        )
    intervention, entry = interventions.entry(session, actor=actor, entry_id=entry_id)
    nxt = interventions.next_unscreened(
        session, intervention_id=intervention.id, after_row=entry.row_number
    )
    target = (
        f"/screening/entries/{nxt}"
        if nxt and form.get("then") != "stay"
        else f"/screening/interventions/{intervention.id}"
    )
    return RedirectResponse(f"{target}?saved={screening.id}", status_code=303)


# --- what the registry's pages show of screening (registered through ctip.cases.hooks) ---------


@hooks.on_case_page
def _case_page_screenings(session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    return {
        "latest_screenings": service.latest_of_case(session, actor=actor, case_id=case_id),
        "interventions": service.interventions_of(session, actor=actor, case_id=case_id),
        "can_screen": actor.role in service.SCREENERS,
    }


@hooks.on_person_page
def _person_page_screenings(session: Session, actor: Actor, person_id: int) -> dict[str, Any]:
    return {
        "latest_screenings": service.latest_of_person(session, actor=actor, person_id=person_id),
        "flagged": bool(flags.flagged_persons(session, actor=actor, person_ids=[person_id])),
    }


# --- a person on a case ------------------------------------------------------------------------


def _person_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    case_id: int,
    person_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    case = cases.visible(session, actor=actor, case_id=case_id)
    due_days = request.app.state.settings.referral_due_days
    person = persons.get(session, actor=actor, person_id=person_id)
    lang = current_language()
    history = [
        (service.to_out(s), [explain(r, lang) for r in service.decision_of(s).reasons])
        for s in service.listing(session, actor=actor, case_id=case_id, person_id=person_id)
    ]
    return render(
        request,
        "screening/person.html",
        _form_ctx(
            values or {"date_of_birth": person.date_of_birth},
            errors,
            case=case,
            person=person,
            name=persons.display_name(person),
            history=history,
            flagged=bool(flags.flagged_persons(session, actor=actor, person_ids=[person_id])),
            STATUSES=TRAFFICKING_STATUSES,
            DECIDERS=DECIDING_ORG_TYPES,
            org_options=[(o.id, o.name) for o in orgs.choices(session)],
            referrals=service.referrals_of(
                session, actor=actor, case_id=case_id, person_id=person_id, due_days=due_days
            ),
            action=f"/screening/cases/{case_id}/persons/{person_id}",
        ),
        status_code=status_code,
    )


@router.get("/screening/cases/{case_id}/persons/{person_id}")
def person_page(
    request: Request, session: SessionDep, actor: ActorDep, case_id: int, person_id: int
) -> Response:
    return _person_page(request, session, actor, case_id, person_id)


@router.post("/screening/cases/{case_id}/persons/{person_id}")
def screen_person_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    case_id: int,
    person_id: int,
) -> Response:
    values = screening_values(form)
    try:
        service.record(
            session,
            actor=actor,
            case_id=case_id,
            person_id=person_id,
            data=parse_form(ScreeningIn, values),
        )
    except ValidationFailed as exc:
        return _person_page(
            request, session, actor, case_id, person_id, values, form_errors(exc), status_code=422
        )
    return RedirectResponse(
        f"/screening/cases/{case_id}/persons/{person_id}#history", status_code=303
    )


@router.post("/screening/cases/{case_id}/persons/{person_id}/status")
def status_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    case_id: int,
    person_id: int,
) -> Response:
    values = {
        "case_id": case_id,
        "person_id": person_id,
        **{k: str(form.get(k) or "") or None for k in ("status", "decided_by", "decided_on")},
    }
    try:
        service.confirm_status(session, actor=actor, data=parse_form(StatusIn, values))
    except ValidationFailed as exc:
        return _person_page(
            request, session, actor, case_id, person_id, errors=form_errors(exc), status_code=422
        )
    return RedirectResponse(
        f"/screening/cases/{case_id}/persons/{person_id}#status", status_code=303
    )


@router.post("/screening/screenings/{screening_id}/referrals")
def refer_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, screening_id: int
) -> Response:
    screening = service.get(session, actor=actor, screening_id=screening_id)
    values: dict[str, Any] = {
        k: str(form.get(k) or "") or None
        for k in ("to_org_id", "service", "referred_on", "consent_on", "consent_override_reason")
    }
    values["consent_given"] = bool(form.get("consent_given"))
    try:
        service.refer(
            session,
            actor=actor,
            screening_id=screening_id,
            data=parse_form(ReferralFromScreeningIn, values),
        )
    except (ValidationFailed, DomainError) as exc:
        return _person_page(
            request,
            session,
            actor,
            screening.case_id,
            screening.person_id,
            errors=form_errors(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(
        f"/screening/cases/{screening.case_id}/persons/{screening.person_id}#referrals",
        status_code=303,
    )


# --- non-punishment queue ----------------------------------------------------------------------


def _flags_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    status: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    every = flags.queue(session, actor=actor, status=None)
    rows = [r for r in every if not status or r.status == status]
    counts = {s: sum(1 for r in every if r.status == s) for s in flags.FLAG_STATUSES}
    return render(
        request,
        "screening/flags.html",
        {
            "rows": rows,
            "status": status,
            "STATUSES": flags.FLAG_STATUSES,
            "counts": counts,
            "can_decide": actor.role in flags.FLAG_DECIDERS,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/screening/flags")
def flags_page(
    request: Request, session: SessionDep, actor: ActorDep, status: str = "open"
) -> Response:
    return _flags_page(request, session, actor, status)


@router.post("/screening/flags/{flag_id}/decision")
def decide_flag_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, flag_id: int
) -> Response:
    values = {"decision": str(form.get("decision") or ""), "reason": str(form.get("reason") or "")}
    try:
        data = parse_form(FlagDecisionIn, values)
        flags.decide(
            session, actor=actor, flag_id=flag_id, decision=data.decision, reason=data.reason
        )
    except ValidationFailed as exc:
        return _flags_page(
            request, session, actor, "open", errors=form_errors(exc), status_code=422
        )
    return RedirectResponse("/screening/flags", status_code=303)

"""The screening JSON API (mounted under ``/api/v1``), built from the same services as the pages.

``POST /screening/evaluate`` needs no database: it runs the pure decision on the answers sent.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Any

from fastapi import APIRouter, File, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ctip.i18n import current_language
from ctip.screening import exports, flags, interventions, roster, service
from ctip.screening.decision import evaluate
from ctip.screening.questionnaire import load
from ctip.screening.schemas import (
    AnswersIn,
    DecisionOut,
    FlagDecisionIn,
    InterventionIn,
    ReferralFromScreeningIn,
    ScreeningCreate,
    ScreeningIn,
    ScreeningOut,
    StatusIn,
)
from ctip.web.deps import ActorDep, SessionDep, SettingsDep
from ctip.web.fonts import khmer_font
from ctip.web.gates import requires

api_router = APIRouter(tags=["screening"])
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def download(data: bytes, fmt: str, stem: str) -> Response:
    """A file answer with the right media type and a download name."""
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


@api_router.post(
    "/screening/evaluate", response_model=DecisionOut, dependencies=[requires("screening.read")]
)
def evaluate_answers(data: AnswersIn, actor: ActorDep) -> DecisionOut:
    """The screening decision for these answers: result, reasons and what is missing.
    Unknown codes or impossible ages answer 422 naming the field."""
    return DecisionOut.of(evaluate(data.answers()))


@api_router.get("/screening/questionnaire")
def questionnaire(actor: ActorDep, version: str | None = None) -> dict[str, Any]:
    """The questionnaire (English and Khmer texts; the Khmer wording is a draft)."""
    return asdict(load(version) if version else load())


@api_router.post(
    "/screening/screenings",
    status_code=201,
    response_model=ScreeningOut,
    dependencies=[requires("screening.read")],
)
def create_screening(data: ScreeningCreate, session: SessionDep, actor: ActorDep) -> ScreeningOut:
    """Screen a person on a case; the result is computed and stored."""
    screening = service.record(
        session, actor=actor, case_id=data.case_id, person_id=data.person_id, data=data
    )
    return service.to_out(screening)


@api_router.get(
    "/screening/screenings",
    response_model=list[ScreeningOut],
    dependencies=[requires("screening.read")],
)
def list_screenings(
    session: SessionDep, actor: ActorDep, case_id: int | None = None, person_id: int | None = None
) -> list[ScreeningOut]:
    """Screenings of a case and/or person within the caller's scope, newest first."""
    found = service.listing(session, actor=actor, case_id=case_id, person_id=person_id)
    return [service.to_out(s) for s in found]


@api_router.get("/screening/screenings/{screening_id}", response_model=ScreeningOut)
def read_screening(screening_id: int, session: SessionDep, actor: ActorDep) -> ScreeningOut:
    return service.to_out(service.get(session, actor=actor, screening_id=screening_id))


@api_router.post("/screening/screenings/{screening_id}/referrals", status_code=201)
def refer(
    screening_id: int, data: ReferralFromScreeningIn, session: SessionDep, actor: ActorDep
) -> dict[str, Any]:
    """Refer the screened person (consent, or an override with its reason)."""
    referral = service.refer(session, actor=actor, screening_id=screening_id, data=data)
    return {
        "id": referral.id,
        "status": referral.status,
        "service": referral.service,
        "to_org_id": referral.to_org_id,
        "person_id": referral.person_id,
    }


@api_router.post("/screening/status", dependencies=[requires("screening.read")])
def confirm_status(data: StatusIn, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Confirm the HTCDS trafficking status of a person on a case (audited)."""
    role = service.confirm_status(session, actor=actor, data=data)
    return {
        "case_id": role.case_id,
        "person_id": role.person_id,
        "trafficking_status": role.trafficking_status,
        "status_decided_by": role.status_decided_by,
        "status_decided_on": role.status_decided_on,
    }


# --- interventions ---------------------------------------------------------------------------


def _intervention_json(intervention: Any, progress: interventions.Progress) -> dict[str, Any]:
    return {
        "id": intervention.id,
        "case_id": intervention.case_id,
        "occurred_on": intervention.occurred_on,
        "place": intervention.place,
        "province": intervention.province,
        "agencies": intervention.agencies,
        "progress": asdict(progress),
    }


@api_router.post(
    "/screening/interventions", status_code=201, dependencies=[requires("screening.read")]
)
def create_intervention(
    data: InterventionIn, session: SessionDep, actor: ActorDep
) -> dict[str, Any]:
    created = interventions.create(session, actor=actor, data=data)
    return _intervention_json(
        created, interventions.progress(session, actor=actor, intervention_id=created.id)
    )


@api_router.get("/screening/interventions/{intervention_id}")
def read_intervention(intervention_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """An intervention with its screening progress (screened, remaining, by nationality)."""
    found = interventions.get(session, actor=actor, intervention_id=intervention_id)
    return _intervention_json(
        found, interventions.progress(session, actor=actor, intervention_id=intervention_id)
    )


@api_router.get("/screening/interventions/{intervention_id}/entries")
def roster_entries(
    intervention_id: int, session: SessionDep, actor: ActorDep, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    rows, total = interventions.entries(
        session,
        actor=actor,
        intervention_id=intervention_id,
        page=page,
        page_size=max(1, min(page_size, 500)),
    )
    return {"items": [asdict(r) for r in rows], "total": total, "page": page}


@api_router.post("/screening/interventions/{intervention_id}/roster")
async def import_roster(
    intervention_id: int,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: UploadFile = File(...),
) -> dict[str, Any]:
    """Import a CSV or XLSX roster; refused rows are listed by row and field. The file is
    parsed in a worker thread (the server keeps answering) within the roster limits."""
    data = await file.read(settings.max_upload_bytes + 1)
    report = await run_in_threadpool(
        partial(
            roster.import_file,
            session,
            actor=actor,
            intervention_id=intervention_id,
            data=data,
            filename=file.filename or "",
            limits=roster.RosterLimits.of(settings),
        )
    )
    result = asdict(report)
    result["errors"] = [{"row": e.row, "field": e.field, "msg": e.message} for e in report.errors]
    return result


@api_router.post(
    "/screening/entries/{entry_id}/screening", status_code=201, response_model=ScreeningOut
)
def screen_entry(
    entry_id: int, data: ScreeningIn, session: SessionDep, actor: ActorDep
) -> ScreeningOut:
    """Screen one roster entry (the person is registered on the case first)."""
    return service.to_out(
        interventions.screen_entry(session, actor=actor, entry_id=entry_id, data=data)
    )


@api_router.get("/screening/interventions/{intervention_id}/referral-lists")
def referral_lists(intervention_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return asdict(exports.referral_lists(session, actor=actor, intervention_id=intervention_id))


@api_router.get("/screening/interventions/{intervention_id}/referral-lists.{fmt}")
def referral_lists_file(
    intervention_id: int, fmt: str, session: SessionDep, actor: ActorDep, settings: SettingsDep
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


# --- non-punishment flags ------------------------------------------------------------------


@api_router.get("/screening/flags")
def flag_queue(
    session: SessionDep,
    actor: ActorDep,
    status: str | None = "open",
    person_id: int | None = None,
    case_id: int | None = None,
) -> dict[str, Any]:
    """The non-punishment queue (admin and secretariat); `status=` empty lists every flag."""
    rows = flags.queue(
        session, actor=actor, status=status or None, person_id=person_id, case_id=case_id
    )
    return {"items": [asdict(r) for r in rows], "total": len(rows)}


@api_router.get("/screening/flags/counts")
def flag_counts(session: SessionDep, actor: ActorDep) -> dict[str, int]:
    """Flags by status, for statistics."""
    return flags.counts(session)


@api_router.post("/screening/flags/{flag_id}/decision")
def decide_flag(
    flag_id: int, data: FlagDecisionIn, session: SessionDep, actor: ActorDep
) -> dict[str, Any]:
    flag = flags.decide(
        session, actor=actor, flag_id=flag_id, decision=data.decision, reason=data.reason
    )
    return {
        "id": flag.id,
        "person_id": flag.person_id,
        "status": flag.status,
        "decided_on": flag.decided_on,
        "decision_reason": flag.decision_reason,
    }

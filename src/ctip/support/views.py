"""Support plan pages (``/support/...``) and API (``/api/v1/support/...``).

Every form posts back to the plan page; an invalid form shows the plan again with the field's
message (422) and nothing written.
"""

from __future__ import annotations

from typing import Any, TypedDict

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from ctip.auth.scope import Actor
from ctip.errors import ValidationFailed
from ctip.orgs import service as orgs
from ctip.persons.schemas import parse_form
from ctip.reference import REINTEGRATION_STEPS, SUPPORT_STATUSES, SUPPORT_TYPES
from ctip.support import service
from ctip.support.schemas import (
    FollowUpIn,
    NoteIn,
    PlanOut,
    ServiceIn,
    ServiceUpdate,
    StepIn,
    TaskIn,
    TaskOut,
)
from ctip.web.deps import ActorDep, FormDep, SessionDep
from ctip.web.gates import requires
from ctip.web.render import form_errors, form_values, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["support"])


class PlanPageContext(TypedDict):
    """What the support plan template is given."""

    plan: PlanOut
    form: str | None
    values: dict[str, Any]
    errors: dict[str, str]
    SUPPORT_TYPES: tuple[str, ...]
    SUPPORT_STATUSES: tuple[str, ...]
    STEPS: tuple[str, ...]
    providers: list[tuple[int, str]]


def _url(case_id: int, person_id: int) -> str:
    return f"/support/cases/{case_id}/persons/{person_id}"


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    case_id: int,
    person_id: int,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    ctx = PlanPageContext(
        plan=service.plan(session, actor=actor, case_id=case_id, person_id=person_id),
        form=form,
        values=values or {},
        errors=errors or {},
        SUPPORT_TYPES=SUPPORT_TYPES,
        SUPPORT_STATUSES=SUPPORT_STATUSES,
        STEPS=REINTEGRATION_STEPS,
        providers=[(o.id, o.name) for o in orgs.choices(session)],
    )
    return render(request, "support/plan.html", dict(ctx), status_code=status_code)


@router.get("/support/cases/{case_id}/persons/{person_id}")
def plan_page(
    request: Request, session: SessionDep, actor: ActorDep, case_id: int, person_id: int
) -> Response:
    return _page(request, session, actor, case_id, person_id)


FORMS: dict[str, tuple[str, ...]] = {
    "service": ("service_type", "provider_org_id", "status", "start_on", "end_on"),
    "task": ("title", "due_on"),
    "step": ("step", "occurred_on", "description"),
}


def _write(
    form_name: str,
    session: Session,
    actor: Actor,
    case_id: int,
    person_id: int,
    values: dict[str, Any],
    shared: list[str],
) -> None:
    where = {"case_id": case_id, "person_id": person_id}
    if form_name == "service":
        data = parse_form(ServiceIn, {k: v for k, v in values.items() if v is not None})
        service.add_service(session, actor=actor, data=data, **where)
    elif form_name == "task":
        service.add_task(session, actor=actor, data=parse_form(TaskIn, values), **where)
    elif form_name == "step":
        data = parse_form(StepIn, values)
        service.add_step(session, actor=actor, case_id=case_id, person_id=person_id, data=data)
    else:
        note = NoteIn(body=str(values.get("body") or ""), shared_with=[int(o) for o in shared])
        service.add_note(session, actor=actor, case_id=case_id, person_id=person_id, data=note)


@router.post("/support/cases/{case_id}/persons/{person_id}/{form_name}")
def plan_post(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    case_id: int,
    person_id: int,
    form_name: str,
) -> Response:
    """Add a service, a task, a step or a note to the plan."""
    names = FORMS.get(form_name, ("body",))
    values = form_values(form, names)
    shared = [str(v) for v in form.getlist("shared_with") if str(v).isdigit()]
    try:
        _write(form_name, session, actor, case_id, person_id, values, shared)
    except ValidationFailed as exc:
        return _page(
            request, session, actor, case_id, person_id, form_name, values, form_errors(exc), 422
        )
    return RedirectResponse(f"{_url(case_id, person_id)}#{form_name}s", status_code=303)


@router.post("/support/services/{service_id}/followups")
def followup_post(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, service_id: int
) -> Response:
    values = form_values(form, ("followed_on", "note", "case_id", "person_id"))
    case_id, person_id = int(values["case_id"] or 0), int(values["person_id"] or 0)
    try:
        service.add_followup(
            session, actor=actor, service_id=service_id, data=parse_form(FollowUpIn, values)
        )
    except ValidationFailed as exc:
        errors = form_errors(exc)
        return _page(
            request,
            session,
            actor,
            case_id,
            person_id,
            f"followup-{service_id}",
            values,
            errors,
            422,
        )
    return RedirectResponse(f"{_url(case_id, person_id)}#service-{service_id}", status_code=303)


@router.post("/support/tasks/{task_id}/done")
def task_done_post(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, task_id: int
) -> Response:
    task = service.complete_task(session, actor=actor, task_id=task_id)
    back = str(form.get("next") or "")
    target = back if back.startswith("/support/") else _url(task.case_id, task.person_id)
    return RedirectResponse(target, status_code=303)


@router.get("/support/tasks", dependencies=[requires("support.read")])
def tasks_page(
    request: Request, session: SessionDep, actor: ActorDep, overdue: str = ""
) -> Response:
    rows = service.tasks(session, actor=actor, overdue_only=overdue == "1")
    return render(request, "support/tasks.html", {"rows": rows, "overdue": overdue == "1"})


# --- API -------------------------------------------------------------------------------------


@api_router.get("/support/cases/{case_id}/persons/{person_id}", response_model=PlanOut)
def plan_api(case_id: int, person_id: int, session: SessionDep, actor: ActorDep) -> PlanOut:
    """The victim's support plan (services with follow-ups, notes shared with the reader,
    tasks, reintegration steps)."""
    return service.plan(session, actor=actor, case_id=case_id, person_id=person_id)


@api_router.post("/support/cases/{case_id}/persons/{person_id}/services", status_code=201)
def service_api(
    case_id: int, person_id: int, data: ServiceIn, session: SessionDep, actor: ActorDep
) -> dict[str, int]:
    made = service.add_service(
        session, actor=actor, case_id=case_id, person_id=person_id, data=data
    )
    return {"id": made.id}


@api_router.patch("/support/services/{service_id}")
def service_update_api(
    service_id: int, data: ServiceUpdate, session: SessionDep, actor: ActorDep
) -> dict[str, Any]:
    changed = service.update_service(session, actor=actor, service_id=service_id, data=data)
    return {"id": changed.id, "status": changed.status}


@api_router.post("/support/services/{service_id}/followups", status_code=201)
def followup_api(
    service_id: int, data: FollowUpIn, session: SessionDep, actor: ActorDep
) -> dict[str, int]:
    return {"id": service.add_followup(session, actor=actor, service_id=service_id, data=data).id}


@api_router.post("/support/cases/{case_id}/persons/{person_id}/notes", status_code=201)
def note_api(
    case_id: int, person_id: int, data: NoteIn, session: SessionDep, actor: ActorDep
) -> dict[str, int]:
    made = service.add_note(session, actor=actor, case_id=case_id, person_id=person_id, data=data)
    return {"id": made.id}


@api_router.post("/support/cases/{case_id}/persons/{person_id}/tasks", status_code=201)
def task_api(
    case_id: int, person_id: int, data: TaskIn, session: SessionDep, actor: ActorDep
) -> dict[str, int]:
    made = service.add_task(session, actor=actor, case_id=case_id, person_id=person_id, data=data)
    return {"id": made.id}


@api_router.post("/support/cases/{case_id}/persons/{person_id}/steps", status_code=201)
def step_api(
    case_id: int, person_id: int, data: StepIn, session: SessionDep, actor: ActorDep
) -> dict[str, int]:
    made = service.add_step(session, actor=actor, case_id=case_id, person_id=person_id, data=data)
    return {"id": made.id}


@api_router.post("/support/tasks/{task_id}/done")
def task_done_api(task_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    task = service.complete_task(session, actor=actor, task_id=task_id)
    return {"id": task.id, "done_on": task.done_on}


@api_router.get(
    "/support/tasks", response_model=list[TaskOut], dependencies=[requires("support.read")]
)
def tasks_api(session: SessionDep, actor: ActorDep, overdue: bool = False) -> list[TaskOut]:
    """Open tasks in the caller's scope, soonest due first; ``overdue=true``: past due."""
    return service.tasks(session, actor=actor, overdue_only=overdue)

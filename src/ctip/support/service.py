"""A referred victim's support plan: services and follow-ups, case notes, tasks and
reintegration steps; consent-scoped like referrals, every change audited.

Who sees a plan: whoever sees the victim on the case (``auth.scope``), except that an NGO case
worker sees only the plans of persons referred (pending or accepted) to their organisation.
Case notes are narrower still: the author's organisation and the organisations the note is
shared with, which must be organisations receiving the victim or consented to by the victim.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, select, true
from sqlalchemy.orm import Session, aliased

from ctip.audit.service import record as audit
from ctip.auth.scope import OPEN_REFERRAL, Actor, visible_cases, visible_participants
from ctip.cases import service as cases
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from ctip.orgs.models import Organisation
from ctip.persons import service as persons
from ctip.reference import (
    REINTEGRATION_STEPS,
    SUPPORT_STATUSES,
    SUPPORT_TYPES,
    VICTIM_CONTEXT_ROLES,
)
from ctip.referrals.models import Referral
from ctip.support.models import CaseNote, SupportFollowUp, SupportService, SupportTask
from ctip.support.schemas import (
    FollowUpIn,
    FollowUpOut,
    NoteIn,
    NoteOut,
    PlanOut,
    ServiceIn,
    ServiceOut,
    ServiceUpdate,
    StepIn,
    StepOut,
    TaskIn,
    TaskOut,
)

# Who may change a plan they can see (NGO case workers only for persons referred to them).
PLAN_WRITERS = frozenset({"admin", "provincial_officer", "investigator", "ngo_caseworker"})


def plan_scope(actor: Actor, case_id: Any, person_id: Any) -> ColumnElement[bool]:
    """WHERE clause: the plan of ``person_id`` on ``case_id`` (columns) is the actor's to see."""
    if actor.is_national:
        return true()
    if actor.role == "viewer":
        return false()
    own = aliased(Case)
    case_ok = exists().where(own.id == case_id, visible_cases(actor, own))
    if actor.sees_offenders:
        return case_ok
    referred = exists().where(
        Referral.case_id == case_id,
        Referral.person_id == person_id,
        Referral.to_org_id == actor.organisation_id,
        Referral.status.in_(OPEN_REFERRAL),
    )
    return and_(case_ok, referred)


def _access(session: Session, actor: Actor, case_id: int, person_id: int) -> Case:
    """The case, if the actor may see this victim's plan; ``NotFound`` otherwise."""
    case = cases.visible(session, actor=actor, case_id=case_id)
    on_case = session.scalar(
        select(CasePerson.id)
        .where(
            CasePerson.case_id == case.id,
            CasePerson.person_id == person_id,
            CasePerson.role.in_(VICTIM_CONTEXT_ROLES),
            visible_participants(actor),
            plan_scope(actor, CasePerson.case_id, CasePerson.person_id),
        )
        .limit(1)
    )
    if on_case is None:
        raise NotFound("no support plan for this person on this case")
    return case


def _sees(session: Session, actor: Actor, case_id: int, person_id: int) -> bool:
    """Whether the actor may see this victim's plan (``_access`` without its answer)."""
    try:
        _access(session, actor, case_id, person_id)
    except NotFound:
        return False
    return True


def _can_write(actor: Actor, case: Case) -> bool:
    if actor.role not in PLAN_WRITERS:
        return False
    return actor.role == "ngo_caseworker" or cases.can_write(actor, case)


def _writable(session: Session, actor: Actor, case_id: int, person_id: int) -> Case:
    case = _access(session, actor, case_id, person_id)
    if not _can_write(actor, case):
        raise PermissionDenied("your role cannot change this support plan", role=actor.role)
    return case


def _log(session: Session, actor: Actor, action: str, case_id: int, **after: Any) -> None:
    audit(session, actor=actor, action=action, entity_type="case", entity_id=case_id, after=after)


# --- services and follow-ups ---------------------------------------------------------------


def _service_errors(session: Session, data: ServiceIn) -> list[FieldError]:
    errors = []
    if data.service_type not in SUPPORT_TYPES:
        errors.append(
            FieldError("service_type", "unknown service %(value)s", {"value": data.service_type})
        )
    if data.status not in SUPPORT_STATUSES:
        errors.append(FieldError("status", "unknown status %(value)s", {"value": data.status}))
    if data.provider_org_id is not None and not session.get(Organisation, data.provider_org_id):
        errors.append(FieldError("provider_org_id", "no such organisation"))
    if data.start_on and data.end_on and data.end_on < data.start_on:
        errors.append(FieldError("end_on", "the end cannot be before the start"))
    return errors


def add_service(
    session: Session, *, actor: Actor, case_id: int, person_id: int, data: ServiceIn
) -> SupportService:
    """Add a service to the victim's plan (audited ``support.service_add``)."""
    case = _writable(session, actor, case_id, person_id)
    errors = _service_errors(session, data)
    if errors:
        raise ValidationFailed(errors)
    service = SupportService(
        case_id=case.id, person_id=person_id, created_by_id=actor.id, **data.model_dump()
    )
    session.add(service)
    session.flush()
    _log(
        session,
        actor,
        "support.service_add",
        case.id,
        service=service.id,
        person=person_id,
        type=data.service_type,
        status=data.status,
    )
    return service


def _service(session: Session, actor: Actor, service_id: int) -> SupportService:
    found = session.get(SupportService, service_id)
    if found is None or not _sees(session, actor, found.case_id, found.person_id):
        raise NotFound("service not found", id=service_id)  # one answer: missing or not yours
    _writable(session, actor, found.case_id, found.person_id)
    return found


def update_service(
    session: Session, *, actor: Actor, service_id: int, data: ServiceUpdate
) -> SupportService:
    """Change a service's status (and end date); audited ``support.service_update``."""
    service = _service(session, actor, service_id)
    if data.status not in SUPPORT_STATUSES:
        raise ValidationFailed.single("status", "unknown status %(value)s", value=data.status)
    before = service.status
    service.status, service.end_on = data.status, data.end_on or service.end_on
    session.flush()
    _log(
        session,
        actor,
        "support.service_update",
        service.case_id,
        service=service.id,
        before=before,
        status=data.status,
    )
    return service


def add_followup(
    session: Session, *, actor: Actor, service_id: int, data: FollowUpIn, today: date | None = None
) -> SupportFollowUp:
    """Record a follow-up of a service (audited ``support.followup_add``)."""
    service = _service(session, actor, service_id)
    if data.followed_on > (today or date.today()):
        raise ValidationFailed.single("followed_on", "the date cannot be in the future")
    followup = SupportFollowUp(
        service_id=service.id,
        followed_on=data.followed_on,
        note=(data.note or "").strip() or None,
        created_by_id=actor.id,
    )
    session.add(followup)
    session.flush()
    _log(
        session,
        actor,
        "support.followup_add",
        service.case_id,
        service=service.id,
        followup=followup.id,
    )
    return followup


# --- case notes ---------------------------------------------------------------------------


def note_orgs(session: Session, *, case_id: int, person_id: int) -> dict[int, str]:
    """Organisations a note on this victim may be shared with: those receiving the victim
    (an open referral) and those the victim consented to be referred to."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .join(Referral, Referral.to_org_id == Organisation.id)
        .where(
            Referral.case_id == case_id,
            Referral.person_id == person_id,
            Referral.status.in_(OPEN_REFERRAL) | Referral.consent_given.is_(True),
        )
        .order_by(Organisation.name)
    ).all()
    return {int(org_id): str(name) for org_id, name in rows}


def add_note(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    data: NoteIn,
    today: date | None = None,
) -> CaseNote:
    """Write a case note, shared with the organisations named (default: every organisation
    receiving or consented to); audited ``support.note_add`` without its text."""
    case = _writable(session, actor, case_id, person_id)
    allowed = note_orgs(session, case_id=case.id, person_id=person_id)
    shared = list(allowed) if data.shared_with is None else data.shared_with
    errors = []
    if not data.body.strip():
        errors.append(FieldError("body", "required"))
    outside = [o for o in shared if o not in allowed]
    if outside:
        errors.append(
            FieldError(
                "shared_with",
                "a note can be shared only with organisations receiving the victim or "
                "consented to by the victim",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    note = CaseNote(
        case_id=case.id,
        person_id=person_id,
        written_on=today or date.today(),
        body=data.body.strip(),
        author_org_id=actor.organisation_id,
        shared_with=[str(o) for o in dict.fromkeys(shared)],
        created_by_id=actor.id,
    )
    session.add(note)
    session.flush()
    _log(session, actor, "support.note_add", case.id, note=note.id, shared_with=note.shared_with)
    return note


def _reads_note(actor: Actor, note: CaseNote) -> bool:
    if note.created_by_id is not None and note.created_by_id == actor.id:
        return True
    org = actor.organisation_id
    return org is not None and (org == note.author_org_id or str(org) in note.shared_with)


# --- tasks --------------------------------------------------------------------------------


def add_task(
    session: Session, *, actor: Actor, case_id: int, person_id: int, data: TaskIn
) -> SupportTask:
    """A task with a due date (audited ``support.task_add``)."""
    case = _writable(session, actor, case_id, person_id)
    if not data.title.strip():
        raise ValidationFailed.single("title", "required")
    task = SupportTask(
        case_id=case.id,
        person_id=person_id,
        title=data.title.strip(),
        due_on=data.due_on,
        org_id=actor.organisation_id,
        created_by_id=actor.id,
    )
    session.add(task)
    session.flush()
    _log(session, actor, "support.task_add", case.id, task=task.id, due_on=str(data.due_on))
    return task


def complete_task(
    session: Session, *, actor: Actor, task_id: int, today: date | None = None
) -> SupportTask:
    """Mark a task done (audited ``support.task_done``)."""
    task = session.get(SupportTask, task_id)
    if task is None or not _sees(session, actor, task.case_id, task.person_id):
        raise NotFound("task not found", id=task_id)  # one answer: missing or not yours
    _writable(session, actor, task.case_id, task.person_id)
    task.done_on = today or date.today()
    session.flush()
    _log(session, actor, "support.task_done", task.case_id, task=task.id)
    return task


def _task_out(task: SupportTask, reference: str, today: date) -> TaskOut:
    return TaskOut(
        id=task.id,
        case_id=task.case_id,
        case_reference=reference,
        person_id=task.person_id,
        title=task.title,
        due_on=task.due_on,
        done_on=task.done_on,
        overdue=task.done_on is None and task.due_on < today,
    )


def tasks(
    session: Session,
    *,
    actor: Actor,
    overdue_only: bool = False,
    today: date | None = None,
    limit: int = 500,
) -> list[TaskOut]:
    """Open tasks the actor may see, soonest due first (``overdue_only``: past their date)."""
    today = today or date.today()
    query = (
        select(SupportTask, Case.reference)
        .join(Case, Case.id == SupportTask.case_id)
        .where(
            SupportTask.done_on.is_(None),
            plan_scope(actor, SupportTask.case_id, SupportTask.person_id),
        )
    )
    if overdue_only:
        query = query.where(SupportTask.due_on < today)
    rows = session.execute(query.order_by(SupportTask.due_on, SupportTask.id).limit(limit))
    return [_task_out(task, ref, today) for task, ref in rows]


# --- reintegration and repatriation steps -----------------------------------------------------


def add_step(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    data: StepIn,
    today: date | None = None,
) -> CaseEvent:
    """A reintegration or repatriation step as an event on the case timeline (audited
    ``support.step_add``)."""
    case = _writable(session, actor, case_id, person_id)
    errors = []
    if data.step not in REINTEGRATION_STEPS:
        errors.append(FieldError("step", "unknown step %(value)s", {"value": data.step}))
    if data.occurred_on > (today or date.today()):
        errors.append(FieldError("occurred_on", "the date cannot be in the future"))
    if errors:
        raise ValidationFailed(errors)
    event = CaseEvent(
        case_id=case.id,
        event_type=data.step,
        occurred_on=data.occurred_on,
        person_id=person_id,
        description=(data.description or "").strip() or None,
        actor_id=actor.id,
    )
    session.add(event)
    session.flush()
    _log(session, actor, "support.step_add", case.id, event=event.id, step=data.step)
    return event


# --- the plan as shown ------------------------------------------------------------------------


def _services(session: Session, case_id: int, person_id: int) -> list[ServiceOut]:
    rows = session.scalars(
        select(SupportService)
        .where(SupportService.case_id == case_id, SupportService.person_id == person_id)
        .order_by(SupportService.id)
    )
    names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    return [
        ServiceOut(
            id=s.id,
            service_type=s.service_type,
            provider_org_id=s.provider_org_id,
            provider=names.get(s.provider_org_id) if s.provider_org_id else None,
            status=s.status,
            start_on=s.start_on,
            end_on=s.end_on,
            followups=[
                FollowUpOut(id=f.id, followed_on=f.followed_on, note=f.note) for f in s.followups
            ],
        )
        for s in rows
    ]


def _notes(session: Session, actor: Actor, case_id: int, person_id: int) -> list[NoteOut]:
    rows = session.scalars(
        select(CaseNote)
        .where(CaseNote.case_id == case_id, CaseNote.person_id == person_id)
        .order_by(CaseNote.written_on.desc(), CaseNote.id.desc())
    )
    return [
        NoteOut(
            id=n.id,
            written_on=n.written_on,
            body=n.body,
            author_org_id=n.author_org_id,
            shared_with=[int(o) for o in n.shared_with],
        )
        for n in rows
        if _reads_note(actor, n)
    ]


def _steps(session: Session, case_id: int, person_id: int) -> list[StepOut]:
    rows = session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.person_id == person_id,
            CaseEvent.event_type.in_(REINTEGRATION_STEPS),
        )
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    )
    return [
        StepOut(id=e.id, step=e.event_type, occurred_on=e.occurred_on, description=e.description)
        for e in rows
    ]


def plan(
    session: Session, *, actor: Actor, case_id: int, person_id: int, today: date | None = None
) -> PlanOut:
    """The victim's plan as the actor may see it (a read of the person, audited)."""
    case = _access(session, actor, case_id, person_id)
    person = persons.get(session, actor=actor, person_id=person_id, audit=False)
    today = today or date.today()
    open_tasks = session.scalars(
        select(SupportTask)
        .where(SupportTask.case_id == case.id, SupportTask.person_id == person_id)
        .order_by(SupportTask.done_on.is_not(None), SupportTask.due_on)
    )
    audit(
        session,
        actor=actor,
        action="support.read",
        entity_type="person",
        entity_id=person_id,
        detail=f"support plan on case {case.id}",
    )
    return PlanOut(
        case_id=case.id,
        case_reference=case.reference,
        person_id=person_id,
        person_name=persons.display_name(person),
        services=_services(session, case.id, person_id),
        notes=_notes(session, actor, case.id, person_id),
        tasks=[_task_out(t, case.reference, today) for t in open_tasks],
        steps=_steps(session, case.id, person_id),
        can_write=_can_write(actor, case),
        note_orgs=sorted(note_orgs(session, case_id=case.id, person_id=person_id).items()),
    )

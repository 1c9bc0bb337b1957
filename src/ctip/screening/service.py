"""Recording screenings, confirming trafficking status, and referring screened persons.

A screening belongs to a person on a case. The outcome is computed by the pure decision
(``decision.py``) and stored with the answers; the reasons are recomputed from the answers
whenever they are shown, so they always match the rules of the stored questionnaire version.
A screening result is not a status: an authorised user confirms the HTCDS trafficking status
on the person's victim role, and that confirmation is audited. A person screened from a roster
joins the case as ``screened``; a victim result (presumed or possible) makes them a victim, and
a confirmed status settles it either way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.audit.service import snapshot
from ctip.auth.scope import Actor, require_province, visible_participants
from ctip.cases import service as cases
from ctip.cases.models import CaseEvent, CasePerson
from ctip.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from ctip.persons import service as persons
from ctip.reference import (
    DECIDING_ORG_TYPES,
    REFERRAL_SERVICES,
    TRAFFICKING_STATUSES,
    VICTIM_CONTEXT_ROLES,
)
from ctip.referrals.models import Referral
from ctip.screening import flags
from ctip.screening.decision import Decision, answers_from, decide, evaluate
from ctip.screening.models import Intervention, Screening, ScreeningAnswer
from ctip.screening.questionnaire import CURRENT, SECTIONS, SOURCES
from ctip.screening.schemas import (
    AnswerNote,
    DecisionOut,
    ReferralFromScreeningIn,
    ScreeningIn,
    ScreeningOut,
    StatusIn,
)

# Who may screen: case writers, the secretariat and NGO case workers on cases they see.
SCREENERS = frozenset(
    {"admin", "secretariat", "provincial_officer", "investigator", "ngo_caseworker"}
)
# Who may confirm a trafficking status on a victim role.
STATUS_DECIDERS = frozenset({"admin", "secretariat", "provincial_officer", "investigator"})
ANSWER_FIELDS = (
    "act",
    "means",
    "purpose",
    "assessed",
    "indicators",
    "age_at_act",
    "date_of_birth",
    "date_of_act",
)
STATUS_FIELDS = ("trafficking_status", "status_decided_by", "status_decided_on")


def require_screener(actor: Actor) -> None:
    if actor.role not in SCREENERS:
        raise PermissionDenied("your role cannot screen persons", role=actor.role)


def _valid_question(question: str) -> bool:
    section, _, option = question.partition(":")
    return section in SECTIONS and (not option or option in SECTIONS[section])


def _note_errors(notes: list[AnswerNote]) -> list[FieldError]:
    errors = []
    for note in notes:
        if not _valid_question(note.question):
            errors.append(
                FieldError("notes", "unknown question %(value)s", {"value": note.question})
            )
        if note.source and note.source not in SOURCES:
            errors.append(
                FieldError(
                    "notes",
                    "unknown source %(value)s; one of %(allowed)s",
                    {"value": note.source, "allowed": ", ".join(SOURCES)},
                )
            )
    return errors


def check(data: ScreeningIn, today: date) -> Decision:
    """The decision for ``data``, or every problem with it at once."""
    errors = _note_errors(data.notes)
    unknown = [s for s in data.services_needed if s not in REFERRAL_SERVICES]
    if unknown:
        errors.append(
            FieldError(
                "services_needed", "unknown service %(value)s", {"value": ", ".join(unknown)}
            )
        )
    for name in ("screened_on", "date_of_act"):
        value = getattr(data, name)
        if value is not None and value > today:
            errors.append(FieldError(name, "the date cannot be in the future"))
    try:
        decision = evaluate(data.answers())
    except ValidationFailed as exc:
        raise ValidationFailed(exc.errors + errors)
    if errors:
        raise ValidationFailed(errors)
    return decision


def _require_on_case(session: Session, actor: Actor, case_id: int, person_id: int) -> None:
    found = session.scalar(
        select(CasePerson.id)
        .where(
            CasePerson.case_id == case_id,
            CasePerson.person_id == person_id,
            visible_participants(actor),
        )
        .limit(1)
    )
    if found is None:
        raise ValidationFailed.single("person_id", "this person is not on the case")


def _new_screening(
    case_id: int,
    person_id: int,
    data: ScreeningIn,
    result: str,
    roster_entry_id: int | None,
    actor: Actor,
    today: date,
) -> Screening:
    return Screening(
        case_id=case_id,
        person_id=person_id,
        roster_entry_id=roster_entry_id,
        questionnaire_version=CURRENT,
        screened_on=data.screened_on or today,
        **{name: getattr(data, name) for name in ANSWER_FIELDS},
        services_needed=list(dict.fromkeys(data.services_needed)),
        result=result,
        screened_by_id=actor.id,
        answers=[
            ScreeningAnswer(
                question=n.question, note=(n.note or "").strip() or None, source=n.source or None
            )
            for n in data.notes
        ],
    )


def record(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    data: ScreeningIn,
    roster_entry_id: int | None = None,
    today: date | None = None,
) -> Screening:
    """Record a screening of a person on a case; the outcome is computed and stored, the
    screening goes on the case timeline and in the audit trail, and flags are refreshed."""
    require_screener(actor)
    case = cases.visible(session, actor=actor, case_id=case_id)
    persons.get(session, actor=actor, person_id=person_id, audit=False)
    _require_on_case(session, actor, case.id, person_id)
    today = today or date.today()
    decision = check(data, today)
    screening = _new_screening(
        case.id, person_id, data, decision.result, roster_entry_id, actor, today
    )
    session.add(screening)
    session.add(
        CaseEvent(
            case_id=case.id,
            event_type="screening",
            person_id=person_id,
            occurred_on=screening.screened_on,
            actor_id=actor.id,
            description=decision.result,
        )
    )
    session.flush()
    audit(
        session,
        actor=actor,
        action="screening.create",
        entity_type="screening",
        entity_id=screening.id,
        after={
            **snapshot(screening, ANSWER_FIELDS),
            "result": decision.result,
            "case_id": case.id,
            "person_id": person_id,
        },
    )
    screened = _screened_role(session, case.id, person_id)
    if screened is not None and screened.trafficking_status is None:
        settle_role(session, actor=actor, row=screened, basis=decision.result)
    flags.refresh(session, actor=actor, person_ids=[person_id], today=today)
    return screening


def get(session: Session, *, actor: Actor, screening_id: int) -> Screening:
    """A screening on a case and person the actor may see, else ``NotFound``."""
    screening = session.scalar(
        select(Screening)
        .join(
            CasePerson,
            (CasePerson.case_id == Screening.case_id)
            & (CasePerson.person_id == Screening.person_id),
        )
        .where(Screening.id == screening_id, visible_participants(actor))
        .limit(1)
    )
    if screening is None or actor.role == "viewer":
        raise NotFound("screening not found", id=screening_id)
    return screening


def listing(
    session: Session, *, actor: Actor, case_id: int | None = None, person_id: int | None = None
) -> list[Screening]:
    """Screenings of a case and/or a person that the actor may see, newest first."""
    if actor.role == "viewer":
        return []
    visible = (
        select(CasePerson.id)
        .where(
            CasePerson.case_id == Screening.case_id,
            CasePerson.person_id == Screening.person_id,
            visible_participants(actor),
        )
        .exists()
    )
    query = select(Screening).where(visible)
    if case_id is not None:
        query = query.where(Screening.case_id == case_id)
    if person_id is not None:
        query = query.where(Screening.person_id == person_id)
    return list(session.scalars(query.order_by(Screening.id.desc()).limit(500)))


def latest_of_case(session: Session, *, actor: Actor, case_id: int) -> dict[int, Screening]:
    """Person id → their newest screening on the case, for persons the actor may see there."""
    return {
        s.person_id: s
        for s in reversed(listing(session, actor=actor, case_id=case_id))  # oldest first
    }


def latest_of_person(session: Session, *, actor: Actor, person_id: int) -> dict[int, Screening]:
    """Case id → the person's newest screening on that case (cases the actor may see)."""
    return {s.case_id: s for s in reversed(listing(session, actor=actor, person_id=person_id))}


def interventions_of(session: Session, *, actor: Actor, case_id: int) -> list[Intervention]:
    """The interventions on a case the actor sees (none for viewers), newest first."""
    if actor.role == "viewer":
        return []
    cases.visible(session, actor=actor, case_id=case_id)
    return list(
        session.scalars(
            select(Intervention)
            .where(Intervention.case_id == case_id)
            .order_by(Intervention.occurred_on.desc(), Intervention.id.desc())
        )
    )


def decision_of(screening: Screening) -> Decision:
    """The decision recomputed from the stored answers (with reasons and what is missing)."""
    return decide(answers_from({name: getattr(screening, name) for name in ANSWER_FIELDS}))


def to_out(screening: Screening) -> ScreeningOut:
    notes = [
        AnswerNote(question=a.question, note=a.note, source=a.source) for a in screening.answers
    ]
    return ScreeningOut(
        id=screening.id,
        case_id=screening.case_id,
        person_id=screening.person_id,
        roster_entry_id=screening.roster_entry_id,
        questionnaire_version=screening.questionnaire_version,
        screened_on=screening.screened_on,
        services_needed=screening.services_needed,
        notes=notes,
        decision=DecisionOut.of(decision_of(screening)),
        **{name: getattr(screening, name) for name in ANSWER_FIELDS},
    )


# --- trafficking status --------------------------------------------------------------------


def _status_errors(data: StatusIn, decided_on: date, today: date) -> list[FieldError]:
    errors = []
    if data.status not in TRAFFICKING_STATUSES:
        errors.append(
            FieldError("status", "unknown trafficking status %(value)s", {"value": data.status})
        )
    if data.decided_by not in DECIDING_ORG_TYPES:
        errors.append(
            FieldError(
                "decided_by",
                "unknown deciding organisation type %(value)s",
                {"value": data.decided_by},
            )
        )
    if decided_on > today:
        errors.append(FieldError("decided_on", "the date cannot be in the future"))
    return errors


def _context_role(
    session: Session, actor: Actor, case_id: int, person_id: int, status: str
) -> CasePerson:
    """The person's victim-context role on the case (victim first, else screened), added
    when the person is on the case otherwise."""
    _require_on_case(session, actor, case_id, person_id)
    rows = {
        r.role: r
        for r in session.scalars(
            select(CasePerson).where(
                CasePerson.case_id == case_id,
                CasePerson.person_id == person_id,
                CasePerson.role.in_(VICTIM_CONTEXT_ROLES),
            )
        )
    }
    role = rows.get("victim") or rows.get("screened")
    if role is None:
        role = CasePerson(
            case_id=case_id,
            person_id=person_id,
            role="victim" if status in flags.VICTIM_STATUSES else "screened",
        )
        session.add(role)
    return role


def settle_role(session: Session, *, actor: Actor, row: CasePerson, basis: str) -> None:
    """A screened person becomes a victim when a victim result or status says so; a victim
    confirmed not a victim of trafficking goes back to screened. Audited as a role change."""
    if row.role == "screened" and basis in flags.VICTIM_RESULTS | flags.VICTIM_STATUSES:
        target = "victim"
    elif row.role == "victim" and basis == "NotAVictimOfTrafficking":
        target = "screened"
    else:
        return
    taken = session.scalar(
        select(CasePerson.id).where(
            CasePerson.case_id == row.case_id,
            CasePerson.person_id == row.person_id,
            CasePerson.role == target,
        )
    )
    if taken is not None:
        return
    before, row.role = row.role, target
    session.flush()
    audit(
        session,
        actor=actor,
        action="case.person_update",
        entity_type="case",
        entity_id=row.case_id,
        before={"participant_id": row.id, "role": before},
        after={"participant_id": row.id, "role": target, "basis": basis},
    )


def _screened_role(session: Session, case_id: int, person_id: int) -> CasePerson | None:
    """The screened role of a person with no victim role on the case (none otherwise)."""
    rows = {
        r.role: r
        for r in session.scalars(
            select(CasePerson).where(
                CasePerson.case_id == case_id,
                CasePerson.person_id == person_id,
                CasePerson.role.in_(VICTIM_CONTEXT_ROLES),
            )
        )
    }
    return None if "victim" in rows else rows.get("screened")


def confirm_status(
    session: Session, *, actor: Actor, data: StatusIn, today: date | None = None
) -> CasePerson:
    """Record the HTCDS trafficking status and the deciding organisation type on the person's
    victim (or screened) role, which the status then settles (authorised roles only, in their
    province); audited with before and after."""
    if actor.role not in STATUS_DECIDERS:
        raise PermissionDenied("your role cannot decide a trafficking status", role=actor.role)
    case = cases.visible(session, actor=actor, case_id=data.case_id)
    require_province(actor, case.province)
    today = today or date.today()
    decided_on = data.decided_on or today
    errors = _status_errors(data, decided_on, today)
    if errors:
        raise ValidationFailed(errors)
    role = _context_role(session, actor, case.id, data.person_id, data.status)
    before = snapshot(role, STATUS_FIELDS)
    role.trafficking_status, role.status_decided_by = data.status, data.decided_by
    role.status_decided_on = decided_on
    session.flush()
    settle_role(session, actor=actor, row=role, basis=data.status)
    audit(
        session,
        actor=actor,
        action="screening.status_confirm",
        entity_type="case_person",
        entity_id=role.id,
        before=before,
        after=snapshot(role, STATUS_FIELDS),
        detail=f"case {case.id} person {data.person_id}",
    )
    flags.refresh(session, actor=actor, person_ids=[data.person_id], today=today)
    return role


# --- referrals -----------------------------------------------------------------------------


def refer(
    session: Session,
    *,
    actor: Actor,
    screening_id: int,
    data: ReferralFromScreeningIn,
    today: date | None = None,
) -> Referral:
    """Refer a screened person to an organisation, consent-gated (or a recorded override);
    the referrals service enforces consent, scope and duplicates, and audits."""
    from ctip.referrals import service as referrals

    screening = get(session, actor=actor, screening_id=screening_id)
    return referrals.create(
        session,
        actor=actor,
        case_id=screening.case_id,
        person_id=screening.person_id,
        to_org_id=data.to_org_id,
        reason=data.reason,
        service=data.service,
        referred_on=data.referred_on or today or date.today(),
        consent_given=data.consent_given,
        consent_on=data.consent_on,
        consent_override_reason=data.consent_override_reason,
        today=today,
    )


def referrals_of(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    due_days: int,
    today: date | None = None,
) -> list[Any]:
    """The person's referrals on the case, followed to acceptance or refusal, overdue marked."""
    from ctip.referrals import service as referrals

    found = [
        r
        for r in referrals.for_case(session, actor=actor, case_id=case_id)
        if r.person_id == person_id
    ]
    return list(referrals.describe(session, found, due_days=due_days, today=today))

"""Referrals of a case, and usually one of its victims, from one organisation to another.

Rules: only someone who may change the case refers it; a victim's referral needs the victim's
recorded consent, or an override with its reason by a role allowed to override; only the
receiving organisation (or an administrator) answers; an answer names the version it read.
A referral is seen by whoever sees its case (NGO case workers: only their own organisation's
referrals, while the case is open to them) and by the organisation it was sent to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from ctip.audit.service import record, snapshot
from ctip.auth.scope import (
    Actor,
    require_case_writer,
    require_province,
    visible_cases,
    visible_participants,
    visible_persons,
)
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from ctip.orgs.models import Organisation
from ctip.orgs.service import SERVICE_ORG_TYPES
from ctip.orgs.service import choices as org_choices
from ctip.persons.models import Person
from ctip.persons.service import display_name
from ctip.reference import (
    REFERRAL_REASONS,
    REFERRAL_SERVICES,
    VICTIM_CONTEXT_ROLES,
    VICTIM_SIDE_ROLES,
)
from ctip.referrals.models import Referral
from ctip.referrals.schemas import ReferralOut

STATUSES = ("pending", "accepted", "declined")
DIRECTIONS = ("incoming", "outgoing")
# Roles that may refer a victim without recorded consent, giving a reason.
OVERRIDE_ROLES = frozenset({"admin", "provincial_officer", "investigator"})
CREATE_FIELDS = (
    "case_id",
    "person_id",
    "from_org_id",
    "to_org_id",
    "reason",
    "service",
    "referred_on",
    "consent_given",
    "consent_on",
    "consent_override_reason",
)
RESPONSE_FIELDS = ("status", "responded_on", "response_note")
CONSENT_MISSING = (
    "a victim's referral needs the victim's recorded consent and its date, "
    "or an override with its reason"
)


# --- pure rules ---------------------------------------------------------------------------


def is_overdue(status: str, referred_on: date, *, today: date, due_days: int) -> bool:
    """An unanswered referral is overdue once more than ``due_days`` days have passed."""
    return status == "pending" and (today - referred_on).days > due_days


def consent_errors(
    *,
    is_victim: bool,
    consent_given: bool,
    consent_on: date | None,
    override_reason: str | None,
    role: str,
    referred_on: date,
    today: date,
) -> list[FieldError]:
    """What is wrong with the consent part of a referral (nothing for a non-victim)."""
    if consent_on is not None and consent_on > today:
        return [FieldError("consent_on", "the date cannot be in the future")]
    if consent_on is not None and consent_on > referred_on:
        return [FieldError("consent_on", "consent must be given on or before the referral")]
    if not is_victim or (consent_given and consent_on is not None):
        return []
    reason = (override_reason or "").strip()
    if reason and role not in OVERRIDE_ROLES:
        return [FieldError("consent", "your role cannot refer a victim without consent")]
    if reason:
        return []
    if consent_given:
        return [FieldError("consent_on", "give the date the victim consented")]
    return [FieldError("consent", CONSENT_MISSING)]


def answer_errors(on: date, *, referred_on: date, today: date) -> list[FieldError]:
    """An answer is dated between the referral and today."""
    if on > today:
        return [FieldError("on", "the date cannot be in the future")]
    if on < referred_on:
        return [FieldError("on", "the answer cannot be dated before the referral")]
    return []


# --- scope --------------------------------------------------------------------------------


def visible_referrals(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``Referral``: those on a case the actor sees, or sent to their agency."""
    if actor.is_national:
        return true()
    if actor.role == "viewer":
        return false()
    on_case = Referral.case_id.in_(select(Case.id).where(visible_cases(actor)))
    org = actor.organisation_id
    if actor.role == "ngo_caseworker":
        return and_(on_case, or_(Referral.to_org_id == org, Referral.from_org_id == org))
    return or_(on_case, Referral.to_org_id == org) if org is not None else on_case


def _visible_case(session: Session, actor: Actor, case_id: int) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id, visible_cases(actor)))
    if case is None:
        raise NotFound("case not found")
    return case


def _writable_case(session: Session, actor: Actor, case_id: int) -> Case:
    case = _visible_case(session, actor, case_id)
    require_case_writer(actor)
    require_province(actor, case.province)
    return case


def get(session: Session, *, actor: Actor, referral_id: int) -> Referral:
    """One referral the actor may see, else ``NotFound``."""
    referral = session.scalar(
        select(Referral).where(Referral.id == referral_id, visible_referrals(actor))
    )
    if referral is None:
        raise NotFound("referral not found")
    return referral


# --- making a referral --------------------------------------------------------------------


def _roles_on_case(session: Session, actor: Actor, case_id: int, person_id: int) -> set[str]:
    return set(
        session.scalars(
            select(CasePerson.role).where(
                CasePerson.case_id == case_id,
                CasePerson.person_id == person_id,
                visible_participants(actor),
            )
        )
    )


def _basic_errors(
    session: Session,
    *,
    reason: str,
    service: str,
    referred_on: date,
    to_org_id: int,
    from_org_id: int | None,
    today: date,
) -> list[FieldError]:
    errors = []
    if reason not in REFERRAL_REASONS:
        errors.append(FieldError("reason", "unknown referral reason %(value)s", {"value": reason}))
    if service not in REFERRAL_SERVICES:
        errors.append(FieldError("service", "unknown service %(value)s", {"value": service}))
    if referred_on > today:
        errors.append(FieldError("referred_on", "the date cannot be in the future"))
    to_org = session.get(Organisation, to_org_id)
    if to_org is None:
        errors.append(FieldError("to_org_id", "unknown organisation"))
    elif to_org.org_type not in SERVICE_ORG_TYPES:
        errors.append(FieldError("to_org_id", "choose an organisation that provides services"))
    elif to_org_id == from_org_id:
        errors.append(FieldError("to_org_id", "a referral goes to another organisation"))
    if from_org_id is not None and session.get(Organisation, from_org_id) is None:
        errors.append(FieldError("from_org_id", "unknown organisation"))
    return errors


def _refuse_duplicate(
    session: Session, *, case_id: int, to_org_id: int, person_id: int | None, service: str
) -> None:
    open_one = session.scalar(
        select(Referral.id).where(
            Referral.case_id == case_id,
            Referral.to_org_id == to_org_id,
            Referral.person_id.is_(None) if person_id is None else Referral.person_id == person_id,
            Referral.service == service,
            Referral.status.in_(("pending", "accepted")),
        )
    )
    if open_one is not None:
        raise Conflict(
            "an open referral for this service to this organisation exists",
            field="to_org_id",
            referral_id=open_one,
        )


def _sender(actor: Actor, from_org_id: int | None) -> int | None:
    """The referring organisation: the actor's own (only an administrator names another)."""
    if from_org_id is None or from_org_id == actor.organisation_id:
        return actor.organisation_id
    if actor.role != "admin" and actor.organisation_id is not None:
        raise ValidationFailed.single("from_org_id", "you refer on behalf of your own organisation")
    return from_org_id


def create(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    to_org_id: int,
    reason: str,
    service: str,
    referred_on: date,
    person_id: int | None = None,
    consent_given: bool = False,
    consent_on: date | None = None,
    consent_override_reason: str | None = None,
    from_org_id: int | None = None,
    today: date | None = None,
) -> Referral:
    """Refer a case (and optionally one of its people) to another organisation."""
    case = _writable_case(session, actor, case_id)
    today = today or date.today()
    from_org_id = _sender(actor, from_org_id)
    errors = _basic_errors(
        session,
        reason=reason,
        service=service,
        referred_on=referred_on,
        to_org_id=to_org_id,
        from_org_id=from_org_id,
        today=today,
    )
    roles = _roles_on_case(session, actor, case.id, person_id) if person_id else set()
    if person_id and not roles:
        errors.append(FieldError("person_id", "this person is not on the case"))
    errors += consent_errors(
        is_victim=bool(roles & VICTIM_CONTEXT_ROLES),  # a screened person's consent too
        consent_given=consent_given,
        consent_on=consent_on,
        override_reason=consent_override_reason,
        role=actor.role,
        referred_on=referred_on,
        today=today,
    )
    if errors:
        raise ValidationFailed(errors)
    _refuse_duplicate(
        session, case_id=case.id, to_org_id=to_org_id, person_id=person_id, service=service
    )
    override = None if consent_given else (consent_override_reason or "").strip() or None
    referral = Referral(
        case_id=case.id,
        person_id=person_id,
        from_org_id=from_org_id,
        to_org_id=to_org_id,
        reason=reason,
        service=service,
        referred_on=referred_on,
        consent_given=consent_given,
        consent_on=consent_on if consent_given else None,
        consent_override_reason=override,
        created_by_id=actor.id,
    )
    session.add(referral)
    session.flush()
    _after_create(session, actor, referral)
    return referral


def _after_create(session: Session, actor: Actor, referral: Referral) -> None:
    """Put the referral on the case timeline and in the audit trail."""
    session.add(
        CaseEvent(
            case_id=referral.case_id,
            event_type="referral",
            occurred_on=referral.referred_on,
            person_id=referral.person_id,
            description=f"{referral.to_org.name}: {referral.service}",
            actor_id=actor.id,
        )
    )
    record(
        session,
        actor=actor,
        action="referral.create",
        entity_type="referral",
        entity_id=referral.id,
        after=snapshot(referral, CREATE_FIELDS),
    )


# --- answering ----------------------------------------------------------------------------


def respond(
    session: Session,
    *,
    actor: Actor,
    referral_id: int,
    accept: bool,
    on: date,
    note: str | None,
    version: int,
    today: date | None = None,
) -> Referral:
    """Accept or decline a pending referral (receiving organisation or an administrator)."""
    referral = get(session, actor=actor, referral_id=referral_id)
    if actor.role != "admin" and (
        actor.organisation_id is None or actor.organisation_id != referral.to_org_id
    ):
        raise PermissionDenied("only the receiving organisation can answer this referral")
    if referral.version != version:
        raise StaleVersion(
            "the referral changed since you read it; reload it and try again",
            field="version",
            current=referral.version,
        )
    if referral.status != "pending":
        raise InvalidTransition(
            "this referral was already answered (%(status)s)", status=referral.status
        )
    errors = answer_errors(on, referred_on=referral.referred_on, today=today or date.today())
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(referral, RESPONSE_FIELDS)
    referral.status = "accepted" if accept else "declined"
    referral.responded_on = on
    referral.response_note = (note or "").strip() or None
    session.flush()
    record(
        session,
        actor=actor,
        action="referral.respond",
        entity_type="referral",
        entity_id=referral.id,
        before=before,
        after=snapshot(referral, RESPONSE_FIELDS),
    )
    return referral


# --- reading ------------------------------------------------------------------------------


def for_case(session: Session, *, actor: Actor, case_id: int) -> list[Referral]:
    """The referrals of a case the actor sees, oldest first."""
    case = _visible_case(session, actor, case_id)
    return of_visible_case(session, actor=actor, case_id=case.id)


def shown_on_visible_case(actor: Actor, referral: type[Referral] = Referral) -> ColumnElement[bool]:
    """WHERE clause on ``Referral`` (or an alias of it, ``referral``) for the referrals of a
    case the actor is proven to see.

    The case is visible, so of ``visible_referrals`` only an NGO case worker's
    own-organisation condition is left to check; no IN-list of every visible case."""
    if actor.role == "ngo_caseworker":
        org = actor.organisation_id
        return or_(referral.to_org_id == org, referral.from_org_id == org)
    return true()


def of_visible_case(session: Session, *, actor: Actor, case_id: int) -> list[Referral]:
    """``for_case`` of a case the caller has already proven visible (no second check)."""
    where = [Referral.case_id == case_id, shown_on_visible_case(actor)]
    return list(
        session.scalars(select(Referral).where(*where).order_by(Referral.referred_on, Referral.id))
    )


def _status_filter(status: str | None) -> None:
    if status and status not in STATUSES:
        raise ValidationFailed.single("status", "unknown status %(value)s", value=status)


def inbox(
    session: Session,
    *,
    actor: Actor,
    status: str | None = None,
    overdue_only: bool = False,
    due_days: int,
    direction: str | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Referral], int]:
    """Referrals in scope, newest first: incoming to the actor's organisation (the default
    for NGO case workers), outgoing from it, or all; optionally only overdue ones."""
    _status_filter(status)
    if actor.role == "viewer":
        raise PermissionDenied("your role cannot do this", role=actor.role)
    query = select(Referral).where(visible_referrals(actor))
    direction = direction or ("incoming" if actor.role == "ngo_caseworker" else None)
    if direction == "incoming":
        query = query.where(Referral.to_org_id == actor.organisation_id)
    elif direction == "outgoing":
        query = query.where(
            or_(Referral.from_org_id == actor.organisation_id, Referral.created_by_id == actor.id)
        )
    if status:
        query = query.where(Referral.status == status)
    if overdue_only:
        cutoff = (today or date.today()) - timedelta(days=due_days)
        query = query.where(Referral.status == "pending", Referral.referred_on < cutoff)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Referral.referred_on.desc(), Referral.id.desc())
        .offset((max(page, 1) - 1) * page_size)
        .limit(page_size)
    )
    return list(rows), total


def describe(
    session: Session, referrals: list[Referral], *, due_days: int, today: date | None = None
) -> list[ReferralOut]:
    """Referrals as the API and pages show them, with case references and overdue flags."""
    ids = {r.case_id for r in referrals}
    refs = (
        dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(ids))).all())
        if ids
        else {}
    )
    today = today or date.today()
    return [
        ReferralOut(
            id=r.id,
            version=r.version,
            case_id=r.case_id,
            case_reference=refs.get(r.case_id, ""),
            person_id=r.person_id,
            from_org_id=r.from_org_id,
            from_org=r.from_org.name if r.from_org else None,
            to_org_id=r.to_org_id,
            to_org=r.to_org.name,
            reason=r.reason,
            service=r.service,
            referred_on=r.referred_on,
            consent_given=r.consent_given,
            consent_on=r.consent_on,
            consent_overridden=bool(r.consent_override_reason),
            consent_override_reason=r.consent_override_reason,
            status=r.status,
            responded_on=r.responded_on,
            response_note=r.response_note,
            overdue=is_overdue(r.status, r.referred_on, today=today, due_days=due_days),
        )
        for r in referrals
    ]


@dataclass(frozen=True)
class PersonOnReferral:
    """The person a referral is about, as the reader may see them."""

    id: int
    name: str
    roles: list[str]


def referral_person(
    session: Session, *, actor: Actor, referral: Referral
) -> PersonOnReferral | None:
    """The referred person (their name is a read of a person, so it is audited)."""
    if referral.person_id is None:
        return None
    person = session.scalar(
        select(Person).where(Person.id == referral.person_id, visible_persons(actor))
    )
    if person is None:
        return None
    roles = sorted(_roles_on_case(session, actor, referral.case_id, person.id))
    record(
        session,
        actor=actor,
        action="person.read",
        entity_type="person",
        entity_id=person.id,
        detail=f"referral {referral.id}",
    )
    return PersonOnReferral(person.id, display_name(person), roles)


@dataclass(frozen=True)
class ReferralForm:
    """What the new-referral form offers: the case, organisations and the case's people."""

    case: Case
    organisations: list[Organisation]
    people: list[tuple[int, str, str]]  # person id, name, role


def form_choices(session: Session, *, actor: Actor, case_id: int) -> ReferralForm:
    """Choices for referring ``case_id`` (only for someone who may change it)."""
    case = _writable_case(session, actor, case_id)
    rows = session.execute(
        select(CasePerson.person_id, CasePerson.role, Person)
        .join(Person, Person.id == CasePerson.person_id)
        .where(
            CasePerson.case_id == case.id,
            CasePerson.role.in_(VICTIM_SIDE_ROLES),
            visible_participants(actor),
        )
        .order_by(CasePerson.id)
    ).all()
    people = [(pid, display_name(person), role) for pid, role, person in rows]
    return ReferralForm(case, org_choices(session), people)

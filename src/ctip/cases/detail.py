"""The case page's data: a case with everything the caller may see of it, in one shape.

The page and ``GET /api/v1/cases/{id}`` are built from this same object.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ctip.auth.scope import OPEN_REFERRAL, Actor
from ctip.cases import service
from ctip.cases.lifecycle import allowed_next
from ctip.cases.participants import participants
from ctip.cases.schemas import CaseDetail, IdentifierView, ReferralView
from ctip.cases.timeline import timeline
from ctip.identifiers import service as identifiers
from ctip.referrals import service as referrals


def _referred_to_actor(session: Session, actor: Actor, case_id: int) -> set[int]:
    """The persons of the case referred (pending or accepted) to the actor's organisation."""
    return {
        r.person_id
        for r in referrals.for_case(session, actor=actor, case_id=case_id)
        if r.to_org_id == actor.organisation_id and r.status in OPEN_REFERRAL and r.person_id
    }


def _identifiers(session: Session, actor: Actor, case_id: int) -> list[IdentifierView]:
    """The case's identifiers and its persons'; an NGO case worker sees only those of the
    persons referred to their organisation (not every victim's passport and phone)."""
    rows = identifiers.for_case(session, actor=actor, case_id=case_id, include_participants=True)
    if not actor.sees_offenders:
        mine = _referred_to_actor(session, actor, case_id)
        rows = [r for r in rows if r.person_id in mine]
    return [
        IdentifierView(
            id=r.id,
            id_type=r.id_type,
            raw=r.raw,
            normalised=r.normalised,
            valid=r.valid,
            problem=r.problem,
            person_id=r.person_id,
        )
        for r in rows
    ]


def _referrals(session: Session, actor: Actor, case_id: int) -> list[ReferralView]:
    rows = referrals.for_case(session, actor=actor, case_id=case_id)
    return [
        ReferralView(
            id=r.id,
            to_org=r.to_org.name,
            reason=r.reason,
            referred_on=r.referred_on,
            status=r.status,
            person_id=r.person_id,
        )
        for r in rows
    ]


def detail(session: Session, *, actor: Actor, case_id: int, language: str = "en") -> CaseDetail:
    """The case (read audited), its people in visible roles, timeline, identifiers, referrals,
    and the statuses the actor may move it to."""
    case = service.get(session, actor=actor, case_id=case_id)
    writable = service.can_write(actor, case)
    return CaseDetail(
        **service.to_out(case).model_dump(),
        participants=participants(session, actor=actor, case_id=case.id),
        events=timeline(session, actor=actor, case_id=case.id, language=language),
        identifiers=_identifiers(session, actor, case.id),
        referrals=_referrals(session, actor, case.id),
        allowed_transitions=allowed_next(case.status) if writable else [],
        can_write=writable,
    )

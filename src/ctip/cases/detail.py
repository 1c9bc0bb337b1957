"""The case page's data: a case with everything the caller may see of it, in one shape.

The page and ``GET /api/v1/cases/{id}`` are built from this same object. The case is read
and scoped once; its people, timeline, identifiers and referrals are then read for that
proven-visible case, one query each, without checking the case again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from ctip.audit.service import record
from ctip.auth.scope import Actor, per_scope, visible_cases
from ctip.cases import service
from ctip.cases.lifecycle import allowed_next
from ctip.cases.models import Case
from ctip.cases.participants import people_of
from ctip.cases.schemas import CaseDetail, IdentifierView, ReferralView
from ctip.cases.timeline import events_about
from ctip.errors import NotFound
from ctip.identifiers import service as identifiers
from ctip.referrals import service as referrals
from ctip.referrals.models import Referral


def _identifiers(
    session: Session, actor: Actor, case_id: int, person_ids: list[int]
) -> list[IdentifierView]:
    rows = identifiers.of_visible_case(session, actor=actor, case_id=case_id, person_ids=person_ids)
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


def _referral_views(rows: list[Referral]) -> list[ReferralView]:
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


# The case's referrals, joined beside an NGO case worker's scope clause, which looks at
# ``Referral`` itself (an alias keeps the two apart).
_REFERRAL = aliased(Referral, name="case_referral")


@per_scope
def _case_query(actor: Actor) -> Any:
    """The case ``:case_id`` if ``actor`` may read it, with the referrals they may see."""
    return (
        select(Case, _REFERRAL)
        .outerjoin(
            _REFERRAL,
            and_(
                _REFERRAL.case_id == Case.id,
                referrals.shown_on_visible_case(actor, _REFERRAL),
            ),
        )
        .where(Case.id == bindparam("case_id"), visible_cases(actor))
        .order_by(_REFERRAL.referred_on, _REFERRAL.id)
    )


def _case_and_referrals(
    session: Session, actor: Actor, case_id: int
) -> tuple[Case, list[Referral]]:
    """The visible case (else ``NotFound``, as for a missing one) with its referrals the
    actor may see, in one query; the read is audited."""
    rows = session.execute(_case_query(actor), {"case_id": case_id}).all()
    if not rows:
        raise NotFound("case not found", id=case_id)
    case = rows[0][0]
    service.prove_visible(session, actor=actor, case=case)
    record(session, actor=actor, action="case.read", entity_type="case", entity_id=case.id)
    return case, [r for _, r in rows if r is not None]


def detail(session: Session, *, actor: Actor, case_id: int, language: str = "en") -> CaseDetail:
    """The case (read audited), its people in visible roles, timeline, identifiers, referrals,
    and the statuses the actor may move it to."""
    case, refs = _case_and_referrals(session, actor, case_id)
    writable = service.can_write(actor, case)
    people = people_of(session, actor=actor, case=case)
    return CaseDetail(
        **service.to_out(case).model_dump(),
        participants=people,
        events=events_about(
            session, case_id=case.id, person_ids=[p.person_id for p in people], language=language
        ),
        identifiers=_identifiers(
            session, actor, case.id, list(dict.fromkeys(p.person_id for p in people))
        ),
        referrals=_referral_views(refs),
        allowed_transitions=allowed_next(case.status) if writable else [],
        can_write=writable,
    )

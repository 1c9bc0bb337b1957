"""Test helpers: cases and roles made directly from the case models (no cases service needed)."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from ctip.auth.scope import SYSTEM, Actor
from ctip.cases.models import Case, CasePerson
from ctip.orgs.models import Organisation
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn
from ctip.referrals.models import Referral

_sequence = itertools.count(1)


def make_case(
    db: Session,
    province: str = "KH-1",
    title: str = "Scam compound",
    org: Organisation | None = None,
) -> Case:
    """A case row in ``province`` (reporting agency ``org``)."""
    seq = next(_sequence)
    case = Case(
        reference=f"{province}-2024-{seq:06d}",
        province=province,
        year=2024,
        sequence=seq,
        title=title,
        opened_on=date(2024, 3, 1),
        exploitation_types=["ForcedLabour"],
        reporting_org_id=org.id if org else None,
    )
    db.add(case)
    db.flush()
    return case


def attach(db: Session, case: Case, person: Person, role: str) -> CasePerson:
    link = CasePerson(case_id=case.id, person_id=person.id, role=role)
    db.add(link)
    db.flush()
    return link


def refer(db: Session, case: Case, org: Organisation, status: str = "accepted") -> Referral:
    """Refer ``case`` to ``org`` (what lets an NGO case worker see it)."""
    referral = Referral(
        case_id=case.id,
        to_org_id=org.id,
        reason="AdditionalServicesRequired",
        referred_on=date(2024, 3, 2),
        consent_given=True,
        status=status,
    )
    db.add(referral)
    db.flush()
    return referral


def make_person(
    db: Session, given: str = "Sokha", family: str = "Chea", actor: Actor = SYSTEM, **fields: object
) -> Person:
    data = PersonIn.model_validate({"given_name": given, "family_name": family, **fields})
    return persons.create(db, actor=actor, data=data)

"""A referred victim: a case in Phnom Penh, its officer, the receiving NGO and its case worker
(the referral accepted with consent), and an NGO the victim was not referred to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ctip.auth.scope import Actor
from ctip.auth.service import actor_for
from ctip.cases.models import Case
from ctip.orgs.models import Organisation
from ctip.persons.models import Person
from ctip.referrals import service as referrals
from tests.referrals.helpers import add_person, make_case

TODAY = date(2024, 3, 1)


@dataclass
class World:
    case: Case
    victim: Person
    other_victim: Person
    ngo: Organisation
    officer: Actor
    caseworker: Actor
    outsider: Actor
    other_province: Actor


@pytest.fixture
def world(db, make_org, make_user) -> World:
    police = make_org("Phnom Penh Anti-Trafficking Police", province="KH-12")
    ngo = make_org("Safe Haven Shelter", org_type="NGO", is_agency=False)
    other = make_org("Legal Aid Partners", org_type="LegalService", is_agency=False)
    case = make_case(db, province="KH-12", reporting_org=police)
    victim = add_person(db, case, "victim", "Srey", "Mom")
    other_victim = add_person(db, case, "victim", "Lina", "Other")
    add_person(db, case, "suspect", "Dara", "Broker")
    officer = actor_for(make_user("provincial_officer", province="KH-12", org=police))
    referral = referrals.create(
        db,
        actor=officer,
        case_id=case.id,
        to_org_id=ngo.id,
        reason="AdditionalServicesRequired",
        service="shelter",
        referred_on=TODAY,
        person_id=victim.id,
        consent_given=True,
        consent_on=TODAY,
    )
    caseworker = actor_for(make_user("ngo_caseworker", org=ngo))
    referrals.respond(
        db,
        actor=caseworker,
        referral_id=referral.id,
        accept=True,
        on=TODAY,
        note=None,
        version=referral.version,
    )
    return World(
        case,
        victim,
        other_victim,
        ngo,
        officer,
        caseworker,
        outsider=actor_for(make_user("ngo_caseworker", org=other)),
        other_province=actor_for(make_user("provincial_officer", province="KH-1")),
    )

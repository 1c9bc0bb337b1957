"""A small world for referral tests: a case in Phnom Penh with a victim and a suspect, the
provincial officer who owns it, two NGOs with a case worker each, and an administrator."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ctip.auth.models import User
from ctip.cases.models import Case
from ctip.orgs.models import Organisation
from ctip.persons.models import Person
from tests.referrals.helpers import add_person, make_case


@dataclass
class World:
    case: Case
    victim: Person
    suspect: Person
    ngo: Organisation
    other_ngo: Organisation
    officer: User
    caseworker: User
    other_caseworker: User
    admin: User


@pytest.fixture
def world(db, make_org, make_user) -> World:
    police = make_org("Phnom Penh Anti-Trafficking Police", province="KH-12")
    ngo = make_org("Safe Haven Shelter", org_type="NGO", is_agency=False)
    other = make_org("Legal Aid Partners", org_type="LegalService", is_agency=False)
    case = make_case(db, province="KH-12", reporting_org=police)
    victim = add_person(db, case, "victim", "Srey", "Mom")
    suspect = add_person(db, case, "suspect", "Dara", "Broker")
    return World(
        case,
        victim,
        suspect,
        ngo,
        other,
        officer=make_user("provincial_officer", province="KH-12", org=police),
        caseworker=make_user("ngo_caseworker", org=ngo),
        other_caseworker=make_user("ngo_caseworker", org=other),
        admin=make_user("admin"),
    )

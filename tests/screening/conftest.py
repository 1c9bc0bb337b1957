"""Fixtures for screening tests: a case in Preah Sihanouk, an intervention, persons on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor
from ctip.cases import service as cases
from ctip.cases.models import Case, CasePerson
from ctip.cases.schemas import CaseIn
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn
from ctip.screening import interventions
from ctip.screening.models import Intervention
from ctip.screening.schemas import InterventionIn

PROVINCE = "KH-18"


@pytest.fixture
def officer(make_actor: Callable[..., Actor]) -> Actor:
    return make_actor("provincial_officer", province=PROVINCE, username="officer18")


@pytest.fixture
def case(db: Session, officer: Actor) -> Case:
    return cases.create(
        db,
        actor=officer,
        data=CaseIn(
            title="Scam compound raid",
            province=PROVINCE,
            opened_on=date(2024, 3, 1),
            exploitation_types=["ForcedLabour"],
        ),
    )


@pytest.fixture
def intervention(db: Session, officer: Actor, case: Case) -> Intervention:
    return interventions.create(
        db,
        actor=officer,
        data=InterventionIn(
            case_id=case.id,
            occurred_on=date(2024, 3, 2),
            place="Compound, Sihanoukville",
            agencies=["Anti-human-trafficking police", "Immigration"],
        ),
    )


@pytest.fixture
def person_on(db: Session, officer: Actor) -> Callable[..., Person]:
    """A person put on a case in a role."""

    def factory(
        case: Case, role: str = "victim", name: str = "Sokha", person: Person | None = None
    ) -> Person:
        if person is None:
            person = persons.create(
                db, actor=officer, data=PersonIn(given_name=name, family_name="Chea")
            )
        db.add(CasePerson(case_id=case.id, person_id=person.id, role=role))
        db.flush()
        return person

    return factory

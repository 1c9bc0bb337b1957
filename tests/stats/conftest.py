"""Small registries for the statistics tests, written through the ORM in the test's
transaction (the analytic copy reads them through the same session)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.config import Settings
from ctip.persons.models import Person

_seq = itertools.count(1)


@pytest.fixture
def stats_settings(settings: Settings) -> Settings:
    """Build the copy through the session: the test's rows are not committed."""
    return settings.model_copy(update={"stats_copy_attach": False})


@pytest.fixture
def make_case(db: Session) -> Callable[..., Case]:
    def factory(
        province: str = "KH-1",
        opened_on: date = date(2024, 3, 1),
        types: tuple[str, ...] = ("ForcedLabour",),
        victims: tuple[tuple[str, str, int], ...] = (("Feminine", "KH", 30),),
        suspects: tuple[str, ...] = (),
        statuses: tuple[tuple[str, date], ...] = (),
        **extra: Any,
    ) -> Case:
        n = next(_seq)
        case = Case(
            reference=f"T-{province}-{n}",
            province=province,
            year=opened_on.year,
            sequence=n,
            title="test case",
            opened_on=opened_on,
            exploitation_types=list(types),
            status=statuses[-1][0] if statuses else "reported",
            version=1,
            **extra,
        )
        db.add(case)
        db.flush()
        for gender, nationality, age in victims:
            person = Person(
                gender=gender,
                nationalities=[nationality],
                estimated_age=age,
                age_estimated_on=opened_on,
                version=1,
            )
            db.add(person)
            db.flush()
            db.add(
                CasePerson(
                    case_id=case.id,
                    person_id=person.id,
                    role="victim",
                    version=1,
                    trafficking_status="ActualVictimOfTrafficking",
                    status_decided_by="Police",
                    methods_of_control=["DebtBondage"],
                )
            )
        for custody in suspects:
            person = Person(gender="Masculine", nationalities=["KH"], version=1)
            db.add(person)
            db.flush()
            db.add(
                CasePerson(
                    case_id=case.id,
                    person_id=person.id,
                    role="suspect",
                    version=1,
                    custody_status=custody,
                    arrested_on=opened_on,
                )
            )
        db.add(CaseEvent(case_id=case.id, event_type="intervention", occurred_on=opened_on))
        for status, on in statuses:
            db.add(
                CaseEvent(
                    case_id=case.id, event_type="status_change", occurred_on=on, to_status=status
                )
            )
        db.flush()
        return case

    return factory

"""Rows made directly through the models, so these tests do not depend on the case service."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from ctip.cases.models import Case, CasePerson
from ctip.orgs.models import Organisation
from ctip.persons.models import Person

_sequence = itertools.count(900_001)


def make_case(
    db: Session,
    *,
    province: str = "KH-12",
    status: str = "reported",
    types: list[str] | None = None,
    opened_on: date = date(2024, 1, 31),
    reporting_org: Organisation | None = None,
    title: str = "Test case",
) -> Case:
    seq = next(_sequence)
    case = Case(
        reference=f"{province}-{opened_on.year}-{seq:06d}",
        province=province,
        year=opened_on.year,
        sequence=seq,
        title=title,
        opened_on=opened_on,
        status=status,
        exploitation_types=types or ["ForcedLabour"],
        reporting_org_id=reporting_org.id if reporting_org else None,
    )
    db.add(case)
    db.flush()
    return case


def add_person(
    db: Session, case: Case, role: str, given: str = "Sokha", family: str = "Chea"
) -> Person:
    person = Person(given_name=given, family_name=family, gender="Feminine")
    db.add(person)
    db.flush()
    db.add(CasePerson(case_id=case.id, person_id=person.id, role=role))
    db.flush()
    return person

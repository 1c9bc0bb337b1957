"""A small deterministic registry for the publication and export tests: cases in three
provinces with victims (sex, age, nationality, means of control, recruitment)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy.orm import Session

from ctip.cases.models import Case, CasePerson
from ctip.persons.models import Person

PROVINCES = ("KH-1", "KH-12", "KH-18")
TYPES = ("ForcedLabour", "SexualExploitation", "ForcedMarriage")
NATIONALITIES = (["KH"], ["KH"], ["KH"], ["VN"], ["CN"], ["TH"], ["ID"], ["KH", "TH"])
MEANS = ("DebtBondage", "Threats", "FalsePromises", "WithholdsDocuments", "PhysicalAbuse")


def seed_registry(
    session: Session, *, cases: int = 60, year: int = 2024, seed: int = 7
) -> list[Case]:
    """``cases`` cases opened in ``year`` (and a few the year before), one to three victims
    each and a suspect on every third."""
    rng = random.Random(seed)
    made: list[Case] = []
    for n in range(cases):
        province = PROVINCES[n % len(PROVINCES)] if n % 5 else "KH-12"
        opened = date(year if n % 10 else year - 1, 1 + n % 12, 1 + n % 28)
        types = [TYPES[rng.randrange(len(TYPES))]]
        case = Case(
            reference=f"{province}-{opened.year}-{n:06d}",
            province=province,
            year=opened.year,
            sequence=n + 1,
            title=f"Case {n}",
            opened_on=opened,
            exploitation_types=types,
            exploitation_countries=[rng.choice(["KH", "KH", "TH", "MM", "CN"])],
            status="investigating",
        )
        session.add(case)
        session.flush()
        for v in range(1 + n % 3):
            person = Person(
                gender=rng.choice(["Feminine", "Feminine", "Masculine", "NonConforming"]),
                date_of_birth=date(rng.randint(1960, 2012), rng.randint(1, 12), 1)
                if v % 2 == 0
                else None,
                estimated_age=None if v % 2 == 0 else rng.randint(14, 50),
                age_estimated_on=None if v % 2 == 0 else opened,
                nationalities=rng.choice(NATIONALITIES),
                owner_province=province,
            )
            session.add(person)
            session.flush()
            session.add(
                CasePerson(
                    case_id=case.id,
                    person_id=person.id,
                    role="victim",
                    trafficking_status="ActualVictimOfTrafficking",
                    methods_of_control=rng.sample(MEANS, rng.randint(0, 2)),
                    recruitment_method=rng.choice(
                        [None, "ThroughFriendsOrSocialEvents", "ThroughFamilyOrFamilyEvents"]
                    ),
                )
            )
        if n % 3 == 0:
            suspect = Person(gender="Masculine", nationalities=["KH"], owner_province=province)
            session.add(suspect)
            session.flush()
            session.add(CasePerson(case_id=case.id, person_id=suspect.id, role="suspect"))
        made.append(case)
    session.flush()
    return made

"""The preview reports persons the linkage model finds probably the same, within the
importer's scope only, and writes nothing (real demo registry, real Splink run)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ctip.cases.models import Case, CasePerson
from ctip.demo.loader import load
from ctip.identifiers.models import Identifier
from ctip.imports import service
from ctip.linkage.run import run_linkage
from ctip.persons.models import Person
from ctip.reference import PROVINCE_CODES
from tests.imports.builders import person, template_xlsx

TODAY = date(2026, 1, 15)


@pytest.fixture
def linked(db, sessions, settings):
    """60 demo cases (seed 11) with a complete linkage run and its model in force."""
    load(db, cases=60, seed=11, settings=settings)
    db.flush()
    run_linkage(sessions, settings=settings)
    target = db.execute(
        select(Person, Case.province)
        .join(CasePerson, CasePerson.person_id == Person.id)
        .join(Case, Case.id == CasePerson.case_id)
        .where(CasePerson.role == "victim")
        .order_by(Person.id)
    ).all()
    for found, province in target:
        if found.given_name and found.family_name and found.date_of_birth:
            return found, province
    raise AssertionError("no named victim with a birth date in the demo registry")


def _row_of(found: Person) -> bytes:
    return template_xlsx(
        [
            person(
                1,
                **{
                    "First Name": found.given_name,
                    "Second Name": found.family_name,
                    "Birthdate": found.date_of_birth.isoformat(),
                    "Gender": found.gender,
                    "Citizenship": ";".join(found.nationalities or []) or "KH",
                    "Mobile Phone": None,
                },
            )
        ]
    )


def _preview(db, actor, settings, data, province):
    return service.preview(
        db,
        actor=actor,
        settings=settings,
        data=data,
        filename="people.xlsx",
        source="htcds",
        province=province,
        today=TODAY,
    )


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_linkage_probability_within_scope_and_nothing_written(db, make_actor, settings, linked):
    found, province = linked
    officer = make_actor(province=province)
    before = (_count(db, Person), _count(db, Identifier))
    result = _preview(db, officer, settings, _row_of(found), province)
    matches = result.matches[3]
    mine = next(m for m in matches if m.person_id == found.id)
    assert mine.probability is not None and mine.probability >= 0.5
    assert all(m.probability is None or 0.5 <= m.probability <= 1 for m in matches)
    assert (_count(db, Person), _count(db, Identifier)) == before  # the savepoint is gone


def test_an_outsider_learns_nothing_from_the_model(db, make_actor, settings, linked):
    found, _ = linked
    theirs = set(
        db.scalars(
            select(Case.province)
            .join(CasePerson, CasePerson.case_id == Case.id)
            .where(CasePerson.person_id == found.id)
        )
    )
    elsewhere = next(code for code in PROVINCE_CODES if code not in theirs)
    outsider = make_actor(province=elsewhere)
    result = _preview(db, outsider, settings, _row_of(found), elsewhere)
    assert result.rows[0].valid
    reported = {m.person_id for ms in result.matches.values() for m in ms}
    assert found.id not in reported
    visible = set(
        db.scalars(
            select(CasePerson.person_id)
            .join(Case, Case.id == CasePerson.case_id)
            .where(Case.province == elsewhere)
        )
    )
    assert reported <= visible

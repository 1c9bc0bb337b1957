"""Outsider test: ``auth.scope.per_scope`` caches a statement per role, province and
organisation, not per user, except where the statement reads the user's id (persons the
user recorded, ``_owned``): there each user still gets their own, and one user's persons
are never served to another of the same province."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ctip.auth.scope import Actor, per_scope, visible_cases, visible_persons
from ctip.cases.models import Case
from ctip.persons.models import Person
from tests.persons.helpers import make_case, make_person


@per_scope
def _cases(actor: Actor) -> Any:
    return select(Case.id).where(visible_cases(actor)).order_by(Case.id)


@per_scope
def _persons(actor: Actor) -> Any:
    return select(Person.id).where(visible_persons(actor)).order_by(Person.id)


def test_officers_of_one_province_share_one_case_statement(db, make_actor) -> None:  # type: ignore[no-untyped-def]
    kh1, kh2 = make_case(db, province="KH-1"), make_case(db, province="KH-2")
    db.flush()
    first, second = make_actor(province="KH-1"), make_actor(province="KH-1")
    other = make_actor(province="KH-2")
    assert first.id != second.id
    assert _cases(first) is _cases(second)
    assert _cases(other) is not _cases(first)
    assert kh1.id in db.scalars(_cases(second)).all()
    assert kh1.id not in db.scalars(_cases(other)).all()
    assert kh2.id in db.scalars(_cases(other)).all()


def test_a_statement_reading_the_user_is_kept_per_user(db, make_actor) -> None:  # type: ignore[no-untyped-def]
    author, colleague = make_actor(province="KH-1"), make_actor(province="KH-1")
    person = make_person(db, given="Vanna")
    person.created_by_id, person.owner_province = author.id, None  # on no case
    db.flush()
    assert _persons(author) is not _persons(colleague)
    assert _persons(author) is _persons(author)
    assert person.id in db.scalars(_persons(author)).all()
    assert person.id not in db.scalars(_persons(colleague)).all()
    # asked in the other order, from the cache: still not served to the colleague
    assert person.id not in db.scalars(_persons(colleague)).all()
    assert person.id in db.scalars(_persons(author)).all()

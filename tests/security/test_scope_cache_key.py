"""Outsider test: ``auth.scope.per_scope`` caches a statement per role, province and
organisation, not per user, except where the statement reads the user's id (persons the
user recorded, ``_owned``): there each user still gets their own, and one user's persons
are never served to another of the same province."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

import ctip.screening.flags  # noqa: F401  (registers the case list's non-punishment mark)
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


# Arguments to build each production builder with (besides the actor). A builder missing
# here fails the test below: add it with arguments that reach its scope clauses.
_SAMPLE_ARGS: dict[str, tuple[Any, ...]] = {
    "ctip.cases.service._plain_count": ((True, "KH-1", "open", "ForcedLabour", None, None),),
    "ctip.cases.service._plain_page": ((False, None, None, None, None, None), ("nonpunishment",)),
    "ctip.cases.service._plain_after": ((True, None, "open", None, None, None), ("nonpunishment",)),
    "ctip.cases.detail._case_query": (),
    "ctip.cases.participants._people_query": (),
    "ctip.identifiers.service._case_identifiers": (),
    "ctip.identifiers.service._case_and_holder_identifiers": (),
}


def _compiled(statement: Any) -> tuple[str, list[tuple[str, str]]]:
    from sqlalchemy.dialects import sqlite

    done = statement.compile(dialect=sqlite.dialect())
    return str(done), sorted((k, repr(v)) for k, v in done.params.items())


def test_every_cached_scoped_statement_equals_one_built_for_the_reader() -> None:
    """For every ``per_scope`` builder in CTIP, every role, two provinces and organisations
    and three user ids (one of them none): the statement served from the cache is the one
    the builder makes for that very reader. A builder whose statement depends on something
    of the reader outside the cache key fails here."""
    import ctip.cli  # imports every part, so every builder is registered
    import ctip.web.app  # noqa: F401
    from ctip.auth.models import ROLES
    from ctip.auth.scope import SCOPED_BUILDERS

    builders = {f"{b.__module__}.{b.__qualname__}": b for b in SCOPED_BUILDERS}
    builders = {name: b for name, b in builders.items() if name.startswith("ctip.")}
    assert set(builders) <= set(_SAMPLE_ARGS), set(builders) - set(_SAMPLE_ARGS)
    assert builders, "no builder registered"
    wrapped = {}
    import importlib

    for name in builders:
        module, function = name.rsplit(".", 1)
        wrapped[name] = getattr(importlib.import_module(module), function)
    compared = 0
    for role in ROLES:
        for province, organisation in (("KH-1", 3), ("KH-12", 7)):
            for user_id in (11, 22, None):
                actor = Actor(
                    id=user_id,
                    username=f"u{user_id}",
                    role=role,
                    province=province,
                    organisation_id=organisation,
                )
                for name, build in builders.items():
                    args = _SAMPLE_ARGS[name]
                    cached = wrapped[name](actor, *args)
                    assert _compiled(cached) == _compiled(build(actor, *args)), (name, role)
                    compared += 1
    assert compared == len(ROLES) * 2 * 3 * len(builders)

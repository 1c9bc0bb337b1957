"""Recording identifiers and finding every person and case that carries one.

A value is stored three ways: the raw text and its normalised form (both encrypted) and a
blind index of the normalised form (``digest``), which is all that search compares. A search
value is read every way it could be meant (``normalize.search_forms``), so ``+855 12 345 678``,
``012345678`` and ``855-12-345-678`` find the same phone. Values that cannot be normalised are
kept, flagged, and indexed on their raw text, so they are still found exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, false, or_, select, true, union
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.holders import identifiers_shown, person_identifiers_shown
from ctip.auth.scope import (
    Actor,
    per_scope,
    require_case_writer,
    visible_cases,
    visible_participants,
    visible_persons,
)
from ctip.cases.models import Case, CasePerson
from ctip.errors import Conflict, FieldError, NotFound, ValidationFailed
from ctip.identifiers.models import Identifier
from ctip.identifiers.normalize import index_form, search_forms
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.reference import IDENTIFIER_TYPES, SOCIAL_PLATFORMS, countries
from ctip.security import keyring


@dataclass(frozen=True)
class PersonRole:
    """A role of a person on a case, as the searcher may see it."""

    case_id: int
    reference: str
    role: str


@dataclass(frozen=True)
class PersonHit:
    """A person carrying the identifier searched for."""

    id: int
    display_name: str
    roles: list[PersonRole] = field(default_factory=list)


@dataclass(frozen=True)
class CaseHit:
    """A case carrying the identifier itself (``role`` None) or through a person in a role."""

    id: int
    reference: str
    title: str
    role: str | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class IdentifierHits:
    persons: list[PersonHit] = field(default_factory=list)
    cases: list[CaseHit] = field(default_factory=list)


def digest_of(purpose: str, normalised: str) -> str:
    """The blind index of one (purpose, normalised value) pair."""
    return keyring().blind_index("id:" + purpose, normalised)


def digests_for(value: str, region: str = "KH") -> list[str]:
    """Blind indexes of every interpretation of a search value (under every blind-index key
    generation still in the database while ``ctip keys rotate`` runs)."""
    ring = keyring()
    return [
        digest
        for purpose, form in search_forms(value, region)
        for digest in ring.lookup_indexes("id:" + purpose, form)
    ]


def _check_add(
    id_type: str,
    value: str,
    person_id: int | None,
    case_id: int | None,
    platform: str | None,
    issuing_country: str | None,
) -> None:
    errors: list[FieldError] = []
    if id_type not in IDENTIFIER_TYPES:
        errors.append(
            FieldError(
                "type",
                "unknown identifier type %(value)s; one of %(allowed)s",
                {"value": id_type, "allowed": ", ".join(IDENTIFIER_TYPES)},
            )
        )
    if not value or not value.strip():
        errors.append(FieldError("value", "required"))
    if (person_id is None) == (case_id is None):
        errors.append(FieldError("person_id", "an identifier belongs to one person or one case"))
    if platform and platform not in SOCIAL_PLATFORMS:
        errors.append(FieldError("platform", "unknown platform %(value)s", {"value": platform}))
    if issuing_country and issuing_country not in countries():
        errors.append(
            FieldError(
                "issuing_country", "unknown country code %(value)s", {"value": issuing_country}
            )
        )
    if errors:
        raise ValidationFailed(errors)


def get_case(session: Session, *, actor: Actor, case_id: int) -> Case:
    """A case the actor may see, else ``NotFound``."""
    case = session.scalar(select(Case).where(Case.id == case_id, visible_cases(actor)))
    if case is None:
        raise NotFound("case not found", id=case_id)
    return case


def _check_target(
    session: Session, actor: Actor, person_id: int | None, case_id: int | None
) -> None:
    """The person or case must be visible (else 404) and the actor allowed to change it."""
    if person_id is not None:
        persons.get(session, actor=actor, person_id=person_id, audit=False)
        persons.require_may_change(session, actor=actor, person_id=person_id)
    elif case_id is not None:
        get_case(session, actor=actor, case_id=case_id)
        require_case_writer(actor)


def _already_there(
    session: Session, digest: str, person_id: int | None, case_id: int | None
) -> bool:
    owner = Identifier.person_id == person_id if person_id else Identifier.case_id == case_id
    return (
        session.scalar(select(Identifier.id).where(Identifier.digest == digest, owner).limit(1))
        is not None
    )


def _where(id_type: str, person_id: int | None, case_id: int | None) -> str:
    return f"{id_type} on person {person_id}" if person_id else f"{id_type} on case {case_id}"


def add(
    session: Session,
    *,
    actor: Actor,
    id_type: str,
    value: str,
    person_id: int | None = None,
    case_id: int | None = None,
    platform: str | None = None,
    issuing_country: str | None = None,
    region: str = "KH",
) -> Identifier:
    """Attach an identifier to a person or a case; an unparseable value is kept and flagged."""
    issuing_country = issuing_country.upper() if issuing_country else None
    _check_add(id_type, value, person_id, case_id, platform, issuing_country)
    _check_target(session, actor, person_id, case_id)
    purpose, form, result = index_form(id_type, value, region)
    digest = digest_of(purpose, form)
    if _already_there(session, digest, person_id, case_id):
        raise Conflict("this identifier is already recorded here", field="value")
    ident = Identifier(
        id_type=id_type,
        platform=platform or None,
        raw=value.strip(),
        normalised=result.value,
        digest=digest,
        valid=result.valid,
        problem=result.problem,
        issuing_country=issuing_country,
        person_id=person_id,
        case_id=case_id,
        created_by_id=actor.id,
    )
    session.add(ident)
    session.flush()
    record(
        session,
        actor=actor,
        action="identifier.create",
        entity_type="identifier",
        entity_id=ident.id,
        after={"type": id_type, "valid": result.valid, "person_id": person_id, "case_id": case_id},
        detail=_where(id_type, person_id, case_id),
    )
    from ctip.network.alerts import on_person_changed  # other cases' officers are told

    on_person_changed(session=session, person_id=person_id, actor=actor)
    return ident


def for_person(session: Session, *, actor: Actor, person_id: int) -> list[Identifier]:
    """The identifiers of a person the actor may see (an NGO case worker: of a victim
    referred to their organisation or a person they recorded, ``person_identifiers_shown``)."""
    persons.get(session, actor=actor, person_id=person_id, audit=False)
    return list(
        session.scalars(
            select(Identifier)
            .where(
                Identifier.person_id == person_id,
                person_identifiers_shown(actor, Identifier.person_id),
            )
            .order_by(Identifier.id)
        )
    )


def for_case(
    session: Session, *, actor: Actor, case_id: int, include_participants: bool = False
) -> list[Identifier]:
    """Identifiers recorded on a case; with ``include_participants`` also those of the
    persons on it in roles the actor may see."""
    get_case(session, actor=actor, case_id=case_id)
    where = Identifier.case_id == case_id if actor.sees_case_identifiers else false()
    if include_participants:
        # The ids are fetched first: PostgreSQL cannot use the person_id index for an OR with
        # a sub-select and scans every identifier instead (0.2 s over a million).
        people = session.scalars(
            select(CasePerson.person_id).where(
                CasePerson.case_id == case_id, visible_participants(actor)
            )
        ).all()
        where = or_(where, Identifier.person_id.in_(people))
    return list(session.scalars(select(Identifier).where(where).order_by(Identifier.id)))


def of_visible_case(
    session: Session, *, actor: Actor, case_id: int, person_ids: list[int]
) -> list[Row[Any]]:
    """Identifiers of a case the caller has already proven visible, and of those of
    ``person_ids`` (persons the caller shows on it) whose identifiers the caller is shown on
    this case (``identifiers_shown``): one query, no second scope check of the case.

    Plain rows of ``SHOWN_COLUMNS`` (what the case page shows), not ORM objects."""
    if not person_ids:
        query = _case_identifiers(actor)
        return list(session.execute(query, {"case_id": case_id}))
    params = {"case_id": case_id, "person_ids": list(dict.fromkeys(person_ids))}
    return list(session.execute(_case_and_holder_identifiers(actor), params))


# An identifier's columns as the case page shows them.
SHOWN_COLUMNS = (
    Identifier.id,
    Identifier.id_type,
    Identifier.raw,
    Identifier.normalised,
    Identifier.valid,
    Identifier.problem,
    Identifier.person_id,
)


@per_scope
def _case_identifiers(actor: Actor) -> Any:
    """Identifiers recorded on case ``:case_id`` itself, if ``actor`` sees those."""
    where = Identifier.case_id == bindparam("case_id") if actor.sees_case_identifiers else false()
    return select(*SHOWN_COLUMNS).where(where).order_by(Identifier.id)


@per_scope
def _case_and_holder_identifiers(actor: Actor) -> Any:
    """``_case_identifiers`` and those of ``:person_ids`` that ``actor`` is shown on case
    ``:case_id`` (``identifiers_shown``)."""
    case_id: Any = bindparam("case_id")
    where = Identifier.case_id == case_id if actor.sees_case_identifiers else false()
    held = and_(
        Identifier.person_id.in_(bindparam("person_ids", expanding=True)),
        identifiers_shown(actor, Identifier.person_id, case_id=case_id),
    )
    return select(*SHOWN_COLUMNS).where(or_(where, held)).order_by(Identifier.id)


def case_ids_matching(value: str, actor: Actor | None = None, region: str = "KH") -> Select[Any]:
    """Ids of cases carrying ``value`` directly or on a participant (unscoped unless ``actor``
    is given, which limits participants to the roles that actor may see and to holders whose
    identifiers it is shown, ``person_identifiers_shown``)."""
    digests = digests_for(value, region)
    direct = select(Identifier.case_id.label("case_id")).where(
        Identifier.digest.in_(digests),
        Identifier.case_id.is_not(None),
        true() if actor is None or actor.sees_case_identifiers else false(),
    )
    holders = select(Identifier.person_id).where(
        Identifier.digest.in_(digests),
        Identifier.person_id.is_not(None),
        true() if actor is None else person_identifiers_shown(actor, Identifier.person_id),
    )
    role_ok = visible_participants(actor) if actor is not None else true()
    via = select(CasePerson.case_id.label("case_id")).where(
        CasePerson.person_id.in_(holders), role_ok
    )
    return select(union(direct, via).subquery().c.case_id)


def _holders(session: Session, actor: Actor, digests: list[str]) -> tuple[list[int], list[int]]:
    """Ids of the persons and of the cases carrying any of ``digests`` (scope unchecked);
    a person only when the actor is shown their identifiers (``person_identifiers_shown``),
    so a search does not confirm a value the person page hides."""
    shown = or_(
        Identifier.person_id.is_(None), person_identifiers_shown(actor, Identifier.person_id)
    )
    rows = session.execute(
        select(Identifier.person_id, Identifier.case_id).where(
            Identifier.digest.in_(digests), shown
        )
    ).all()
    return (
        sorted({p for p, _ in rows if p is not None}),
        sorted({c for _, c in rows if c is not None}),
    )


def _visible_case_ids(session: Session, actor: Actor, case_ids: list[int]) -> set[int]:
    if not case_ids:
        return set()
    return set(session.scalars(select(Case.id).where(Case.id.in_(case_ids), visible_cases(actor))))


def _visible_people(
    session: Session, actor: Actor, person_ids: list[int], linked: set[int]
) -> list[Person]:
    """The persons among ``person_ids`` the actor may see; those with a visible role
    (``linked``) are visible already, the others only if the actor's scope owns them."""
    shown = set(linked)
    rest = [p for p in person_ids if p not in linked]
    if rest:
        shown |= set(
            session.scalars(select(Person.id).where(Person.id.in_(rest), visible_persons(actor)))
        )
    return list(
        session.scalars(select(Person).where(Person.id.in_(sorted(shown))).order_by(Person.id))
    )


def _hits(
    people: list[Person], roles: list[tuple[Case, CasePerson]], direct: list[Case]
) -> IdentifierHits:
    by_person: dict[int, list[PersonRole]] = {p.id: [] for p in people}
    for case, link in sorted(roles, key=lambda r: (r[0].id, r[1].role)):
        by_person[link.person_id].append(PersonRole(case.id, case.reference, link.role))
    cases = [CaseHit(c.id, c.reference, c.title) for c in direct]
    cases += [CaseHit(c.id, c.reference, c.title, link.role, link.person_id) for c, link in roles]
    return IdentifierHits(
        [PersonHit(p.id, persons.display_name(p), by_person[p.id]) for p in people],
        sorted(cases, key=lambda h: (h.id, h.role or "", h.person_id or 0)),
    )


def find(session: Session, *, actor: Actor, digests: list[str]) -> IdentifierHits:
    """Persons and cases in the actor's scope carrying any of ``digests`` (not audited).

    Every query starts from the few rows the blind index points at, so the cost does not
    grow with the number of cases in the actor's scope.
    """
    person_ids, case_ids = _holders(session, actor, digests)
    if not actor.sees_case_identifiers:
        case_ids = []
    roles = persons.visible_roles(session, actor=actor, person_ids=person_ids)
    direct_ids = _visible_case_ids(session, actor, case_ids)
    direct = (
        list(session.scalars(select(Case).where(Case.id.in_(sorted(direct_ids)))))
        if direct_ids
        else []
    )
    people = _visible_people(session, actor, person_ids, {link.person_id for _, link in roles})
    return _hits(people, roles, direct)


def search(session: Session, *, actor: Actor, value: str, region: str = "KH") -> IdentifierHits:
    """Every person and case within the actor's scope carrying ``value`` in any format.

    The search is audited with the blind indexes looked up, never the value itself.
    """
    if not value or not value.strip():
        return IdentifierHits()
    digests = digests_for(value, region)
    hits = find(session, actor=actor, digests=digests)
    record(
        session,
        actor=actor,
        action="identifier.search",
        entity_type="identifier",
        detail=f"{len(hits.persons)} persons, {len(hits.cases)} cases",
        after={
            "digests": digests,
            "persons": [p.id for p in hits.persons],
            "cases": sorted({c.id for c in hits.cases}),
        },
    )
    return hits

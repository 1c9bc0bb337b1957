"""Recording, reading, changing and finding persons, always within the caller's scope.

Names are stored encrypted; what makes them searchable is a set of blind indexes (keyed HMACs
of normalised name forms, ``person_name_keys``), refreshed whenever the names change. Every
read of a person is audited, and so is every change, with the record before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, event, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ctip.audit.service import record, snapshot
from ctip.auth.holders import person_identifiers_shown
from ctip.auth.scope import (
    CASE_WRITERS,
    Actor,
    require_province,
    visible_participants,
    visible_persons,
    writable_persons,
)
from ctip.cases.models import Case, CasePerson
from ctip.db.dialect import dialect_for
from ctip.errors import FieldError, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from ctip.identifiers.models import Identifier
from ctip.persons.models import Person, PersonNameKey
from ctip.persons.names import name_keys, query_keys, query_terms
from ctip.persons.schemas import (
    IdentifierOut,
    PersonDetail,
    PersonIn,
    PersonOut,
    PersonUpdate,
    RoleOut,
)
from ctip.reference import GENDERS, PERSON_ROLES, PROVINCE_CODES, countries
from ctip.security import keyring

# Roles that may record and change persons (NGO case workers record the victims they assist).
PERSON_WRITERS = CASE_WRITERS | frozenset({"ngo_caseworker"})
MAX_AGE = 120
# What the audit trail keeps of a person before and after a change (it is stored encrypted).
AUDITED_FIELDS = (
    "given_name",
    "family_name",
    "name_km",
    "aliases",
    "gender",
    "date_of_birth",
    "estimated_age",
    "nationalities",
    "address",
    "notes",
)
STALE = "this person was changed by someone else; reload and try again"


def split_aliases(stored: str | None) -> list[str]:
    """The aliases kept newline-separated in one encrypted column, as a list."""
    return [a for a in (stored or "").split("\n") if a.strip()]


def display_name(person: Person) -> str:
    """The name shown in lists: Latin names, else the Khmer name, else the first alias."""
    return name_shown(person.given_name, person.family_name, person.name_km, person.aliases)


# The columns ``name_shown`` takes, for reads that select them instead of whole persons.
NAME_COLUMNS = (Person.given_name, Person.family_name, Person.name_km, Person.aliases)


def name_shown(
    given_name: str | None, family_name: str | None, name_km: str | None, aliases: str | None
) -> str:
    """``display_name`` from the four name values."""
    latin = " ".join(p for p in (given_name, family_name) if p)
    return latin or name_km or next(iter(split_aliases(aliases)), "") or "—"


def age_of(person: Person, today: date | None = None) -> int | None:
    """Age in whole years from the date of birth, else the estimate carried forward."""
    today = today or date.today()
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if person.estimated_age is not None:
        since = person.age_estimated_on or today
        return person.estimated_age + max(0, today.year - since.year)
    return None


def _check_values(values: dict[str, Any], today: date) -> list[FieldError]:
    """Business rules on person fields (only those present in ``values``)."""
    errors: list[FieldError] = []
    dob = values.get("date_of_birth")
    if dob is not None and dob > today:
        errors.append(FieldError("date_of_birth", "the date of birth is in the future"))
    if dob is not None and today.year - dob.year > MAX_AGE:
        errors.append(
            FieldError(
                "date_of_birth", "the date of birth is more than %(n)s years ago", {"n": MAX_AGE}
            )
        )
    age = values.get("estimated_age")
    if age is not None and not 0 <= age <= MAX_AGE:
        errors.append(
            FieldError("estimated_age", "an age must be between 0 and %(n)s", {"n": MAX_AGE})
        )
    gender = values.get("gender")
    if gender is not None and gender not in GENDERS:
        errors.append(FieldError("gender", "unknown gender %(value)s", {"value": gender}))
    known = countries()
    unknown = [c for c in values.get("nationalities") or [] if c not in known]
    if unknown:
        errors.append(
            FieldError(
                "nationalities", "unknown country code %(value)s", {"value": ", ".join(unknown)}
            )
        )
    return errors


def _has_name(values: dict[str, Any]) -> bool:
    names = [values.get("given_name"), values.get("family_name"), values.get("name_km")]
    return any(n and n.strip() for n in names) or bool(values.get("aliases"))


def problems(values: dict[str, Any], today: date | None = None) -> list[FieldError]:
    """Every business rule that a complete set of person fields breaks."""
    errors = _check_values(values, today or date.today())
    if not _has_name(values):
        errors.append(FieldError("given_name", "give at least one name or alias"))
    return errors


def _validate(values: dict[str, Any], today: date) -> None:
    errors = problems(values, today)
    if errors:
        raise ValidationFailed(errors)


def _refresh_name_keys(person: Person) -> None:
    """Replace the person's blind-indexed name forms with those of the current names."""
    ring = keyring()
    forms = name_keys(
        person.given_name, person.family_name, person.name_km, split_aliases(person.aliases)
    )
    person.name_keys = [
        PersonNameKey(kind=kind, digest=ring.blind_index("name:" + kind, form))
        for kind, form in forms
    ]


def _apply(person: Person, values: dict[str, Any], today: date) -> None:
    """Set the given fields; an age estimate is dated when it is first given or changed."""
    _date_estimate(person, values, today)
    for name, value in values.items():
        if name == "aliases":
            value = "\n".join(a.strip() for a in value or [] if a.strip()) or None
        elif name == "nationalities":
            value = list(dict.fromkeys(value or []))
        elif name == "gender":
            value = value or "NonSpecifiedUnknown"
        setattr(person, name, value)


def _date_estimate(person: Person, values: dict[str, Any], today: date) -> None:
    if "estimated_age" not in values:
        return
    if values["estimated_age"] is None:
        person.age_estimated_on = None
    elif person.age_estimated_on is None or person.estimated_age != values["estimated_age"]:
        person.age_estimated_on = today


def require_person_writer(actor: Actor) -> None:
    if actor.role not in PERSON_WRITERS:
        raise PermissionDenied("your role cannot change persons", role=actor.role)


def require_may_change(session: Session, *, actor: Actor, person_id: int) -> None:
    """The actor may change this (visible) person: ``writable_persons`` in ``auth.scope``."""
    require_person_writer(actor)
    if actor.sees_offenders:  # their write rule is their read rule
        return
    if not session.scalar(select(exists().where(Person.id == person_id, writable_persons(actor)))):
        raise PermissionDenied("you may change only the persons you recorded", id=person_id)


def may_change(session: Session, *, actor: Actor, person_id: int) -> bool:
    """Whether ``require_may_change`` would let the actor change this person (pages offer
    the edit link and forms only then)."""
    try:
        require_may_change(session, actor=actor, person_id=person_id)
    except PermissionDenied:
        return False
    return True


def _owner_province(actor: Actor, owner_province: str | None) -> str | None:
    if owner_province is None:
        return actor.province
    if owner_province not in PROVINCE_CODES:
        raise ValidationFailed.single(
            "owner_province", "unknown province code %(value)s", value=owner_province
        )
    require_province(actor, owner_province)
    return owner_province


def create(
    session: Session, *, actor: Actor, data: PersonIn, owner_province: str | None = None
) -> Person:
    """Record a person; names are encrypted and blind-indexed; the creation is audited."""
    require_person_writer(actor)
    today = date.today()
    values = data.model_dump(include=set(AUDITED_FIELDS))
    _validate(values, today)
    person = Person(
        created_by_id=actor.id,
        owner_org_id=actor.organisation_id,
        owner_province=_owner_province(actor, owner_province),
    )
    _apply(person, values, today)
    _refresh_name_keys(person)
    session.add(person)
    session.flush()
    record(
        session,
        actor=actor,
        action="person.create",
        entity_type="person",
        entity_id=person.id,
        after=snapshot(person, AUDITED_FIELDS),
    )
    return person


# Session.info key: (actor, person id) -> the person, for persons this session has proven
# visible; the person page's blocks then check the person once (see ``cases.service``).
PROVEN = "ctip_proven_persons"


def proven_visible(session: Session, *, actor: Actor, person_ids: Iterable[int]) -> bool:
    """Whether this session has already proven every one of ``person_ids`` visible to
    ``actor`` (by ``get`` or ``profile``, with no write since)."""
    proven = session.info.get(PROVEN, {})
    return all((actor, pid) in proven for pid in person_ids)


@event.listens_for(Session, "after_flush")
def _forget_proven(session: Session, context: object) -> None:
    """A change can move a person out of someone's scope: after any write, check again."""
    session.info.pop(PROVEN, None)


def get(
    session: Session, *, actor: Actor, person_id: int, audit: bool = True, for_update: bool = False
) -> Person:
    """The person if the actor may see them (else ``NotFound``); the read is audited.
    ``for_update`` locks and re-reads the row, so a version check stays true until commit."""
    proven = session.info.setdefault(PROVEN, {})
    person = None if for_update else proven.get((actor, person_id))
    if person is None:
        query = select(Person).where(Person.id == person_id, visible_persons(actor))
        if for_update:
            query = query.with_for_update(of=Person).execution_options(populate_existing=True)
        person = session.scalar(query)
    if person is None:
        raise NotFound("person not found", id=person_id)
    proven[(actor, person_id)] = person
    if audit:
        record(
            session, actor=actor, action="person.read", entity_type="person", entity_id=person.id
        )
    return person


def update(session: Session, *, actor: Actor, person_id: int, data: PersonUpdate) -> Person:
    """Change the fields sent; a stale ``version`` changes nothing and raises ``StaleVersion``."""
    require_person_writer(actor)
    person = get(session, actor=actor, person_id=person_id, audit=False, for_update=True)
    require_may_change(session, actor=actor, person_id=person.id)
    if data.version != person.version:
        raise StaleVersion(STALE, field="version", current=person.version)
    today = date.today()
    values = data.changes()
    merged = {
        **snapshot(person, AUDITED_FIELDS),
        "aliases": split_aliases(person.aliases),
        "date_of_birth": person.date_of_birth,
        **values,
    }
    _validate(merged, today)
    before = snapshot(person, AUDITED_FIELDS)
    _apply(person, values, today)
    if {"given_name", "family_name", "name_km", "aliases"} & values.keys():
        _refresh_name_keys(person)
    try:
        session.flush()
    except StaleDataError:  # someone saved between our read and our write
        raise StaleVersion(STALE, field="version")
    record(
        session,
        actor=actor,
        action="person.update",
        entity_type="person",
        entity_id=person.id,
        before=before,
        after=snapshot(person, AUDITED_FIELDS),
    )
    from ctip.network.alerts import on_person_changed  # other cases' officers are told

    on_person_changed(session=session, person_id=person.id, actor=actor)
    return person


def name_digests(query: str) -> list[str]:
    """The blind indexes a name search looks up (every live key generation)."""
    ring = keyring()
    return [
        digest
        for kind, form in query_keys(query)
        for digest in ring.lookup_indexes("name:" + kind, form)
    ]


def _with_term(digests: list[str]) -> Select[Any]:
    return select(PersonNameKey.person_id).where(PersonNameKey.digest.in_(digests))


def matching_name_ids(query: str) -> Select[Any]:
    """Ids of persons whose name matches ``query`` (unscoped: callers add scope): the full
    name or alias, or every word typed — in any order — as a name or the start of one."""
    ring = keyring()
    terms = [
        [d for kind, form in term for d in ring.lookup_indexes("name:" + kind, form)]
        for term in query_terms(query)
    ]
    full = _with_term(name_digests(query))
    if not terms:
        return full.distinct()
    every = and_(*(Person.id.in_(_with_term(term)) for term in terms))
    return select(Person.id).where(or_(Person.id.in_(full), every))


def search(session: Session, *, actor: Actor, query: str, limit: int = 50) -> list[Person]:
    """Persons within scope whose full name (either order), one name, or alias is ``query``."""
    if not query.strip():
        return []
    persons = list(
        session.scalars(
            select(Person)
            .where(Person.id.in_(matching_name_ids(query)), visible_persons(actor))
            .order_by(Person.id.desc())
            .limit(limit)
        )
    )
    record(
        session,
        actor=actor,
        action="person.search",
        entity_type="person",
        detail=f"{len(persons)} found",
        after={"ids": [p.id for p in persons]},
    )
    return persons


@dataclass(frozen=True)
class PersonFilters:
    """The persons list's filters (all optional): a name (any part, any order), sex, a
    nationality and a role held on a case the reader sees."""

    query: str = ""
    gender: str | None = None
    nationality: str | None = None
    role: str | None = None


def _filter_errors(filters: PersonFilters) -> list[FieldError]:
    errors = []
    if filters.gender and filters.gender not in GENDERS:
        errors.append(FieldError("gender", "unknown value %(value)s", {"value": filters.gender}))
    if filters.role and filters.role not in PERSON_ROLES:
        errors.append(FieldError("role", "unknown value %(value)s", {"value": filters.role}))
    if filters.nationality and filters.nationality not in countries():
        errors.append(
            FieldError("nationality", "unknown value %(value)s", {"value": filters.nationality})
        )
    return errors


def listing(
    session: Session,
    *,
    actor: Actor,
    filters: PersonFilters,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Person], int]:
    """Persons in scope matching the filters, newest first, a page at a time; the names
    shown are a read of those persons (audited as one ``person.search``)."""
    errors = _filter_errors(filters)
    if errors:
        raise ValidationFailed(errors)
    where = [visible_persons(actor)]
    if filters.query.strip():
        where.append(Person.id.in_(matching_name_ids(filters.query)))
    if filters.gender:
        where.append(Person.gender == filters.gender)
    if filters.nationality:
        dialect = dialect_for(session.get_bind().dialect.name)
        where.append(dialect.list_contains(Person.nationalities, filters.nationality))
    if filters.role:
        where.append(
            exists().where(
                CasePerson.person_id == Person.id,
                CasePerson.role == filters.role,
                visible_participants(actor),
            )
        )
    total = session.scalar(select(func.count()).select_from(Person).where(*where)) or 0
    persons = list(
        session.scalars(
            select(Person)
            .where(*where)
            .order_by(Person.id.desc())
            .offset((max(page, 1) - 1) * page_size)
            .limit(page_size)
        )
    )
    record(
        session,
        actor=actor,
        action="person.search",
        entity_type="person",
        detail=f"{len(persons)} of {total} listed",
        after={"ids": [p.id for p in persons]},
    )
    return persons, int(total)


def visible_roles(
    session: Session, *, actor: Actor, person_ids: list[int]
) -> list[tuple[Case, CasePerson]]:
    """Cases and roles of these persons that the actor may see, newest case first.

    The query is driven by the persons' own role rows (found by index in a sub-select),
    so it stays cheap however many cases the actor's scope holds.
    """
    if not person_ids:
        return []
    link_ids = select(CasePerson.id).where(CasePerson.person_id.in_(person_ids))
    rows = session.execute(
        select(Case, CasePerson)
        .join(CasePerson, CasePerson.case_id == Case.id)
        .where(CasePerson.id.in_(link_ids), visible_participants(actor))
        .order_by(Case.opened_on.desc(), Case.id.desc(), CasePerson.role)
    ).all()
    return [(case, role) for case, role in rows]


def roles_of(session: Session, *, actor: Actor, person_id: int) -> list[tuple[Case, CasePerson]]:
    """Every case and role of the person that the actor may see, newest case first."""
    get(session, actor=actor, person_id=person_id, audit=False)
    return visible_roles(session, actor=actor, person_ids=[person_id])


def to_out(person: Person) -> PersonOut:
    """The public shape of a person (decrypted names, computed age, no ciphertext)."""
    return PersonOut(
        id=person.id,
        version=person.version,
        display_name=display_name(person),
        given_name=person.given_name,
        family_name=person.family_name,
        name_km=person.name_km,
        aliases=split_aliases(person.aliases),
        gender=person.gender,
        date_of_birth=person.date_of_birth,
        estimated_age=person.estimated_age,
        age=age_of(person),
        nationalities=person.nationalities,
        created_at=person.created_at,
    )


def _role_out(case: Case, link: CasePerson) -> RoleOut:
    return RoleOut(
        case_id=case.id,
        reference=case.reference,
        title=case.title,
        province=case.province,
        status=case.status,
        role=link.role,
        trafficking_status=link.trafficking_status,
        custody_status=link.custody_status,
    )


def profile(session: Session, *, actor: Actor, person_id: int) -> PersonDetail:
    """Everything the person page shows: the record, identifiers, and visible roles.

    Opening a profile is a read of the person and is audited.
    """
    rows = session.execute(
        select(Person, Identifier)
        .outerjoin(
            Identifier,
            and_(
                Identifier.person_id == Person.id,
                person_identifiers_shown(actor, Identifier.person_id),
            ),
        )
        .where(Person.id == person_id, visible_persons(actor))
        .order_by(Identifier.id)
    ).all()  # the person with their identifiers in one query
    if not rows:
        raise NotFound("person not found", id=person_id)
    person = rows[0][0]
    session.info.setdefault(PROVEN, {})[(actor, person.id)] = person
    record(session, actor=actor, action="person.read", entity_type="person", entity_id=person.id)
    roles = visible_roles(session, actor=actor, person_ids=[person.id])
    return PersonDetail(
        **to_out(person).model_dump(),
        address=person.address,
        notes=person.notes,
        identifiers=[IdentifierOut.model_validate(i) for _, i in rows if i is not None],
        roles=[_role_out(c, r) for c, r in roles],
    )

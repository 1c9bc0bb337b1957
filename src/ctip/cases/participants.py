"""Persons on a case in roles (victim, suspect, broker, witness, reporter, guardian).

One person record can hold several roles across cases; a person holding the same role twice
on one case is refused. The victim context (trafficking status and who decided it, methods of
control, recruitment) and the perpetrator context (role in the process, custody, arrest) follow
HTCDS. A person who is a victim somewhere and a suspect or broker somewhere else is flagged,
so the non-punishment principle can be applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ctip.audit.service import record, snapshot
from ctip.auth.scope import Actor, per_scope, roles_shown, visible_participants
from ctip.cases import hooks, rules
from ctip.cases.lifecycle import Labelled
from ctip.cases.models import Case, CasePerson
from ctip.cases.schemas import ParticipantDetails, ParticipantOut, ParticipantUpdate
from ctip.cases.service import check_version, flush_versioned, for_write, visible
from ctip.errors import Conflict, FieldError, NotFound, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn, parse_form
from ctip.reference import OFFENDER_ROLES, normalise_methods_of_control

DETAIL_FIELDS = tuple(ParticipantDetails.model_fields)


class RoleTaken(Labelled, Conflict):
    """The person already holds this role on the case."""


def _details(role: str, details: ParticipantDetails | None) -> dict[str, Any]:
    """Checked role details, with HTCDS's alternative method-of-control spellings mapped."""
    values = (details or ParticipantDetails()).model_dump(include=set(DETAIL_FIELDS))
    values["methods_of_control"] = normalise_methods_of_control(values["methods_of_control"])
    values["recruitment_apps"] = list(dict.fromkeys(values["recruitment_apps"]))
    errors = rules.participant_errors(role, values, date.today())
    if errors:
        raise ValidationFailed(errors)
    return values


def _visible_person(session: Session, actor: Actor, person_id: int) -> Person:
    try:
        return persons.get(session, actor=actor, person_id=person_id, audit=False)
    except NotFound:
        raise ValidationFailed.single(
            "person_id", "no person with id %(value)s that you may see", value=person_id
        )


def _refuse_duplicate(session: Session, case_id: int, person_id: int, role: str) -> None:
    taken = session.scalar(
        select(CasePerson.id).where(
            CasePerson.case_id == case_id,
            CasePerson.person_id == person_id,
            CasePerson.role == role,
        )
    )
    if taken is not None:
        raise RoleTaken("this person is already on the case as %(role)s", field="role", role=role)


def add_participant(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person_id: int,
    role: str,
    details: ParticipantDetails | None = None,
) -> CasePerson:
    """Attach a visible person to a case in a role with its details (audited)."""
    case = for_write(session, actor=actor, case_id=case_id)
    values = _details(role, details)
    _visible_person(session, actor, person_id)
    _refuse_duplicate(session, case.id, person_id, role)
    row = CasePerson(case_id=case.id, person_id=person_id, role=role, **values)
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise RoleTaken("this person is already on the case as %(role)s", field="role", role=role)
    record(
        session,
        actor=actor,
        action="case.person_add",
        entity_type="case",
        entity_id=case.id,
        after={"person_id": person_id, "role": role, **snapshot(row, DETAIL_FIELDS)},
    )
    hooks.roles_changed(session, actor=actor, person_ids=[person_id])
    from ctip.network.alerts import on_person_changed  # other cases' officers are told

    on_person_changed(session=session, person_id=person_id, actor=actor)
    return row


def add_new_person(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    person: dict[str, Any],
    role: str,
    details: ParticipantDetails | None = None,
    phone: str | None = None,
) -> CasePerson:
    """Record a new person, attach them in a role and note their phone, all or nothing.

    Errors in the person's fields and in the role details are reported together.
    """
    case = for_write(session, actor=actor, case_id=case_id)
    errors: list[FieldError] = []
    try:
        _details(role, details)
    except ValidationFailed as exc:
        errors += exc.errors
    with session.begin_nested():  # a raise below rolls back everything written here
        try:
            created = persons.create(
                session,
                actor=actor,
                data=parse_form(PersonIn, person),
                owner_province=case.province,
            )
        except ValidationFailed as exc:
            errors += exc.errors
        if errors:
            raise ValidationFailed(errors)
        row = add_participant(
            session, actor=actor, case_id=case.id, person_id=created.id, role=role, details=details
        )
        if phone and phone.strip():
            identifiers.add(
                session, actor=actor, id_type="phone", value=phone.strip(), person_id=created.id
            )
    return row


def update_participant(
    session: Session, *, actor: Actor, case_id: int, participant_id: int, data: ParticipantUpdate
) -> CasePerson:
    """Replace the role details of a person on a case; a stale ``version`` changes nothing."""
    case = for_write(session, actor=actor, case_id=case_id)
    row = session.scalar(
        select(CasePerson).where(
            CasePerson.id == participant_id,
            CasePerson.case_id == case.id,
            visible_participants(actor),
        )
    )
    if row is None:
        raise NotFound("this person is not on the case", id=participant_id)
    check_version(row, data.version)
    values = _details(row.role, data)
    before = snapshot(row, DETAIL_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    flush_versioned(session)
    record(
        session,
        actor=actor,
        action="case.person_update",
        entity_type="case",
        entity_id=case.id,
        before={"participant_id": row.id, **before},
        after={"participant_id": row.id, **snapshot(row, DETAIL_FIELDS)},
    )
    hooks.roles_changed(session, actor=actor, person_ids=[row.person_id])
    return row


# Another role row of the same person, for the "victim here, suspect there" flag.
_OTHER = aliased(CasePerson, name="other_role")


def _holds(actor: Actor, roles: tuple[str, ...]) -> ColumnElement[bool]:
    """The row's person holds one of ``roles`` on some case, in a role the actor may see."""
    return exists().where(
        _OTHER.person_id == CasePerson.person_id,
        _OTHER.role.in_(roles),
        visible_participants(actor, _OTHER),
    )


@per_scope
def _people_query(actor: Actor) -> Any:
    """The persons on case ``:case_id`` in the roles ``actor`` sees, each with the flag of
    a victim in one visible role and a suspect or broker in another."""
    both = and_(_holds(actor, ("victim",)), _holds(actor, tuple(sorted(OFFENDER_ROLES))))
    return (
        select(*_ROLE_COLUMNS, *persons.NAME_COLUMNS, both.label("both_sides"))
        .join(Person, Person.id == CasePerson.person_id)
        .where(CasePerson.case_id == bindparam("case_id"), roles_shown(actor))
        .order_by(CasePerson.role, CasePerson.id)
    )


# A role row's columns as ``ParticipantOut`` names them, read as plain rows: only the
# person's name columns are decrypted, not their address or notes.
_ROLE_COLUMNS = tuple(
    getattr(CasePerson, name)
    for name in ParticipantOut.model_fields
    if name not in ("person_name", "both_sides")
)


def participants(
    session: Session, *, actor: Actor, case_id: int, audit: bool = True
) -> list[ParticipantOut]:
    """The persons on a visible case in the roles the actor may see, with decrypted names.

    Each person shown counts as a read of that person and is audited.
    """
    case = visible(session, actor=actor, case_id=case_id)
    return people_of(session, actor=actor, case=case, audit=audit)


def people_of(
    session: Session, *, actor: Actor, case: Case, audit: bool = True
) -> list[ParticipantOut]:
    """``participants`` of a case the caller has already proven visible: one query, with
    the flag of persons who are a victim in one visible role and a suspect or broker in
    another (``"screened"`` is not yet a victim)."""
    rows = session.execute(_people_query(actor), {"case_id": case.id}).all()
    out = [_participant_of_row(row) for row in rows]
    if audit:
        for person_id in dict.fromkeys(row.person_id for row in rows):
            record(
                session,
                actor=actor,
                action="person.read",
                entity_type="person",
                entity_id=person_id,
                detail=f"on case {case.id}",
            )
    return out


def _participant_of_row(row: Any) -> ParticipantOut:
    """``participant_out`` of a row of ``_people_query``."""
    values = row._mapping
    return ParticipantOut.model_validate(
        {
            **{c.key: values[c.key] for c in _ROLE_COLUMNS},
            "person_name": persons.name_shown(*(values[c.key] for c in persons.NAME_COLUMNS)),
            "both_sides": bool(values["both_sides"]),
        }
    )


def participant_out(row: CasePerson, both_sides: bool = False) -> ParticipantOut:
    """The public shape of a person in a role, with the person's display name."""
    item = ParticipantOut.model_validate(row, from_attributes=True)
    item.person_name = persons.display_name(row.person)
    item.both_sides = both_sides
    return item

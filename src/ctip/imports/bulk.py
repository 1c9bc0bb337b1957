"""Writing the *new* records of an import in bulk, with the registry services' own rules.

Ten thousand rows through one service call each (a flush, a savepoint and several look-ups
per call) take minutes; here the same steps run once per batch. Each step is the service's
own piece, not a copy: ``cases.service._clean``/``_validate``/``claim_sequence``/
``format_reference``, ``persons.service._apply``/``_refresh_name_keys`` (encryption and blind
indexes), ``participants._details`` (HTCDS spellings, role rules) and
``identifiers.normalize.index_form``/``identifiers.service.digest_of``. Each record gets one
audit entry: ``case.create`` for a case, ``person.create`` for a person (with the case, role,
role details and identifiers it came with); the registry's role hooks run once for all new
persons.
Changed rows go through the services' ``update`` functions one by one (see ``service``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ctip.audit.service import record, snapshot
from ctip.auth.scope import Actor, require_case_writer, require_province
from ctip.cases import hooks, participants
from ctip.cases import service as cases
from ctip.cases.lifecycle import INITIAL
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.cases.schemas import CaseIn, ParticipantDetails
from ctip.identifiers.models import Identifier
from ctip.identifiers.service import digest_of
from ctip.imports.plan import RowPlan
from ctip.persons import service as persons
from ctip.persons.models import Person, PersonNameKey
from ctip.persons.schemas import PersonIn


@dataclass
class NewRow:
    row: RowPlan
    case_id: int
    province: str
    person: Person | None = None
    link: CasePerson | None = None


def new_case(session: Session, *, actor: Actor, data: CaseIn) -> Case:
    """A case as ``cases.service.create`` records it, not yet flushed."""
    require_case_writer(actor)
    values = cases._clean(data.model_dump())
    if actor.role == "investigator":
        values["reporting_org_id"] = actor.organisation_id
    cases._validate(session, values, values)
    require_province(actor, values["province"])
    case = Case(
        **values,
        year=values["opened_on"].year,
        status=INITIAL,
        status_changed_on=values["opened_on"],
        created_by_id=actor.id,
    )
    case.sequence = cases.claim_sequence(session, province=case.province, year=case.year)
    case.reference = cases.format_reference(case.province, case.year, case.sequence)
    session.add(case)
    return case


def audit_cases(session: Session, actor: Actor, created: list[Case]) -> None:
    for case in created:
        session.add(
            CaseEvent(
                case_id=case.id,
                event_type="status_change",
                to_status=INITIAL,
                occurred_on=case.opened_on,
                actor_id=actor.id,
            )
        )
        record(
            session,
            actor=actor,
            action="case.create",
            entity_type="case",
            entity_id=case.id,
            after={"reference": case.reference, **snapshot(case, cases.CASE_FIELDS)},
        )


def _person(actor: Actor, row: RowPlan, province: str, today: date) -> Person:
    persons.require_person_writer(actor)
    values = PersonIn(**row.person).model_dump(include=set(persons.AUDITED_FIELDS))
    persons._validate(values, today)
    person = Person(
        created_by_id=actor.id,
        owner_org_id=actor.organisation_id,
        owner_province=persons._owner_province(actor, province),
    )
    persons._apply(person, values, today)
    persons._refresh_name_keys(person)
    return person


def _identifiers(actor: Actor, row: RowPlan, person_id: int) -> list[Identifier]:
    out: list[Identifier] = []
    seen: set[str] = set()
    for ident in row.identifiers:
        digest = digest_of(ident.purpose, ident.form)
        if digest in seen:
            continue
        seen.add(digest)
        out.append(
            Identifier(
                id_type=ident.id_type,
                raw=ident.raw.strip(),
                normalised=ident.normalised,
                digest=digest,
                valid=ident.normalised is not None,
                problem=ident.problem,
                person_id=person_id,
                created_by_id=actor.id,
            )
        )
    return out


def write_people(session: Session, *, actor: Actor, rows: list[NewRow]) -> None:
    """Persons, their roles and identifiers for new rows; one flush per kind of record and
    one ``person.create`` audit entry per person, naming the case, role and identifiers."""
    today = date.today()
    people = [r for r in rows if not r.row.case_only]
    keys: list[list[tuple[str, str]]] = []
    for item in people:
        item.person = _person(actor, item.row, item.province, today)
        # The blind indexes the service computed, inserted below in one statement: as ORM
        # children of 10,000 persons they cost most of an import's time.
        keys.append([(k.kind, k.digest) for k in item.person.name_keys])
        item.person.name_keys = []
    session.add_all([i.person for i in people if i.person is not None])
    session.flush()
    rows_of_keys = [
        {"person_id": item.person.id, "kind": kind, "digest": digest}
        for item, found in zip(people, keys, strict=True)
        if item.person is not None
        for kind, digest in found
    ]
    if rows_of_keys:
        session.execute(insert(PersonNameKey), rows_of_keys)
    for item in people:  # read the indexes back from the table if anyone asks
        session.expire(item.person, ["name_keys"])
    idents: dict[int, list[Identifier]] = {}
    for item in people:
        assert item.person is not None
        values = participants._details(item.row.role, ParticipantDetails(**item.row.details))
        item.link = CasePerson(
            case_id=item.case_id, person_id=item.person.id, role=item.row.role, **values
        )
        idents[item.person.id] = _identifiers(actor, item.row, item.person.id)
    session.add_all([i.link for i in people if i.link is not None])
    session.add_all([ident for found in idents.values() for ident in found])
    session.flush()
    for item in people:
        _audit(session, actor, item, idents.get(item.person.id if item.person else 0, []))
    new_ids = [i.person.id for i in people if i.person is not None]
    hooks.roles_changed(session, actor=actor, person_ids=new_ids)
    _network_alerts(session, actor, new_ids)


# Up to this many new persons, an import raises the network alerts at once (as typing them in
# would); a larger import leaves them to ``ctip network alerts-scan``.
ALERTS_AT_ONCE = 200


def _network_alerts(session: Session, actor: Actor, person_ids: list[int]) -> None:
    if not person_ids or len(person_ids) > ALERTS_AT_ONCE:
        return
    try:
        from ctip.network.alerts import rescan
    except ModuleNotFoundError:  # the network part is optional
        return
    rescan(session, actor=actor, person_ids=person_ids)


def _audit(session: Session, actor: Actor, item: NewRow, idents: list[Identifier]) -> None:
    assert item.link is not None and item.person is not None
    after: dict[str, Any] = {
        **snapshot(item.person, persons.AUDITED_FIELDS),
        "case_id": item.case_id,
        "role": item.link.role,
        "role_details": snapshot(item.link, participants.DETAIL_FIELDS),
        "identifiers": [{"id": i.id, "type": i.id_type, "valid": i.valid} for i in idents],
    }
    record(
        session,
        actor=actor,
        action="person.create",
        entity_type="person",
        entity_id=item.person.id,
        after=after,
        detail=f"imported: {item.link.role} on case {item.case_id}",
    )

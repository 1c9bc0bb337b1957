"""The one seam through which bulk consumers (linkage) read persons.

Core selects, never ORM objects: each row is filtered by the caller's scope clause
(``ctip.auth.scope.visible_persons``), names are decrypted in this process, in memory, and the
result is a ``pyarrow.Table``. Identifiers are handed over as their blind indexes (digests of
the normalised value) grouped by type, so equal phones or passports compare equal without
their values leaving the database. Every extract is audited (who, why, how many).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, visible_participants, visible_persons
from ctip.cases.models import Case, CasePerson
from ctip.identifiers.models import Identifier
from ctip.persons.models import Person

SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("name_km", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("gender", pa.string()),
        ("date_of_birth", pa.date32()),
        ("estimated_age", pa.int32()),
        ("age_estimated_on", pa.date32()),
        ("nationalities", pa.list_(pa.string())),
        ("provinces", pa.list_(pa.string())),
        ("roles", pa.list_(pa.string())),
        ("identifiers", pa.list_(pa.string())),  # "type:digest"
    ]
)

CHUNK = 5000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def persons_table(
    session: Session,
    *,
    actor: Actor,
    purpose: str,
    person_ids: list[int] | None = None,
    audit: bool = True,
) -> pa.Table:
    """Persons the actor may see (all of them, or those in ``person_ids``) as an Arrow table.

    Names are decrypted in memory; nothing is written to disk. ``purpose`` is kept in the
    audit entry (``person.extract``) with the number of persons handed over.
    """
    p = Person.__table__.c
    query = select(
        p.id,
        p.given_name,
        p.family_name,
        p.name_km,
        p.aliases,
        p.gender,
        p.date_of_birth,
        p.estimated_age,
        p.age_estimated_on,
        p.nationalities,
        p.owner_province,
    ).where(visible_persons(actor))
    rows: list[Any] = []
    if person_ids is None:
        rows = list(session.execute(query.order_by(p.id)))
    else:
        for part in _chunks(sorted(set(person_ids))):
            rows += list(session.execute(query.where(p.id.in_(part)).order_by(p.id)))
    ids = [row.id for row in rows]
    extras = _case_facts(session, actor=actor, ids=ids if person_ids is not None else None)
    idents = _identifier_digests(session, ids=ids if person_ids is not None else None)
    columns: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        provinces, roles = extras.get(row.id, (set(), set()))
        if row.owner_province:
            provinces = provinces | {row.owner_province}
        columns["person_id"].append(row.id)
        columns["given_name"].append(row.given_name)
        columns["family_name"].append(row.family_name)
        columns["name_km"].append(row.name_km)
        columns["aliases"].append([a for a in (row.aliases or "").split("\n") if a.strip()])
        columns["gender"].append(row.gender)
        columns["date_of_birth"].append(row.date_of_birth)
        columns["estimated_age"].append(row.estimated_age)
        columns["age_estimated_on"].append(row.age_estimated_on)
        columns["nationalities"].append(list(row.nationalities or []))
        columns["provinces"].append(sorted(provinces))
        columns["roles"].append(sorted(roles))
        columns["identifiers"].append(sorted(idents.get(row.id, ())))
    table = pa.table({name: columns[name] for name in SCHEMA.names}, schema=SCHEMA)
    if audit:
        record(
            session,
            actor=actor,
            action="person.extract",
            entity_type="person",
            detail=f"{purpose}: {len(ids)} persons",
        )
    return table


def _case_facts(
    session: Session, *, actor: Actor, ids: list[int] | None
) -> dict[int, tuple[set[str], set[str]]]:
    """Provinces of the cases each person is on and their roles (visible ones only)."""
    query = (
        select(CasePerson.person_id, Case.province, CasePerson.role)
        .join(Case, Case.id == CasePerson.case_id)
        .where(visible_participants(actor))
    )
    found: dict[int, tuple[set[str], set[str]]] = {}
    parts: Iterable[list[int] | None] = [None] if ids is None else _chunks(ids)
    for part in parts:
        q = query if part is None else query.where(CasePerson.person_id.in_(part))
        for person_id, province, role in session.execute(q):
            provinces, roles = found.setdefault(person_id, (set(), set()))
            if province:
                provinces.add(province)
            roles.add(role)
    return found


def _identifier_digests(session: Session, *, ids: list[int] | None) -> dict[int, set[str]]:
    """``type:digest`` of each person's valid identifiers (blind indexes, never values)."""
    i = Identifier.__table__.c
    query = select(i.person_id, i.id_type, i.digest).where(
        i.person_id.is_not(None), i.valid.is_(True)
    )
    found: dict[int, set[str]] = defaultdict(set)
    parts: Iterable[list[int] | None] = [None] if ids is None else _chunks(ids)
    for part in parts:
        q = query if part is None else query.where(i.person_id.in_(part))
        for person_id, id_type, digest in session.execute(q):
            found[person_id].add(f"{id_type}:{digest}")
    return found


def age_reference(row: dict[str, Any]) -> tuple[int | None, date | None]:
    """Birth year from the date of birth, else estimated from the age and its date."""
    dob = row.get("date_of_birth")
    if dob is not None:
        return dob.year, dob
    age, on = row.get("estimated_age"), row.get("age_estimated_on")
    if age is not None:
        return (on or date.today()).year - age, None
    return None, None

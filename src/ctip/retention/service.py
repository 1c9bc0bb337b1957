"""Retention dates, the purge of records past them, and the export of everything held about
one person (the person's right of access, or a court order).

* A retention date is set per case or per person (``retention_dates``); nothing is ever
  purged without one.
* ``purge`` (administrators) deletes, in one transaction, every case past its date (its
  events, roles, referrals, screenings, support plans and identifiers go with it through the
  database's ``ON DELETE CASCADE``), then every person past theirs who is no longer on any
  case; a person still referenced elsewhere is kept and counted. The audit entry keeps counts
  only, never ids or contents.
* ``export_person`` gathers the person's rows from an allow-list of tables, each read by the
  rule of the service that owns it (participations by ``visible_participants``, notes by the
  note-reading rule, support rows by ``plan_scope``, flags by ``FLAG_READERS``, roster entries
  by the intervention's case, ...); tables without a reader are left out and named in the
  export's ``not_included``. An outsider gets the same ``NotFound`` as for a missing person.
  Audited (``person.export_all``, counts).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, exists, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import (
    Actor,
    require_role,
    visible_cases,
    visible_participants,
    visible_persons,
)
from ctip.cases.models import Case, CasePerson
from ctip.db.base import Base, utcnow
from ctip.errors import FieldError, NotFound, ValidationFailed
from ctip.persons.models import Person
from ctip.referrals.service import visible_referrals
from ctip.retention.models import RetentionDate
from ctip.screening import flags as flag_rules
from ctip.screening.flags import FLAG_READERS
from ctip.screening.models import Intervention, NonPunishmentFlag
from ctip.support.models import CaseNote
from ctip.support.service import _reads_note, plan_scope

KINDS = ("case", "person")
# The export's allow-list: the tables naming a person that are exported, each read by the rule
# of the service owning it (see ``_export_ids``). Every other table naming a person is left
# out and listed in the export's ``not_included``.
EXPORT_READERS = (
    "case_persons",
    "case_events",
    "screenings",
    "identifiers",
    "referrals",
    "support_services",
    "support_tasks",
    "case_notes",
    "non_punishment_flags",
    "roster_entries",
)
# Columns never exported: keyed digests (blind indexes) of values already exported.
DIGEST_SUFFIXES = ("_bidx", "_digest", "digest", "_key", "_index")


@dataclass
class PurgeResult:
    cases: int = 0
    persons: int = 0
    kept_persons: int = 0
    case_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


def _visible(session: Session, actor: Actor, kind: str, entity_id: int) -> bool:
    if kind == "case":
        query = select(Case.id).where(Case.id == entity_id, visible_cases(actor))
    else:
        query = select(Person.id).where(Person.id == entity_id, visible_persons(actor))
    return session.scalar(query) is not None


def set_date(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    entity_id: int,
    until: date,
    reason: str | None = None,
) -> RetentionDate:
    """Set (or change) a case's or person's retention date; the record must be in scope."""
    require_role(actor, "admin", "secretariat", "provincial_officer")
    if kind not in KINDS:
        raise ValidationFailed([FieldError("kind", "choose case or person")])
    if not _visible(session, actor, kind, entity_id):
        raise NotFound(f"{kind} not found", id=entity_id)
    row = session.scalar(
        select(RetentionDate).where(
            RetentionDate.entity_type == kind, RetentionDate.entity_id == entity_id
        )
    )
    before = {"retain_until": row.retain_until.isoformat()} if row else None
    if row is None:
        row = RetentionDate(entity_type=kind, entity_id=entity_id)
        session.add(row)
    row.retain_until = until
    row.reason = (reason or "")[:300] or None
    row.set_by = actor.username
    row.set_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action="retention.set",
        entity_type=kind,
        entity_id=entity_id,
        before=before,
        after={"retain_until": until.isoformat()},
    )
    return row


def due(session: Session, *, on: date) -> dict[str, list[int]]:
    """Ids of the cases and persons whose retention date is before ``on``."""
    rows = session.execute(
        select(RetentionDate.entity_type, RetentionDate.entity_id)
        .where(RetentionDate.retain_until < on)
        .order_by(RetentionDate.entity_type, RetentionDate.entity_id)
    ).all()
    found: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind, entity_id in rows:
        found[kind].append(entity_id)
    return found


def purge(session: Session, *, actor: Actor, on: date, dry_run: bool = False) -> PurgeResult:
    """Delete every case and person past their retention date (administrators only)."""
    require_role(actor, "admin")
    listed = due(session, on=on)
    result = PurgeResult()
    for case_id in listed["case"]:
        exists = session.scalar(select(Case.id).where(Case.id == case_id))
        if exists is not None:
            result.cases += 1
            result.case_ids.append(case_id)
            if not dry_run:
                session.execute(delete(Case).where(Case.id == case_id))
    for person_id in listed["person"]:
        if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
            continue
        on_case = session.scalar(
            select(CasePerson.id).where(
                CasePerson.person_id == person_id, CasePerson.case_id.not_in(result.case_ids)
            )
        )
        if on_case is not None:
            result.kept_persons += 1
            continue
        if dry_run:
            result.persons += 1
            result.person_ids.append(person_id)
            continue
        try:
            with session.begin_nested():
                session.execute(delete(Person).where(Person.id == person_id))
        except IntegrityError:
            result.kept_persons += 1
            continue
        result.persons += 1
        result.person_ids.append(person_id)
    if not dry_run:
        gone = [("case", i) for i in result.case_ids] + [("person", i) for i in result.person_ids]
        for kind, entity_id in gone:
            session.execute(
                delete(RetentionDate).where(
                    RetentionDate.entity_type == kind, RetentionDate.entity_id == entity_id
                )
            )
        record(
            session,
            actor=actor,
            action="retention.purge",
            detail=f"before={on.isoformat()} cases={result.cases} persons={result.persons} "
            f"kept_persons={result.kept_persons}",
        )
    return result


def _value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _row(table: Table, row: Any) -> dict[str, Any]:
    return {
        column.name: _value(row._mapping[column])
        for column in table.columns
        if not column.name.endswith(DIGEST_SUFFIXES)
    }


def _participant_on_case(actor: Actor, table: Table) -> ColumnElement[bool]:
    """The row's (case, person) is a participation the actor may see (``visible_participants``)."""
    return exists().where(
        CasePerson.case_id == table.c.case_id,
        CasePerson.person_id == table.c.person_id,
        visible_participants(actor),
    )


def _export_ids(session: Session, actor: Actor, name: str, person_id: int) -> Any:
    """The allow-list: for each exported table, the WHERE clause (or ids) of the person's rows
    the actor may read, by the rule of the service that owns the table."""
    table = Base.metadata.tables[name]
    mine = table.c.person_id == person_id
    if name == "case_persons":
        return and_(mine, visible_participants(actor))
    if name in ("case_events", "screenings"):
        return and_(mine, _participant_on_case(actor, table))
    if name == "identifiers":
        return and_(mine, or_(table.c.case_id.is_(None), _participant_on_case(actor, table)))
    if name == "referrals":
        return and_(mine, visible_referrals(actor))
    if name in ("support_services", "support_tasks"):
        return and_(mine, plan_scope(actor, table.c.case_id, table.c.person_id))
    if name == "case_notes":
        notes = session.scalars(
            select(CaseNote).where(
                CaseNote.person_id == person_id,
                plan_scope(actor, CaseNote.case_id, CaseNote.person_id),
            )
        )
        return table.c.id.in_([n.id for n in notes if _reads_note(actor, n)])
    if name == "non_punishment_flags":
        if actor.role not in FLAG_READERS:
            return false()
        flags = list(
            session.scalars(
                select(NonPunishmentFlag).where(NonPunishmentFlag.person_id == person_id)
            )
        )
        if not actor.is_national:
            flags = flag_rules._in_province(session, flags, actor.province)
        return table.c.id.in_([f.id for f in flags])
    if name == "roster_entries":
        if actor.role == "viewer":
            return false()
        return and_(
            mine,
            table.c.intervention_id.in_(
                select(Intervention.id)
                .join(Case, Case.id == Intervention.case_id)
                .where(visible_cases(actor))
            ),
        )
    raise KeyError(name)


def not_included() -> list[str]:
    """Tables naming a person that no export reader covers (listed in every export)."""
    names = set()
    for name, table in Base.metadata.tables.items():
        if name == "persons" or name in EXPORT_READERS:
            continue
        if any(fk.column.table.name == "persons" for fk in table.foreign_keys):
            names.add(name)
    return sorted(names)


def export_person(
    session: Session, *, actor: Actor, person_id: int, fmt: str = "json"
) -> dict[str, Any]:
    """The person's rows the actor may read, table by table through the allow-list
    ``EXPORT_READERS`` (each reusing its service's read rule); ``NotFound`` outside scope.
    Tables without a reader are left out and named in ``not_included``."""
    if not _visible(session, actor, "person", person_id):
        raise NotFound("person not found", id=person_id)
    persons = Base.metadata.tables["persons"]
    doc: dict[str, Any] = {
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "exported_by": actor.username,
        "person": _row(
            persons, session.execute(select(persons).where(persons.c.id == person_id)).one()
        ),
        "records": {},
        "not_included": not_included(),
    }
    counts: dict[str, int] = {}
    for name in EXPORT_READERS:
        table = Base.metadata.tables[name]
        clause = _export_ids(session, actor, name, person_id)
        kept = [
            _row(table, r)
            for r in session.execute(select(table).where(clause).order_by(table.c.id)).all()
        ]
        if kept:
            doc["records"][name] = kept
            counts[name] = len(kept)
    case_ids = sorted({r["case_id"] for r in doc["records"].get("case_persons", [])})
    cases = Base.metadata.tables["cases"]
    doc["cases"] = [
        _row(cases, r)
        for r in session.execute(
            select(cases).where(cases.c.id.in_(case_ids), visible_cases(actor, Case))
        ).all()
    ]
    retention = session.scalar(
        select(RetentionDate.retain_until).where(
            RetentionDate.entity_type == "person", RetentionDate.entity_id == person_id
        )
    )
    doc["retain_until"] = retention.isoformat() if retention else None
    record(
        session,
        actor=actor,
        action="person.export_all",
        entity_type="person",
        entity_id=person_id,
        detail=f"{fmt} "
        + " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        + f" cases={len(doc['cases'])}",
    )
    return doc


def export_json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

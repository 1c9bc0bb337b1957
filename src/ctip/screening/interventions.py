"""Interventions and mass screening: the roster, progress, and screening each person on it.

An intervention (a raid or rescue) belongs to a case; its roster comes from a spreadsheet
(``roster.py``). A roster entry becomes a person in the registry when it is first screened:
a passport that exactly matches one person already in the registry *that the screener may
see* links to that person (so a victim who is a suspect elsewhere is flagged); otherwise a new
person is recorded with the entry's passport and phone, and attached to the case in the victim
role. A person outside the screener's scope is never matched, linked or hinted at.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import Actor, require_province, visible_cases, visible_persons
from ctip.cases import service as cases
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.errors import FieldError, NotFound, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from ctip.identifiers.normalize import normalise
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn
from ctip.reference import PROVINCE_CODES, VICTIM_CONTEXT_ROLES
from ctip.screening import flags
from ctip.screening import service as screenings
from ctip.screening.models import Intervention, RosterEntry, Screening
from ctip.screening.schemas import InterventionIn, ScreeningIn

UNSCREENED = "unscreened"


def _check_intervention(data: InterventionIn, today: date) -> None:
    errors = []
    if data.occurred_on > today:
        errors.append(FieldError("occurred_on", "the date cannot be in the future"))
    if data.province is not None and data.province not in PROVINCE_CODES:
        errors.append(
            FieldError("province", "unknown province code %(value)s", {"value": data.province})
        )
    if not data.place.strip():
        errors.append(FieldError("place", "required"))
    if errors:
        raise ValidationFailed(errors)


def create(
    session: Session, *, actor: Actor, data: InterventionIn, today: date | None = None
) -> Intervention:
    """Record an intervention on a case the actor may change; it goes on the case timeline."""
    case = cases.for_write(session, actor=actor, case_id=data.case_id)
    _check_intervention(data, today or date.today())
    intervention = Intervention(
        case_id=case.id,
        occurred_on=data.occurred_on,
        place=data.place.strip(),
        province=data.province or case.province,
        agencies=data.agencies,
        notes=data.notes,
        created_by_id=actor.id,
    )
    session.add(intervention)
    session.add(
        CaseEvent(
            case_id=case.id,
            event_type="intervention",
            actor_id=actor.id,
            occurred_on=data.occurred_on,
            description=data.place.strip(),
        )
    )
    session.flush()
    audit(
        session,
        actor=actor,
        action="intervention.create",
        entity_type="intervention",
        entity_id=intervention.id,
        after={
            "case_id": case.id,
            "place": intervention.place,
            "occurred_on": data.occurred_on.isoformat(),
            "agencies": data.agencies,
        },
    )
    return intervention


def get(session: Session, *, actor: Actor, intervention_id: int) -> Intervention:
    """An intervention on a case the actor may see, else ``NotFound``."""
    found = session.scalar(
        select(Intervention)
        .join(Case, Case.id == Intervention.case_id)
        .where(Intervention.id == intervention_id, visible_cases(actor))
    )
    if found is None or actor.role == "viewer":
        raise NotFound("intervention not found", id=intervention_id)
    return found


def for_write(session: Session, *, actor: Actor, intervention_id: int) -> Intervention:
    """An intervention whose case the actor may change (imports, screening)."""
    intervention = get(session, actor=actor, intervention_id=intervention_id)
    screenings.require_screener(actor)
    case = cases.visible(session, actor=actor, case_id=intervention.case_id)
    require_province(actor, case.province)
    return intervention


def listing(
    session: Session, *, actor: Actor, limit: int = 200
) -> list[tuple[Intervention, str, int]]:
    """Interventions the actor may see, newest first, with the case reference and roster size."""
    if actor.role == "viewer":
        return []
    sizes = (
        select(RosterEntry.intervention_id, func.count().label("n"))
        .group_by(RosterEntry.intervention_id)
        .subquery()
    )
    rows = session.execute(
        select(Intervention, Case.reference, func.coalesce(sizes.c.n, 0))
        .join(Case, Case.id == Intervention.case_id)
        .outerjoin(sizes, sizes.c.intervention_id == Intervention.id)
        .where(visible_cases(actor))
        .order_by(Intervention.occurred_on.desc(), Intervention.id.desc())
        .limit(limit)
    ).all()
    return [(i, ref, int(n)) for i, ref, n in rows]


# --- roster entries and progress -----------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One roster entry as lists show it."""

    id: int
    row_number: int
    name: str
    gender: str
    age: int | None
    date_of_birth: date | None
    nationality: str | None
    passport: str | None
    phone: str | None
    phone_valid: bool
    duplicate_of: int | None
    in_registry: list[int]
    person_id: int | None
    result: str
    nonpunishment_flag: bool = False


@dataclass(frozen=True)
class Progress:
    total: int
    screened: int
    remaining: int
    by_result: dict[str, int] = field(default_factory=dict)
    by_nationality: dict[str, dict[str, int]] = field(default_factory=dict)
    duplicates: int = 0
    in_registry: int = 0


def latest_results(session: Session, intervention_id: int) -> dict[int, Screening]:
    """The newest screening of each entry of an intervention."""
    rows = session.scalars(
        select(Screening)
        .join(RosterEntry, RosterEntry.id == Screening.roster_entry_id)
        .where(RosterEntry.intervention_id == intervention_id)
        .order_by(Screening.id)
    )
    return {s.roster_entry_id: s for s in rows if s.roster_entry_id is not None}


def entry_name(entry: RosterEntry) -> str:
    return " ".join(p for p in (entry.given_name, entry.family_name) if p) or "—"


def registry_holders(session: Session, *, actor: Actor, digests: list[str]) -> dict[str, set[int]]:
    """The persons *in the actor's scope* carrying each of ``digests`` exactly. A person
    outside the scope is never returned, so a match tells nothing about them."""
    holders: dict[str, set[int]] = {}
    digests = sorted(set(digests))
    for start in range(0, len(digests), 500):
        for digest, pid in session.execute(
            select(Identifier.digest, Person.id)
            .join(Person, Person.id == Identifier.person_id)
            .where(Identifier.digest.in_(digests[start : start + 500]), visible_persons(actor))
        ):
            holders.setdefault(digest, set()).add(pid)
    return holders


def visible_person_ids(session: Session, *, actor: Actor, ids: set[int]) -> set[int]:
    """Those of ``ids`` the actor may see (the registry matches stored on roster entries are
    shown to each reader only within their own scope)."""
    ordered, shown = sorted(ids), set()
    for start in range(0, len(ordered), 500):
        shown |= set(
            session.scalars(
                select(Person.id).where(
                    Person.id.in_(ordered[start : start + 500]), visible_persons(actor)
                )
            )
        )
    return shown


def registry_matches(session: Session, *, actor: Actor, entry: RosterEntry) -> list[int]:
    """The registry persons matching one entry that this reader may see."""
    ids = {int(p) for p in entry.registry_person_ids}
    return _matches(entry, visible_person_ids(session, actor=actor, ids=ids))


def _matches(entry: RosterEntry, shown: set[int]) -> list[int]:
    return [p for p in (int(i) for i in entry.registry_person_ids) if p in shown]


def _row(entry: RosterEntry, result: str, flagged: bool, shown: set[int]) -> EntryRow:
    return EntryRow(
        entry.id,
        entry.row_number,
        entry_name(entry),
        entry.gender,
        entry.age,
        entry.date_of_birth,
        entry.nationality,
        entry.passport,
        entry.phone,
        entry.phone_valid,
        entry.duplicate_of_id,
        _matches(entry, shown),
        entry.person_id,
        result,
        flagged,
    )


def entries(
    session: Session, *, actor: Actor, intervention_id: int, page: int = 1, page_size: int = 50
) -> tuple[list[EntryRow], int]:
    """A page of the roster in file order, with each entry's latest result and whether the
    person carries a non-punishment flag."""
    get(session, actor=actor, intervention_id=intervention_id)
    where = RosterEntry.intervention_id == intervention_id
    total = session.scalar(select(func.count()).where(where)) or 0
    rows = list(
        session.scalars(
            select(RosterEntry)
            .where(where)
            .order_by(RosterEntry.row_number)
            .offset((max(page, 1) - 1) * page_size)
            .limit(page_size)
        )
    )
    results = latest_results(session, intervention_id)
    flagged = flags.flagged_persons(
        session, actor=actor, person_ids=[e.person_id for e in rows if e.person_id]
    )
    shown = visible_person_ids(
        session, actor=actor, ids={int(p) for e in rows for p in e.registry_person_ids}
    )
    return [
        _row(
            e,
            results[e.id].result if e.id in results else UNSCREENED,
            e.person_id in flagged,
            shown,
        )
        for e in rows
    ], total


def progress(session: Session, *, actor: Actor, intervention_id: int) -> Progress:
    """Screened and remaining, results overall and by nationality, duplicates and matches."""
    get(session, actor=actor, intervention_id=intervention_id)
    results = {k: s.result for k, s in latest_results(session, intervention_id).items()}
    rows = session.execute(
        select(
            RosterEntry.id,
            RosterEntry.nationality,
            RosterEntry.duplicate_of_id,
            RosterEntry.registry_person_ids,
        ).where(RosterEntry.intervention_id == intervention_id)
    ).all()
    by_nat: dict[str, Counter[str]] = {}
    for entry_id, nationality, _, _ in rows:
        by_nat.setdefault(nationality or "??", Counter())[results.get(entry_id, UNSCREENED)] += 1
    screened = sum(1 for r in rows if r[0] in results)
    shown = visible_person_ids(
        session, actor=actor, ids={int(p) for r in rows for p in (r[3] or [])}
    )
    return Progress(
        len(rows),
        screened,
        len(rows) - screened,
        dict(Counter(results.values())),
        {nat: dict(c) for nat, c in sorted(by_nat.items())},
        sum(1 for r in rows if r[2] is not None),
        sum(1 for r in rows if any(int(p) in shown for p in r[3] or [])),
    )


def entry(session: Session, *, actor: Actor, entry_id: int) -> tuple[Intervention, RosterEntry]:
    """A roster entry with its intervention (the actor must see the intervention's case)."""
    found = session.get(RosterEntry, entry_id)
    if found is None:
        raise NotFound("roster entry not found", id=entry_id)
    return get(session, actor=actor, intervention_id=found.intervention_id), found


def next_unscreened(session: Session, *, intervention_id: int, after_row: int = 0) -> int | None:
    """The id of the next entry without a screening after ``after_row`` (wrapping round)."""
    screened = select(Screening.roster_entry_id).where(Screening.roster_entry_id.is_not(None))
    base = select(RosterEntry.id).where(
        RosterEntry.intervention_id == intervention_id, RosterEntry.id.not_in(screened)
    )
    later = session.scalar(
        base.where(RosterEntry.row_number > after_row).order_by(RosterEntry.row_number).limit(1)
    )
    return later or session.scalar(base.order_by(RosterEntry.row_number).limit(1))


# --- screening an entry -------------------------------------------------------------------


def phone_region(phone: str, nationality: str | None) -> str:
    """Read a phone as Cambodian first, else as from the person's country (a Vietnamese number
    written without +84); an unreadable number is kept and indexed raw either way."""
    if (
        nationality
        and not normalise("phone", phone).valid
        and normalise("phone", phone, nationality).valid
    ):
        return nationality
    return "KH"


def _passport_match(session: Session, actor: Actor, entry: RosterEntry) -> int | None:
    """The one person *the actor may see* whose passport is exactly the entry's, if exactly
    one; a holder outside the actor's scope is never linked (a new person is recorded)."""
    if not entry.passport_digest:
        return None
    digest = entry.passport_digest
    ids = registry_holders(session, actor=actor, digests=[digest]).get(digest, set())
    return ids.pop() if len(ids) == 1 else None


def _new_person(session: Session, actor: Actor, entry: RosterEntry) -> int:
    data = PersonIn(
        given_name=entry.given_name,
        family_name=entry.family_name,
        gender=entry.gender,
        date_of_birth=entry.date_of_birth,
        estimated_age=entry.age if entry.date_of_birth is None else None,
        nationalities=[entry.nationality] if entry.nationality else [],
    )
    person = persons.create(session, actor=actor, data=data)
    for id_type, value in (("passport", entry.passport), ("phone", entry.phone)):
        if value:
            identifiers.add(
                session,
                actor=actor,
                id_type=id_type,
                value=value,
                person_id=person.id,
                region=phone_region(value, entry.nationality),
                issuing_country=entry.nationality if id_type == "passport" else None,
            )
    return person.id


def register(
    session: Session, *, actor: Actor, intervention: Intervention, entry: RosterEntry
) -> int:
    """The registry person behind a roster entry, recorded and put on the case as a screened
    person the first time (an exact passport match links to the existing person instead)."""
    if entry.person_id is None:
        entry.person_id = _passport_match(session, actor, entry) or _new_person(
            session, actor, entry
        )
    on_case = session.scalar(
        select(CasePerson.id).where(
            CasePerson.case_id == intervention.case_id,
            CasePerson.person_id == entry.person_id,
            CasePerson.role.in_(VICTIM_CONTEXT_ROLES),
        )
    )
    if on_case is None:  # a screened person until the result or the status decides
        session.add(
            CasePerson(case_id=intervention.case_id, person_id=entry.person_id, role="screened")
        )
    session.flush()
    return entry.person_id


def screen_entry(
    session: Session, *, actor: Actor, entry_id: int, data: ScreeningIn, today: date | None = None
) -> Screening:
    """Screen one person on a roster (registering them first), as part of mass screening."""
    found = session.get(RosterEntry, entry_id)
    if found is None:
        raise NotFound("roster entry not found", id=entry_id)
    intervention = for_write(session, actor=actor, intervention_id=found.intervention_id)
    screenings.check(data, today or date.today())
    person_id = register(session, actor=actor, intervention=intervention, entry=found)
    return screenings.record(
        session,
        actor=actor,
        case_id=intervention.case_id,
        person_id=person_id,
        data=data,
        roster_entry_id=found.id,
        today=today,
    )

"""Non-punishment flags: a presumed or possible victim who is also a suspect.

Victims must not be punished for offences they were compelled to commit (scam work, illegal
border crossing). A person is flagged when, on some case, they are a victim — the confirmed
status is Possible or Actual, or with no confirmed status their latest screening there is
``presumed_victim`` or ``possible_victim`` — and, on any case, a suspect or broker. Flags are
kept in step by ``refresh`` in the same transaction as every screening, status decision and
role change (the registry calls it through ``ctip.cases.hooks``); showing the queue writes
nothing. Prosecutors and the secretariat decide each flag with a reason; provincial officers
see the flags that touch a case of their province. A flag whose condition ends is cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ctip.audit.service import record as audit
from ctip.auth.scope import (
    Actor,
    require_role,
    roles_shown,
    visible_persons,
)
from ctip.cases import hooks
from ctip.cases.models import Case, CasePerson
from ctip.errors import FieldError, InvalidTransition, NotFound, ValidationFailed
from ctip.persons.models import Person
from ctip.reference import OFFENDER_ROLES, VICTIM_CONTEXT_ROLES
from ctip.screening.models import NonPunishmentFlag, Screening

VICTIM_RESULTS = frozenset({"presumed_victim", "possible_victim"})
VICTIM_STATUSES = frozenset({"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking"})
DECISIONS = ("applied", "not_applied")
FLAG_STATUSES = ("open", "applied", "not_applied", "cleared")
# Who decides flags (prosecutors work through the secretariat's accounts).
FLAG_DECIDERS = ("admin", "secretariat")
# Who sees the queue: the deciders nationally, provincial officers for their own province.
FLAG_READERS = (*FLAG_DECIDERS, "provincial_officer")


@dataclass(frozen=True)
class Condition:
    """Why a person is flagged: the cases where they are a victim and where a suspect."""

    victim_cases: dict[int, str]
    suspect_cases: list[int]


def _suspect_cases(session: Session, person_ids: Iterable[int] | None) -> dict[int, list[int]]:
    query = select(CasePerson.person_id, CasePerson.case_id).where(
        CasePerson.role.in_(OFFENDER_ROLES)
    )
    if person_ids is not None:
        query = query.where(CasePerson.person_id.in_(list(person_ids)))
    found: dict[int, list[int]] = {}
    for person_id, case_id in session.execute(query.order_by(CasePerson.case_id)):
        found.setdefault(person_id, []).append(case_id)
    return found


def _victim_cases(session: Session, person_ids: list[int]) -> dict[int, dict[int, str]]:
    """Person → case → basis (confirmed status or latest screening result) where a victim."""
    latest: dict[tuple[int, int], str] = {}
    for pid, cid, result in session.execute(
        select(Screening.person_id, Screening.case_id, Screening.result)
        .where(Screening.person_id.in_(person_ids))
        .order_by(Screening.id)
    ):
        latest[(pid, cid)] = result
    confirmed = {
        (pid, cid): status
        for pid, cid, status in session.execute(
            select(CasePerson.person_id, CasePerson.case_id, CasePerson.trafficking_status).where(
                CasePerson.person_id.in_(person_ids),
                CasePerson.role.in_(VICTIM_CONTEXT_ROLES),
                CasePerson.trafficking_status.is_not(None),
            )
        )
    }
    found: dict[int, dict[int, str]] = {}
    for key in sorted(set(latest) | set(confirmed)):
        basis = confirmed.get(key) or latest[key]
        if basis in VICTIM_STATUSES or basis in VICTIM_RESULTS:
            found.setdefault(key[0], {})[key[1]] = basis
    return found


def conditions(
    session: Session, *, person_ids: Iterable[int] | None = None
) -> dict[int, Condition]:
    """Persons (of ``person_ids``, or all) who are both a victim and a suspect."""
    suspects = _suspect_cases(session, person_ids)
    victims = _victim_cases(session, list(suspects))
    return {pid: Condition(victims[pid], suspects[pid]) for pid in sorted(victims)}


def _raise(
    flag: NonPunishmentFlag | None, person_id: int, cond: Condition, today: date
) -> NonPunishmentFlag:
    flag = flag or NonPunishmentFlag(person_id=person_id, raised_on=today, status="open")
    if flag.status == "cleared":
        flag.status, flag.raised_on = "open", today
        flag.decided_on, flag.decided_by_id, flag.decision_reason = None, None, None
    flag.cleared_on = None
    flag.victim_case_ids = [str(c) for c in cond.victim_cases]
    flag.suspect_case_ids = [str(c) for c in cond.suspect_cases]
    flag.victim_basis = next(iter(cond.victim_cases.values()))
    return flag


def _reconcile(
    session: Session,
    holding: dict[int, Condition],
    existing: dict[int, NonPunishmentFlag],
    today: date,
) -> list[NonPunishmentFlag]:
    """Raise flags where the condition holds, clear open ones where it no longer does."""
    changed = []
    for pid, cond in holding.items():
        flag = existing.get(pid)
        was = flag.status if flag is not None else None
        flag = _raise(flag, pid, cond, today)
        session.add(flag)
        if was in (None, "cleared"):
            changed.append(flag)
    for pid, flag in existing.items():
        if pid in holding or flag.cleared_on is not None:
            continue
        flag.cleared_on = today
        if flag.status == "open":  # a decided flag keeps its decision
            flag.status = "cleared"
            changed.append(flag)
    return changed


def refresh(
    session: Session,
    *,
    actor: Actor,
    person_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> list[NonPunishmentFlag]:
    """Bring the flags of ``person_ids`` (or everyone) in step with the condition; returns
    the flags raised or cleared (each change is audited)."""
    ids = None if person_ids is None else list(person_ids)
    query = select(NonPunishmentFlag)
    if ids is not None:
        query = query.where(NonPunishmentFlag.person_id.in_(ids))
    existing = {f.person_id: f for f in session.scalars(query)}
    found = conditions(session, person_ids=ids)
    changed = _reconcile(session, found, existing, today or date.today())
    session.flush()
    for flag in changed:
        audit(
            session,
            actor=actor,
            action=f"nonpunishment.{_verb(flag)}",
            entity_type="person",
            entity_id=flag.person_id,
            detail=f"flag {flag.id}",
        )
    return changed


@hooks.on_roles_changed
def _roles_changed(session: Session, actor: Actor, person_ids: list[int]) -> None:
    refresh(session, actor=actor, person_ids=person_ids)


def _verb(flag: NonPunishmentFlag) -> str:
    return "clear" if flag.status == "cleared" else "raise"


@dataclass(frozen=True)
class FlagRow:
    """A flag as the queue shows it."""

    id: int
    person_id: int
    person_name: str
    status: str
    victim_basis: str | None
    victim_cases: list[tuple[int, str]]
    suspect_cases: list[tuple[int, str]]
    raised_on: date
    decided_on: date | None
    decision_reason: str | None


def _references(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(ids))).all())


def _rows(session: Session, flags: list[NonPunishmentFlag]) -> list[FlagRow]:
    from ctip.persons.service import display_name

    case_ids = {int(c) for f in flags for c in (*f.victim_case_ids, *f.suspect_case_ids)}
    refs = _references(session, case_ids)
    people = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_([f.person_id for f in flags])))
    }
    return [
        FlagRow(
            f.id,
            f.person_id,
            display_name(people[f.person_id]),
            f.status,
            f.victim_basis,
            [(int(c), refs.get(int(c), "?")) for c in f.victim_case_ids],
            [(int(c), refs.get(int(c), "?")) for c in f.suspect_case_ids],
            f.raised_on,
            f.decided_on,
            f.decision_reason,
        )
        for f in flags
    ]


def queue(
    session: Session,
    *,
    actor: Actor,
    status: str | None = "open",
    person_id: int | None = None,
    case_id: int | None = None,
) -> list[FlagRow]:
    """Flags for prosecutors and the secretariat (nationally) and provincial officers (flags
    touching a case of their province), oldest open first. Reading writes nothing: flags are
    kept in step when roles and screenings change."""
    require_role(actor, *FLAG_READERS)
    query = select(NonPunishmentFlag)
    if status:
        query = query.where(NonPunishmentFlag.status == status)
    if person_id is not None:
        query = query.where(NonPunishmentFlag.person_id == person_id)
    flags = list(session.scalars(query.order_by(NonPunishmentFlag.raised_on, NonPunishmentFlag.id)))
    if case_id is not None:
        flags = [f for f in flags if str(case_id) in (*f.victim_case_ids, *f.suspect_case_ids)]
    if not actor.is_national:
        flags = _in_province(session, flags, actor.province)
    return _rows(session, flags)


def _in_province(
    session: Session, flags: list[NonPunishmentFlag], province: str | None
) -> list[NonPunishmentFlag]:
    """The flags with a victim or suspect case in ``province``."""
    ids = {int(c) for f in flags for c in (*f.victim_case_ids, *f.suspect_case_ids)}
    own = set(session.scalars(select(Case.id).where(Case.id.in_(ids), Case.province == province)))
    return [
        f for f in flags if any(int(c) in own for c in (*f.victim_case_ids, *f.suspect_case_ids))
    ]


def flagged_persons(session: Session, *, actor: Actor, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` (visible to the actor) carry an undecided or applied flag —
    for marking persons in lists and on case pages."""
    return set(
        session.scalars(
            select(NonPunishmentFlag.person_id)
            .join(Person, Person.id == NonPunishmentFlag.person_id)
            .where(
                NonPunishmentFlag.person_id.in_(list(person_ids)),
                NonPunishmentFlag.status.in_(("open", "applied")),
                visible_persons(actor),
            )
        )
    )


@hooks.on_case_list_mark("nonpunishment")  # beside the roles hook: wherever flags are kept
def case_list_mark(actor: Actor) -> ColumnElement[bool]:
    """The case list's ``nonpunishment`` mark: the row's case has a person, in a role the
    actor may see, carrying an undecided or applied flag (read in the list's own query; the list
    holds only cases the actor may see, so only the roles are checked)."""
    link = aliased(CasePerson, name="marked_link")
    undecided_or_applied = or_(
        NonPunishmentFlag.status == "open", NonPunishmentFlag.status == "applied"
    )  # (not IN: an expanding IN list is rendered into the SQL again at every execution)
    return exists().where(
        link.case_id == Case.id,
        NonPunishmentFlag.person_id == link.person_id,
        undecided_or_applied,
        roles_shown(actor, link),
    )


def _decision_errors(decision: str, reason: str) -> list[FieldError]:
    errors = []
    if decision not in DECISIONS:
        errors.append(FieldError("decision", "choose applied or not applied"))
    if not reason or not reason.strip():
        errors.append(FieldError("reason", "give the reason for the decision"))
    return errors


def decide(
    session: Session,
    *,
    actor: Actor,
    flag_id: int,
    decision: str,
    reason: str,
    today: date | None = None,
) -> NonPunishmentFlag:
    """Record the decision on an open flag, with its reason (audited)."""
    require_role(actor, *FLAG_DECIDERS)
    flag = session.get(NonPunishmentFlag, flag_id)
    if flag is None:
        raise NotFound("flag not found", id=flag_id)
    errors = _decision_errors(decision, reason)
    if errors:
        raise ValidationFailed(errors)
    if flag.status != "open":
        raise InvalidTransition(
            "this flag was already decided or cleared (%(status)s)", status=flag.status
        )
    flag.status, flag.decision_reason = decision, reason.strip()
    flag.decided_on, flag.decided_by_id = today or date.today(), actor.id
    session.flush()
    audit(
        session,
        actor=actor,
        action="nonpunishment.decide",
        entity_type="person",
        entity_id=flag.person_id,
        after={"flag": flag.id, "decision": decision},
        detail=f"flag {flag.id}",
    )
    return flag


def counts(session: Session) -> dict[str, int]:
    """Flags by status, for statistics (every status present, zero when none)."""
    found = dict(
        session.execute(
            select(NonPunishmentFlag.status, func.count()).group_by(NonPunishmentFlag.status)
        ).all()
    )
    return {status: int(found.get(status, 0)) for status in FLAG_STATUSES}

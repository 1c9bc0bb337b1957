"""Alerts: a new or edited person meets a person of another case.

``on_person_changed`` is called by the registry's services in the same transaction as the
change (an identifier added, a person edited, a person put in a role on a case). It finds the
persons of other cases who share an identifier (blind index) with this one, whom linkage
says this person probably is, or — when an existing record is attached to a new case — the
record's own other cases; and tells the officers of this person's case and the analysts.

Scope: an alert goes only to users who may see this person on this case. What they learn
about the other side is decided again each time the alert is shown: a record they may not see
is never named (at most the hint that a match exists; the ``linkage_hidden_hint`` setting).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.models import User
from ctip.auth.scope import Actor, visible_participants
from ctip.auth.service import actor_for
from ctip.cases.models import Case, CasePerson, CaseShare
from ctip.db.base import utcnow
from ctip.errors import NotFound
from ctip.identifiers.models import Identifier
from ctip.network.extract import fill_labels
from ctip.network.graph import OFFENDERS, Network, Node
from ctip.network.models import NetworkAlert
from ctip.network.schemas import AlertOut, AlertPage

REASONS = ("shared_identifier", "probable_match", "same_record")
ANALYST_ROLES = ("secretariat",)
MATCH_FLOOR = 0.8


@dataclass(frozen=True)
class Meeting:
    """This person (on ``case_id``) meets ``other_person_id`` on ``other_case_id``."""

    case_id: int
    other_person_id: int
    other_case_id: int
    other_role: str
    reason: str
    identifier_type: str | None
    probability: float | None
    severity: str


def _shared_identifiers(session: Session, person_id: int) -> dict[int, str]:
    """Other persons holding one of this person's identifier values → the identifier type."""
    mine = select(Identifier.digest).where(Identifier.person_id == person_id)
    rows = session.execute(
        select(Identifier.person_id, Identifier.id_type).where(
            Identifier.digest.in_(mine),
            Identifier.person_id.is_not(None),
            Identifier.person_id != person_id,
        )
    )
    return {int(pid): id_type for pid, id_type in rows if pid is not None}


def _probable(session: Session, person_id: int) -> dict[int, float]:
    """Whom linkage says this person probably is (``{}`` without the linkage part)."""
    try:
        from ctip.linkage.service import current_run, match_new_person
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("ctip.linkage"):
            return {}
        raise
    if current_run(session) is None:  # no resolved population to match against yet
        return {}
    found = match_new_person(session=session, person_id=person_id)
    return {other: p for other, p in found if p >= MATCH_FLOOR and other != person_id}


Role = tuple[int, int, str, date, int]  # person, case, role, case opened, role row id


def _roles(session: Session, person_ids: set[int]) -> list[Role]:
    if not person_ids:
        return []
    rows = session.execute(
        select(
            CasePerson.person_id, CasePerson.case_id, CasePerson.role, Case.opened_on, CasePerson.id
        )
        .join(Case, Case.id == CasePerson.case_id)
        .where(CasePerson.person_id.in_(sorted(person_ids)))
    )
    return [(int(p), int(c), r, d, int(i)) for p, c, r, d, i in rows]


def _meeting(mine: Role, theirs: Role, why: tuple[str, str | None, float | None]) -> Meeting:
    _, case_id, _, opened, _ = mine
    other, other_case, role, other_opened, _ = theirs
    earlier_victim = role == "victim" and other_opened <= opened
    severity = "high" if role in OFFENDERS or earlier_victim else "normal"
    return Meeting(case_id, other, other_case, role, why[0], why[1], why[2], severity)


def meetings(session: Session, person_id: int) -> list[Meeting]:
    """Every (this case, other person, other case) meeting of ``person_id`` (unscoped): other
    persons sharing an identifier or probably the same, on cases this person is not on; and
    this record's own earlier cases, met from the case it joined last."""
    session.flush()
    mine = _roles(session, {person_id})
    if not mine:
        return []
    reasons: dict[int, tuple[str, str | None, float | None]] = {}
    for other, probability in _probable(session, person_id).items():
        reasons[other] = ("probable_match", None, round(probability, 4))
    for other, kind in _shared_identifiers(session, person_id).items():
        reasons[other] = ("shared_identifier", kind, None)
    my_cases = {role[1] for role in mine}
    out = []
    for theirs in _roles(session, set(reasons) - {person_id}):
        if theirs[1] not in my_cases:
            out += [_meeting(role, theirs, reasons[theirs[0]]) for role in mine]
    latest = max(mine, key=lambda role: role[4])
    for earlier in mine:
        if earlier[1] != latest[1]:
            out.append(_meeting(latest, earlier, ("same_record", None, None)))
    return out


def _recipients(session: Session, case_id: int) -> list[User]:
    """The case's officers (who recorded it, its province's officers, the investigators of
    the reporting and sharing agencies) and the analysts (secretariat)."""
    case = session.get(Case, case_id)
    if case is None:
        return []
    shared = session.scalars(select(CaseShare.organisation_id).where(CaseShare.case_id == case_id))
    agencies = [case.reporting_org_id, *shared]
    query = select(User).where(
        User.is_active,
        or_(
            User.id == case.created_by_id,
            (User.role == "provincial_officer") & (User.province == case.province),
            (User.role == "investigator") & User.organisation_id.in_([a for a in agencies if a]),
            User.role.in_(ANALYST_ROLES),
        ),
    )
    return list(session.scalars(query.order_by(User.id)))


def _sees(session: Session, reader: Actor, person_id: int, case_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    CasePerson.person_id == person_id,
                    CasePerson.case_id == case_id,
                    visible_participants(reader),
                )
            )
        )
    )


def _known(session: Session, user_id: int, person_id: int, m: Meeting) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    NetworkAlert.recipient_id == user_id,
                    NetworkAlert.person_id == person_id,
                    NetworkAlert.case_id == m.case_id,
                    NetworkAlert.other_person_id == m.other_person_id,
                    NetworkAlert.other_case_id == m.other_case_id,
                    NetworkAlert.reason == m.reason,
                )
            )
        )
    )


def on_person_changed(
    *, session: Session, person_id: int | None, actor: Actor
) -> list[NetworkAlert]:
    """Raise the alerts a change to ``person_id`` calls for (same transaction); audited.
    ``None`` (an identifier on a case, not a person) raises none."""
    created: list[NetworkAlert] = []
    if person_id is None:
        return created
    by_case: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings(session, person_id):
        by_case[m.case_id].append(m)
    for case_id, found in by_case.items():
        for user in _recipients(session, case_id):
            if not _sees(session, actor_for(user, None), person_id, case_id):
                continue
            for m in found:
                if _known(session, user.id, person_id, m):
                    continue
                created.append(_alert(user.id, person_id, m))
    if created:
        session.add_all(created)
        session.flush()
        record(
            session,
            actor=actor,
            action="alert.create",
            entity_type="person",
            entity_id=person_id,
            after={
                "alerts": [a.id for a in created],
                "recipients": sorted({a.recipient_id for a in created}),
            },
            detail=f"{len(created)} alerts",
        )
    return created


def _alert(user_id: int, person_id: int, m: Meeting) -> NetworkAlert:
    return NetworkAlert(
        recipient_id=user_id,
        person_id=person_id,
        case_id=m.case_id,
        other_person_id=m.other_person_id,
        other_case_id=m.other_case_id,
        other_role=m.other_role,
        reason=m.reason,
        identifier_type=m.identifier_type,
        probability=m.probability,
        severity=m.severity,
    )


def _references(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    rows = session.execute(select(Case.id, Case.reference).where(Case.id.in_(sorted(case_ids))))
    return {int(i): ref for i, ref in rows}


def _visible_pairs(
    session: Session, actor: Actor, pairs: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which (person, case) roles the actor may see."""
    if not pairs:
        return set()
    people = sorted({p for p, _ in pairs})
    rows = session.execute(
        select(CasePerson.person_id, CasePerson.case_id).where(
            CasePerson.person_id.in_(people), visible_participants(actor)
        )
    )
    return {(int(p), int(c)) for p, c in rows} & pairs


def inbox(
    session: Session, *, actor: Actor, unread_only: bool = False, hint_hidden: bool = True
) -> AlertPage:
    """The actor's alerts, newest first, each re-checked against their scope now: an alert
    about a record they no longer see disappears; the other side of an alert shows only
    when they may see it (else, with ``hint_hidden``, as "a possible match you cannot see")."""
    query = select(NetworkAlert).where(NetworkAlert.recipient_id == actor.id)
    if unread_only:
        query = query.where(NetworkAlert.read_at.is_(None))
    alerts = list(session.scalars(query.order_by(NetworkAlert.id.desc()).limit(500)))
    pairs = {(a.person_id, a.case_id or 0) for a in alerts}
    pairs |= {(a.other_person_id, a.other_case_id or 0) for a in alerts}
    seen = _visible_pairs(session, actor, pairs)
    kept = [a for a in alerts if (a.person_id, a.case_id or 0) in seen]
    shown = [a for a in kept if (a.other_person_id, a.other_case_id or 0) in seen or hint_hidden]
    labels = _labels(session, shown, seen)
    refs = _references(session, {c for a in shown for c in (a.case_id, a.other_case_id) if c})
    items = [
        _out(a, (a.other_person_id, a.other_case_id or 0) in seen, labels, refs) for a in shown
    ]
    return AlertPage(unread=sum(1 for i in items if not i.read), items=items)


def _labels(
    session: Session, alerts: list[NetworkAlert], seen: set[tuple[int, int]]
) -> dict[int, str]:
    ids = {a.person_id for a in alerts}
    ids |= {a.other_person_id for a in alerts if (a.other_person_id, a.other_case_id or 0) in seen}
    net = Network({f"person:{i}": Node(f"person:{i}", "person", i) for i in ids})
    fill_labels(session, net)
    return {n.record_id: n.label for n in net.nodes.values()}


def _out(a: NetworkAlert, visible: bool, labels: dict[int, str], refs: dict[int, str]) -> AlertOut:
    return AlertOut(
        id=a.id,
        created_at=a.created_at,
        read=a.read_at is not None,
        reason=a.reason if visible else "hidden",
        severity=a.severity if visible else "normal",
        person_id=a.person_id,
        person_label=labels.get(a.person_id, "—"),
        case_id=a.case_id,
        case_reference=refs.get(a.case_id or 0),
        hidden=not visible,
        other_person_id=a.other_person_id if visible else None,
        other_person_label=labels.get(a.other_person_id) if visible else None,
        other_case_id=a.other_case_id if visible else None,
        other_case_reference=refs.get(a.other_case_id or 0) if visible else None,
        other_role=a.other_role if visible else None,
        identifier_type=a.identifier_type if visible else None,
        probability=a.probability if visible else None,
    )


def mark_read(session: Session, *, actor: Actor, alert_id: int) -> None:
    """Mark one of the actor's alerts read (another user's alert is not found); audited."""
    alert = session.get(NetworkAlert, alert_id)
    if alert is None or alert.recipient_id != actor.id:
        raise NotFound("alert %(id)s not found", id=alert_id)
    if alert.read_at is None:
        alert.read_at = utcnow()
        record(session, actor=actor, action="alert.read", entity_type="alert", entity_id=alert.id)


def unread_count(session: Session, *, actor: Actor, hint_hidden: bool = True) -> int:
    """How many of the actor's alerts are unread (those they may still see)."""
    if actor.id is None:
        return 0
    return inbox(session, actor=actor, unread_only=True, hint_hidden=hint_hidden).unread


def rescan(session: Session, *, actor: Actor, person_ids: list[int]) -> int:
    """Raise the alerts for existing records (after an import or a linkage run)."""
    total = 0
    for person_id in person_ids:
        total += len(on_person_changed(session=session, person_id=person_id, actor=actor))
    return total


def persons_on_cases(session: Session) -> list[int]:
    return sorted(set(session.scalars(select(CasePerson.person_id))))

"""A case's timeline: lifecycle transitions and dated events (recruitment ... repatriation).

Every status change is itself a timeline event carrying its date, both statuses and its actor,
so the timeline is the case's history. Descriptions are encrypted at rest.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.models import User
from ctip.auth.scope import Actor, visible_participants
from ctip.cases import rules
from ctip.cases.lifecycle import check_transition
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.cases.schemas import EventIn, EventOut, TransitionIn
from ctip.cases.service import check_version, flush_versioned, for_write, visible
from ctip.errors import ValidationFailed
from ctip.orgs.models import Location
from ctip.orgs.service import get_or_create_location
from ctip.reference import BORDER_CROSSINGS, countries, province_name

PLACE_FIELDS = (
    "country",
    "province",
    "district",
    "commune",
    "village",
    "border_crossing",
    "place_name",
    "lat",
    "lon",
)


def transition(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    target: str,
    on: date | None = None,
    note: str | None = None,
    version: int | None = None,
) -> Case:
    """Move a case along its lifecycle on ``on`` (default today); refused moves change nothing.

    A verdict before a charge, a date before the last change or in the future are refused
    with a message naming what is needed first.
    """
    case = for_write(session, actor=actor, case_id=case_id)
    check_version(case, version)
    on = on or date.today()
    check_transition(case.status, target, on, case.status_changed_on)
    before = {"status": case.status, "status_changed_on": _iso(case.status_changed_on)}
    session.add(
        CaseEvent(
            case_id=case.id,
            event_type="status_change",
            occurred_on=on,
            from_status=case.status,
            to_status=target,
            actor_id=actor.id,
            description=(note or "").strip() or None,
        )
    )
    case.status, case.status_changed_on = target, on
    flush_versioned(session)
    record(
        session,
        actor=actor,
        action="case.transition",
        entity_type="case",
        entity_id=case.id,
        before=before,
        after={"status": target, "status_changed_on": on.isoformat()},
    )
    return case


def apply_transition(session: Session, *, actor: Actor, case_id: int, data: TransitionIn) -> Case:
    """:func:`transition` for a submitted transition (the page's form or the API's body)."""
    return transition(
        session,
        actor=actor,
        case_id=case_id,
        target=data.status,
        on=data.on,
        note=data.note,
        version=data.version,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _check_person(session: Session, actor: Actor, case_id: int, person_id: int | None) -> None:
    """An event's person must be on the case in a role the actor may see."""
    if person_id is None:
        return
    found = session.scalar(
        select(CasePerson.id)
        .where(
            CasePerson.case_id == case_id,
            CasePerson.person_id == person_id,
            visible_participants(actor),
        )
        .limit(1)
    )
    if found is None:
        raise ValidationFailed.single("person_id", "this person is not on the case")


def _place(session: Session, data: EventIn) -> Location | None:
    parts = {name: getattr(data, name) for name in PLACE_FIELDS}
    if all(value in (None, "") for value in parts.values()):
        return None
    if parts["country"]:
        parts["country"] = parts["country"].upper()
    elif parts["province"] or parts["border_crossing"]:
        parts["country"] = "KH"
    return get_or_create_location(session, **parts)


def add_event(session: Session, *, actor: Actor, case_id: int, data: EventIn) -> CaseEvent:
    """Add a dated event to a case timeline, with its place and person (audited)."""
    case = for_write(session, actor=actor, case_id=case_id)
    errors = rules.event_errors(data.model_dump(), date.today())
    if errors:
        raise ValidationFailed(errors)
    _check_person(session, actor, case.id, data.person_id)
    location = _place(session, data)
    event = CaseEvent(
        case_id=case.id,
        event_type=data.event_type,
        occurred_on=data.occurred_on,
        location_id=location.id if location else None,
        person_id=data.person_id,
        description=(data.description or "").strip() or None,
        actor_id=actor.id,
    )
    session.add(event)
    session.flush()
    record(
        session,
        actor=actor,
        action="event.create",
        entity_type="case",
        entity_id=case.id,
        after={
            "event_id": event.id,
            "event_type": event.event_type,
            "occurred_on": event.occurred_on.isoformat(),
            "person_id": event.person_id,
        },
    )
    return event


_CROSSINGS = {code: name for code, name, *_ in BORDER_CROSSINGS}


def describe_place(location: Location | None, language: str = "en") -> str | None:
    """A place as one line: village, commune, district, province or crossing, country."""
    if location is None:
        return None
    parts = [
        location.place_name,
        location.village,
        location.commune,
        location.district,
        province_name(location.province, language) if location.province else None,
        _CROSSINGS.get(location.border_crossing) if location.border_crossing else None,
    ]
    if location.country and location.country != "KH":
        parts.append(countries(language).get(location.country, location.country))
    return ", ".join(p for p in parts if p) or location.country


def events_shown(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``CaseEvent``: events about nobody in particular, or about a person
    the actor sees in a role on that event's case (NGO case workers: not the suspects)."""
    shown = select(CasePerson.person_id).where(
        CasePerson.case_id == CaseEvent.case_id, visible_participants(actor)
    )
    return or_(CaseEvent.person_id.is_(None), CaseEvent.person_id.in_(shown))


# The timeline of a case: events about nobody in particular or about one of the persons the
# case page already shows, so no second role lookup (built once, ``events_about``).
_EVENTS_ABOUT = (
    select(CaseEvent, User.display_name, User.username)
    .outerjoin(User, User.id == CaseEvent.actor_id)
    .where(
        CaseEvent.case_id == bindparam("case_id"),
        or_(
            CaseEvent.person_id.is_(None),
            CaseEvent.person_id.in_(bindparam("person_ids", expanding=True)),
        ),
    )
    .order_by(CaseEvent.occurred_on, CaseEvent.id)
)


def events_about(
    session: Session, *, case_id: int, person_ids: list[int], language: str = "en"
) -> list[EventOut]:
    """``events_of`` a proven-visible case, limited to events about nobody in particular or
    about one of ``person_ids``, with a statement built once (building and keying it cost
    more CPU than running it)."""
    rows = session.execute(
        _EVENTS_ABOUT, {"case_id": case_id, "person_ids": list(dict.fromkeys(person_ids))}
    ).all()
    return _event_outs(rows, language)


def timeline(
    session: Session, *, actor: Actor, case_id: int, language: str = "en"
) -> list[EventOut]:
    """The events of a visible case in date order, with their actors; events about a person
    in a role the actor may not see (NGO case workers: suspects) are left out."""
    visible(session, actor=actor, case_id=case_id)
    return events_of(session, case_id=case_id, shown=events_shown(actor), language=language)


def events_of(
    session: Session, *, case_id: int, shown: ColumnElement[bool], language: str = "en"
) -> list[EventOut]:
    """The timeline of a case the caller has already proven visible, limited by ``shown``
    (``events_shown``; ``events_about`` when the persons shown are already known)."""
    rows = session.execute(
        select(CaseEvent, User.display_name, User.username)
        .outerjoin(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case_id, shown)
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    ).all()
    return _event_outs(rows, language)


def _event_outs(rows: Any, language: str) -> list[EventOut]:
    return [
        event_out(e, (shown_name or username) if e.actor_id else None, language)
        for e, shown_name, username in rows
    ]


def event_out(event: CaseEvent, actor_name: str | None, language: str = "en") -> EventOut:
    """The public shape of a timeline event."""
    return EventOut(
        id=event.id,
        event_type=event.event_type,
        occurred_on=event.occurred_on,
        description=event.description,
        place=describe_place(event.location, language),
        person_id=event.person_id,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        actor_name=actor_name,
    )

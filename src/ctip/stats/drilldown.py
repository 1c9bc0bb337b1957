"""The records behind one cell of the annual review, within the reader's scope.

The engine's own scope (``figure_cases`` through ``ctip.stats.engine.apply_scope``) and the
member queries of ``ctip.stats.members`` give the units a cell counts, over the same analytic
copy and temporary tables as the figure, so the list has exactly as many entries as the cell.
The registry is then read for the page's entries only: cases through ``visible_cases``, persons
through ``visible_participants`` / ``visible_persons`` (a person the reader may not see stays a
counted entry without a name); names are decrypted only for those rows, and the read is
audited as a person list (``person.search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import (
    Actor,
    require_exact_figures,
    require_province,
    visible_cases,
    visible_participants,
    visible_persons,
)
from ctip.cases.models import Case, CasePerson
from ctip.config import Settings
from ctip.errors import ValidationFailed
from ctip.persons.models import Person
from ctip.persons.service import display_name
from ctip.stats import analytic
from ctip.stats.definitions import BY_ID
from ctip.stats.engine import (
    Period,
    apply_scope,
    check_province,
    metric_readable,
    prepare_scope,
    resolve_period,
)
from ctip.stats.members import COUNTED_COLUMN, DRILLABLE, members_sql
from ctip.stats.queries import PREPARE_PERIOD, parameters

PAGE_SIZE = 50


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    role: str | None
    gender: str | None


@dataclass(frozen=True)
class Entry:
    """One counted unit: a case, a (resolved) person, or a flag, with its visible records."""

    unit: str
    case_id: int | None
    case_reference: str | None
    case_province: str | None
    person: PersonRow | None

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "case_id": self.case_id,
            "case_reference": self.case_reference,
            "case_province": self.case_province,
            "person": None
            if self.person is None
            else {
                "id": self.person.id,
                "name": self.person.name,
                "role": self.person.role,
                "gender": self.person.gender,
            },
        }


@dataclass
class Records:
    metric: str
    row: str | None
    col: str | None
    period: Period
    province: str | None
    total: int
    page: int
    page_size: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "row": self.row,
            "col": self.col,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "province": self.province,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "records": [e.to_json() for e in self.entries],
        }


def units(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    metric: str,
    period: Period,
    province: str | None,
    row: str | None = None,
    col: str | None = None,
    stalled_days: int | None = None,
    today: date | None = None,
) -> list[tuple[str, int | None, int | None]]:
    """``(unit, case_id, person_id)`` of every record behind the cell, one row per unit (the
    first record of a resolved person with several), in a stable order."""
    if metric not in DRILLABLE or not metric_readable(actor, metric):
        raise ValidationFailed.single("metric", "no list of records behind %(value)s", value=metric)
    values: dict[str, object] = {
        "start": period.start,
        "end": period.end,
        "asof": min(period.end, today or date.today()),
        "stalled_days": stalled_days or settings.stats_stalled_days,
        "row": row,
        "col": col if col is not None else COUNTED_COLUMN.get(metric),
    }
    with analytic.open_copy(settings, session) as conn:
        analytic.refresh(conn, session=session, settings=settings)
        apply_scope(conn, session=session, actor=actor, province=province)
        prepare_scope(conn)
        for statement in PREPARE_PERIOD:
            conn.execute(statement, parameters(statement, values))
        sql = members_sql(metric)
        found = conn.execute(sql, parameters(sql, values)).fetchall()
    seen: dict[str, tuple[str, int | None, int | None]] = {}
    for unit, case_id, person_id in found:
        seen.setdefault(str(unit), (str(unit), case_id, person_id))
    return list(seen.values())


def records(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    metric: str,
    row: str | None = None,
    col: str | None = None,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    province: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    today: date | None = None,
) -> Records:
    """The page ``page`` of the records behind ``metric`` at ``row`` × ``col``; audited."""
    require_exact_figures(actor)
    if metric not in BY_ID or metric not in DRILLABLE or not metric_readable(actor, metric):
        raise ValidationFailed.single("metric", "no list of records behind %(value)s", value=metric)
    period = resolve_period(year, start, end)
    province = check_province(province)
    if province is not None:
        require_province(actor, province)
    everything = units(
        session=session,
        actor=actor,
        settings=settings,
        metric=metric,
        period=period,
        province=province,
        row=row or None,
        col=col or None,
        today=today,
    )
    page = max(1, page)
    shown = everything[(page - 1) * page_size : page * page_size]
    entries = _entries(session, actor, shown)
    audit(
        session,
        actor=actor,
        action="person.search",
        entity_type="person",
        detail=f"stats records {metric} {row or ''} {col or ''} {period.label} "
        f"{province or 'national'}: {len(entries)} of {len(everything)} listed",
        after={"ids": [e.person.id for e in entries if e.person is not None]},
    )
    return Records(
        metric=metric,
        row=row or None,
        col=col or None,
        period=period,
        province=province,
        total=len(everything),
        page=page,
        page_size=page_size,
        entries=entries,
    )


def _entries(
    session: Session, actor: Actor, shown: list[tuple[str, int | None, int | None]]
) -> list[Entry]:
    case_ids = {c for _, c, _ in shown if c is not None}
    cases = {
        c.id: c
        for c in session.scalars(select(Case).where(Case.id.in_(case_ids), visible_cases(actor)))
    }
    wanted = {p for _, _, p in shown if p is not None}
    persons = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_(wanted), visible_persons(actor))
        )
    }
    pairs = {(c, p) for _, c, p in shown if c is not None and p in persons}
    roles: dict[tuple[int, int], tuple[Person, str]] = {}
    if pairs:
        links = session.scalars(
            select(CasePerson).where(
                CasePerson.case_id.in_({c for c, _ in pairs}),
                CasePerson.person_id.in_({p for _, p in pairs}),
                visible_participants(actor),
            )
        ).all()
        for link in links:
            roles.setdefault((link.case_id, link.person_id), (persons[link.person_id], link.role))
    out = []
    for unit, case_id, person_id in shown:
        case = cases.get(case_id) if case_id is not None else None
        person: PersonRow | None = None
        if person_id is not None:
            if case_id is not None:
                hit = roles.get((case_id, person_id))
            else:
                alone = persons.get(person_id)
                hit = (alone, "") if alone is not None else None
            if hit is not None:
                found, role = hit
                person = PersonRow(found.id, display_name(found), role or None, found.gender)
        out.append(
            Entry(
                unit=unit,
                case_id=case.id if case else None,
                case_reference=case.reference if case else None,
                case_province=case.province if case else None,
                person=person,
            )
        )
    return out

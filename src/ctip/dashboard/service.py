"""Figures for the dashboard, always within the caller's scope.

Viewers see national aggregate figures only: counts, never a case reference, link or name.
Everyone else sees the counts of the cases they may read, their open referrals, and the
latest steps on those cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from ctip.auth.scope import Actor, figure_cases
from ctip.cases.models import Case, CaseEvent
from ctip.db.dialect import dialect_for
from ctip.reference import EXPLOITATION_TYPES
from ctip.referrals.models import Referral
from ctip.referrals.service import visible_referrals

ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class RecentEvent:
    case_id: int
    reference: str
    event_type: str
    occurred_on: date
    to_status: str | None


@dataclass(frozen=True)
class ReferralCounts:
    """Open referrals in scope; ``incoming`` are those waiting on the actor's organisation."""

    pending: int = 0
    accepted: int = 0
    overdue: int = 0
    incoming: int = 0


@dataclass(frozen=True)
class Dashboard:
    total_cases: int
    by_status: dict[str, int]
    by_province: dict[str, int]
    by_exploitation: dict[str, int] = field(default_factory=dict)
    referrals: ReferralCounts = field(default_factory=ReferralCounts)
    activity: dict[str, int] = field(default_factory=dict)
    recent: list[RecentEvent] = field(default_factory=list)
    aggregate_only: bool = False


def _grouped(
    session: Session, column: InstrumentedAttribute[str], where: ColumnElement[bool]
) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(where).group_by(column)).all()
    return {str(key): int(n) for key, n in rows}


def _by_exploitation(session: Session, where: ColumnElement[bool]) -> dict[str, int]:
    """Cases per exploitation type in one pass (a case may count under several types)."""
    dialect = dialect_for(session.get_bind().dialect.name)
    sums = [
        func.coalesce(
            func.sum(case((dialect.list_contains(Case.exploitation_types, code), 1), else_=0)), 0
        )
        for code in EXPLOITATION_TYPES
    ]
    row = session.execute(select(*sums).where(where)).one()
    return {code: int(n) for code, n in zip(EXPLOITATION_TYPES, row, strict=True) if n}


def _referrals(session: Session, actor: Actor, due_days: int, today: date) -> ReferralCounts:
    where = true() if actor.role == "viewer" else visible_referrals(actor)
    cutoff = today - timedelta(days=due_days)
    pending = Referral.status == "pending"
    row = session.execute(
        select(
            func.count().filter(pending),
            func.count().filter(Referral.status == "accepted"),
            func.count().filter(pending, Referral.referred_on < cutoff),
            func.count().filter(pending, Referral.to_org_id == actor.organisation_id),
        ).where(where)
    ).one()
    return ReferralCounts(*(int(n or 0) for n in row))


def _activity(session: Session, where: ColumnElement[bool], today: date) -> dict[str, int]:
    """Timeline steps of the last ``ACTIVITY_DAYS`` days by type."""
    since = today - timedelta(days=ACTIVITY_DAYS)
    rows = session.execute(
        select(CaseEvent.event_type, func.count())
        .join(Case, Case.id == CaseEvent.case_id)
        .where(where, CaseEvent.occurred_on >= since)
        .group_by(CaseEvent.event_type)
    ).all()
    return {str(kind): int(n) for kind, n in rows}


def _recent(session: Session, where: ColumnElement[bool], limit: int) -> list[RecentEvent]:
    rows = session.execute(
        select(
            Case.id,
            Case.reference,
            CaseEvent.event_type,
            CaseEvent.occurred_on,
            CaseEvent.to_status,
        )
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(where)
        .order_by(CaseEvent.id.desc())
        .limit(limit)
    ).all()
    return [RecentEvent(*row) for row in rows]


def summary(
    session: Session,
    *,
    actor: Actor,
    due_days: int = 7,
    today: date | None = None,
    recent_limit: int = 10,
) -> Dashboard:
    """Counts by status, province and exploitation type, open and overdue referrals, recent
    activity; for viewers only aggregate figures (no case references)."""
    today = today or date.today()
    where = figure_cases(actor)
    by_status = _grouped(session, Case.status, where)
    aggregate_only = actor.role == "viewer"
    return Dashboard(
        total_cases=sum(by_status.values()),
        by_status=by_status,
        by_province=_grouped(session, Case.province, where),
        by_exploitation=_by_exploitation(session, where),
        referrals=_referrals(session, actor, due_days, today),
        activity=_activity(session, where, today),
        recent=[] if aggregate_only else _recent(session, where, recent_limit),
        aggregate_only=aggregate_only,
    )

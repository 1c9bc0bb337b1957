"""Figures for the dashboard, always within the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor, visible_cases
from ctip.cases.models import Case, CaseEvent


@dataclass(frozen=True)
class RecentEvent:
    case_id: int
    reference: str
    event_type: str
    occurred_on: date
    to_status: str | None


@dataclass(frozen=True)
class Dashboard:
    total_cases: int
    by_status: dict[str, int]
    by_province: dict[str, int]
    recent: list[RecentEvent] = field(default_factory=list)


def _scope(actor: Actor):  # type: ignore[no-untyped-def]
    """Viewers see national aggregate figures only; everyone else their own scope."""
    return true() if actor.role == "viewer" else visible_cases(actor)


def summary(session: Session, *, actor: Actor, recent_limit: int = 10) -> Dashboard:
    """Case counts by status and province, and the latest timeline events the actor may see."""
    where = _scope(actor)
    by_status = dict(session.execute(
        select(Case.status, func.count()).where(where).group_by(Case.status)).all())
    by_province = dict(session.execute(
        select(Case.province, func.count()).where(where).group_by(Case.province)).all())
    recent: list[RecentEvent] = []
    if actor.role != "viewer":
        rows = session.execute(
            select(Case.id, Case.reference, CaseEvent.event_type, CaseEvent.occurred_on,
                   CaseEvent.to_status).join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(where).order_by(CaseEvent.id.desc()).limit(recent_limit)).all()
        recent = [RecentEvent(*row) for row in rows]
    return Dashboard(sum(by_status.values()), by_status, by_province, recent)

"""Goals the committee sets for a period (created by migration ``0006_stats``), the
indexes on ``updated_at`` the analytic copy's refresh reads by (migration ``0013_stats``) and
each goal's stored figure per scope that the dashboard reads (migration ``0014_goal_figures``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ctip.cases.models import Case, CasePerson
from ctip.db.base import Base, Timestamped
from ctip.persons.models import Person
from ctip.referrals.models import Referral
from ctip.screening.models import NonPunishmentFlag

STATS_TABLES = ("stats_goals", "stats_goal_figures")


class Goal(Timestamped, Base):
    """A target on one metric of ``ctip.stats.definitions`` for a period, optionally per
    province: e.g. ``durations.intervention_to_charge <= 90`` in 2025."""

    __tablename__ = "stats_goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(60))
    comparison: Mapped[str] = mapped_column(String(2))
    target: Mapped[float] = mapped_column(Float)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    province: Mapped[str | None] = mapped_column(String(6))
    note: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class GoalFigure(Base):
    """A goal's figure, projection and status as computed for one figure scope
    (``ctip.auth.scope.figure_scope``) at ``computed_at``: the dashboard's goal panel reads
    these instead of computing (``ctip.stats.goal_figures``)."""

    __tablename__ = "stats_goal_figures"

    goal_id: Mapped[int] = mapped_column(
        ForeignKey("stats_goals.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    figure: Mapped[float | None] = mapped_column(Float)
    projected: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    computed_on: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive


# The copied tables whose rows change, by ``updated_at`` (``ctip.stats.analytic``).
REFRESH_INDEXES = tuple(
    Index(f"ix_{model.__tablename__}_updated_at", model.__table__.c.updated_at)
    for model in (Case, CasePerson, Person, Referral, NonPunishmentFlag)
)

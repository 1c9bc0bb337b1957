"""Retention dates: until when a case or a person may be kept (migration 0010_security)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow


class RetentionDate(Base):
    """A case's or a person's retention date; past it, ``ctip retention purge`` removes it."""

    __tablename__ = "retention_dates"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id"),
        Index("ix_retention_dates_retain_until", "retain_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(10))  # "case" or "person"
    entity_id: Mapped[int] = mapped_column(Integer)
    retain_until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(300))
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

"""The audit trail: append-only (database triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow
from ctip.db.types import Encrypted


class AuditEntry(Base):
    """Who did what to which record, when and from where; changes kept encrypted."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[str | None] = mapped_column(Encrypted)  # JSON {"before": ..., "after": ...}
    detail: Mapped[str | None] = mapped_column(String(300))

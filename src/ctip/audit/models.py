"""The audit trail: append-only (database triggers refuse UPDATE, DELETE and TRUNCATE), each
entry with a keyed hash of its plaintext, sealed in batches into a chained seal table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
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
    # A random value making every entry unique, and HMAC-SHA256 (the audit key) of the
    # entry's canonical plaintext with it (ctip.audit.chain); set by ``record``.
    nonce: Mapped[str | None] = mapped_column(String(32))
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditSeal(Base):
    """A batch of committed audit entries sealed under the audit key, chained to the seal
    before it (``prev_id``; unique, so two sealers cannot fork the chain)."""

    __tablename__ = "audit_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prev_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    sealed_at: Mapped[datetime] = mapped_column(DateTime)
    first_entry_id: Mapped[int] = mapped_column(Integer)
    last_entry_id: Mapped[int] = mapped_column(Integer, index=True)
    entry_count: Mapped[int] = mapped_column(Integer)
    # JSON [[entry id, first 32 hex digits of its mac], ...] in id order
    entries: Mapped[str] = mapped_column(Text)
    mac: Mapped[str] = mapped_column(String(64))

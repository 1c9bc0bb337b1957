"""Alerts raised when a new or edited record meets a person of another case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow


class NetworkAlert(Base):
    """One recipient's alert: ``person_id`` (on ``case_id``) shares an identifier with, or
    probably is, ``other_person_id`` (on ``other_case_id`` in ``other_role``).

    Nothing decrypted is stored; what the recipient may see is decided again when the
    alert is shown, so a change of scope never reveals a record through an old alert.
    """

    __tablename__ = "network_alerts"
    __table_args__ = (Index("ix_network_alerts_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    other_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    other_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    other_role: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))  # shared_identifier | probable_match
    identifier_type: Mapped[str | None] = mapped_column(String(20))
    probability: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(10), default="normal")  # high | normal
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

"""Referrals from one organisation to another."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped, Versioned
from ctip.db.types import Encrypted
from ctip.orgs.models import Organisation


class Referral(Versioned, Timestamped, Base):
    """A referral of a case (and usually one of its victims) to another organisation.

    A victim's referral needs recorded consent, or an override with its reason.
    """

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_to_status", "to_org_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    from_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    reason: Mapped[str] = mapped_column(String(40))
    service: Mapped[str] = mapped_column(String(20), default="other")
    referred_on: Mapped[date] = mapped_column(Date)
    consent_given: Mapped[bool] = mapped_column(default=False)
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_override_reason: Mapped[str | None] = mapped_column(Encrypted)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    responded_on: Mapped[date | None] = mapped_column(Date)
    response_note: Mapped[str | None] = mapped_column(Encrypted)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    to_org: Mapped[Organisation] = relationship(foreign_keys=[to_org_id], lazy="joined")
    from_org: Mapped[Organisation | None] = relationship(foreign_keys=[from_org_id], lazy="joined")

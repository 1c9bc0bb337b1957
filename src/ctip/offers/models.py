"""Reported offers (tips) and flagged scan hits, with the identifiers found in them.

Nothing a visitor pastes is stored unless they tick "report this offer". The offer text
and every identifier value are AES-GCM ciphertext; identifiers are compared through their
blind index (``digest``), the same index the registry uses, so analysts can group offers
that share a phone number or handle and see whether a case already holds it.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped
from ctip.db.types import Encrypted, StrList

SOURCES = ("public", "scan")
REPORT_STATUSES = ("new", "reviewed", "dismissed")


class OfferReport(Timestamped, Base):
    """One offer an analyst should look at: reported by the public or flagged by a scan."""

    __tablename__ = "offer_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(10), index=True)
    text: Mapped[str] = mapped_column(Encrypted)
    language: Mapped[str] = mapped_column(String(8))
    risk: Mapped[str] = mapped_column(String(10), index=True)
    score: Mapped[float] = mapped_column(Float)
    flags: Mapped[list[str]] = mapped_column(StrList, default=list)
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)
    scan_ref: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    identifiers: Mapped[list[OfferIdentifier]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="OfferIdentifier.id",
    )


class OfferIdentifier(Base):
    """A phone, handle or e-mail address found in a reported offer."""

    __tablename__ = "offer_identifiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("offer_reports.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(Encrypted)
    digest: Mapped[str] = mapped_column(String(40), index=True)

    report: Mapped[OfferReport] = relationship(back_populates="identifiers")

"""Publication tables (migration ``0007_publication``): releases of public tables and the
privacy budget each year of data has spent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow

PUBLICATION_TABLES = ("publication_releases", "privacy_budget_years")


class PublicationRelease(Base):
    """One release of public tables for a year: how they were protected, what they show.

    ``published`` holds the protected tables (what viewers, donors and the website get);
    ``internal`` the exact figures they were made from, shown to national readers only.
    """

    __tablename__ = "publication_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    method: Mapped[str] = mapped_column(String(12))  # suppression | dp
    k: Mapped[int | None] = mapped_column(Integer)
    epsilon: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(200))
    published: Mapped[str] = mapped_column(Text)  # JSON
    internal: Mapped[str] = mapped_column(Text)  # JSON
    cells: Mapped[int] = mapped_column(Integer, default=0)
    cells_suppressed: Mapped[int] = mapped_column(Integer, default=0)
    definitions_version: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_name: Mapped[str] = mapped_column(String(80), default="")


class PrivacyBudgetYear(Base):
    """The ε spent on differentially private releases of one year's data."""

    __tablename__ = "privacy_budget_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    spent: Mapped[float] = mapped_column(Float, default=0.0)
    releases: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

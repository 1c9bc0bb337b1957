"""Organisations and locations."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, Timestamped


class Organisation(Timestamped, Base):
    """An agency, NGO, court, employer, recruitment agency or compound (HTCDS ``org_``)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_km: Mapped[str | None] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(40), index=True)
    province: Mapped[str | None] = mapped_column(String(6), index=True)
    country: Mapped[str] = mapped_column(String(2), default="KH")
    is_agency: Mapped[bool] = mapped_column(default=False)


class Location(Base):
    """A place: Cambodian administrative levels, a country, or a border crossing."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), default="KH")
    province: Mapped[str | None] = mapped_column(String(6), index=True)
    district: Mapped[str | None] = mapped_column(String(100))
    commune: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    border_crossing: Mapped[str | None] = mapped_column(String(30))
    place_name: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

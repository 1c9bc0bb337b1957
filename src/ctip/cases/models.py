"""Cases, their people in roles, their timeline, and who they are shared with."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped, Versioned, utcnow
from ctip.db.types import Encrypted, StrList
from ctip.orgs.models import Location, Organisation
from ctip.persons.models import Person


class Case(Versioned, Timestamped, Base):
    """A trafficking case from first report to verdict (HTCDS ``cas_``)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("province", "year", "sequence"),
        Index("ix_cases_province_opened", "province", "opened_on"),
        Index("ix_cases_status_opened", "status", "opened_on"),
        # A provincial officer's case list filtered by status (the commonest list query).
        Index("ix_cases_province_status_opened", "province", "status", "opened_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    province: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Encrypted)
    reporting_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    exploitation_types: Mapped[list[str]] = mapped_column(StrList, default=list)
    forced_labour_subtype: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(60))
    origin_countries: Mapped[list[str]] = mapped_column(StrList, default=list)
    transit_countries: Mapped[list[str]] = mapped_column(StrList, default=list)
    exploitation_countries: Mapped[list[str]] = mapped_column(StrList, default=list)
    status: Mapped[str] = mapped_column(String(24), default="reported")
    status_changed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    reporting_org: Mapped[Organisation | None] = relationship(lazy="joined")
    participants: Mapped[list[CasePerson]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.occurred_on"
    )


class CaseSequence(Base):
    """The last sequence number issued per province and year (for reference numbers)."""

    __tablename__ = "case_sequences"

    province: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class CasePerson(Versioned, Timestamped, Base):
    """A person in a role on a case, with the role's HTCDS details (``vic_`` / ``per_``)."""

    __tablename__ = "case_persons"
    __table_args__ = (UniqueConstraint("case_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # victim context
    trafficking_status: Mapped[str | None] = mapped_column(String(40))
    status_decided_by: Mapped[str | None] = mapped_column(String(40))
    status_decided_on: Mapped[date | None] = mapped_column(Date)
    methods_of_control: Mapped[list[str]] = mapped_column(StrList, default=list)
    recruitment_method: Mapped[str | None] = mapped_column(String(40))
    recruitment_apps: Mapped[list[str]] = mapped_column(StrList, default=list)
    # perpetrator context
    role_in_process: Mapped[str | None] = mapped_column(String(40))
    custody_status: Mapped[str | None] = mapped_column(String(20))
    arrested_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Encrypted)

    case: Mapped[Case] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship(lazy="joined")


class CaseEvent(Base):
    """A dated step on a case timeline, including every status change and its actor."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[date] = mapped_column(Date)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    description: Mapped[str | None] = mapped_column(Encrypted)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    location: Mapped[Location | None] = relationship(lazy="joined")


class CaseShare(Base):
    """A case shared with another agency, so that agency's investigators can work on it."""

    __tablename__ = "case_shares"
    __table_args__ = (UniqueConstraint("case_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

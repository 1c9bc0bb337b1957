"""Persons and the blind indexes that make their encrypted names searchable."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped, Versioned
from ctip.db.types import Encrypted, StrList


class Person(Versioned, Timestamped, Base):
    """One human being, whatever roles they play in whichever cases (HTCDS ``prs_``)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    given_name: Mapped[str | None] = mapped_column(Encrypted)
    family_name: Mapped[str | None] = mapped_column(Encrypted)
    name_km: Mapped[str | None] = mapped_column(Encrypted)
    aliases: Mapped[str | None] = mapped_column(Encrypted)  # newline-separated
    gender: Mapped[str] = mapped_column(String(24), default="NonSpecifiedUnknown")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    estimated_age: Mapped[int | None] = mapped_column(Integer)
    age_estimated_on: Mapped[date | None] = mapped_column(Date)
    nationalities: Mapped[list[str]] = mapped_column(StrList, default=list)
    address: Mapped[str | None] = mapped_column(Encrypted)
    notes: Mapped[str | None] = mapped_column(Encrypted)
    # Where the record was created: scopes persons not (yet) attached to any case.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    owner_province: Mapped[str | None] = mapped_column(String(6))
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    name_keys: Mapped[list[PersonNameKey]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


class PersonNameKey(Base):
    """A blind index of one normalised name form (full name either order, a token, an alias)."""

    __tablename__ = "person_name_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # full | token
    digest: Mapped[str] = mapped_column(String(40), index=True)

    person: Mapped[Person] = relationship(back_populates="name_keys")

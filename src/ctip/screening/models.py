"""Screening tables: interventions and their rosters, screenings with their answers, and
non-punishment flags (created by migration ``0002_screening``)."""

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

from ctip.db.base import Base, Timestamped, utcnow
from ctip.db.types import Encrypted, StrList

SCREENING_TABLES = (
    "interventions",
    "roster_entries",
    "screenings",
    "screening_answers",
    "non_punishment_flags",
)


class Intervention(Timestamped, Base):
    """A raid or rescue on a case: when, where, which agencies took part."""

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(6))
    agencies: Mapped[list[str]] = mapped_column(StrList, default=list)
    notes: Mapped[str | None] = mapped_column(Encrypted)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RosterEntry(Timestamped, Base):
    """One person on an intervention's roster, as imported (names and numbers encrypted).

    ``row_key`` is a blind index of the row's stable identity (passport, else name, birth and
    nationality), so importing the same roster again updates rather than duplicates.
    ``passport_digest``/``phone_digest`` are identifier blind indexes, compared with the
    registry's and with other rows' for exact duplicates.
    """

    __tablename__ = "roster_entries"
    __table_args__ = (UniqueConstraint("intervention_id", "row_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"), index=True
    )
    row_key: Mapped[str] = mapped_column(String(40))
    row_number: Mapped[int] = mapped_column(Integer)
    given_name: Mapped[str | None] = mapped_column(Encrypted)
    family_name: Mapped[str | None] = mapped_column(Encrypted)
    gender: Mapped[str] = mapped_column(String(24), default="NonSpecifiedUnknown")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(2), index=True)
    passport: Mapped[str | None] = mapped_column(Encrypted)
    phone: Mapped[str | None] = mapped_column(Encrypted)
    phone_valid: Mapped[bool] = mapped_column(default=True)
    passport_digest: Mapped[str | None] = mapped_column(String(40), index=True)
    phone_digest: Mapped[str | None] = mapped_column(String(40), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("roster_entries.id"))
    registry_person_ids: Mapped[list[str]] = mapped_column(StrList, default=list)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)


class Screening(Base):
    """One screening of a person on a case: the answers, the questionnaire version and the
    computed result (reasons are recomputed from the answers by the pure decision)."""

    __tablename__ = "screenings"
    __table_args__ = (Index("ix_screenings_case_person", "case_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    roster_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_entries.id", ondelete="SET NULL"), index=True
    )
    questionnaire_version: Mapped[str] = mapped_column(String(10))
    screened_on: Mapped[date] = mapped_column(Date)
    date_of_act: Mapped[date | None] = mapped_column(Date)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age_at_act: Mapped[int | None] = mapped_column(Integer)
    act: Mapped[list[str]] = mapped_column(StrList, default=list)
    means: Mapped[list[str]] = mapped_column(StrList, default=list)
    purpose: Mapped[list[str]] = mapped_column(StrList, default=list)
    assessed: Mapped[list[str]] = mapped_column(StrList, default=list)
    indicators: Mapped[list[str]] = mapped_column(StrList, default=list)
    services_needed: Mapped[list[str]] = mapped_column(StrList, default=list)
    result: Mapped[str] = mapped_column(String(30), index=True)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    answers: Mapped[list[ScreeningAnswer]] = relationship(
        back_populates="screening", cascade="all, delete-orphan", lazy="selectin"
    )


class ScreeningAnswer(Base):
    """A note and its source (interview, document, observation) on one answer of a screening.

    ``question`` is ``<section>:<option>`` (``means:deception``) or a section alone."""

    __tablename__ = "screening_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(
        ForeignKey("screenings.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(80))
    source: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Encrypted)

    screening: Mapped[Screening] = relationship(back_populates="answers")


class NonPunishmentFlag(Timestamped, Base):
    """A presumed or possible victim who is also a suspect: one flag per person.

    ``status``: ``open`` until decided (``applied``: not to be punished for offences compelled
    by the trafficking; ``not_applied``, with its reason) or ``cleared`` when the person is no
    longer both a victim and a suspect.
    """

    __tablename__ = "non_punishment_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    victim_case_ids: Mapped[list[str]] = mapped_column(StrList, default=list)
    suspect_case_ids: Mapped[list[str]] = mapped_column(StrList, default=list)
    victim_basis: Mapped[str | None] = mapped_column(String(40))
    raised_on: Mapped[date] = mapped_column(Date)
    cleared_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Encrypted)

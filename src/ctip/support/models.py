"""Tables of a referred victim's support plan (migration ``0009_casework``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped
from ctip.db.types import Encrypted, StrList

SUPPORT_TABLES = ("support_services", "support_followups", "case_notes", "support_tasks")


class SupportService(Timestamped, Base):
    """One service of a victim's plan (HTCDS ``spl_Type``), given by a provider."""

    __tablename__ = "support_services"
    __table_args__ = (Index("ix_support_services_case_person", "case_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    service_type: Mapped[str] = mapped_column(String(40))
    provider_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    followups: Mapped[list[SupportFollowUp]] = relationship(
        back_populates="service", order_by="SupportFollowUp.followed_on", lazy="selectin"
    )


class SupportFollowUp(Timestamped, Base):
    """A dated follow-up of a service (a visit, a call, a check on progress)."""

    __tablename__ = "support_followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("support_services.id", ondelete="CASCADE"), index=True
    )
    followed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Encrypted)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    service: Mapped[SupportService] = relationship(back_populates="followups")


class CaseNote(Timestamped, Base):
    """A case worker's note on a victim, read only by the author's organisation and the
    organisations it is shared with (those receiving the victim or consented to)."""

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_case_person", "case_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    written_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Encrypted)
    author_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    shared_with: Mapped[list[str]] = mapped_column(StrList, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SupportTask(Timestamped, Base):
    """Something to do for a victim by a date; open tasks past their date are overdue."""

    __tablename__ = "support_tasks"
    __table_args__ = (Index("ix_support_tasks_due", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    title: Mapped[str] = mapped_column(Encrypted)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

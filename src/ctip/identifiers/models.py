"""Identifiers: each row one occurrence of a value on a person or a case."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, Timestamped
from ctip.db.types import Encrypted


class Identifier(Timestamped, Base):
    """A phone, passport, ID, handle, e-mail, account, wallet or plate.

    ``raw`` is what was written; ``normalised`` the canonical form (E.164 for phones);
    ``digest`` the blind index of the normalised form, the only thing search compares.
    A value that cannot be normalised keeps ``valid = False`` and a reason, and is never dropped.
    """

    __tablename__ = "identifiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_type: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str | None] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(Encrypted)
    normalised: Mapped[str | None] = mapped_column(Encrypted)
    digest: Mapped[str] = mapped_column(String(40), index=True)
    valid: Mapped[bool] = mapped_column(default=True)
    problem: Mapped[str | None] = mapped_column(String(120))
    issuing_country: Mapped[str | None] = mapped_column(String(2))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

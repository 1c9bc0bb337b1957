"""Import batches, saved column mappings and source references (migration ``0008_imports``).

A source reference links a record CTIP holds (a case, or a person in a role on a case) to the
file, sheet and row it came from, under the source's own record id (Kobo ``_uuid``, ODK
``KEY``, a stable key of the row for the template). The reference is what makes a re-import
create nothing twice. ``namespace`` is the province (and agency, for investigators) the batch
wrote into, so one office's keys never match another office's records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow
from ctip.db.types import Encrypted


class ImportBatch(Base):
    """One import run: who brought which file in, where, and what it did."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str | None] = mapped_column(Encrypted)
    file_digest: Mapped[str] = mapped_column(String(64), index=True)
    province: Mapped[str] = mapped_column(String(6))
    namespace: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SavedMapping(Base):
    """A column mapping for one kind of spreadsheet, mapped once and reused by name."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("namespace", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    namespace: Mapped[str] = mapped_column(String(40))
    columns: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SourceRecord(Base):
    """A case or a person-in-a-case that came from a row of an imported file."""

    __tablename__ = "import_sources"
    __table_args__ = (UniqueConstraint("source", "namespace", "kind", "source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    namespace: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # case | participant
    source_key: Mapped[str] = mapped_column(String(200))
    content_digest: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_persons.id", ondelete="CASCADE")
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    sheet: Mapped[str | None] = mapped_column(String(80))
    row_number: Mapped[int | None] = mapped_column(Integer)
    # HTCDS fields CTIP has no column for (referrals, locations, consent ...), kept encrypted
    # as JSON so an export gives them back.
    extra: Mapped[str | None] = mapped_column(Encrypted)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

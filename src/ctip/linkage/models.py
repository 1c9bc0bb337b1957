"""Linkage runs, pairwise match probabilities, resolved clusters, analyst decisions, models.

No name or identifier value is stored here: only person ids, probabilities and the evidence
(the comparison level each field fell into and its match weight).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ctip.db.base import Base, utcnow

RUN_STATUSES = ("running", "complete", "failed")
DECISIONS = ("confirmed", "rejected")


class LinkModel(Base):
    """One trained Splink model: its version and its settings with the trained parameters."""

    __tablename__ = "link_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    trained_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    n_records: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[str] = mapped_column(Text)  # Splink settings JSON with m and u values


class LinkRun(Base):
    """One re-linking of the whole registry; only a complete run can be current."""

    __tablename__ = "link_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_version: Mapped[str | None] = mapped_column(String(40))
    engine: Mapped[str] = mapped_column(String(10), default="duckdb")
    threshold: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="running", index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    n_records: Mapped[int] = mapped_column(Integer, default=0)
    n_pairs: Mapped[int] = mapped_column(Integer, default=0)
    n_clusters: Mapped[int] = mapped_column(Integer, default=0)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    error: Mapped[str | None] = mapped_column(String(400))


class LinkPair(Base):
    """A pair of person records scored above the floor in one run (``person_id_l < _r``)."""

    __tablename__ = "link_pairs"
    __table_args__ = (
        UniqueConstraint("run_id", "person_id_l", "person_id_r"),
        Index("ix_link_pairs_run_r", "run_id", "person_id_r"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id", ondelete="CASCADE"))
    person_id_l: Mapped[int] = mapped_column(Integer)
    person_id_r: Mapped[int] = mapped_column(Integer)
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="{}")  # {field: [level, weight]}


class PersonCluster(Base):
    """Which resolved entity a person belongs to in one run (smallest person id of it)."""

    __tablename__ = "person_clusters"
    __table_args__ = (
        UniqueConstraint("run_id", "person_id"),
        Index("ix_person_clusters_run_cluster", "run_id", "cluster_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(Integer)
    cluster_id: Mapped[int] = mapped_column(Integer)


class LinkDecision(Base):
    """An analyst's word on a pair: it overrides the model in every later run."""

    __tablename__ = "link_decisions"
    __table_args__ = (UniqueConstraint("person_id_l", "person_id_r"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id_l: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    person_id_r: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(10))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))
    # The current run's probability when the analyst decided: how precision and recall of
    # the model are measured against analysts' decisions.
    model_probability: Mapped[float | None] = mapped_column(Float)

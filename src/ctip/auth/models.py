"""Users and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ctip.db.base import Base, Timestamped, Versioned
from ctip.orgs.models import Organisation

ROLES = ("admin", "secretariat", "provincial_officer", "investigator", "ngo_caseworker", "viewer")


class User(Versioned, Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    province: Mapped[str | None] = mapped_column(String(6))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token, stored only as its SHA-256 digest."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class AuthSession(Base):
    """A log-in session on the server: the signed cookie carries only a random key, whose
    SHA-256 is ``digest``. Log-out, a password change or a deactivation ends it (``ended_at``),
    so a replayed cookie stops working at once; ``expires_at`` is the absolute timeout."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """One failed log-in, counted per account and per client address (both kept as keyed
    digests, never the typed username or the address itself)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "account" or "address"
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)


class RateLimitBucket(Base):
    """A fixed-window counter shared by every worker process (the public offer checker)."""

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)

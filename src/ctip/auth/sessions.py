"""Log-in sessions kept on the server, so that ending one is real.

The browser's signed cookie holds a random session key and the time it was last used; the
server keeps only the key's SHA-256 (``auth_sessions``). A request is let in only while that
row exists, has not ended and has not passed its absolute expiry, the user is still active,
and the cookie was used within the idle timeout. Log-out ends the row (a replayed cookie is
refused at once); a password change or a deactivation ends every session of the user and
deletes every API token, so a token issued before a deactivation never works again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ctip.auth import actor_cache
from ctip.auth.models import ApiToken, AuthSession, User
from ctip.db.base import utcnow
from ctip.security import new_token, token_digest

KEY = "sid"  # the session key in the signed cookie
SEEN = "seen"  # when the cookie was last used (epoch seconds), for the idle timeout


def start(session: Session, *, user: User, max_age: int, now: datetime | None = None) -> str:
    """A new session for ``user``; the key (returned) goes into the cookie, its digest here."""
    now = now or utcnow()
    key = new_token()
    session.add(
        AuthSession(
            user_id=user.id,
            digest=token_digest(key),
            created_at=now,
            expires_at=now + timedelta(seconds=max_age),
        )
    )
    return key


def user_for(session: Session, *, key: str, now: datetime | None = None) -> User | None:
    """The active user of a live session, or None (ended, expired, unknown, or deactivated)."""
    now = now or utcnow()
    row = session.scalar(select(AuthSession).where(AuthSession.digest == token_digest(key)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def end(session: Session, *, key: str) -> None:
    """End one session (log-out)."""
    actor_cache.forget(token_digest(key), session)
    session.execute(
        update(AuthSession)
        .where(AuthSession.digest == token_digest(key), AuthSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all(session: Session, *, user_id: int) -> None:
    """End every session of a user and delete their API tokens (password change,
    deactivation)."""
    actor_cache.forget_user(user_id, session)
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))


def idle_expired(seen: object, *, idle_seconds: int, now: float) -> bool:
    """Whether a cookie last used at ``seen`` (epoch seconds) has been idle too long."""
    try:
        last = float(str(seen))
    except ValueError:
        return True
    return now - last > idle_seconds

"""A short-lived, per-process cache of who is behind a token or a log-in session.

Each request used to load its user with two ORM queries (the token or session row, then the
user). Now one query loads both, and its answer is kept for ``CTIP_ACTOR_CACHE_SECONDS``
(default 2 s, ``0`` turns the cache off) under the SHA-256 digest of the token or session key
— never the key itself, never longer than the token or session itself lives.

Invalidation is immediate in the process that makes the change: log-out drops the session's
entry, and a password change or deactivation (``sessions.end_all``) drops every entry of the
user, once at once and again after the transaction commits (so a request that read the old
rows before the commit cannot put a stale entry back). Other worker processes notice within
the cache's lifetime, at most ``CTIP_ACTOR_CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING = "ctip_actor_cache_invalidate"  # Session.info: user ids and digests to drop


@dataclass(frozen=True)
class Entry:
    user_id: int
    username: str
    role: str
    province: str | None
    organisation_id: int | None
    display_name: str
    language: str
    until: float  # monotonic deadline
    expires_at: datetime  # the token's or session's own expiry


_lock = threading.Lock()
_entries: dict[str, Entry] = {}


def get(digest: str, now: datetime) -> Entry | None:
    entry = _entries.get(digest)
    if entry is None:
        return None
    if entry.until <= time.monotonic() or entry.expires_at <= now:
        with _lock:
            _entries.pop(digest, None)
        return None
    return entry


def put(digest: str, entry: Entry) -> None:
    with _lock:
        if len(_entries) > 10_000:  # bounded: drop the expired, then everything if need be
            moment = time.monotonic()
            for key in [k for k, v in _entries.items() if v.until <= moment]:
                del _entries[key]
            if len(_entries) > 10_000:
                _entries.clear()
        _entries[digest] = entry


def forget(digest: str, session: Session | None = None) -> None:
    """Drop one token's or session's entry (log-out) now, and again when ``session``
    commits."""
    with _lock:
        _entries.pop(digest, None)
    if session is not None:
        session.info.setdefault(PENDING, set()).add(digest)


def forget_user(user_id: int, session: Session | None = None) -> None:
    """Drop every entry of a user now, and again when ``session`` commits."""
    with _lock:
        for key in [k for k, v in _entries.items() if v.user_id == user_id]:
            del _entries[key]
    if session is not None:
        session.info.setdefault(PENDING, set()).add(user_id)


def clear() -> None:
    with _lock:
        _entries.clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for item in session.info.pop(PENDING, ()):
        if isinstance(item, int):
            forget_user(item)
        else:
            forget(item)

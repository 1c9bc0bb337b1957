"""A rate limit every worker process shares: fixed one-minute windows counted in the
database (``rate_limit_buckets``), keyed by a keyed digest of the client address (the
address itself is never stored). On SQLite the counting transaction takes the write lock at
BEGIN; on PostgreSQL the bucket row is locked, so two processes never both see room for one
more. A fixed window lets at most twice the limit through across a window boundary.
"""

from __future__ import annotations

import time

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ctip.auth.models import RateLimitBucket
from ctip.security import keyring


class SharedRateLimiter:
    """At most ``limit`` events per ``window`` seconds per key, across processes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        limit: int,
        window: int = 60,
        purpose: str = "offer-check",
    ) -> None:
        self.sessions, self.limit, self.window, self.purpose = sessions, limit, window, purpose

    def _bucket(self, key: str) -> str:
        return f"{self.purpose}:{keyring().blind_index('rate-limit', key)}"

    def allow(self, key: str, now: float | None = None, session: Session | None = None) -> bool:
        """Count one event for ``key``; False when the window is already full. Inside a
        request that already holds a write transaction pass its ``session`` (on SQLite a
        second writer would wait for the first)."""
        now = time.time() if now is None else now
        start = int(now // self.window) * self.window
        if session is not None:
            with session.begin_nested():
                return self._count(session, self._bucket(key), start)
        for _attempt in range(3):
            try:
                with self.sessions() as own, own.begin():
                    return self._count(own, self._bucket(key), start)
            except IntegrityError:  # another process created the bucket meanwhile
                continue
        return False

    def _count(self, session: Session, bucket: str, start: int) -> bool:
        row = session.get(RateLimitBucket, bucket, with_for_update=True)
        if row is None:
            session.add(RateLimitBucket(key=bucket, window_start=start, count=1))
            session.flush()
            if start % (self.window * 10) == 0:  # now and then, forget idle buckets
                session.execute(delete(RateLimitBucket).where(RateLimitBucket.window_start < start))
            return True
        if row.window_start != start:
            row.window_start, row.count = start, 1
            return True
        if row.count >= self.limit:
            return False
        row.count += 1
        return True

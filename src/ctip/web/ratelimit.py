"""A rate limit every worker process shares: fixed one-minute windows counted in the
database (``rate_limit_buckets``), keyed by a keyed digest of the client address (the
address itself is never stored). On SQLite the counting transaction takes the write lock at
BEGIN; on PostgreSQL the bucket row is locked, so two processes never both see room for one
more. A fixed window lets at most twice the limit through across a window boundary.

A busy key does not cost one database write per event: a process takes a *lease* of
several events at once (1, then 2, 4 … up to ``lease_max``, an eighth of the limit by
default) and spends it locally, and once the database has said the window is full it
refuses that key locally until the window ends. Every leased event is counted in the
database before it is spent, so all processes together still admit at most ``limit``
events per window; a lease a process does not spend (the client moved on to another
worker, or stopped) only makes the limit stricter, by at most ``lease_max - 1`` events
per process and key.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ctip.auth.models import RateLimitBucket
from ctip.security import keyring


@dataclass
class _Lease:
    """Events of one window this process has counted in the database but not spent yet."""

    start: int
    left: int = 0
    size: int = 0  # events taken by the last reservation (the next one takes twice as many)
    full: bool = False  # the database had no room left in this window


class SharedRateLimiter:
    """At most ``limit`` events per ``window`` seconds per key, across processes."""

    # Keys whose leases this process keeps at most; a forgotten lease's unspent events are
    # lost (stricter) and a forgotten full window is asked of the database again.
    lease_keys = 10_000

    def __init__(
        self,
        sessions: sessionmaker[Session],
        limit: int,
        window: int = 60,
        purpose: str = "offer-check",
        lease_max: int | None = None,
    ) -> None:
        self.sessions, self.limit, self.window, self.purpose = sessions, limit, window, purpose
        self.lease_max = max(1, limit // 8) if lease_max is None else max(1, lease_max)
        self._leases: dict[str, _Lease] = {}
        self._lock = threading.Lock()

    def _bucket(self, key: str) -> str:
        return f"{self.purpose}:{keyring().blind_index('rate-limit', key)}"

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for ``key``; False when the window is already full (or the event
        could not be counted). Counted in a transaction of its own: call it before the
        request's own write transaction begins (on SQLite a second writer would wait)."""
        now = time.time() if now is None else now
        start = int(now // self.window) * self.window
        bucket = self._bucket(key)
        with self._lock:
            answer = self._spend(bucket, start)
            if answer is not None:
                return answer
            lease = self._leases.get(bucket)
            want = 1 if lease is None or lease.start != start else lease.size * 2
            want = min(self.lease_max, max(1, want))
        granted = self._reserve(bucket, start, want)
        if granted is None:  # not counted: refuse this event, but the window is not full
            return False
        with self._lock:
            lease = self._leases.get(bucket)
            if lease is None or lease.start != start:
                if len(self._leases) >= self.lease_keys:  # forget other windows' leases,
                    self._leases = {b: v for b, v in self._leases.items() if v.start == start}
                    if len(self._leases) >= self.lease_keys // 2:  # and this one's if many
                        self._leases = {}  # (the database still counts: only stricter)
                lease = self._leases[bucket] = _Lease(start)
            if granted == 0:
                lease.full = True
                return False
            lease.left += granted - 1
            lease.size = granted
            return True

    def allow_locally(self, key: str, now: float | None = None) -> bool | None:
        """:meth:`allow` when this process can answer without the database (an unspent
        lease, or the window known full); None when only the database can."""
        now = time.time() if now is None else now
        start = int(now // self.window) * self.window
        with self._lock:
            return self._spend(self._bucket(key), start)

    def _spend(self, bucket: str, start: int) -> bool | None:
        lease = self._leases.get(bucket)
        if lease is None or lease.start != start:
            return None
        if lease.left > 0:
            lease.left -= 1
            return True
        return False if lease.full else None

    def _reserve(self, bucket: str, start: int, want: int) -> int | None:
        """Events counted for this process (0: the window is full); None when three tries
        to create the bucket all met another process's concurrent creation or removal."""
        for _attempt in range(3):
            try:
                with self.sessions() as own, own.begin():
                    return self._take(own, bucket, start, want)
            except IntegrityError:  # another process created the bucket meanwhile
                continue
        return None

    def _take(self, session: Session, bucket: str, start: int, want: int) -> int:
        """Count up to ``want`` events in the window starting at ``start``; how many fit."""
        row = session.get(RateLimitBucket, bucket, with_for_update=True)
        if row is None:
            granted = min(want, self.limit)
            session.add(RateLimitBucket(key=bucket, window_start=start, count=granted))
            session.flush()
            if start % (self.window * 10) == 0:  # now and then, forget idle buckets
                session.execute(delete(RateLimitBucket).where(RateLimitBucket.window_start < start))
            return granted
        # A request that read the clock before waiting for the row, while another process
        # moved the bucket on to the next window, counts in that newer window: setting the
        # count back to the older one would let the newer window admit more than the limit.
        start = max(start, row.window_start)
        if row.window_start != start:
            granted = min(want, self.limit)
            row.window_start, row.count = start, granted
            return granted
        granted = max(0, min(want, self.limit - row.count))
        row.count += granted
        return granted

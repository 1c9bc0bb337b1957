"""Outsider test: a request whose window began before another process moved the bucket on
(its ``now`` read before it waited for the database's write lock, across a window
boundary) must not set the shared count back, or the newer window admits more than the
limit across processes."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from ctip.web.ratelimit import SharedRateLimiter


def test_a_late_request_from_the_previous_window_does_not_reset_the_count(
    sessions: sessionmaker,  # type: ignore[type-arg]
) -> None:
    # three processes (separate limiters, so no lease is shared), limit 4 per minute
    first, late, third = (SharedRateLimiter(sessions, 4, lease_max=1) for _ in range(3))
    assert [first.allow("a", now=125.0) for _ in range(5)] == [True] * 4 + [False]
    late.allow("a", now=119.9)  # read the clock in the window before, reached the row now
    admitted = sum(third.allow("a", now=126.0) for _ in range(4))
    assert admitted == 0, f"{admitted} more than the limit admitted in the window at 120"

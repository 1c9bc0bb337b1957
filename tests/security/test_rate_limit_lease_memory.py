"""Outsider test: the shared rate limiter's per-address leases stay bounded in memory when
many addresses (an IPv6 prefix holds any number) arrive within one window, and forgetting
a lease never admits more than the limit."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from ctip.web.ratelimit import SharedRateLimiter


def test_leases_of_many_addresses_in_one_window_stay_bounded(
    sessions: sessionmaker,  # type: ignore[type-arg]
) -> None:
    limiter = SharedRateLimiter(sessions, 3, lease_max=2)
    limiter.lease_keys = 20
    assert [limiter.allow("first", now=60.0) for _ in range(4)] == [True] * 3 + [False]
    for n in range(100):
        assert limiter.allow(f"2001:db8::{n:x}", now=61.0)
        assert len(limiter._leases) <= limiter.lease_keys + 1
    # the first address's lease may be forgotten; the database still says its window is full
    assert limiter.allow("first", now=62.0) is False

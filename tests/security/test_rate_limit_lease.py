"""The shared rate limit's leases: a busy key costs few database writes (that all processes
together still admit at most the limit is tested in test_rate_limit.py)."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import sessionmaker

from ctip.auth.models import RateLimitBucket
from ctip.web.ratelimit import SharedRateLimiter


def test_a_busy_key_costs_few_writes_and_stops_at_the_limit(sessions: sessionmaker):  # type: ignore[type-arg]
    limiter = SharedRateLimiter(sessions, 100, lease_max=16)
    transactions = []

    def count(*_args: object) -> None:
        transactions.append(1)

    bind = sessions.kw["bind"]  # the test's connection: each transaction is a savepoint
    event.listen(bind, "savepoint", count)
    try:
        answers = [limiter.allow("a", now=60.0) for _ in range(130)]
    finally:
        event.remove(bind, "savepoint", count)
    assert answers == [True] * 100 + [False] * 30
    with sessions() as session:
        row = session.scalars(select(RateLimitBucket)).one()
    assert row.count == 100
    # leases of 1, 2, 4, 8, 16, 16, 16, 16, 16, then the last 5, and one look that finds
    # the window full
    assert len(transactions) == 11


def test_a_lease_belongs_to_its_window(sessions: sessionmaker):  # type: ignore[type-arg]
    limiter = SharedRateLimiter(sessions, 3, lease_max=3)
    assert [limiter.allow("a", now=60.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow_locally("a", now=61.0) is False  # known full, no database
    assert limiter.allow_locally("a", now=120.0) is None  # a new window asks the database
    assert [limiter.allow("a", now=120.0) for _ in range(4)] == [True, True, True, False]


def test_a_lease_spent_elsewhere_counts_in_the_database(sessions: sessionmaker):  # type: ignore[type-arg]
    one, two = SharedRateLimiter(sessions, 10, lease_max=4), SharedRateLimiter(sessions, 10)
    # one: leases of 1, 2 (one left, spent) and 4 (three left): 7 counted, 4 admitted
    assert sum(one.allow("a", now=60.0) for _ in range(4)) == 4
    assert sum(two.allow("a", now=60.0) for _ in range(20)) == 3  # what the database has left
    assert [one.allow("a", now=60.0) for _ in range(4)] == [True, True, True, False]

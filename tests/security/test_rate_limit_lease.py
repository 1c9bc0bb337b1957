"""The shared rate limit's leases: a busy key costs few database writes, and all
processes together still admit at most the limit."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import event, select
from sqlalchemy.orm import sessionmaker

from ctip.auth.models import RateLimitBucket
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.web.ratelimit import SharedRateLimiter

LIMIT = 40


def _checks(url: str, tries: int, results) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    limiter = SharedRateLimiter(session_factory(engine, writer=True), LIMIT, lease_max=8)
    allowed = sum(limiter.allow("203.0.113.7", now=1_000_000.0) for _ in range(tries))
    results.put(allowed)
    engine.dispose()


def test_leases_never_let_processes_exceed_the_limit(tmp_path):
    url = f"sqlite:///{tmp_path / 'lease.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_checks, args=(url, 3 * LIMIT, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(w.exitcode for w in workers) == [0, 0, 0]
    admitted = sum(results.get(timeout=5) for _ in workers)
    # every leased event was counted first; each process spends its whole lease here
    assert admitted == LIMIT


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
    # leases of 1, 2, 4, 8, 16, 16, 16, 16, 16, then the last 5 and one look that finds the window full
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

"""The public offer checker's rate limit holds across worker processes."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy.orm import sessionmaker

from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.web.ratelimit import SharedRateLimiter


def _checks(url: str, limit: int, lease_max: int, tries: int, results) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    limiter = SharedRateLimiter(session_factory(engine, writer=True), limit, lease_max=lease_max)
    allowed = sum(limiter.allow("203.0.113.5", now=1_000_000.0) for _ in range(tries))
    results.put(allowed)
    engine.dispose()


@pytest.mark.parametrize(
    ("processes", "limit", "lease_max", "tries"),
    [
        (2, 12, 1, 12),  # no leases: each check counted in the database alone
        (3, 40, 8, 120),  # leases: every leased check was counted first
    ],
)
def test_processes_share_one_limit(tmp_path, processes, limit, lease_max, tries):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'limit.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    args = (url, limit, lease_max, tries, results)
    workers = [context.Process(target=_checks, args=args) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(w.exitcode for w in workers) == [0] * processes
    # all processes together admit the limit, not processes x limit
    assert sum(results.get(timeout=5) for _ in workers) == limit


def test_the_window_resets_and_keys_are_separate(sessions: sessionmaker):  # type: ignore[type-arg]
    limiter = SharedRateLimiter(sessions, 2, window=60)
    assert [limiter.allow("a", now=60.0) for _ in range(3)] == [True, True, False]
    assert limiter.allow("b", now=61.0)
    assert limiter.allow("a", now=120.0)


def test_addresses_are_not_stored(sessions):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from ctip.auth.models import RateLimitBucket

    SharedRateLimiter(sessions, 5).allow("198.51.100.23", now=60.0)
    with sessions() as session:
        keys = session.scalars(select(RateLimitBucket.key)).all()
    assert keys and not any("198.51" in k for k in keys)


def test_an_event_the_database_could_not_count_is_refused_without_closing_the_window(
    sessions: sessionmaker,  # type: ignore[type-arg]
):
    """Three failed creations of a key's bucket refuse that one event; they do not mark the
    window full, so the key's next event is asked of the database again."""
    from sqlalchemy import text

    refuse = (
        "CREATE TRIGGER refuse_buckets BEFORE INSERT ON rate_limit_buckets "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with sessions() as session, session.begin():
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("the refusing trigger is written for SQLite")
        session.execute(text(refuse))
    limiter = SharedRateLimiter(sessions, 5, window=60)
    assert limiter.allow("192.0.2.7", now=60.0) is False
    with sessions() as session, session.begin():
        session.execute(text("DROP TRIGGER refuse_buckets"))
    assert limiter.allow("192.0.2.7", now=61.0) is True

"""Each write is one transaction: a failure rolls back everything, nested savepoints included,
on SQLite as on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.orgs.models import Organisation


@pytest.fixture
def file_sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tx.sqlite3'}")
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def _count(factory) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Organisation)) or 0)


def test_released_savepoint_is_undone_when_the_transaction_fails(file_sessions):
    with pytest.raises(RuntimeError), file_sessions() as session, session.begin():
        with session.begin_nested():
            session.add(Organisation(name="Inner", org_type="NGO"))
        raise RuntimeError("a later step failed")
    assert _count(file_sessions) == 0


def test_rolled_back_savepoint_keeps_the_rest(file_sessions):
    with file_sessions() as session, session.begin():
        session.add(Organisation(name="Outer", org_type="NGO"))
        with pytest.raises(RuntimeError), session.begin_nested():
            session.add(Organisation(name="Inner", org_type="NGO"))
            session.flush()
            raise RuntimeError("inner step failed")
    assert _count(file_sessions) == 1


def test_a_committed_write_inside_a_test(sessions):
    """Writes through the app's sessions commit only to a savepoint of the test's transaction."""
    with sessions() as session, session.begin():
        session.add(Organisation(name="Written by an earlier test", org_type="NGO"))
    with sessions() as other:  # committed: another session of the test sees it
        found = other.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.name == "Written by an earlier test")
        )
    assert found == 1


def test_b_the_earlier_tests_write_is_gone(db):
    """Runs after the test above (file order): its write was rolled back with the test."""
    assert (
        db.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.name == "Written by an earlier test")
        )
        == 0
    )

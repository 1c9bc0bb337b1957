"""Row tallies (``ctip.db.tallies``): the triggers keep each tallied table's row count in the
writing transaction, through inserts, deletes, cascades and (PostgreSQL) TRUNCATE; folding
them changes no sum; concurrent writers do not wait on each other; and a refresh of the
analytic copy counts no registry table (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.config import Settings
from ctip.db import tallies
from ctip.db.base import Base
from ctip.db.dialect import BUSY_TIMEOUT_MS, dialect_for
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from ctip.demo.loader import load
from ctip.orgs.models import Location
from ctip.stats import analytic
from tests.cli_database import cli_database_fixture  # noqa: F401


def _counted(db: Session) -> dict[str, int]:
    return {
        table: int(db.scalar(select(func.count()).select_from(Base.metadata.tables[table])) or 0)
        for table in tallies.TALLIED
    }


def test_every_copied_table_has_a_tally(db):
    assert {spec.table for spec in analytic.TABLES} == set(tallies.TALLIED)
    counts, _ = tallies.read(db)
    assert set(counts) == set(tallies.TALLIED)


def test_tallies_follow_inserts_deletes_and_cascades(db, make_case):
    before = tallies.read(db)[0]
    assert before == _counted(db)
    kept = make_case("KH-1", victims=(("Feminine", "TH", 30), ("Masculine", "KH", 40)))
    gone = make_case("KH-2", statuses=(("investigating", kept.opened_on),))
    db.add_all(Location(country="KH", province=f"KH-{n}", place_name=f"tally {n}") for n in (1, 2))
    db.flush()
    grown = tallies.read(db)[0]
    assert grown == _counted(db)
    assert grown["cases"] == before["cases"] + 2
    assert grown["case_persons"] > before["case_persons"]
    # A case deleted with its participants and events removed by the foreign keys' cascade.
    db.execute(delete(Case).where(Case.id == gone.id))
    db.execute(delete(Location).where(Location.place_name == "tally 2"))
    db.flush()
    left = tallies.read(db)[0]
    assert left == _counted(db)
    assert left["cases"] == before["cases"] + 1
    assert left["locations"] == before["locations"] + 1


def test_a_statement_touching_no_row_adds_no_tally_row(db):
    rows_before = tallies.read(db)[1]
    db.execute(delete(CaseEvent).where(CaseEvent.id == -1))
    db.flush()
    assert tallies.read(db)[1] == rows_before


def _postgres(db: Session) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's statement triggers")


def test_folding_keeps_every_sum_and_leaves_one_row_a_table(db, make_case):
    _postgres(db)
    make_case("KH-3")
    db.commit()  # a savepoint here: the test's transaction is still open
    counts, rows = tallies.read(db)
    assert rows > len(counts)
    # Fold what another transaction sees; the rows this one added stay beside the sum.
    assert tallies.compact(db)
    assert tallies.read(db)[0] == counts == _counted(db)


def test_truncate_resets_the_tallies_of_every_table_it_empties(db, make_case):
    _postgres(db)
    make_case("KH-4", victims=(("Feminine", "TH", 30),))
    db.execute(text("TRUNCATE cases CASCADE"))  # and participants, events, referrals, ...
    counts = tallies.read(db)[0]
    assert counts["cases"] == counts["case_persons"] == counts["case_events"] == 0
    assert counts == _counted(db)


def test_concurrent_writers_do_not_wait_on_a_shared_tally(engine):
    """One transaction holds an insert open; another inserts into the same table and
    commits at once (a shared counter row would make it wait)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as first, other.connect() as second:
            first.begin()
            first.execute(Location.__table__.insert().values(country="KH", place_name="held"))
            second.begin()
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            second.execute(Location.__table__.insert().values(country="KH", place_name="passes"))
            second.commit()
            first.rollback()
        with Session(engine) as session:
            assert tallies.read(session)[0] == _counted(session)
            session.execute(delete(Location).where(Location.place_name == "passes"))
            session.commit()
    finally:
        other.dispose()


def test_a_fold_across_a_truncate_leaves_the_emptied_table_at_zero(engine):
    """A fold (``compact``) open while a TRUNCATE runs, committed before the TRUNCATE ends:
    the TRUNCATE neither waits for the fold nor loses to it (in 0015 its trigger deleted the
    tally rows the fold had replaced, waited, and left the old count of an emptied table)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's statement triggers")
    with engine.begin() as setup:
        for n in (1, 2):  # two statements: two tally rows to fold
            setup.execute(Location.__table__.insert().values(country="KH", place_name=f"fold {n}"))
    folding, emptying = engine.connect(), engine.connect()
    try:
        folding.begin()
        for statement in dialect_for("postgresql").compact_tallies_sql():
            folding.exec_driver_sql(statement)
        emptying.begin()
        emptying.execute(text("SET LOCAL lock_timeout = '3s'"))  # 0015's trigger waited here
        emptying.execute(text("TRUNCATE locations CASCADE"))
        folding.commit()
        counts = tallies.read(emptying)[0]
        assert counts["locations"] == 0
        with Session(bind=emptying) as seen:
            assert counts == _counted(seen)
    finally:
        emptying.rollback()
        emptying.close()
        folding.close()
    with Session(engine) as session:
        assert tallies.read(session)[0] == _counted(session)
        session.execute(delete(Location).where(Location.place_name.like("fold %")))
        session.commit()


def test_a_table_whose_triggers_are_gone_is_counted_not_trusted(db, make_case, stats_settings):
    """A tally without its triggers (an old backup restored, a trigger disabled) is left out
    of ``read``, and the refresh counts that table instead."""
    make_case("KH-5")
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("DROP TRIGGER row_tally_cases_insert"))
    else:
        db.execute(text("ALTER TABLE cases DISABLE TRIGGER row_tally_added"))
    assert "cases" not in tallies.live_tables(db)
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        make_case("KH-6")  # not in the (stale) tally of cases
        assert "cases" not in tallies.read(db)[0]
        step = analytic.refresh(conn, session=db, settings=stats_settings)
        assert not step.rebuilt
        copied = conn.execute("SELECT count(*) FROM cases").fetchone()
    assert copied == (_counted(db)["cases"],)


def test_every_tallied_table_has_live_triggers_after_upgrade(engine):
    with Session(engine) as session:
        assert tallies.live_tables(session) == set(tallies.TALLIED)


def test_a_full_build_rewrites_a_wrong_tally(cli_database, tmp_path):
    """``verify`` (run at each full build) finds a tally that drifted from its table's count
    and rewrites it; right tallies are left alone."""
    engine = make_engine(cli_database)
    try:
        with engine.begin() as connection:
            connection.execute(Location.__table__.insert().values(country="KH", place_name="a"))
            connection.execute(  # five rows too many, as a drifted tally would say
                text("INSERT INTO row_tallies (table_name, rows) VALUES ('locations', 5)")
            )
        with Session(engine) as session:
            assert tallies.read(session)[0]["locations"] == _counted(session)["locations"] + 5
        settings = Settings(env="test", data_dir=tmp_path, database_url=cli_database)
        with Session(engine) as session, analytic.open_copy(settings) as conn:
            step = analytic.refresh(conn, session=session, settings=settings)
            assert step.rebuilt
            assert tallies.read(session)[0] == _counted(session)
            assert tallies.verify(engine) == {}
    finally:
        engine.dispose()


def test_a_refresh_counts_no_registry_table(db, make_case, stats_settings):
    make_case("KH-1")
    make_case("KH-2", victims=(("Feminine", "VN", 22),))
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    bind = db.connection()
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        make_case("KH-3")
        gone = make_case("KH-4")
        db.execute(delete(CasePerson).where(CasePerson.case_id == gone.id))
        db.execute(delete(Case).where(Case.id == gone.id))
        db.flush()
        event.listen(bind, "before_cursor_execute", note)
        try:
            step = analytic.refresh(conn, session=db, settings=stats_settings)
        finally:
            event.remove(bind, "before_cursor_execute", note)
        assert not step.rebuilt
        copied = conn.execute("SELECT count(*) FROM cases").fetchone()
    counting = [
        s
        for s in seen
        if re.search(r"count\(\*\)", s, re.IGNORECASE)
        and "row_tallies" not in s
        and not re.search(r"sqlite_master|pg_trigger", s)  # which triggers are in place
    ]
    assert counting == []
    assert any("row_tallies" in s for s in seen)
    assert copied == (_counted(db)["cases"],)


def test_a_demo_load_leaves_tallies_equal_to_the_counts(cli_database, tmp_path):
    """The bulk writers (SQLite's ``executemany`` with the triggers dropped per batch,
    PostgreSQL's ``COPY`` with its statement triggers) leave every tally right; PostgreSQL
    is vacuumed and analysed after the load."""
    engine = make_engine(cli_database)
    try:
        settings = Settings(env="test", data_dir=tmp_path, database_url=cli_database)
        load(engine, cases=40, seed=5, settings=settings, batch=15)
        with Session(engine) as session:
            counts = tallies.read(session)[0]
            assert counts == _counted(session)
            assert counts["cases"] == 40 and counts["case_events"] > 40
            if engine.dialect.name == "postgresql":  # vacuumed, so counts are index-only
                vacuumed = session.scalar(
                    text(
                        "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                        "FROM pg_stat_user_tables "
                        "WHERE relname = 'cases' AND schemaname = current_schema()"
                    )
                )
                assert vacuumed
    finally:
        engine.dispose()


def test_a_trigger_firing_only_on_replicas_is_not_trusted(db):
    _postgres(db)
    db.execute(text("ALTER TABLE referrals ENABLE REPLICA TRIGGER row_tally_removed"))
    assert "referrals" not in tallies.live_tables(db)
    assert "cases" in tallies.live_tables(db)


def _engine_on(url: str, dialect: str, why: str) -> Any:
    """An engine for ``url`` when it is ``dialect``'s, else the test is skipped for ``why``."""
    engine = make_engine(url)
    if engine.dialect.name != dialect:
        engine.dispose()
        pytest.skip(why)
    return engine


def test_a_recount_does_not_lose_to_a_fold_committed_meanwhile(cli_database):
    """``verify`` rewrites a wrong tally while a fold of the tallies is open and commits
    before it: it appends the difference, so the fold's new sum row cannot hide from it."""
    engine = _engine_on(cli_database, "postgresql", "PostgreSQL folds its tally rows")
    try:
        with engine.begin() as connection:
            connection.execute(Location.__table__.insert().values(country="KH", place_name="a"))
            connection.execute(  # a drifted tally, in two rows
                text("INSERT INTO row_tallies (table_name, rows) VALUES ('locations', 5)")
            )
        with engine.connect() as folding:
            folding.begin()
            for statement in dialect_for("postgresql").compact_tallies_sql():
                folding.exec_driver_sql(statement)
            assert tallies.verify(engine) == {"locations": (6, 1)}
            folding.commit()
        with Session(engine) as session:
            assert tallies.read(session)[0] == _counted(session)
    finally:
        engine.dispose()


def test_a_recount_gives_up_soon_when_the_write_lock_is_held(cli_database):
    """On SQLite a caller may hold the one write lock itself (a writer session refreshing
    the copy): the recount waits two seconds for it, not the usual ten, fails, and leaves
    the connection's usual busy timeout in place."""
    engine = _engine_on(cli_database, "sqlite", "SQLite's single write lock")
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE row_tallies SET rows = rows + 5 WHERE table_name = 'locations'")
            )
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as holder:
            holder.begin()
            with pytest.raises(OperationalError, match="locked"):
                tallies.verify(engine)
            holder.rollback()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert tallies.verify(engine) == {"locations": (5, 0)}
        with Session(engine) as session:
            assert tallies.read(session)[0] == _counted(session)
    finally:
        engine.dispose()


def test_tallies_are_read_in_a_schema_whose_name_needs_quoting(tmp_path):
    if not os.environ.get("CTIP_TEST_POSTGRES_URL"):
        pytest.skip("PostgreSQL not configured")
    base = os.environ["CTIP_TEST_POSTGRES_URL"]
    admin = make_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text('CREATE SCHEMA "TallyMixed"'))
    joiner = "&" if "?" in base else "?"
    engine = make_engine(f"{base}{joiner}options=-csearch_path%3D%22TallyMixed%22")
    try:
        upgrade(engine)
        with Session(engine) as session:
            assert tallies.live_tables(session) == set(tallies.TALLIED)
            assert tallies.read(session)[0] == _counted(session)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text('DROP SCHEMA "TallyMixed" CASCADE'))
        admin.dispose()

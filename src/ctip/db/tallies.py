"""Row tallies: the row count of each table the analytic copy reads, kept by the database.

Why: the copy's refresh compares each table's row count with its own, to see rows deleted
(a retention purge) or committed late; counting 20 million rows at 1,000,000 cases took
1.8–17.6 s on every refresh. What: ``row_tallies`` (migration ``0015_row_tallies``) holds,
per table, rows whose sum is the table's row count, written by triggers in the transaction
that inserts or deletes, so a reader's snapshot sees the count of the rows it sees. How:
on SQLite one row per table, updated by row triggers (SQLite has one writer at a time); on
PostgreSQL one row per statement, appended by statement triggers so that concurrent writers
never wait on a shared counter, folded by :func:`compact`. TRUNCATE (PostgreSQL) appends
minus the table's tally (migration ``0016``); SQLite has none, and its ``DELETE`` fires the
triggers.

Trusted only where kept: :func:`read` leaves out a table whose triggers are missing or
disabled (a restored backup from before the tallies, ``ALTER TABLE ... DISABLE TRIGGER``, a
table rebuilt by a migration), so its caller counts that table; :func:`verify`, run at each
full build of the analytic copy, compares every tally with a count in one snapshot and
rewrites a wrong one.

The demo loader's SQLite writer drops the triggers while a batch's rows go in and adds the
batch's rows to the tallies before it commits (``ctip.demo.writer``).
"""

from __future__ import annotations

import logging

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    table,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ctip.db.dialect import dialect_for

log = logging.getLogger(__name__)

# The tables with tallies (as in migration 0015_row_tallies).
TALLIED = (
    "cases",
    "case_persons",
    "persons",
    "case_events",
    "locations",
    "referrals",
    "screenings",
    "non_punishment_flags",
)

row_tallies = Table(
    "row_tallies",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("table_name", String(40), nullable=False),
    Column("rows", BigInteger, nullable=False),
)


def read(session: Session | Connection) -> tuple[dict[str, int], int]:
    """Each tallied table's row count, as the caller's transaction sees the table, and the
    number of tally rows read (more than one a table: worth :func:`compact`). A table whose
    triggers are not all in place is left out: its tally is not kept, so count it."""
    live = live_tables(session)
    if not live:
        return {}, 0
    query = (
        select(row_tallies.c.table_name, func.sum(row_tallies.c.rows), func.count())
        .where(row_tallies.c.table_name.in_(sorted(live)))
        .group_by(row_tallies.c.table_name)
    )
    rows = session.execute(query).all()
    return {name: int(total) for name, total, _ in rows}, sum(int(n) for *_, n in rows)


def live_tables(session: Session | Connection) -> set[str]:
    """The tallied tables whose tally triggers are all in place and enabled."""
    bind = session.get_bind() if isinstance(session, Session) else session
    sql = dialect_for(bind.dialect.name).live_tallies_sql()
    if sql is None:
        return set()
    return {name for (name,) in session.execute(text(sql))} & set(TALLIED)


def engine_of(session: Session) -> Engine:
    """The engine behind ``session``, for work in transactions of its own (a session bound
    to a connection, as in tests, gives that connection's engine)."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def verify(engine: Engine) -> dict[str, tuple[int, int]]:
    """Compare every kept tally with a count of its table in one snapshot and rewrite the
    tallies found wrong, each under a lock that keeps the table's writers out while it is
    recounted (``Dialect.recount``: waits two seconds at most, else ``OperationalError``);
    the tables found wrong, with the tally found and the count. Reads every row of
    the tallied tables: for full builds of the analytic copy, which read them all anyway."""
    dialect = dialect_for(engine.dialect.name)
    wrong: dict[str, tuple[int, int]] = {}
    snapshot = engine.connect().execution_options(**dialect.snapshot_options())
    with snapshot as connection, connection.begin():
        counts, _ = read(connection)
        for name, tally in sorted(counts.items()):
            rows = int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
            if rows != tally:
                wrong[name] = (tally, rows)
    for name, (tally, rows) in wrong.items():
        log.warning("row tally of %s was %d, the table holds %d: recounting", name, tally, rows)
        dialect.recount(engine, name)
    return wrong


def compact(session: Session) -> bool:
    """Fold each table's tally rows into one (PostgreSQL appends one a statement), in a
    transaction of its own; the sums are unchanged for every reader. Whether it folded:
    ``False`` when another transaction held the rows too long (the next refresh folds)."""
    engine = engine_of(session)
    statements = dialect_for(engine.dialect.name).compact_tallies_sql()
    if not statements:
        return False
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    except SQLAlchemyError as exc:  # a lock wait given up, a read-only standby, ...
        log.info("row tallies not folded: %s", exc)
        return False
    return True

"""Row tallies: the row count of each table the analytic copy reads, kept by the database.

Why: the copy's refresh compares each table's row count with its own, to see rows deleted
(a retention purge) or committed late; counting 20 million rows at 1,000,000 cases took
1.8–17.6 s on every refresh. What: ``row_tallies`` (migration ``0015_row_tallies``) holds,
per table, rows whose sum is the table's row count, written by triggers in the transaction
that inserts or deletes, so a reader's snapshot sees the count of the rows it sees. How:
on SQLite one row per table, updated by row triggers (SQLite has one writer at a time); on
PostgreSQL one row per statement, appended by statement triggers so that concurrent writers
never wait on a shared counter, folded by :func:`compact`. TRUNCATE (PostgreSQL) resets a
table's tally; SQLite has none, and its ``DELETE`` fires the triggers.

The demo loader's SQLite writer drops the triggers while a batch's rows go in and adds the
batch's rows to the tallies before it commits (``ctip.demo.writer``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ctip.db.dialect import dialect_for

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
    number of tally rows read (more than one a table: worth :func:`compact`)."""
    query = select(row_tallies.c.table_name, func.sum(row_tallies.c.rows), func.count()).group_by(
        row_tallies.c.table_name
    )
    rows = session.execute(query).all()
    return {name: int(total) for name, total, _ in rows}, sum(int(n) for *_, n in rows)


def compact(session: Session) -> bool:
    """Fold each table's tally rows into one (PostgreSQL appends one a statement), in a
    transaction of its own; the sums are unchanged for every reader. Whether it folded:
    ``False`` when another transaction held the rows too long (the next refresh folds)."""
    bind = session.get_bind()
    statements = dialect_for(bind.dialect.name).compact_tallies_sql()
    if not statements:
        return False
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    except OperationalError:
        return False
    return True

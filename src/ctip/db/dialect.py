"""What differs between the engines CTIP runs on: SQLite, PostgreSQL and DuckDB.

One class per engine with a few small hooks; the code that uses them (engine creation and
SQLite's pragmas, the read-audit policy, the case-number upsert, the dashboard's counts, the
statistics engine's analytic copy) is written once.
``dialect_for(name)`` picks the class from SQLAlchemy's dialect name (``sqlite``,
``postgresql``) or ``duckdb``.

DuckDB reads the registry through its ``sqlite`` / ``postgres`` extensions. They normally
download themselves; here they come from the installed wheels ``duckdb-extension-sqlite`` and
``duckdb-extension-postgres`` (one per DuckDB version), copied under their canonical names
into a directory of the data directory and loaded by path, so nothing is fetched.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Engine, Text, cast, event, func
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, make_url

BUSY_TIMEOUT_MS = 10_000  # how long an SQLite writer waits for the write lock


class Dialect:
    """The hooks every engine answers; subclasses override what differs."""

    name: ClassVar[str] = "generic"
    # DuckDB extension (wheel module, file inside it, canonical name) reading this registry.
    extension: ClassVar[tuple[str, str, str] | None] = None

    # -- registry engines (SQLAlchemy) --------------------------------------------------------

    def engine_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """``create_engine`` options for this engine (a server database gets a pool)."""
        if "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", 20)
            kwargs.setdefault("max_overflow", 10)
        kwargs.setdefault("pool_pre_ping", True)
        return kwargs

    def configure(self, engine: Engine) -> None:
        """Connection hooks an engine needs (none by default)."""

    def insert(self, table: Any) -> Any:
        """An INSERT that supports ``on_conflict_do_update`` on this engine."""
        raise NotImplementedError(f"no upsert on {self.name}")

    def defers_read_audit(self) -> bool:
        """Whether a read is audited in its own short write transaction after the read."""
        return False

    def list_contains(self, column: Any, code: str) -> ColumnElement[bool]:
        """SQLAlchemy clause: the JSON list ``column`` (a ``StrList``) holds ``code``."""
        return cast(column, Text).like(f'%"{code}"%')

    def renew_planner_statistics(self, engine: Engine) -> None:
        """After a bulk load: give the query planner the new tables' statistics."""
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")

    def compact_tallies_sql(self) -> list[str]:
        """The statements folding ``row_tallies`` into one row per table (``ctip.db.tallies``),
        none where the triggers keep one row per table already."""
        return []

    def live_tallies_sql(self) -> str | None:
        """A query of the tables whose tally triggers are all in place and enabled (their
        ``row_tallies`` rows can be trusted), ``None`` where the engine keeps no tallies."""
        return None

    def snapshot_options(self) -> dict[str, Any]:
        """Execution options of a connection whose transaction reads one snapshot throughout
        (SQLite's deferred transaction does from its first read)."""
        return {}

    def recount(self, engine: Engine, table: str) -> None:
        """Rewrite ``table``'s tally as its row count (``ctip.db.tallies.verify``; ``table``
        is one of ``TALLIED``, so safe to name in SQL), in a transaction of its own that
        keeps the table's writers out while it counts and waits at most two seconds for them
        (``OperationalError`` when they hold on longer)."""
        raise NotImplementedError(f"no row tallies on {self.name}")

    # -- read by DuckDB ----------------------------------------------------------------------

    def duckdb_list(self, column: str) -> str:
        """DuckDB expression turning the registry's JSON list column into ``VARCHAR[]``."""
        return f"coalesce(from_json(CAST({column} AS VARCHAR), '[\"VARCHAR\"]'), [])"

    def duckdb_attach(self, url: str | URL, alias: str) -> str:
        """The DuckDB statement attaching the registry read-only as ``alias``."""
        raise NotImplementedError(f"DuckDB cannot attach a {self.name} registry")

    def extension_file(self, directory: Path) -> Path:
        """The extension DuckDB needs for this registry, copied (once) into ``directory``
        under its canonical name; raises ``LookupError`` when its wheel is not installed."""
        if self.extension is None:
            raise LookupError(f"no DuckDB extension reads {self.name}")
        module_name, inner, canonical = self.extension
        import duckdb

        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise LookupError(f"{module_name} is not installed") from exc
        source = (
            Path(module.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}" / inner
        )
        if not source.exists():
            raise LookupError(f"{source.name} for DuckDB {duckdb.__version__} is not installed")
        target = directory / canonical
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            directory.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return target


class SQLiteDialect(Dialect):
    name = "sqlite"
    extension = (
        "duckdb_extension_sqlite",
        "sqlite.duckdb_extension",
        "sqlite_scanner.duckdb_extension",
    )

    def defers_read_audit(self) -> bool:
        # Readers never hold SQLite's single write lock: the audit row is written afterwards.
        return True

    def engine_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        return kwargs

    def configure(self, engine: Engine) -> None:
        """The pragmas a multi-user office needs (WAL, foreign keys, a busy timeout), and
        BEGIN emitted by SQLAlchemy (``sqlite_begin`` execution option: ``IMMEDIATE``)."""
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)

    def insert(self, table: Any) -> Any:
        return sqlite_dialect.insert(table)

    def live_tallies_sql(self) -> str | None:
        return (
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name IN "
            "('row_tally_' || tbl_name || '_insert', 'row_tally_' || tbl_name || '_delete') "
            "GROUP BY tbl_name HAVING count(*) = 2"
        )

    def snapshot_options(self) -> dict[str, Any]:
        # DEFERRED even on an engine whose sessions write (``sqlite_begin=IMMEDIATE``): a read
        # must not queue for the write lock its own caller may hold.
        return {"sqlite_begin": "DEFERRED"}

    def recount(self, engine: Engine, table: str) -> None:
        # The database's one write lock, waited for two seconds, not the usual ten: the
        # caller may hold it itself (a writer session refreshing the copy). The triggers
        # update one row per table, so the table keeps exactly one.
        with engine.connect() as connection:
            driver: Any = connection.connection.dbapi_connection
            driver.execute("PRAGMA busy_timeout=2000")
            try:
                with connection.execution_options(sqlite_begin="IMMEDIATE").begin():
                    connection.exec_driver_sql(
                        "DELETE FROM row_tallies WHERE table_name = ?", (table,)
                    )
                    connection.exec_driver_sql(
                        f"INSERT INTO row_tallies (table_name, rows) SELECT ?, count(*) "
                        f"FROM {table}",
                        (table,),
                    )
            finally:
                driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def duckdb_attach(self, url: str | URL, alias: str) -> str:
        path = make_url(url).database or ""
        return f"ATTACH {_quote(path)} AS {alias} (TYPE sqlite, READ_ONLY)"


class PostgreSQLDialect(Dialect):
    name = "postgresql"
    extension = (
        "duckdb_extension_postgres",
        "postgres.duckdb_extension",
        "postgres_scanner.duckdb_extension",
    )

    def insert(self, table: Any) -> Any:
        return postgresql_dialect.insert(table)

    def renew_planner_statistics(self, engine: Engine) -> None:
        # VACUUM as well: it sets the visibility map of the rows COPY wrote, so a count is an
        # index-only scan (the case list's count over 13,472 cases of a province: 10.0 ms
        # before, 1.8 ms after, at 100,000 demo cases with autovacuum off). Outside a
        # transaction, as VACUUM must be.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE)")

    def compact_tallies_sql(self) -> list[str]:
        # One statement: rows a concurrent writer appends meanwhile are not in its snapshot,
        # so they stay; a second compaction waits for the first, then skips the rows it
        # deleted. It gives up rather than wait long on rows another open fold holds.
        return [
            "SET LOCAL lock_timeout = '2s'",
            "WITH gone AS (DELETE FROM row_tallies RETURNING table_name, rows) "
            "INSERT INTO row_tallies (table_name, rows) "
            "SELECT table_name, sum(rows) FROM gone GROUP BY table_name",
        ]

    def live_tallies_sql(self) -> str | None:
        # Triggers that fire in a normal session: enabled ('O') or always ('A'), not disabled
        # ('D') nor only on replicas ('R'); on the tables the session's search path finds.
        return (
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE pg_table_is_visible(c.oid) AND t.tgenabled IN ('O', 'A') "
            "AND t.tgname IN ('row_tally_added', 'row_tally_removed', 'row_tally_emptied') "
            "GROUP BY c.relname HAVING count(*) = 3"
        )

    def snapshot_options(self) -> dict[str, Any]:
        return {"isolation_level": "REPEATABLE READ"}

    def recount(self, engine: Engine, table: str) -> None:
        # SHARE: readers go on; writers of the table wait for the recount's commit. The
        # difference is appended, not the tally rows replaced: a fold committing meanwhile
        # would hide its new sum row from a DELETE (the race migration 0016 closed for
        # TRUNCATE), while a fold never changes a sum.
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            connection.exec_driver_sql(f"LOCK TABLE {table} IN SHARE MODE")
            connection.exec_driver_sql(
                f"INSERT INTO row_tallies (table_name, rows) SELECT '{table}', (SELECT count(*) "
                f"FROM {table}) - (SELECT coalesce(sum(rows), 0) FROM row_tallies "
                f"WHERE table_name = '{table}')",
            )

    def duckdb_attach(self, url: str | URL, alias: str) -> str:
        u = make_url(url)
        parts = {
            "host": u.host,
            "port": u.port,
            "dbname": u.database,
            "user": u.username,
            "password": u.password,
        }
        dsn = " ".join(f"{k}={v}" for k, v in parts.items() if v not in (None, ""))
        return f"ATTACH {_quote(dsn)} AS {alias} (TYPE postgres, READ_ONLY)"


class DuckDBDialect(Dialect):
    name = "duckdb"

    def list_contains(self, column: Any, code: str) -> ColumnElement[bool]:
        return func.list_contains(column, code)

    def duckdb_list(self, column: str) -> str:
        return column


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 module delays BEGIN and mishandles SAVEPOINT; let SQLAlchemy emit BEGIN
    # itself (see _sqlite_begin), so nested transactions and rollbacks behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL, deliberately: WAL is synced at every commit, so an acknowledged write survives a
    # power cut or an OS crash as well as a killed process (NORMAL keeps the file consistent
    # but may lose the last commits on power loss). Cost: one fsync a commit (docs/backup.md).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


_DIALECTS: dict[str, type[Dialect]] = {
    "sqlite": SQLiteDialect,
    "postgresql": PostgreSQLDialect,
    "duckdb": DuckDBDialect,
}


def dialect_for(name: str) -> Dialect:
    """The dialect for SQLAlchemy's dialect name (``engine.dialect.name``) or ``duckdb``."""
    return _DIALECTS.get(name, Dialect)()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

"""Engines and sessions. One function makes an engine for any supported URL; SQLite gets the
pragmas a multi-user office needs (WAL, foreign keys, a busy timeout)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ctip.config import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 module delays BEGIN and mishandles SAVEPOINT; let SQLAlchemy emit BEGIN
    # itself (see _sqlite_begin), so nested transactions and rollbacks behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _private_file(path: str) -> None:
    """Create the SQLite file (and its directory) readable by the owner only, before SQLite
    opens it: SQLite gives the -wal and -shm files the database file's permissions."""
    import os
    from pathlib import Path

    file = Path(path)
    if not file.parent.exists():
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not file.exists():
        with suppress(FileExistsError):
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their directory created and pragmas set."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            _private_file(path.split("?", 1)[0])
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def engine_for(settings: Settings) -> Engine:
    return make_engine(settings.resolved_database_url)


def session_factory(engine: Engine, *, writer: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``. ``writer`` sessions take SQLite's write lock when they begin
    (``BEGIN IMMEDIATE``), so concurrent writers queue on the busy timeout instead of failing
    when a read transaction tries to become a write one."""
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if writer else engine
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


def defers_read_audit(engine: Engine) -> bool:
    """On SQLite, reads are audited in a short write transaction after the read, so readers
    never hold the single write lock (PostgreSQL audits inside the read's transaction)."""
    return engine.dialect.name == "sqlite"


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with factory() as session, session.begin():
        yield session

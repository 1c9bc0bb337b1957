"""Engines and sessions. One function makes an engine for any supported URL; SQLite gets the
pragmas a multi-user office needs (WAL, foreign keys, a busy timeout)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ctip.config import Settings
from ctip.db.dialect import dialect_for


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
    """An engine for ``url``; SQLite files get their directory created and pragmas set (the
    per-engine options and hooks live in ``ctip.db.dialect``)."""
    parsed = make_url(url)
    dialect = dialect_for(parsed.get_backend_name())
    if dialect.name == "sqlite":
        path = parsed.database  # None or "" for an in-memory database ("sqlite://")
        if path and path != ":memory:" and not path.startswith("file:"):
            _private_file(path)
    engine = create_engine(url, **dialect.engine_kwargs(kwargs))
    dialect.configure(engine)
    return engine


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
    return dialect_for(engine.dialect.name).defers_read_audit()


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with factory() as session, session.begin():
        yield session

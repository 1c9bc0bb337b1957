"""Run Alembic migrations from code (``ctip db upgrade``, tests, ``make run``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# The migration from which every stored ciphertext is bound to its table, column and row.
BINDING = "0012_keys"


def crossed(before: str | None, after: str | None, revision: str = BINDING) -> bool:
    """Whether an upgrade took a database that held data at an older revision to ``revision``
    or later (revision names start with their zero-padded number, so they order as text)."""
    return before is not None and after is not None and before < revision <= after

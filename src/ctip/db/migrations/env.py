"""Alembic environment: the engine comes from ``ctip.db.migrate`` or from CTIP settings."""

from __future__ import annotations

from alembic import context

from ctip.config import Settings
from ctip.db import models  # noqa: F401  (registers every table)
from ctip.db.base import Base
from ctip.db.session import make_engine

config = context.config
engine = config.attributes.get("engine") or make_engine(Settings().resolved_database_url)
include_tables: set[str] | None = config.attributes.get("include_tables")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """When regenerating one part's migration, consider only that part's tables."""
    if include_tables is None or type_ != "table":
        return True
    return name in include_tables


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

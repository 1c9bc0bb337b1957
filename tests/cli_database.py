"""A database of its own for a CLI test, on every engine the suite runs (the CLI commits, so
it must not share the rolled-back test database): an SQLite file, or a fresh schema of the
PostgreSQL test database (``search_path`` set in the URL), dropped afterwards.

Use: ``from tests.cli_database import cli_database_fixture  # noqa: F401`` and ask for the
fixture ``cli_database`` (the URL)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from tests.conftest import BACKENDS, BIDX_KEY, ENC_KEY


def _postgres_schema_url(schema: str) -> str:
    base = os.environ["CTIP_TEST_POSTGRES_URL"]
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS, name="cli_database")
def cli_database_fixture(request, tmp_path, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A migrated, empty database for the ``ctip`` command, named in its environment."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    else:
        schema = f"cli_{uuid.uuid4().hex[:12]}"
        admin = make_engine(os.environ["CTIP_TEST_POSTGRES_URL"], poolclass=NullPool)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        url = _postgres_schema_url(schema)
    monkeypatch.setenv("CTIP_DATABASE_URL", url)
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
    engine = make_engine(url, poolclass=NullPool)
    upgrade(engine)
    engine.dispose()
    yield url
    if schema is not None:
        admin = make_engine(os.environ["CTIP_TEST_POSTGRES_URL"], poolclass=NullPool)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

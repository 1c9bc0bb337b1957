"""``ctip backup`` / ``ctip restore``: an exact round trip (every table compared), checked on
both sides (integrity, audit chain), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, make_url, text
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from ctip.backup.service import BackupError, backup, restore
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from ctip.demo.loader import load
from tests.conftest import BIDX_KEY, ENC_KEY

runner = CliRunner()


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            tables[name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


@pytest.fixture
def sqlite_registry(tmp_path, settings, test_keyring) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load(engine, cases=12, seed=9, settings=settings.model_copy(update={"database_url": url}))
    yield engine
    engine.dispose()


def test_sqlite_round_trip_is_exact(sqlite_registry, tmp_path):
    anchor = tmp_path / "audit-anchor.json"
    out = tmp_path / "backups" / "registry.bak"
    done = backup(sqlite_registry, out, anchor=anchor)
    assert done.audit.ok and done.audit.entries > 0
    assert out.exists() and (tmp_path / "backups" / "registry.bak.sha256").exists()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    before = snapshot(sqlite_registry)
    assert before["cases"] and before["audit_seals"]
    with sqlite_registry.begin() as conn:
        conn.execute(text("DELETE FROM case_events"))
        conn.execute(text("UPDATE cases SET title = 'changed'"))
    assert snapshot(sqlite_registry) != before
    restore(sqlite_registry, out, anchor=anchor)
    assert snapshot(sqlite_registry) == before


def test_a_backup_that_does_not_match_its_checksum_is_refused(sqlite_registry, tmp_path):
    out = tmp_path / "registry.bak"
    backup(sqlite_registry, out)
    with out.open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00\x01\x02")
    with pytest.raises(BackupError, match="checksum"):
        restore(sqlite_registry, out)


def test_a_backup_of_a_tampered_trail_fails_its_check(sqlite_registry, tmp_path):
    out = tmp_path / "first.bak"
    backup(sqlite_registry, out)
    path = make_url(sqlite_registry.url).database
    con = sqlite3.connect(str(path))
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET actor_name = 'someone else' WHERE id = 1")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="entry 1 was edited"):
        backup(sqlite_registry, tmp_path / "second.bak")
    restore(sqlite_registry, out)  # the good backup brings the untouched trail back


def test_the_commands_back_up_and_restore(sqlite_registry, tmp_path):
    env = {
        "CTIP_DATABASE_URL": str(sqlite_registry.url),
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }
    out = tmp_path / "cli.bak"
    result = runner.invoke(app, ["backup", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "audit chain verified" in result.output
    result = runner.invoke(app, ["restore", str(out), "--yes"], env=env)
    assert result.exit_code == 0, result.output
    with sqlite_registry.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    # the restore's own entry follows the backup's content; the later backup.create is gone
    assert actions[-1] == "backup.restore" and "backup.create" not in actions
    assert runner.invoke(app, ["audit", "verify"], env=env).exit_code == 0


def test_the_commands_speak_the_default_language(sqlite_registry, tmp_path):
    env = {
        "CTIP_DATABASE_URL": str(sqlite_registry.url),
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_DEFAULT_LANGUAGE": "km",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }
    out = tmp_path / "km.bak"
    result = runner.invoke(app, ["backup", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("បានសរសេរ") and "audit" not in result.output
    out.with_name("km.bak.sha256").write_text("0" * 64 + "  km.bak\n")
    result = runner.invoke(app, ["restore", str(out), "--yes"], env=env)
    assert result.exit_code == 1
    assert "មិនត្រូវនឹងឯកសារ checksum" in result.output and "refusing" not in result.output
    result = runner.invoke(app, ["audit", "verify"], env=env)
    assert result.exit_code == 0, result.output
    assert "បានផ្ទៀងផ្ទាត់កំណត់ត្រាសវនកម្ម" in result.output


@pytest.fixture
def postgres_pair(engine, settings, test_keyring) -> Iterator[tuple[Engine, Engine]]:
    """Two fresh databases on the test server: a registry and an empty one to restore into."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    admin = make_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    names = [f"ctip_bk_{uuid.uuid4().hex[:10]}_{i}" for i in range(2)]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(engine.url.render_as_string(hide_password=False))
    engines = [
        make_engine(url.set(database=n).render_as_string(hide_password=False), poolclass=NullPool)
        for n in names
    ]
    try:
        yield engines[0], engines[1]
    finally:
        for e in engines:
            e.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgresql_round_trip_is_exact(postgres_pair, tmp_path, settings):
    source, target = postgres_pair
    upgrade(source)
    source_url = source.url.render_as_string(hide_password=False)
    load(
        source, cases=12, seed=9, settings=settings.model_copy(update={"database_url": source_url})
    )
    out = tmp_path / "registry.dump"
    done = backup(source, out, anchor=tmp_path / "anchor.json")
    assert done.audit.ok and os.path.getsize(out) > 0
    before = snapshot(source)
    restore(target, out)
    assert snapshot(target) == before
    # the triggers came back with the data
    with target.connect() as conn, pytest.raises(Exception, match="cannot be truncated"):
        conn.execute(text("TRUNCATE audit_log"))

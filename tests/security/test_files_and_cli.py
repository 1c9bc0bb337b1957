"""Database and key files are private to their owner; ``ctip user unlock`` lifts a lock-out;
``ctip serve`` leaves X-Forwarded-For to the app."""

from __future__ import annotations

import base64
import os
import stat

from sqlalchemy import func, select, text
from typer.testing import CliRunner

from ctip.auth import throttle
from ctip.auth.models import LoginFailure
from ctip.cli import app
from ctip.config import Settings
from ctip.db.base import utcnow
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.security import load_keyring
from ctip.web.proxy import UVICORN_OPTIONS
from tests.conftest import BIDX_KEY, ENC_KEY


def _mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_are_owner_only(tmp_path):
    path = tmp_path / "data" / "ctip.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert _mode(path) == 0o600
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and _mode(wal) == 0o600
    engine.dispose()
    assert _mode(path.parent) == 0o700


def test_the_development_key_directory_is_owner_only(tmp_path):
    settings = Settings(env="development", data_dir=tmp_path / "var")
    load_keyring(settings)
    assert _mode(settings.resolved_key_file) == 0o600
    assert _mode(settings.resolved_key_file.parent) == 0o700


def test_ctip_user_unlock(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CTIP_DATABASE_URL", url)
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
    engine = make_engine(url)
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        for _ in range(3):
            throttle.note_failure(session, username="sokha", address="10.1.1.1", now=utcnow())
    runner = CliRunner()
    result = runner.invoke(app, ["user", "unlock", "sokha", "--address", "10.1.1.1"])
    assert result.exit_code == 0, result.output
    assert "6 failed log-ins forgotten" in result.output
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0
        assert (
            session.execute(
                text("SELECT count(*) FROM audit_log WHERE action = 'auth.unlock'")
            ).scalar_one()
            == 1
        )
    engine.dispose()


def test_serve_never_lets_uvicorn_rewrite_the_client_address():
    assert UVICORN_OPTIONS == {"proxy_headers": False, "forwarded_allow_ips": ""}


def test_an_in_memory_database_creates_no_file(tmp_path, monkeypatch):
    """``sqlite://`` is in memory: no stray file named after the URL appears."""
    from ctip.db.session import make_engine

    monkeypatch.chdir(tmp_path)
    make_engine("sqlite://").dispose()
    assert list(tmp_path.iterdir()) == []

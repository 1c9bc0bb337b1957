"""``ctip audit seal`` / ``ctip audit verify`` on a real SQLite file tampered with through
sqlite3 directly, and the admin page under the audit browser."""

from __future__ import annotations

import base64
import sqlite3

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from typer.testing import CliRunner

from ctip.audit.service import maybe_seal, record
from ctip.auth.scope import SYSTEM
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from tests.conftest import BIDX_KEY, ENC_KEY, api_headers, login

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path, test_keyring):
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        for i in range(5):
            record(session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=i)
    engine.dispose()
    return {
        "CTIP_DATABASE_URL": url,
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }


def test_verify_seals_then_names_the_entry_edited_with_sqlite3(cli_env, tmp_path):
    result = runner.invoke(app, ["audit", "verify"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "audit trail verified" in result.output and "5 entries, 5 sealed" in result.output
    assert (tmp_path / "audit-anchor.json").exists()
    con = sqlite3.connect(tmp_path / "audit.sqlite3")
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET entity_id = 99 WHERE id = 3")
    con.commit()
    con.close()
    result = runner.invoke(app, ["audit", "verify"], env=cli_env)
    assert result.exit_code == 1
    assert "TAMPERED: entry 3 was edited" in result.output


def test_emptying_both_tables_fails_verification(cli_env, tmp_path):
    assert runner.invoke(app, ["audit", "seal"], env=cli_env).exit_code == 0
    con = sqlite3.connect(tmp_path / "audit.sqlite3")
    for statement in (
        "DROP TRIGGER audit_log_no_delete",
        "DROP TRIGGER audit_seals_no_delete",
        "DELETE FROM audit_seals",
        "DELETE FROM audit_log",
    ):
        con.execute(statement)
    con.commit()
    con.close()
    result = runner.invoke(app, ["audit", "verify"], env=cli_env)
    assert result.exit_code == 1 and "truncated or rolled back" in result.output


def test_opportunistic_sealing_needs_no_command(cli_env):
    engine = make_engine(cli_env["CTIP_DATABASE_URL"])
    assert maybe_seal(engine) == 5
    assert maybe_seal(engine) == 0
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT sum(entry_count) FROM audit_seals")) == 5
    engine.dispose()


def test_the_admin_page_and_api_report_tampering(client, db, make_user):
    admin, officer = make_user("admin"), make_user("provincial_officer")
    login(client, admin.username)
    page = client.get("/audit/verify")
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").select_one("#verdict")["data-ok"] == "1"
    assert "/audit/verify" in client.get("/audit").text
    entry = record(db, actor=SYSTEM, action="case.read", entity_type="case", entity_id=1)
    db.flush()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER audit_log_no_update"))
    db.execute(text("UPDATE audit_log SET actor_name = 'nobody' WHERE id = :i"), {"i": entry.id})
    page = client.get("/audit/verify")
    assert page.status_code == 409
    soup = BeautifulSoup(page.text, "html.parser")
    assert str(entry.id) in soup.select_one("#verdict").text
    body = client.get("/api/v1/audit/verify", headers=api_headers(client, admin.username)).json()
    assert body["ok"] is False and body["first_bad_entry"] == entry.id
    other = api_headers(client, officer.username)
    assert client.get("/api/v1/audit/verify", headers=other).status_code == 403


def test_a_commit_that_wrote_an_entry_seals_opportunistically(cli_env, monkeypatch):
    from sqlalchemy.orm import Session

    from ctip.audit import service

    monkeypatch.setattr(service, "_next_seal", 0.0)
    engine = make_engine(cli_env["CTIP_DATABASE_URL"])
    with Session(engine) as session, session.begin():
        record(session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=9)
    with engine.connect() as conn:  # the five entries of the fixture and this one
        assert conn.scalar(text("SELECT sum(entry_count) FROM audit_seals")) == 6
    with Session(engine) as session, session.begin():
        record(session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=10)
    with engine.connect() as conn:  # not again within SEAL_EVERY seconds
        assert conn.scalar(text("SELECT sum(entry_count) FROM audit_seals")) == 6
    engine.dispose()


def test_the_seal_interval_is_a_setting(cli_env, monkeypatch):
    from sqlalchemy.orm import Session

    from ctip.audit import service
    from ctip.config import Settings
    from ctip.web.app import create_app

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(service, "SEAL_EVERY", service.SEAL_EVERY)  # restored afterwards
    monkeypatch.setattr(service, "_next_seal", 0.0)
    create_app(Settings(audit_seal_seconds=0)).state.engine.dispose()
    engine = make_engine(cli_env["CTIP_DATABASE_URL"])
    for entity_id, sealed in ((9, 6), (10, 7)):  # every commit seals: 0 s between seals
        with Session(engine) as session, session.begin():
            record(
                session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=entity_id
            )
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT sum(entry_count) FROM audit_seals")) == sealed
    engine.dispose()

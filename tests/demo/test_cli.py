"""``ctip demo`` commands through the CLI runner, on their own SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctip.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("CTIP_ENV", "development")
    for name in ("CTIP_ENCRYPTION_KEY", "CTIP_BLIND_INDEX_KEY", "CTIP_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_load_logins_and_truth(env: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "load", "--cases", "40", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "loaded demo cases 0..39 of seed 3" in first.output
    assert "officer-pp" in first.output and "demo-password" in first.output
    assert "ground truth:" in first.output
    again = runner.invoke(app, ["demo", "load", "--cases", "40", "--seed", "3", "--if-empty"])
    assert "not loaded" in again.output
    logins = runner.invoke(app, ["demo", "logins"])
    assert "http://127.0.0.1:8000/" in logins.output and "caseworker" in logins.output
    lines = runner.invoke(app, ["demo", "truth", "--seed", "3"]).output.splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["record_type"] == "load"
    assert all(r["entity_key"].startswith("3-") for r in records[1:])


def test_production_refuses(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTIP_ENV", "production")
    result = CliRunner().invoke(app, ["demo", "load", "--cases", "5"])
    assert result.exit_code == 1
    assert "refused in production" in result.output


def test_truth_before_any_load(env: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "truth"])
    assert result.exit_code == 1

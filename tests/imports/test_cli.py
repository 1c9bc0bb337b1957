"""``ctip import`` and ``ctip export htcds`` on a real migrated SQLite file."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from ctip.auth.service import create_user
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.persons.models import Person
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD
from tests.imports.builders import csv_bytes, person, template_xlsx

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path, test_keyring):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        create_user(
            session,
            username="kh1",
            password=TEST_PASSWORD,
            role="provincial_officer",
            province="KH-1",
        )
        create_user(
            session,
            username="kh1-km",
            password=TEST_PASSWORD,
            role="provincial_officer",
            province="KH-1",
            language="km",
        )
    engine.dispose()
    return {
        "CTIP_DATABASE_URL": url,
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }


def _persons(env):
    engine = make_engine(env["CTIP_DATABASE_URL"])
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Person))
    engine.dispose()
    return count


def test_import_then_reimport_says_nothing_new(cli_env, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(template_xlsx([person(i) for i in range(4)]))
    dry = runner.invoke(
        app, ["import", str(path), "--source", "htcds", "--user", "kh1", "--dry-run"], env=cli_env
    )
    assert dry.exit_code == 0, dry.output
    assert "2 cases, 4 persons, 0 rows with errors" in dry.output
    assert "row 3: new · victim Given0 Family0 · KH-1 · +85512100000" in dry.output
    assert _persons(cli_env) == 0
    first = runner.invoke(
        app, ["import", str(path), "--source", "htcds", "--user", "kh1"], env=cli_env
    )
    assert first.exit_code == 0, first.output
    assert "2 cases and 4 persons added" in first.output
    again = runner.invoke(
        app, ["import", str(path), "--source", "htcds", "--user", "kh1"], env=cli_env
    )
    assert "nothing new" in again.output
    assert _persons(cli_env) == 4


def test_a_bad_row_writes_nothing_and_exits_1_unless_skipped(cli_env, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(template_xlsx([person(1), person(2, Birthdate="soon"), person(3)]))
    refused = runner.invoke(
        app, ["import", str(path), "--source", "htcds", "--user", "kh1"], env=cli_env
    )
    assert refused.exit_code == 1
    assert "row 4, column Birthdate: not a date: soon" in refused.output
    assert _persons(cli_env) == 0
    kept = runner.invoke(
        app,
        ["import", str(path), "--source", "htcds", "--user", "kh1", "--skip-invalid"],
        env=cli_env,
    )
    assert kept.exit_code == 0, kept.output
    assert _persons(cli_env) == 2


def test_errors_in_the_users_language(cli_env, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(template_xlsx([person(2, Birthdate="soon")]))
    result = runner.invoke(
        app, ["import", str(path), "--source", "htcds", "--user", "kh1-km"], env=cli_env
    )
    assert result.exit_code == 1
    assert "ជួរដេក 3 ជួរឈរ Birthdate៖ មិនមែនជាកាលបរិច្ឆេទ៖ soon" in result.output


def test_another_province_is_an_error_naming_the_row(cli_env, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(template_xlsx([person(1)]))
    result = runner.invoke(
        app,
        ["import", str(path), "--source", "htcds", "--user", "kh1", "--province", "KH-2"],
        env=cli_env,
    )
    assert result.exit_code == 1
    assert "row 3" in result.output and "cannot import cases of KH-2" in result.output


def test_kobo_csv_with_khmer_province_names(cli_env, tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_bytes(
        csv_bytes(
            ["prs_First_Name", "prs_Gender", "cas_Province", "_id", "_uuid", "_submission_time"],
            [["Sok", "ស្រី", "បន្ទាយមានជ័យ", 1, "u-1", "2024-03-02T10:00:00"]],
        )
    )
    result = runner.invoke(app, ["import", str(path), "--source", "kobo"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "1 cases, 1 persons, 0 rows with errors" in result.output


def test_export_htcds_then_import_it_back(cli_env, tmp_path):
    source = tmp_path / "cases.xlsx"
    source.write_bytes(template_xlsx([person(i) for i in range(2)]))
    runner.invoke(app, ["import", str(source), "--source", "htcds", "--user", "kh1"], env=cli_env)
    out = tmp_path / "htcds.zip"
    result = runner.invoke(
        app,
        [
            "export",
            "htcds",
            "--format",
            "csv",
            "--out",
            str(out),
            "--user",
            "kh1",
            "--from",
            "2024-01-01",
        ],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    back = runner.invoke(
        app, ["import", str(out), "--source", "htcds", "--user", "kh1", "--dry-run"], env=cli_env
    )
    assert back.exit_code == 0, back.output
    assert "1 cases, 2 persons, 0 rows with errors" in back.output

"""``ctip export ctdc | dhis2 | ictip`` on a real SQLite file, as the system and as users."""

from __future__ import annotations

import base64
import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ctip.audit.models import AuditEntry
from ctip.auth.service import create_user
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.stats import ctdc
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD
from tests.stats.publication_data import seed_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "dhis2-mapping.example.yaml"


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CTIP_DATABASE_URL", url)
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
    monkeypatch.setenv("CTIP_STATS_COPY_PATH", ":memory:")
    engine = make_engine(url)
    upgrade(engine)
    factory = session_factory(engine, writer=True)
    with transaction(factory) as session:
        seed_registry(session, cases=45)
        for name, role, province in (
            ("kh1", "provincial_officer", "KH-1"),
            ("seen", "viewer", None),
        ):
            create_user(
                session, username=name, password=TEST_PASSWORD, role=role, province=province
            )
    yield factory
    engine.dispose()


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_ctdc_export_writes_k_anonymous_records(database, tmp_path):
    out = tmp_path / "ctdc.csv"
    result = _run("export", "ctdc", "--out", str(out), "--k", "3")
    assert result.exit_code == 0, result.output
    assert "suppressed" in result.output
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == list(ctdc.COLUMNS)
    groups = Counter(tuple(r[q] for q in ctdc.QUASI) for r in rows)
    assert all(n >= 3 for n in groups.values())
    mine = tmp_path / "kh1.csv"
    assert _run("export", "ctdc", "--out", str(mine), "--k", "2", "--user", "kh1").exit_code == 0
    with transaction(database) as session:
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "export.ctdc")
        ).all()
    assert any("scope=KH-1" in (d or "") for d in details)


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "ctdc", "--k", "1"], "k: k must be at least 2"),
        (["export", "ctdc", "--user", "seen"], "published statistics"),
        (["export", "dhis2", "--period", "2024Q7", "--mapping", str(EXAMPLE)], "period: unknown"),
        (["export", "dhis2", "--period", "2024"], "mapping: give --mapping"),
        (["export", "ictip", "--format", "pdf"], "format: use csv or json"),
    ],
)
def test_bad_input_names_the_field(database, tmp_path, args, message):
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert message in result.output


def test_dhis2_export_of_a_quarter(database, tmp_path):
    out = tmp_path / "dhis2.json"
    result = _run(
        "export", "dhis2", "--period", "2024Q1", "--mapping", str(EXAMPLE), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    values = json.loads(out.read_text())["dataValues"]
    assert values and {v["period"] for v in values} == {"2024Q1"}
    assert {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"} <= set(values[0])
    assert {v["orgUnit"] for v in values} == {
        "KhNational1",
        "KhBanteayMe1",
        "KhPhnomPenh1",
        "KhSihanouk01",
    }
    mine = tmp_path / "kh1.json"
    assert (
        _run(
            "export",
            "dhis2",
            "--period",
            "202402",
            "--mapping",
            str(EXAMPLE),
            "--out",
            str(mine),
            "--user",
            "kh1",
        ).exit_code
        == 0
    )
    assert {v["orgUnit"] for v in json.loads(mine.read_text())["dataValues"]} == {"KhBanteayMe1"}


def test_ictip_export(database, tmp_path):
    out = tmp_path / "ictip.csv"
    assert _run("export", "ictip", "--out", str(out), "--year", "2024").exit_code == 0
    rows = list(csv.DictReader(out.open()))
    assert {r["table"] for r in rows} == {
        "ictip.victims_by_sex_age_and_form",
        "ictip.victims_by_citizenship",
    }
    viewer = tmp_path / "viewer.json"
    assert (
        _run(
            "export", "ictip", "--out", str(viewer), "--format", "json", "--user", "seen"
        ).exit_code
        == 0
    )
    for table in json.loads(viewer.read_text()):
        assert all(v is None or v == 0 or v >= 11 for row in table["cells"] for v in row)


def test_synthetic_ctdc_export_spends_the_budget(database, tmp_path):
    pytest.importorskip("pacsynth")
    out = tmp_path / "synthetic.csv"
    result = _run("export", "ctdc", "--synthetic", "--epsilon", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "synthetic records" in result.output
    assert next(csv.reader(out.open())) == list(ctdc.COLUMNS)
    again = CliRunner().invoke(
        app, ["export", "ctdc", "--synthetic", "--epsilon", "6", "--out", str(out)]
    )
    assert again.exit_code == 1 and "is left" in again.output

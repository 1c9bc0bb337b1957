"""``ctip screening import-roster`` and ``export-referrals`` on a database of their own
(SQLite, and PostgreSQL when the suite runs on it)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from ctip.auth.scope import SYSTEM
from ctip.cases import service as cases
from ctip.cases.schemas import CaseIn
from ctip.cli import app
from ctip.db.session import make_engine, session_factory, transaction
from ctip.screening import interventions
from ctip.screening.models import RosterEntry
from ctip.screening.schemas import InterventionIn, ScreeningIn
from tests.cli_database import cli_database_fixture  # noqa: F401

ROSTER = (
    "Name,Sex,Age,Nationality,Passport\nLan Tran,F,16,VN,B1234567\nKim Dara,F,abc,KH,\n,F,20,KH,\n"
)


@pytest.fixture
def database(cli_database):
    engine = make_engine(cli_database, poolclass=NullPool)
    factory = session_factory(engine)
    with transaction(factory) as session:
        case = cases.create(
            session,
            actor=SYSTEM,
            data=CaseIn(title="Raid", province="KH-20", opened_on=date(2024, 3, 1)),
        )
        found = interventions.create(
            session,
            actor=SYSTEM,
            data=InterventionIn(case_id=case.id, occurred_on=date(2024, 3, 2), place="Bavet"),
        )
        intervention_id = found.id
    yield factory, intervention_id
    engine.dispose()


def test_import_roster_and_export_referrals(database, tmp_path):
    factory, intervention_id = database
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    runner = CliRunner()
    args = [
        "screening",
        "import-roster",
        "--intervention",
        str(intervention_id),
        "--file",
        str(path),
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "1 added" in first.stdout and "row 4: name: required" in first.stderr
    again = runner.invoke(app, args)
    assert "0 added" in again.stdout and "1 unchanged" in again.stdout
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(RosterEntry)) == 1
        entry = session.scalar(select(RosterEntry))
        interventions.screen_entry(
            session,
            actor=SYSTEM,
            entry_id=entry.id,
            data=ScreeningIn(
                act=["recruitment"],
                purpose=["ForcedLabour"],
                age_at_act=16,
                services_needed=["repatriation"],
            ),
        )
    out = tmp_path / "lists.xlsx"
    exported = runner.invoke(
        app,
        [
            "screening",
            "export-referrals",
            "--intervention",
            str(intervention_id),
            "--out",
            str(out),
        ],
    )
    assert exported.exit_code == 0, exported.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert len(book.sheetnames) == 5  # one nationality, four services
    pdf = tmp_path / "lists.pdf"
    made = runner.invoke(
        app,
        [
            "screening",
            "export-referrals",
            "--intervention",
            str(intervention_id),
            "--out",
            str(pdf),
            "--language",
            "km",
        ],
    )
    assert made.exit_code == 0, made.output
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_unknown_intervention_is_an_error(database, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    result = CliRunner().invoke(
        app, ["screening", "import-roster", "--intervention", "999", "--file", str(path)]
    )
    assert result.exit_code == 1 and "intervention not found" in result.stderr

"""``ctip cases`` through the whole ``ctip`` command, on a migrated database of its own
(SQLite, and PostgreSQL when the suite runs on it)."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from ctip.auth.scope import SYSTEM
from ctip.auth.service import create_user
from ctip.cases import participants, service, timeline
from ctip.cases.schemas import CaseIn
from ctip.cli import app
from ctip.db.session import make_engine, session_factory, transaction
from tests.cli_database import cli_database_fixture  # noqa: F401
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD

runner = CliRunner()


@pytest.fixture
def cli_env(cli_database, tmp_path, test_keyring):
    """A migrated database (each engine) with two cases and a user, and the environment
    naming it."""
    url = cli_database
    engine = make_engine(url, poolclass=NullPool)
    with transaction(session_factory(engine)) as session:
        for province in ("KH-1", "KH-2"):
            case = service.create(
                session,
                actor=SYSTEM,
                data=CaseIn(
                    title=f"Case in {province}",
                    province=province,
                    opened_on=date(2024, 1, 31),
                    exploitation_types=["ForcedLabour"],
                ),
            )
        participants.add_new_person(
            session,
            actor=SYSTEM,
            case_id=case.id,
            role="victim",
            person={"given_name": "Sokha"},
            phone="012 345 678",
        )
        timeline.transition(
            session,
            actor=SYSTEM,
            case_id=case.id,
            target="under_investigation",
            on=date(2024, 2, 1),
        )
        create_user(
            session,
            username="kh1",
            password=TEST_PASSWORD,
            role="provincial_officer",
            province="KH-1",
        )
    engine.dispose()
    return {
        "CTIP_DATABASE_URL": url,
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }


def test_show(cli_env):
    result = runner.invoke(app, ["cases", "show", "kh-2-2024-000001"], env=cli_env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "KH-2-2024-000001  Case in KH-2"
    assert "status:   under_investigation since 2024-02-01" in lines
    assert "person:   victim: Sokha (#1)" in lines


def test_show_json(cli_env):
    result = runner.invoke(app, ["cases", "show", "KH-2-2024-000001", "--json"], env=cli_env)
    data = json.loads(result.output)
    assert [i["normalised"] for i in data["identifiers"]] == ["+85512345678"]


def test_list_with_filters_and_scope(cli_env):
    everything = runner.invoke(app, ["cases", "list"], env=cli_env)
    assert everything.output.splitlines()[-1] == "2 cases"
    by_phone = runner.invoke(
        app, ["cases", "list", "--q", "+855 12 345 678", "--json"], env=cli_env
    )
    assert [c["reference"] for c in json.loads(by_phone.output)["items"]] == ["KH-2-2024-000001"]
    as_officer = runner.invoke(app, ["cases", "list", "--user", "kh1"], env=cli_env)
    assert as_officer.output.splitlines() == [
        "KH-1-2024-000001\t2024-01-31\treported\tCase in KH-1",
        "1 cases",
    ]


def test_outside_scope_and_bad_input_fail_cleanly(cli_env):
    hidden = runner.invoke(app, ["cases", "show", "KH-2-2024-000001", "--user", "kh1"], env=cli_env)
    assert hidden.exit_code == 1
    assert "no case KH-2-2024-000001" in hidden.output
    bad = runner.invoke(app, ["cases", "list", "--province", "KH-99"], env=cli_env)
    assert bad.exit_code == 1 and "province: unknown province code KH-99" in bad.output

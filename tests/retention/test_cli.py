"""``ctip retention set|due|purge|export-person`` on a real SQLite file."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ctip.cases.models import Case, CasePerson
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from ctip.demo.loader import load
from ctip.security import set_keyring
from tests.conftest import BIDX_KEY, ENC_KEY

runner = CliRunner()


def test_set_due_export_and_purge(tmp_path, settings, test_keyring):
    # The demo rows are sealed with the active keyring and read back by commands given the
    # suite's keys: start from those (an in-process command earlier in the run may have
    # left the keys of its own key file in force).
    set_keyring(test_keyring)
    url = f"sqlite:///{tmp_path / 'retention.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load(engine, cases=3, seed=21, settings=settings.model_copy(update={"database_url": url}))
    with Session(engine) as session:
        case_id = session.scalar(select(Case.id).order_by(Case.id))
        person_id = session.scalar(
            select(CasePerson.person_id).where(CasePerson.case_id == case_id)
        )
    env = {
        "CTIP_DATABASE_URL": url,
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    result = runner.invoke(
        app, ["retention", "set", "--case", str(case_id), "--until", yesterday], env=env
    )
    assert result.exit_code == 0, result.output
    assert (
        "cases past their retention date: 1"
        in runner.invoke(app, ["retention", "due"], env=env).output
    )
    out = tmp_path / "person.json"
    result = runner.invoke(
        app, ["retention", "export-person", str(person_id), "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["person"]["id"] == person_id
    pdf = tmp_path / "person.pdf"
    args = ["retention", "export-person", str(person_id), "--out", str(pdf), "--format", "pdf"]
    assert runner.invoke(app, args, env=env).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert runner.invoke(app, ["retention", "set", "--until", "x"], env=env).exit_code == 1
    dry = runner.invoke(app, ["retention", "purge", "--dry-run"], env=env)
    assert "would purge 1 cases" in dry.output
    result = runner.invoke(app, ["retention", "purge"], env=env)
    assert result.exit_code == 0 and "purged 1 cases" in result.output
    with Session(engine) as session:
        assert session.get(Case, case_id) is None
    engine.dispose()

"""``ctip support tasks`` and ``ctip support plan`` on a real SQLite file."""

from __future__ import annotations

import base64
from datetime import date

from typer.testing import CliRunner

from ctip.auth.scope import SYSTEM
from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.support import service
from ctip.support.schemas import ServiceIn, TaskIn
from tests.conftest import BIDX_KEY, ENC_KEY
from tests.referrals.helpers import add_person, make_case


def test_tasks_and_plan_from_the_command_line(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CTIP_DATABASE_URL", url)
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        case = make_case(session)
        victim = add_person(session, case, "victim")
        where = {"case_id": case.id, "person_id": victim.id}
        service.add_service(session, actor=SYSTEM, data=ServiceIn(service_type="Health"), **where)
        service.add_task(
            session, actor=SYSTEM, data=TaskIn(title="call", due_on=date(2020, 1, 1)), **where
        )
        case_id, person_id = case.id, victim.id
    engine.dispose()
    runner = CliRunner()
    listed = runner.invoke(app, ["support", "tasks", "--overdue"])
    assert listed.exit_code == 0, listed.output
    assert "call" in listed.stdout and "OVERDUE" in listed.stdout
    shown = runner.invoke(
        app, ["support", "plan", "--case", str(case_id), "--person", str(person_id)]
    )
    assert shown.exit_code == 0, shown.output
    assert "Health care (Planned)" in shown.stdout and "task 2020-01-01 call" in shown.stdout
    missing = runner.invoke(app, ["support", "plan", "--case", "999", "--person", "1"])
    assert missing.exit_code == 1

"""``ctip support tasks`` and ``ctip support plan`` on a database of their own (SQLite, and
PostgreSQL when the suite runs on it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from ctip.auth.scope import SYSTEM
from ctip.cli import app
from ctip.db.session import make_engine, session_factory, transaction
from ctip.support import service
from ctip.support.schemas import ServiceIn, TaskIn
from tests.cli_database import cli_database_fixture  # noqa: F401
from tests.referrals.helpers import add_person, make_case


def test_tasks_and_plan_from_the_command_line(cli_database):
    engine = make_engine(cli_database, poolclass=NullPool)
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

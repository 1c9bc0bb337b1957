"""``ctip keys status`` and ``ctip keys rotate`` on a database of their own (they commit)."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from ctip.auth.scope import SYSTEM
from ctip.cases import service as cases
from ctip.cases.schemas import CaseIn
from ctip.cli import app
from ctip.db.session import make_engine, session_factory, transaction
from ctip.identifiers import service as identifiers
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn
from ctip.security import keyring_from_document, set_keyring
from tests.cli_database import cli_database_fixture  # noqa: F401
from tests.conftest import BIDX_KEY, ENC_KEY

runner = CliRunner()


@pytest.fixture(autouse=True)
def suite_keys(test_keyring):
    """The data here is written with the suite's own keys, which the key files and the
    environment of these commands hold: start from them (an earlier test's command may
    have left a keyring of its own in force) and leave them in force."""
    set_keyring(test_keyring)
    yield
    set_keyring(test_keyring)


@pytest.fixture
def key_file(cli_database, tmp_path, monkeypatch, test_keyring):
    """The suite's keys as an old-format key file, and a little data written with them."""
    path = tmp_path / "keys.json"
    path.write_text(
        json.dumps(
            {
                "current": 1,
                "data_keys": {"1": base64.b64encode(ENC_KEY).decode()},
                "blind_index_key": base64.b64encode(BIDX_KEY).decode(),
            }
        )
    )
    monkeypatch.delenv("CTIP_ENCRYPTION_KEY")
    monkeypatch.delenv("CTIP_BLIND_INDEX_KEY")
    monkeypatch.setenv("CTIP_KEY_FILE", str(path))
    engine = make_engine(cli_database, poolclass=NullPool)
    with transaction(session_factory(engine)) as session:
        cases.create(
            session,
            actor=SYSTEM,
            data=CaseIn(title="Raid", province="KH-2", opened_on=date(2024, 3, 1)),
        )
        for i in range(5):
            person = persons.create(
                session, actor=SYSTEM, data=PersonIn(given_name=f"Dara{i}", family_name="Kim")
            )
            identifiers.add(
                session,
                actor=SYSTEM,
                id_type="phone",
                value=f"012 777 {i:03d}",
                person_id=person.id,
            )
    engine.dispose()
    yield path
    set_keyring(test_keyring)


def test_status_then_rotate_then_status(key_file, cli_database):
    before = runner.invoke(app, ["keys", "status"])
    assert before.exit_code == 0, before.output
    assert "persons.given_name: 5 bound to row, key 1" in before.output
    assert "one key for every purpose" in before.output
    rotated = runner.invoke(app, ["keys", "rotate", "--batch", "2"])
    assert rotated.exit_code == 0, rotated.output
    assert "rotation finished" in rotated.output
    after = runner.invoke(app, ["keys", "status"])
    assert "persons.given_name: 5 bound to row, key 2" in after.output
    assert "a key per purpose" in after.output and ", key 1" not in after.output
    ring = keyring_from_document(json.loads(key_file.read_text()))
    set_keyring(ring)
    engine = make_engine(cli_database, poolclass=NullPool)
    with transaction(session_factory(engine)) as session:
        names = sorted(p.given_name for p in session.scalars(select(Person)))
        found = persons.search(session, actor=SYSTEM, query="Kim Dara3")
        hits = identifiers.search(session, actor=SYSTEM, value="+85512777004")
        assert names == [f"Dara{i}" for i in range(5)]
        assert [p.given_name for p in found] == ["Dara3"]
        assert len(hits.persons) == 1
    engine.dispose()


def test_keys_from_the_environment_refuse_to_rotate(cli_database):
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 1
    assert "cannot rotate" in result.output


KILLER = """
import os, signal
from ctip.config import Settings
from ctip.keys import rotation
from ctip.keys.commands import _factory

cfg = Settings()
batches = iter(range(1000))


def die(table, rows):
    if next(batches) == 2:  # inside the third batch's transaction, before it commits
        os.kill(os.getpid(), signal.SIGKILL)


rotation.rotate(_factory(cfg), cfg.resolved_key_file, batch=2, inside=die)
"""


def _rows_on_old_keys(url: str, key_file: Path) -> int:
    from ctip.keys.places import places
    from ctip.keys.rotation import _stale

    ring = keyring_from_document(json.loads(key_file.read_text()))
    engine = make_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        stale = sum(
            _stale(ring, [row._mapping[c] for c in p.columns])
            for p in places()
            for row in conn.execute(select(p.raw))
        )
    engine.dispose()
    return stale


def test_a_rotation_killed_inside_a_batch_resumes_and_does_no_row_twice(key_file, cli_database):
    died = subprocess.run([sys.executable, "-c", KILLER], env=dict(os.environ), check=False)
    assert died.returncode == -signal.SIGKILL
    doc = json.loads(key_file.read_text())
    assert "rotation" in doc and doc["current"] == 2
    left = _rows_on_old_keys(cli_database, key_file)
    assert left > 0
    resumed = runner.invoke(app, ["keys", "rotate", "--batch", "2"])
    assert resumed.exit_code == 0, resumed.output
    assert f"{left} row(s) in all" in resumed.output  # exactly the rows the kill left
    assert _rows_on_old_keys(cli_database, key_file) == 0
    set_keyring(keyring_from_document(json.loads(key_file.read_text())))
    engine = make_engine(cli_database, poolclass=NullPool)
    with transaction(session_factory(engine)) as session:
        assert sorted(p.given_name for p in session.scalars(select(Person))) == [
            f"Dara{i}" for i in range(5)
        ]
        for i in range(5):
            assert (
                len(identifiers.search(session, actor=SYSTEM, value=f"012777{i:03d}").persons) == 1
            )
            assert [
                p.given_name for p in persons.search(session, actor=SYSTEM, query=f"Dara{i}")
            ] == [f"Dara{i}"]
    engine.dispose()


def test_upgrading_past_0012_re_encrypts_older_values_bound_to_their_rows(cli_database):
    """A database written before 0012_keys holds unbound values; `ctip db upgrade` to the
    newest revision re-encrypts them bound to their rows, and they still read."""
    from alembic import command
    from sqlalchemy import text

    from ctip.db.migrate import alembic_config
    from ctip.security import BOUND, form_of, keyring

    engine = make_engine(cli_database, poolclass=NullPool)
    with transaction(session_factory(engine)) as session:
        person = persons.create(
            session, actor=SYSTEM, data=PersonIn(given_name="Sokha", family_name="Chea")
        )
        person_id = person.id
    command.downgrade(alembic_config(engine), "0011_offers")
    with engine.begin() as conn:  # what the code before 0012 wrote: no associated data
        conn.execute(
            text("UPDATE persons SET given_name = :b WHERE id = :i"),
            {"b": keyring().encrypt("Old Sokha"), "i": person_id},
        )

    upgraded = runner.invoke(app, ["db", "upgrade"])

    assert upgraded.exit_code == 0, upgraded.output
    assert "re-encrypting values written before 0012_keys" in upgraded.output
    with engine.connect() as conn:
        raw = conn.execute(
            text("SELECT given_name FROM persons WHERE id = :i"), {"i": person_id}
        ).scalar()
    assert form_of(bytes(raw))[0] == BOUND
    with session_factory(engine)() as session:
        assert session.get(Person, person_id).given_name == "Old Sokha"
    again = runner.invoke(app, ["db", "upgrade"])  # at the newest already: nothing to redo
    assert again.exit_code == 0 and "re-encrypting" not in again.output
    engine.dispose()

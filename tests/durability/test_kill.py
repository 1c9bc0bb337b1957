"""A real ``ctip`` process killed (SIGKILL) in the middle of a large import or a demo load
leaves a consistent SQLite file (integrity and foreign keys) holding nothing of the killed
run; the re-run finishes exactly once (nothing lost, nothing twice), and runs again add
nothing."""

from __future__ import annotations

import base64
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ctip.auth.service import create_user
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD
from tests.imports.builders import person, template_xlsx

ROWS = 1000
DEMO_CASES = 600


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CTIP_ENV": "test",
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_DATABASE_URL": url,
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }


def _ctip(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ctip", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _writing(db: Path) -> bool:
    """Whether another connection holds the database's write lock (a transaction is open)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


def _kill_while_writing(
    proc: subprocess.Popen[bytes], db: Path, min_wal: int, probe: str, hold: float = 0.0
) -> None:
    """SIGKILL ``proc`` while its transaction is open and uncommitted: it holds the write lock
    (for ``hold`` seconds at least), has written ``min_wal`` bytes to the WAL, and a reader
    still sees none of its rows (``probe`` counts them: 0 until commit)."""
    wal = db.with_name(db.name + "-wal")
    deadline = time.monotonic() + 240
    locked_since: float | None = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if not _writing(db):
                locked_since = None
            else:
                locked_since = locked_since or time.monotonic()
                grown = wal.exists() and wal.stat().st_size >= min_wal
                held = time.monotonic() - locked_since >= hold
                if grown and held and _count(db, probe) == 0 and _writing(db):
                    proc.send_signal(signal.SIGKILL)
                    break
            time.sleep(0.02)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    finally:
        if proc.poll() is None:
            proc.kill()


def _consistent(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    return con


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def _wal_of_committed(db: Path) -> int:
    """Bytes the WAL already holds (the killed run must write past them)."""
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.fixture
def registry(tmp_path: Path, test_keyring) -> tuple[Path, str]:
    db = tmp_path / "durable.sqlite3"
    url = f"sqlite:///{db}"
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
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return db, url


def test_an_import_killed_midway_leaves_nothing_and_the_rerun_imports_once(registry, tmp_path):
    db, url = registry
    env = _env(tmp_path, url)
    sheet = tmp_path / "large.xlsx"
    sheet.write_bytes(template_xlsx([person(i) for i in range(ROWS)], filler=0))
    args = ("import", str(sheet), "--source", "htcds", "--user", "kh1")
    probe = "SELECT count(*) FROM persons"
    _kill_while_writing(_ctip(*args, env=env), db, _wal_of_committed(db) + 256 * 1024, probe)

    con = _consistent(db)
    assert con.execute(probe).fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    con.close()

    rerun = _ctip(*args, env=env)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert _count(db, "SELECT count(*) FROM persons") == ROWS
    cases = _count(db, "SELECT count(*) FROM cases")
    again = _ctip(*args, env=env)  # "nothing new"
    assert again.wait(timeout=600) == 0
    assert _count(db, "SELECT count(*) FROM persons") == ROWS
    assert _count(db, "SELECT count(*) FROM cases") == cases
    _consistent(db).close()


def test_a_demo_load_killed_midway_leaves_nothing_and_the_rerun_loads_once(registry, tmp_path):
    db, url = registry
    env = _env(tmp_path, url)
    args = ("demo", "load", "--cases", str(DEMO_CASES), "--seed", "3")
    probe = "SELECT count(*) FROM cases"
    _kill_while_writing(_ctip(*args, env=env), db, 0, probe, hold=1.0)

    con = _consistent(db)
    assert con.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM persons").fetchone() == (0,)
    con.close()

    rerun = _ctip(*args, env=env)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read() if rerun.stderr else ""
    cases, persons = (
        _count(db, "SELECT count(*) FROM cases"),
        _count(db, "SELECT count(*) FROM persons"),
    )
    assert cases == DEMO_CASES
    again = _ctip(*args, env=env)
    assert again.wait(timeout=600) == 0
    assert _count(db, "SELECT count(*) FROM cases") == DEMO_CASES
    assert _count(db, "SELECT count(*) FROM persons") == persons
    assert _count(db, "SELECT count(DISTINCT reference) FROM cases") == DEMO_CASES
    _consistent(db).close()


ROSTER_ROWS = 5000


def test_a_roster_import_killed_midway_leaves_nothing_and_the_rerun_adds_once(registry, tmp_path):
    from datetime import date

    from ctip.auth.scope import SYSTEM
    from ctip.cases import service as cases
    from ctip.cases.schemas import CaseIn
    from ctip.screening import interventions
    from ctip.screening.schemas import InterventionIn

    db, url = registry
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        case = cases.create(
            session,
            actor=SYSTEM,
            data=CaseIn(title="Raid", province="KH-1", opened_on=date(2024, 3, 1)),
        )
        found = interventions.create(
            session,
            actor=SYSTEM,
            data=InterventionIn(case_id=case.id, occurred_on=date(2024, 3, 2), place="Bavet"),
        )
        intervention_id = found.id
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    roster = tmp_path / "roster.csv"
    lines = ["Name,Sex,Age,Nationality,Passport"] + [
        f"Person {i},{'F' if i % 2 else 'M'},{18 + i % 40},KH,R{i:07d}" for i in range(ROSTER_ROWS)
    ]
    roster.write_text("\n".join(lines) + "\n")
    env = _env(tmp_path, url)
    args = ("screening", "import-roster", "--intervention", str(intervention_id))
    args += ("--file", str(roster))
    probe = "SELECT count(*) FROM roster_entries"
    _kill_while_writing(_ctip(*args, env=env), db, _wal_of_committed(db) + 256 * 1024, probe)

    con = _consistent(db)
    assert con.execute(probe).fetchone() == (0,)
    con.close()
    rerun = _ctip(*args, env=env)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert _count(db, "SELECT count(*) FROM roster_entries") == ROSTER_ROWS
    again = _ctip(*args, env=env)
    assert again.wait(timeout=600) == 0
    assert _count(db, "SELECT count(*) FROM roster_entries") == ROSTER_ROWS
    _consistent(db).close()

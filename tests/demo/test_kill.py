"""A real ``ctip demo load`` process killed with SIGKILL after its first committed batch:
running the same command again ends with exactly what an uninterrupted load writes."""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ctip.demo.rows import ENCRYPTED
from ctip.demo.writer import COLUMNS

CASES, BATCH, SEED = 2_000, 400, 11


def _env(tmp_path: Path, name: str, keys: dict[str, str]) -> dict[str, str]:
    data = tmp_path / name
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CTIP_KEY_FILE"}
    return (
        env
        | keys
        | {
            "CTIP_ENV": "development",
            "CTIP_DATA_DIR": str(data),
            "CTIP_DATABASE_URL": f"sqlite:///{data / 'demo.sqlite3'}",
        }
    )


def _ctip(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ctip.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill reaches any helper too
    )


def _load_args() -> list[str]:
    return ["demo", "load", "--cases", str(CASES), "--seed", str(SEED), "--batch", str(BATCH)]


def _run(env: dict[str, str], *args: str) -> None:
    process = _ctip(env, *args)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output.decode()


def _database(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(env["CTIP_DATABASE_URL"].removeprefix("sqlite:///"), timeout=30)


def _committed(env: dict[str, str]) -> int:
    db = _database(env)
    try:
        (count,) = db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'demo.load'"
        ).fetchone()
        return int(count)
    finally:
        db.close()


def _digest(env: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the plain (unencrypted) columns of every demo table, and
    of the case sequences; ciphertext differs between loads (fresh nonces), so it is left out."""
    db = _database(env)
    out = {}
    try:
        tables = {**COLUMNS, "case_sequences": ("province", "year", "last")}
        for table, columns in tables.items():
            plain = [c for c in columns if c not in ENCRYPTED.get(table, ())]
            digest = hashlib.sha256()
            count = 0
            for row in db.execute(f"SELECT {', '.join(plain)} FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
                count += 1
            out[table] = (count, digest.hexdigest())
    finally:
        db.close()
    return out


def _truth(env: dict[str, str]) -> bytes:
    return (Path(env["CTIP_DATA_DIR"]) / "demo" / f"truth-{SEED}.jsonl").read_bytes()


def test_a_sigkilled_load_process_resumes_to_an_uninterrupted_load(tmp_path: Path) -> None:
    keys = {  # the same keys for both databases, so the blind-index digests compare
        "CTIP_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    }
    whole, killed = _env(tmp_path, "whole", keys), _env(tmp_path, "killed", keys)
    for env in (whole, killed):
        _run(env, "db", "upgrade")
    _run(whole, *_load_args())

    process = _ctip(killed, *_load_args())
    deadline = time.monotonic() + 300
    while _committed(killed) == 0:
        assert process.poll() is None, "the load ended before its first batch was seen"
        assert time.monotonic() < deadline, "no batch committed in 300 s"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    batches = _committed(killed)
    assert 1 <= batches < CASES // BATCH, "killed too late to test a resumption"
    # only whole batches: every case, person and event row belongs to a committed batch
    half = _digest(killed)
    assert half["cases"][0] == batches * BATCH
    db = _database(killed)
    try:
        (last_case,) = db.execute("SELECT max(id) FROM cases").fetchone()
        (orphans,) = db.execute(
            "SELECT count(*) FROM persons WHERE id NOT IN (SELECT person_id FROM case_persons)"
        ).fetchone()
    finally:
        db.close()
    assert orphans == 0 and last_case is not None

    _run(killed, *_load_args())
    assert _committed(killed) == CASES // BATCH
    assert _digest(killed) == _digest(whole)
    assert _truth(killed) == _truth(whole)

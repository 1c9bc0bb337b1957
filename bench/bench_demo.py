"""``ctip demo load --cases 100000`` wall-clock time on SQLite and (when configured) PostgreSQL.

Run ``python -m bench demo`` (or ``make bench``). Each run loads into a fresh database: a
SQLite file in a temporary directory, and a database ``ctip_bench_demo`` created next to
``CTIP_TEST_POSTGRES_URL`` when that is set. Goal (issue 2): ≤ 60 s on SQLite.
``CTIP_BENCH_DEMO_CASES`` changes the number of cases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ctip.db.session import make_engine

CASES = int(os.environ.get("CTIP_BENCH_DEMO_CASES", "100000"))
TABLES = (
    "cases",
    "persons",
    "person_name_keys",
    "identifiers",
    "case_persons",
    "case_events",
    "referrals",
)


def _ctip(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _counts(url: str) -> str:
    engine = make_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        counts = [(t, conn.scalar(select(func.count()).select_from(text(t)))) for t in TABLES]
    engine.dispose()
    return ", ".join(f"{t} {n:,}" for t, n in counts)


def run(label: str, url: str, data_dir: Path) -> None:
    env = {"CTIP_DATABASE_URL": url, "CTIP_DATA_DIR": str(data_dir), "CTIP_ENV": "development"}
    _ctip(env, "db", "upgrade")
    seconds = _ctip(env, "demo", "load", "--cases", str(CASES), "--seed", "1")
    print(f"{label}: ctip demo load --cases {CASES}: {seconds:.1f} s (goal ≤ 60 s)", flush=True)
    print(f"  rows: {_counts(url)}", flush=True)


def _fresh_postgres(server_url: str) -> str:
    url = make_url(server_url)
    admin = make_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS ctip_bench_demo"))
        conn.execute(text("CREATE DATABASE ctip_bench_demo"))
    admin.dispose()
    return url.set(database="ctip_bench_demo").render_as_string(hide_password=False)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ctip-bench-demo-") as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", Path(tmp) / "sqlite")
        server = os.environ.get("CTIP_TEST_POSTGRES_URL")
        if server:
            run("PostgreSQL", _fresh_postgres(server), Path(tmp) / "postgres")
        else:
            print("PostgreSQL: skipped (CTIP_TEST_POSTGRES_URL not set)")


if __name__ == "__main__":
    main()

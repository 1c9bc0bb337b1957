"""``ctip demo load --cases 100000`` wall-clock time on SQLite and (when configured) PostgreSQL.

Run ``python -m bench demo`` (or ``make bench``). Each run loads into a fresh database: a
SQLite file in a temporary directory, and a database ``ctip_bench_demo`` created next to
``CTIP_TEST_POSTGRES_URL`` when that is set. Goal (issue 2): ≤ 60 s on SQLite.
``CTIP_BENCH_DEMO_CASES`` changes the number of cases. Beside the wall-clock time it prints
the load's CPU time (user + system of the command and its helper process) and the load
average: on a shared machine the CPU time is the fairer figure. First, the cost of binding
ciphertexts to their row (AES-GCM associated data, and the row id carried along in every
SELECT) beside unbound encryption measured in the same run (``CTIP_BENCH_AAD_VALUES``,
default 20,000).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ctip.db.session import make_engine

CASES = int(os.environ.get("CTIP_BENCH_DEMO_CASES", "100000"))
AAD_VALUES = int(os.environ.get("CTIP_BENCH_AAD_VALUES", "20000"))
TABLES = (
    "cases",
    "persons",
    "person_name_keys",
    "identifiers",
    "case_persons",
    "case_events",
    "referrals",
)


def _ctip(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, the command's helper process included)."""
    started, before = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _counts(url: str) -> str:
    engine = make_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        counts = [(t, conn.scalar(select(func.count()).select_from(text(t)))) for t in TABLES]
    engine.dispose()
    return ", ".join(f"{t} {n:,}" for t, n in counts)


def run(label: str, url: str, data_dir: Path) -> None:
    env = {"CTIP_DATABASE_URL": url, "CTIP_DATA_DIR": str(data_dir), "CTIP_ENV": "development"}
    _ctip(env, "db", "upgrade")
    before = _load_average()
    seconds, cpu = _ctip(env, "demo", "load", "--cases", str(CASES), "--seed", "1")
    print(
        f"{label}: ctip demo load --cases {CASES}: {seconds:.1f} s (goal ≤ 60 s), "
        f"CPU {cpu:.1f} s (load average {before} before, {_load_average()} after)",
        flush=True,
    )
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


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def aad_figures(n: int = AAD_VALUES) -> None:
    """Encrypt and decrypt ``n`` names bound to their row vs unbound; then read them back
    through an ``Encrypted`` column (row id carried in the SELECT) vs raw bytes decrypted
    without associated data, from an in-memory SQLite table."""
    from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, create_engine

    from ctip.db.types import Encrypted
    from ctip.security import Keyring, set_keyring

    ring = Keyring({1: os.urandom(32)}, 1, os.urandom(32))
    set_keyring(ring)
    names = [f"Sokha Chea {i}" for i in range(n)]
    place = "persons.given_name"
    unbound = _timed(lambda: [ring.decrypt(ring.encrypt(v)) for v in names])
    bound = _timed(
        lambda: [ring.decrypt(ring.encrypt(v, place, i), place, i) for i, v in enumerate(names)]
    )
    meta = MetaData()
    typed = Table(
        "persons", meta, Column("id", Integer, primary_key=True), Column("given_name", Encrypted())
    )
    raw = Table(
        "persons",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("given_name", LargeBinary),
    )
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            raw.insert(),
            [{"id": i, "given_name": ring.encrypt(v, place, i)} for i, v in enumerate(names)],
        )
        legacy = [ring.encrypt(v) for v in names]
        read_bound = _timed(lambda: conn.execute(select(typed.c.id, typed.c.given_name)).all())
        read_raw = _timed(
            lambda: [
                (i, ring.decrypt(b))
                for (i, _), b in zip(conn.execute(select(raw)).all(), legacy, strict=True)
            ]
        )
    engine.dispose()
    set_keyring(None)
    print(
        f"AES-GCM, {n:,} names: encrypt+decrypt bound to row {bound:.2f} s, "
        f"unbound {unbound:.2f} s ({bound / unbound:.2f}x)"
    )
    print(
        f"  read back through Encrypted (row id in the SELECT) {read_bound:.2f} s, "
        f"raw bytes + unbound decrypt {read_raw:.2f} s ({read_bound / read_raw:.2f}x)",
        flush=True,
    )


def main() -> None:
    aad_figures()
    with tempfile.TemporaryDirectory(prefix="ctip-bench-demo-") as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", Path(tmp) / "sqlite")
        server = os.environ.get("CTIP_TEST_POSTGRES_URL")
        if server:
            run("PostgreSQL", _fresh_postgres(server), Path(tmp) / "postgres")
        else:
            print("PostgreSQL: skipped (CTIP_TEST_POSTGRES_URL not set)")


if __name__ == "__main__":
    main()

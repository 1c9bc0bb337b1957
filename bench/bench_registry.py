"""Case registry under load, on SQLite and (when configured) PostgreSQL.

With 100,000 demo cases: the filtered case-list page (50 rows) and the case API under 20
concurrent clients on loopback, beside the same framework's constant-JSON endpoint (the
ceiling), and identifier search latency over the demo identifiers.
Goals (issue 2): ≥ 25 % of the ceiling's requests/s, p99 ≤ 100 ms; identifier search ≤ 20 ms
median over 1,000,000 identifiers; ``ctip demo load --cases 100000`` ≤ 60 s.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

from bench.loadgen import load, serve
from ctip.config import Settings
from ctip.db.session import make_engine

OUT = Path(__file__).parent / "out"
CASES = int(os.environ.get("CTIP_BENCH_CASES", "100000"))
IDENTIFIER_TARGET = int(os.environ.get("CTIP_BENCH_IDENTIFIERS", "1000000"))
SECONDS = int(os.environ.get("CTIP_BENCH_SECONDS", "10"))
# Server processes for the app and the ceiling alike (uvicorn with 2 workers was seen to add
# a constant ~40 ms per response on loopback here, so one is the default).
WORKERS = int(os.environ.get("CTIP_BENCH_WORKERS", "1"))
USER, PASSWORD = "bench-secretariat", "bench-password-123"


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "CTIP_DATABASE_URL": database_url,
        "CTIP_DATA_DIR": str(data_dir),
        "CTIP_ENV": "test",
    }  # templates cached as in production


def _ctip(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(text(table))) or 0)
    except Exception:
        return 0
    finally:
        engine.dispose()


def prepare(url: str, data_dir: Path) -> None:
    """Migrate and load CASES demo cases once (reused across runs), and a bench user."""
    env = _env(url, data_dir)
    _ctip(env, "db", "upgrade")
    if _count(url, "cases") < CASES:
        seconds = _ctip(env, "demo", "load", "--cases", str(CASES), "--seed", "7")
        print(f"ctip demo load --cases {CASES}: {seconds:.1f} s (goal ≤ 60 s)")
    else:
        print(f"reusing {CASES} demo cases already loaded")
    if _count(url, "identifiers") < IDENTIFIER_TARGET:
        seconds = _ctip(env, "demo", "identifiers", "--total", str(IDENTIFIER_TARGET))
        print(f"identifiers topped up to {IDENTIFIER_TARGET:,} in {seconds:.1f} s")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ctip.cli",
            "user",
            "create",
            "--username",
            USER,
            "--password",
            PASSWORD,
            "--role",
            "secretariat",
        ],
        env={**os.environ, **env},
        capture_output=True,
    )


def _session_cookie(base: str) -> str:
    import re

    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _token(base: str) -> str:
    response = httpx.post(
        base + "/api/v1/auth/token", data={"username": USER, "password": PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def http_figures(url: str, data_dir: Path) -> None:
    env = _env(url, data_dir)
    print(f"uvicorn with {WORKERS} worker(s), 20 concurrent clients, {SECONDS} s per run")
    with serve("bench.ceiling:app", env, WORKERS) as ceiling_url:
        ceiling = load("ceiling: constant JSON", ceiling_url + "/ping", seconds=SECONDS)
    print(ceiling.line())
    with serve("ctip.web.app:create_app()", env, WORKERS) as base:
        cookie = {"Cookie": _session_cookie(base)}
        bearer = {"Authorization": f"Bearer {_token(base)}"}
        case_id = httpx.get(
            base + "/api/v1/cases?province=KH-1&page_size=1", headers=bearer
        ).json()["items"][0]["id"]
        runs = [
            (
                "case list page (KH-1, under investigation)",
                "/cases?province=KH-1&status=under_investigation",
                cookie,
            ),
            ("case list page (KH-12, 50 rows)", "/cases?province=KH-12", cookie),
            ("GET /api/v1/cases?province=KH-1", "/api/v1/cases?province=KH-1", bearer),
            ("GET /api/v1/cases/{id}", f"/api/v1/cases/{case_id}", bearer),
        ]
        for name, path, headers in runs:
            print(load(name, base + path, headers, SECONDS).line(ceiling), flush=True)
        identifier_search(base, bearer, url)


def identifier_search(base: str, bearer: dict[str, str], url: str) -> None:
    """Median latency of single identifier searches over HTTP (one client, sequential)."""
    total = _count(url, "identifiers")
    values = ["+8551" + str(random.Random(i).randint(2000000, 99999999)) for i in range(200)]
    with httpx.Client(base_url=base, headers=bearer) as client:
        timings = []
        for value in values:
            started = time.perf_counter()
            client.get("/api/v1/identifiers/search", params={"value": value}).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    print(
        f"identifier search over {total:,} identifiers: median "
        f"{statistics.median(timings):.1f} ms, p99 {sorted(timings)[197]:.1f} ms "
        f"(HTTP round trip, goal ≤ 20 ms median over 1,000,000)"
    )


def _postgres_url() -> str | None:
    base = os.environ.get("CTIP_TEST_POSTGRES_URL")
    if not base:
        return None
    admin = make_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname='ctip_bench'")):
            conn.execute(text("CREATE DATABASE ctip_bench"))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/ctip_bench"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    data_dir = OUT / "registry"
    targets = [("SQLite", Settings(data_dir=data_dir).resolved_database_url)]
    pg = _postgres_url()
    if pg:
        targets.append(("PostgreSQL", pg))
    for name, url in targets:
        print(f"--- {name} ---")
        prepare(url, data_dir)
        http_figures(url, data_dir)

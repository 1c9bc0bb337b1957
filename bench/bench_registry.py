"""Case registry under load, on SQLite and (when configured) PostgreSQL.

``CTIP_BENCH_CASES`` demo cases (default 10,000; the issue's figures used 100,000) and
identifiers topped up to ``CTIP_BENCH_IDENTIFIERS`` (default 1,000,000):

* in process: CPU per request of CTIP's case-list page, API list and case detail beside the
  bare references (the same framework, SQLAlchemy Core and Jinja, no security) as ratios;
* over HTTP, with 1 and 2 worker processes (``ctip serve --workers N``; the references
  served by the same code) and 20 ``wrk`` clients: the constant-JSON ceiling, the bare page,
  list JSON and single-case JSON, and CTIP's three workloads, ``CTIP_BENCH_SECONDS`` (3) each;
  p50, p99, requests/s, errors, and 2 workers against 1;
* identifier search latency over HTTP.

Goals (issue 13): with 2 workers and 20 clients p99 ≤ 100 ms for the list page, API list and
case detail, 0 errors, ≥ 1.6× the throughput of 1 worker; identifier search ≤ 20 ms median
over 1,000,000 identifiers.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    text,
)

from ctip.config import Settings
from ctip.db.session import make_engine

OUT = Path(os.environ.get("CTIP_BENCH_OUT") or Path(__file__).parent / "out")
CASES = int(os.environ.get("CTIP_BENCH_CASES", "10000"))
IDENTIFIER_TARGET = int(os.environ.get("CTIP_BENCH_IDENTIFIERS", "1000000"))
SECONDS = int(os.environ.get("CTIP_BENCH_SECONDS", "3"))  # per HTTP workload
ROUNDS = int(os.environ.get("CTIP_BENCH_ROUNDS", "5"))  # in-process rounds, alternating
CLIENTS = 20
# Server processes for CTIP and the references alike (``ctip serve --workers N``).
WORKERS = int(os.environ.get("CTIP_BENCH_WORKERS", "2"))
WORKER_COUNTS = sorted({1, 2, WORKERS})
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


def _http(
    base: str,
    path: str,
    *,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


def _session_cookie(base: str) -> str:
    """Log in through the form; the session cookie the browser would send."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/login", timeout=30) as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())
    assert token is not None
    form = {"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
    opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=30).close()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _token(base: str) -> str:
    import json

    answer = _http(base, "/api/v1/auth/token", data={"username": USER, "password": PASSWORD})
    return str(json.loads(answer)["access_token"])


CTIP_WORKLOADS = ("CTIP case-list page", "CTIP API list", "CTIP API case detail")


def http_run(url: str, data_dir: Path, workers: int) -> dict[str, Any]:
    """The references and CTIP's pages over HTTP with ``workers`` server processes each."""
    import json

    from bench.loadgen import load, serve

    env = _env(url, data_dir)
    results: dict[str, Any] = {}
    with (
        serve(env, workers) as base,
        serve(env, workers, "bench.reference:create_app", "/ping") as ref,
    ):
        cookie = {"Cookie": _session_cookie(base)}
        bearer = {"Authorization": f"Bearer {_token(base)}"}
        listing = json.loads(
            _http(base, "/api/v1/cases?province=KH-12&page_size=1", headers=bearer)
        )
        case_id = listing["items"][0]["id"]
        runs = [
            ("ceiling: constant JSON", ref + "/ping", {}),
            ("bare reference page (50 rows)", ref + "/cases?province=KH-12", {}),
            ("bare list JSON (50 rows)", ref + "/api/cases?province=KH-12", {}),
            ("bare single-case JSON + audit write", f"{ref}/api/cases/{case_id}", {}),
            (CTIP_WORKLOADS[0], base + "/cases?province=KH-12", cookie),
            (CTIP_WORKLOADS[1], base + "/api/v1/cases?province=KH-12", bearer),
            (CTIP_WORKLOADS[2], f"{base}/api/v1/cases/{case_id}", bearer),
        ]
        print(f"{workers} worker(s), {CLIENTS} clients, wrk, {SECONDS} s each (+1 s warm-up):")
        for name, target, headers in runs:
            results[name] = load(name, target, headers, SECONDS, CLIENTS)
            print("  " + results[name].line(results["ceiling: constant JSON"]), flush=True)
        if workers == 1:
            identifier_search(base, bearer, url)
    return results


def http_figures(url: str, data_dir: Path) -> None:
    """1 and 2 workers in the same run; the 2-worker targets on CTIP's three workloads."""
    runs = {workers: http_run(url, data_dir, workers) for workers in WORKER_COUNTS}
    if 1 not in runs or 2 not in runs:
        return
    print(
        f"2 workers vs 1 (goals with 2 workers and {CLIENTS} clients: p99 ≤ 100 ms, "
        "0 errors, ≥ 1.6× the requests/s of 1 worker):"
    )
    for name in runs[1]:
        one, two = runs[1][name], runs[2][name]
        verdict = ""
        if name in CTIP_WORKLOADS:
            met = two.p99_ms <= 100 and two.errors == 0 and two.rps >= 1.6 * one.rps
            verdict = "  met" if met else "  NOT met"
        print(
            f"  {name:<36} ×{two.rps / one.rps:4.2f} ({one.rps:6.0f} → {two.rps:6.0f} req/s)  "
            f"p99 {two.p99_ms:6.1f} ms  errors {two.errors}{verdict}"
        )


def identifier_search(base: str, bearer: dict[str, str], url: str) -> None:
    """Median latency of single identifier searches over HTTP (one client, keep-alive)."""
    import http.client
    import urllib.parse

    total = _count(url, "identifiers")
    values = ["+8551" + str(random.Random(i).randint(2000000, 99999999)) for i in range(200)]
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    timings = []
    for value in values:
        started = time.perf_counter()
        query = urllib.parse.urlencode({"value": value})
        conn.request("GET", f"/api/v1/identifiers/search?{query}", headers=bearer)
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    print(
        f"  identifier search over {total:,} identifiers: median "
        f"{statistics.median(timings):.1f} ms, p99 {sorted(timings)[197]:.1f} ms "
        f"(HTTP round trip, one client; goal ≤ 20 ms median over 1,000,000)"
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


REFERENCE_ROWS = """<!doctype html><html><body><table>
{% for r in rows %}<tr><td><a href="/cases/{{ r.id }}">{{ r.reference }}</a></td>
<td>{{ r.title }}</td><td>{{ r.province }}</td><td>{{ r.opened_on }}</td>
<td>{{ r.status }}</td></tr>{% endfor %}</table><p>{{ total }} cases</p></body></html>"""


def reference_app(database_url: str, secret: str = "bench-reference") -> Any:
    """The bare references: the same framework and session middleware, SQLAlchemy Core and
    Jinja, no auth, scope, audit or decryption. ``/ping`` is the constant-JSON ceiling,
    ``/cases`` the 50-row page with its COUNT, ``/api/cases`` the same as JSON,
    ``/api/cases/{id}`` one case row as JSON."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from jinja2 import Environment
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.middleware.sessions import SessionMiddleware

    from ctip.cases.models import Case
    from ctip.web.app import GZIP_LEVEL, GZIP_MINIMUM_SIZE

    cases = Case.__table__
    engine = make_engine(database_url)
    template = Environment(autoescape=True).from_string(REFERENCE_ROWS)
    columns = [cases.c[n] for n in ("id", "reference", "title", "province", "opened_on")]
    columns.append(cases.c.status)
    app = FastAPI()
    # Compressed as CTIP compresses (the test client asks for gzip): else the references
    # would leave out a cost CTIP's figures carry.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=GZIP_LEVEL)
    app.add_middleware(SessionMiddleware, secret_key=secret)

    def page(province: str) -> tuple[list[Any], int]:
        with engine.connect() as conn:
            where = cases.c.province == province
            total = conn.scalar(select(func.count()).select_from(cases).where(where)) or 0
            rows = conn.execute(
                select(*columns)
                .where(where)
                .order_by(cases.c.opened_on.desc(), cases.c.id.desc())
                .limit(50)
            ).all()
        return list(rows), int(total)

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/cases", response_class=HTMLResponse)
    def case_page(province: str = "KH-12") -> str:
        rows, total = page(province)
        return template.render(rows=rows, total=total)

    @app.get("/api/cases")
    def case_list(province: str = "KH-12") -> dict[str, Any]:
        rows, total = page(province)
        return {"total": total, "items": [dict(r._mapping) for r in rows]}

    # "Its audit write" (issue 13): one plain row per read in a table of its own, committed
    # with the read; no chain, no keyed hash, no decryption.
    reads = Table(
        "bench_reference_reads",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("action", String(40), nullable=False),
        Column("object_id", Integer, nullable=False),
    )
    reads.create(engine, checkfirst=True)

    @app.get("/api/cases/{case_id}")
    def case_one(case_id: int) -> dict[str, Any]:
        with engine.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
        # A write-only transaction of its own: one that read first could not wait for the
        # write lock held by another worker process ("database is locked" on SQLite).
        with engine.begin() as conn:
            conn.execute(
                reads.insert().values(at=datetime.now(UTC), action="case.read", object_id=case_id)
            )
        return dict(row._mapping) if row else {}

    return app


def _cpu_ms(client: Any, path: str, headers: dict[str, str], n: int) -> float:
    for _ in range(5):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    started = time.process_time()
    for _ in range(n):
        client.get(path, headers=headers)
    return (time.process_time() - started) * 1000 / n


def in_process_figures(url: str, data_dir: Path) -> None:
    """CPU per request in this process (client included, on both sides alike), CTIP beside
    the bare references measured in the same run, as ratios. ``CTIP_BENCH_ROUNDS`` rounds
    (default 5) of ``CTIP_BENCH_REQUESTS`` requests per workload (default 100); a KH-12
    provincial officer."""
    import re

    from starlette.testclient import TestClient

    from ctip.web.app import create_app

    n = int(os.environ.get("CTIP_BENCH_REQUESTS", "100"))
    saved = {k: os.environ.get(k) for k in ("CTIP_DATABASE_URL", "CTIP_DATA_DIR", "CTIP_ENV")}
    os.environ.update(_env(url, data_dir))
    try:
        ref = TestClient(reference_app(url))
        app = TestClient(create_app())
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", "user", "create", "--username", "bench-officer",
         "--password", PASSWORD, "--role", "provincial_officer", "--province", "KH-12"],
        env={**os.environ, **_env(url, data_dir)},
        capture_output=True,
    )  # fmt: skip
    token = app.post(
        "/api/v1/auth/token", data={"username": "bench-officer", "password": PASSWORD}
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    form = app.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    app.post(
        "/login",
        data={"username": "bench-officer", "password": PASSWORD, "csrf_token": csrf.group(1)},
    )
    case_id = app.get("/api/v1/cases?page_size=1", headers=bearer).json()["items"][0]["id"]
    after = app.get("/api/v1/cases?province=KH-12", headers=bearer).json()["next"]
    references = {
        "ceiling: constant JSON": (ref, "/ping", {}),
        "bare reference page (50 rows)": (ref, "/cases?province=KH-12", {}),
        "bare list JSON (50 rows)": (ref, "/api/cases?province=KH-12", {}),
        "bare single-case JSON + audit write": (ref, f"/api/cases/{case_id}", {}),
    }
    page, listed, one = list(references)[1:]
    second = f"province=KH-12&after={after}"
    runs = [
        ("case-list page", "/cases?province=KH-12", {}, page, 1.25),
        ("case-list page 2 (keyset, no count)", f"/cases?{second}", {}, page, 1.25),
        ("API list", "/api/v1/cases?province=KH-12", bearer, listed, 1.25),
        ("API list page 2 (keyset, no count)", f"/api/v1/cases?{second}", bearer, listed, 1.25),
        ("API case detail", f"/api/v1/cases/{case_id}", bearer, one, 2.0),
    ]
    # Rounds alternate every reference and every CTIP workload, so that a change in the
    # machine's speed during the run (seen here: the ceiling moved 3.8-6.7 ms between runs)
    # reaches both sides of a ratio alike; each ratio is the median of its rounds' ratios.
    costs: dict[str, list[float]] = {name: [] for name in [*references, *(r[0] for r in runs)]}
    for _ in range(ROUNDS):
        for name, (client, path, headers) in references.items():
            costs[name].append(_cpu_ms(client, path, headers, n))
        for name, path, headers, _reference, _goal in runs:
            costs[name].append(_cpu_ms(app, path, headers, n))
    print(f"in-process CPU per request, {ROUNDS} rounds of {n} requests each (KH-12 officer):")
    for name in references:
        print(f"  {name:<38} {statistics.median(costs[name]):7.2f} ms")
    ceiling = costs["ceiling: constant JSON"]
    for name, _path, _headers, reference, goal in runs:
        ratios = sorted(c / r for c, r in zip(costs[name], costs[reference], strict=True))
        print(
            f"  CTIP {name:<38}{statistics.median(costs[name]):7.2f} ms  "
            f"×{statistics.median(ratios):5.2f} its bare reference (rounds "
            f"{ratios[0]:.2f}–{ratios[-1]:.2f}; goal ≤ ×{goal}), "
            f"×{statistics.median(c / r for c, r in zip(costs[name], ceiling, strict=True)):5.1f}"
            " the ceiling"
        )


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
        in_process_figures(url, data_dir)
        if os.environ.get("CTIP_BENCH_HTTP", "1") == "0":
            continue
        from bench.loadgen import available

        if not available():
            print("HTTP figures skipped: wrk is not installed (scripts/bench-env.sh installs it)")
            continue
        print(f"load average before HTTP runs: {_load_average()}")
        http_figures(url, data_dir)
        print(f"load average after: {_load_average()}")


def _load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())

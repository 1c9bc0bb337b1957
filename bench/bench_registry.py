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
from typing import Any

from sqlalchemy import func, select, text

from ctip.config import Settings
from ctip.db.session import make_engine

OUT = Path(__file__).parent / "out"
CASES = int(os.environ.get("CTIP_BENCH_CASES", "10000"))
IDENTIFIER_TARGET = int(os.environ.get("CTIP_BENCH_IDENTIFIERS", "1000000"))
SECONDS = int(os.environ.get("CTIP_BENCH_SECONDS", "10"))
# Server processes for the app and the ceiling alike (uvicorn with 2 workers was seen to add
# a constant ~40 ms per response on loopback here, so one is the default).
WORKERS = int(os.environ.get("CTIP_BENCH_WORKERS", "1"))
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


def _session_cookie(base: str) -> str:
    import re

    import httpx

    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _token(base: str) -> str:
    import httpx

    response = httpx.post(
        base + "/api/v1/auth/token", data={"username": USER, "password": PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def http_figures(url: str, data_dir: Path, workers: int = WORKERS) -> None:
    import httpx

    from bench.loadgen import load, serve

    env = _env(url, data_dir)
    print(f"uvicorn with {workers} worker(s), 20 concurrent clients, {SECONDS} s per run")
    with serve("bench.ceiling:app", env, workers) as ceiling_url:
        ceiling = load("ceiling: constant JSON", ceiling_url + "/ping", seconds=SECONDS)
    print(ceiling.line())
    with serve("ctip.web.app:create_app()", env, workers) as base:
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
    import httpx

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
    from starlette.middleware.sessions import SessionMiddleware

    from ctip.cases.models import Case

    cases = Case.__table__
    engine = make_engine(database_url)
    template = Environment(autoescape=True).from_string(REFERENCE_ROWS)
    columns = [cases.c[n] for n in ("id", "reference", "title", "province", "opened_on")]
    columns.append(cases.c.status)
    app = FastAPI()
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

    @app.get("/api/cases/{case_id}")
    def case_one(case_id: int) -> dict[str, Any]:
        with engine.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
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
    the bare references measured in the same run, as ratios. ``CTIP_BENCH_REQUESTS``
    requests per workload (default 200); a KH-12 provincial officer."""
    import re

    from starlette.testclient import TestClient

    from ctip.web.app import create_app

    n = int(os.environ.get("CTIP_BENCH_REQUESTS", "200"))
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
    ceiling = _cpu_ms(ref, "/ping", {}, n)
    bare_page = _cpu_ms(ref, "/cases?province=KH-12", {}, n)
    bare_list = _cpu_ms(ref, "/api/cases?province=KH-12", {}, n)
    bare_one = _cpu_ms(ref, f"/api/cases/{case_id}", {}, n)
    print(f"in-process CPU per request, {n} requests each (KH-12 officer):")
    print(f"  ceiling: constant JSON                 {ceiling:7.2f} ms")
    print(f"  bare reference page (50 rows)          {bare_page:7.2f} ms")
    print(f"  bare list JSON (50 rows)               {bare_list:7.2f} ms")
    print(f"  bare single-case JSON                  {bare_one:7.2f} ms")
    runs = [
        ("case-list page", "/cases?province=KH-12", {}, bare_page, 1.25),
        ("API list", "/api/v1/cases?province=KH-12", bearer, bare_list, 1.25),
        ("API case detail", f"/api/v1/cases/{case_id}", bearer, bare_one, 2.0),
    ]
    for name, path, headers, reference, goal in runs:
        cost = _cpu_ms(app, path, headers, n)
        print(
            f"  CTIP {name:<34}{cost:7.2f} ms  ×{cost / reference:5.2f} its bare reference "
            f"(goal ≤ ×{goal}), ×{cost / ceiling:6.1f} the ceiling"
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
        try:
            import httpx  # noqa: F401  (the HTTP load generator's client)
        except ModuleNotFoundError:
            print("HTTP figures skipped: httpx is not installed")
            continue
        for workers in WORKER_COUNTS:
            http_figures(url, data_dir, workers)

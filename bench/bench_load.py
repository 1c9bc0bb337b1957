"""Load on loopback: 50 concurrent users mixing reads, writes, searches and offer checks for
60 s against ``uvicorn`` with 2 worker processes, on SQLite (and PostgreSQL when
``CTIP_TEST_POSTGRES_URL`` names a scratch database: it is emptied first).

Proves: zero server errors (5xx or dropped connections) and zero lost writes — every case the
server acknowledged with 201 is read back afterwards. Reports throughput and p50/p95/p99.

Scale: ``CTIP_BENCH_LOAD_SECONDS`` (default 60), ``CTIP_BENCH_LOAD_USERS`` (default 50),
``CTIP_BENCH_LOAD_WORKERS`` (server processes, default 2). The load average is printed
before and after each run (the machine may be shared).
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

PASSWORD = "load-test-password-1"
OFFER = (
    "Urgent! Customer service job in Sihanoukville, $1500 a month, no experience, free ticket "
    "and visa. Contact us on Telegram only, leave this week."
)


@dataclass
class LoadResult:
    backend: str
    users: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: list[str] = field(default_factory=list)
    other_status: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    written: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def percentile(self, q: float, kind: str | None = None) -> float:
        values = sorted(v for k, vs in self.latencies.items() if kind in (None, k) for v in vs)
        if not values:
            return 0.0
        return 1000 * values[min(len(values) - 1, int(q * len(values)))]

    def lines(self) -> list[str]:
        rps = self.requests / self.seconds if self.seconds else 0.0
        out = [
            f"{self.backend:<10} {self.users} users {self.seconds:5.1f} s:"
            f" {self.requests} requests, {rps:7.1f} req/s  p50 {self.percentile(0.5):6.1f} ms  p95"
            f" {self.percentile(0.95):6.1f} ms  p99 {self.percentile(0.99):6.1f} ms",
            f"{'':<10} server errors {len(self.server_errors)}, writes acknowledged"
            f" {len(self.written)}, lost {len(self.lost)}, other statuses"
            f" {dict(self.other_status) or '{}'}",
        ]
        for kind in sorted(self.latencies):
            out.append(
                f"{'':<10} {kind:<8} {len(self.latencies[kind]):6d}  p50"
                f" {self.percentile(0.5, kind):6.1f} ms  p95 {self.percentile(0.95, kind):6.1f} ms"
                f"  p99 {self.percentile(0.99, kind):6.1f} ms"
            )
        return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CTIP_ENV="test",
        CTIP_DATABASE_URL=database_url,
        CTIP_DATA_DIR=str(data_dir),
        CTIP_ENCRYPTION_KEY=base64.b64encode(bytes(range(32))).decode(),
        CTIP_BLIND_INDEX_KEY=base64.b64encode(bytes(range(32, 64))).decode(),
        CTIP_OFFER_CHECKS_PER_MINUTE="1000000",
    )
    return env


SETUP = """
from ctip.auth.service import create_user
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from sqlalchemy.orm import Session
from ctip.security import load_keyring, set_keyring
settings = Settings()
set_keyring(load_keyring(settings))
engine = make_engine(settings.database_url)
upgrade(engine)
with Session(engine) as session, session.begin():
    for name in ("load-officer-1", "load-officer-2", "load-officer-3"):
        create_user(session, username=name, password=%r, role="provincial_officer",
                    province="KH-12")
engine.dispose()
# The offer checker's model is fitted once and kept beside the tests' copy, not per run.
import shutil, tempfile
from pathlib import Path
from ctip.offers.model import load_or_train
from ctip.offers.service import model_dir
cache = Path(tempfile.gettempdir()) / "ctip-offers-test-model"
load_or_train(cache_dir=cache)
shutil.copytree(cache, model_dir(settings), dirs_exist_ok=True)
"""


def _prepare(env: dict[str, str]) -> None:
    """Migrate and create the log-ins (in a child process: the keyring comes from env)."""
    done = subprocess.run(
        [sys.executable, "-c", SETUP % PASSWORD], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"set-up failed: {done.stderr[-2000:]}")


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ctip", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def _wait_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 600  # start-up loads the offer model in every worker
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def _tokens(base: str) -> list[dict[str, str]]:
    headers = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for name in ("load-officer-1", "load-officer-2", "load-officer-3"):
            got = await client.post(
                "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
            )
            got.raise_for_status()
            headers.append({"Authorization": f"Bearer {got.json()['access_token']}"})
    return headers


async def _user(
    number: int, base: str, headers: dict[str, str], stop: float, result: LoadResult
) -> None:
    rng = random.Random(number)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        while time.monotonic() < stop:
            roll = rng.random()
            if roll < 0.25:
                kind = "write"
                title = f"Load test case {number}-{rng.randrange(10**9)}"
                call = client.post(
                    "/api/v1/cases",
                    json={"title": title, "province": "KH-12", "opened_on": "2026-01-15"},
                )
            elif roll < 0.55:
                kind = "read"
                if result.written and rng.random() < 0.6:
                    call = client.get(f"/api/v1/cases/{rng.choice(result.written)}")
                else:
                    call = client.get("/api/v1/cases", params={"province": "KH-12"})
            elif roll < 0.80:
                kind = "search"
                if rng.random() < 0.5:
                    call = client.get("/api/v1/persons", params={"q": rng.choice(["Sok", "Dara"])})
                else:
                    call = client.get(
                        "/api/v1/identifiers/search", params={"value": "+855 12 345 678"}
                    )
            else:
                kind = "offer"
                call = client.post("/api/v1/offers/check", json={"text": OFFER})
            began = time.monotonic()
            try:
                response = await call
            except httpx.TransportError as exc:
                result.server_errors.append(f"{kind}: {type(exc).__name__}")
                continue
            result.latencies[kind].append(time.monotonic() - began)
            if response.status_code >= 500:
                result.server_errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
            elif kind == "write" and response.status_code == 201:
                result.written.append(int(response.json()["id"]))
            elif response.status_code not in (200, 201):
                result.other_status[response.status_code] += 1


async def _read_back(base: str, headers: dict[str, str], result: LoadResult) -> None:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        for case_id in result.written:
            for attempt in range(3):  # a read that times out proves nothing either way
                try:
                    found = (await client.get(f"/api/v1/cases/{case_id}")).status_code == 200
                    break
                except httpx.TimeoutException:
                    if attempt == 2:
                        raise
            if not found:
                result.lost.append(case_id)


async def _drive(base: str, users: int, seconds: float, result: LoadResult) -> None:
    tokens = await _tokens(base)
    began = time.monotonic()
    stop = began + seconds
    await asyncio.gather(
        *(_user(n, base, tokens[n % len(tokens)], stop, result) for n in range(users))
    )
    result.seconds = time.monotonic() - began
    await _read_back(base, tokens[0], result)


def run_load(
    database_url: str, data_dir: Path, *, backend: str, users: int, seconds: float, workers: int = 2
) -> LoadResult:
    """Serve a fresh database with ``workers`` processes and load it; the server is stopped."""
    env = _environment(database_url, data_dir)
    _prepare(env)
    port = _free_port()
    server = _serve(env, port, workers)
    result = LoadResult(backend, users, seconds)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_wait_up(base, server))
        asyncio.run(_drive(base, users, seconds, result))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return result


def _fresh_postgres(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _load_average() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> None:
    seconds = float(os.environ.get("CTIP_BENCH_LOAD_SECONDS", "60"))
    users = int(os.environ.get("CTIP_BENCH_LOAD_USERS", "50"))
    workers = int(os.environ.get("CTIP_BENCH_LOAD_WORKERS", "2"))
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if os.environ.get("CTIP_TEST_POSTGRES_URL"):
        backends.append(("postgresql", os.environ["CTIP_TEST_POSTGRES_URL"]))
    print(f"{users} users, {seconds:.0f} s, {workers} worker processes, loopback; mix:")
    print("25% case writes, 30% case reads, 25% person/identifier searches, 20% offer checks")
    for backend, url in backends:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            database = _fresh_postgres(url) if url else f"sqlite:///{data / 'load.sqlite3'}"
            before = _load_average()
            result = run_load(
                database, data, backend=backend, users=users, seconds=seconds, workers=workers
            )
        print(f"{backend:<10} load average before {before}, after {_load_average()}")
        for line in result.lines():
            print(line)
        for error in result.server_errors[:5]:
            print(f"{'':<10} error: {error}")


if __name__ == "__main__":
    main()

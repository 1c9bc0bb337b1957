"""``ctip serve --workers 2``: no 40 ms Nagle stall on keep-alive responses, and several
worker processes writing to one SQLite file without "database is locked"."""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from ctip.web.serving import listening_socket

PASSWORD = "serving-password-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """One kept-alive HTTP/1.1 connection (the standard library's)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = headers or {}

    def request(self, method: str, path: str, body: Any = None, form: bool = False):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = urlencode(body) if form else json.dumps(body)
            headers["Content-Type"] = (
                "application/x-www-form-urlencoded" if form else "application/json"
            )
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload

    def close(self) -> None:
        self.conn.close()


def _ctip(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """``ctip serve --workers 2`` on a fresh SQLite database, with an officer of KH-1."""
    data = Path(tmp_path_factory.mktemp("serve"))
    env = {
        **os.environ,
        "CTIP_DATA_DIR": str(data),
        "CTIP_DATABASE_URL": f"sqlite:///{data / 'ctip.sqlite3'}",
        "CTIP_ENV": "test",
    }
    _ctip(env, "db", "upgrade")
    _ctip(env, "user", "create", "--username", "officer", "--password", PASSWORD,
          "--role", "provincial_officer", "--province", "KH-1")  # fmt: skip
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ctip.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                probe = Client(port)
                status, _ = probe.request("GET", "/healthz")
                probe.close()
                if status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "ctip serve did not start"
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_listening_socket_is_tcp_so_asyncio_sets_nodelay() -> None:
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
    finally:
        sock.close()


def test_two_workers_answer_keep_alive_requests_without_the_40_ms_stall(
    two_workers: tuple[int, int],
) -> None:
    client = Client(two_workers[0])  # one kept-alive connection
    for _ in range(5):
        assert client.request("GET", "/healthz")[0] == 200
    timings = []
    for _ in range(40):
        started = time.perf_counter()
        assert client.request("GET", "/healthz")[0] == 200
        timings.append((time.perf_counter() - started) * 1000)
    client.close()
    # With Nagle on, every response waits ~40 ms for the client's delayed ACK.
    assert statistics.median(timings) < 15, sorted(timings)


def test_two_workers_write_one_sqlite_file_without_database_is_locked(
    two_workers: tuple[int, int],
) -> None:
    port = two_workers[0]
    login = Client(port)
    status, payload = login.request(
        "POST", "/api/v1/auth/token", {"username": "officer", "password": PASSWORD}, form=True
    )
    login.close()
    assert status == 200, payload
    token = json.loads(payload)["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    def create(i: int) -> int:
        body = {
            "title": f"Compound {i}",
            "province": "KH-1",
            "exploitation_types": ["ForcedLabour"],
            "opened_on": "2024-01-31",
        }
        client = Client(port, headers)
        status, payload = client.request("POST", "/api/v1/cases", body)
        assert status == 201, payload
        case_id = int(json.loads(payload)["id"])
        for _ in range(3):  # audited reads: an audit write after each
            status, payload = client.request("GET", f"/api/v1/cases/{case_id}")
            assert status == 200, payload
            status, payload = client.request("GET", "/api/v1/cases")
            assert status == 200, payload
        client.close()
        return case_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(create, range(24)))
    assert len(set(made)) == 24
    client = Client(port, headers)
    status, payload = client.request("GET", "/api/v1/cases?page_size=100")
    client.close()
    assert status == 200, payload
    listed = json.loads(payload)
    assert {item["id"] for item in listed["items"]} >= set(made)


def test_connections_opened_together_are_spread_over_both_workers(
    two_workers: tuple[int, int],
) -> None:
    """With one socket shared by the workers, whichever woke first accepted all 20 (two
    tries in three); with a socket per worker the kernel spreads them (all 20 on one of two
    sockets by chance: about 2 in a million)."""
    import psutil

    port, supervisor = two_workers
    clients = [Client(port) for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda c: c.request("GET", "/healthz")[0], clients))
    assert statuses == [200] * 20
    held: dict[int, int] = {}
    for worker in psutil.Process(supervisor).children(recursive=True):
        try:
            connections = worker.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        served = [c for c in connections if c.status == psutil.CONN_ESTABLISHED]
        served = [c for c in served if c.laddr and c.laddr.port == port]
        if served:
            held[worker.pid] = len(served)
    for client in clients:
        client.close()
    assert sum(held.values()) == 20, held
    assert len(held) == 2 and min(held.values()) >= 1, held


def test_serve_refuses_a_port_another_process_already_listens_on(tmp_path: Path) -> None:
    """A squatter on the port (even one that set SO_REUSEPORT) stops ``ctip serve
    --workers 2`` instead of sharing its connections."""
    squatter = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    port = squatter.getsockname()[1]
    env = {
        **os.environ,
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_DATABASE_URL": f"sqlite:///{tmp_path / 'ctip.sqlite3'}",
        "CTIP_ENV": "test",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ctip.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            capture_output=True,
            timeout=120,
        )
    finally:
        squatter.close()
    assert done.returncode != 0
    assert b"in use" in done.stderr, done.stderr[-500:]

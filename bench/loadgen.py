"""Serving an app in a subprocess and loading it with 20 concurrent clients on loopback.

The load generator is ``wrk`` (Debian's package) when installed, which costs the server little
CPU; otherwise an asyncio client in this process.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Load:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def line(self, ceiling: Load | None = None) -> str:
        share = f"  {100 * self.rps / ceiling.rps:5.1f}% of ceiling" if ceiling else ""
        return (
            f"{self.name:<44} {self.rps:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  errors {self.errors}{share}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(target: str, env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Run ``uvicorn target`` (``module:app`` or ``module:factory()``) and yield its base URL."""
    port = free_port()
    factory = target.endswith("()")
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        target.removesuffix("()"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ] + (["--factory"] if factory else [])
    proc = subprocess.Popen(args, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def _ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[0-9.]+", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(name: str, url: str, headers: dict[str, str], seconds: int, clients: int) -> Load:
    args = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--latency", url]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        out,
    )
    total_errors = int(errors.group(1)) if errors else 0
    if socket_errors:
        total_errors += sum(int(g) for g in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    return Load(name, rps, _ms(latency["50"]), _ms(latency["99"]), total_errors)


async def _client_loop(
    client: httpx.AsyncClient, url: str, until: float, samples: list[float], failures: list[int]
) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        response = await client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            failures.append(response.status_code)


async def _python_load(
    url: str, headers: dict[str, str], seconds: int, clients: int
) -> tuple[list[float], list[int]]:
    samples: list[float] = []
    failures: list[int] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client_loop(client, url, until, samples, failures) for _ in range(clients))
        )
    return samples, failures


def load(
    name: str, url: str, headers: dict[str, str] | None = None, seconds: int = 10, clients: int = 20
) -> Load:
    """Requests per second and latency percentiles of GET ``url`` under ``clients`` clients."""
    headers = headers or {}
    if shutil.which("wrk"):
        return _wrk(name, url, headers, seconds, clients)
    samples, failures = asyncio.run(_python_load(url, headers, seconds, clients))
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return Load(
        name + " (python client)",
        len(samples) / seconds,
        statistics.median(samples),
        p99,
        len(failures),
    )

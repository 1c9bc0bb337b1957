"""Serving an app with ``ctip serve``'s machinery and loading it with ``wrk`` on loopback.

Servers run in a subprocess through :func:`ctip.web.serving.serve` (the ``IPPROTO_TCP``
listening socket, a socket per worker for several), CTIP itself as
``ctip serve --workers N``. The load generator is Debian's ``wrk`` (``scripts/bench-env.sh``
installs it for ``make bench``): it costs the server little CPU and reports latency
percentiles, requests per second and errors.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Load:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def line(self, reference: Load | None = None, label: str = "ceiling") -> str:
        share = f"  {100 * self.rps / reference.rps:5.1f}% of {label}" if reference else ""
        return (
            f"{self.name:<44} {self.rps:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  errors {self.errors}{share}"
        )


def available() -> bool:
    """Whether the load generator is installed."""
    return shutil.which("wrk") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    env: dict[str, str], workers: int, app: str | None = None, ready: str = "/healthz"
) -> Iterator[str]:
    """Serve CTIP (``ctip serve --workers N``) or ``app`` (a ``module:factory``, through the
    same serving code) in a subprocess and yield its base URL once ``ready`` answers."""
    port = free_port()
    if app is None:
        args = ["-m", "ctip.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        args += ["--workers", str(workers)]
    else:
        code = (
            "import sys; from ctip.web.serving import serve; "
            "serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), app=sys.argv[4])"
        )
        args = ["-c", code, "127.0.0.1", str(port), str(workers), app]
    proc = subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url + ready, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300  # workers import the app slowly on a busy machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not start")


def _ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[0-9.]+", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(
    name: str,
    url: str,
    headers: dict[str, str] | None = None,
    seconds: int = 3,
    clients: int = 20,
    warmup: int = 1,
) -> Load:
    """Requests per second, latency percentiles and errors (non-2xx/3xx responses, socket
    errors and timeouts) of GET ``url`` under ``clients`` keep-alive connections, after a
    ``warmup`` run of the same load that is not counted."""
    args = ["wrk", "-t", "1", "-c", str(clients), "--latency", "--timeout", "5s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    if warmup:
        subprocess.run([*args, "-d", f"{warmup}s", url], capture_output=True, check=True)
    out = subprocess.run(
        [*args, "-d", f"{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    total_errors = int(errors.group(1)) if errors else 0
    if socket_errors:
        total_errors += sum(int(g) for g in socket_errors.groups())
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    if rps is None or not latency:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    if re.search(r"^\s+0 requests in", out, re.M):  # every request outlasted the run
        name += f" (none finished in {seconds} s: raise CTIP_BENCH_SECONDS)"
    return Load(name, float(rps.group(1)), _ms(latency["50"]), _ms(latency["99"]), total_errors)

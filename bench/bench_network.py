"""Networks: communities on a large synthetic graph, and the network page over HTTP.

1. Leiden communities (``ctip.network.analysis.leiden``, leidenalg, modularity with a
   resolution parameter) on a synthetic graph of ``CTIP_BENCH_NETWORK_EDGES`` edges (default
   100,000; issue 7 goal: 1,000,000 edges in ≤ 30 s), beside igraph's connected components
   and multilevel (Louvain) on the same graph in the same run.
2. The network page of a busy broker, 3 hops, over HTTP on ``CTIP_BENCH_NETWORK_CASES`` demo
   cases (default 400, the ``make run`` demo), as the demo investigator (goal ≤ 300 ms),
   beside the same server's case page in the same run.
"""

from __future__ import annotations

import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import igraph as ig

from ctip.network.analysis import leiden

try:
    import httpx
except ModuleNotFoundError:  # this environment ships the client as httpx2
    import httpx2 as httpx  # type: ignore[no-redef]

OUT = Path(__file__).parent / "out"
EDGES = int(os.environ.get("CTIP_BENCH_NETWORK_EDGES", "100000"))
CASES = int(os.environ.get("CTIP_BENCH_NETWORK_CASES", "400"))
REQUESTS = int(os.environ.get("CTIP_BENCH_NETWORK_REQUESTS", "30"))
COMMUNITY = 40  # nodes per planted community
INSIDE = 0.9  # share of edges inside a community


def synthetic(edges: int, seed: int = 7) -> ig.Graph:
    """A planted-partition graph: communities of COMMUNITY nodes, INSIDE of the edges within
    one, the rest between random communities (about 5 edges per node)."""
    rng = random.Random(seed)
    nodes = max(COMMUNITY * 2, edges // 5)
    blocks = nodes // COMMUNITY
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a = rng.randrange(nodes)
        if rng.random() < INSIDE:
            b = (a // COMMUNITY) * COMMUNITY + rng.randrange(COMMUNITY)
        else:
            b = rng.randrange(blocks) * COMMUNITY + rng.randrange(COMMUNITY)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return ig.Graph(n=nodes, edges=sorted(pairs))


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The result, wall seconds and CPU seconds of this process (igraph runs in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started, time.process_time() - cpu


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def communities() -> None:
    graph, built, _ = _timed(synthetic, EDGES)
    print(
        f"synthetic graph: {graph.vcount():,} nodes, {graph.ecount():,} edges "
        f"(built in {built:.1f} s; {COMMUNITY}-node planted communities, {INSIDE:.0%} inside)"
    )
    components, t_cc, c_cc = _timed(graph.connected_components)
    print(
        f"reference  igraph connected components: {t_cc:6.2f} s wall, {c_cc:6.2f} s CPU  "
        f"({len(components):,} components)"
    )
    louvain, t_ml, c_ml = _timed(graph.community_multilevel)
    print(
        f"reference  igraph multilevel (Louvain):   {t_ml:6.2f} s wall, {c_ml:6.2f} s CPU  "
        f"({len(louvain):,} communities, modularity {graph.modularity(louvain.membership):.3f})"
    )
    # leidenalg takes minutes on a million edges on two cores: shown on smaller graphs only.
    for engine in ("igraph", "leidenalg") if graph.ecount() <= 300_000 else ("igraph",):
        membership, seconds, cpu = _timed(leiden, graph, 1.0, engine=engine)
        print(
            f"CTIP       Leiden ({engine}, resolution 1): {seconds:6.2f} s wall, {cpu:6.2f} s CPU  "
            f"({len(set(membership)):,} communities, modularity "
            f"{graph.modularity(membership):.3f}; goal ≤ 30 s at 1,000,000 edges); "
            f"load average {_load()}",
            flush=True,
        )


def _ctip(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ctip.cli", *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _login(client: httpx.Client, username: str = "investigator") -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post(
        "/login",
        data={"username": username, "password": "demo-password", "csrf_token": token.group(1)},
    )


def _latency(client: httpx.Client, path: str) -> tuple[float, float]:
    client.get(path).raise_for_status()  # warm
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


@contextmanager
def _serve(env: dict[str, str]) -> Iterator[str]:
    """The app under uvicorn (one process) on a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = [sys.executable, "-m", "uvicorn", "ctip.web.app:create_app", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen([*args, "--no-access-log"], env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"the app did not start at {url}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def network_page() -> None:
    data_dir = OUT / "network"
    env = {
        "CTIP_DATA_DIR": str(data_dir),
        "CTIP_DATABASE_URL": f"sqlite:///{data_dir / f'network-{CASES}.sqlite3'}",
        "CTIP_ENV": "test",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    _ctip(env, "db", "upgrade")
    _ctip(env, "demo", "load", "--cases", str(CASES), "--seed", "2024", "--if-empty")
    with _serve(env) as base, httpx.Client(base_url=base) as client:
        _login(client)
        html = client.get("/network").text
        centre = re.search(r'href="/network/person/(\d+)\?hops=3"', html)
        assert centre is not None, "no network in the investigator's scope"
        person = centre.group(1)
        case = re.search(r'href="/cases/(\d+)"', client.get(f"/network/person/{person}").text)
        page = client.get(f"/network/person/{person}?hops=3").text
        nodes = page.count('class="node ')
        print(f"{CASES} demo cases, the investigator's busiest network, person {person}")
        if case:
            median, p95 = _latency(client, f"/cases/{case.group(1)}")
            print(f"reference  case page: median {median:6.1f} ms, p95 {p95:6.1f} ms")
        median, p95 = _latency(client, f"/network/person/{person}?hops=3")
        print(
            f"CTIP       network page, 3 hops ({nodes} nodes): median {median:6.1f} ms, "
            f"p95 {p95:6.1f} ms (goal ≤ 300 ms); load average {_load()}"
        )
        median, p95 = _latency(client, f"/network/person/{person}?hops=1")
        print(f"CTIP       network page, 1 hop: median {median:6.1f} ms, p95 {p95:6.1f} ms")
        with httpx.Client(base_url=base) as national:
            _login(national, "secretariat")
            wide = national.get(f"/network/person/{person}?hops=3").text.count('class="node ')
            median, p95 = _latency(national, f"/network/person/{person}?hops=3")
            print(
                f"CTIP       the same, as the secretariat (national scope, {wide} nodes): "
                f"median {median:6.1f} ms, p95 {p95:6.1f} ms"
            )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    communities()
    network_page()


if __name__ == "__main__":
    main()

"""A short load on loopback (10 users for a few seconds against 2 uvicorn worker processes on
SQLite): no server error, no acknowledged write lost.
The full-size run is ``bench/bench_load.py``."""

from __future__ import annotations

import os
from pathlib import Path

from bench.bench_load import run_load

SECONDS = float(os.environ.get("CTIP_LOAD_SMOKE_SECONDS", "6"))


def test_short_load_on_two_workers_loses_nothing(tmp_path: Path) -> None:
    result = run_load(
        f"sqlite:///{tmp_path / 'load.sqlite3'}",
        tmp_path,
        backend="sqlite",
        users=10,
        seconds=SECONDS,
        workers=2,
    )
    assert result.server_errors == [], result.server_errors[:5]
    assert result.written, "no write was acknowledged"
    assert result.lost == [], f"acknowledged writes not found afterwards: {result.lost[:10]}"
    assert result.requests > len(result.written)
    assert set(result.latencies) == {"read", "write", "search", "offer"}

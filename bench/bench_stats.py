"""Statistics: the annual report over demo cases, beside bare DuckDB queries.

Measured in one run on a fresh SQLite registry of ``CTIP_BENCH_STATS_CASES`` demo cases
(default 5,000; issue 8's target is 1,000,000):
- the annual report end to end (fresh analytic copy built, every table for the year and the
  previous year, goals, PDF) — goal ≤ 10 s at 1,000,000 cases;
- the same report on the up-to-date copy (incremental refresh + tables + goals + Khmer PDF)
  beside bare DuckDB queries computing the same tables on that copy — goal ≤ 2×; both are
  measured ``CTIP_BENCH_STATS_REPEAT`` times (default 3), alternating, and the ratio is of
  the medians, with the load average beside it (the machine is shared);
- bringing the copy up to date after 1,000 new cases — goal ≤ 5 s;
- the dashboard's goal panel (three goals) through the app — goal ≤ 200 ms.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path

import duckdb

from bench.demo_registry import demo_registry
from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.demo.loader import load
from ctip.stats import analytic, goals
from ctip.stats.engine import Period
from ctip.stats.outputs import to_pdf
from ctip.stats.queries import (
    DURATIONS,
    PREPARE_PERIOD,
    PREPARE_SCOPE,
    combined,
    combined_rows,
    combined_totals,
    parameters,
    scope_view,
)
from ctip.stats.service import annual_report
from ctip.web.fonts import khmer_font

CASES = int(os.environ.get("CTIP_BENCH_STATS_CASES", "5000"))
REPEAT = int(os.environ.get("CTIP_BENCH_STATS_REPEAT", "3"))
YEAR = 2024
NEW_CASES = 1000


def _bare(path: Path, stalled_days: int) -> float:
    """The same tables' SQL for the year and the previous year, straight on the copy."""
    conn = duckdb.connect(str(path), read_only=True)
    began = time.perf_counter()
    conn.execute(scope_view(scoped=False, province=None))
    for statement in PREPARE_SCOPE:
        conn.execute(statement)
    for period in (Period.year(YEAR), Period.year(YEAR - 1)):
        values = {
            "start": period.start,
            "end": period.end,
            "asof": period.end,
            "stalled_days": stalled_days,
        }
        statements = [*PREPARE_PERIOD, combined(), combined_totals(), combined_rows()]
        for sql in statements + [q.sql for q in DURATIONS]:
            conn.execute(sql, parameters(sql, values)).fetchall()
    seconds = time.perf_counter() - began
    conn.close()
    return seconds


def _report(sessions, settings: Settings) -> float:
    began = time.perf_counter()
    with sessions() as session, session.begin():
        report = annual_report(session=session, actor=SYSTEM, settings=settings, year=YEAR)
    to_pdf(report, khmer_font(settings), "km")
    return time.perf_counter() - began


def _panel(settings: Settings, sessions) -> float:
    """Median of ten goal-panel requests through the app (copy fresh, no refresh)."""
    from fastapi.testclient import TestClient

    from ctip.auth.service import create_user
    from ctip.web.app import create_app

    with sessions() as session, session.begin():
        create_user(session, username="bench-sec", password="bench-password-1", role="secretariat")
        for metric, comparison, target in (
            ("suspects.convicted", ">=", 150),
            ("durations.intervention_to_charge", "<=", 90),
            ("cases.stalled", "<=", 20),
        ):
            goals.create(
                session=session,
                actor=SYSTEM,
                metric=metric,
                comparison=comparison,
                target=target,
                year=date.today().year,
            )
    app = create_app(settings)
    times = []
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "bench-sec", "password": "bench-password-1"}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        client.get("/api/v1/stats/goals", headers=headers)
        for _ in range(10):
            began = time.perf_counter()
            assert client.get("/api/v1/stats/goals", headers=headers).status_code == 200
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    with demo_registry(CASES) as (settings, engine, sessions):
        end_to_end = _report(sessions, settings)
        print(
            f"annual report end to end (fresh copy, PDF km): {end_to_end:.2f} s "
            f"(goal at 1,000,000 cases: <= 10 s)",
            flush=True,
        )
        path = analytic.copy_path(settings)
        assert path is not None
        warm, bare = [], []
        for _ in range(REPEAT):
            warm.append(_report(sessions, settings))
            bare.append(_bare(path, settings.stats_stalled_days))
        w, b = statistics.median(warm), statistics.median(bare)
        print(
            f"annual report on the up-to-date copy (median of {REPEAT}): {w:.2f} s; bare DuckDB "
            f"queries, same tables: {b:.2f} s; ratio {w / b:.2f}x (goal <= 2x; runs "
            f"{', '.join(f'{x:.2f}' for x in warm)} / {', '.join(f'{x:.2f}' for x in bare)} s; "
            f"load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        load(engine, cases=CASES + NEW_CASES, seed=2024, settings=settings)
        with sessions() as session, analytic.open_copy(settings) as conn:
            result = analytic.refresh(conn, session=session, settings=settings)
        print(
            f"copy refresh after {NEW_CASES} new cases: {result.seconds:.2f} s "
            f"({result.rows} rows, rebuilt={result.rebuilt}; goal <= 5 s)",
            flush=True,
        )
        panel = _panel(settings, sessions)
        print(
            f"goal panel (3 goals, API, median of 10): {panel * 1000:.0f} ms (goal <= 200 ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()

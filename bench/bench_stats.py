"""Statistics: the annual report over demo cases, beside bare DuckDB queries.

Measured in one run on a SQLite registry of ``CTIP_BENCH_STATS_CASES`` demo cases (default
5,000; issue 8's target is 1,000,000), fresh in a temporary directory, or kept and reused in
``CTIP_BENCH_STATS_DATA_DIR`` (created and loaded by the first run, topped up to the asked
size when smaller, and growing by the 1,000 cases of the refresh step on each run):
- the annual report end to end (analytic copy removed first, so it is built anew; every table
  for the year and the previous year, goals, Khmer PDF) — goal ≤ 10 s at 1,000,000 cases;
  printed per stage (open + full build, refresh, scope, period, previous, goals, PDF);
- the same report on the up-to-date copy (incremental refresh + tables + goals + Khmer PDF)
  beside bare DuckDB queries computing the same tables on that copy — goal ≤ 2×; both are
  measured ``CTIP_BENCH_STATS_REPEAT`` times (default 3), alternating, and the ratio is of
  the medians, with the load average beside it (the machine is shared); the ratio without
  the PDF is printed too;
- bringing the copy up to date after 1,000 new cases, wall and CPU — goal ≤ 5 s;
- the dashboard's goal panel (three goals) through the app: it reads the goal figures stored
  per scope (``ctip.stats.goal_figures``) — its first request and the median of ten, wall and
  CPU — beside, in the same run, storing them (the background / ``ctip stats goal-figures``
  work) and the live computation (``/api/v1/stats/goals``): the process's first request, a
  request with the figures computed again, and the median of ten (cached for the minute) —
  goal ≤ 200 ms.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.demo_registry import cpu_seconds as _cpu
from bench.demo_registry import demo_registry
from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.demo.loader import load, loaded_cases
from ctip.stats import analytic, goal_figures, goals
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
DATA_DIR = os.environ.get("CTIP_BENCH_STATS_DATA_DIR") or None
YEAR = 2024
NEW_CASES = 1000
SEED = 2024
BARE_CPU: list[float] = []  # CPU seconds of each bare run


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _bare(path: Path, stalled_days: int) -> float:
    """The same tables' SQL for the year and the previous year, straight on the copy."""
    conn = duckdb.connect(str(path), read_only=True)
    began, cpu = time.perf_counter(), _cpu()
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
    BARE_CPU.append(_cpu() - cpu)
    conn.close()
    return seconds


def _report(sessions: Any, settings: Settings) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, CPU seconds and per-stage seconds of one report with its Khmer PDF."""
    began, cpu = time.perf_counter(), _cpu()
    with sessions() as session, session.begin():
        report = annual_report(session=session, actor=SYSTEM, settings=settings, year=YEAR)
    pdf_began = time.perf_counter()
    to_pdf(report, khmer_font(settings), "km")
    stages = dict(report.timings)
    stages["pdf"] = time.perf_counter() - pdf_began
    return time.perf_counter() - began, _cpu() - cpu, stages


def _stages(stages: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items())


def _panel(settings: Settings, sessions: Any) -> dict[str, float]:
    """Goal-panel requests through the app with the copy fresh: the process's first (its
    first DuckDB statements and lazy imports included), one more with the figures computed
    again, and the median of ten more (figures cached for the minute the copy may be
    stale)."""
    from fastapi.testclient import TestClient

    from ctip.auth.service import create_user
    from ctip.web.app import create_app

    with sessions() as session, session.begin():
        if not goals.goals_for(session, SYSTEM, Period.year(date.today().year)):
            create_user(
                session, username="bench-sec", password="bench-password-1", role="secretariat"
            )
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
    out: dict[str, float] = {}
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "bench-sec", "password": "bench-password-1"}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        goals.forget_cached()
        began = time.perf_counter()
        assert client.get("/api/v1/stats/goals", headers=headers).status_code == 200
        out["live_cold"] = time.perf_counter() - began
        goals.forget_cached()
        began, cpu = time.perf_counter(), _cpu()
        assert client.get("/api/v1/stats/goals", headers=headers).status_code == 200
        out["live_again"], out["live_again_cpu"] = time.perf_counter() - began, _cpu() - cpu
        for _ in range(10):
            began = time.perf_counter()
            assert client.get("/api/v1/stats/goals", headers=headers).status_code == 200
            times.append(time.perf_counter() - began)
        out["live_cached"] = statistics.median(times)
        # What the background run (and ``ctip stats goal-figures``) does for the national scope.
        began, cpu = time.perf_counter(), _cpu()
        with sessions() as session, session.begin():
            goal_figures.store(session=session, settings=settings, scopes=["national"])
        out["store"], out["store_cpu"] = time.perf_counter() - began, _cpu() - cpu
        # The panel reading the stored figures (fresh: nothing scheduled after the answer).
        walls, cpus = [], []
        for _ in range(11):
            began, cpu = time.perf_counter(), _cpu()
            answer = client.get("/api/v1/stats/goals/panel", headers=headers)
            walls.append(time.perf_counter() - began)
            cpus.append(_cpu() - cpu)
            assert answer.status_code == 200
            assert all(row["computed_at"] for row in answer.json())
        out["stored_first"] = walls[0]
        out["stored"], out["stored_cpu"] = statistics.median(walls[1:]), statistics.median(cpus[1:])
    return out


def main() -> None:
    directory = Path(DATA_DIR) if DATA_DIR else None
    with demo_registry(CASES, seed=SEED, directory=directory) as (settings, engine, sessions):
        with sessions() as session:
            cases = loaded_cases(session, SEED)
        path = analytic.copy_path(settings)
        assert path is not None
        for stale in (path, path.with_suffix(".duckdb.wal")):
            stale.unlink(missing_ok=True)  # the end-to-end run builds the copy anew
        wall, cpu, stages = _report(sessions, settings)
        print(
            f"{cases} cases: annual report end to end (copy built anew, PDF km): {wall:.2f} s "
            f"wall, {cpu:.2f} s CPU (goal at 1,000,000 cases: <= 10 s); stages: "
            f"{_stages(stages)}; load average {_load()}",
            flush=True,
        )
        warm, bare, no_pdf, warm_cpu = [], [], [], []
        for _ in range(REPEAT):
            wall, cpu, stages = _report(sessions, settings)
            warm.append(wall)
            warm_cpu.append(cpu)
            no_pdf.append(wall - stages["pdf"])
            bare.append(_bare(path, settings.stats_stalled_days))
        w, b, n = statistics.median(warm), statistics.median(bare), statistics.median(no_pdf)
        print(
            f"annual report on the up-to-date copy (median of {REPEAT}): {w:.2f} s wall, "
            f"{statistics.median(warm_cpu):.2f} s CPU; bare DuckDB "
            f"queries, same tables: {b:.2f} s wall, {statistics.median(BARE_CPU):.2f} s CPU; "
            f"ratio {w / b:.2f}x (goal <= 2x), without the PDF "
            f"{n / b:.2f}x; runs {', '.join(f'{x:.2f}' for x in warm)} / "
            f"{', '.join(f'{x:.2f}' for x in bare)} s; last stages: {_stages(stages)}; "
            f"load average {_load()}",
            flush=True,
        )
        load(engine, cases=cases + NEW_CASES, seed=SEED, settings=settings)
        began, cpu = time.perf_counter(), _cpu()
        with sessions() as session, analytic.open_copy(settings) as conn:
            result = analytic.refresh(conn, session=session, settings=settings)
        wall, cpu = time.perf_counter() - began, _cpu() - cpu
        print(
            f"copy refresh after {NEW_CASES} new cases: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"({result.rows} rows read, rebuilt={result.rebuilt}; goal <= 5 s); "
            f"load average {_load()}",
            flush=True,
        )
        p = _panel(settings, sessions)
        print(
            f"goal panel (3 goals, API) reading stored figures: first request "
            f"{p['stored_first'] * 1000:.0f} ms, median of 10 {p['stored'] * 1000:.1f} ms wall, "
            f"{p['stored_cpu'] * 1000:.1f} ms CPU (goal <= 200 ms); storing them (background "
            f"run, national scope) {p['store']:.2f} s wall, {p['store_cpu']:.2f} s CPU; "
            f"live through /api/v1/stats/goals: first request of the process "
            f"{p['live_cold'] * 1000:.0f} ms, figures computed again "
            f"{p['live_again'] * 1000:.0f} ms wall, {p['live_again_cpu'] * 1000:.0f} ms CPU, "
            f"cached (median of 10) {p['live_cached'] * 1000:.0f} ms; load average {_load()}",
            flush=True,
        )


if __name__ == "__main__":
    main()

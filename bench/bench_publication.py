"""Publication: protecting the year's tables, and the CTDC export, over demo cases.

Measured in one run on a fresh SQLite registry of ``CTIP_BENCH_PUBLICATION_CASES`` demo
cases (default 3,000), each figure beside the reference it is compared with:
- the year's count tables with secondary suppression (k = 11) audited by linear programming,
  beside computing the same tables (the engine) and beside primary suppression alone, which
  the audit shows to leak (cells recovered exactly);
- a differentially private release (ε = 4) of its tables, with the 95 % margin and the mean
  absolute error beside the exact figures;
- the CTDC export (k = 11): generalise then suppress, beside suppression without
  generalisation (CTDC's k-anonymised release would have suppressed about 40 % of records).
"""

from __future__ import annotations

import os
import time

from bench.demo_registry import demo_registry
from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.stats import ctdc
from ctip.stats.disclosure import Published, determined, grid_of, publishable, suppress
from ctip.stats.engine import annual_tables
from ctip.stats.privacy import dp_tables, noisy_tables

CASES = int(os.environ.get("CTIP_BENCH_PUBLICATION_CASES", "3000"))
YEAR = 2024
K = 11


def _primary_only(grids: list) -> list[Published]:
    out = []
    for grid in grids:
        full = grid.full()
        values = [[None if 0 < v < K else v for v in row] for row in full]
        out.append(Published(grid, values, [[v is None for v in row] for row in values]))
    return out


def _tables(sessions, settings: Settings) -> tuple[list, float]:
    began = time.perf_counter()
    with sessions() as session, session.begin():
        report = annual_tables(session=session, actor=SYSTEM, settings=settings, year=YEAR)
    seconds = time.perf_counter() - began
    return [t for t in report.tables.values() if publishable(t)], seconds


def _suppression(tables: list, engine_seconds: float) -> None:
    grids = [grid_of(t) for t in tables]
    began = time.perf_counter()
    published = suppress(grids, K)
    seconds = time.perf_counter() - began
    cells = sum(len(r) for p in published for r in p.values)
    hidden = sum(p.suppressed for p in published)
    primary = sum(sum(map(sum, p.primary)) for p in published)
    leaks = len(determined(_primary_only(grids)))
    print(
        f"suppression (k = {K}) of {len(grids)} tables, {cells} figures: {seconds:.2f} s beside "
        f"{engine_seconds:.2f} s to compute them; {hidden} suppressed ({primary} primary, "
        f"{hidden - primary} secondary), {len(determined(published))} recoverable; primary "
        f"suppression alone leaves {leaks} recoverable",
        flush=True,
    )


def _dp(tables: list) -> None:
    began = time.perf_counter()
    noisy = noisy_tables(tables, 4.0)
    seconds = time.perf_counter() - began
    margin = max(q.margin for _, n in noisy for q in n.queries)
    exact = {t.key: t for t in dp_tables(tables, [t.key for t, _ in noisy])}
    errors = [
        abs(int(p or 0) - int(e or 0))
        for table, _ in noisy
        for p, e in zip(table.row_totals, exact[table.key].row_totals, strict=True)
    ]
    print(
        f"dp release (ε = 4) of {len(noisy)} tables: {seconds:.2f} s; 95 % margin of every "
        f"figure ± {margin:.1f}; mean absolute error {sum(errors) / len(errors):.1f} over "
        f"{len(errors)} figures (reference: exact figures, error 0)",
        flush=True,
    )


def _ctdc(sessions) -> None:
    with sessions() as session:
        began = time.perf_counter()
        records = [ctdc.ctdc_record(v) for v in ctdc.victims(session, actor=SYSTEM)]
        extract = time.perf_counter() - began
    began = time.perf_counter()
    result = ctdc.anonymise(records, K)
    seconds = time.perf_counter() - began
    bare = ctdc.anonymise(records, K, max_suppressed=1.0)
    print(
        f"ctdc export of {len(records)} victim records: extract {extract:.2f} s, k-anonymity "
        f"{seconds:.2f} s; suppressed {result.share_suppressed:.1%} after generalising "
        f"(levels {result.levels}) beside {bare.share_suppressed:.1%} suppressing alone "
        f"(CTDC's k = 11 reference: about 40 %)",
        flush=True,
    )


def main() -> None:
    with demo_registry(CASES) as (settings, _engine, sessions):
        tables, engine_seconds = _tables(sessions, settings)
        _suppression(tables, engine_seconds)
        _dp(tables)
        _ctdc(sessions)


if __name__ == "__main__":
    main()

"""The statistics engine: the annual review's tables for a period, nationally or per province.

``annual_tables`` brings the analytic copy up to date (``ctip.stats.analytic``), applies the
caller's scope (``ctip.auth.scope.figure_cases``), computes every table of the report with
DuckDB (SQL built in ``ctip.stats.queries``) and the same tables for the previous period of the
same length, so that each headline figure carries its change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import duckdb
import pyarrow as pa
from sqlalchemy import True_, select
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor, figure_cases, require_exact_figures, require_province
from ctip.cases.models import Case
from ctip.config import Settings
from ctip.errors import ValidationFailed
from ctip.reference import PROVINCE_CODES
from ctip.screening.flags import FLAG_READERS
from ctip.stats import analytic
from ctip.stats.definitions import BY_ID, HEADLINES, VERSION
from ctip.stats.queries import (
    DURATIONS,
    PREPARE_PERIOD,
    PREPARE_SCOPE,
    QUERIES,
    ROWS,
    SCALARS,
    Query,
    combined,
    combined_rows,
    combined_totals,
    parameters,
    prepared_for,
    scope_view,
)
from ctip.stats.tables import Figure, Table

PersonBasis = Literal["records", "linkage"]


def metric_readable(actor: Actor, metric_id: str) -> bool:
    """Whether ``actor`` may read ``metric_id``'s figures and the records behind them: the
    non-punishment figures follow the flag readers rule of ``ctip.screening.flags`` (they name
    victims who are also suspects), the suspects' figures the offender side of a case."""
    group = metric_id.split(".", 1)[0]
    if group == "nonpunishment":
        return actor.role in FLAG_READERS
    if group == "suspects":
        return actor.sees_offenders
    return True


@dataclass(frozen=True)
class Period:
    """A closed range of days ``start``..``end``; a calendar year is the usual one."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def is_year(self) -> bool:
        return (
            self.start.month == 1
            and self.start.day == 1
            and self.end == date(self.start.year, 12, 31)
        )

    @property
    def label(self) -> str:
        if self.is_year:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same length just before (the previous year for a year)."""
        if self.is_year:
            return Period.year(self.start.year - 1)
        days = (self.end - self.start).days
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=days), end)


@dataclass(frozen=True)
class Freshness:
    """How fresh the analytic copy was when the figures were computed."""

    refreshed_at: datetime
    loader: str  # attach | session
    rebuilt: bool
    rows_added: int
    seconds: float


@dataclass
class Report:
    """Every table of one report, with what a reader needs to trust it."""

    period: Period
    province: str | None
    tables: dict[str, Table]
    previous: dict[str, Figure]
    freshness: Freshness
    person_basis: PersonBasis
    stalled_days: int
    definitions_version: str = VERSION
    goals: list[dict[str, Any]] = field(default_factory=list)
    previous_goals: list[dict[str, Any]] = field(default_factory=list)
    # seconds per stage (open: the copy's lock and any full build; refresh; scope; period;
    # previous; goals): what a slow report spent its time on
    timings: dict[str, float] = field(default_factory=dict)

    def figure(self, metric_id: str) -> Figure:
        return self.tables[metric_id].value

    def change(self, metric_id: str) -> Figure:
        """This period's figure minus the previous period's (``None`` when not computable)."""
        now, before = self.figure(metric_id), self.previous.get(metric_id)
        if now is None or before is None:
            return None
        return round(now - before, 1) if isinstance(now, float) else now - before

    @property
    def headlines(self) -> tuple[str, ...]:
        """The headline figures this report carries (the reader's metrics only)."""
        return tuple(key for key in HEADLINES if key in self.tables)

    @property
    def empty(self) -> bool:
        return not self.figure("cases.total")


MIN_YEAR, MAX_YEAR = 1990, 2100


def resolve_period(
    year: int | None = None, start: date | None = None, end: date | None = None
) -> Period:
    """The period asked for: a year, or ``start``..``end``; each mistake names its field."""
    if start is not None or end is not None:
        if start is None or end is None:
            field_name = "start" if start is None else "end"
            raise ValidationFailed.single(field_name, "a period needs both a start and an end")
        if end < start:
            raise ValidationFailed.single(
                "end",
                "the period ends (%(end)s) before it starts (%(start)s)",
                start=start.isoformat(),
                end=end.isoformat(),
            )
        return Period(start, end)
    if year is None:
        raise ValidationFailed.single("year", "give a year or a period")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed.single(
            "year", "the year must lie between %(low)s and %(high)s", low=MIN_YEAR, high=MAX_YEAR
        )
    return Period.year(year)


def check_province(province: str | None) -> str | None:
    """``None`` (national) or a known ISO 3166-2:KH code."""
    if province in (None, ""):
        return None
    if province not in PROVINCE_CODES:
        raise ValidationFailed.single(
            "province", "unknown province %(value)s; use a code KH-1 to KH-25", value=province
        )
    return province


def annual_tables(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    province: str | None = None,
    stalled_days: int | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Every table of the annual review for ``year`` (or ``start``..``end``), nationally or
    for ``province``, within ``actor``'s scope, with the previous period's headline figures.

    A provincial officer's report covers their province only (another province is refused);
    a viewer gets no exact figures (only published tables, from ``ctip.stats.disclosure``).
    """
    period = resolve_period(year, start, end)
    province = check_province(province)
    require_exact_figures(actor)
    if province is not None:
        require_province(actor, province)
    days = stalled_days or settings.stats_stalled_days
    today = today or date.today()
    clock = _Clock()
    with analytic.open_copy(settings, session) as conn:
        clock.lap("open")
        fresh = analytic.refresh(conn, session=session, settings=settings, progress=progress)
        clock.lap("refresh")
        apply_scope(conn, session=session, actor=actor, province=province)
        prepare_scope(conn)
        clock.lap("scope")
        if progress:
            progress("compute")
        tables = _readable(actor, compute(conn, period, stalled_days=days, today=today))
        clock.lap("period")
        before = _readable(actor, compute(conn, period.previous(), stalled_days=days, today=today))
        clock.lap("previous")
    return Report(
        period=period,
        province=province,
        tables=tables,
        previous={key: table.value for key, table in before.items()},
        freshness=Freshness(
            fresh.refreshed_at, fresh.loader, fresh.rebuilt, fresh.rows, fresh.seconds
        ),
        person_basis=fresh.person_basis,
        stalled_days=days,
        timings=clock.laps,
    )


class _Clock:
    """Seconds between laps, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def _readable(actor: Actor, tables: dict[str, Table]) -> dict[str, Table]:
    return {key: table for key, table in tables.items() if metric_readable(actor, key)}


def apply_scope(
    conn: duckdb.DuckDBPyConnection, *, session: Session, actor: Actor, province: str | None
) -> bool:
    """Define the ``sc`` view: the cases ``figure_cases(actor)`` selects, read from the
    registry by the same clause every page uses (national readers: every case)."""
    clause = figure_cases(actor)
    scoped = not isinstance(clause, True_)
    if scoped:
        ids = session.scalars(select(Case.id).where(clause)).all()
        conn.register("_scope", pa.table({"id": pa.array(ids, type=pa.int64())}))
        conn.execute("CREATE OR REPLACE TEMP TABLE scope_ids AS SELECT id FROM _scope")
        conn.unregister("_scope")
    conn.execute(scope_view(scoped=scoped, province=province))
    return scoped


def prepare_scope(conn: duckdb.DuckDBPyConnection, metrics: frozenset[str] | None = None) -> None:
    """The base tables that depend on the scope only (run after ``sc`` changes): all, or
    those the queries of ``metrics`` read."""
    for statement in prepared_for(_chosen(metrics), PREPARE_SCOPE):
        conn.execute(statement)


def _chosen(metrics: frozenset[str] | None) -> tuple[Query, ...]:
    return tuple(q for q in QUERIES if metrics is None or q.metric in metrics)


def compute(
    conn: duckdb.DuckDBPyConnection,
    period: Period,
    *,
    stalled_days: int,
    today: date,
    metrics: frozenset[str] | None = None,
) -> dict[str, Table]:
    """Every query of ``ctip.stats.queries`` (or only ``metrics``) over ``sc`` for ``period``
    (``prepare_scope`` first): the period's base tables, then all scalar figures in one
    statement, all breakdowns in one and their distinct totals in one."""
    values: dict[str, object] = {
        "start": period.start,
        "end": period.end,
        "asof": min(period.end, today),
        "stalled_days": stalled_days,
    }

    def run(sql: str) -> duckdb.DuckDBPyConnection:
        return conn.execute(sql, parameters(sql, values))

    def wanted(queries: tuple[Query, ...]) -> tuple[Query, ...]:
        return tuple(q for q in queries if metrics is None or q.metric in metrics)

    for statement in prepared_for(_chosen(metrics), PREPARE_PERIOD):
        run(statement)
    tables: dict[str, Table] = {}
    if scalars := wanted(SCALARS):
        row = run(combined(scalars)).fetchone() or ()
        for query, value in zip(scalars, row, strict=True):
            tables[query.metric] = build(query, [("total", "total", value)], None)
    if breakdowns := wanted(ROWS):
        totals: dict[str, Figure] = {}
        if with_totals := tuple(q for q in breakdowns if q.total_sql):
            found = run(combined_totals(with_totals)).fetchone() or ()
            totals = {q.metric: _number(v) for q, v in zip(with_totals, found, strict=True)}
        grouped: dict[str, list[Any]] = {q.metric: [] for q in breakdowns}
        for metric, *rest in run(combined_rows(breakdowns)).fetchall():
            grouped[metric].append(rest)
        for query in breakdowns:
            tables[query.metric] = build(query, grouped[query.metric], totals.get(query.metric))
    for query in wanted(DURATIONS):
        tables[query.metric] = build(query, run(query.sql).fetchall(), None)
    return {q.metric: tables[q.metric] for q in QUERIES if q.metric in tables}


def build(query: Query, rows: list[Any], total: Figure) -> Table:
    """A ``Table`` from a query's rows (pure)."""
    metric = BY_ID[query.metric]
    common: dict[str, Any] = {"denominator": metric.denominator}
    if query.shape == "scalar":
        value = rows[0][2] if rows else 0
        return Table.scalar(metric.id, metric.title, metric.unit, _number(value), **common)
    if query.shape == "rows":
        counts = {str(r[0]): _number(r[2]) for r in rows}
        return Table.from_counts(
            metric.id,
            metric.title,
            metric.unit,
            query.row_dim or "",
            counts,
            total=total,
            answered=total if total is not None else None,
            additive=not metric.multi_select,
            **common,
        )
    if query.shape == "pairs":
        pairs = {(str(r[0]), str(r[1])): _number(r[2]) for r in rows}
        table = Table.from_pairs(
            metric.id,
            metric.title,
            metric.unit,
            query.row_dim or "",
            query.col_dim or "",
            pairs,
            answered=total,
            **common,
        )
        return table
    return _duration_table(metric.id, metric.title, rows, **common)


def _duration_table(key: str, title: str, rows: list[Any], **common: Any) -> Table:
    ordered = sorted(rows, key=lambda r: (r[0] != "all", str(r[0])))
    if not ordered:
        ordered = [("all", 0, None, None)]
    cells: list[list[Figure]] = [[int(r[1]), _days(r[2]), _days(r[3])] for r in ordered]
    return Table(
        key=key,
        title_msgid=title,
        unit="days",
        row_dim="group",
        col_dim="statistic",
        rows=[str(r[0]) for r in ordered],
        columns=["cases", "median", "p90"],
        cells=cells,
        row_totals=[c[1] for c in cells],
        col_totals=[None, None, None],
        total=cells[0][1],
        answered=int(cells[0][0] or 0),
        additive=False,
        statistic="median",
        **common,
    )


def _number(value: Any) -> Figure:
    if value is None:
        return 0
    return int(value) if float(value).is_integer() else float(value)


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


@dataclass(frozen=True)
class Ask:
    """Some metrics' figures for one period, nationally or for one province."""

    metrics: tuple[str, ...]
    period: Period
    province: str | None = None


def figures(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    asks: list[Ask],
    today: date | None = None,
    max_staleness_seconds: float = 60.0,
) -> list[dict[str, Figure]]:
    """The figures of each ``Ask`` (the goal panel): one connection to the copy, refreshed
    only when older than ``max_staleness_seconds``; only the queries asked for run."""
    require_exact_figures(actor)
    today = today or date.today()
    if not asks:
        return []
    out: list[dict[str, Figure]] = []
    with analytic.open_copy(settings) as conn:
        if analytic.age_seconds(conn) > max_staleness_seconds:
            analytic.refresh(conn, session=session, settings=settings)
        scoped = apply_scope(conn, session=session, actor=actor, province=None)
        prepared: object = object()  # the province the scope tables were built for
        readable = [frozenset(m for m in ask.metrics if metric_readable(actor, m)) for ask in asks]
        for ask, metrics in zip(asks, readable, strict=True):
            if ask.province != prepared:
                conn.execute(scope_view(scoped=scoped, province=ask.province))
                same = (
                    m
                    for a, r in zip(asks, readable, strict=True)
                    if a.province == ask.province
                    for m in r
                )
                prepare_scope(conn, frozenset(same))
                prepared = ask.province
            tables = compute(
                conn,
                ask.period,
                stalled_days=settings.stats_stalled_days,
                today=today,
                metrics=metrics,
            )
            out.append({key: table.value for key, table in tables.items()})
    return out

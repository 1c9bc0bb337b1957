"""The statistics engine: the annual review's tables for a period, nationally or per province.

``annual_tables`` brings the analytic copy up to date (``ctip.stats.analytic``), applies the
caller's scope (``ctip.auth.scope.figure_cases``), computes every table of the report with
DuckDB (SQL built in ``ctip.stats.queries``) and the same tables for the previous period of the
same length, so that each headline figure carries its change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from ctip.stats.definitions import VERSION
from ctip.stats.tables import Figure, Table

PersonBasis = Literal["records", "linkage"]


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

    def figure(self, metric_id: str) -> Figure:
        return self.tables[metric_id].value

    def change(self, metric_id: str) -> Figure:
        """This period's figure minus the previous period's (``None`` when not computable)."""
        now, before = self.figure(metric_id), self.previous.get(metric_id)
        if now is None or before is None:
            return None
        return round(now - before, 1) if isinstance(now, float) else now - before

    @property
    def empty(self) -> bool:
        return not self.figure("cases.total")


def annual_tables(**kwargs: Any) -> Report:
    """The report's tables (see :func:`ctip.stats.report.compute`)."""
    from ctip.stats.report import compute

    return compute(**kwargs)

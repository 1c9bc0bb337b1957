"""A statistics table as plain data: what every figure of the annual review is made of.

A ``Table`` is a metric (``key``, from :mod:`ctip.stats.definitions`) broken down by at most
two dimensions: ``rows`` and ``columns`` are codes (province ``KH-12``, exploitation type
``ForcedLabour``, sex ``Feminine`` ...), ``cells[i][j]`` the figure for row ``i`` and column
``j``. A one-dimensional table has the single column ``TOTAL_COLUMN``; a headline figure is a
table with one row and one column. Figures are integers (counts) or floats (days); ``None`` is
a cell that is not shown (suppressed, or not computable such as a median of no cases).

Totals are carried, not recomputed, because for multi-select groups (a case of two
exploitation types, a victim controlled by two means) the total of distinct units is smaller
than the sum of the cells; ``additive`` says which kind a table is, so disclosure control
knows whether row and column totals constrain the cells.

Tables are pure values: no session, no engine. They are built by the engine, suppressed or
noised by disclosure control, drawn by the charts and written by the exporters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Unit = Literal["cases", "persons", "events", "days"]
Figure = int | float | None
UNITS: tuple[str, ...] = ("cases", "persons", "events", "days")
TOTAL_COLUMN = "total"
TOTAL_ROW = "total"


@dataclass(frozen=True)
class Table:
    """One statistics table: a metric by ``row_dim`` (× ``col_dim``).

    ``row_totals[i]`` / ``col_totals[j]`` / ``total`` are the figures over the distinct
    units of row ``i`` / column ``j`` / the whole table (``None`` when not meaningful, e.g.
    for medians). ``denominator`` is the message id of the rule saying who is counted (the
    CTDC rule for multi-select groups: only units that answered the group).
    ``answered`` is the number of units in that denominator.
    """

    key: str
    title_msgid: str
    unit: Unit
    row_dim: str | None = None
    col_dim: str | None = None
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=lambda: [TOTAL_COLUMN])
    cells: list[list[Figure]] = field(default_factory=list)
    row_totals: list[Figure] = field(default_factory=list)
    col_totals: list[Figure] = field(default_factory=list)
    total: Figure = None
    denominator: str = ""
    answered: int | None = None
    additive: bool = True
    statistic: Literal["count", "median", "p90", "share"] = "count"
    suppressed: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        if len(self.cells) != len(self.rows):
            raise ValueError(f"{self.key}: {len(self.cells)} cell rows for {len(self.rows)} rows")
        for row in self.cells:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"{self.key}: a row of {len(row)} cells, {len(self.columns)} columns"
                )

    # -- reading -----------------------------------------------------------------------------

    def cell(self, row: str, column: str = TOTAL_COLUMN) -> Figure:
        """The figure at ``row`` × ``column`` (``KeyError`` for an unknown code)."""
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    def get(self, row: str, column: str = TOTAL_COLUMN, default: Figure = 0) -> Figure:
        """The figure at ``row`` × ``column``, or ``default`` when the code is absent."""
        if row not in self.rows or column not in self.columns:
            return default
        return self.cell(row, column)

    def as_dict(self) -> dict[str, Figure]:
        """A one-column table as ``{row: figure}`` (the first column of a wider one)."""
        return {row: values[0] for row, values in zip(self.rows, self.cells, strict=True)}

    @property
    def is_scalar(self) -> bool:
        return self.row_dim is None

    @property
    def value(self) -> Figure:
        """The figure of a headline (scalar) table, else its grand total."""
        if self.is_scalar and self.cells:
            return self.cells[0][0]
        return self.total

    def with_cells(self, cells: list[list[Figure]], **changes: Any) -> Table:
        """A copy with other cells (and any other field changed), e.g. after suppression."""
        return replace(self, cells=[list(r) for r in cells], **changes)

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def scalar(cls, key: str, title_msgid: str, unit: Unit, value: Figure, **extra: Any) -> Table:
        """A headline figure: one row, one column, its total the figure itself."""
        return cls(
            key=key,
            title_msgid=title_msgid,
            unit=unit,
            rows=[TOTAL_ROW],
            cells=[[value]],
            row_totals=[value],
            col_totals=[value],
            total=value,
            **extra,
        )

    @classmethod
    def from_counts(
        cls,
        key: str,
        title_msgid: str,
        unit: Unit,
        row_dim: str,
        counts: Mapping[str, Figure],
        *,
        order: Sequence[str] | None = None,
        total: Figure = None,
        keep_zeros: bool = False,
        **extra: Any,
    ) -> Table:
        """A one-dimensional table from ``{code: figure}``; rows follow ``order`` (codes not
        in it come after, sorted); ``total`` defaults to the sum (additive tables)."""
        rows = _ordered(counts, order, keep_zeros)
        cells: list[list[Figure]] = [[counts.get(r, 0)] for r in rows]
        if (
            total is None
            and extra.get("additive", True)
            and extra.get("statistic", "count") == "count"
        ):
            total = sum(int(c[0] or 0) for c in cells)
        return cls(
            key=key,
            title_msgid=title_msgid,
            unit=unit,
            row_dim=row_dim,
            rows=rows,
            cells=cells,
            row_totals=[c[0] for c in cells],
            col_totals=[total],
            total=total,
            **extra,
        )

    @classmethod
    def from_pairs(
        cls,
        key: str,
        title_msgid: str,
        unit: Unit,
        row_dim: str,
        col_dim: str,
        counts: Mapping[tuple[str, str], Figure],
        *,
        row_order: Sequence[str] | None = None,
        col_order: Sequence[str] | None = None,
        **extra: Any,
    ) -> Table:
        """A two-dimensional table from ``{(row, column): figure}`` with additive totals."""
        rows = _ordered({r: 1 for r, _ in counts}, row_order, False)
        columns = _ordered({c: 1 for _, c in counts}, col_order, False) or [TOTAL_COLUMN]
        cells: list[list[Figure]] = [[counts.get((r, c), 0) for c in columns] for r in rows]
        row_totals: list[Figure] = [sum(int(v or 0) for v in row) for row in cells]
        col_totals: list[Figure] = [
            sum(int(cells[i][j] or 0) for i in range(len(rows))) for j in range(len(columns))
        ]
        return cls(
            key=key,
            title_msgid=title_msgid,
            unit=unit,
            row_dim=row_dim,
            col_dim=col_dim,
            rows=rows,
            columns=columns,
            cells=cells,
            row_totals=row_totals,
            col_totals=col_totals,
            total=sum(int(t or 0) for t in row_totals),
            **extra,
        )

    # -- writing -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The table as JSON-ready data (the API and the ``json`` export use this)."""
        return {
            "key": self.key,
            "title": self.title_msgid,
            "unit": self.unit,
            "statistic": self.statistic,
            "row_dim": self.row_dim,
            "col_dim": self.col_dim,
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": [list(r) for r in self.cells],
            "row_totals": list(self.row_totals),
            "col_totals": list(self.col_totals),
            "total": self.total,
            "denominator": self.denominator,
            "answered": self.answered,
            "additive": self.additive,
            "suppressed": self.suppressed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Table:
        """The inverse of :meth:`to_json`."""
        return cls(
            key=data["key"],
            title_msgid=data["title"],
            unit=data["unit"],
            row_dim=data.get("row_dim"),
            col_dim=data.get("col_dim"),
            rows=list(data["rows"]),
            columns=list(data["columns"]),
            cells=[list(r) for r in data["cells"]],
            row_totals=list(data.get("row_totals", [])),
            col_totals=list(data.get("col_totals", [])),
            total=data.get("total"),
            denominator=data.get("denominator", ""),
            answered=data.get("answered"),
            additive=data.get("additive", True),
            statistic=data.get("statistic", "count"),
            suppressed=data.get("suppressed", False),
        )

    def records(self) -> Iterable[tuple[str, str, Figure]]:
        """``(row, column, figure)`` for every cell (for CSV and long-format exports)."""
        for row, values in zip(self.rows, self.cells, strict=True):
            for column, value in zip(self.columns, values, strict=True):
                yield row, column, value


def _ordered(counts: Mapping[str, Any], order: Sequence[str] | None, keep_zeros: bool) -> list[str]:
    known = [c for c in (order or ()) if c in counts and (keep_zeros or counts[c])]
    if keep_zeros and order:
        known = list(order)
    rest = sorted(c for c in counts if c not in set(known) and (keep_zeros or counts[c]))
    return known + rest

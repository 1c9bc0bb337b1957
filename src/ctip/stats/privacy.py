"""Differentially private counts with OpenDP, and the privacy budget they spend.

A release adds discrete Laplace noise (OpenDP's ``make_laplace`` on integer vectors, L1
sensitivity) to the cells of each table and derives the totals from the noisy cells where the
other dimension partitions the units, so a published table still adds up. Where a dimension
is multi-select its totals are noised as a query of their own. The release's ε is split
equally over its tables and, within a table, over its queries; what OpenDP reports as the
privacy loss of each measurement is what the release spends (basic composition).

Noisy counts below zero are published as zero (post-processing costs no privacy). Everything
here is pure: tables in, noisy tables and the ε spent out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import opendp.prelude as dp

from ctip.errors import Conflict, ValidationFailed
from ctip.reference import (
    BORDER_CROSSINGS,
    DECIDING_ORG_TYPES,
    EXPLOITATION_TYPES,
    FORCED_LABOUR_SUBTYPES,
    GENDERS,
    ISIC_SECTIONS,
    METHODS_OF_CONTROL,
    PROVINCES,
    RECRUITMENT_APPS,
    RECRUITMENT_METHODS,
    REFERRAL_SERVICES,
    TRAFFICKING_STATUSES,
)
from ctip.stats.disclosure import Grid, grid_of, table_of
from ctip.stats.queries import AGE_BANDS
from ctip.stats.tables import TOTAL_COLUMN, Figure, Table

dp.enable_features("contrib")

CONFIDENCE = 0.95


def check_epsilon(epsilon: float, field: str = "epsilon") -> None:
    """ε must be a positive finite number; refuse anything else, naming the field."""
    if not epsilon > 0 or epsilon == float("inf"):
        raise ValidationFailed.single(field, "ε (epsilon) must be greater than 0")


class BudgetExhausted(Conflict):
    """The year's privacy budget cannot pay for this release."""


def remaining(budget: float, spent: float) -> float:
    """Budget left, never below zero (rounded to hide float dust)."""
    return max(0.0, round(budget - spent, 9))


def check_budget(*, year: int, epsilon: float, spent: float, budget: float) -> None:
    """Refuse a release that would take the year's spending over its budget."""
    check_epsilon(epsilon)
    left = remaining(budget, spent)
    if epsilon > left + 1e-9:
        raise BudgetExhausted(
            "the privacy budget of %(year)s is %(budget)s; %(remaining)s is left and this "
            "release needs %(epsilon)s",
            field="epsilon",
            year=year,
            budget=f"{budget:g}",
            remaining=f"{left:g}",
            epsilon=f"{epsilon:g}",
        )


@dataclass(frozen=True)
class Query:
    """One noised vector of a table: which cells, their sensitivity, the noise scale."""

    part: str  # cells | row_totals | col_totals | total
    sensitivity: int
    scale: float
    epsilon: float

    @property
    def margin(self) -> float:
        """Half-width of the interval holding the noise with probability ``CONFIDENCE``."""
        return float(dp.discrete_laplacian_scale_to_accuracy(self.scale, 1 - CONFIDENCE))


@dataclass(frozen=True)
class NoisyGrid:
    """A grid as released with noise: ``values`` has the (R+1) x (C+1) layout of
    :meth:`Grid.full`; ``queries`` says what was noised and at what cost."""

    grid: Grid
    values: list[list[int]]
    queries: tuple[Query, ...]

    @property
    def epsilon(self) -> float:
        return sum(q.epsilon for q in self.queries)


def _parts(grid: Grid) -> list[tuple[str, int]]:
    """The queries a grid needs, with the L1 sensitivity of each (one unit added or removed
    changes one cell per partitioning dimension, up to every label of a multi-select one)."""
    r, c = grid.shape
    per_row = 1 if grid.rows_partition else r
    per_col = 1 if grid.cols_partition else c
    parts = [("cells", per_row * per_col)]
    if not grid.cols_partition:
        parts.append(("row_totals", per_row))
    if not grid.rows_partition:
        parts.append(("col_totals", per_col))
    if not grid.rows_partition and not grid.cols_partition:
        parts.append(("total", 1))
    return parts


def _measure(
    part: str, values: list[int], sensitivity: int, epsilon: float
) -> tuple[list[int], Query]:
    """Noise one integer vector with OpenDP; the loss is what OpenDP's privacy map reports."""
    domain = dp.vector_domain(dp.atom_domain(T=int))
    scale = sensitivity / epsilon
    measurement = dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=scale)
    loss = float(measurement.map(sensitivity))
    noisy = [max(0, int(v)) for v in measurement(values)]
    return noisy, Query(part, sensitivity, scale, loss)


def noisy_grid(grid: Grid, epsilon: float, *, per_unit: float | None = None) -> NoisyGrid:
    """One grid released with ε: noisy cells, totals derived or noised, all non-negative.

    Each query gets ε in proportion to its sensitivity (``per_unit`` ε per unit of
    sensitivity; default: the grid's ε spread over its queries), so all have one noise scale.
    """
    check_epsilon(epsilon)
    full = grid.full()
    r, c = grid.shape
    parts = _parts(grid)
    unit = per_unit if per_unit is not None else epsilon / sum(s for _, s in parts)
    sources = {
        "cells": [full[i][j] for i in range(r) for j in range(c)],
        "row_totals": [full[i][c] for i in range(r)],
        "col_totals": [full[r][j] for j in range(c)],
        "total": [full[r][c]],
    }
    noisy: dict[str, list[int]] = {}
    queries = []
    for part, sensitivity in parts:
        noisy[part], query = _measure(part, sources[part], sensitivity, unit * sensitivity)
        queries.append(query)
    return NoisyGrid(grid, _assemble(grid, noisy), tuple(queries))


def _assemble(grid: Grid, noisy: dict[str, list[int]]) -> list[list[int]]:
    r, c = grid.shape
    cells = [noisy["cells"][i * c : (i + 1) * c] for i in range(r)]
    row_totals = noisy.get("row_totals") or [sum(row) for row in cells]
    col_totals = noisy.get("col_totals") or [sum(cells[i][j] for i in range(r)) for j in range(c)]
    if "total" in noisy:
        grand = noisy["total"][0]
    elif grid.rows_partition:
        grand = sum(row_totals)
    else:
        grand = sum(col_totals)
    out = [[*row, row_totals[i]] for i, row in enumerate(cells)]
    out.append([*col_totals, grand])
    return out


def release(grids: Sequence[Grid], epsilon: float) -> list[NoisyGrid]:
    """Every grid of a release with noise. ε is shared over all their queries in proportion
    to sensitivity (every figure gets the same noise scale), so the whole release spends at
    most ``epsilon`` however the grids overlap."""
    check_epsilon(epsilon)
    if not grids:
        return []
    total = sum(s for grid in grids for _, s in _parts(grid))
    unit = epsilon / total
    return [
        noisy_grid(grid, unit * sum(s for _, s in _parts(grid)), per_unit=unit) for grid in grids
    ]


def spent(noisy: Sequence[NoisyGrid]) -> float:
    """The ε a release spent, as OpenDP accounted it."""
    return sum(n.epsilon for n in noisy)


# The fixed codes of each dimension a count table may be broken down by: the rows of a
# differentially private table must not depend on the data (which codes occur is itself a
# figure), so a table is released on every code of its vocabulary, absent codes as 0.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "province": tuple(code for code, _, _ in PROVINCES),
    "exploitation_type": EXPLOITATION_TYPES,
    "forced_labour_subtype": FORCED_LABOUR_SUBTYPES,
    "industry": ISIC_SECTIONS,
    "border_crossing": tuple(code for code, *_ in BORDER_CROSSINGS),
    "gender": GENDERS,
    "age_group": ("adult", "child", "unknown"),
    "age_band": AGE_BANDS,
    "recruitment_method": RECRUITMENT_METHODS,
    "recruitment_app": RECRUITMENT_APPS,
    "method_of_control": METHODS_OF_CONTROL,
    "service": REFERRAL_SERVICES,
    "trafficking_status": TRAFFICKING_STATUSES,
    "deciding_org_type": (*DECIDING_ORG_TYPES, "Unknown"),
}
# A multi-select table's sensitivity is its number of codes (a unit may hold every one), and
# the release's ε is shared by sensitivity: beyond this many codes one table would drown
# every figure of the release in noise (nationalities: about 250 countries).
MAX_MULTI_SELECT_CODES = 25
# Figures whose change when one unit is added has no small bound (a woman of several
# nationalities can add several to a count of distinct nationalities).
UNBOUNDED: frozenset[str] = frozenset(
    {"cases.nationalities_of_women", "cases.forced_labour_nationalities_of_women"}
)
# The tables a dp release holds when none are named.
DEFAULT_TABLES: tuple[str, ...] = (
    "cases.by_province",
    "cases.by_exploitation_type",
    "cases.involving_women",
    "victims.by_sex",
    "victims.by_age_group",
    "victims.by_age_band",
    "suspects.arrested",
    "suspects.charged",
    "suspects.convicted",
)
Codes = tuple[str, ...] | None


def dp_codes(table: Table, *, multi_select: bool) -> tuple[Codes, Codes] | str:
    """The fixed row and column codes of ``table`` in a differentially private release
    (``None``: a headline figure's single cell), or why it cannot be in one (a message)."""
    if table.statistic != "count" or table.unit == "days":
        return "%(value)s cannot be released with differential privacy: it is not a count"
    if table.key in UNBOUNDED:
        return (
            "%(value)s cannot be released with differential privacy: one unit can change it "
            "by more than one"
        )
    if table.is_scalar:
        return (None, None)
    rows = VOCABULARIES.get(table.row_dim or "")
    cols = VOCABULARIES.get(table.col_dim or "") if table.col_dim else None
    if rows is None or (table.col_dim and cols is None):
        return (
            "%(value)s cannot be released with differential privacy: its codes are not a fixed list"
        )
    if multi_select and len(rows) * len(cols or (1,)) > MAX_MULTI_SELECT_CODES:
        return (
            "%(value)s cannot be released with differential privacy: too many codes for a "
            "multi-select table"
        )
    return (rows, cols)


def on_domain(table: Table, codes: Codes, columns: Codes = None) -> Table:
    """A table on a fixed list of row (and column) codes, absent codes 0, others dropped;
    a partitioning table's totals are the sums of its cells."""
    if codes is None:
        return table
    cols = list(columns) if columns is not None else [TOTAL_COLUMN]
    cells: list[list[Figure]] = [[table.get(code, col, 0) for col in cols] for code in codes]
    if table.additive:
        row_totals: list[Figure] = [sum(int(v or 0) for v in row) for row in cells]
        col_totals: list[Figure] = [sum(int(r[j] or 0) for r in cells) for j in range(len(cols))]
        total: Figure = sum(int(v or 0) for v in row_totals)
    else:
        row_totals = [row[0] for row in cells] if columns is None else [None] * len(cells)
        col_totals, total = [table.total] * len(cols), table.total
    return replace(
        table,
        rows=list(codes),
        columns=cols,
        cells=cells,
        row_totals=row_totals,
        col_totals=col_totals,
        total=total,
    )


def dp_tables(tables: Iterable[Table], keys: Sequence[str]) -> list[Table]:
    """The tables named by ``keys`` on their fixed codes (those that can be released; a
    table is multi-select when it is not ``additive``, as its metric defines)."""
    by_key = {t.key: t for t in tables}
    chosen = []
    for key in keys:
        if key not in by_key:
            continue
        found = dp_codes(by_key[key], multi_select=not by_key[key].additive)
        if not isinstance(found, str):
            chosen.append(on_domain(by_key[key], *found))
    return chosen


def noisy_tables(
    tables: Iterable[Table], epsilon: float, keys: Sequence[str] = DEFAULT_TABLES
) -> list[tuple[Table, NoisyGrid]]:
    """The release's tables (``keys``, default ``DEFAULT_TABLES``) on their fixed codes with
    noise, ε shared over them; other tables are not part of the release."""
    chosen = dp_tables(tables, keys)
    # A multi-select table is noised as one, even when this year's sums happen to add up.
    grids = [
        replace(grid_of(t), rows_partition=t.additive, cols_partition=t.additive or not t.col_dim)
        for t in chosen
    ]
    noisy = release(grids, epsilon)
    return [(table_of(t, n.values), n) for t, n in zip(chosen, noisy, strict=True)]

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
from dataclasses import dataclass

import opendp.prelude as dp

from ctip.errors import Conflict, ValidationFailed
from ctip.stats.disclosure import Grid, grid_of, publishable, table_of
from ctip.stats.tables import Table

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


def noisy_grid(grid: Grid, epsilon: float) -> NoisyGrid:
    """One grid released with ε: noisy cells, totals derived or noised, all non-negative."""
    check_epsilon(epsilon)
    full = grid.full()
    r, c = grid.shape
    parts = _parts(grid)
    share = epsilon / len(parts)
    sources = {
        "cells": [full[i][j] for i in range(r) for j in range(c)],
        "row_totals": [full[i][c] for i in range(r)],
        "col_totals": [full[r][j] for j in range(c)],
        "total": [full[r][c]],
    }
    noisy: dict[str, list[int]] = {}
    queries = []
    for part, sensitivity in parts:
        noisy[part], query = _measure(part, sources[part], sensitivity, share)
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
    """Every grid of a release with noise; ε is split equally over the grids, so the whole
    release spends at most ``epsilon`` however the grids overlap."""
    check_epsilon(epsilon)
    if not grids:
        return []
    share = epsilon / len(grids)
    return [noisy_grid(grid, share) for grid in grids]


def spent(noisy: Sequence[NoisyGrid]) -> float:
    """The ε a release spent, as OpenDP accounted it."""
    return sum(n.epsilon for n in noisy)


def noisy_tables(tables: Iterable[Table], epsilon: float) -> list[tuple[Table, NoisyGrid]]:
    """The count tables of one release with noise, ε split over them; the others left out."""
    chosen = [t for t in tables if publishable(t)]
    noisy = release([grid_of(t) for t in chosen], epsilon)
    return [(table_of(t, n.values), n) for t, n in zip(chosen, noisy, strict=True)]

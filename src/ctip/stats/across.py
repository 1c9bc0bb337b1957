"""What an attacker learns by setting releases of the same period side by side.

A release is protected on its own by :mod:`ctip.stats.disclosure`; two releases of one period
can still be differenced (a published version and a corrected one, or the national tables and
one province's). Two kinds of rule tie their figures together, and the suppression of a new
release is worked out over the old and the new grids with these rules added:

- **versions**: the same table of the same scope (national, or one province) in two releases.
  A figure whose exact value did not change between them is the same number to an attacker
  who guesses that it did not change (the attacker is given every such guess that is right;
  a wrong guess teaches nothing), so equal figures at the same row and column are linked;
- **hierarchy**: a province counts a subset of the nation's units, so each cell of a province's
  table is at most the same cell of the national table; cases belong to one province, so for
  tables of cases the provinces released add up to at most the national cell, and to exactly
  it when every province is released.

Only rules that the exact figures bear out are returned, so the attacker's system is always
feasible, and a coincidence only makes the protection stricter. Pure functions over grids.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctip.stats.disclosure import Grid

NATIONAL = ""
Position = tuple[int, int, int]  # grid, row, column (the last row/column hold the totals)
Term = tuple[int, float]


def _positions(grid: Grid) -> dict[tuple[str, str], tuple[int, int]]:
    """Every figure of a grid by its (row label, column label); totals are ``Total``."""
    r, c = grid.shape
    rows = [*grid.row_labels, "\x00total"]
    cols = [*grid.col_labels, "\x00total"]
    return {(rows[i], cols[j]): (i, j) for i in range(r + 1) for j in range(c + 1)}


def version_links(grids: Sequence[Grid]) -> list[tuple[Position, Position]]:
    """Pairs of figures of the same table and scope in different releases with equal exact
    values (grids with the same ``name`` and ``scope`` are versions of one table)."""
    seen: dict[tuple[str, str], list[int]] = {}
    for t, grid in enumerate(grids):
        seen.setdefault((grid.name, grid.scope), []).append(t)
    out: list[tuple[Position, Position]] = []
    for versions in seen.values():
        for a, b in itertools.combinations(versions, 2):
            full_a, full_b = grids[a].full(), grids[b].full()
            where_b = _positions(grids[b])
            for label, (i, j) in _positions(grids[a]).items():
                other = where_b.get(label)
                if other is not None and full_a[i][j] == full_b[other[0]][other[1]]:
                    out.append(((a, i, j), (b, *other)))
    return out


def carried(prior: Sequence[Grid], hidden: Iterable[Position], grid: Grid) -> set[tuple[int, int]]:
    """Positions of ``grid`` that an earlier version (same name and scope, among ``prior``)
    kept hidden: they stay hidden, so a correction never prints what a version withheld."""
    labels: set[tuple[str, str]] = set()
    for t, i, j in hidden:
        old = prior[t]
        if old.name == grid.name and old.scope == grid.scope:
            labels |= {label for label, pos in _positions(old).items() if pos == (i, j)}
    where = _positions(grid)
    return {where[label] for label in labels if label in where}


def hierarchy_rules(
    grids: Sequence[Grid],
    index: Callable[[Position], int],
    values: Sequence[int],
    provinces: frozenset[str],
) -> tuple[list[list[Term]], list[list[Term]]]:
    """Equalities and inequalities (``row <= 0``) between national and province tables of the
    same name, over variable numbers given by ``index``; ``provinces`` is every province of
    the country (a complete set of cases tables adds up to the nation exactly)."""
    equalities: list[list[Term]] = []
    inequalities: list[list[Term]] = []
    by_name: dict[str, dict[str, int]] = {}
    nationals: dict[str, list[int]] = {}
    for t, grid in enumerate(grids):
        if grid.scope == NATIONAL:
            nationals.setdefault(grid.name, []).append(t)
        else:
            by_name.setdefault(grid.name, {})[grid.scope] = t  # the latest of each province
    for name, parts in by_name.items():
        for national in nationals.get(name, []):
            where = _positions(grids[national])
            for label, (i, j) in where.items():
                nat = index((national, i, j))
                members = [
                    index((t, *_positions(grids[t])[label]))
                    for t in parts.values()
                    if label in _positions(grids[t])
                ]
                for k in members:
                    if values[k] <= values[nat]:
                        inequalities.append([(k, 1.0), (nat, -1.0)])
                if grids[national].universe != "cases" or not members:
                    continue
                row = [(k, 1.0) for k in members] + [(nat, -1.0)]
                total = sum(values[k] for k in members)
                if set(parts) >= provinces and provinces and total == values[nat]:
                    equalities.append(row)
                elif total <= values[nat]:
                    inequalities.append(row)
    return equalities, inequalities

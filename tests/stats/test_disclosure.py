"""Cell suppression: no suppressed cell can be recovered from what a release publishes.

The attacker here is written independently of ``ctip.stats.disclosure.audit``: it sees only
the published matrices, knows which totals are sums and which tables share margins, and asks
linprog for the range of each suppressed cell over non-negative values; it also checks by
row reduction that no suppressed cell is a linear combination of published numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from scipy.optimize import linprog

from ctip.errors import ValidationFailed
from ctip.stats.disclosure import (
    Grid,
    Published,
    determined,
    grid_1d,
    share_suppressed,
    suppress,
)

Pos = tuple[int, int, int]
Pair = tuple[Pos, Pos]
Sum = tuple[list[Pos], Pos]  # these positions add up to that one


def _equations(published: list[Published], links: list[Pair], sums: Sequence[Sum] = ()):
    """Unknowns: every published position; equations: sums within tables, equal links, and
    sums across tables."""
    index: dict[tuple[int, int, int], int] = {}
    for t, p in enumerate(published):
        for i, row in enumerate(p.values):
            for j, _ in enumerate(row):
                index[(t, i, j)] = len(index)
    rows = []
    for t, p in enumerate(published):
        n_r, n_c = len(p.values) - 1, len(p.values[0]) - 1
        for i in range(n_r + 1):
            if p.grid.cols_partition:
                rows.append(
                    {**{index[(t, i, j)]: 1.0 for j in range(n_c)}, index[(t, i, n_c)]: -1.0}
                )
        for j in range(n_c + 1):
            if p.grid.rows_partition:
                rows.append(
                    {**{index[(t, i, j)]: 1.0 for i in range(n_r)}, index[(t, n_r, j)]: -1.0}
                )
    for a, b in links:
        rows.append({index[a]: 1.0, index[b]: -1.0})
    for parts, whole in sums:
        rows.append({**{index[x]: 1.0 for x in parts}, index[whole]: -1.0})
    matrix = np.zeros((len(rows), len(index)))
    for r, row in enumerate(rows):
        for k, v in row.items():
            matrix[r, k] += v
    values = {
        index[(t, i, j)]: v
        for t, p in enumerate(published)
        for i, row in enumerate(p.values)
        for j, v in enumerate(row)
    }
    return index, matrix, values


def attack(
    published: list[Published], links: list[Pair], sums: Sequence[Sum] = ()
) -> dict[tuple[int, int, int], tuple[float, float]]:
    """The range of every suppressed cell given the published cells, totals and links."""
    index, matrix, values = _equations(published, links, sums)
    n = len(index)
    bounds = [(0, None) if values[k] is None else (values[k], values[k]) for k in range(n)]
    out = {}
    for pos, k in index.items():
        if values[k] is not None:
            continue
        ends = []
        for sign in (1, -1):
            c = np.zeros(n)
            c[k] = sign
            res = linprog(c, A_eq=matrix, b_eq=np.zeros(len(matrix)), bounds=bounds, method="highs")
            ends.append(float("inf") if res.status == 3 else sign * res.fun)
        out[pos] = (ends[0], ends[1])
    return out


def solvable_by_elimination(
    published: list[Published], links: list[Pair], sums: Sequence[Sum] = ()
) -> list[tuple[int, int, int]]:
    """Suppressed cells that the linear system alone (no signs) determines: e_k in the row
    space of the hidden part of the system."""
    index, matrix, values = _equations(published, links, sums)
    hidden = [k for k in range(len(index)) if values[k] is None]
    if not hidden:
        return []
    sub = matrix[:, hidden]
    rank = np.linalg.matrix_rank(sub)
    found = []
    for col, k in enumerate(hidden):
        unit = np.zeros((1, len(hidden)))
        unit[0, col] = 1.0
        if np.linalg.matrix_rank(np.vstack([sub, unit])) == rank:
            found.append(next(pos for pos, idx in index.items() if idx == k))
    return found


def _random_grid(seed: int, rows: int, cols: int, small: float) -> Grid:
    rng = np.random.default_rng(seed)
    cells = np.where(
        rng.random((rows, cols)) < small,
        rng.integers(0, 11, (rows, cols)),
        rng.integers(11, 80, (rows, cols)),
    )
    return Grid(
        f"g{seed}",
        "province",
        tuple(f"P{i}" for i in range(rows)),
        "type",
        tuple(f"T{j}" for j in range(cols)),
        tuple(tuple(int(v) for v in row) for row in cells),
        universe="cases",
    )


SINGLE = [
    pytest.param(
        Grid("one", "p", ("A", "B"), "t", ("x", "y"), ((3, 40), (50, 60))), 11, id="one-small-cell"
    ),
    pytest.param(
        Grid(
            "row",
            "p",
            ("A", "B", "C"),
            "t",
            ("x", "y", "z"),
            ((2, 3, 40), (50, 60, 70), (20, 30, 40)),
        ),
        11,
        id="two-small-in-a-row",
    ),
    pytest.param(
        Grid("corner", "p", ("A", "B"), "t", ("x", "y"), ((1, 0), (0, 0))),
        11,
        id="a-table-of-one-person",
    ),
    pytest.param(
        Grid("zeros", "p", ("A", "B", "C"), "t", ("x", "y"), ((5, 0), (0, 30), (12, 14))),
        11,
        id="zeros-around",
    ),
    pytest.param(
        Grid("k3", "p", ("A", "B", "C"), "t", ("x", "y"), ((2, 9), (4, 30), (12, 1))), 3, id="k-3"
    ),
    pytest.param(
        grid_1d("sex", "sex", {"Feminine": 4, "Masculine": 90, "NonConforming": 0}),
        11,
        id="one-dimension",
    ),
    pytest.param(
        grid_1d("sex2", "sex", {"Feminine": 4, "Masculine": 90, "NonConforming": 2}),
        11,
        id="one-dimension-two-small",
    ),
    *[pytest.param(_random_grid(seed, 6, 5, 0.3), 11, id=f"random-{seed}") for seed in range(6)],
]


@pytest.mark.parametrize("grid, k", SINGLE)
def test_no_suppressed_cell_is_recovered_in_a_table(grid: Grid, k: int) -> None:
    published = suppress([grid], k)
    values = [v for row in grid.full() for v in row]
    shown = [v for row in published[0].values for v in row]
    assert all(s is None for v, s in zip(values, shown, strict=True) if 0 < v < k)
    assert all(s == v for v, s in zip(values, shown, strict=True) if s is not None)
    spans = attack(published, [])
    assert all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination(published, []) == []


def test_nothing_is_suppressed_when_every_cell_is_large_or_zero() -> None:
    grid = Grid("big", "p", ("A", "B"), "t", ("x", "y"), ((30, 0), (12, 45)))
    published = suppress([grid], 11)
    assert published[0].suppressed == 0
    assert share_suppressed(published) == 0


def test_a_single_small_cell_needs_three_more_to_hide_it() -> None:
    grid = Grid("one", "p", ("A", "B"), "t", ("x", "y"), ((3, 40), (50, 60)))
    published = suppress([grid], 11)[0]
    assert published.values[0][0] is None
    assert published.secondary == 3  # the other three inner cells: a 2x2 cycle
    assert published.values[2][2] == 153


def test_tables_sharing_margins_are_protected_together() -> None:
    """Cases by province, and by province x type: the province table repeats the row totals,
    so hiding a row total in one table but printing it in the other would give it away."""
    by_province = grid_1d("prov", "province", {"A": 8, "B": 56, "C": 67}, universe="cases")
    by_type = Grid(
        "prov_type",
        "province",
        ("A", "B", "C"),
        "type",
        ("x", "y", "z"),
        ((2, 3, 3), (12, 30, 14), (40, 25, 2)),
        universe="cases",
    )
    by_type_only = grid_1d("type", "type", {"x": 54, "y": 58, "z": 19}, universe="cases")
    published = suppress([by_province, by_type, by_type_only], 11)
    links: list[Pair] = [((0, i, 0), (1, i, 3)) for i in range(3)]
    links += [((2, j, 0), (1, 3, j)) for j in range(3)]
    links += [((0, 3, 0), (1, 3, 3)), ((2, 3, 0), (1, 3, 3))]
    assert published[0].values[0][0] is None  # province A: 8 cases
    assert published[1].values[0][3] is None  # the same figure as a row total
    spans = attack(published, links)
    assert spans and all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination(published, links) == []


def test_the_attacker_recovers_cells_of_a_naive_release() -> None:
    """The attacker is not toothless: hiding only the small cells (or hiding a row total in
    one table while the other prints it) gives the cells away."""
    by_type = Grid("pt", "province", ("A", "B"), "type", ("x", "y"), ((3, 17), (26, 30)))
    full = by_type.full()
    naive = [[None if 0 < v < 11 else v for v in row] for row in full]
    primary = [[v is None for v in row] for row in naive]
    spans = attack([Published(by_type, naive, primary)], [])
    assert spans == {(0, 0, 0): (3.0, 3.0)}
    assert solvable_by_elimination([Published(by_type, naive, primary)], []) == [(0, 0, 0)]
    by_province = grid_1d("prov", "province", {"A": 20, "B": 56})
    protected = suppress([by_type], 11)[0]
    hidden_total = [row[:] for row in protected.values]
    hidden_total[0][2] = None
    shown = Published(by_province, [list(row) for row in by_province.full()], primary)
    leaks = attack([shown, Published(by_type, hidden_total, primary)], [((0, 0, 0), (1, 0, 2))])
    assert leaks[(1, 0, 2)] == (20.0, 20.0)


def test_multi_select_columns_are_not_treated_as_sums() -> None:
    grid = Grid(
        "means",
        "sex",
        ("F", "M"),
        "means",
        ("Threats", "Debt"),
        ((30, 4), (20, 25)),
        cols_partition=False,
        row_totals=(31, 40),
    )
    published = suppress([grid], 11)[0]
    assert published.values[0][1] is None
    assert published.values[0][2] == 31  # a distinct count, not 34


@pytest.mark.parametrize("k", [1, 0, -5])
def test_k_below_two_is_refused_naming_the_field(k: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        suppress([grid_1d("x", "x", {"a": 1})], k)
    assert caught.value.errors[0].field == "k"


def test_a_total_counting_units_without_a_cell_is_not_taken_for_an_upper_bound() -> None:
    """Victims by means of control where the total also counts victims with none recorded:
    the audit stays feasible and still protects the small cell."""
    grid = Grid(
        "means",
        "means",
        ("Threats", "Debt"),
        None,
        ("total",),
        ((3,), (20,)),
        rows_partition=False,
        col_totals=(40,),
        grand_total=40,
    )
    published = suppress([grid], 11)[0]
    assert published.values[0][0] is None
    assert published.values[2][0] == 40  # the total alone does not pin the hidden cell down
    assert determined([published]) == []

"""Cell suppression for public tables: primary (cells below k) and secondary, so that no
suppressed cell can be worked out from what is published — within a table (row, column and
grand totals) or across the tables of one release that share margins.

Everything here is a pure function over plain tables (:class:`Grid`). A grid is an R x C
table of counts with its margins: the published matrix is (R+1) x (C+1), the last column
holding row totals, the last row column totals, the corner the grand total. Totals count
distinct units (cases, persons), so when a dimension is multi-select (a case of several
exploitation types) the totals are not sums; the grid says which dimensions partition the
units (``rows_partition``/``cols_partition``).

The :func:`audit` plays the attacker: it writes every published number, every additivity rule
and every link between tables as a linear system over non-negative values and asks
``scipy.optimize.linprog`` for the smallest and largest value each suppressed cell can take.
:func:`suppress` adds secondary suppressions until no suppressed cell is determined (its
interval has width 0).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

from ctip.errors import Conflict, ValidationFailed
from ctip.stats import across
from ctip.stats.tables import Figure, Table

TOTAL = "Total"
MIN_K = 2


@dataclass(frozen=True)
class Grid:
    """One table of counts: ``cells[i][j]`` for row label i and column label j.

    ``row_totals``/``col_totals``/``grand_total`` default to sums, which is right only when
    the other dimension partitions the units. A one-dimensional table has ``col_dim=None``
    and one column. Tables with the same ``universe`` count the same units, so their grand
    totals and their margins over a common dimension are equal (and linked in the audit).
    """

    name: str
    row_dim: str
    row_labels: tuple[str, ...]
    col_dim: str | None
    col_labels: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    universe: str = ""
    rows_partition: bool = True
    cols_partition: bool = True
    row_totals: tuple[int, ...] | None = None
    col_totals: tuple[int, ...] | None = None
    grand_total: int | None = None
    scope: str = ""  # "" national; a province's code for a province's release

    def full(self) -> list[list[int]]:
        """The (R+1) x (C+1) matrix of cells and margins."""
        rows = [list(r) for r in self.cells]
        row_totals = self.row_totals or tuple(sum(r) for r in rows)
        col_totals = self.col_totals or tuple(
            sum(r[j] for r in rows) for j in range(len(self.col_labels))
        )
        grand = self.grand_total
        if grand is None:
            grand = sum(row_totals) if self.rows_partition else sum(col_totals)
        out = [[*r, row_totals[i]] for i, r in enumerate(rows)]
        out.append([*list(col_totals), grand])
        return out

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_labels), len(self.col_labels)


def grid_1d(name: str, dim: str, counts: dict[str, int], *, universe: str = "") -> Grid:
    """A one-dimensional table (a count per label) as a grid with a single column."""
    labels = tuple(counts)
    return Grid(
        name, dim, labels, None, (TOTAL,), tuple((counts[k],) for k in labels), universe=universe
    )


class Unprotectable(Conflict):
    """A cell can be worked out from what earlier releases printed, whatever this one hides."""


@dataclass(frozen=True)
class Published:
    """A grid as published: ``values`` is the (R+1) x (C+1) matrix, ``None`` where suppressed;
    ``primary`` marks the cells suppressed for being below k (the others are secondary)."""

    grid: Grid
    values: list[list[int | None]]
    primary: list[list[bool]]

    @property
    def suppressed(self) -> int:
        return sum(v is None for row in self.values for v in row)

    @property
    def secondary(self) -> int:
        return self.suppressed - sum(p for row in self.primary for p in row)


@dataclass(frozen=True)
class CellRef:
    """One cell of one grid of a release; ``i == R`` or ``j == C`` address the margins."""

    table: int
    i: int
    j: int


@dataclass
class _System:
    """The attacker's view: variables are every cell of every grid, flattened."""

    grids: Sequence[Grid]
    offsets: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    equalities: list[list[tuple[int, float]]] = field(default_factory=list)
    inequalities: list[list[tuple[int, float]]] = field(default_factory=list)  # row <= 0

    def index(self, ref: CellRef) -> int:
        cols = self.grids[ref.table].shape[1] + 1
        return self.offsets[ref.table] + ref.i * cols + ref.j

    def ref(self, index: int) -> CellRef:
        table = bisect.bisect_right(self.offsets, index) - 1
        cols = self.grids[table].shape[1] + 1
        i, j = divmod(index - self.offsets[table], cols)
        return CellRef(table, i, j)


def _line(
    system: _System, t: int, cells: list[tuple[int, int]], total: tuple[int, int], additive: bool
) -> None:
    """Rules linking the cells of one row or column of grid t to their total (only the rules
    the figures bear out, so the attacker's system is always feasible)."""
    idx = [system.index(CellRef(t, i, j)) for i, j in cells]
    tot = system.index(CellRef(t, *total))
    if additive and sum(system.values[k] for k in idx) == system.values[tot]:
        system.equalities.append([(k, 1.0) for k in idx] + [(tot, -1.0)])
        return
    # Multi-select: each cell is at most the total, the total at most the sum of cells —
    # where the figures bear that out (a total may also count units with no cell at all).
    values = system.values
    for k in idx:
        if values[k] <= values[tot]:
            system.inequalities.append([(k, 1.0), (tot, -1.0)])
    if values[tot] <= sum(values[k] for k in idx):
        system.inequalities.append([(tot, 1.0)] + [(k, -1.0) for k in idx])


def _margin_cells(grid: Grid) -> list[tuple[int, int]]:
    """Positions of a grid's totals: the last column, the last row and the corner."""
    r, c = grid.shape
    return [(i, c) for i in range(r)] + [(r, j) for j in range(c + 1)]


def links(grids: Sequence[Grid]) -> list[tuple[CellRef, CellRef]]:
    """Totals of different grids that an attacker may take to be the same figure.

    Grids with the same ``universe`` count the same kind of unit; any two of their totals
    with equal values are linked (the grand totals of two tables of all cases, the cases of
    a province in a table by province and in one by province and type, a headline figure and
    the matching total of a breakdown). Real repeats always have equal values, so this links
    every one of them, and a coincidence only makes the protection stricter. Tables of two
    different provinces count different units and are never linked to each other (only each
    to the national tables).
    """
    groups: dict[tuple[str, int], list[CellRef]] = {}
    for t, grid in enumerate(grids):
        if not grid.universe:
            continue
        full = grid.full()
        for i, j in _margin_cells(grid):
            groups.setdefault((grid.universe, full[i][j]), []).append(CellRef(t, i, j))
    found: list[tuple[CellRef, CellRef]] = []
    for refs in groups.values():
        scopes = {grids[x.table].scope for x in refs} - {""} or {""}
        for scope in sorted(scopes):
            found += _anchored([x for x in refs if grids[x.table].scope in ("", scope)])
    return list(dict.fromkeys(found))


def _anchored(refs: list[CellRef]) -> list[tuple[CellRef, CellRef]]:
    """Links making ``refs`` (figures of one value) one figure, each table joined once."""
    if not refs:
        return []
    anchor = refs[0]
    other = next((x for x in refs if x.table != anchor.table), None)
    found = []
    for x in refs[1:]:
        if x.table != anchor.table:
            found.append((anchor, x))
        elif other is not None:
            found.append((x, other))
    return found


def _system(grids: Sequence[Grid], provinces: frozenset[str] = frozenset()) -> _System:
    """Every rule an attacker knows about ``grids`` (one release, or several releases of one
    period set side by side: see :mod:`ctip.stats.across`)."""
    system = _System(grids)
    for grid in grids:
        system.offsets.append(len(system.values))
        system.values += [v for row in grid.full() for v in row]
    for t, grid in enumerate(grids):
        r, c = grid.shape
        for i in range(r + 1):
            _line(system, t, [(i, j) for j in range(c)], (i, c), grid.cols_partition)
        for j in range(c + 1):
            _line(system, t, [(i, j) for i in range(r)], (r, j), grid.rows_partition)
    for x, y in links(grids):
        system.equalities.append([(system.index(x), 1.0), (system.index(y), -1.0)])
    for a, b in across.version_links(grids):
        pair = (system.index(CellRef(*a)), system.index(CellRef(*b)))
        system.equalities.append([(pair[0], 1.0), (pair[1], -1.0)])
    equal, bounded = across.hierarchy_rules(
        grids, lambda pos: system.index(CellRef(*pos)), system.values, provinces
    )
    system.equalities += equal
    system.inequalities += bounded
    return system


def _matrix(rows: list[list[tuple[int, float]]], n: int) -> np.ndarray | None:
    if not rows:
        return None
    out = np.zeros((len(rows), n))
    for r, row in enumerate(rows):
        for k, coef in row:
            out[r, k] += coef
    return out


def _components(system: _System, hidden: set[int]) -> list[tuple[list[int], list[int], list[int]]]:
    """The system split into independent parts that hold a hidden variable: each part's
    variables, equality rows and inequality rows (solving parts apart is much faster)."""
    parent = list(range(len(system.values)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    rows = system.equalities + system.inequalities
    for row in rows:
        first = root(row[0][0])
        for k, _ in row[1:]:
            parent[root(k)] = first
    members: dict[int, list[int]] = {}
    for k in range(len(system.values)):
        members.setdefault(root(k), []).append(k)
    wanted = {root(k) for k in hidden}
    eq: dict[int, list[int]] = {r: [] for r in wanted}
    ub: dict[int, list[int]] = {r: [] for r in wanted}
    for n, row in enumerate(system.equalities):
        if (r := root(row[0][0])) in wanted:
            eq[r].append(n)
    for n, row in enumerate(system.inequalities):
        if (r := root(row[0][0])) in wanted:
            ub[r].append(n)
    return [(members[r], eq[r], ub[r]) for r in sorted(wanted)]


def _intervals(system: _System, hidden: set[int]) -> dict[int, tuple[float, float]]:
    """For each hidden variable, its smallest and largest feasible value (inf if unbounded)."""
    out: dict[int, tuple[float, float]] = {}
    for variables, eq_rows, ub_rows in _components(system, hidden):
        local = {k: n for n, k in enumerate(variables)}
        part = _System(system.grids, values=[system.values[k] for k in variables])
        part.equalities = [[(local[k], c) for k, c in system.equalities[n]] for n in eq_rows]
        part.inequalities = [[(local[k], c) for k, c in system.inequalities[n]] for n in ub_rows]
        inner = {local[k] for k in variables if k in hidden}
        for k, span in _solve(part, inner).items():
            out[variables[k]] = span
    return out


def _solve(system: _System, hidden: set[int]) -> dict[int, tuple[float, float]]:
    """The intervals of one independent part, by linear programming (HiGHS)."""
    n = len(system.values)
    if not system.equalities and not system.inequalities:
        return {k: (0.0, float("inf")) for k in hidden}
    a_eq, a_ub = _matrix(system.equalities, n), _matrix(system.inequalities, n)
    b_eq = None if a_eq is None else np.zeros(a_eq.shape[0])
    b_ub = None if a_ub is None else np.zeros(a_ub.shape[0])
    bounds = [
        (0.0, None) if k in hidden else (float(v), float(v)) for k, v in enumerate(system.values)
    ]
    out: dict[int, tuple[float, float]] = {}
    for k in sorted(hidden):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[k] = sign
            res = linprog(
                c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
            )
            if res.status == 3:  # unbounded
                ends.append(float("inf"))
            elif res.status != 0:
                raise RuntimeError(f"suppression audit failed: {res.message}")
            else:
                ends.append(sign * float(res.fun))
        out[k] = (ends[0], ends[1])
    return out


def audit(
    published: Sequence[Published], provinces: frozenset[str] = frozenset()
) -> dict[CellRef, tuple[float, float]]:
    """What an attacker can infer: for every suppressed cell of a release (or of several
    releases of one period together), the interval of values consistent with everything
    published (exact cells, totals, links, versions and the provinces' hierarchy)."""
    system = _system([p.grid for p in published], provinces)
    hidden = {
        system.index(CellRef(t, i, j))
        for t, p in enumerate(published)
        for i, row in enumerate(p.values)
        for j, v in enumerate(row)
        if v is None
    }
    return {system.ref(k): span for k, span in _intervals(system, hidden).items()}


def determined(
    published: Sequence[Published],
    tolerance: float = 0.5,
    provinces: frozenset[str] = frozenset(),
) -> list[CellRef]:
    """Suppressed cells whose value is pinned down by what is published (width < 1 count)."""
    return [ref for ref, (lo, hi) in audit(published, provinces).items() if hi - lo < tolerance]


def check_k(k: int) -> None:
    """k below 2 protects nothing: refuse it, naming the field."""
    if k < MIN_K:
        raise ValidationFailed.single("k", "k must be at least %(min)s", min=MIN_K)


def _groups(system: _System) -> list[list[int]]:
    """Sets of variables tied by one equality: hiding exactly one of them reveals it."""
    return [[k for k, _ in row] for row in system.equalities]


def _pick(
    system: _System, candidates: Iterable[int], hidden: set[int], editable: range
) -> int | None:
    """The cheapest cell to hide among ``candidates`` (of the release being made, ``editable``:
    what earlier releases printed stays printed): inner cells before totals, non-zero before
    zero, then the smallest count."""
    best: tuple[tuple[int, int, int], int] | None = None
    for k in candidates:
        if k in hidden or k not in editable:
            continue
        ref = system.ref(k)
        r, c = system.grids[ref.table].shape
        key = (int(ref.i == r or ref.j == c), int(system.values[k] == 0), system.values[k])
        if best is None or key < best[0]:
            best = (key, k)
    return None if best is None else best[1]


def _close_groups(
    system: _System, groups: list[list[int]], hidden: set[int], editable: range
) -> None:
    """Until stable: every equality group with exactly one hidden cell gets a second one."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(k in hidden for k in group) == 1:
                extra = _pick(system, group, hidden, editable)
                if extra is not None:
                    hidden.add(extra)
                    changed = True


def _widen(
    system: _System, groups: list[list[int]], hidden: set[int], cell: int, editable: range
) -> bool:
    """Hide one more cell near a determined ``cell``: in one of its groups, else in the groups
    of those cells and so on (links can tie it to the new release only through cells already
    printed), else in any group already holding a hidden cell. False when nothing is left."""
    member_of: dict[int, list[int]] = system.__dict__.setdefault("_member_of", {})
    if not member_of:
        for n, group in enumerate(groups):
            for k in group:
                member_of.setdefault(k, []).append(n)
    seen, frontier = {cell}, {cell}
    extra = None
    for _ in range(6):
        reach = {k for c in frontier for n in member_of.get(c, []) for k in groups[n]} - seen
        extra = _pick(system, reach, hidden, editable)
        if extra is not None or not reach:
            break
        seen |= reach
        frontier = reach
    if extra is None:
        near = [k for g in groups if any(x in hidden for x in g) for k in g]
        extra = _pick(system, near, hidden, editable)
    if extra is None:
        return False
    hidden.add(extra)
    return True


def _widen_all(
    system: _System, groups: list[list[int]], hidden: set[int], exposed: list[int], editable: range
) -> bool:
    """One extra hidden cell per determined cell, skipping cells whose groups already got one
    in this round (one new cell often protects several)."""
    touched: set[int] = set()
    grew = False
    for cell in exposed:
        mine = {k for g in groups if cell in g for k in g}
        if mine & touched:
            continue
        before = set(hidden)
        if _widen(system, groups, hidden, cell, editable):
            grew = True
            for new in hidden - before:
                touched |= {k for g in groups if new in g for k in g}
    return grew


def suppress(
    grids: Sequence[Grid],
    k: int = 11,
    *,
    prior: Sequence[Published] = (),
    provinces: frozenset[str] = frozenset(),
    max_rounds: int = 200,
) -> list[Published]:
    """Publish the grids of one release with every count in 1..k-1 suppressed (zeros are
    published) and enough further cells suppressed that none can be recovered exactly from
    the published cells and totals, within a table or across tables sharing margins.

    ``prior`` are the tables earlier releases of the same period published (grids of their
    exact figures): they are part of what the attacker sees (:mod:`ctip.stats.across`), what
    they withheld stays withheld in a new version of the same table, and further cells of
    the new release are hidden until no cell of any of them is determined. ``provinces`` is
    every province code (a full set of province tables adds up to the nation).
    """
    check_k(k)
    system = _system([*(p.grid for p in prior), *grids], provinces)
    first = system.offsets[len(prior)] if prior else 0
    editable = range(first, len(system.values))
    hidden = _withheld(system, prior)
    primary = {i for i in editable if 0 < system.values[i] < k}
    hidden |= primary | _carried(system, prior, grids)
    public = _reprinted(system, prior, hidden)
    groups = _groups(system)
    for _ in range(max_rounds):
        _close_groups(system, groups, hidden, editable)
        spans = _intervals(system, hidden)
        exposed = [x for x, (lo, hi) in spans.items() if hi - lo < 0.5 and x not in public]
        if not exposed:  # what an earlier version printed unchanged is printed again
            return _publish(system, grids, hidden - (public - primary), primary, len(prior))
        if not _widen_all(system, groups, hidden, exposed, editable):
            break
    ref = system.ref(exposed[0])
    grid = system.grids[ref.table]
    raise Unprotectable(
        "a figure of %(table)s (%(row)s, %(column)s) can be worked out from what is already "
        "published, whatever this release hides",
        table=grid.name + (f" {grid.scope}" if grid.scope else ""),
        row=([*grid.row_labels, TOTAL] * 2)[ref.i],
        column=([*grid.col_labels, TOTAL] * 2)[ref.j],
    )


def _reprinted(system: _System, prior: Sequence[Published], hidden: set[int]) -> set[int]:
    """Figures of the new release that an earlier version of their table printed with the
    same value: already public, so hiding them protects nothing and their being "worked
    out" reveals nothing."""
    if not prior:
        return set()
    first = system.offsets[len(prior)]
    grids = system.grids
    out: set[int] = set()
    for a, b in across.version_links(grids):
        old, new = (a, b) if a[0] < len(prior) else (b, a)
        if old[0] < len(prior) <= new[0]:
            k_old = system.index(CellRef(*old))
            if k_old not in hidden:
                out.add(system.index(CellRef(*new)))
    return {k for k in out if k >= first}


def _withheld(system: _System, prior: Sequence[Published]) -> set[int]:
    """The variables of earlier releases' suppressed cells."""
    return {
        system.index(CellRef(t, i, j))
        for t, p in enumerate(prior)
        for i, row in enumerate(p.values)
        for j, v in enumerate(row)
        if v is None
    }


def _carried(system: _System, prior: Sequence[Published], grids: Sequence[Grid]) -> set[int]:
    """Cells of the new release an earlier version of their table withheld."""
    hidden = [
        (t, i, j)
        for t, p in enumerate(prior)
        for i, row in enumerate(p.values)
        for j, v in enumerate(row)
        if v is None
    ]
    old = [p.grid for p in prior]
    return {
        system.index(CellRef(len(prior) + t, i, j))
        for t, grid in enumerate(grids)
        for i, j in across.carried(old, hidden, grid)
    }


def _publish(
    system: _System, grids: Sequence[Grid], hidden: set[int], primary: set[int], skip: int = 0
) -> list[Published]:
    out: list[Published] = []
    for t, grid in enumerate(grids):
        full = grid.full()
        values: list[list[int | None]] = []
        flags: list[list[bool]] = []
        for i, row in enumerate(full):
            keys = [system.index(CellRef(skip + t, i, j)) for j in range(len(row))]
            values.append([None if key in hidden else v for key, v in zip(keys, row, strict=True)])
            flags.append([key in primary for key in keys])
        out.append(Published(grid, values, flags))
    return out


def share_suppressed(published: Sequence[Published]) -> float:
    """Share of published numbers (cells and totals) that are suppressed, 0..1."""
    total = sum(len(row) for p in published for row in p.values)
    return sum(p.suppressed for p in published) / total if total else 0.0


# -- statistics tables (ctip.stats.tables.Table) -------------------------------------------


def publishable(table: Table) -> bool:
    """Count tables are published; medians, shares and days are internal figures only."""
    return table.statistic == "count" and table.unit != "days"


def _int(value: Figure) -> int:
    return int(value or 0)


def grid_of(table: Table) -> Grid:
    """A count table as a grid. Whether a dimension partitions the units is read from the
    numbers: totals that equal the sums are treated as sums, which an attacker may use."""
    rows = tuple(table.rows)
    cols = tuple(table.columns)
    cells = tuple(tuple(_int(v) for v in row) for row in table.cells)
    row_totals = tuple(_int(v) for v in table.row_totals) or tuple(sum(r) for r in cells)
    col_totals = tuple(_int(v) for v in table.col_totals) or tuple(
        sum(r[j] for r in cells) for j in range(len(cols))
    )
    total = _int(table.total) if table.total is not None else sum(row_totals)
    cols_partition = all(sum(r) == t for r, t in zip(cells, row_totals, strict=True)) and (
        sum(col_totals) == total
    )
    rows_partition = all(sum(r[j] for r in cells) == col_totals[j] for j in range(len(cols))) and (
        sum(row_totals) == total
    )
    return Grid(
        table.key,
        table.row_dim or table.key,
        rows,
        table.col_dim,
        cols,
        cells,
        universe=table.unit,
        rows_partition=rows_partition,
        cols_partition=cols_partition,
        row_totals=row_totals,
        col_totals=col_totals,
        grand_total=total,
    )


def table_of(table: Table, values: Sequence[Sequence[int | None]], **changes: Any) -> Table:
    """``table`` with the cells and totals of a published (R+1) x (C+1) matrix."""
    r, c = len(table.rows), len(table.columns)
    return table.with_cells(
        [list(values[i][:c]) for i in range(r)],
        row_totals=[values[i][c] for i in range(r)],
        col_totals=list(values[r][:c]),
        total=values[r][c],
        **changes,
    )


def suppress_tables(
    tables: Iterable[Table], k: int = 11, *, prior: Sequence[Published] = ()
) -> list[tuple[Table, Published]]:
    """The count tables of one release with cell suppression applied to all of them together
    (so margins they share are protected alike), beside what earlier releases of the same
    period published (``prior``, see :func:`suppress`); the others are left out."""
    chosen = [t for t in tables if publishable(t)]
    published = suppress([grid_of(t) for t in chosen], k, prior=prior)
    return [
        (table_of(t, p.values, suppressed=p.suppressed > 0), p)
        for t, p in zip(chosen, published, strict=True)
    ]


def published_grid(exact: Table, shown: Table) -> Published:
    """What an earlier release printed of a table (``shown``, ``None`` where suppressed),
    over the grid of the exact figures it was made from, for :func:`suppress`'s ``prior``."""
    values: list[list[int | None]] = [
        [*(None if v is None else int(v) for v in row), _opt(shown.row_totals[i])]
        for i, row in enumerate(shown.cells)
    ]
    values.append([*(_opt(v) for v in shown.col_totals), _opt(shown.total)])
    return Published(grid_of(exact), values, [[False] * len(row) for row in values])


def _opt(value: Figure) -> int | None:
    return None if value is None else int(value)

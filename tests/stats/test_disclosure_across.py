"""Two releases of one period side by side: a corrected version of a release, and a
province's tables beside the national ones. The attacker of ``test_disclosure`` (written
apart from the module) sees both releases and the rules tying them: figures of the same
table that did not change between versions, and provinces adding up to the nation."""

from __future__ import annotations

import pytest

from ctip.stats.disclosure import Grid, Published, Unprotectable, determined, grid_1d, suppress
from tests.stats.test_disclosure import Pair, Pos, attack, solvable_by_elimination


def _version_links(a: Published, b: Published, ta: int, tb: int) -> list[Pair]:
    """Every figure at the same place in both versions with the same exact value."""
    fa, fb = a.grid.full(), b.grid.full()
    return [
        ((ta, i, j), (tb, i, j))
        for i, row in enumerate(fa)
        for j, v in enumerate(row)
        if fb[i][j] == v
    ]


def _by_type(name: str, cells: tuple[tuple[int, ...], ...], scope: str = "") -> Grid:
    return Grid(
        name, "province", ("A", "B"), "type", ("x", "y", "z"), cells, universe="cases", scope=scope
    )


FIRST = _by_type("cases.by_province_type", ((3, 40, 50), (30, 20, 25)))
# The correction: three late cases of type x in province A (3 -> 12 is no longer small).
CORRECTED = _by_type("cases.by_province_type", ((12, 40, 50), (30, 20, 25)))


def test_a_correction_suppressed_on_its_own_gives_the_first_version_away() -> None:
    first = suppress([FIRST], 11)[0]
    naive = suppress([CORRECTED], 11)[0]
    assert naive.suppressed == 0  # nothing small any more
    spans = attack([first, naive], _version_links(first, naive, 0, 1))
    assert spans[(0, 0, 0)] == (3.0, 3.0)  # the first version's 3, by differencing


def test_a_correction_keeps_what_the_first_version_withheld() -> None:
    first = suppress([FIRST], 11)[0]
    corrected = suppress([CORRECTED], 11, prior=[first])[0]
    for i, row in enumerate(first.values):
        for j, value in enumerate(row):
            if value is None:
                assert corrected.values[i][j] is None
    links = _version_links(first, corrected, 0, 1)
    spans = attack([first, corrected], links)
    assert spans and all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination([first, corrected], links) == []
    assert determined([first, corrected]) == []


def _provinces() -> tuple[Grid, Grid, Grid]:
    national = grid_1d("cases.by_type", "type", {"x": 14, "y": 60, "z": 40}, universe="cases")
    a = Grid(
        "cases.by_type",
        "type",
        ("x", "y", "z"),
        None,
        ("Total",),
        ((3,), (30,), (20,)),
        universe="cases",
        scope="A",
    )
    b = Grid(
        "cases.by_type",
        "type",
        ("x", "y", "z"),
        None,
        ("Total",),
        ((11,), (30,), (20,)),
        universe="cases",
        scope="B",
    )
    return national, a, b


def _sums() -> list[tuple[list[Pos], Pos]]:
    """National = province A + province B, figure by figure (rows x, y, z and the total)."""
    return [([(1, i, 0), (2, i, 0)], (0, i, 0)) for i in range(4)]


def test_the_last_province_published_on_its_own_gives_another_province_away() -> None:
    national, a, b = _provinces()
    first = suppress([national], 11)[0]
    province_a = suppress([a], 11, prior=[first], provinces=frozenset("AB"))[0]
    naive_b = suppress([b], 11)[0]
    assert province_a.values[0][0] is None and naive_b.suppressed == 0
    spans = attack([first, province_a, naive_b], [], _sums())
    assert spans[(1, 0, 0)] == (3.0, 3.0)  # 14 - 11


def test_province_tables_beside_the_national_ones_reveal_nothing() -> None:
    national, a, b = _provinces()
    every = frozenset("AB")
    first = suppress([national], 11)[0]
    province_a = suppress([a], 11, prior=[first], provinces=every)[0]
    province_b = suppress([b], 11, prior=[first, province_a], provinces=every)[0]
    assert province_b.values[0][0] is None  # not small, hidden to protect province A's 3
    releases = [first, province_a, province_b]
    spans = attack(releases, [], _sums())
    assert spans and all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination(releases, [], _sums()) == []
    assert determined(releases, provinces=every) == []


def test_a_release_that_cannot_be_protected_is_refused() -> None:
    """Nation and province A printed every figure: province B's small x is their difference,
    whatever B's release hides."""
    every = frozenset("AB")
    national = grid_1d("cases.by_type", "type", {"x": 14, "y": 60}, universe="cases")
    a = Grid(
        "cases.by_type",
        "type",
        ("x", "y"),
        None,
        ("Total",),
        ((12,), (30,)),
        universe="cases",
        scope="A",
    )
    b = Grid(
        "cases.by_type",
        "type",
        ("x", "y"),
        None,
        ("Total",),
        ((2,), (30,)),
        universe="cases",
        scope="B",
    )
    first = suppress([national], 11)[0]
    province_a = suppress([a], 11, prior=[first], provinces=every)[0]
    with pytest.raises(Unprotectable):
        suppress([b], 11, prior=[first, province_a], provinces=every)

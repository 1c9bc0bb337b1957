"""Differentially private counts (OpenDP) and the privacy budget."""

from __future__ import annotations

import statistics

import pytest

from ctip.errors import ValidationFailed
from ctip.stats.disclosure import Grid, grid_1d
from ctip.stats.privacy import (
    BudgetExhausted,
    check_budget,
    noisy_grid,
    release,
    remaining,
    spent,
)

PARTITION = Grid("pt", "province", ("A", "B"), "type", ("x", "y", "z"), ((20, 3, 15), (12, 30, 0)))
MULTI = Grid(
    "means",
    "sex",
    ("F", "M"),
    "means",
    ("Threats", "Debt"),
    ((30, 4), (20, 25)),
    cols_partition=False,
    row_totals=(31, 40),
)


@pytest.mark.parametrize(
    "grid, parts, sensitivities",
    [
        (PARTITION, ["cells"], [1]),
        (grid_1d("sex", "sex", {"F": 4, "M": 9}), ["cells"], [1]),
        (MULTI, ["cells", "row_totals"], [2, 1]),
    ],
)
def test_queries_and_their_sensitivity(
    grid: Grid, parts: list[str], sensitivities: list[int]
) -> None:
    noisy = noisy_grid(grid, 2.0)
    assert [q.part for q in noisy.queries] == parts
    assert [q.sensitivity for q in noisy.queries] == sensitivities
    assert noisy.epsilon == pytest.approx(2.0)
    assert all(q.scale == pytest.approx(q.sensitivity / q.epsilon) for q in noisy.queries)


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 4.0])
def test_a_release_spends_exactly_its_epsilon_split_over_tables(epsilon: float) -> None:
    noisy = release([PARTITION, MULTI, grid_1d("t", "t", {"a": 1})], epsilon)
    assert spent(noisy) == pytest.approx(epsilon)
    assert [n.epsilon for n in noisy] == pytest.approx([epsilon / 3] * 3)


def test_noisy_tables_add_up_and_are_never_negative() -> None:
    noisy = noisy_grid(PARTITION, 0.5)
    values = noisy.values
    assert all(v >= 0 for row in values for v in row)
    for row in values:
        assert sum(row[:-1]) == row[-1]
    for j in range(4):
        assert sum(values[i][j] for i in range(2)) == values[2][j]


def test_noise_is_centred_and_as_wide_as_the_scale_says() -> None:
    """200 releases of a large count at ε = 1: mean near the truth, 95 % within the margin."""
    grid = grid_1d("big", "x", {"a": 1000})
    draws = [noisy_grid(grid, 1.0) for _ in range(200)]
    values = [d.values[0][0] for d in draws]
    margin = draws[0].queries[0].margin
    assert abs(statistics.mean(values) - 1000) < 0.5
    inside = sum(abs(v - 1000) <= margin for v in values) / len(values)
    assert inside >= 0.9
    assert len(set(values)) > 1


@pytest.mark.parametrize("epsilon", [0.0, -1.0, float("nan"), float("inf")])
def test_epsilon_must_be_positive_naming_the_field(epsilon: float) -> None:
    with pytest.raises(ValidationFailed) as caught:
        release([PARTITION], epsilon)
    assert caught.value.errors[0].field == "epsilon"


@pytest.mark.parametrize(
    "spent_so_far, epsilon, budget, allowed, left",
    [
        (0.0, 4.0, 8.0, True, 8.0),
        (4.0, 4.0, 8.0, True, 4.0),
        (6.0, 4.0, 8.0, False, 2.0),
        (8.0, 0.1, 8.0, False, 0.0),
        (0.1 + 0.2, 7.7, 8.0, True, 7.7),
    ],
)
def test_budget(
    spent_so_far: float, epsilon: float, budget: float, allowed: bool, left: float
) -> None:
    assert remaining(budget, spent_so_far) == pytest.approx(left)
    if allowed:
        check_budget(year=2024, epsilon=epsilon, spent=spent_so_far, budget=budget)
        return
    with pytest.raises(BudgetExhausted) as caught:
        check_budget(year=2024, epsilon=epsilon, spent=spent_so_far, budget=budget)
    assert f"{left:g} is left" in caught.value.message
    assert caught.value.field == "epsilon"

"""Differentially private counts (OpenDP) and the privacy budget."""

from __future__ import annotations

import statistics

import pytest

from ctip.errors import ValidationFailed
from ctip.reference import EXPLOITATION_TYPES, GENDERS
from ctip.stats.disclosure import Grid, grid_1d
from ctip.stats.privacy import (
    BudgetExhausted,
    check_budget,
    noisy_grid,
    noisy_tables,
    release,
    remaining,
    spent,
)
from ctip.stats.tables import Table

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
def test_a_release_spends_its_epsilon_shared_by_sensitivity(epsilon: float) -> None:
    """Sensitivities 1 (PARTITION), 2 + 1 (MULTI), 1: ε shared in fifths, one noise scale."""
    noisy = release([PARTITION, MULTI, grid_1d("t", "t", {"a": 1})], epsilon)
    assert spent(noisy) == pytest.approx(epsilon)
    assert [n.epsilon for n in noisy] == pytest.approx([epsilon / 5, epsilon * 3 / 5, epsilon / 5])
    scales = {round(q.scale, 9) for n in noisy for q in n.queries}
    assert scales == {round(5 / epsilon, 9)}


def test_a_dp_release_uses_fixed_codes_and_trusts_the_multi_select_flag() -> None:
    by_type = Table.from_counts(
        "cases.by_exploitation_type",
        "t",
        "cases",
        "exploitation_type",
        {"ForcedLabour": 30, "Servitude": 2},
        total=32,
        additive=False,
    )
    by_sex = Table.from_counts("victims.by_sex", "t", "persons", "gender", {"Feminine": 5})
    other = Table.from_counts("victims.by_nationality", "t", "persons", "country", {"KH": 5})
    released = noisy_tables([by_type, by_sex, other], 2.0)
    assert [t.key for t, _ in released] == ["cases.by_exploitation_type", "victims.by_sex"]
    types, noise = released[0]
    assert types.rows == list(EXPLOITATION_TYPES)
    assert [q.part for q in noise.queries] == ["cells", "col_totals"]
    assert noise.queries[0].sensitivity == len(EXPLOITATION_TYPES)
    assert released[1][0].rows == list(GENDERS)
    assert sum(n.epsilon for _, n in released) == pytest.approx(2.0)


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

"""IC-TIP-aligned tables: sex and age groups, forms of exploitation, citizenship."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.stats import ictip
from ctip.stats.ctdc import Victim


def victim(**changes: object) -> Victim:
    base: dict[str, object] = {
        "opened_on": date(2024, 5, 1),
        "gender": "Feminine",
        "date_of_birth": date(2000, 1, 1),
        "estimated_age": None,
        "age_estimated_on": None,
        "nationalities": ["KH"],
        "exploitation_types": ["ForcedLabour"],
        "forced_labour_subtype": None,
        "industry": None,
        "exploitation_countries": [],
        "methods_of_control": [],
        "recruitment_method": None,
    }
    return Victim(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, "women"),
        ({"date_of_birth": date(2010, 1, 1)}, "girls"),
        ({"gender": "Masculine"}, "men"),
        ({"gender": "Masculine", "date_of_birth": date(2008, 6, 1)}, "boys"),
        ({"gender": "NonConforming"}, "other_or_unknown"),
        ({"date_of_birth": None}, "other_or_unknown"),
    ],
)
def test_sex_and_age(changes: dict[str, object], expected: str) -> None:
    assert ictip.sex_age(victim(**changes)) == expected


@pytest.mark.parametrize(
    "types, subtype, expected",
    [
        (["ForcedLabour"], None, {"forced_labour"}),
        (["ForcedLabour"], "ForcedCriminalityOnlineScam", {"forced_criminality"}),
        (["ChildLabour"], None, {"forced_labour"}),
        (
            ["SexualExploitation", "ForcedMarriage"],
            None,
            {"sexual_exploitation", "forced_marriage"},
        ),
        (["Surrogacy"], None, {"other"}),
        (["ForcedAdoption"], None, {"illegal_adoption"}),
        ([], None, set()),
    ],
)
def test_forms_of_exploitation(types: list[str], subtype: str | None, expected: set[str]) -> None:
    assert ictip.forms(victim(exploitation_types=types, forced_labour_subtype=subtype)) == expected


def test_tables_count_distinct_victims_and_mixed_cases_under_each_form() -> None:
    registrations = [
        victim(),
        victim(exploitation_types=["SexualExploitation", "ForcedLabour"]),
        victim(nationalities=["VN"], gender="Masculine"),
        victim(nationalities=[], exploitation_types=[]),
    ]
    by_form, by_citizenship = ictip.tables(registrations)
    assert by_form.cell("women", "forced_labour") == 2
    assert by_form.cell("women", "sexual_exploitation") == 1
    assert by_form.total == 3 and not by_form.additive  # answered the group; a mixed case
    assert by_citizenship.cell("national", "women") == 2
    assert by_citizenship.cell("foreign", "men") == 1
    assert by_citizenship.cell("unknown", "women") == 1
    assert by_citizenship.total == 4 and by_citizenship.additive
    lines = ictip.to_csv([by_form, by_citizenship]).splitlines()
    assert lines[0] == "table,row,column,value"
    assert "ictip.victims_by_citizenship,total,total,4" in lines

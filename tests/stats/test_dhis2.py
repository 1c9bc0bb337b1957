"""DHIS2 dataValueSets: periods, the mapping file, and figures mapped to data values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ctip.errors import ValidationFailed
from ctip.stats import dhis2
from ctip.stats.tables import Table

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "dhis2-mapping.example.yaml"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("202402", date(2024, 2, 1), date(2024, 2, 29)),
        ("202312", date(2023, 12, 1), date(2023, 12, 31)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = dhis2.parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2024Q5", "202413", "24", "2024-01", "2024W1", ""])
def test_unknown_periods_name_the_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        dhis2.parse_period(text)
    assert caught.value.errors[0].field == "period"


def test_the_shipped_example_mapping_is_valid() -> None:
    mapping = dhis2.load_mapping(EXAMPLE)
    assert mapping.org_units["national"] == "KhNational1"
    assert {e.figure for e in mapping.entries} >= {"cases.total", "victims.by_sex"}


GOOD_ENTRY = {"figure": "cases.total", "dataElement": "de1", "categoryOptionCombo": "coc1"}


@pytest.mark.parametrize(
    "document, field, row",
    [
        ([], "mapping", None),
        ({"dataValues": [GOOD_ENTRY]}, "orgUnits", None),
        ({"orgUnits": {"KH-99": "x"}, "dataValues": [GOOD_ENTRY]}, "orgUnits", None),
        ({"orgUnits": {"national": "n"}, "dataValues": []}, "dataValues", None),
        (
            {
                "orgUnits": {"national": "n"},
                "dataValues": [GOOD_ENTRY, {**GOOD_ENTRY, "figure": "x"}],
            },
            "figure",
            2,
        ),
        (
            {"orgUnits": {"national": "n"}, "dataValues": [{**GOOD_ENTRY, "dataElement": ""}]},
            "dataElement",
            1,
        ),
        (
            {
                "orgUnits": {"national": "n"},
                "dataValues": [{"figure": "cases.total", "dataElement": "d"}],
            },
            "categoryOptionCombo",
            1,
        ),
    ],
)
def test_mapping_mistakes_name_field_and_row(document: object, field: str, row: int | None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        dhis2.parse_mapping(document)
    assert (caught.value.errors[0].field, caught.value.errors[0].row) == (field, row)


def test_an_unreadable_mapping_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text("{not json")
    for path in (bad, tmp_path / "missing.yaml"):
        with pytest.raises(ValidationFailed) as caught:
            dhis2.load_mapping(path)
        assert caught.value.errors[0].field == "mapping"


def test_data_values_follow_the_mapping_and_skip_suppressed_cells() -> None:
    mapping = dhis2.parse_mapping(
        {
            "orgUnits": {"national": "OUn", "KH-1": "OU1"},
            "dataValues": [
                GOOD_ENTRY,
                {
                    "figure": "cases.by_exploitation_type",
                    "row": "ForcedLabour",
                    "dataElement": "de2",
                    "categoryOptionCombo": "cocFL",
                },
                {
                    "figure": "cases.by_exploitation_type",
                    "row": "OrganRemoval",
                    "dataElement": "de2",
                    "categoryOptionCombo": "cocOR",
                },
                {
                    "figure": "victims.by_sex",
                    "row": "Feminine",
                    "dataElement": "de3",
                    "categoryOptionCombo": "cocF",
                    "attributeOptionCombo": "aoc",
                },
            ],
        }
    )
    national = {
        "cases.total": Table.scalar("cases.total", "t", "cases", 120),
        "cases.by_exploitation_type": Table.from_counts(
            "cases.by_exploitation_type",
            "t",
            "cases",
            "exploitation_type",
            {"ForcedLabour": 80, "SexualExploitation": 40},
        ),
        "victims.by_sex": Table.from_counts(
            "victims.by_sex", "t", "persons", "gender", {"Feminine": 30}
        ),
    }
    province = {
        "cases.total": Table.scalar("cases.total", "t", "cases", None),  # suppressed
        "cases.by_exploitation_type": national["cases.by_exploitation_type"],
    }
    values = dhis2.data_values({"national": national, "KH-1": province}, mapping, "2024Q1")
    assert {
        "dataElement": "de1",
        "period": "2024Q1",
        "orgUnit": "OUn",
        "categoryOptionCombo": "coc1",
        "value": "120",
    } in values
    assert {
        "dataElement": "de2",
        "period": "2024Q1",
        "orgUnit": "OUn",
        "categoryOptionCombo": "cocOR",
        "value": "0",
    } in values
    assert {
        "dataElement": "de3",
        "period": "2024Q1",
        "orgUnit": "OUn",
        "categoryOptionCombo": "cocF",
        "value": "30",
        "attributeOptionCombo": "aoc",
    } in values
    assert [v for v in values if v["orgUnit"] == "OU1" and v["dataElement"] == "de1"] == []
    assert len(values) == 4 + 2

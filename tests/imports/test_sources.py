"""Reading each source: the template's quirks, Kobo and ODK exports with repeat groups, mapped
spreadsheets, and the bad input each must answer clearly."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ctip.errors import ValidationFailed
from ctip.imports import files, sources, values
from ctip.imports.fields import resolve
from tests.imports.builders import (
    TEMPLATE_NAMES,
    csv_bytes,
    person,
    template_xlsx,
    xlsx_sheets,
    zip_of,
)

REAL = Path(__file__).resolve().parents[3] / "shared" / "formats" / "htcds"


def _read(data, name="f.xlsx", **kw):
    return files.read(
        data, name, max_upload_mb=kw.pop("up", 20), max_uncompressed_mb=kw.pop("unz", 50), **kw
    )


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31", date(2024, 3, 31)),
        ("31/03/2024", date(2024, 3, 31)),
        ("31.3.2024", date(2024, 3, 31)),
        ("៣១/០៣/២០២៤", date(2024, 3, 31)),  # Khmer digits
        ("2024-03-31T10:20:00.000+07:00", date(2024, 3, 31)),  # Kobo _submission_time
        (45382, date(2024, 3, 31)),  # Excel serial number
    ],
)
def test_dates_in_every_format_one_column_may_hold(raw, expected):
    assert values.day(raw) == expected


@pytest.mark.parametrize(
    ("vocabulary", "raw", "expected"),
    [
        ("methods_of_control", "Physical threats", "Threats"),
        ("methods_of_control", "PhysicalThreats", "Threats"),
        ("methods_of_control", "ThreatsLawEnforcement", "ThreatOfLawEnforcement"),
        ("methods_of_control", "Threats of law enforcement", "ThreatOfLawEnforcement"),
        ("methods_of_control", "Threatens children/family", "UsesChildren"),
        ("methods_of_control", "Debt bondage ", "DebtBondage"),
        ("methods_of_control", "Psychoactive substance", "PsychoactiveSubstances"),
        ("trafficking_status", "Possible victim of trafficking", "PossibleVictimOfTrafficking"),
        (
            "deciding_org",
            "Non-police governmental organization",
            "NonPoliceGovernmentalOrganization",
        ),
        (
            "exploitation_type",
            "Forced military (by non-state actors)",
            "ForcedMilitaryByNonStateActors",
        ),
        ("industry", "Agriculture, forestry and fishing", "A_AgricultureForestryAndFishing"),
        (
            "industry",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
            "G_WholesaleAndRetailTrade",
        ),
        ("gender", "Transgender Feminine\xa0", "TransgenderFeminine"),
        ("gender", "ស្រី", "Feminine"),
        ("case_status", "Follow up", "FollowUp"),
    ],
)
def test_vocabulary_codes_and_labels_are_recognised(vocabulary, raw, expected):
    assert values.code(vocabulary, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("KH-1", "KH-1"),
        ("1", "KH-1"),
        ("Banteay Meanchey", "KH-1"),
        ("បន្ទាយមានជ័យ", "KH-1"),
        ("ភ្នំពេញ", "KH-12"),
        ("ព្រះសីហនុ", "KH-18"),
        ("KH-១២", "KH-12"),
    ],
)
def test_provinces_by_code_or_name_in_either_script(raw, expected):
    assert values.province(raw) == expected


@pytest.mark.parametrize(
    ("raw", "spaces", "expected"),
    [
        ("A;B", False, ["A", "B"]),
        ("A, B", False, ["A", "B"]),
        ("A\nB", False, ["A", "B"]),
        ("A B", True, ["A", "B"]),
    ],
)
def test_multi_select_separators(raw, spaces, expected):
    assert values.split(raw, spaces) == expected


def test_khmer_digits_in_numbers():
    assert values.number("២៥") == 25
    with pytest.raises(values.BadValue):
        values.number("about 25")


@pytest.mark.parametrize(
    ("header", "field", "option"),
    [
        ("prs_First_Name", "prs_FirstName", None),
        ("vic_Methods_of_Control", "vic_MethodsOfControl", None),
        ("vic_TraffickinStatusDecisionMakingOrg", "vic_TraffickingStatusDecisionMakingOrg", None),
        ("victim/prs_Gender", "prs_Gender", None),
        ("victim-prs_Gender", "prs_Gender", None),
        ("vic_MethodsOfControl/DebtBondage", "vic_MethodsOfControl", "DebtBondage"),
        ("Mailing State/Province", "prs_MailingState", None),
    ],
)
def test_headers_are_recognised(header, field, option):
    found = resolve(header, "/-")
    assert (found.field, found.option) == (field, option)


# --- the template ----------------------------------------------------------------------------


def test_template_quirks_survive():
    rows = [person(1, **{"Reason for Outgoing Referral": "Other"}), person(2)]
    found = sources.htcds_rows(_read(template_xlsx(rows, sheet="Case Sheet", filler=50)))
    assert [r.number for r in found] == [3, 4]  # rows with only a running number are empty
    first = found[0]
    assert first.cells["prs_MailingStreet"] == "Street 1"
    assert first.cells["cas_ReasonForOutgoingReferral"] == "Other"
    assert first.cells["vic_TraffickingStatusDecisionMakingOrg"] == "Police"
    assert first.columns["prs_MailingStreet"] == "Mailing Street"
    assert "vic_TraffickinStatusDecisionMakingOrg" in TEMPLATE_NAMES


def test_a_template_of_another_version_is_refused():
    data = template_xlsx([person(1)], about="Microsoft Excel HTCDS 1.0")
    with pytest.raises(ValidationFailed) as exc:
        sources.htcds_rows(_read(data))
    assert exc.value.errors[0].params["found"] == "1.0"
    other = xlsx_sheets(
        {"Sheet1": [["prs_GivenName", "prs_Surname", "vic_Status"], ["a", "b", "c"]]}
    )
    with pytest.raises(ValidationFailed) as exc:
        sources.htcds_rows(_read(other))
    assert "version 2.0" in exc.value.errors[0].template


@pytest.mark.skipif(not REAL.exists(), reason="the IOM files are not beside the repository")
@pytest.mark.parametrize(
    "name", ["htcds-template-v2.0.xlsx", "htcds-template-v2.0-single-select-validation.xlsx"]
)
def test_the_real_empty_templates_read_as_no_rows(name):
    sheets = _read((REAL / name).read_bytes())
    assert sources.htcds_rows(sheets) == []


# --- KoboToolbox and ODK ---------------------------------------------------------------------


def test_kobo_xlsx_with_a_repeat_group_of_persons():
    main = [
        ["start", "case/cas_Status", "_id", "_uuid", "_submission_time", "_index"],
        ["2024-01-01", "Active", 11, "uuid-a", "2024-03-02T10:00:00", 1],
        ["2024-01-01", "Closed", 12, "uuid-b", "2024-03-03T10:00:00", 2],
    ]
    persons = [
        [
            "person/prs_First_Name",
            "person/vic_Methods_of_Control",
            "person/vic_Methods_of_Control/DebtBondage",
            "person/vic_Methods_of_Control/PhysicalThreats",
            "_index",
            "_parent_index",
            "_parent_table_name",
        ],
        ["Sok", "DebtBondage PhysicalThreats", 1, 1, 1, 1, "htcds"],
        ["Dara", "", 0, 1, 2, 1, "htcds"],
        ["Vanna", "FalsePromises", 0, 0, 3, 2, "htcds"],
    ]
    found = sources.kobo_rows(_read(xlsx_sheets({"htcds": main, "person": persons})))
    assert [(r.case_key, r.key) for r in found] == [
        ("uuid-a", "uuid-a/person/1"),
        ("uuid-a", "uuid-a/person/2"),
        ("uuid-b", "uuid-b/person/1"),
    ]
    assert found[0].cells["vic_MethodsOfControl"] == ["DebtBondage", "PhysicalThreats"]
    assert found[1].cells["vic_MethodsOfControl"] == ["PhysicalThreats"]  # the 0/1 columns
    assert found[2].cells["cas_Status"] == "Closed"


def test_kobo_csv_without_repeats_is_one_person_a_submission():
    data = csv_bytes(
        ["prs_First_Name", "prs_Gender", "_id", "_uuid", "_submission_time"],
        [["Sok", "Feminine", 1, "u-1", "2024-03-02T10:00:00"]],
    )
    found = sources.kobo_rows(_read(data, "kobo.csv"))
    assert [(r.key, r.submitted) for r in found] == [("u-1", "2024-03-02T10:00:00")]


def test_odk_zip_of_main_and_repeat_csvs():
    main = csv_bytes(
        ["SubmissionDate", "case-cas_Status", "meta-instanceID", "KEY"],
        [["2024-03-02T10:00:00.000Z", "Active", "uuid:1", "uuid:1"]],
    )
    repeat = csv_bytes(
        ["person-prs_FirstName", "person-prs_MobilePhone", "PARENT_KEY", "KEY"],
        [
            ["Sok", "012345678", "uuid:1", "uuid:1/person[1]"],
            ["Dara", "", "uuid:1", "uuid:1/person[2]"],
        ],
    )
    data = zip_of({"htcds-person.csv": repeat, "htcds.csv": main})
    found = sources.odk_rows(_read(data, "odk.zip"))
    assert [r.key for r in found] == ["uuid:1/person[1]", "uuid:1/person[2]"]
    assert found[0].cells["cas_Status"] == "Active"
    assert found[0].cells["prs_MobilePhone"] == "012345678"


def test_a_form_export_without_record_ids_is_refused():
    data = csv_bytes(["prs_FirstName"], [["Sok"]])
    with pytest.raises(ValidationFailed) as exc:
        sources.kobo_rows(_read(data, "kobo.csv"))
    assert exc.value.errors[0].params["column"] == "_uuid"


def test_a_mapped_spreadsheet():
    data = csv_bytes(["Nom", "Sexe", "Date de naissance"], [["Sok", "F", "01/02/2001"]])
    found = sources.mapped_rows(
        _read(data, "list.csv"),
        {"Nom": "prs_FirstName", "Sexe": "prs_Gender", "Date de naissance": "prs_Birthdate"},
    )
    assert found[0].cells == {
        "prs_FirstName": "Sok",
        "prs_Gender": "F",
        "prs_Birthdate": "01/02/2001",
    }
    assert found[0].columns["prs_Birthdate"] == "Date de naissance"


# --- bad input -------------------------------------------------------------------------------


def test_an_xlsx_that_is_not_a_spreadsheet():
    with pytest.raises(ValidationFailed) as exc:
        _read(b"PK\x03\x04 not really a zip")
    assert "not a spreadsheet" in exc.value.errors[0].template


def test_a_zip_bomb_is_refused_from_its_directory():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"0" * (3 * 1024 * 1024))
    small = out.getvalue()
    assert len(small) < 100_000
    with pytest.raises(ValidationFailed) as exc:
        _read(small, unz=2)
    assert exc.value.errors[0].params == {"limit": 2}


def test_a_file_over_the_upload_limit():
    with pytest.raises(ValidationFailed) as exc:
        _read(b"x" * (1024 * 1024 + 1), "big.csv", up=1)
    assert exc.value.errors[0].params == {"limit": 1}


@pytest.mark.parametrize(
    ("encoding", "read_as"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_csv_encodings_are_detected(encoding, read_as):
    data = csv_bytes(["prs_FirstName", "prs_SecondName"], [["José", "Müller"]], encoding)
    sheets = _read(data, "people.csv")
    assert sheets.encoding == read_as
    assert next(iter(sheets.sheets.values()))[1] == ["José", "Müller"]


def test_an_unknown_encoding_says_which_to_choose():
    data = "prs_FirstName\nJosé\n".encode().replace(b"\xc3\xa9", b"\x81\x8d")
    with pytest.raises(ValidationFailed) as exc:
        _read(data, "people.csv")
    assert "cp1252" in exc.value.errors[0].params["allowed"]


@pytest.mark.skipif(not REAL.exists(), reason="the IOM files are not beside the repository")
def test_every_field_of_the_real_xlsform_is_recognised():
    sheets = _read((REAL / "htcds-xlsform.xlsx").read_bytes())
    survey = sheets.sheets["survey"]
    names = [row[1] for row in survey[1:] if row[0] not in ("start", "end", "calculate")]
    assert names and all(resolve(n) is not None for n in names), names
    choices = sheets.sheets["choices"]
    lists = {
        "methodsofcontrol": "methods_of_control",
        "gender": "gender",
        "typeofexploitation": "exploitation_type",
        "forcedlabourindustry": "industry",
        "traffickingstatus": "trafficking_status",
        "status": "case_status",
        "traffickingstatusdecisionmakingorg": "deciding_org",
        "methodofrecruitment": "recruitment_method",
        "typeofsexexploitation": "sex_exploitation",
    }
    for list_name, name, label in choices[1:]:
        if list_name in lists:
            assert values.code(lists[list_name], name) == values.code(lists[list_name], label)


def test_kobo_label_headers_with_option_columns_holding_labels():
    main = [
        [
            "First Name",
            "Methods of Control",
            "Methods of Control/Debt bondage",
            "Methods of Control/Physical threats",
            "_uuid",
            "_index",
        ],
        ["Sok", "Debt bondage Physical threats", 1, 1, "u-9", 1],
    ]
    found = sources.kobo_rows(_read(xlsx_sheets({"htcds": main})))
    assert found[0].cells["prs_FirstName"] == "Sok"
    raw = found[0].cells["vic_MethodsOfControl"]
    assert values.codes("methods_of_control", values.split(raw, True)) == ["DebtBondage", "Threats"]

"""Kobo, ODK and mapped spreadsheets imported end to end; identifiers that cannot be
normalised are kept and flagged; names match only within scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.cases.models import Case, CasePerson
from ctip.errors import ValidationFailed
from ctip.identifiers.models import Identifier
from ctip.imports import mappings, service
from ctip.imports.models import SourceRecord
from tests.imports.builders import csv_bytes, person, template_xlsx, xlsx_sheets, zip_of


def _preview(db, actor, settings, data, filename, source, **kw):
    return service.preview(
        db,
        actor=actor,
        settings=settings,
        data=data,
        filename=filename,
        source=source,
        today=date(2025, 6, 1),
        **kw,
    )


def _kobo(status="Active"):
    main = [
        ["case/cas_Status", "_id", "_uuid", "_submission_time", "_index"],
        [status, 11, "uuid-a", "2024-03-02T10:00:00", 1],
    ]
    persons = [
        [
            "person/prs_First_Name",
            "person/prs_MobilePhone",
            "person/vic_Methods_of_Control",
            "_index",
            "_parent_index",
            "_parent_table_name",
        ],
        ["Sok", "012 345 678", "DebtBondage PhysicalThreats", 1, 1, "htcds"],
        ["Dara", "not a phone", "", 2, 1, "htcds"],
    ]
    return xlsx_sheets({"htcds": main, "person": persons})


def test_a_kobo_submission_with_a_repeat_group_is_one_case(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    found = _preview(db, officer, settings, _kobo(), "kobo.xlsx", "kobo")
    assert found.summary()["cases"] == 1 and found.summary()["persons"] == 2
    outcome = service.run(db, actor=officer, preview=found)
    case = db.get(Case, outcome.case_ids[2])
    assert case.opened_on == date(2024, 3, 2)  # from _submission_time
    links = db.scalars(
        select(CasePerson).where(CasePerson.case_id == case.id).order_by(CasePerson.id)
    ).all()
    assert links[0].methods_of_control == ["DebtBondage", "Threats"]
    refs = db.scalars(
        select(SourceRecord.source_key)
        .where(SourceRecord.source == "kobo")
        .order_by(SourceRecord.id)
    ).all()
    assert refs == ["uuid-a", "uuid-a/person/1", "uuid-a/person/2"]
    # the unnormalisable phone is kept as written and flagged
    bad = db.scalar(select(Identifier).where(Identifier.person_id == links[1].person_id))
    assert (bad.raw, bad.valid, bad.normalised) == ("not a phone", False, None)
    # an updated export of the same submission: nothing new
    again = _preview(db, officer, settings, _kobo(), "kobo.xlsx", "kobo")
    assert service.run(db, actor=officer, preview=again).nothing_new


def test_an_odk_zip_is_imported_and_keyed_on_key(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    main = csv_bytes(
        ["SubmissionDate", "meta-instanceID", "KEY"],
        [["2024-03-02T10:00:00.000Z", "uuid:1", "uuid:1"]],
    )
    repeat = csv_bytes(
        ["person-prs_FirstName", "person-prs_Gender", "PARENT_KEY", "KEY"],
        [["Sok", "Feminine", "uuid:1", "uuid:1/person[1]"]],
    )
    data = zip_of({"htcds.csv": main, "htcds-person.csv": repeat})
    outcome = service.run(
        db, actor=officer, preview=_preview(db, officer, settings, data, "odk.zip", "odk")
    )
    assert (outcome.created_cases, outcome.created) == (1, 1)
    ref = db.scalar(
        select(SourceRecord).where(SourceRecord.kind == "participant", SourceRecord.source == "odk")
    )
    assert ref.source_key == "uuid:1/person[1]"


def test_a_mapping_is_saved_once_and_reused(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    data = csv_bytes(["Nom", "Sexe", "Date de naissance"], [["Sok", "F", "01/02/2001"]])
    mappings.save_mapping(
        db,
        actor=officer,
        name="ngo list",
        province="KH-1",
        columns={
            "Nom": "prs_FirstName",
            "Sexe": "prs_Gender",
            "Date de naissance": "prs_Birthdate",
        },
    )
    found = _preview(db, officer, settings, data, "list.csv", "csv", mapping="ngo list")
    assert found.errors == []
    assert found.rows[0].person == {
        "given_name": "Sok",
        "gender": "Feminine",
        "date_of_birth": date(2001, 2, 1),
    }
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.action == "import.mapping_save"))
    # another province's officer cannot use that office's mapping
    other = make_actor(province="KH-2")
    with pytest.raises(ValidationFailed) as exc:
        _preview(db, other, settings, data, "list.csv", "csv", mapping="ngo list")
    assert exc.value.errors[0].template == "no saved mapping named %(name)s"


def test_names_match_in_scope_and_nobody_outside_it(db, make_actor, settings):
    kh1, kh2 = make_actor(province="KH-1"), make_actor(province="KH-2")
    row = person(3, **{"Mobile Phone": None})
    service.run(
        db, actor=kh1, preview=_preview(db, kh1, settings, template_xlsx([row]), "a.xlsx", "htcds")
    )
    again = template_xlsx([person(3, **{"Mobile Phone": None, "Case Owner": "Another"})])
    mine = _preview(db, kh1, settings, again, "b.xlsx", "htcds")
    assert [m.reason for m in mine.matches[3]] == ["name"]
    theirs = _preview(db, kh2, settings, again, "b.xlsx", "htcds")
    assert theirs.matches == {}
    entry = db.scalars(
        select(AuditEntry).where(
            AuditEntry.actor_id == kh2.id, AuditEntry.action == "import.preview"
        )
    ).all()
    assert entry and '"likely_same": []' in entry[-1].changes


def test_province_from_a_column_in_khmer_script(db, make_actor, settings):
    admin = make_actor("admin")
    data = csv_bytes(
        ["prs_FirstName", "cas_Province", "cas_OpenedOn"], [["Sok", "ព្រះសីហនុ", "០១/០២/២០២៤"]]
    )
    found = _preview(db, admin, settings, data, "list.csv", "csv")
    assert found.errors == []
    assert (found.rows[0].province, found.rows[0].case["opened_on"]) == ("KH-18", date(2024, 2, 1))


REAL = __import__("pathlib").Path(__file__).resolve().parents[3] / "shared" / "formats" / "htcds"


@pytest.mark.skipif(not REAL.exists(), reason="the IOM files are not beside the repository")
@pytest.mark.parametrize(
    "name", ["htcds-template-v2.0.xlsx", "htcds-template-v2.0-single-select-validation.xlsx"]
)
def test_the_real_template_filled_in_by_its_labels(db, make_actor, settings, name):
    import io
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(REAL / name)
    sheet = book.worksheets[0]
    labels = {cell.value: cell.column for cell in sheet[2] if cell.value}
    values = {
        "Case Owner": "NGO A",
        "First Name": "Sok",
        "Second Name": "Chea",
        "Birthdate": "05/04/2001",
        "Gender": "Feminine",
        "Mailing Street": "Street 9",
        "Mailing Country": "Cambodia",
        "Trafficking Status": "Actual victim of trafficking",
        "Trafficking Status Decision Making Organization": "Court or prosecution",
        "Methods of Control": "Threats of law enforcement;Debt bondage ",
        "Reason for Outgoing Referral": "Other",
    }
    for label, value in values.items():
        sheet.cell(17, labels[label], value)
    out = io.BytesIO()
    book.save(out)
    officer = make_actor(province="KH-1")
    found = _preview(db, officer, settings, out.getvalue(), name, "htcds")
    assert [r.number for r in found.rows] == [17]
    row = found.rows[0]
    assert row.errors == []
    assert row.details["status_decided_by"] == "CourtOrProsecution"
    assert row.details["methods_of_control"] == ["ThreatOfLawEnforcement", "DebtBondage"]
    assert row.extra["prs_MailingStreet"] == "Street 9"
    assert row.extra["prs_MailingCountry"] == "Cambodia"
    assert row.extra["cas_ReasonForOutgoingReferral"] == "Other"
    outcome = service.run(db, actor=officer, preview=found)
    assert outcome.case_ids[17]

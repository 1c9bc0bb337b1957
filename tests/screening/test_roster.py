"""Importing a roster: bad rows named by row and field, the rest kept, re-import idempotent,
duplicates and registry matches flagged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ctip.errors import ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.screening import interventions, roster
from ctip.screening.models import RosterEntry

CSV = """Given name,Family name,Sex,Age,Date of birth,Nationality,Passport,Phone
Sokha,Chea,F,24,,KH,N0123456,012 345 678
Minh,Nguyen,M,,2001-02-03,VN,C7654321,+84 912 345 678
Bad,Age,F,two,,KH,,
,,M,30,,TH,,
Wei,Zhang,X,19,,China,E99887766,
Lina,Future,F,,2999-01-01,Atlantis,,
Somchai,Dee,M,33,,TH,,012345678
Sokha,Chea,F,24,,KH,N0123456,012 345 678
"""


def run(db, officer, intervention, data=CSV.encode(), name="roster.csv"):
    return roster.import_file(
        db,
        actor=officer,
        intervention_id=intervention.id,
        data=data,
        filename=name,
        today=date(2024, 3, 3),
    )


def test_bad_rows_are_named_and_the_rest_kept(db, officer, intervention):
    report = run(db, officer, intervention)
    refused = sorted((e.row, e.field) for e in report.errors)
    assert refused == [(4, "age"), (5, "name"), (7, "date_of_birth"), (7, "nationality")]
    assert report.created == 4
    assert report.repeated_rows == [(9, 2)]
    entries = db.scalars(select(RosterEntry).order_by(RosterEntry.row_number)).all()
    assert [e.row_number for e in entries] == [2, 3, 6, 8]
    assert entries[2].nationality == "CN" and entries[2].gender == "NonConforming"
    assert entries[1].date_of_birth == date(2001, 2, 3)


def test_same_phone_twice_on_the_roster_is_flagged(db, officer, intervention):
    run(db, officer, intervention)
    sokha, somchai = (
        db.scalar(select(RosterEntry).where(RosterEntry.row_number == n)) for n in (2, 8)
    )
    assert somchai.duplicate_of_id == sokha.id and sokha.duplicate_of_id is None


def test_reimport_is_idempotent(db, officer, intervention):
    run(db, officer, intervention)
    again = run(db, officer, intervention)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert db.scalar(select(func.count()).select_from(RosterEntry)) == 4


def test_corrected_row_is_updated_in_place(db, officer, intervention):
    run(db, officer, intervention)
    fixed = CSV.replace(
        "Minh,Nguyen,M,,2001-02-03,VN,C7654321,+84 912 345 678",
        "Minh,Nguyen,M,,2001-02-04,VN,C7654321,+84 912 345 678",
    )
    report = run(db, officer, intervention, fixed.encode())
    assert (report.created, report.updated) == (0, 1)


def test_person_already_in_registry_is_flagged(db, officer, intervention, case, person_on):
    known = person_on(case, role="suspect")
    identifiers.add(db, actor=officer, id_type="passport", value="c 765 4321", person_id=known.id)
    report = run(db, officer, intervention)
    assert report.in_registry == 1
    minh = db.scalar(select(RosterEntry).where(RosterEntry.row_number == 3))
    assert minh.registry_person_ids == [str(known.id)]


def test_xlsx_roster(db, officer, intervention):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Gender", "DOB", "Citizenship", "Passport no"])
    sheet.append(["Dara Kim", "female", date(2007, 5, 1), "KH", "N555666"])
    sheet.append(["No Date", "male", "1st May", "KH", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(db, officer, intervention, buffer.getvalue(), "roster.xlsx")
    assert report.created == 1
    assert [(e.row, e.field) for e in report.errors] == [(3, "date_of_birth")]
    rows, total = interventions.entries(db, actor=officer, intervention_id=intervention.id)
    assert total == 1 and rows[0].name == "Dara Kim" and rows[0].date_of_birth == date(2007, 5, 1)


def test_file_without_name_column_is_refused(db, officer, intervention):
    import pytest

    from ctip.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        run(db, officer, intervention, b"sex,age\nF,20\n")
    assert caught.value.errors[0].field == "name"


def test_foreign_phone_without_country_code_is_read_by_nationality(db, officer, intervention):
    data = b"Name,Nationality,Phone\nLan Tran,VN,0912345678\nSok Dara,KH,012 345 678\n"
    run(db, officer, intervention, data)
    lan, sok = db.scalars(select(RosterEntry).order_by(RosterEntry.row_number)).all()
    assert lan.phone_valid and sok.phone_valid
    assert lan.phone_digest == identifiers.digest_of("phone", "+84912345678")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"PK\x03\x04 not really a workbook", "roster.xlsx"),
        (b"plain text", "roster.xlsx"),
    ],
)
def test_a_damaged_workbook_is_a_clear_error_not_a_crash(db, officer, intervention, data, name):
    with pytest.raises(ValidationFailed) as caught:
        run(db, officer, intervention, data=data, name=name)
    assert [e.field for e in caught.value.errors] == ["file"]

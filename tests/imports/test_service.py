"""Previewing and importing HTCDS template files through the registry's services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.cases.models import Case, CasePerson
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from ctip.imports import service
from ctip.imports.models import SourceRecord
from ctip.persons import service as persons
from ctip.persons.models import Person
from tests.imports.builders import person, template_xlsx

TODAY = date(2025, 6, 1)


def _preview(db, actor, settings, data, **kw):
    kw.setdefault("source", "htcds")
    return service.preview(
        db,
        actor=actor,
        settings=settings,
        data=data,
        filename=kw.pop("filename", "cases.xlsx"),
        today=TODAY,
        **kw,
    )


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_preview_groups_rows_into_cases_and_writes_nothing(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    rows = [person(i) for i in range(6)]  # owner and referral date shared by pairs
    before = _count(db, Person)
    result = _preview(db, officer, settings, template_xlsx(rows))
    assert result.summary()["cases"] == 3
    assert result.summary()["persons"] == 6
    assert result.summary()["error_rows"] == 0
    first = result.rows[0]
    assert first.number == 3  # names in row 1, labels in row 2
    assert first.person["given_name"] == "Given0"
    assert first.details["methods_of_control"] == ["DebtBondage", "Threats"]
    assert first.details["trafficking_status"] == "PossibleVictimOfTrafficking"
    assert first.identifiers[0].normalised == "+85512100000"
    # the mailing quirk: the label "Mailing Street" wins over the name prs_MailingCity
    assert first.extra["prs_MailingStreet"] == "Street 0"
    assert first.extra["prs_MailingCity"] == "Poipet"
    assert _count(db, Person) == before


def test_import_then_reimport_creates_nothing_new(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    data = template_xlsx([person(i) for i in range(4)], sheet="Case Sheet")
    outcome = service.run(db, actor=officer, preview=_preview(db, officer, settings, data))
    assert (outcome.created_cases, outcome.created) == (2, 4)
    case = db.get(Case, outcome.case_ids[3])
    assert case.province == "KH-1"
    assert case.exploitation_types == ["ForcedLabour"]
    assert case.opened_on == date(2024, 2, 1)
    links = db.scalars(select(CasePerson).where(CasePerson.case_id == case.id)).all()
    assert sorted(link.person.given_name for link in links) == ["Given0", "Given1"]
    ref = db.scalar(select(SourceRecord).where(SourceRecord.person_id == links[0].person_id))
    assert (ref.sheet, ref.kind) == ("Case Sheet", "participant")
    counts = (_count(db, Case), _count(db, Person), _count(db, Identifier))
    # imported persons are found like typed ones: by name (either order) and by phone
    found = persons.search(db, actor=officer, query="Family1 Given1")
    assert [p.given_name for p in found] == ["Given1"]
    hits = identifiers.search(db, actor=officer, value="+855 12 100 001")
    assert [p.display_name for p in hits.persons] == ["Given1 Family1"]

    again = _preview(db, officer, settings, data)
    assert again.summary()["unchanged"] == 4
    assert again.matches == {}
    second = service.run(db, actor=officer, preview=again)
    assert second.nothing_new
    assert (_count(db, Case), _count(db, Person), _count(db, Identifier)) == counts


def test_changed_row_updates_the_record_with_an_audited_change(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    service.run(
        db, actor=officer, preview=_preview(db, officer, settings, template_xlsx([person(1)]))
    )
    changed = template_xlsx(
        [person(1, **{"Trafficking Status": "Actual victim of trafficking", "Gender": "Masculine"})]
    )
    result = _preview(db, officer, settings, changed)
    assert result.summary()["update"] == 1
    outcome = service.run(db, actor=officer, preview=result)
    assert (outcome.created, outcome.updated) == (0, 1)
    link = db.get(
        CasePerson,
        db.scalar(
            select(SourceRecord.participant_id).where(
                SourceRecord.kind == "participant", SourceRecord.batch_id == outcome.batch_id
            )
        ),
    )
    assert link.trafficking_status == "ActualVictimOfTrafficking"
    assert link.person.gender == "Masculine"
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == officer.id)))
    assert {"person.update", "case.person_update", "import.run"} <= actions


def test_any_invalid_row_writes_nothing_unless_skipped(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    rows = [person(0), person(1, Birthdate="31/31/2001"), person(2, Gender="Robot")]
    result = _preview(db, officer, settings, template_xlsx(rows))
    assert result.summary()["error_rows"] == 2
    where = {(e.row, e.field) for e in result.errors}
    assert where == {(4, "Birthdate"), (5, "Gender")}
    before = _count(db, Person)
    with pytest.raises(ValidationFailed) as exc:
        service.run(db, actor=officer, preview=result)
    assert {e.row for e in exc.value.errors} == {4, 5}
    assert _count(db, Person) == before
    outcome = service.run(db, actor=officer, preview=result, skip_invalid=True)
    assert (outcome.created, outcome.skipped) == (1, 2)


def test_a_provincial_officer_cannot_import_into_another_province(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    result = _preview(db, officer, settings, template_xlsx([person(0)]), province="KH-2")
    assert [e.template for e in result.errors] == [
        "you work in %(own)s and cannot import cases of %(province)s"
    ]


@pytest.mark.parametrize("role", ["ngo_caseworker", "viewer", "secretariat"])
def test_roles_that_cannot_record_cases_cannot_import(db, make_actor, make_org, settings, role):
    org = make_org("Shelter", "NGO") if role == "ngo_caseworker" else None
    actor = make_actor(role, org=org) if org else make_actor(role)
    with pytest.raises(PermissionDenied):
        _preview(db, actor, settings, template_xlsx([person(0)]), province="KH-1")


def test_likely_same_persons_come_only_from_the_importers_scope(db, make_actor, settings):
    kh1 = make_actor(province="KH-1")
    service.run(db, actor=kh1, preview=_preview(db, kh1, settings, template_xlsx([person(7)])))
    # the same file, another owner and date: KH-1 is told; KH-2 learns nothing
    other = template_xlsx(
        [person(7, **{"Case Owner": "Someone", "Incoming Referral Date": "2024-05-05"})]
    )
    own = _preview(db, kh1, settings, other)
    assert [m.reason for m in own.matches[3]] == ["identifier"]
    outsider = make_actor(province="KH-2")
    theirs = _preview(db, outsider, settings, other)
    assert theirs.matches == {}
    assert theirs.summary()["new"] == 1
    # re-importing KH-1's own file from KH-2 creates KH-2's records, never touches KH-1's
    outcome = service.run(
        db, actor=outsider, preview=_preview(db, outsider, settings, template_xlsx([person(7)]))
    )
    assert outcome.created == 1
    assert db.get(Case, outcome.case_ids[3]).province == "KH-2"


def test_three_date_formats_in_one_column_and_khmer_digits(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    rows = [
        person(1, Birthdate="2001-04-05"),
        person(2, Birthdate="05/04/2001"),
        person(3, Birthdate="5.4.2001"),
        person(4, Birthdate="៥/៤/២០០១"),
    ]
    result = _preview(db, officer, settings, template_xlsx(rows))
    assert result.errors == []
    assert {r.person["date_of_birth"] for r in result.rows} == {date(2001, 4, 5)}


def test_a_blank_cell_can_be_filled_in_by_a_correction(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    data = template_xlsx([person(1, **{"First Name": None, "Second Name": None})])
    result = _preview(db, officer, settings, data)
    assert [(e.row, e.field) for e in result.errors] == [(3, "First Name")]
    fixed = _preview(db, officer, settings, data, corrections={3: {"First Name": "Sokha"}})
    assert fixed.errors == []
    assert fixed.rows[0].person["given_name"] == "Sokha"

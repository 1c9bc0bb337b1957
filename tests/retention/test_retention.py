"""Retention dates, the purge (counts only in the audit), and the export of everything held
about one person, scoped (an outsider learns nothing: the same 404 as a missing person)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.cases.models import Case, CasePerson
from ctip.demo.loader import load
from ctip.errors import NotFound, PermissionDenied
from ctip.persons.models import Person
from ctip.retention import service
from ctip.retention.models import RetentionDate
from tests.conftest import api_headers, csrf_of, login

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def registry(db, settings):
    load(db, cases=6, seed=17, settings=settings)
    db.flush()
    cases = db.scalars(select(Case).order_by(Case.id)).all()
    assert len(cases) >= 3
    return cases


def _other(province: str) -> str:
    return "KH-1" if province != "KH-1" else "KH-2"


def _only_on(db, case_id: int) -> int:
    """A person on this case and on no other."""
    for person_id in db.scalars(select(CasePerson.person_id).where(CasePerson.case_id == case_id)):
        n = db.scalar(select(func.count()).where(CasePerson.person_id == person_id))
        if n == 1:
            return int(person_id)
    pytest.fail("no person only on this case")


def test_purge_deletes_what_is_due_and_keeps_only_counts(db, registry, make_actor):
    admin = make_actor("admin")
    gone, kept = registry[0], registry[1]
    person_id = _only_on(db, gone.id)
    service.set_date(db, actor=admin, kind="case", entity_id=gone.id, until=YESTERDAY)
    service.set_date(db, actor=admin, kind="person", entity_id=person_id, until=YESTERDAY)
    service.set_date(db, actor=admin, kind="case", entity_id=kept.id, until=TODAY + timedelta(1))
    assert service.due(db, on=TODAY) == {"case": [gone.id], "person": [person_id]}

    dry = service.purge(db, actor=admin, on=TODAY, dry_run=True)
    assert (dry.cases, dry.persons) == (1, 1)
    assert db.get(Case, gone.id) is not None

    result = service.purge(db, actor=admin, on=TODAY)
    assert (result.cases, result.persons, result.kept_persons) == (1, 1, 0)
    db.expire_all()
    assert db.scalar(select(Case.id).where(Case.id == gone.id)) is None
    assert db.scalar(select(Person.id).where(Person.id == person_id)) is None
    assert db.scalar(select(CasePerson.id).where(CasePerson.case_id == gone.id)) is None
    assert db.scalar(select(Case.id).where(Case.id == kept.id)) == kept.id
    assert service.due(db, on=TODAY) == {"case": [], "person": []}
    assert db.scalar(select(func.count()).select_from(RetentionDate)) == 1
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purge")).one()
    assert entry.detail is not None and "cases=1 persons=1" in entry.detail
    assert entry.entity_id is None and entry.changes is None


def test_a_person_still_on_a_case_is_kept(db, registry, make_actor):
    admin = make_actor("admin")
    person_id = _only_on(db, registry[2].id)
    service.set_date(db, actor=admin, kind="person", entity_id=person_id, until=YESTERDAY)
    result = service.purge(db, actor=admin, on=TODAY)
    assert (result.persons, result.kept_persons) == (0, 1)
    assert db.scalar(select(Person.id).where(Person.id == person_id)) == person_id


def test_only_admins_purge(db, registry, make_actor):
    with pytest.raises(PermissionDenied):
        service.purge(db, actor=make_actor("secretariat"), on=TODAY)


@pytest.mark.parametrize(
    "outsider",
    [
        {"role": "provincial_officer", "province": "other"},
        {"role": "viewer"},
    ],
)
def test_an_outsider_can_neither_export_nor_date_a_person(db, registry, make_actor, outsider):
    case = registry[0]
    person_id = _only_on(db, case.id)
    if outsider.get("province") == "other":
        outsider = {**outsider, "province": _other(case.province)}
    actor = make_actor(**outsider)
    with pytest.raises(NotFound):
        service.export_person(db, actor=actor, person_id=person_id)
    with pytest.raises((NotFound, PermissionDenied)):
        service.set_date(db, actor=actor, kind="person", entity_id=person_id, until=TODAY)


def test_the_export_holds_the_person_and_their_records_and_is_audited(db, registry, make_actor):
    case = registry[0]
    person_id = _only_on(db, case.id)
    officer = make_actor("provincial_officer", province=case.province)
    doc = service.export_person(db, actor=officer, person_id=person_id)
    person = db.get(Person, person_id)
    assert person is not None
    text = json.dumps(doc, ensure_ascii=False)
    assert doc["person"]["id"] == person_id
    assert [c["id"] for c in doc["cases"]] == [case.id]
    assert doc["records"]["case_persons"][0]["case_id"] == case.id
    for value in (person.given_name, person.family_name):
        if value:
            assert value in text  # decrypted for the person or the court
    assert not any(k.endswith("_bidx") for k in doc["person"])
    entry = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.export_all", AuditEntry.entity_id == person_id
        )
    ).one()
    assert entry.actor_name == officer.username and "case_persons=1" in (entry.detail or "")


def test_web_export_is_scoped_and_outsiders_get_the_missing_answer(client, db, registry, make_user):
    case = registry[0]
    person_id = _only_on(db, case.id)
    officer = make_user("provincial_officer", province=case.province)
    outsider = make_user("provincial_officer", province=_other(case.province))
    own = api_headers(client, officer.username)
    response = client.get(f"/api/v1/retention/persons/{person_id}/export", headers=own)
    assert response.status_code == 200 and response.json()["person"]["id"] == person_id
    assert "attachment" in response.headers["content-disposition"]
    other = api_headers(client, outsider.username)
    hidden = client.get(f"/api/v1/retention/persons/{person_id}/export", headers=other)
    missing = client.get("/api/v1/retention/persons/987654321/export", headers=other)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json().keys() == missing.json().keys()


def test_the_purge_page_is_for_admins_and_purges(client, db, registry, make_user, make_actor):
    admin, officer = make_user("admin"), make_user("provincial_officer")
    service.set_date(
        db, actor=make_actor("admin"), kind="case", entity_id=registry[0].id, until=YESTERDAY
    )
    login(client, officer.username)
    assert client.get("/retention").status_code == 403
    client.cookies.clear()
    login(client, admin.username)
    page = client.get("/retention")
    assert page.status_code == 200 and 'id="due-cases">1<' in page.text
    response = client.post(
        "/retention/purge",
        data={"on": TODAY.isoformat(), "csrf_token": csrf_of(page.text)},
        follow_redirects=True,
    )
    assert response.status_code == 200 and 'id="due-cases">0<' in response.text
    assert db.scalar(select(Case.id).where(Case.id == registry[0].id)) is None


def test_the_pdf_export_for_a_court_is_scoped_too(client, db, registry, make_user):
    case = registry[0]
    person_id = _only_on(db, case.id)
    officer = make_user("provincial_officer", province=case.province)
    login(client, officer.username)
    response = client.get(f"/retention/persons/{person_id}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    entry = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.export_all", AuditEntry.entity_id == person_id
        )
    ).one()
    assert (entry.detail or "").startswith("pdf ")
    client.cookies.clear()
    other = make_user("provincial_officer", province=_other(case.province))
    login(client, other.username)
    assert client.get(f"/retention/persons/{person_id}/export.pdf").status_code == 404

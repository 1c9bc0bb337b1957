"""The case detail's reads are audited one entry per record read (issue 13 batches them
into one INSERT without ORM objects): the case, and each person shown once, each entry
with a keyed hash that verifies, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctip.audit.chain import entry_mac, verify
from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.cases import participants as roles
from tests.conftest import api_headers, login


@pytest.fixture
def case_with_people(db, make_case, make_person):
    case = make_case(province="KH-1")
    victim, suspect = make_person(given_name="Sokha"), make_person(given_name="Dara")
    for person, role in ((victim, "victim"), (suspect, "suspect"), (victim, "witness")):
        roles.add_participant(db, actor=SYSTEM, case_id=case.id, person_id=person.id, role=role)
    db.flush()
    return case, [victim.id, suspect.id]


def _reads(db, username):
    return list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor_name == username, AuditEntry.action.like("%.read"))
            .order_by(AuditEntry.id)
            .execution_options(populate_existing=True)
        )
    )


@pytest.mark.parametrize("how", ["api", "page"])
def test_a_detail_read_audits_the_case_and_each_person_once(
    client, db, make_user, case_with_people, how
):
    case, person_ids = case_with_people
    officer = make_user("provincial_officer", province="KH-1")
    if how == "api":
        response = client.get(
            f"/api/v1/cases/{case.id}", headers=api_headers(client, officer.username)
        )
    else:
        login(client, officer.username)
        response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    entries = _reads(db, officer.username)
    assert (entries[0].action, entries[0].entity_type, entries[0].entity_id) == (
        "case.read",
        "case",
        case.id,
    )
    people = sorted((e.action, e.entity_type, e.entity_id) for e in entries[1:])
    assert people == [("person.read", "person", pid) for pid in sorted(person_ids)]
    assert {e.detail for e in entries[1:]} == {f"on case {case.id}"}
    assert all(e.actor_id == officer.id and e.address and e.nonce for e in entries)
    assert all(e.mac == entry_mac(e) for e in entries)
    report = verify(db)
    assert report.ok, report.findings


def test_an_out_of_scope_detail_read_writes_no_read_entry(client, db, make_user, case_with_people):
    case, _ = case_with_people
    outsider = make_user("provincial_officer", province="KH-2", username="outsider")
    headers = api_headers(client, outsider.username)
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).status_code == 404
    assert _reads(db, outsider.username) == []

"""Outsiders try every way into a match and learn nothing (the same 404 as a missing record)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.errors import NotFound, PermissionDenied
from ctip.linkage import service
from ctip.linkage.files import match_registry, parse_mapping, read_list
from ctip.persons.extract import persons_table
from tests.conftest import api_headers, csrf_of, login
from tests.linkage.conftest import stored_run
from tests.persons.helpers import attach, make_case, make_person, refer


@pytest.fixture
def pair(db, make_org):
    """Broker ``a`` on a case in KH-1 and suspect ``b`` on a case in KH-2, one person."""
    agency = make_org("Anti-Human Trafficking Police KH-1", province="KH-1")
    mine, theirs = make_case(db, "KH-1", org=agency), make_case(db, "KH-2")
    a = make_person(db, "Sokha", "Chea", date_of_birth="1990-01-02")
    b = make_person(db, "Sokhar", "Chear", date_of_birth="1990-01-02")
    attach(db, mine, a, "broker")
    attach(db, theirs, b, "suspect")
    stored_run(db, [(a.id, b.id, 0.96)], {a.id: a.id, b.id: a.id})
    return a, b, agency, mine


OUTSIDERS = [("provincial_officer", {"province": "KH-1"}), ("investigator", {})]


@pytest.mark.parametrize(("role", "extra"), OUTSIDERS)
def test_outsider_gets_a_hint_never_the_record(db, make_actor, pair, role, extra):
    a, b, agency, _ = pair
    actor = (
        make_actor(role, org=agency, **extra)
        if role == "investigator"
        else make_actor(role, **extra)
    )
    [only] = service.probable_matches(session=db, actor=actor, person_id=a.id)
    assert only.hidden and only.other_person_id is None and only.evidence == {}
    with pytest.raises(NotFound):
        service.probable_matches(session=db, actor=actor, person_id=b.id)
    with pytest.raises(NotFound):
        service.decide(db, actor=actor, person_id_a=a.id, person_id_b=b.id, decision="confirmed")
    assert service.review_queue(db, actor=actor) == []
    assert b.id not in set(persons_table(db, actor=actor, purpose="test")["person_id"].to_pylist())


@pytest.mark.parametrize("role", ["ngo_caseworker", "viewer"])
def test_roles_without_linkage_are_refused(db, make_actor, make_org, pair, role):
    a, _, _, mine = pair
    ngo = make_org("Shelter", org_type="NGO", is_agency=False)
    refer(db, mine, ngo)
    actor = make_actor(role, org=ngo) if role == "ngo_caseworker" else make_actor(role)
    with pytest.raises(PermissionDenied):
        service.probable_matches(session=db, actor=actor, person_id=a.id)
    with pytest.raises(PermissionDenied):
        service.review_queue(db, actor=actor)


def test_national_reader_sees_both_and_decides(db, make_actor, pair):
    a, b, _, _ = pair
    secretariat = make_actor("secretariat")
    [seen] = service.probable_matches(session=db, actor=secretariat, person_id=a.id)
    assert (seen.other_person_id, seen.hidden) == (b.id, False)
    [item] = service.review_queue(db, actor=secretariat)
    assert (item.left, item.right) == (a.id, b.id)
    service.decide(db, actor=secretariat, person_id_a=b.id, person_id_b=a.id, decision="rejected")
    assert service.probable_matches(session=db, actor=secretariat, person_id=a.id) == []


def test_api_and_pages_answer_an_outsider_like_a_missing_record(client, db, make_user, pair):
    a, b, _, _ = pair
    officer = make_user("provincial_officer", province="KH-1")
    headers = api_headers(client, officer.username)
    hidden = client.get(f"/api/v1/linkage/persons/{b.id}/matches", headers=headers)
    missing = client.get("/api/v1/linkage/persons/999999/matches", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == {**missing.json(), **{k: hidden.json()[k] for k in hidden.json()}}
    items = client.get(f"/api/v1/linkage/persons/{a.id}/matches", headers=headers).json()["items"]
    assert items == [
        {
            "other_person_id": None,
            "probability": items[0]["probability"],
            "evidence": {},
            "hidden": True,
            "decision": None,
            "hint": service.HIDDEN_HINT,
        }
    ]
    refused = client.post(
        "/api/v1/linkage/decisions",
        json={"person_id_a": a.id, "person_id_b": b.id, "decision": "confirmed"},
        headers=headers,
    )
    assert refused.status_code == 404
    assert client.get("/api/v1/linkage/review", headers=headers).json() == {"items": []}
    login(client, officer.username)
    page = client.get(f"/persons/{a.id}")
    assert page.status_code == 200 and service.HIDDEN_HINT in page.text
    assert "Sokhar" not in page.text and f"/persons/{b.id}" not in page.text
    assert "Sokhar" not in client.get("/linkage/review").text
    form = client.get("/linkage/upload")
    upload = client.post(
        "/linkage/upload",
        data={
            "csrf_token": csrf_of(form.text),
            "id_column": "id",
            "mapping": "given=first_name\nfamily=last_name\nborn=dob",
        },
        files={"file": ("list.csv", b"id,given,family,born\nE1,Sokhar,Chear,1990-01-02\n")},
    )
    assert upload.status_code == 200 and f'data-right="{b.id}"' not in upload.text


def test_viewer_is_refused_every_linkage_page(client, make_user):
    viewer = make_user("viewer")
    headers = api_headers(client, viewer.username)
    for path in ("/api/v1/linkage/status", "/api/v1/linkage/review", "/api/v1/linkage/model"):
        assert client.get(path, headers=headers).status_code == 403
    login(client, viewer.username)
    for path in ("/linkage", "/linkage/review", "/linkage/upload"):
        assert client.get(path).status_code == 403


def test_registry_match_is_scoped_and_audited(db, make_actor, settings, pair):
    a, b, _, _ = pair
    content = b"id,given,family,born\nE1,Sokhar,Chear,1990-01-02\nE2,Sokha,Chea,1990-01-02\n"
    mapping = parse_mapping(["given=first_name", "family=last_name", "born=dob"])
    officer = make_actor("provincial_officer", province="KH-1")
    rows = match_registry(
        db,
        actor=officer,
        data=read_list("l.csv", content),
        id_column="id",
        mapping=mapping,
        threshold=0.0,
        settings=settings,
    )
    assert str(b.id) not in set(rows["right_id"])
    everyone = match_registry(
        db,
        actor=SYSTEM,
        data=read_list("l.csv", content),
        id_column="id",
        mapping=mapping,
        threshold=0.0,
        settings=settings,
    )
    assert {str(a.id), str(b.id)} <= set(everyone["right_id"])
    audited = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "linkage.file").order_by(AuditEntry.id)
    ).all()
    assert len(audited) == 2
    # Each entry names the registry persons its reader was shown, and only those.
    shown = [json.loads(entry.changes)["after"]["persons"] for entry in audited]
    assert shown[0] == sorted(int(r) for r in set(rows["right_id"])) and b.id not in shown[0]
    assert shown[1] == sorted(int(r) for r in set(everyone["right_id"]))
    assert {a.id, b.id} <= set(shown[1])

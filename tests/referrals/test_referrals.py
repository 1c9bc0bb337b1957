"""Referrals end to end: the consent gate, answers by the receiving organisation only,
overdue listing, and what an NGO case worker sees before and after answering."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, text

from ctip.audit.models import AuditEntry
from ctip.auth.service import actor_for
from ctip.errors import ValidationFailed
from ctip.referrals import service
from ctip.referrals.models import Referral
from tests.conftest import api_headers, csrf_of, login

TODAY = date.today()


def _refer(client, world, headers, **extra):
    body = {
        "to_org_id": world.ngo.id,
        "reason": "AdditionalServicesRequired",
        "service": "shelter",
        "referred_on": TODAY.isoformat(),
        "person_id": world.victim.id,
        **extra,
    }
    return client.post(f"/api/v1/cases/{world.case.id}/referrals", json=body, headers=headers)


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(Referral))


def test_victim_referral_without_consent_is_refused_naming_consent(client, world, db):
    response = _refer(client, world, api_headers(client, world.officer.username))
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", "consent"]]
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("extra", "status", "fields"),
    [
        ({"consent_given": True, "consent_on": TODAY.isoformat()}, 201, []),
        ({"consent_override_reason": "Child at risk; guardian unreachable"}, 201, []),
        ({"consent_override_reason": "   "}, 422, ["consent"]),
        ({"consent_given": True}, 422, ["consent_on"]),
        ({"person_id": None}, 201, []),
        ({"reason": "Shelter", "service": "spa"}, 422, ["reason", "service", "consent"]),
        ({"referred_on": (TODAY + timedelta(days=1)).isoformat()}, 422, ["referred_on", "consent"]),
    ],
)
def test_consent_and_fields_through_the_api(client, world, db, extra, status, fields):
    response = _refer(client, world, api_headers(client, world.officer.username), **extra)
    assert response.status_code == status, response.text
    if status == 422:
        assert [d["loc"][1] for d in response.json()["detail"]] == fields
        assert _count(db) == 0


def test_override_is_kept_encrypted_and_audited(client, world, db):
    reason = "Child at risk; guardian unreachable"
    created = _refer(
        client, world, api_headers(client, world.officer.username), consent_override_reason=reason
    ).json()
    assert created["consent_overridden"] is True
    assert created["consent_override_reason"] == reason
    raw = db.execute(
        text("SELECT consent_override_reason FROM referrals WHERE id = :id"), {"id": created["id"]}
    ).scalar_one()
    assert reason.encode() not in bytes(raw)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "referral.create"))
    assert entry.entity_id == created["id"] and entry.actor_id == world.officer.id


def test_referring_needs_a_writable_case(client, world, make_user):
    elsewhere = make_user("provincial_officer", province="KH-1")
    assert _refer(client, world, api_headers(client, elsewhere.username)).status_code == 404
    secretariat = make_user("secretariat")
    assert (
        _refer(
            client,
            world,
            api_headers(client, secretariat.username),
            consent_given=True,
            consent_on=TODAY.isoformat(),
        ).status_code
        == 403
    )


def test_destination_and_sender_are_checked(client, world, make_org):
    headers = api_headers(client, world.officer.username)
    consent = {"consent_given": True, "consent_on": TODAY.isoformat()}
    compound = make_org("Golden Fortune compound", org_type="CompoundOrVenue")
    to_compound = _refer(client, world, headers, to_org_id=compound.id, **consent)
    assert [d["loc"][1] for d in to_compound.json()["detail"]] == ["to_org_id"]
    as_other = _refer(client, world, headers, from_org_id=world.other_ngo.id, **consent)
    assert [d["loc"][1] for d in as_other.json()["detail"]] == ["from_org_id"]
    admin = api_headers(client, world.admin.username)
    on_behalf = _refer(client, world, admin, from_org_id=world.other_ngo.id, **consent)
    assert on_behalf.status_code == 201 and on_behalf.json()["from_org"] == "Legal Aid Partners"


def test_viewers_have_no_referral_list(client, make_user):
    viewer = make_user("viewer")
    assert (
        client.get("/api/v1/referrals", headers=api_headers(client, viewer.username)).status_code
        == 403
    )


def test_a_second_open_referral_for_the_same_service_is_a_conflict(client, world):
    headers = api_headers(client, world.officer.username)
    consent = {"consent_given": True, "consent_on": TODAY.isoformat()}
    assert _refer(client, world, headers, **consent).status_code == 201
    again = _refer(client, world, headers, **consent)
    assert again.status_code == 409 and again.json()["field"] == "to_org_id"


def _pending(client, world) -> dict:
    response = _refer(
        client,
        world,
        api_headers(client, world.officer.username),
        consent_given=True,
        consent_on=TODAY.isoformat(),
    )
    assert response.status_code == 201
    return response.json()


def _answer(client, username, referral, accept=True, version=None):
    return client.post(
        f"/api/v1/referrals/{referral['id']}/response",
        headers=api_headers(client, username),
        json={
            "accept": accept,
            "on": TODAY.isoformat(),
            "note": "bed free",
            "version": referral["version"] if version is None else version,
        },
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_caseworker", 404),  # cannot even see it
        ("officer", 403),  # the sender sees it but cannot answer for the NGO
        ("caseworker", 200),
        ("admin", 200),
    ],
)
def test_only_the_receiving_organisation_answers(client, world, db, who, status):
    referral = _pending(client, world)
    response = _answer(client, getattr(world, who).username, referral)
    assert response.status_code == status, response.text
    stored = db.get(Referral, referral["id"])
    db.refresh(stored)
    assert stored.status == ("accepted" if status == 200 else "pending")


def test_stale_version_is_refused_and_nothing_changes(client, world, db):
    referral = _pending(client, world)
    response = _answer(client, world.caseworker.username, referral, version=99)
    assert response.status_code == 409 and response.json()["error"] == "StaleVersion"
    assert db.get(Referral, referral["id"]).status == "pending"
    assert _answer(client, world.caseworker.username, referral).status_code == 200
    assert (
        _answer(
            client, world.caseworker.username, referral, version=referral["version"] + 1
        ).status_code
        == 409
    )
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "referral")
    ).all()
    assert sorted(actions) == ["referral.create", "referral.respond"]


def _make(db, world, referred_on, status="pending", to_org=None):
    referral = Referral(
        case_id=world.case.id,
        to_org_id=(to_org or world.ngo).id,
        reason="Other",
        service="medical",
        referred_on=referred_on,
        status=status,
    )
    db.add(referral)
    db.flush()
    return referral


def test_overdue_listing(client, world, db):
    late = _make(db, world, TODAY - timedelta(days=10))
    _make(db, world, TODAY - timedelta(days=3))
    _make(db, world, TODAY - timedelta(days=30), status="accepted")
    headers = api_headers(client, world.officer.username)
    everything = client.get("/api/v1/referrals", headers=headers).json()
    assert everything["total"] == 3
    overdue = client.get("/api/v1/referrals?overdue=true", headers=headers).json()
    assert [r["id"] for r in overdue["items"]] == [late.id]
    assert overdue["items"][0]["overdue"] is True
    login(client, world.officer.username)
    page = BeautifulSoup(client.get("/referrals").text, "html.parser")
    rows = page.select("#referrals tbody tr[data-referral-id]")
    assert len(rows) == 3
    assert [int(r["data-referral-id"]) for r in page.select("tr.overdue")] == [late.id]


def test_inbox_of_an_ngo_shows_only_its_incoming_referrals(client, world, db):
    mine = _make(db, world, TODAY)
    _make(db, world, TODAY, to_org=world.other_ngo)
    headers = api_headers(client, world.caseworker.username)
    listed = client.get("/api/v1/referrals", headers=headers).json()
    assert [r["id"] for r in listed["items"]] == [mine.id]
    assert client.get("/api/v1/referrals?status=nonsense", headers=headers).status_code == 422


def test_ngo_sees_the_victim_side_while_the_referral_is_open(client, world, db):
    headers = api_headers(client, world.caseworker.username)
    case_url = f"/api/v1/cases/{world.case.id}"
    assert client.get(case_url, headers=headers).status_code == 404
    referral = _pending(client, world)
    case = client.get(case_url, headers=headers)
    assert case.status_code == 200
    person_ids = {p["person_id"] for p in case.json()["participants"]}
    assert person_ids == {world.victim.id}
    login(client, world.caseworker.username)
    page = client.get(f"/cases/{world.case.id}")
    assert page.status_code == 200
    assert "Srey" in page.text and "Dara" not in page.text
    assert _answer(client, world.caseworker.username, referral, accept=False).status_code == 200
    assert client.get(case_url, headers=headers).status_code == 404
    assert client.get(f"/cases/{world.case.id}").status_code == 404
    assert client.get(f"/referrals/{referral['id']}").status_code == 404


def test_for_case_and_service_errors(db, world):
    officer = actor_for(world.officer)
    with pytest.raises(ValidationFailed) as caught:
        service.create(
            db,
            actor=officer,
            case_id=world.case.id,
            to_org_id=world.ngo.id,
            reason="Other",
            service="legal",
            referred_on=TODAY,
            person_id=world.suspect.id + 1000,
        )
    assert [e.field for e in caught.value.errors] == ["person_id"]
    made = service.create(
        db,
        actor=officer,
        case_id=world.case.id,
        to_org_id=world.ngo.id,
        reason="Other",
        service="legal",
        referred_on=TODAY,
        person_id=world.suspect.id,
    )
    assert made.consent_given is False and made.from_org_id == world.officer.organisation_id
    assert [r.id for r in service.for_case(db, actor=officer, case_id=world.case.id)] == [made.id]
    assert "referral" in [e.event_type for e in world.case.events]


# --- pages --------------------------------------------------------------------------------


def _form(client, world):
    page = client.get(f"/cases/{world.case.id}/referrals/new")
    assert page.status_code == 200
    return page


def test_referral_form_shows_consent_error_and_writes_nothing(client, world, db):
    login(client, world.officer.username)
    page = _form(client, world)
    soup = BeautifulSoup(page.text, "html.parser")
    people = [o["value"] for o in soup.select("#f-person_id option") if o["value"]]
    assert people == [str(world.victim.id)]  # only the victim side is offered
    data = {
        "csrf_token": csrf_of(page.text),
        "to_org_id": str(world.ngo.id),
        "reason": "AdditionalServicesRequired",
        "service": "shelter",
        "referred_on": TODAY.isoformat(),
        "person_id": str(world.victim.id),
    }
    refused = client.post(f"/cases/{world.case.id}/referrals/new", data=data)
    assert refused.status_code == 422
    error = BeautifulSoup(refused.text, "html.parser").select_one('[data-field="consent"]')
    assert error is not None and "consent" in error.text
    assert _count(db) == 0
    sent = client.post(
        f"/cases/{world.case.id}/referrals/new",
        follow_redirects=False,
        data={**data, "consent_given": "1", "consent_on": TODAY.isoformat()},
    )
    assert sent.status_code == 303 and _count(db) == 1


def test_form_messages_are_translated(client, world):
    login(client, world.officer.username)
    client.get("/lang/km?next=/")
    page = _form(client, world)
    refused = client.post(
        f"/cases/{world.case.id}/referrals/new",
        data={
            "csrf_token": csrf_of(page.text),
            "to_org_id": str(world.ngo.id),
            "reason": "Other",
            "service": "shelter",
            "referred_on": TODAY.isoformat(),
            "person_id": str(world.victim.id),
        },
    )
    error = BeautifulSoup(refused.text, "html.parser").select_one('[data-field="consent"]')
    assert error is not None and "ការយល់ព្រម" in error.text


def test_caseworker_accepts_on_the_detail_page(client, world, db):
    referral = _pending(client, world)
    login(client, world.caseworker.username)
    page = client.get(f"/referrals/{referral['id']}")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one("#answer") is not None
    assert "Srey" in soup.select_one("#referral").text
    answered = client.post(
        f"/referrals/{referral['id']}/response",
        follow_redirects=False,
        data={
            "csrf_token": csrf_of(page.text),
            "decision": "accept",
            "on": TODAY.isoformat(),
            "note": "welcome",
            "version": str(referral["version"]),
        },
    )
    assert answered.status_code == 303
    after = BeautifulSoup(client.get(f"/referrals/{referral['id']}").text, "html.parser")
    assert after.select_one("#referral")["data-status"] == "accepted"
    assert after.select_one("#answer") is None
    reads = db.scalars(
        select(AuditEntry.detail).where(
            AuditEntry.action == "person.read", AuditEntry.actor_id == world.caseworker.id
        )
    ).all()
    assert f"referral {referral['id']}" in reads


def test_sender_cannot_answer_on_the_page(client, world):
    referral = _pending(client, world)
    login(client, world.officer.username)
    page = client.get(f"/referrals/{referral['id']}")
    assert BeautifulSoup(page.text, "html.parser").select_one("#answer") is None
    forced = client.post(
        f"/referrals/{referral['id']}/response",
        data={
            "csrf_token": csrf_of(page.text),
            "decision": "accept",
            "on": TODAY.isoformat(),
            "version": str(referral["version"]),
        },
    )
    assert forced.status_code == 403

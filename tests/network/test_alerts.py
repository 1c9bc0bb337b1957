"""Alerts: raised in the same transaction as the change, to the case's officers and the
analysts, and never naming a record outside the recipient's scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.service import actor_for
from ctip.cases import participants
from ctip.cases import service as cases
from ctip.cases.schemas import CaseIn
from ctip.errors import NotFound
from ctip.identifiers import service as identifiers
from ctip.network import alerts
from ctip.network.models import NetworkAlert
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn, PersonUpdate
from tests.conftest import api_headers, login


@pytest.fixture
def world(db, make_user, make_org):
    police = make_org("Border police", province="KH-1")
    users = {
        "old_officer": make_user("provincial_officer", province="KH-1", username="old-officer"),
        "new_officer": make_user("provincial_officer", province="KH-12", username="new-officer"),
        "analyst": make_user("secretariat", username="analyst"),
        "ngo": make_user("ngo_caseworker", org=make_org("Shelter", "NGO"), username="ngo"),
        "viewer": make_user("viewer", username="viewer-1"),
        "other_police": make_user("investigator", org=police, username="police-1"),
    }
    actors = {k: actor_for(u, "127.0.0.1") for k, u in users.items()}

    def case(actor, province, opened):
        data = CaseIn(
            title="Typing jobs",
            province=province,
            opened_on=opened,
            exploitation_types=["ForcedLabour"],
        )
        return cases.create(db, actor=actor, data=data)

    def person(actor, given):
        data = PersonIn(given_name=given, family_name="Chea", sex="M", nationalities=["KH"])
        return persons.create(db, actor=actor, data=data)

    old_case = case(actors["old_officer"], "KH-1", date(2022, 5, 1))
    broker = person(actors["old_officer"], "Dara")
    participants.add_participant(
        db, actor=actors["old_officer"], case_id=old_case.id, person_id=broker.id, role="broker"
    )
    identifiers.add(
        db, actor=actors["old_officer"], id_type="phone", value="+85512345678", person_id=broker.id
    )
    new_case = case(actors["new_officer"], "KH-12", date(2024, 3, 2))
    suspect = person(actors["new_officer"], "Darra")
    participants.add_participant(
        db, actor=actors["new_officer"], case_id=new_case.id, person_id=suspect.id, role="suspect"
    )
    db.flush()
    return {
        "actors": actors,
        "users": users,
        "old_case": old_case,
        "new_case": new_case,
        "broker": broker,
        "suspect": suspect,
    }


def _add_shared_phone(db, world):
    identifiers.add(
        db,
        actor=world["actors"]["new_officer"],
        id_type="phone",
        value="012 345 678",
        person_id=world["suspect"].id,
    )
    db.flush()


def _alerts_for(db, user):
    return list(db.scalars(select(NetworkAlert).where(NetworkAlert.recipient_id == user.id)))


def test_a_shared_phone_alerts_the_case_officer_and_the_analysts(db, world):
    before = len(db.scalars(select(NetworkAlert)).all())
    _add_shared_phone(db, world)
    assert before == 0
    recipients = {a.recipient_id for a in db.scalars(select(NetworkAlert))}
    users = world["users"]
    assert recipients == {users["new_officer"].id, users["analyst"].id}
    (alert,) = _alerts_for(db, users["analyst"])
    assert (alert.reason, alert.identifier_type, alert.other_role, alert.severity) == (
        "shared_identifier",
        "phone",
        "broker",
        "high",
    )
    assert alert.other_person_id == world["broker"].id
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "alert.create"))
    assert entry is not None and entry.entity_id == world["suspect"].id


@pytest.mark.parametrize("outsider", ["old_officer", "ngo", "viewer", "other_police"])
def test_outsiders_get_no_alert_and_see_none(db, world, outsider):
    _add_shared_phone(db, world)
    actor = world["actors"][outsider]
    assert _alerts_for(db, world["users"][outsider]) == []
    assert alerts.inbox(db, actor=actor).items == []
    mine = _alerts_for(db, world["users"]["analyst"])[0]
    with pytest.raises(NotFound):
        alerts.mark_read(db, actor=actor, alert_id=mine.id)


def test_the_other_side_is_never_named_to_who_may_not_see_it(db, world):
    _add_shared_phone(db, world)
    officer = world["actors"]["new_officer"]
    (item,) = alerts.inbox(db, actor=officer).items
    assert item.hidden and item.reason == "hidden"
    assert item.other_person_id is None and item.other_case_reference is None
    assert item.person_id == world["suspect"].id  # their own record, named
    assert alerts.inbox(db, actor=officer, hint_hidden=False).items == []
    (full,) = alerts.inbox(db, actor=world["actors"]["analyst"]).items
    assert not full.hidden and full.other_case_reference == world["old_case"].reference
    assert full.other_person_label == "Dara Chea"


def test_alerts_are_not_repeated_and_can_be_marked_read(db, world):
    _add_shared_phone(db, world)
    analyst = world["actors"]["analyst"]
    suspect = world["suspect"]
    persons.update(
        db,
        actor=world["actors"]["new_officer"],
        person_id=suspect.id,
        data=PersonUpdate(version=suspect.version, notes="seen at the border"),
    )
    assert len(_alerts_for(db, world["users"]["analyst"])) == 1
    assert alerts.unread_count(db, actor=analyst) == 1
    alerts.mark_read(db, actor=analyst, alert_id=_alerts_for(db, world["users"]["analyst"])[0].id)
    assert alerts.unread_count(db, actor=analyst) == 0
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "alert.read")) is not None


def test_a_known_broker_joining_another_case_alerts(db, world):
    """The old case's broker record is put on a later case of the same province."""
    officer = world["actors"]["old_officer"]
    later = cases.create(
        db,
        actor=officer,
        data=CaseIn(
            title="Brick kiln",
            province="KH-1",
            opened_on=date(2025, 1, 9),
            exploitation_types=["ForcedLabour"],
        ),
    )
    participants.add_participant(
        db, actor=officer, case_id=later.id, person_id=world["broker"].id, role="suspect"
    )
    db.flush()
    (mine,) = alerts.inbox(db, actor=officer).items
    assert (mine.reason, mine.other_role, mine.severity, mine.case_id) == (
        "same_record",
        "broker",
        "high",
        later.id,
    )
    assert mine.other_case_id == world["old_case"].id


def test_a_victim_of_an_earlier_case_is_high(db, world):
    victim = persons.create(
        db,
        actor=world["actors"]["old_officer"],
        data=PersonIn(given_name="Srey", family_name="Pov", sex="F", nationalities=["KH"]),
    )
    participants.add_participant(
        db,
        actor=world["actors"]["old_officer"],
        case_id=world["old_case"].id,
        person_id=victim.id,
        role="victim",
    )
    identifiers.add(
        db,
        actor=world["actors"]["old_officer"],
        id_type="passport",
        value="N1234567",
        person_id=victim.id,
        issuing_country="KH",
    )
    identifiers.add(
        db,
        actor=world["actors"]["new_officer"],
        id_type="passport",
        value="N1234567",
        person_id=world["suspect"].id,
        issuing_country="KH",
    )
    db.flush()
    found = {
        (m.other_person_id, m.other_role, m.severity)
        for m in alerts.meetings(db, world["suspect"].id)
    }
    assert (victim.id, "victim", "high") in found


def test_alerts_page_and_api(client, db, world):
    _add_shared_phone(db, world)
    login(client, "new-officer")
    page = client.get("/network/alerts")
    assert page.status_code == 200
    assert "ask the secretariat" in page.text
    assert world["old_case"].reference not in page.text and "Dara" not in page.text
    assert client.get("/network/alerts/unread").json() == {"unread": 1}
    headers = api_headers(client, "analyst")
    data = client.get("/api/v1/network/alerts", headers=headers).json()
    assert data["unread"] == 1 and data["items"][0]["other_case_reference"] == (
        world["old_case"].reference
    )
    alert_id = data["items"][0]["id"]
    assert (
        client.post(f"/api/v1/network/alerts/{alert_id}/read", headers=headers).status_code == 204
    )
    assert client.get("/api/v1/network/alerts", headers=headers).json()["unread"] == 0
    outsider = api_headers(client, "old-officer")
    assert (
        client.post(f"/api/v1/network/alerts/{alert_id}/read", headers=outsider).status_code == 404
    )

"""Menus and buttons follow the one authorization table; a case worker's case page shows only
the referred victim's identifiers; Accept and Decline differ and a decline is confirmed and
explained."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from ctip.auth.service import actor_for
from ctip.identifiers import service as identifiers
from ctip.referrals import service
from ctip.web.render import ABILITIES, can
from tests.conftest import csrf_of, login
from tests.referrals.helpers import add_person

TODAY = date(2024, 2, 1)


def soup(response):
    assert response.status_code < 400, response.status_code
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("viewer", "cases.read", False),
        ("viewer", "interventions.record", False),
        ("ngo_caseworker", "interventions.record", False),
        ("provincial_officer", "interventions.record", True),
        ("provincial_officer", "flags.read", True),
        ("provincial_officer", "flags.decide", False),
        ("secretariat", "cases.create", False),
    ],
)
def test_the_authorization_table(role, action, allowed):
    assert action in ABILITIES

    class Someone:
        pass

    who = Someone()
    who.role = role  # type: ignore[attr-defined]
    assert can(who, action) is allowed


def test_a_viewer_gets_no_case_search_and_no_intervention_button(client, make_user):
    viewer = make_user("viewer")
    login(client, viewer.username)
    refused = client.get("/cases")
    assert refused.status_code == 403
    assert "aggregate figures" in refused.text
    # the screening page itself is closed to viewers (a role gate), so no button can show
    screening = client.get("/screening")
    assert screening.status_code == 403
    assert 'id="new-intervention"' not in screening.text


def _referred(db, world):
    other_victim = add_person(db, world.case, "victim", "Lina", "Other")
    officer = actor_for(world.officer)
    for person, phone in ((world.victim, "012 345 678"), (other_victim, "017 888 999")):
        identifiers.add(db, actor=officer, id_type="phone", value=phone, person_id=person.id)
    return service.create(
        db,
        actor=officer,
        case_id=world.case.id,
        to_org_id=world.ngo.id,
        reason="AdditionalServicesRequired",
        service="shelter",
        referred_on=TODAY,
        person_id=world.victim.id,
        consent_given=True,
        consent_on=TODAY,
    )


def test_the_case_worker_sees_only_the_referred_victims_identifiers(client, db, world):
    _referred(db, world)
    login(client, world.caseworker.username)
    page = soup(client.get(f"/cases/{world.case.id}"))
    shown = {a["href"] for a in page.select("table.identifiers a")}
    assert shown == {f"/persons/{world.victim.id}"}
    assert "017" not in page.select_one("table.identifiers").get_text()


def test_decline_is_confirmed_and_explained(client, db, world):
    referral = _referred(db, world)
    login(client, world.caseworker.username)
    url = f"/referrals/{referral.id}"
    page = soup(client.get(url))
    accept, decline = page.select_one("#accept"), page.select_one("#decline")
    assert accept["class"] != decline["class"]
    form = {
        "csrf_token": csrf_of(client.get(url).text),
        "version": str(referral.version),
        "on": "2024-02-02",
        "decision": "decline",
    }
    asked = client.post(f"{url}/response", data=form)
    assert soup(asked).select_one("#confirm-decline") is not None
    assert service.get(db, actor=actor_for(world.officer), referral_id=referral.id).status == (
        "pending"
    )
    done = client.post(f"{url}/response", data={**form, "confirmed": "yes"})
    assert soup(done).select_one("#declined") is not None

"""Identifier API and search page through the real app."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ctip.auth.service import actor_for
from ctip.identifiers import service
from tests.conftest import api_headers, login
from tests.persons.helpers import attach, make_case, make_person, refer

FORMATS = ["+855 12 345 678", "012345678", "855-12-345-678"]


def test_api_adds_phone_and_reports_normalised_form(client, make_user, db):
    headers = api_headers(client, make_user("admin").username)
    person = make_person(db)
    response = client.post(
        f"/api/v1/persons/{person.id}/identifiers",
        json={"type": "phone", "value": "012 345 678"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: body[k] for k in ("type", "raw", "normalised", "valid", "problem")} == {
        "type": "phone",
        "raw": "012 345 678",
        "normalised": "+85512345678",
        "valid": True,
        "problem": None,
    }
    assert "digest" not in body


def test_api_keeps_unparseable_phone_flagged(client, make_user, db):
    headers = api_headers(client, make_user("admin").username)
    person = make_person(db)
    response = client.post(
        f"/api/v1/persons/{person.id}/identifiers",
        json={"type": "phone", "value": "12-34"},
        headers=headers,
    )
    assert response.status_code == 201
    assert (response.json()["valid"], response.json()["problem"]) == (
        False,
        "not a valid phone number",
    )
    listed = client.get(f"/api/v1/persons/{person.id}/identifiers", headers=headers).json()
    assert [i["raw"] for i in listed] == ["12-34"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "shoe", "value": "1"}, "type"),
        ({"type": "phone"}, "value"),
        ({"type": "phone", "value": "012345678", "platform": "myspace"}, "platform"),
    ],
)
def test_api_bad_identifier_is_422_naming_the_field(client, make_user, db, body, field):
    headers = api_headers(client, make_user("admin").username)
    person = make_person(db)
    response = client.post(f"/api/v1/persons/{person.id}/identifiers", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


@pytest.mark.parametrize("stored", FORMATS)
def test_api_search_finds_one_phone_in_three_formats(client, make_user, db, stored):
    headers = api_headers(client, make_user("secretariat").username)
    person = make_person(db)
    case = make_case(db, "KH-12", title="Phnom Penh recruitment")
    attach(db, case, person, "victim")
    admin = api_headers(client, make_user("admin").username)
    client.post(
        f"/api/v1/persons/{person.id}/identifiers",
        json={"type": "phone", "value": stored},
        headers=admin,
    )
    for value in FORMATS:
        found = client.get(
            "/api/v1/identifiers/search", params={"value": value}, headers=headers
        ).json()
        assert found["value"] == value
        assert [(p["id"], [r["role"] for r in p["roles"]]) for p in found["persons"]] == [
            (person.id, ["victim"])
        ]
        assert [(c["id"], c["reference"], c["role"]) for c in found["cases"]] == [
            (case.id, case.reference, "victim")
        ]


def test_api_case_identifiers(client, make_user, db):
    headers = api_headers(client, make_user("admin").username)
    case = make_case(db)
    response = client.post(
        f"/api/v1/cases/{case.id}/identifiers",
        json={"type": "social_handle", "value": "t.me/JobsKH", "platform": "telegram"},
        headers=headers,
    )
    assert response.status_code == 201 and response.json()["normalised"] == "jobskh"
    found = client.get(
        "/api/v1/identifiers/search", params={"value": "@jobskh"}, headers=headers
    ).json()
    assert [(c["id"], c["role"]) for c in found["cases"]] == [(case.id, None)]


def test_ngo_caseworker_search_hides_suspects(client, make_user, make_org, db):
    ngo = make_org("Shelter NGO", org_type="NGO")
    worker = make_user("ngo_caseworker", org=ngo)
    admin = api_headers(client, make_user("admin").username)
    victim, suspect = make_person(db, given="Srey"), make_person(db, given="Broker")
    case = make_case(db)
    attach(db, case, victim, "victim")
    attach(db, case, suspect, "suspect")
    refer(db, case, ngo)
    client.post(
        f"/api/v1/persons/{suspect.id}/identifiers",
        json={"type": "phone", "value": "097 123 4567"},
        headers=admin,
    )
    headers = api_headers(client, worker.username)
    found = client.get(
        "/api/v1/identifiers/search", params={"value": "+855971234567"}, headers=headers
    ).json()
    assert (found["persons"], found["cases"]) == ([], [])
    assert (
        client.get(f"/api/v1/persons/{suspect.id}/identifiers", headers=headers).status_code == 404
    )
    assert client.get(f"/api/v1/persons/{victim.id}", headers=headers).status_code == 200


def test_search_page_lists_persons_and_cases(client, make_user, db):
    user = make_user("admin")
    person = make_person(db, given="Dara", family="Kim")
    case = make_case(db)
    attach(db, case, person, "broker")
    service.add(
        db, actor=actor_for(user), id_type="social_handle", value="@dara_jobs", person_id=person.id
    )
    login(client, user.username)
    html = BeautifulSoup(
        client.get("/identifiers/search", params={"value": "https://t.me/Dara_Jobs"}).text,
        "html.parser",
    )
    assert [tr["data-person"] for tr in html.select("#identifier-persons tr[data-person]")] == [
        str(person.id)
    ]
    assert [tr["data-case"] for tr in html.select("#identifier-cases tr[data-case]")] == [
        str(case.id)
    ]
    assert html.select_one('nav a[href="/identifiers/search"]') is not None

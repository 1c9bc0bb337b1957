"""The organisation register: who may add, field checks, unique names, list and search."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.orgs.models import Organisation
from tests.conftest import api_headers, csrf_of, login

NEW = {"name": "Hagar Cambodia", "org_type": "NGO", "province": "KH-12", "country": "KH"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 201),
        ("secretariat", 201),
        ("provincial_officer", 403),
        ("investigator", 403),
        ("ngo_caseworker", 403),
        ("viewer", 403),
    ],
)
def test_who_may_add_an_organisation(client, make_user, make_org, role, status):
    org = make_org("Home agency") if role in ("investigator", "ngo_caseworker") else None
    user = make_user(role, org=org)
    response = client.post(
        "/api/v1/organisations", json=NEW, headers=api_headers(client, user.username)
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"org_type": "Charity"}, ["org_type"]),
        ({"province": "KH-26"}, ["province"]),
        ({"country": "XX"}, ["country"]),
        ({"name": "  "}, ["name"]),
        ({"org_type": "CompoundOrVenue", "country": "MM", "province": None}, []),
    ],
)
def test_fields_are_checked(client, make_user, change, fields):
    headers = api_headers(client, make_user("admin").username)
    response = client.post("/api/v1/organisations", json={**NEW, **change}, headers=headers)
    if fields:
        assert response.status_code == 422
        assert [d["loc"][1] for d in response.json()["detail"]] == fields
    else:
        assert response.status_code == 201 and response.json()["country"] == "MM"


def test_a_name_in_use_is_a_conflict_whatever_its_case(client, make_user, db):
    headers = api_headers(client, make_user("admin").username)
    assert client.post("/api/v1/organisations", json=NEW, headers=headers).status_code == 201
    again = client.post(
        "/api/v1/organisations", headers=headers, json={**NEW, "name": "hagar  CAMBODIA"}
    )
    assert again.status_code == 409 and again.json()["field"] == "name"
    assert (
        db.scalar(
            select(func.count()).select_from(Organisation).where(Organisation.name.ilike("hagar%"))
        )
        == 1
    )
    created = db.scalars(select(AuditEntry).where(AuditEntry.action == "org.create")).all()
    assert len(created) == 1


def test_list_search_and_get(client, make_user, make_org):
    make_org("Poipet Border Police", province="KH-1")
    ngo = make_org("Chab Dai", org_type="NGO", is_agency=False)
    headers = api_headers(client, make_user("investigator", org=ngo).username)
    found = client.get("/api/v1/organisations?q=chab", headers=headers).json()
    assert [o["name"] for o in found["items"]] == ["Chab Dai"] and found["total"] == 1
    by_type = client.get("/api/v1/organisations?org_type=LawEnforcement", headers=headers).json()
    assert [o["name"] for o in by_type["items"]] == ["Poipet Border Police"]
    assert (
        client.get(f"/api/v1/organisations/{ngo.id}", headers=headers).json()["name"] == "Chab Dai"
    )
    assert client.get("/api/v1/organisations/999999", headers=headers).status_code == 404


def test_page_create_form_for_admins_only(client, make_user, db):
    admin = make_user("admin")
    login(client, admin.username)
    page = client.get("/organisations")
    assert BeautifulSoup(page.text, "html.parser").select_one("#new-org form") is not None
    data = {**NEW, "csrf_token": csrf_of(page.text)}
    assert client.post("/organisations", data=data, follow_redirects=False).status_code == 303
    again = client.post("/organisations", data=data)
    assert again.status_code == 409
    error = BeautifulSoup(again.text, "html.parser").select_one('[data-field="name"]')
    assert error is not None and "exists" in error.text
    listed = BeautifulSoup(client.get("/organisations?q=hagar").text, "html.parser")
    assert [td.text.strip() for td in listed.select("#orgs tbody tr td:first-child")] == [
        "Hagar Cambodia"
    ]


def test_page_without_create_form_for_officers(client, make_user):
    login(client, make_user("provincial_officer").username)
    page = BeautifulSoup(client.get("/organisations").text, "html.parser")
    assert page.select_one("#orgs") is not None and page.select_one("#new-org") is None

"""Person pages and the persons API, through the real app, its forms and its JSON."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.persons.models import Person
from tests.conftest import api_headers, csrf_of, login
from tests.persons.helpers import attach, make_case, make_person

FUTURE = (date.today() + timedelta(days=30)).isoformat()


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def _form(**fields):
    base = {
        "given_name": "",
        "family_name": "",
        "name_km": "",
        "aliases": "",
        "gender": "",
        "date_of_birth": "",
        "estimated_age": "",
        "address": "",
        "notes": "",
    }
    return {**base, **fields}


def test_api_create_read_and_audit(client, make_user, db):
    user = make_user("provincial_officer", province="KH-1")
    headers = api_headers(client, user.username)
    body = {
        "given_name": "Sokha",
        "family_name": "Chea",
        "sex": "F",
        "date_of_birth": "1999-04-01",
        "nationalities": ["KH"],
    }
    created = client.post("/api/v1/persons", json=body, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()
    assert (data["gender"], data["nationalities"], data["version"]) == ("Feminine", ["KH"], 1)
    read = client.get(f"/api/v1/persons/{data['id']}", headers=headers).json()
    assert (read["given_name"], read["roles"], read["identifiers"]) == ("Sokha", [], [])
    reads = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.read", AuditEntry.entity_id == data["id"]
        )
    ).all()
    assert [e.actor_id for e in reads] == [user.id]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": "Dara", "date_of_birth": FUTURE}, "date_of_birth"),
        ({"given_name": "Dara", "nationalities": ["ZZ"]}, "nationalities"),
        ({"given_name": "Dara", "date_of_birth": "31/01/2000"}, "date_of_birth"),
        ({"given_name": "Dara", "estimated_age": 300}, "estimated_age"),
        ({"sex": "F"}, "given_name"),
    ],
)
def test_api_bad_input_is_422_naming_the_field(client, make_user, db, body, field):
    headers = api_headers(client, make_user("admin").username)
    before = db.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
    response = client.post("/api/v1/persons", json=body, headers=headers)
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["detail"]] == [field]
    assert db.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) == before


def test_api_patch_and_stale_version(client, make_user):
    headers = api_headers(client, make_user("admin").username)
    pid = client.post("/api/v1/persons", json={"given_name": "Sokha"}, headers=headers).json()["id"]
    ok = client.patch(
        f"/api/v1/persons/{pid}", json={"version": 1, "family_name": "Chea"}, headers=headers
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/persons/{pid}", json={"version": 1, "family_name": "X"}, headers=headers
    )
    assert stale.status_code == 409 and stale.json()["error"] == "StaleVersion"
    assert client.get(f"/api/v1/persons/{pid}", headers=headers).json()["family_name"] == "Chea"


def test_api_name_search(client, make_user):
    headers = api_headers(client, make_user("admin").username)
    client.post(
        "/api/v1/persons", json={"given_name": "Srey", "family_name": "Mom"}, headers=headers
    )
    found = client.get("/api/v1/persons", params={"q": "mom srey"}, headers=headers).json()
    assert [p["display_name"] for p in found["items"]] == ["Srey Mom"]


def test_other_province_gets_404(client, make_user, make_actor, db):
    kh1 = make_actor("provincial_officer", province="KH-1")
    person = make_person(db, actor=kh1)
    attach(db, make_case(db, "KH-1"), person, "victim")
    other = make_user("provincial_officer", province="KH-2")
    headers = api_headers(client, other.username)
    assert client.get(f"/api/v1/persons/{person.id}", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/persons/{person.id}/identifiers",
        json={"type": "phone", "value": "012345678"},
        headers=headers,
    )
    assert response.status_code == 404
    login(client, other.username)
    assert client.get(f"/persons/{person.id}").status_code == 404


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "the date of birth is in the future"),
        ("km", "ថ្ងៃខែឆ្នាំកំណើតនៅថ្ងៃអនាគត"),
    ],
)
def test_form_rerenders_with_translated_field_message(client, make_user, db, language, message):
    user = make_user("provincial_officer", province="KH-1", language=language)
    login(client, user.username)
    client.cookies.set("ctip_lang", language)
    page = client.get("/persons/new")
    response = client.post(
        "/persons/new",
        data=_form(given_name="Dara", date_of_birth=FUTURE, csrf_token=csrf_of(page.text)),
    )
    assert response.status_code == 422
    html = soup(response)
    assert html.select_one('[data-field="date_of_birth"].field-error').text == message
    assert html.select_one("#f-given_name")["value"] == "Dara"
    assert db.scalar(select(Person.id).where(Person.created_by_id == user.id)) is None


def test_form_creates_and_person_page_shows_everything(client, make_user, make_actor, db):
    user = make_user("admin")
    login(client, user.username)
    page = client.get("/persons/new")
    response = client.post(
        "/persons/new",
        data={
            **_form(
                given_name="Sokha",
                family_name="Chea",
                name_km="ជា សុខា",
                aliases="Ah Kha\nSokhar",
                gender="Feminine",
                date_of_birth="2001-02-03",
                notes="met at the shelter",
            ),
            "nationalities": ["KH", "TH"],
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    person_id = int(response.headers["location"].rsplit("/", 1)[-1])
    person = db.get(Person, person_id)
    case = make_case(db, "KH-18", title="Sihanoukville compound")
    other = make_case(db, "KH-1", title="Poipet network")
    attach(db, case, person, "victim")
    attach(db, other, person, "suspect")
    html = soup(client.get(f"/persons/{person_id}"))
    facts = {dd["data-field"]: dd.text.strip() for dd in html.select("#person-facts dd")}
    assert facts["name_km"] == "ជា សុខា" and facts["aliases"] == "Ah Kha, Sokhar"
    assert facts["gender"] == "Female" and facts["date_of_birth"] == "2001-02-03"
    assert facts["nationalities"] == "Cambodia, Thailand"
    rows = html.select("#person-roles tr[data-case]")
    roles = {(int(tr["data-case"]), tr["data-role"]) for tr in rows}
    assert roles == {(case.id, "victim"), (other.id, "suspect")}
    assert html.select_one(f'a[href="/persons/{person_id}/edit"]') is not None


def test_person_page_adds_identifier_and_flags_unparseable(client, make_user, db):
    user = make_user("admin")
    person = make_person(db)
    login(client, user.username)
    page = client.get(f"/persons/{person.id}")
    token = csrf_of(page.text)
    for value in ("012 345 678", "12-34"):
        response = client.post(
            f"/persons/{person.id}/identifiers",
            follow_redirects=False,
            data={"type": "phone", "value": value, "csrf_token": token},
        )
        assert response.status_code == 303
    rows = soup(client.get(f"/persons/{person.id}")).select("#person-identifiers tr[data-valid]")
    assert [(r["data-valid"], r.select("td")[2].text) for r in rows] == [
        ("true", "+85512345678"),
        ("false", "—"),
    ]
    assert rows[1].select_one('[data-flag="unparseable"]') is not None
    empty = client.post(
        f"/persons/{person.id}/identifiers",
        data={"type": "phone", "value": "", "csrf_token": token},
    )
    assert empty.status_code == 422
    assert soup(empty).select_one('.field-error[data-field="value"]') is not None


def test_edit_page_saves_and_reports_stale_version(client, make_user, db):
    user = make_user("admin")
    person = make_person(db, given="Sokha", family="Chea")
    login(client, user.username)
    page = client.get(f"/persons/{person.id}/edit")
    html = soup(page)
    assert html.select_one('input[name="version"]')["value"] == "1"
    data = {
        **_form(given_name="Sokhar", family_name="Chea"),
        "version": "1",
        "csrf_token": csrf_of(page.text),
    }
    assert (
        client.post(f"/persons/{person.id}/edit", data=data, follow_redirects=False).status_code
        == 303
    )
    stale = client.post(f"/persons/{person.id}/edit", data={**data, "given_name": "Late"})
    assert stale.status_code == 409
    assert soup(stale).select_one('.field-error[data-field="version"]') is not None
    db.refresh(person)
    assert (person.given_name, person.version) == ("Sokhar", 2)


def test_search_page(client, make_user, db):
    user = make_user("admin")
    person = make_person(db, given="Vannak", family="Sok")
    login(client, user.username)
    html = soup(client.get("/persons", params={"q": "sok vannak"}))
    assert [int(tr["data-person"]) for tr in html.select("#person-results tr[data-person]")] == [
        person.id
    ]
    assert soup(client.get("/persons", params={"q": "nobody"})).select_one("#no-results")


def test_form_reports_every_problem_at_once(client, make_user):
    user = make_user("admin")
    login(client, user.username)
    page = client.get("/persons/new")
    response = client.post(
        "/persons/new",
        data={
            **_form(date_of_birth=FUTURE, estimated_age="about ten"),
            "nationalities": ["XX"],
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 422
    shown = {p["data-field"]: p.text for p in soup(response).select("p.field-error")}
    assert shown == {
        "estimated_age": "enter a whole number",
        "date_of_birth": "the date of birth is in the future",
        "nationalities": "unknown country code XX",
        "given_name": "give at least one name or alias",
    }

"""The case JSON API: shapes, status codes, scope and messages."""

from __future__ import annotations

import pytest

from tests.conftest import api_headers

NEW_CASE = {
    "title": "Scam compound",
    "province": "KH-1",
    "exploitation_types": ["ForcedLabour"],
    "opened_on": "2024-01-31",
}


@pytest.fixture
def officer(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    return api_headers(client, user.username)


def _create(client, headers, **fields):
    response = client.post("/api/v1/cases", json={**NEW_CASE, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_patch(client, officer):
    created = _create(client, officer)
    assert created["reference"] == "KH-1-2024-000001"
    assert (created["version"], created["status"]) == (1, "reported")
    got = client.get(f"/api/v1/cases/{created['id']}", headers=officer).json()
    assert got["reference"] == created["reference"]
    assert [e["to_status"] for e in got["events"]] == ["reported"]
    assert got["allowed_transitions"] == ["under_investigation", "referred", "closed"]
    patched = client.patch(
        f"/api/v1/cases/{created['id']}",
        headers=officer,
        json={"version": 1, "summary": "Rescued from a compound"},
    )
    assert patched.status_code == 200
    assert (patched.json()["summary"], patched.json()["version"], patched.json()["title"]) == (
        "Rescued from a compound",
        2,
        "Scam compound",
    )


def test_stale_patch_is_409_and_changes_nothing(client, officer):
    created = _create(client, officer)
    url = f"/api/v1/cases/{created['id']}"
    assert client.patch(url, headers=officer, json={"version": 1, "title": "B"}).status_code == 200
    stale = client.patch(url, headers=officer, json={"version": 1, "title": "C"})
    assert stale.status_code == 409
    assert stale.json()["field"] == "version"
    assert client.get(url, headers=officer).json()["title"] == "B"


def test_unknown_province_is_422_naming_it(client, officer):
    response = client.post("/api/v1/cases", json={**NEW_CASE, "province": "KH-99"}, headers=officer)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "province"], "msg": "unknown province code KH-99", "type": "value_error"}
    ]


def test_clearing_a_required_field_is_422(client, officer):
    created = _create(client, officer)
    response = client.patch(
        f"/api/v1/cases/{created['id']}",
        headers=officer,
        json={"version": 1, "opened_on": None, "title": None},
    )
    assert response.status_code == 422
    assert {d["loc"][1] for d in response.json()["detail"]} == {"title", "opened_on"}


def test_missing_title_is_422(client, officer):
    body = {k: v for k, v in NEW_CASE.items() if k != "title"}
    response = client.post("/api/v1/cases", json=body, headers=officer)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]


def test_officer_outside_province_is_403_with_field(client, officer):
    response = client.post("/api/v1/cases", json={**NEW_CASE, "province": "KH-2"}, headers=officer)
    assert response.status_code == 403
    assert response.json()["field"] == "province"
    assert response.json()["detail"] == "you work in KH-1 and cannot act in KH-2"


def test_another_provinces_case_is_404(client, officer, make_user):
    other = api_headers(client, make_user("provincial_officer", province="KH-2").username)
    case = _create(client, other, province="KH-2")
    for method, url in [
        ("get", f"/api/v1/cases/{case['id']}"),
        ("get", f"/api/v1/cases/{case['id']}/events"),
    ]:
        assert client.request(method, url, headers=officer).status_code == 404
    patch = client.patch(
        f"/api/v1/cases/{case['id']}", json={"version": 1, "title": "x"}, headers=officer
    )
    assert patch.status_code == 404


def test_investigator_sees_own_agency_and_shared_cases(client, make_org, make_user):
    police_a, police_b = make_org("Police A"), make_org("Police B")
    alice = api_headers(client, make_user("investigator", org=police_a).username)
    bob = api_headers(client, make_user("investigator", org=police_b).username)
    own = _create(client, alice)
    other = _create(client, bob, title="Other agency's case")
    listed = client.get("/api/v1/cases", headers=alice).json()
    assert [c["id"] for c in listed["items"]] == [own["id"]]
    assert client.get(f"/api/v1/cases/{other['id']}", headers=alice).status_code == 404
    shared = client.post(
        f"/api/v1/cases/{other['id']}/shares", headers=bob, json={"organisation_id": police_a.id}
    )
    assert shared.status_code == 201
    assert client.get(f"/api/v1/cases/{other['id']}", headers=alice).status_code == 200
    assert client.get("/api/v1/cases", headers=alice).json()["total"] == 2
    again = client.post(
        f"/api/v1/cases/{other['id']}/shares", headers=bob, json={"organisation_id": police_a.id}
    )
    assert again.status_code == 409


def test_person_twice_in_same_role_is_409(client, officer):
    case = _create(client, officer)
    person = client.post(
        "/api/v1/persons",
        headers=officer,
        json={"given_name": "Sokha", "family_name": "Chea", "sex": "F", "nationalities": ["KH"]},
    )
    assert person.status_code == 201, person.text
    body = {
        "person_id": person.json()["id"],
        "role": "victim",
        "methods_of_control": ["PhysicalThreats"],
    }
    url = f"/api/v1/cases/{case['id']}/persons"
    first = client.post(url, headers=officer, json=body)
    assert first.status_code == 201
    assert first.json()["methods_of_control"] == ["Threats"]
    again = client.post(url, headers=officer, json=body)
    assert again.status_code == 409
    assert again.json() == {
        "detail": "this person is already on the case as victim",
        "error": "RoleTaken",
        "field": "role",
    }


def test_new_person_with_phone_and_search_in_another_format(client, officer):
    case = _create(client, officer)
    response = client.post(
        f"/api/v1/cases/{case['id']}/persons",
        headers=officer,
        json={
            "role": "victim",
            "phone": "012 345 678",
            "person": {"given_name": "Srey", "family_name": "Mom", "sex": "F"},
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["person_name"] == "Srey Mom"
    found = client.get("/api/v1/cases", params={"q": "+855 12 345 678"}, headers=officer)
    assert [c["id"] for c in found.json()["items"]] == [case["id"]]
    detail = client.get(f"/api/v1/cases/{case['id']}", headers=officer).json()
    assert [i["normalised"] for i in detail["identifiers"]] == ["+85512345678"]


def test_verdict_before_charge_is_409_with_message(client, officer):
    case = _create(client, officer)
    url = f"/api/v1/cases/{case['id']}/transitions"
    ok = client.post(
        url, headers=officer, json={"status": "under_investigation", "on": "2024-02-01"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "under_investigation"
    refused = client.post(url, headers=officer, json={"status": "convicted", "on": "2024-03-01"})
    assert refused.status_code == 409
    assert (
        refused.json()["detail"]
        == "a verdict needs a charge first: the case is under investigation"
    )
    events = client.get(f"/api/v1/cases/{case['id']}/events", headers=officer).json()
    assert [e["to_status"] for e in events] == ["reported", "under_investigation"]


def test_events_api(client, officer):
    case = _create(client, officer)
    url = f"/api/v1/cases/{case['id']}/events"
    added = client.post(
        url,
        headers=officer,
        json={
            "event_type": "recruitment",
            "occurred_on": "2023-12-01",
            "country": "TH",
            "place_name": "Bangkok",
            "description": "Offered a job on Telegram",
        },
    )
    assert added.status_code == 201, added.text
    assert added.json()["place"] == "Bangkok, Thailand"
    bad = client.post(
        url, headers=officer, json={"event_type": "recruitment", "occurred_on": "2099-01-01"}
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "occurred_on"]
    listed = client.get(url, headers=officer).json()
    assert [e["event_type"] for e in listed] == ["recruitment", "status_change"]


def test_list_filters_and_paging(client, officer):
    for day in range(1, 6):
        _create(client, officer, title=f"case {day}", opened_on=f"2024-02-0{day}")
    _create(
        client,
        officer,
        title="marriage",
        exploitation_types=["ForcedMarriage"],
        opened_on="2023-05-05",
    )
    page = client.get(
        "/api/v1/cases", headers=officer, params={"province": "KH-1", "page": 2, "page_size": 2}
    ).json()
    assert (page["total"], page["page"], page["page_size"]) == (6, 2, 2)
    assert [c["title"] for c in page["items"]] == ["case 3", "case 2"]
    ranged = client.get(
        "/api/v1/cases",
        headers=officer,
        params={"opened_from": "2024-02-02", "opened_to": "2024-02-03", "status": "reported"},
    ).json()
    assert [c["title"] for c in ranged["items"]] == ["case 3", "case 2"]
    typed = client.get("/api/v1/cases", headers=officer, params={"type": "ForcedMarriage"})
    assert [c["title"] for c in typed.json()["items"]] == ["marriage"]
    bad = client.get("/api/v1/cases", headers=officer, params={"province": "KH-77"})
    assert bad.status_code == 422


def test_secretariat_reads_all_but_gets_no_transitions(client, officer, make_user):
    case = _create(client, officer)
    reader = api_headers(client, make_user("secretariat").username)
    got = client.get(f"/api/v1/cases/{case['id']}", headers=reader).json()
    assert (got["can_write"], got["allowed_transitions"]) == (False, [])
    refused = client.post(
        f"/api/v1/cases/{case['id']}/transitions",
        headers=reader,
        json={"status": "under_investigation"},
    )
    assert refused.status_code == 403

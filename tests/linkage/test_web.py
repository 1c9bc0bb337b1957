"""Linkage pages through the real app, in English and Khmer; the upload page's bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctip.linkage.models import LinkDecision
from ctip.linkage.run import run_linkage
from tests.conftest import api_headers, csrf_of, login
from tests.linkage.conftest import stored_run
from tests.persons.helpers import attach, make_case, make_person


def test_status_and_model_pages_after_a_run(client, db, sessions, settings, demo, make_user):
    summary = run_linkage(sessions, settings=settings)
    user = make_user("secretariat")
    login(client, user.username)
    page = client.get("/linkage")
    assert page.status_code == 200
    assert f'data-model="{summary.model_version}"' in page.text and "<svg" in page.text
    assert 'data-level="same spelling"' in page.text
    headers = api_headers(client, user.username)
    model = client.get("/api/v1/linkage/model", headers=headers).json()
    assert model["version"] == summary.model_version
    assert {c["name"] for c in model["comparisons"]} >= {"given_name", "family_name", "birth"}
    status = client.get("/api/v1/linkage/status", headers=headers).json()
    assert status["current"]["id"] == summary.run_id and status["current"]["status"] == "complete"
    review = client.get("/linkage/review")
    assert review.status_code == 200 and ("data-pair=" in review.text or "no-pairs" in review.text)


def test_person_page_shows_the_match_and_the_analyst_decides(client, db, make_user):
    case = make_case(db, "KH-1")
    a, b = make_person(db, "Sokha", "Chea"), make_person(db, "Sokhar", "Chear")
    attach(db, case, a, "broker")
    attach(db, case, b, "suspect")
    stored_run(db, [(a.id, b.id, 0.93)], {a.id: a.id, b.id: a.id})
    officer = make_user("provincial_officer", province="KH-1")
    login(client, officer.username)
    page = client.get(f"/persons/{a.id}")
    assert f'data-match="{b.id}"' in page.text and "Sokhar Chear" in page.text
    sent = client.post(
        "/linkage/decide",
        data={
            "csrf_token": csrf_of(page.text),
            "left": a.id,
            "right": b.id,
            "decision": "confirmed",
            "next": f"/persons/{a.id}",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/persons/{a.id}"
    decision = db.scalar(select(LinkDecision))
    assert decision is not None and decision.decision == "confirmed"
    assert decision.model_probability == pytest.approx(0.93)
    khmer = client.get(f"/persons/{a.id}?lang=km")
    assert "ទំនងជាមនុស្សតែមួយជាមួយ" in khmer.text and "បានបញ្ជាក់ដោយអ្នកវិភាគ" in khmer.text


@pytest.mark.parametrize(
    ("content", "mapping", "expected"),
    [
        (b"id,given\n1,Sokha\n", "given=first_name\nborn=dob", "born"),
        (b"id,given\n1,Sokha\n", "given=firstname", "unknown role firstname"),
        (b"id,given,born\n1,Sokha,tomorrow\n", "given=first_name\nborn=dob", "row 2"),
        ("id,given\n1,S\u00f6kha\n".encode("latin-1"), "given=first_name", "UTF-8"),
    ],
)
def test_upload_bad_input_is_named(client, make_user, content, mapping, expected):
    user = make_user("secretariat")
    login(client, user.username)
    form = client.get("/linkage/upload")
    answer = client.post(
        "/linkage/upload",
        data={"csrf_token": csrf_of(form.text), "id_column": "id", "mapping": mapping},
        files={"file": ("list.csv", content)},
    )
    assert answer.status_code == 422 and expected in answer.text
    assert 'id="upload-errors"' in answer.text


def test_upload_page_in_khmer(client, make_user):
    user = make_user("secretariat", language="km")
    login(client, user.username)
    page = client.get("/linkage/upload")
    assert page.status_code == 200 and "ផ្ទៀងផ្ទាត់បញ្ជីពីខាងក្រៅ" in page.text


@pytest.mark.parametrize(
    ("role", "shown"),
    [("investigator", True), ("secretariat", True), ("ngo_caseworker", False), ("viewer", False)],
)
def test_menu_offers_linkage_only_to_its_readers(client, make_user, make_org, role, shown):
    org = make_org(f"Org for {role}", "NGO" if role == "ngo_caseworker" else "LawEnforcement")
    user = make_user(role, org=org if role in ("investigator", "ngo_caseworker") else None)
    login(client, user.username)
    page = client.get("/")
    assert page.status_code == 200
    assert ('id="nav-linkage"' in page.text) is shown

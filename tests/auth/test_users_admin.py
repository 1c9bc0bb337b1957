"""User administration (admins): list, create with role and scope, deactivate; and the
language a logged-in user chooses is remembered on their account."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.models import User
from tests.conftest import TEST_PASSWORD, api_headers, csrf_of, login


@pytest.mark.parametrize("role", ["secretariat", "provincial_officer", "viewer"])
def test_non_admins_are_refused(client, make_user, role):
    user = make_user(role)
    assert (
        client.get("/api/v1/users", headers=api_headers(client, user.username)).status_code == 403
    )
    login(client, user.username)
    assert client.get("/users").status_code == 403


def test_admin_creates_a_user_on_the_page(client, make_user, make_org, db):
    make_org("Siem Reap Police", province="KH-17")
    login(client, make_user("admin").username)
    page = client.get("/users")
    form = {
        "csrf_token": csrf_of(page.text),
        "username": "dara",
        "display_name": "Dara",
        "password": TEST_PASSWORD,
        "role": "investigator",
        "org": "",
        "language": "km",
    }
    refused = client.post("/users", data=form)
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.select_one('[data-field="org"]') is not None
    assert soup.select_one("#f-password")["value"] == ""  # never echoed back
    created = client.post(
        "/users", data={**form, "org": "Siem Reap Police"}, follow_redirects=False
    )
    assert created.status_code == 303
    user = db.scalar(select(User).where(User.username == "dara"))
    assert user.organisation.name == "Siem Reap Police" and user.language == "km"
    listed = BeautifulSoup(client.get("/users").text, "html.parser")
    assert listed.select_one(f'tr[data-user-id="{user.id}"]')["data-active"] == "yes"


def test_api_create_conflict_and_deactivate(client, make_user, db):
    admin = make_user("admin")
    headers = api_headers(client, admin.username)
    body = {
        "username": "sokha",
        "password": TEST_PASSWORD,
        "role": "provincial_officer",
        "province": "KH-2",
    }
    made = client.post("/api/v1/users", json=body, headers=headers)
    assert made.status_code == 201 and made.json()["province"] == "KH-2"
    assert client.post("/api/v1/users", json=body, headers=headers).status_code == 409
    token = api_headers(client, "sokha")
    assert client.get("/api/v1/me", headers=token).status_code == 200
    gone = client.post(f"/api/v1/users/{made.json()['id']}/deactivate", headers=headers)
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "sokha", "password": TEST_PASSWORD}
        ).status_code
        == 401
    )
    change = db.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert change.entity_id == made.json()["id"]


def test_admin_cannot_deactivate_themselves(client, make_user):
    admin = make_user("admin")
    headers = api_headers(client, admin.username)
    assert client.post(f"/api/v1/users/{admin.id}/deactivate", headers=headers).status_code == 403


def test_switching_language_is_stored_on_the_user(client, make_user, db):
    user = make_user("provincial_officer", language="en")
    login(client, user.username)
    # A GET (a link another site could plant) sets this browser's cookie only.
    assert client.get("/lang/km?next=/", follow_redirects=False).status_code == 303
    db.refresh(user)
    assert user.language == "en"
    # The switcher's form (POST, CSRF-checked) also stores the choice on the account.
    token = csrf_of(client.get("/").text)
    answer = client.post(
        "/lang/km", data={"csrf_token": token, "next": "/"}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    db.refresh(user)
    assert user.language == "km"
    client.cookies.clear()
    login(client, user.username)
    assert client.cookies.get("ctip_lang") == "km"

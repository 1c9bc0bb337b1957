"""Log-in through the page and the API; failures audited; CSRF enforced."""

from __future__ import annotations

from sqlalchemy import select

from ctip.audit.models import AuditEntry
from tests.conftest import api_headers, csrf_of, login


def test_page_login_and_dashboard(client, make_user, db):
    user = make_user("provincial_officer", province="KH-1")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    login(client, user.username)
    assert client.get("/").status_code == 200
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == user.id)).all()
    assert "auth.login" in actions


def test_wrong_password_is_refused_and_audited(client, make_user, db):
    user = make_user()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": user.username, "password": "nope", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    failed = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login_failed")).all()
    assert [e.actor_name for e in failed] == [user.username]


def test_form_without_csrf_token_is_rejected(client, make_user):
    user = make_user()
    client.get("/login")
    response = client.post("/login", data={"username": user.username, "password": "x"})
    assert response.status_code == 400


def test_api_token_by_form_and_json(client, make_user):
    user = make_user()
    headers = api_headers(client, user.username)
    assert client.get("/api/v1/me", headers=headers).json()["username"] == user.username
    by_json = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": "correct-horse-battery"}
    )
    assert by_json.status_code == 200 and by_json.json()["token_type"] == "bearer"


def test_api_without_token_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_healthz(client):
    assert client.get("/healthz").status_code == 200

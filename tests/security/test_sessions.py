"""Sessions end for real: log-out, password change, deactivation, idle and absolute
timeouts; API tokens die with them; cookies are HttpOnly, SameSite and (when set) Secure."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import itsdangerous
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth import sessions as auth_sessions
from ctip.auth.models import ApiToken, AuthSession
from ctip.db.base import utcnow
from tests.conftest import TEST_PASSWORD, api_headers, csrf_of, login

NEW_PASSWORD = "a-much-longer-new-secret-9"


def _logged_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def test_a_replayed_cookie_stops_working_after_log_out(client, make_user):
    user = make_user()
    login(client, user.username)
    stolen = client.cookies.get("ctip_session")
    assert _logged_in(client)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    client.cookies.set("ctip_session", stolen)
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_password_change_ends_every_session_and_token(client, app, make_user, db):
    user = make_user()
    headers = api_headers(client, user.username)
    with TestClient(app) as other:
        login(other, user.username)
        login(client, user.username)
        page = client.get("/account/password")
        assert page.status_code == 200
        answer = client.post(
            "/account/password",
            data={
                "csrf_token": csrf_of(page.text),
                "current_password": TEST_PASSWORD,
                "new_password": NEW_PASSWORD,
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/login?changed=1"
        assert not _logged_in(other) and not _logged_in(client)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []
    login(client, user.username, NEW_PASSWORD)
    assert _logged_in(client)
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "auth.password_change"))


@pytest.mark.parametrize(
    "current, new, field",
    [
        ("wrong", NEW_PASSWORD, "current_password"),
        (TEST_PASSWORD, "short", "password"),
        (TEST_PASSWORD, "password123", "password"),
        (TEST_PASSWORD, "qwertyuiop", "password"),
        (TEST_PASSWORD, "zzzzzzzzzzzz", "password"),
    ],
)
def test_password_change_is_refused_by_the_policy(client, make_user, current, new, field):
    user = make_user()
    headers = api_headers(client, user.username)
    answer = client.post(
        "/api/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers=headers,
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", field]
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # nothing ended


def test_password_change_by_api_ends_the_token_used(client, make_user):
    user = make_user()
    headers = api_headers(client, user.username)
    answer = client.post(
        "/api/v1/me/password",
        json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert answer.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_deactivation_ends_sessions_and_tokens_for_good(client, app, make_user):
    admin, user = make_user("admin"), make_user()
    admin_headers = api_headers(client, admin.username)
    token = api_headers(client, user.username)
    with TestClient(app) as browser:
        login(browser, user.username)
        assert _logged_in(browser)
        deactivate = client.post(f"/api/v1/users/{user.id}/deactivate", headers=admin_headers)
        assert deactivate.status_code == 200
        assert not _logged_in(browser)
        assert client.get("/api/v1/me", headers=token).status_code == 401
        login(client, admin.username)
        reactivate = client.post(
            f"/users/{user.id}/activate", data={"csrf_token": csrf_of(client.get("/users").text)}
        )
        assert reactivate.status_code == 200
        # A token or cookie issued before the deactivation never works again.
        assert client.get("/api/v1/me", headers=token).status_code == 401
        assert not _logged_in(browser)


def _forged_cookie(secret: str, data: dict[str, object]) -> str:
    """A session cookie signed exactly as Starlette's SessionMiddleware signs it."""
    payload = base64.b64encode(json.dumps(data).encode())
    return itsdangerous.TimestampSigner(secret).sign(payload).decode()


def test_idle_session_ends(client, app, make_user, settings):
    user = make_user()
    login(client, user.username)
    token = client.cookies.get("ctip_session")
    assert token is not None
    payload = token.rsplit(".", 2)[0]
    data = json.loads(base64.b64decode(payload))
    fresh = _forged_cookie(settings.secret_key, data)
    client.cookies.clear()
    client.cookies.set("ctip_session", fresh)
    assert _logged_in(client)  # the forged-but-current cookie is accepted: the signing is right
    data[auth_sessions.SEEN] = int(time.time()) - settings.session_idle_seconds - 5
    client.cookies.clear()
    client.cookies.set("ctip_session", _forged_cookie(settings.secret_key, data))
    assert not _logged_in(client)


def test_absolute_timeout(db, make_user):
    user = make_user()
    key = auth_sessions.start(db, user=user, max_age=3600)
    db.flush()
    assert auth_sessions.user_for(db, key=key).id == user.id
    assert auth_sessions.user_for(db, key=key, now=utcnow() + timedelta(seconds=3601)) is None
    row = db.scalar(select(AuthSession).where(AuthSession.user_id == user.id))
    assert row.expires_at - row.created_at == timedelta(seconds=3600)


def _set_cookie_headers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return response.headers.get_list("set-cookie")


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_httponly_samesite_and_secure_when_configured(
    settings, sessions, make_user, secure
):
    from ctip.web.app import create_app

    settings.secure_cookies = secure
    application = create_app(settings)
    application.state.engine.dispose()
    application.state.sessions = application.state.write_sessions = sessions
    user = make_user()
    with TestClient(application, base_url="https://testserver") as browser:
        page = browser.get("/login")
        answer = browser.post(
            "/login",
            data={
                "username": user.username,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
            follow_redirects=False,
        )
    assert answer.status_code == 303
    cookies = _set_cookie_headers(answer)
    assert cookies
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered
        assert ("; secure" in lowered) is secure


def test_production_defaults_to_secure_cookies(settings):
    settings.env = "production"
    assert settings.cookies_secure is True
    settings.env = "test"
    assert settings.cookies_secure is False


def test_api_log_out_revokes_the_token(client, make_user):
    user = make_user()
    token, other = api_headers(client, user.username), api_headers(client, user.username)
    assert client.post("/api/v1/auth/logout", headers=token).status_code == 204
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only that token

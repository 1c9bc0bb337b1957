"""The actor: one query per request (the token or session row with its active user), then
a short-lived cache that log-out, password change and deactivation empty at once."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from ctip.auth import actor_cache
from tests.conftest import api_headers, login


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement.lower())

    engine = app.state.sessions.kw["bind"].engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def _auth_queries(seen: list[str]) -> list[str]:
    return [s for s in seen if "api_tokens" in s or "auth_sessions" in s]


@pytest.mark.parametrize("ttl, queries", [(0, 1), (2, 0)])
def test_a_token_request_loads_its_actor_with_one_query_or_none(
    client, app, make_user, statements, ttl, queries
):
    app.state.settings = app.state.settings.model_copy(update={"actor_cache_seconds": ttl})
    headers = api_headers(client, make_user().username)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    statements.clear()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    auth = _auth_queries(statements)
    assert len(auth) == queries, auth
    if queries:
        assert "from users join api_tokens" in auth[0]  # the user comes with the token row


def test_a_page_request_loads_its_actor_once_then_from_the_cache(client, make_user, statements):
    user = make_user()
    login(client, user.username)
    assert client.get("/").status_code == 200
    statements.clear()
    assert client.get("/").status_code == 200
    assert _auth_queries(statements) == []


def test_log_out_and_deactivation_end_a_cached_actor_at_once(client, app, make_user):
    admin, user = make_user("admin"), make_user()
    admin_headers = api_headers(client, admin.username)
    token = api_headers(client, user.username)
    with TestClient(app) as browser:
        login(browser, user.username)
        assert browser.get("/", follow_redirects=False).status_code == 200  # cached now
        assert client.get("/api/v1/me", headers=token).status_code == 200  # cached now
        assert len(actor_cache._entries) >= 2
        csrf = browser.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
        browser.post("/logout", data={"csrf_token": csrf})
        assert browser.get("/", follow_redirects=False).status_code in (302, 303)
        answer = client.post(f"/api/v1/users/{user.id}/deactivate", headers=admin_headers)
        assert answer.status_code == 200
        assert client.get("/api/v1/me", headers=token).status_code == 401

"""Every state-changing form route checks its CSRF token: generated from the app's route
table, each is posted without a token and with a wrong one (refused, 400, nothing changed),
and a new form route that does not check the token fails this test."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.web.deps import csrf_form, unmask_csrf
from tests.conftest import login
from tests.security.routes import RouteInfo, route_table

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Form routes that call ``csrf_form`` inside the handler rather than as a dependency.
CHECKED_INLINE = {"/lang/{code}"}
FILLERS = {"fmt": "xlsx", "verb": "deactivate", "code": "km", "status": "reviewed"}


def form_routes(app) -> list[RouteInfo]:  # type: ignore[no-untyped-def]
    return [
        r for r in route_table(app) if r.methods & STATE_CHANGING and not r.path.startswith("/api/")
    ]


def _path(route: RouteInfo) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: FILLERS.get(m.group(1), "1"), route.path)


def test_every_form_route_checks_the_token(app):
    routes = form_routes(app)
    assert len(routes) > 15
    unchecked = [r.path for r in routes if not r.calls(csrf_form) and r.path not in CHECKED_INLINE]
    assert unchecked == []


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_posting_without_or_with_a_wrong_token_is_refused(client, app, make_user, db, token):
    admin = make_user("admin")
    login(client, admin.username)
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    refused = []
    for route in form_routes(app):
        data = {"csrf_token": token} if token else {}
        for method in sorted(route.methods & STATE_CHANGING):
            answer = client.request(method, _path(route), data=data, follow_redirects=False)
            refused.append((route.path, answer.status_code))
    assert [r for r in refused if r[1] != 400] == []
    # Nothing was written (the log-in before the loop is the last audit entry).
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before


def _page_token(client, path: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def test_the_token_is_masked_afresh_on_every_page(client, make_user):
    """BREACH: pages are gzipped, so a secret repeated verbatim in every page could be guessed
    from compressed sizes; each page carries the secret under a new random pad instead."""
    officer = make_user("provincial_officer", province="KH-12")
    login(client, officer.username)
    tokens = {_page_token(client, "/account/password") for _ in range(5)}
    assert len(tokens) == 5
    unmasked = {unmask_csrf(t) for t in tokens}
    assert len(unmasked) == 1 and None not in unmasked
    assert not any(next(iter(unmasked)) in t for t in tokens)
    page = client.get("/account/password", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    for token in tokens:  # every masked form of the secret is accepted
        answer = client.post("/lang/en", data={"csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 303, answer.text


@pytest.mark.parametrize("forged", ["", "AAAA", "not base64 !", "ឃ", "A" * 65])
def test_a_token_that_is_not_a_masked_secret_is_refused(client, make_user, forged):
    officer = make_user("provincial_officer", province="KH-12")
    login(client, officer.username)
    answer = client.post("/lang/en", data={"csrf_token": forged}, follow_redirects=False)
    assert answer.status_code == 400


def test_another_sessions_token_is_refused(app, client, make_user):
    from fastapi.testclient import TestClient

    first, second = make_user("viewer"), make_user("viewer")
    login(client, first.username)
    with TestClient(app) as other:
        login(other, second.username)
        theirs = _page_token(other, "/account/password")
    answer = client.post("/lang/en", data={"csrf_token": theirs}, follow_redirects=False)
    assert answer.status_code == 400

"""Every state-changing form route checks its CSRF token: generated from the app's route
table, each is posted without a token and with a wrong one (refused, 400, nothing changed),
and a new form route that does not check the token fails this test."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.web.deps import csrf_form
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

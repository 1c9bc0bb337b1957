"""Route-level role gates (``ctip.web.gates``): a role that may not use a page or API route
is refused with 403 before its body is read, so it never learns what the form wants (422),
and the refusal is a translated page or a JSON answer."""

from __future__ import annotations

import re

import pytest

from tests.conftest import api_headers, login

VIEWER_PAGES = [
    "/import",
    "/screening",
    "/screening/interventions/new",
    "/support/tasks",
    "/identifiers/search",
    "/network/alerts",
    "/network/alerts/unread",
]
VIEWER_API = [
    ("GET", "/api/v1/identifiers/search"),
    ("GET", "/api/v1/network/alerts"),
    ("GET", "/api/v1/support/tasks"),
    ("GET", "/api/v1/screening/screenings"),
    ("POST", "/api/v1/screening/screenings"),
    ("POST", "/api/v1/screening/evaluate"),
    ("POST", "/api/v1/screening/status"),
    ("POST", "/api/v1/screening/interventions"),
    ("POST", "/api/v1/cases"),
]


@pytest.mark.parametrize("path", VIEWER_PAGES)
def test_a_viewer_is_refused_the_pages_it_cannot_use(client, make_user, path):
    login(client, make_user("viewer", language="km").username)
    page = client.get(path)
    assert page.status_code == 403
    assert "text/html" in page.headers["content-type"]
    assert "your role sees aggregate figures only" not in page.text  # said in Khmer


@pytest.mark.parametrize(("method", "path"), VIEWER_API)
@pytest.mark.parametrize("body", [None, {}, {"title": 1}])
def test_a_viewer_is_refused_before_its_body_is_validated(client, make_user, method, path, body):
    headers = api_headers(client, make_user("viewer").username)
    answer = client.request(method, path, headers=headers, json=body)
    assert answer.status_code == 403, answer.text
    assert answer.json() == {
        "detail": "your role sees aggregate figures only",
        "error": "PermissionDenied",
    }


@pytest.mark.parametrize("role", ["secretariat", "ngo_caseworker"])
def test_a_role_that_cannot_record_cases_gets_403_not_422(client, make_user, make_org, role):
    org = make_org("Gate NGO", org_type="NGO") if role == "ngo_caseworker" else None
    headers = api_headers(client, make_user(role, org=org).username)
    answer = client.post("/api/v1/cases", headers=headers, json={})
    assert answer.status_code == 403, answer.text
    assert answer.json()["detail"] == "your role cannot do this"
    login(client, make_user(role, org=org).username)
    form = client.get("/account/password").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    page = client.post("/cases/new", data={"csrf_token": token.group(1)})
    assert page.status_code == 403


def test_the_roles_that_may_still_use_them(client, make_user):
    headers = api_headers(client, make_user("provincial_officer", province="KH-12").username)
    assert client.get("/api/v1/support/tasks", headers=headers).status_code == 200
    assert client.post("/api/v1/cases", headers=headers, json={}).status_code == 422

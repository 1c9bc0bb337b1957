"""Bad input answers 4xx, never 500, and is not echoed back: ids and page numbers too large
for a 64-bit integer on every route of the route table, lone surrogates, deeply nested JSON,
oversized and chunked bodies past the size guard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import api_headers, login
from tests.security.routes import RouteInfo, route_table

BIG = 2**63
FILLERS = {"fmt": "xlsx", "verb": "deactivate", "code": "km", "kind": "phone"}


def _routes(app) -> Iterator[tuple[RouteInfo, str]]:  # type: ignore[no-untyped-def]
    for route in route_table(app):
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        params = route.params
        ints = [n for n in names if params.get(n) and params[n].annotation in (int, "int")]
        if not ints and "page" not in params:
            continue
        path = route.path
        for name in names:
            value = str(BIG) if name in ints else FILLERS.get(name, "x")
            path = re.sub(r"{" + name + r"(?::\w+)?}", value, path)
        if "page" in params:
            path += f"?page={BIG}"
        yield route, path


def test_huge_ids_and_page_numbers_never_answer_500(app, make_user, settings):
    settings.max_body_bytes = 1_048_576
    admin = make_user("admin")
    checked = 0
    with TestClient(app, raise_server_exceptions=False) as client:
        headers = api_headers(client, admin.username)
        login(client, admin.username)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
        assert csrf is not None
        for route, path in _routes(app):
            for method in sorted(route.methods - {"HEAD"}):
                if path.startswith("/api/"):
                    answer = client.request(method, path, headers=headers, json={})
                else:
                    data = {"csrf_token": csrf.group(1)} if method != "GET" else None
                    answer = client.request(method, path, data=data, follow_redirects=False)
                assert answer.status_code < 500, (method, path, answer.status_code)
                checked += 1
    assert checked > 20


@pytest.mark.parametrize("path", [f"/api/v1/persons/{BIG}", f"/api/v1/cases/{-BIG - 1}"])
def test_a_huge_id_is_the_same_404_as_a_missing_record(client, make_user, path):
    headers = api_headers(client, make_user("admin").username)
    missing = client.get(path.rsplit("/", 1)[0] + "/987654321", headers=headers)
    huge = client.get(path, headers=headers)
    assert huge.status_code == missing.status_code == 404
    assert huge.json()["error"] == missing.json()["error"] == "NotFound"


def test_a_lone_surrogate_is_422(client, make_user):
    headers = api_headers(client, make_user().username)
    body = b'{"given_name": "\\ud800Sokha", "family_name": "Chea"}'
    answer = client.post(
        "/api/v1/persons", content=body, headers={**headers, "content-type": "application/json"}
    )
    assert answer.status_code == 422


def test_deeply_nested_json_is_4xx(client, make_user):
    headers = api_headers(client, make_user().username)
    body = b"[" * 100_000 + b"]" * 100_000
    answer = client.post(
        "/api/v1/persons", content=body, headers={**headers, "content-type": "application/json"}
    )
    assert 400 <= answer.status_code < 500


def test_a_422_does_not_echo_the_body(client, make_user):
    headers = api_headers(client, make_user().username)
    secret = "Sokha-" + "x" * 5000
    answer = client.post(
        "/api/v1/persons", json={"given_name": secret, "family_name": "Chea"}, headers=headers
    )
    assert answer.status_code == 422
    assert "xxxxxxxxxx" not in answer.text and "input" not in answer.json()["detail"][0]


def test_a_declared_oversized_body_is_413_unread(client, settings):
    answer = client.post(
        "/api/v1/offers/check",
        content=b"{" + b" " * (settings.max_body_bytes + 10) + b"}",
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert len(answer.content) < 200


def test_a_chunked_body_past_the_guard_is_413(client, settings):
    def chunks() -> Iterator[bytes]:
        for _ in range(settings.max_body_bytes // 10_000 + 5):
            yield b'{"text": "' + b"x" * 10_000

    answer = client.post(
        "/api/v1/offers/check", content=chunks(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert b"xxxxxxxxxx" not in answer.content


def test_error_pages_show_no_stack_trace(app):
    @app.get("/boom-for-test")
    @app.get("/api/v1/boom-for-test")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom-for-test")
        api = client.get("/api/v1/boom-for-test")
    for answer in (page, api):
        assert answer.status_code == 500
        assert "Traceback" not in answer.text and "secret internals" not in answer.text

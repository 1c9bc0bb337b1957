"""Edges the fuzzers aim at, pinned as plain tests: dates given as numbers are refused, ids and
page numbers beyond what the database can hold answer 404/422 (never 500), and every error
status the API answers is declared in its OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import api_headers

HUGE = [2**31, 2**40, 2**63 - 1, 2**63, 2**64, 10**30]


@pytest.fixture
def officer_headers(client: TestClient, make_user: Callable[..., Any]) -> dict[str, str]:
    return api_headers(client, make_user("provincial_officer", province="KH-12").username)


# 1704067200 is a whole number of seconds on a midnight, which pydantic's lax date parsing read
# as a Unix time (2024-01-01), as a number and as a numeric string (ctip.api_types.IsoDate).
@pytest.mark.parametrize(
    "opened_on",
    [20240101, 1704067200, "1704067200", 0, -1, 2024.5, True, "2024-01-01T00:00:00"],
)
def test_a_date_given_as_a_number_is_refused(
    client: TestClient, officer_headers: dict[str, str], opened_on: object
) -> None:
    body = {"title": "Numeric date", "province": "KH-12", "opened_on": opened_on}
    response = client.post("/api/v1/cases", json=body, headers=officer_headers)
    assert response.status_code == 422, response.text
    assert any("opened_on" in map(str, e["loc"]) for e in response.json()["detail"])


@pytest.mark.parametrize("value", ["1704067200", "2024-01-01T00:00:00", "01/01/2024"])
def test_a_date_in_a_query_must_be_written_as_a_date(
    client: TestClient, officer_headers: dict[str, str], value: str
) -> None:
    response = client.get("/api/v1/cases", params={"opened_from": value}, headers=officer_headers)
    assert response.status_code == 422, response.text
    assert client.get(
        "/api/v1/cases", params={"opened_from": "2024-01-01"}, headers=officer_headers
    ).is_success


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "template",
    [
        "/api/v1/cases/{n}",
        "/api/v1/persons/{n}",
        "/api/v1/referrals/{n}",
        "/api/v1/organisations/{n}",
        "/api/v1/cases/{n}/events",
        "/api/v1/screening/interventions/{n}",
        "/api/v1/stats/releases/{n}",
    ],
)
def test_an_id_too_large_for_the_database_is_refused(
    client: TestClient, officer_headers: dict[str, str], template: str, number: int
) -> None:
    response = client.get(template.format(n=number), headers=officer_headers)
    # 404 like any missing record, with one body on SQLite and PostgreSQL (whose 32-bit ids
    # used to answer 422, "out of range", for 2**31 .. 2**63)
    assert response.status_code == 404, response.text
    assert response.json() == {"detail": "not found", "error": "NotFound"}
    missing = client.get(template.format(n=987_654_321), headers=officer_headers)
    assert missing.status_code == 404 and sorted(missing.json()) == sorted(response.json())


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/audit"])
def test_a_page_number_too_large_is_refused_or_empty(
    client: TestClient, make_user: Callable[..., Any], path: str, number: int
) -> None:
    headers = api_headers(client, make_user("admin").username)
    response = client.get(path, params={"page": number}, headers=headers)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["items"] == []


def test_every_api_operation_declares_its_error_statuses(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    missing = [
        f"{method.upper()} {path}: {status}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for status in ("401", "403", "404", "409", "422")
        if status not in operation["responses"]
    ]
    assert missing == []

"""The API is described at /api/v1/openapi.json, with the paths the issue promises."""

from __future__ import annotations

import pytest

PROMISED = [
    ("/api/v1/auth/token", "post"),
    ("/api/v1/cases", "post"),
    ("/api/v1/cases", "get"),
    ("/api/v1/cases/{case_id}", "get"),
    ("/api/v1/cases/{case_id}", "patch"),
    ("/api/v1/persons", "post"),
    ("/api/v1/cases/{case_id}/persons", "post"),
    ("/api/v1/persons/{person_id}/identifiers", "post"),
    ("/api/v1/identifiers/search", "get"),
    ("/api/v1/audit", "get"),
    ("/api/v1/referrals", "get"),
    ("/api/v1/screening/evaluate", "post"),
    ("/api/v1/offers/check", "post"),
]


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path, method", PROMISED)
def test_promised_endpoint_is_described(spec, path, method):
    assert method in spec["paths"][path]


def test_pages_are_not_in_the_api_description(spec):
    assert all(path.startswith("/api/v1/") for path in spec["paths"])

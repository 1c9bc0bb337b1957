"""Schemathesis against the API's own OpenAPI document, in process (ASGI), as an admin.

Bounded so it fits in CI: a few derandomised examples per operation, no deadline. Proves for
every operation: no 5xx, every status answered is declared in the document, and every
response body matches its declared schema.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ctip.config import Settings
from ctip.offers.model import load_or_train
from ctip.offers.service import use_model
from tests.conftest import api_headers
from tests.offers.conftest import MODEL_CACHE
from tests.security.test_authz_matrix import ROUTES

# Operations that would end the test's own log-in (tested in tests/security/test_sessions.py).
SKIPPED = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/me/password"),
    ("POST", "/api/v1/users/{user_id}/deactivate"),
    ("POST", "/api/v1/auth/token"),
}
OPERATIONS = [
    (method, path)
    for method, path in ROUTES
    if path.startswith("/api/v1/") and (method, path) not in SKIPPED
]
EXAMPLES = 6


_DOCUMENT: dict[str, Any] = {}


def _document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, built once for the module and served by each test's own app:
    FastAPI builds it anew for every app, about 1-2 s of CPU, for each of 200 tests."""
    if not _DOCUMENT:
        _DOCUMENT.update(app.openapi())
    return _DOCUMENT


@pytest.fixture
def admin_headers(app: FastAPI, make_user: Callable[..., Any]) -> dict[str, str]:
    user = make_user("admin")
    with TestClient(app) as client:
        return api_headers(client, user.username)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation_keeps_its_contract(
    app: FastAPI, settings: Settings, admin_headers: dict[str, str], method: str, path: str
) -> None:
    if path.startswith("/api/v1/offers/"):
        use_model(settings, load_or_train(cache_dir=MODEL_CACHE))  # fitted once, not per test
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    app.openapi_schema = _document(app)
    operation = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)[path][method]

    @given(case=operation.as_strategy())
    @examples(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=admin_headers, checks=checks)

    check()


def test_datetimes_carry_a_time_zone(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = {"title": "Time zone", "province": "KH-12", "opened_on": "2026-01-15"}
    created = client.post("/api/v1/cases", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    stamp = datetime.fromisoformat(created.json()["created_at"])
    assert stamp.utcoffset() == timedelta(0)
    case = client.get(f"/api/v1/cases/{created.json()['id']}", headers=admin_headers).json()
    assert datetime.fromisoformat(case["created_at"]) == stamp

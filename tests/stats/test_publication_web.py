"""The public releases page and API, through the app with real log-ins."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ctip.auth.models import User
from ctip.config import Settings
from tests.conftest import api_headers, csrf_of, login
from tests.stats.publication_data import seed_registry


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "stats_copy_attach": False,
            "stats_copy_path": ":memory:",
            "privacy_budget_per_year": 5.0,
        }
    )


@pytest.fixture
def seeded(db: Session) -> None:
    seed_registry(db, cases=45)


def _publish(client: TestClient, **fields: str):
    page = client.get("/stats/publication")
    data = {"csrf_token": csrf_of(page.text), "year": "2024", "method": "suppression", **fields}
    return client.post("/stats/publication", data=data, follow_redirects=False)


def test_the_secretariat_publishes_and_sees_exact_figures_beside_the_public_ones(
    client: TestClient, seeded: None, make_user: Callable[..., User]
) -> None:
    user = make_user("secretariat")
    login(client, user.username)
    response = _publish(client, k="11", title="Figures 2024")
    assert response.status_code == 303
    release_url = response.headers["location"]
    page = client.get(release_url)
    assert page.status_code == 200
    assert "Figures 2024" in page.text
    assert 'data-status="suppressed"' in page.text and 'data-status="exact"' in page.text
    assert "data-exact=" in page.text
    listing = client.get("/stats/publication")
    assert 'data-release="' in listing.text and "Suppression, k = 11" in listing.text


def test_a_viewer_reads_protected_figures_and_cannot_publish(
    client: TestClient, seeded: None, make_user: Callable[..., User]
) -> None:
    secretariat, viewer = make_user("secretariat"), make_user("viewer")
    headers = api_headers(client, secretariat.username)
    made = client.post("/api/v1/stats/releases", json={"year": 2024}, headers=headers)
    assert made.status_code == 201, made.text
    release_id = made.json()["release"]["id"]
    login(client, viewer.username)
    listing = client.get("/stats/publication")
    assert 'id="publish"' not in listing.text
    page = client.get(f"/stats/publication/{release_id}")
    assert page.status_code == 200 and "data-exact=" not in page.text
    refused = _publish(client)
    assert refused.status_code == 403
    viewer_json = client.get(
        f"/api/v1/stats/releases/{release_id}", headers=api_headers(client, viewer.username)
    ).json()
    assert viewer_json["shows_internal"] is False
    assert all(t["internal"] is None for t in viewer_json["tables"])
    assert client.get("/stats/publication/99999").status_code == 404


@pytest.mark.parametrize(
    "fields, field",
    [({"k": "1"}, "k"), ({"method": "dp", "epsilon": "0"}, "epsilon"), ({"k": "many"}, "k")],
)
def test_bad_input_is_shown_on_the_field(
    client: TestClient, make_user: Callable[..., User], fields: dict[str, str], field: str
) -> None:
    login(client, make_user("secretariat").username)
    response = _publish(client, **fields)
    assert response.status_code == 422
    assert re.search(rf'data-error="{field}">[^<]+<', response.text)


def test_the_api_refuses_a_dp_release_over_the_budget_showing_what_is_left(
    client: TestClient, seeded: None, make_user: Callable[..., User]
) -> None:
    headers = api_headers(client, make_user("secretariat").username)
    first = client.post(
        "/api/v1/stats/releases", json={"year": 2024, "method": "dp", "epsilon": 3}, headers=headers
    )
    assert first.status_code == 201
    assert {s for t in first.json()["tables"] for row in t["status"] for s in row} == {"noisy"}
    over = client.post(
        "/api/v1/stats/releases", json={"year": 2024, "method": "dp", "epsilon": 4}, headers=headers
    )
    assert over.status_code == 409
    assert "2 is left" in over.text
    budget = client.get("/api/v1/stats/privacy-budget?year=2024", headers=headers).json()
    assert budget["spent"] == 3 and budget["remaining"] == 2

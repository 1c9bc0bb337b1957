"""The annual review page, its JSON and files, and goals, through the app."""

from __future__ import annotations

import pytest

from tests.conftest import api_headers, csrf_of, login
from tests.stats.test_engine import _registry


@pytest.fixture
def stats_app(app, stats_settings):
    app.state.settings = stats_settings
    return app


def test_api_annual_json_has_the_promised_shape(stats_app, client, db, make_case, make_user):
    _registry(make_case)
    make_user("secretariat", username="sec")
    response = client.get("/api/v1/stats/annual?year=2024", headers=api_headers(client, "sec"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["year"] == 2024
    assert data["cases"]["total"] == 3
    assert data["cases"]["by_province"] == {"KH-1": 2, "KH-12": 1}
    assert {"involving_women", "nationalities_of_women", "by_exploitation_type"} <= set(
        data["cases"]
    )
    assert {"victims", "suspects", "durations", "goals", "definitions"} <= set(data)


def test_api_refuses_unknown_province_and_a_viewer(stats_app, client, make_user):
    make_user("secretariat", username="sec")
    make_user("viewer", username="view")
    bad = client.get(
        "/api/v1/stats/annual?year=2024&province=KH-99", headers=api_headers(client, "sec")
    )
    assert bad.status_code == 422 and "province" in bad.text
    assert (
        client.get(
            "/api/v1/stats/annual?year=2024", headers=api_headers(client, "view")
        ).status_code
        == 403
    )


def test_page_charts_drill_down_and_downloads(stats_app, client, make_case, make_user):
    _registry(make_case)
    make_user("secretariat", username="sec")
    login(client, "sec")
    page = client.get("/stats/annual?year=2024")
    assert page.status_code == 200
    assert 'data-chart="cases.by_province"' in page.text
    assert "/cases?opened_from=2024-01-01&amp;opened_to=2024-12-31&amp;province=KH-1" in page.text
    pdf = client.get("/stats/annual/download?year=2024&format=pdf&lang=km")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_viewer_page_is_only_a_notice(stats_app, client, make_user):
    make_user("viewer", username="view")
    login(client, "view")
    page = client.get("/stats/annual?year=2024")
    assert 'id="viewer-notice"' in page.text and "<svg" not in page.text


def test_goal_form_records_an_audited_goal_and_names_a_bad_field(stats_app, client, make_user, db):
    from sqlalchemy import select

    from ctip.audit.models import AuditEntry

    make_user("secretariat", username="sec")
    login(client, "sec")
    token = csrf_of(client.get("/stats/goals").text)
    ok = client.post(
        "/stats/goals",
        data={
            "csrf_token": token,
            "metric": "suspects.convicted",
            "comparison": ">=",
            "target": "150",
            "year": "2025",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    bad = client.post(
        "/stats/goals",
        data={
            "csrf_token": token,
            "metric": "nope",
            "comparison": ">=",
            "target": "1",
            "year": "2025",
        },
    )
    assert bad.status_code == 422 and 'data-error="metric"' in bad.text
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "stats.goal_create" in actions
    assert client.get("/stats/goals/panel").status_code == 200

"""The dashboard's goal panel is rendered into the dashboard itself: no frame, no exception
to the app's no-framing headers, and it reads stored goal figures (computed after the
response when missing), never computing on the request."""

from __future__ import annotations

import time
from datetime import date

import pytest

from ctip.stats import goal_figures, goals
from tests.conftest import login


@pytest.fixture
def stats_app(app, stats_settings):
    app.state.settings = stats_settings
    return app


def _goals(db, actor, year):
    goals.create(
        session=db, actor=actor, metric="cases.total", comparison=">=", target=1, year=year
    )
    goals.create(
        session=db, actor=actor, metric="cases.stalled", comparison="<=", target=0, year=year
    )


def test_the_dashboard_html_holds_the_goal_statuses(
    stats_app, client, db, make_case, make_user, make_actor
):
    year = date.today().year
    make_case("KH-1", opened_on=date(year, 1, 2))
    _goals(db, make_actor("secretariat"), year)
    make_user("secretariat", username="sec")
    login(client, "sec")
    first = client.get("/")  # no stored figure yet: being computed, then computed after it
    assert first.text.count('data-status="computing"') == 2 and "Being computed" in first.text
    page = client.get("/")
    assert page.status_code == 200
    assert "<iframe" not in page.text
    assert 'id="goals-panel"' in page.text
    assert page.text.count("data-goal=") == 2
    assert 'data-status="on_track"' in page.text or 'data-status="met"' in page.text
    assert "computed " in page.text and " UTC" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    fragment = client.get("/stats/goals/panel")
    assert fragment.headers["x-frame-options"] == "DENY"


def test_a_viewer_dashboard_has_no_goal_panel(stats_app, client, db, make_user, make_actor):
    _goals(db, make_actor("secretariat"), date.today().year)
    make_user("viewer", username="view")
    login(client, "view")
    page = client.get("/")
    assert page.status_code == 200 and 'id="goals-panel"' not in page.text


def test_the_panel_reads_stored_figures_and_schedules_stale_ones(
    db, make_case, make_actor, stats_settings
):
    year = date.today().year
    make_case("KH-1", opened_on=date(year, 1, 2))
    secretariat = make_actor("secretariat")
    _goals(db, secretariat, year)
    asked: list[str] = []
    first = goals.panel(
        session=db, actor=secretariat, settings=stats_settings, schedule=asked.append
    )
    assert first.shown and {p.metric for p in first.rows} == {"cases.total", "cases.stalled"}
    assert {p.status for p in first.rows} == {"computing"} and asked == ["national"]
    goal_figures.store(session=db, settings=stats_settings)
    asked.clear()
    began = time.perf_counter()
    again = goals.panel(
        session=db, actor=secretariat, settings=stats_settings, schedule=asked.append
    )
    assert time.perf_counter() - began < 0.2
    assert asked == [] and all(p.computed_at is not None for p in again.rows)
    assert "computing" not in {p.status for p in again.rows}
    viewer = goals.panel(session=db, actor=make_actor("viewer"), settings=stats_settings)
    assert not viewer.shown and viewer.rows == ()

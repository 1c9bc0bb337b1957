"""Editing a goal (target, comparison, period): service, page, API and CLI, audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ctip.audit.models import AuditEntry
from ctip.errors import NotFound, PermissionDenied, ValidationFailed
from ctip.stats import goals
from tests.conftest import api_headers, csrf_of, login
from tests.stats.test_cli import demo_env  # noqa: F401  (module fixture)


def _goal(db, actor, year=2025):
    return goals.create(
        session=db, actor=actor, metric="suspects.convicted", comparison=">=", target=150, year=year
    )


def test_update_changes_target_comparison_and_period_and_is_audited(db, make_actor):
    secretariat = make_actor("secretariat")
    goal = _goal(db, secretariat)
    goals.update(
        session=db, actor=secretariat, goal_id=goal.id, target=120, comparison="<=", year=2026
    )
    db.refresh(goal)
    assert (goal.target, goal.comparison) == (120.0, "<=")
    assert (goal.period_start, goal.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == goal.id)).all()
    assert "stats.goal_update" in actions
    goals.update(session=db, actor=secretariat, goal_id=goal.id, target=90)
    db.refresh(goal)
    assert (goal.target, goal.comparison, goal.period_start.year) == (90.0, "<=", 2026)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": -1}, "target"),
        ({"comparison": "=="}, "comparison"),
        ({"start": date(2025, 6, 1), "end": date(2025, 1, 1)}, "end"),
        ({"year": 1800}, "year"),
    ],
)
def test_bad_changes_name_their_field_and_change_nothing(db, make_actor, change, field):
    secretariat = make_actor("secretariat")
    goal = _goal(db, secretariat)
    with pytest.raises(ValidationFailed) as caught:
        goals.update(session=db, actor=secretariat, goal_id=goal.id, **change)
    assert field in str(caught.value.errors)
    db.refresh(goal)
    assert (goal.target, goal.comparison, goal.period_start.year) == (150.0, ">=", 2025)


def test_only_goal_writers_edit_and_a_missing_goal_is_not_found(db, make_actor):
    goal = _goal(db, make_actor("secretariat"))
    for role in ("provincial_officer", "viewer"):
        with pytest.raises(PermissionDenied):
            goals.update(session=db, actor=make_actor(role), goal_id=goal.id, target=1)
    with pytest.raises(NotFound):
        goals.update(session=db, actor=make_actor("admin"), goal_id=goal.id + 999, target=1)


@pytest.fixture
def stats_app(app, stats_settings):
    app.state.settings = stats_settings
    return app


def test_page_and_api_edit_a_goal(stats_app, client, db, make_user, make_actor):
    year = date.today().year
    goal = _goal(db, make_actor("secretariat"), year=year)
    make_user("secretariat", username="sec")
    make_user("provincial_officer", province="KH-1", username="kh1")
    login(client, "sec")
    page = client.get("/stats/goals")
    assert f'data-edit-goal="{goal.id}"' in page.text
    token = csrf_of(page.text)
    done = client.post(
        f"/stats/goals/{goal.id}",
        data={
            "csrf_token": token,
            "comparison": ">=",
            "target": "200",
            "start": f"{year}-01-01",
            "end": f"{year}-12-31",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    db.refresh(goal)
    assert goal.target == 200.0
    bad = client.post(
        f"/stats/goals/{goal.id}",
        data={"csrf_token": token, "comparison": ">=", "target": "lots"},
    )
    assert bad.status_code == 422 and f'data-error="goal-{goal.id}-target"' in bad.text
    api = client.patch(
        f"/api/v1/stats/goals/{goal.id}",
        json={"target": 175, "comparison": ">="},
        headers=api_headers(client, "sec"),
    )
    assert api.status_code == 200, api.text
    assert api.json()["target"] == 175.0 and api.json()["status"]
    refused = client.patch(
        f"/api/v1/stats/goals/{goal.id}", json={"target": 1}, headers=api_headers(client, "kh1")
    )
    assert refused.status_code == 403


def test_cli_goal_edit(demo_env: Path):  # noqa: F811
    from ctip.cli import app

    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "stats",
            "goal-add",
            "--metric",
            "cases.stalled",
            "--comparison",
            "<=",
            "--target",
            "20",
            "--year",
            "2025",
        ],
    )
    assert added.exit_code == 0, added.output
    goal_id = int(added.output.split()[1])
    edited = runner.invoke(app, ["stats", "goal-edit", str(goal_id), "--target", "15"])
    assert edited.exit_code == 0, edited.output
    assert "<= 15 2025-01-01..2025-12-31" in edited.output
    bad = runner.invoke(app, ["stats", "goal-edit", str(goal_id), "--comparison", "=="])
    assert bad.exit_code == 1 and "comparison" in bad.output
    assert json.dumps({"ok": True})

"""Stored goal figures (``ctip.stats.goal_figures``): equal to the live computation, scoped
by ``ctip.auth.scope.figure_scope``, shown as being computed when a goal is new or edited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.auth.scope import Actor, figure_scope, figure_scope_actor
from ctip.i18n import translate
from ctip.stats import goal_figures, goals
from ctip.stats.models import GoalFigure
from tests.conftest import api_headers, csrf_of, login


@pytest.fixture
def stats_app(app, stats_settings):
    app.state.settings = stats_settings
    return app


def _year_goals(db, secretariat, year):
    national = goals.create(
        session=db, actor=secretariat, metric="cases.total", comparison=">=", target=3, year=year
    )
    provincial = goals.create(
        session=db,
        actor=secretariat,
        metric="cases.total",
        comparison=">=",
        target=1,
        year=year,
        province="KH-1",
    )
    stalled = goals.create(
        session=db, actor=secretariat, metric="cases.stalled", comparison="<=", target=0, year=year
    )
    return national, provincial, stalled


def _cases(make_case, year):
    for province in ("KH-1", "KH-1", "KH-2"):
        make_case(province, opened_on=date(year, 1, 2))


def test_the_stored_figure_equals_the_live_computation(db, make_case, make_actor, stats_settings):
    year = date.today().year
    _cases(make_case, year)
    secretariat = make_actor("secretariat")
    _year_goals(db, secretariat, year)
    officer = make_actor("provincial_officer", province="KH-2")
    goal_figures.store(
        session=db, settings=stats_settings, scopes=["national", figure_scope(officer)]
    )
    for actor in (secretariat, officer):
        live = goals.progress(session=db, actor=actor, settings=stats_settings, fresh=True)
        stored = goal_figures.stored_progress(session=db, actor=actor, settings=stats_settings)
        assert [(p.id, p.figure, p.projected, p.status) for p in stored] == [
            (p.id, p.figure, p.projected, p.status) for p in live
        ]
        assert all(p.computed_at is not None for p in stored)
    national = goal_figures.stored_progress(session=db, actor=secretariat, settings=stats_settings)
    assert national[0].figure == 3  # the national goal over every case
    mine = goal_figures.stored_progress(session=db, actor=officer, settings=stats_settings)
    assert mine[0].figure == 1  # the same goal over the officer's province only


def test_an_outsider_cannot_read_another_provinces_goal_figures(
    stats_app, client, db, make_case, make_actor, make_user, stats_settings
):
    year = date.today().year
    _cases(make_case, year)
    national, provincial, _ = _year_goals(db, make_actor("secretariat"), year)
    goal_figures.store(
        session=db, settings=stats_settings, scopes=["national", "province:KH-1", "province:KH-2"]
    )
    outsider = make_actor("provincial_officer", province="KH-2")
    shown = goal_figures.stored_progress(session=db, actor=outsider, settings=stats_settings)
    assert provincial.id not in {p.id for p in shown}
    make_user("provincial_officer", province="KH-2", username="kh2")
    rows = client.get("/api/v1/stats/goals/panel", headers=api_headers(client, "kh2")).json()
    assert provincial.id not in {r["id"] for r in rows}
    assert {r["id"]: r["figure"] for r in rows}[national.id] == 1  # KH-2's one case, not 3
    login(client, "kh2")
    page = client.get("/")
    assert f'data-goal="{provincial.id}"' not in page.text
    assert f'data-goal="{national.id}"' in page.text
    goals_page = client.get("/stats/goals").text  # the goals page reads the same stored rows
    assert f'data-goal="{provincial.id}"' not in goals_page
    assert f'data-goal="{national.id}"' in goals_page


def test_a_new_or_edited_goal_is_being_computed_until_stored(
    stats_app, client, db, make_case, make_actor, make_user, stats_settings
):
    year = date.today().year
    _cases(make_case, year)
    secretariat = make_actor("secretariat")
    national, _, _ = _year_goals(db, secretariat, year)
    goal_figures.store(session=db, settings=stats_settings)
    goals.update(session=db, actor=secretariat, goal_id=national.id, target=2)
    db.flush()
    asked: list[str] = []
    rows = goal_figures.stored_progress(
        session=db, actor=secretariat, settings=stats_settings, schedule=asked.append
    )
    assert {p.id: p.status for p in rows}[national.id] == "computing"
    assert asked == ["national"]
    make_user("secretariat", username="sec")
    headers = api_headers(client, "sec")
    client.get("/api/v1/stats/goals/panel", headers=headers)  # recomputes after the answer
    answer = client.get("/api/v1/stats/goals/panel", headers=headers).json()
    after = {r["id"]: r for r in answer}
    assert after[national.id]["status"] in ("on_track", "met") and after[national.id]["computed_at"]


def test_a_removed_goal_takes_its_figures_with_it(db, make_case, make_actor, stats_settings):
    year = date.today().year
    _cases(make_case, year)
    secretariat = make_actor("secretariat")
    national, _, _ = _year_goals(db, secretariat, year)
    goal_figures.store(session=db, settings=stats_settings)
    goals.remove(session=db, actor=secretariat, goal_id=national.id)
    left = db.scalars(select(GoalFigure.goal_id).where(GoalFigure.goal_id == national.id))
    assert list(left) == []


def test_figure_scopes_round_trip_and_the_labels_are_in_khmer(make_actor):
    for actor in (
        make_actor("secretariat"),
        make_actor("provincial_officer", province="KH-3"),
        Actor(id=9, username="inv", role="investigator", organisation_id=5),
        Actor(id=10, username="ngo", role="ngo_caseworker", organisation_id=None),
    ):
        key = figure_scope(actor)
        assert figure_scope(figure_scope_actor(key)) == key
    with pytest.raises(ValueError):
        figure_scope_actor("viewer:1")
    assert translate(goals.STATUS_LABELS["computing"], "km") == "កំពុងគណនា"
    assert translate("computed %(time)s UTC", "km", time="x") == "បានគណនានៅ x UTC"


def test_a_goal_recorded_on_the_form_is_computed_after_the_answer(
    stats_app, client, db, make_case, make_user
):
    year = date.today().year
    _cases(make_case, year)
    make_user("secretariat", username="sec")
    login(client, "sec")
    token = csrf_of(client.get("/stats/goals").text)
    form = {"csrf_token": token, "metric": "cases.total", "comparison": ">=", "target": "1"}
    done = client.post(
        "/stats/goals", data={**form, "year": str(year), "province": "KH-1"}, follow_redirects=False
    )
    assert done.status_code == 303
    scopes = set(db.scalars(select(GoalFigure.scope)))
    assert scopes == {"national", "province:KH-1"}
    page = client.get("/")
    assert 'data-status="computing"' not in page.text and "computed " in page.text


def test_the_goals_page_shows_this_years_stored_figures_and_computes_another_years(
    stats_app, client, db, make_case, make_actor, make_user, stats_settings
):
    year = date.today().year
    _cases(make_case, year)
    _cases(make_case, year - 1)
    secretariat = make_actor("secretariat")
    national, _, _ = _year_goals(db, secretariat, year)
    last = goals.create(
        session=db,
        actor=secretariat,
        metric="cases.total",
        comparison=">=",
        target=3,
        year=year - 1,
    )
    make_user("secretariat", username="sec")
    login(client, "sec")
    first = client.get("/stats/goals").text  # nothing stored yet: shown as being computed
    assert f'data-goal="{national.id}" data-status="computing"' in first
    assert db.scalars(select(GoalFigure.goal_id).where(GoalFigure.scope == "national")).all()
    stored = {
        p.id: p
        for p in goal_figures.stored_progress(
            session=db, actor=secretariat, settings=stats_settings
        )
    }
    again = client.get("/stats/goals").text
    assert f'data-goal="{national.id}" data-status="{stored[national.id].status}"' in again
    assert "computed " in again
    past = client.get(f"/stats/goals?year={year - 1}").text  # not stored: computed live
    live = goals.progress(
        session=db, actor=secretariat, settings=stats_settings, period=goals.Period.year(year - 1)
    )
    assert [p.id for p in live] == [last.id]
    assert f'data-goal="{last.id}" data-status="{live[0].status}"' in past

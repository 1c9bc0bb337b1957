"""The records behind a figure: as many as the figure counts, within the reader's scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.errors import PermissionDenied
from ctip.stats.drilldown import records, units
from ctip.stats.engine import Period, annual_tables
from ctip.stats.members import COUNTED_COLUMN, DRILLABLE
from tests.conftest import api_headers, login
from tests.stats.test_engine import _registry

YEAR = Period.year(2024)


def _cells(report, metric):
    table = report.tables[metric]
    for row, column, value in table.records():
        if metric in COUNTED_COLUMN and column != COUNTED_COLUMN[metric]:
            continue
        yield row, column, value


def test_every_cell_of_every_drillable_metric_lists_as_many_records_as_it_counts(
    db, make_case, stats_settings
):
    _registry(make_case)
    report = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    checked = 0
    for metric in sorted(DRILLABLE):
        for row, column, value in _cells(report, metric):
            found = units(
                session=db,
                actor=SYSTEM,
                settings=stats_settings,
                metric=metric,
                period=YEAR,
                province=None,
                row=None if report.tables[metric].is_scalar else row,
                col=None if column == "total" else column,
            )
            assert len(found) == (value or 0), (metric, row, column)
            checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("metric", "row", "expected"),
    [
        ("victims.by_sex", "Feminine", 4),
        ("victims.by_nationality", "KH", 2),
        ("victims.by_age_band", "9-17", 1),
        ("suspects.charged", None, 2),
        ("suspects.convicted_in_absentia", None, 1),
        ("cases.by_province", "KH-12", 1),
    ],
)
def test_records_name_the_cases_and_persons(
    db, make_case, make_actor, stats_settings, metric, row, expected
):
    _registry(make_case)
    secretariat = make_actor("secretariat")
    found = records(
        session=db, actor=secretariat, settings=stats_settings, metric=metric, row=row, year=2024
    )
    assert found.total == len(found.entries) == expected
    assert all(e.case_reference for e in found.entries)
    if metric.startswith(("victims", "suspects")):
        assert all(e.person is not None for e in found.entries)


def test_provincial_officer_gets_their_province_and_the_same_count_as_their_page(
    db, make_case, make_actor, stats_settings
):
    _registry(make_case)
    officer = make_actor("provincial_officer", province="KH-1")
    own = annual_tables(session=db, actor=officer, settings=stats_settings, year=2024)
    found = records(
        session=db,
        actor=officer,
        settings=stats_settings,
        metric="victims.by_sex",
        row="Feminine",
        year=2024,
    )
    assert found.total == own.tables["victims.by_sex"].cell("Feminine") == 2
    assert {e.case_province for e in found.entries} == {"KH-1"}
    with pytest.raises(PermissionDenied):
        records(
            session=db,
            actor=officer,
            settings=stats_settings,
            metric="victims.total",
            year=2024,
            province="KH-12",
        )


def test_another_provinces_officer_learns_nothing_of_kh1(db, make_case, make_actor, stats_settings):
    _registry(make_case)
    kh1 = {
        e.case_id
        for e in records(
            session=db,
            actor=SYSTEM,
            settings=stats_settings,
            metric="victims.total",
            year=2024,
            province="KH-1",
        ).entries
    }
    outsider = make_actor("provincial_officer", province="KH-5")
    for metric in ("victims.total", "suspects.arrested", "cases.total"):
        found = records(
            session=db, actor=outsider, settings=stats_settings, metric=metric, year=2024
        )
        assert found.total == 0 and not (kh1 & {e.case_id for e in found.entries})


def test_the_read_is_audited_as_a_person_list(db, make_case, make_actor, stats_settings):
    _registry(make_case)
    actor = make_actor("secretariat")
    found = records(
        session=db, actor=actor, settings=stats_settings, metric="victims.total", year=2024
    )
    event = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "person.search")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert event is not None and "victims.total" in (event.detail or "")
    assert found.total == 5


@pytest.fixture
def stats_app(app, stats_settings):
    app.state.settings = stats_settings
    return app


def test_page_links_each_figure_to_its_records_and_the_api_agrees(
    stats_app, client, make_case, make_user
):
    _registry(make_case)
    make_user("secretariat", username="sec")
    login(client, "sec")
    page = client.get("/stats/annual?year=2024")
    assert "/stats/annual/records?metric=victims.by_sex&amp;row=Feminine&amp;year=2024" in page.text
    assert 'data-records="suspects.charged"' in page.text
    drill = client.get("/stats/annual/records?metric=victims.by_sex&row=Feminine&year=2024")
    assert drill.status_code == 200
    assert 'data-total="4"' in drill.text and drill.text.count("data-unit=") == 4
    api = client.get(
        "/api/v1/stats/annual/records?metric=suspects.charged&year=2024",
        headers=api_headers(client, "sec"),
    )
    assert api.status_code == 200 and api.json()["total"] == 2
    bad = client.get(
        "/api/v1/stats/annual/records?metric=nope&year=2024", headers=api_headers(client, "sec")
    )
    assert bad.status_code == 422 and "metric" in bad.text


def test_a_viewer_is_refused_and_another_province_sees_none(
    stats_app, client, make_case, make_user
):
    _registry(make_case)
    make_user("viewer", username="view")
    make_user("provincial_officer", province="KH-5", username="kh5")
    url = "/api/v1/stats/annual/records?metric=victims.total&year=2024"
    assert client.get(url, headers=api_headers(client, "view")).status_code == 403
    other = client.get(url, headers=api_headers(client, "kh5"))
    assert other.status_code == 200 and other.json()["total"] == 0
    refused = client.get(url + "&province=KH-1", headers=api_headers(client, "kh5"))
    assert refused.status_code == 403
    assert date(2024, 1, 1).year == 2024

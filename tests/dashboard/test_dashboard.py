"""The dashboard: counts within scope, referrals, activity; viewers get figures only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from ctip.auth.service import actor_for
from ctip.cases.models import CaseEvent
from ctip.dashboard.service import summary
from ctip.referrals.models import Referral
from tests.conftest import api_headers, login
from tests.referrals.helpers import make_case

TODAY = date.today()


@pytest.fixture
def cases(db, make_org):
    ngo = make_org("Dashboard NGO", org_type="NGO", is_agency=False)
    made = [
        make_case(db, province="KH-12", types=["ForcedLabour"], status="reported"),
        make_case(
            db, province="KH-12", types=["ForcedLabour", "SexualExploitation"], status="charged"
        ),
        make_case(db, province="KH-18", types=["ForcedMarriage"], status="reported"),
    ]
    for case in made:
        db.add(CaseEvent(case_id=case.id, event_type="intervention", occurred_on=TODAY))
    db.add(
        Referral(
            case_id=made[0].id,
            to_org_id=ngo.id,
            reason="Other",
            service="shelter",
            referred_on=TODAY - timedelta(days=20),
        )
    )
    db.add(
        Referral(
            case_id=made[2].id,
            to_org_id=ngo.id,
            reason="Other",
            service="medical",
            referred_on=TODAY,
            status="accepted",
        )
    )
    db.flush()
    return made, ngo


def test_national_figures(db, cases, make_user):
    data = summary(db, actor=actor_for(make_user("secretariat")), due_days=7)
    assert data.total_cases == 3
    assert data.by_status == {"reported": 2, "charged": 1}
    assert data.by_province == {"KH-12": 2, "KH-18": 1}
    assert data.by_exploitation == {"ForcedLabour": 2, "SexualExploitation": 1, "ForcedMarriage": 1}
    assert (data.referrals.pending, data.referrals.accepted, data.referrals.overdue) == (1, 1, 1)
    assert data.activity == {"intervention": 3}
    assert len(data.recent) == 3


def test_provincial_scope(db, cases, make_user):
    data = summary(db, actor=actor_for(make_user("provincial_officer", province="KH-18")))
    assert data.total_cases == 1 and data.by_province == {"KH-18": 1}
    assert data.by_exploitation == {"ForcedMarriage": 1}
    assert (data.referrals.pending, data.referrals.accepted) == (0, 1)
    assert [e.reference for e in data.recent] == [cases[0][2].reference]


def test_ngo_sees_its_open_referrals(db, cases, make_user):
    _, ngo = cases
    data = summary(db, actor=actor_for(make_user("ngo_caseworker", org=ngo)), due_days=7)
    assert data.total_cases == 2
    assert (data.referrals.pending, data.referrals.incoming, data.referrals.overdue) == (1, 1, 1)


def test_viewer_gets_aggregate_figures_without_case_references(client, cases, make_user):
    viewer = make_user("viewer")
    body = client.get("/api/v1/dashboard", headers=api_headers(client, viewer.username)).json()
    assert body["total_cases"] == 3 and body["aggregate_only"] is True
    assert body["recent"] == []
    flat = str(body)
    assert all(case.reference not in flat for case in cases[0])
    login(client, viewer.username)
    page = client.get("/")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one('[data-stat="total"]').text == "3"
    links = [a["href"] for a in soup.select("main a")]
    assert links == []
    assert all(case.reference not in page.text for case in cases[0])


def test_officer_page_links_cases_and_overdue_referrals(client, cases, make_user):
    login(client, make_user("provincial_officer", province="KH-12").username)
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    assert soup.select_one('[data-stat="total"]').text == "2"
    assert soup.select_one('a[data-stat="referrals-overdue"]')["href"] == "/referrals?overdue=1"
    assert {a["href"] for a in soup.select("#recent a")} == {f"/cases/{c.id}" for c in cases[0][:2]}
    assert (
        soup.select_one('#by-exploitation tr[data-type="ForcedLabour"] td:last-child').text == "2"
    )


def test_every_count_links_to_the_list_behind_it(client, db, cases, make_user):
    for province in ("KH-10", "KH-2", "KH-1"):
        make_case(db, province=province, types=["ForcedLabour"], status="reported")
    login(client, make_user("secretariat").username)
    page = client.get("/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    counted = {
        "#counts [data-stat=total] a": soup.select_one("#counts [data-stat=total] a"),
        "status": soup.select_one('#by-status tr[data-status="reported"] a'),
        "type": soup.select_one('#by-exploitation tr[data-type="ForcedLabour"] a'),
        "province": soup.select_one('#by-province tr[data-province="KH-12"] a'),
    }
    for name, link in counted.items():
        assert link is not None, name
        listed = client.get(link["href"])
        assert listed.status_code == 200, name
        rows = BeautifulSoup(listed.text, "html.parser").select("table tbody tr a[href^='/cases/']")
        assert len({a["href"] for a in rows}) == int(link.text), name
    pending = soup.select_one("[data-stat=referrals-pending] a")
    assert pending["href"] == "/referrals?status=pending"
    order = [tr["data-province"] for tr in soup.select("#by-province tbody tr")]
    assert order == ["KH-1", "KH-2", "KH-10", "KH-12", "KH-18"]  # by name, not code as text
    client.get("/lang/km")
    km = BeautifulSoup(client.get("/").text, "html.parser")
    names = [tr.td.get_text() for tr in km.select("#by-province tbody tr")]
    assert names == sorted(names)

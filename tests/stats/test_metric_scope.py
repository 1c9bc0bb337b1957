"""Figures that name one side of a case follow that side's reading rule: the non-punishment
figures the flag readers of ``ctip.screening.flags``, the suspects' figures the offender side."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.auth.scope import SYSTEM
from ctip.cases.models import CasePerson
from ctip.errors import ValidationFailed
from ctip.referrals.models import Referral
from ctip.screening.models import NonPunishmentFlag
from ctip.stats.drilldown import records
from ctip.stats.engine import annual_tables
from ctip.stats.report import report_json
from tests.conftest import api_headers, login
from tests.stats.test_engine import _registry

FLAGS = ("nonpunishment.raised", "nonpunishment.decided")
SUSPECTS = ("suspects.arrested", "suspects.charged", "suspects.convicted")


@pytest.fixture
def scene(db, make_case, make_org, make_user, stats_settings, app):
    """The registry, a flagged victim on a KH-1 case, and an investigator and an NGO case
    worker who both read that case."""
    _registry(make_case)
    police, ngo = make_org("Police S"), make_org("NGO S", org_type="NGO", is_agency=False)
    case = make_case("KH-1", suspects=("in_custody",), reporting_org_id=police.id)
    victim = db.scalars(
        select(CasePerson).where(CasePerson.case_id == case.id, CasePerson.role == "victim")
    ).first()
    assert victim is not None
    db.add(NonPunishmentFlag(person_id=victim.person_id, raised_on=date(2024, 5, 1)))
    db.add(
        Referral(
            case_id=case.id,
            person_id=victim.person_id,
            to_org_id=ngo.id,
            reason="Other",
            referred_on=date(2024, 3, 2),
            consent_given=True,
        )
    )
    db.flush()
    make_user("investigator", org=police, username="inv")
    make_user("ngo_caseworker", org=ngo, username="ngo")
    make_user("secretariat", username="sec")
    make_user("provincial_officer", province="KH-1", username="kh1")
    app.state.settings = stats_settings
    return case


def _api(client, who, metric):
    return client.get(
        f"/api/v1/stats/annual/records?metric={metric}&year=2024",
        headers=api_headers(client, who),
    )


def test_flag_readers_keep_the_non_punishment_figures_and_their_records(scene, client):
    for who in ("sec", "kh1"):
        found = _api(client, who, "nonpunishment.raised")
        assert found.status_code == 200 and found.json()["total"] == 1
        assert found.json()["records"][0]["person"] is not None
        report = client.get("/api/v1/stats/annual?year=2024", headers=api_headers(client, who))
        assert report.json()["nonpunishment"]["raised"] == 1
        assert "nonpunishment.raised" in report.json()["previous"]
    for metric in SUSPECTS:
        assert _api(client, "sec", metric).status_code == 200


@pytest.mark.parametrize("who", ["inv", "ngo"])
def test_investigator_and_ngo_get_no_non_punishment_figure_nor_record(scene, client, who):
    unknown = _api(client, who, "nope")
    assert unknown.status_code == 422
    for metric in FLAGS:
        refused = _api(client, who, metric)
        assert refused.status_code == 422
        assert refused.text == unknown.text.replace("nope", metric)
        login(client, who)
        page = client.get(f"/stats/annual/records?metric={metric}&year=2024")
        assert page.status_code == 422 and "data-unit=" not in page.text
    report = client.get("/api/v1/stats/annual?year=2024", headers=api_headers(client, who))
    assert report.status_code == 200
    body = report.json()
    assert body["nonpunishment"] == {}
    assert not any(t["key"].startswith("nonpunishment.") for t in body["tables"])
    assert not any(k.startswith("nonpunishment.") for k in body["previous"])
    assert body["victims"]["total"] >= 1


def test_ngo_gets_no_suspects_figure_nor_record_and_the_investigator_does(scene, client):
    for metric in SUSPECTS:
        assert _api(client, "ngo", metric).status_code == 422
        inv = _api(client, "inv", metric)
        assert inv.status_code == 200
    assert _api(client, "inv", "suspects.arrested").json()["total"] >= 1
    ngo = client.get("/api/v1/stats/annual?year=2024", headers=api_headers(client, "ngo"))
    assert ngo.json()["suspects"] == {}
    assert not any(t["key"].startswith("suspects.") for t in ngo.json()["tables"])
    inv = client.get("/api/v1/stats/annual?year=2024", headers=api_headers(client, "inv"))
    assert inv.json()["suspects"]["arrested"] >= 1


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        ("investigator", ("nonpunishment.",)),
        ("ngo_caseworker", ("nonpunishment.", "suspects.")),
        ("secretariat", ()),
        ("provincial_officer", ()),
    ],
)
def test_engine_omits_the_tables_the_role_may_not_read(
    db, scene, make_actor, make_org, stats_settings, role, hidden
):
    org = make_org(f"Org {role}") if role in ("investigator", "ngo_caseworker") else None
    actor = make_actor(role, org=org, province="KH-1" if role == "provincial_officer" else None)
    report = annual_tables(session=db, actor=actor, settings=stats_settings, year=2024)
    full = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    expected = {k for k in full.tables if not k.startswith(hidden or ("\0",))}
    assert set(report.tables) == expected
    assert set(report.previous) == expected
    assert set(report_json(report)["change"]) <= expected
    for metric in FLAGS + SUSPECTS:
        if metric.startswith(hidden or ("\0",)):
            with pytest.raises(ValidationFailed):
                records(session=db, actor=actor, settings=stats_settings, metric=metric, year=2024)

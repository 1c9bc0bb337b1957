"""Outsiders try every export and learn nothing outside their scope: another province's
officer, an NGO case worker with one referral, an investigator of another agency, a viewer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.auth.scope import SYSTEM, Actor
from ctip.cases.models import Case, CasePerson
from ctip.config import Settings
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.orgs.models import Organisation
from ctip.referrals.models import Referral
from ctip.stats import ctdc, dhis2, ictip
from ctip.stats import publication_service as pub
from tests.stats.publication_data import seed_registry

MAPPING = dhis2.parse_mapping(
    {
        "orgUnits": {"national": "OUnat", "KH-1": "OUkh1", "KH-2": "OUkh2", "KH-12": "OUkh12"},
        "dataValues": [
            {"figure": "cases.total", "dataElement": "deCases", "categoryOptionCombo": "coc"},
            {"figure": "victims.total", "dataElement": "deVict", "categoryOptionCombo": "coc"},
        ],
    }
)


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return settings.model_copy(update={"stats_copy_attach": False, "stats_copy_path": ":memory:"})


@pytest.fixture
def seeded(db: Session) -> None:
    seed_registry(db, cases=45)


def _victims_in(db: Session, province: str) -> int:
    query = (
        select(func.count())
        .select_from(CasePerson)
        .join(Case)
        .where(CasePerson.role == "victim", Case.province == province)
    )
    return int(db.scalar(query) or 0)


def _values(document: dict[str, list[dict[str, str]]]) -> dict[tuple[str, str], str]:
    return {(v["orgUnit"], v["dataElement"]): v["value"] for v in document["dataValues"]}


def test_a_provincial_officer_gets_their_province_only(
    db: Session, seeded: None, cfg: Settings, make_actor: Callable[..., Actor]
) -> None:
    officer = make_actor("provincial_officer", province="KH-1")
    mine = ctdc.export(db, actor=officer, k=2)
    assert mine.total == _victims_in(db, "KH-1") > 0
    assert mine.total < len(ctdc.victims(db, actor=SYSTEM))
    document = dhis2.export(db, actor=officer, settings=cfg, period="2024", mapping=MAPPING)
    units = {unit for unit, _ in _values(document)}
    assert units == {"OUkh1"}
    national = dhis2.export(db, actor=SYSTEM, settings=cfg, period="2024", mapping=MAPPING)
    assert _values(document)[("OUkh1", "deCases")] == _values(national)[("OUkh1", "deCases")]
    tables = ictip.export(db, actor=officer, years=None, k=None, default_k=11)
    assert tables[1].total == _victims_in(db, "KH-1")


def test_an_officer_of_a_province_without_cases_learns_nothing(
    db: Session, seeded: None, cfg: Settings, make_actor: Callable[..., Actor]
) -> None:
    officer = make_actor("provincial_officer", province="KH-2")
    assert ctdc.export(db, actor=officer, k=2).total == 0
    assert ctdc.victims(db, actor=officer) == []
    document = dhis2.export(db, actor=officer, settings=cfg, period="2024", mapping=MAPPING)
    assert _values(document) == {("OUkh2", "deCases"): "0", ("OUkh2", "deVict"): "0"}
    assert all(
        t.total == 0 for t in ictip.export(db, actor=officer, years=None, k=None, default_k=11)
    )


def test_an_ngo_case_worker_sees_only_the_victims_of_cases_referred_to_them(
    db: Session,
    seeded: None,
    make_org: Callable[..., Organisation],
    make_actor: Callable[..., Actor],
) -> None:
    ngo = make_org("Shelter", org_type="NGO", is_agency=False)
    worker = make_actor("ngo_caseworker", org=ngo)
    assert ctdc.export(db, actor=worker, k=2).total == 0
    case = db.scalars(select(Case).order_by(Case.id)).first()
    assert case is not None
    db.add(
        Referral(case_id=case.id, to_org_id=ngo.id, reason="Other", referred_on=date(2024, 6, 1))
    )
    db.flush()
    on_case = db.scalar(
        select(func.count())
        .select_from(CasePerson)
        .where(CasePerson.case_id == case.id, CasePerson.role == "victim")
    )
    assert ctdc.export(db, actor=worker, k=2).total == on_case
    with pytest.raises(PermissionDenied):
        dhis2.export(db, actor=worker, settings=Settings(), period="2024", mapping=MAPPING)


def test_an_investigator_of_another_agency_gets_nothing(
    db: Session,
    seeded: None,
    make_org: Callable[..., Organisation],
    make_actor: Callable[..., Actor],
) -> None:
    agency = make_org("Border police")
    investigator = make_actor("investigator", org=agency)
    assert ctdc.export(db, actor=investigator, k=2).total == 0
    assert all(
        t.total == 0 for t in ictip.export(db, actor=investigator, years=None, k=None, default_k=11)
    )


def test_a_viewer_gets_only_protected_figures(
    db: Session, seeded: None, cfg: Settings, make_actor: Callable[..., Actor]
) -> None:
    viewer = make_actor("viewer")
    with pytest.raises(PermissionDenied):
        ctdc.export(db, actor=viewer, k=11)
    with pytest.raises(ValidationFailed) as caught:
        dhis2.export(db, actor=viewer, settings=cfg, period="2024", mapping=MAPPING)
    assert caught.value.errors[0].field == "period"
    release = pub.create_release(db, actor=make_actor("secretariat"), settings=cfg, year=2024)
    with pytest.raises(ValidationFailed):
        dhis2.export(db, actor=viewer, settings=cfg, period="2024Q1", mapping=MAPPING)
    document = dhis2.export(db, actor=viewer, settings=cfg, period="2024", mapping=MAPPING)
    published = pub.published_tables(pub.latest_release(db, year=release.year))  # type: ignore[arg-type]
    assert {unit for unit, _ in _values(document)} == {"OUnat"}
    assert _values(document)[("OUnat", "deCases")] == str(published["cases.total"].value)
    for table in ictip.export(db, actor=viewer, years=None, k=2, default_k=11):
        figures = [v for row in table.cells for v in row] + [*table.row_totals, *table.col_totals]
        assert all(v is None or v == 0 or v >= 11 for v in figures)

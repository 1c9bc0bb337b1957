"""The CTDC export: codes mapped to CTDC's, k-anonymity by generalising then suppressing,
and a file that holds only the victims the caller may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM, Actor
from ctip.config import Settings
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.stats import ctdc
from ctip.stats import publication_service as pub
from ctip.stats.privacy import BudgetExhausted
from tests.stats.publication_data import seed_registry


def victim(**changes: object) -> ctdc.Victim:
    base: dict[str, object] = {
        "opened_on": date(2024, 5, 1),
        "gender": "Feminine",
        "date_of_birth": date(2000, 6, 1),
        "estimated_age": None,
        "age_estimated_on": None,
        "nationalities": ["KH"],
        "exploitation_types": ["ForcedLabour"],
        "forced_labour_subtype": "Construction",
        "industry": None,
        "exploitation_countries": ["TH"],
        "methods_of_control": ["DebtBondage", "WithholdsDocuments"],
        "recruitment_method": "ThroughFriendsOrSocialEvents",
    }
    return ctdc.Victim(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes, column, expected",
    [
        ({}, "yearOfRegistration", "2024"),
        ({}, "gender", "Woman"),
        ({"gender": "Masculine"}, "gender", "Man"),
        ({"gender": "TransgenderFeminine"}, "gender", "Trans/Transgender/NonConforming"),
        ({"gender": "NonSpecifiedUnknown"}, "gender", ""),
        ({}, "ageBroad", "21-23"),  # 23 on 1 May 2024, born 1 June 2000
        ({"date_of_birth": date(2020, 1, 1)}, "ageBroad", "0-8"),
        (
            {"date_of_birth": None, "estimated_age": 16, "age_estimated_on": date(2022, 5, 1)},
            "ageBroad",
            "18-20",
        ),
        ({"date_of_birth": None}, "ageBroad", ""),
        ({"date_of_birth": date(1950, 1, 1)}, "ageBroad", "48+"),
        ({}, "citizenship", "KHM"),
        ({"nationalities": ["MM"]}, "citizenship", "MMR"),
        ({"nationalities": []}, "citizenship", ""),
        ({}, "CountryOfExploitation", "THA"),
        ({"exploitation_countries": ["CD"]}, "CountryOfExploitation", "COD"),
        ({}, "meansDebtBondageEarnings", "1"),
        ({}, "meansWithholdDocs", "1"),
        ({}, "meansThreats", ""),
        ({"methods_of_control": ["UsesChildren"]}, "meansThreats", "1"),
        ({}, "isForcedLabour", "1"),
        ({}, "isSexualExploit", ""),
        ({"exploitation_types": ["ForcedMarriage"]}, "isOtherExploit", "1"),
        ({}, "typeOfLabourConstruction", "1"),
        (
            {"forced_labour_subtype": None, "industry": "A_AgricultureForestryAndFishing"},
            "typeOfLabourAgriculture",
            "1",
        ),
        ({"exploitation_types": ["SexualExploitation"]}, "typeOfLabourConstruction", ""),
        ({}, "recruiterRelationFriend", "1"),
        ({"recruitment_method": "ThroughFamilyOrFamilyEvents"}, "recruiterRelationFamily", "1"),
        ({"recruitment_method": "AtWork"}, "recruiterRelationOther", "1"),
        ({"recruitment_method": None}, "recruiterRelationOther", ""),
    ],
)
def test_ctdc_record(changes: dict[str, object], column: str, expected: str) -> None:
    assert ctdc.ctdc_record(victim(**changes))[column] == expected


def test_every_ctdc_column_is_written_and_flags_are_one_or_empty() -> None:
    row = ctdc.ctdc_record(victim())
    assert tuple(row) == ctdc.COLUMNS
    flags = [c for c in ctdc.COLUMNS if c.startswith(("means", "is", "typeOf", "recruiter"))]
    assert len(flags) == 21
    assert {row[c] for c in flags} <= {"1", ""}
    header = ctdc.to_csv([row]).splitlines()[0].split(",")
    assert header[:5] == list(ctdc.QUASI)


def _records(n: int, seed: int = 3) -> list[dict[str, str]]:
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append(
            ctdc.ctdc_record(
                victim(
                    opened_on=date(rng.choice([2021, 2022, 2023, 2024]), 3, 1),
                    gender=rng.choice(["Feminine", "Masculine", "Masculine", "NonConforming"]),
                    date_of_birth=date(rng.randint(1965, 2015), 1, 1),
                    nationalities=[rng.choice(["KH"] * 6 + ["VN", "TH", "CN", "ID", "FR"])],
                    exploitation_countries=[rng.choice(["KH", "KH", "TH", "MM", "MY"])],
                )
            )
        )
    return out


@pytest.mark.parametrize("k, n", [(2, 50), (5, 200), (11, 400), (11, 60)])
def test_anonymised_records_are_k_anonymous(k: int, n: int) -> None:
    result = ctdc.anonymise(_records(n), k)
    groups = Counter(tuple(r[q] for q in ctdc.QUASI) for r in result.records)
    assert all(count >= k for count in groups.values())
    assert result.total == n
    assert result.suppressed == n - len(result.records)
    assert result.share_suppressed <= 0.05 or all(
        result.levels[q] == ctdc.HIERARCHY[q][1] for q in ctdc.QUASI
    )


def test_generalisation_comes_before_suppression() -> None:
    records = _records(400)
    result = ctdc.anonymise(records, 11)
    assert sum(result.levels.values()) > 0
    suppress_only = ctdc.anonymise(records, 11, max_suppressed=1.0)
    assert suppress_only.levels == dict.fromkeys(ctdc.QUASI, 0)
    assert result.suppressed < suppress_only.suppressed


@pytest.mark.parametrize(
    "name, value, level, expected",
    [
        ("ageBroad", "21-23", 1, "18-29"),
        ("ageBroad", "9-17", 2, "0-17"),
        ("ageBroad", "48+", 2, "18+"),
        ("ageBroad", "30-38", 3, ""),
        ("citizenship", "VNM", 1, "South-eastern Asia"),
        ("citizenship", "KHM", 1, "KHM"),
        ("citizenship", "FRA", 1, "Other"),
        ("citizenship", "CHN", 2, "Other"),
        ("CountryOfExploitation", "MMR", 1, "South-eastern Asia"),
        ("yearOfRegistration", "2023", 1, "2022-2023"),
        ("yearOfRegistration", "2024", 2, "2020-2024"),
        ("gender", "Woman", 1, ""),
    ],
)
def test_generalisation_hierarchies(name: str, value: str, level: int, expected: str) -> None:
    assert ctdc.HIERARCHY[name][0](value, level) == expected


def test_k_below_two_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        ctdc.anonymise(_records(5), 1)
    assert caught.value.errors[0].field == "k"


# -- on the registry ---------------------------------------------------------------------


@pytest.fixture
def seeded(db: Session) -> None:
    seed_registry(db, cases=45)


def test_the_national_export_covers_every_victim_and_is_audited(
    db: Session, seeded: None, make_actor: Callable[..., Actor]
) -> None:
    secretariat = make_actor("secretariat")
    everyone = ctdc.victims(db, actor=SYSTEM)
    result = ctdc.export(db, actor=secretariat, k=3)
    assert result.total == len(everyone) > 0
    groups = Counter(tuple(r[q] for q in ctdc.QUASI) for r in result.records)
    assert all(n >= 3 for n in groups.values())
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.ctdc")).one()
    assert entry.actor_name == secretariat.username
    assert f"suppressed={result.suppressed}/{result.total}" in (entry.detail or "")


def test_years_restrict_the_export(db: Session, seeded: None) -> None:
    only = ctdc.export(db, actor=SYSTEM, k=2, years=[2023])
    assert {r["yearOfRegistration"] for r in only.records} <= {"2023", "2022-2023", "2020-2024"}
    assert only.total == len(ctdc.victims(db, actor=SYSTEM, years=[2023]))


# -- DP synthetic microdata (pac-synth) ----------------------------------------------------


def test_synthetic_records_keep_the_layout_and_the_common_combinations() -> None:
    pytest.importorskip("pacsynth")
    records = _records(600)
    synthetic = ctdc.synthesise(records, epsilon=4.0)
    assert synthetic and set(synthetic[0]) == set(ctdc.COLUMNS)
    real = Counter(r["gender"] for r in records)
    fake = Counter(r["gender"] for r in synthetic)
    assert max(fake, key=lambda g: fake[g]) == max(real, key=lambda g: real[g]) == "Man"
    years = {r["yearOfRegistration"] for r in records} | {""}  # empty: value not reproduced
    assert {r["yearOfRegistration"] for r in synthetic} <= years


def test_a_synthetic_export_spends_each_year_budget_and_stops_when_spent(
    db: Session, seeded: None, make_actor: Callable[..., Actor], settings: Settings
) -> None:
    pytest.importorskip("pacsynth")
    cfg = settings.model_copy(update={"privacy_budget_per_year": 5.0})
    secretariat = make_actor("secretariat")
    records, real = ctdc.export_synthetic(db, actor=secretariat, settings=cfg, epsilon=3.0)
    assert real == len(ctdc.victims(db, actor=SYSTEM))
    assert all(set(r) == set(ctdc.COLUMNS) for r in records)  # may be none: 90 records is tiny
    for year in (2023, 2024):
        assert pub.budget(db, settings=cfg, year=year).spent == pytest.approx(3.0)
    assert {r.method for r in pub.list_releases(db, actor=secretariat)} == {"synthetic"}
    with pytest.raises(BudgetExhausted):
        ctdc.export_synthetic(db, actor=secretariat, settings=cfg, epsilon=3.0)
    assert pub.budget(db, settings=cfg, year=2024).spent == pytest.approx(3.0)
    for role in ("viewer", "provincial_officer"):
        with pytest.raises(PermissionDenied):
            ctdc.export_synthetic(db, actor=make_actor(role), settings=cfg, epsilon=1.0)
    with pytest.raises(ValidationFailed) as caught:
        ctdc.export_synthetic(db, actor=secretariat, settings=cfg, epsilon=0)
    assert caught.value.errors[0].field == "epsilon"

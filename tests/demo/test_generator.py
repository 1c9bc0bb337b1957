"""The pure generator: deterministic, realistic in shape, and consistent with the services'
own rules (lifecycle, identifier normalisation)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from itertools import accumulate

import pytest

from ctip.cases.lifecycle import check_transition
from ctip.demo.generator import BLOCK, Generator
from ctip.demo.names import POOLS
from ctip.demo.people import MOBILE_6, MOBILE_7, PHONE_STYLES, kh_phone, phone_text
from ctip.demo.world import DEMO_TODAY
from ctip.identifiers.normalize import index_form
from ctip.reference import (
    EVENT_TYPES,
    EXPLOITATION_TYPES,
    FORCED_LABOUR_SUBTYPES,
    ISIC_SECTIONS,
    METHODS_OF_CONTROL,
    PERPETRATOR_ROLES,
    PROVINCE_CODES,
    RECRUITMENT_APPS,
    RECRUITMENT_METHODS,
)


@pytest.fixture(scope="module")
def cases() -> list:
    return list(Generator(2024).cases(0, 1500))


def _fingerprint(case) -> tuple:
    return (
        case.index,
        case.province,
        case.opened_on,
        case.title,
        case.statuses,
        [
            (
                p.role,
                p.record.given,
                p.record.family,
                p.record.name_km,
                [i.raw for i in p.record.identifiers],
            )
            for p in case.participations
        ],
    )


def test_same_seed_same_cases(cases: list) -> None:
    again = list(Generator(2024).cases(0, 200))
    assert [_fingerprint(c) for c in again] == [_fingerprint(c) for c in cases[:200]]


def test_other_seed_other_cases(cases: list) -> None:
    other = list(Generator(2025).cases(0, 50))
    assert [c.title for c in other] != [c.title for c in cases[:50]]


def test_a_case_is_the_same_whatever_range_asked() -> None:
    whole = list(Generator(9).cases(BLOCK - 3, BLOCK + 3))
    parts = list(Generator(9).cases(BLOCK - 3, BLOCK)) + list(Generator(9).cases(BLOCK, BLOCK + 3))
    assert [_fingerprint(c) for c in whole] == [_fingerprint(c) for c in parts]


def test_every_status_history_is_allowed_by_the_lifecycle(cases: list) -> None:
    for case in cases:
        assert case.statuses[0] == ("reported", case.opened_on)
        for (current, since), (target, on) in zip(case.statuses, case.statuses[1:], strict=False):
            check_transition(current, target, on, since, today=DEMO_TODAY)


def test_codes_come_from_the_standard_vocabularies(cases: list) -> None:
    for case in cases:
        assert case.province in PROVINCE_CODES
        assert set(case.exploitation_types) <= set(EXPLOITATION_TYPES)
        assert case.forced_labour_subtype in (None, *FORCED_LABOUR_SUBTYPES)
        assert case.industry in (None, *ISIC_SECTIONS)
        assert all(e.event_type in EVENT_TYPES and e.occurred_on <= DEMO_TODAY for e in case.events)
        for part in case.participations:
            assert set(part.methods_of_control) <= set(METHODS_OF_CONTROL)
            assert set(part.recruitment_apps) <= set(RECRUITMENT_APPS)
            assert part.recruitment_method in (None, *RECRUITMENT_METHODS)
            assert part.role_in_process in (None, *PERPETRATOR_ROLES)


def test_all_provinces_years_and_kinds_of_case_appear(cases: list) -> None:
    assert {c.province for c in cases} == PROVINCE_CODES
    assert {c.opened_on.year for c in cases} == set(range(2019, 2026))
    kinds = Counter(c.profile for c in cases)
    assert len(kinds) == 11
    busiest = [p for p, _ in Counter(c.province for c in cases).most_common(6)]
    assert {"KH-1", "KH-12", "KH-18"} <= set(busiest)
    scams = [c for c in cases if c.forced_labour_subtype == "ForcedCriminalityOnlineScam"]
    assert all(c.exploitation_types[0] == "ForcedLabour" for c in scams)
    assert {c.opened_on.year for c in scams if c.profile == "scam_in"} >= {2022, 2023}


def test_scam_compound_victims_have_several_nationalities(cases: list) -> None:
    nationalities = Counter(
        p.record.entity.nationality
        for c in cases
        if c.profile == "scam_in"
        for p in c.participations
        if p.role == "victim"
    )
    assert {"CN", "VN", "ID", "KE", "KH"} <= set(nationalities)


def test_some_suspects_abscond_and_cases_stall(cases: list) -> None:
    custody = Counter(
        p.custody_status for c in cases for p in c.participations if p.role == "suspect"
    )
    assert 0.1 < custody["absconded"] / sum(custody.values()) < 0.4
    final = Counter(c.status for c in cases)
    assert final["under_investigation"] > final["convicted"] > 0


def test_brokers_recur_across_cases_and_provinces(cases: list) -> None:
    seen: dict[str, set[str]] = {}
    for case in cases:
        for part in case.participations:
            if part.role == "broker":
                seen.setdefault(part.record.entity.key, set()).add(case.province)
    assert max(len(p) for p in seen.values()) >= 2
    assert sum(1 for p in seen.values() if len(p) >= 2) >= 10


def test_names_vary_between_records_of_one_person(cases: list) -> None:
    spellings: dict[str, set[tuple]] = {}
    for case in cases:
        for part in case.participations:
            rec = part.record
            spellings.setdefault(rec.entity.key, set()).add((rec.given, rec.family))
    assert sum(1 for s in spellings.values() if len(s) > 1) >= 20
    records = [p.record for c in cases for p in c.participations]
    assert any(r.name_km and not r.given for r in records)  # Khmer script only
    swapped = [
        r
        for r in records
        if r.entity.family and r.given in (r.entity.family[0], *r.entity.family[1])
    ]
    assert swapped


def test_khmer_names_have_variants_and_script() -> None:
    pool = POOLS["KH"]
    entries = {e[0]: e for e in (*pool.family, *pool.given_female)}
    assert "Chear" in entries["Chea"][1] and "Sokhar" in entries["Sokha"][1]
    assert "Srei Pov" in entries["Sreypov"][1] and "Pove" in entries["Pov"][1]
    assert all("\u1780" <= e[2][0] <= "\u17ff" for e in entries.values())


@pytest.mark.parametrize("style", range(PHONE_STYLES))
@pytest.mark.parametrize(
    "prefix,sub", [("012", "345678"), ("097", "7123456"), ("088", "2345678"), ("010", "999000")]
)
def test_every_phone_format_normalises_to_the_same_number(
    style: int, prefix: str, sub: str
) -> None:
    purpose, form, result = index_form("phone", phone_text(prefix, sub, style))
    assert (purpose, form, result.valid) == ("phone", f"+855{prefix[1:]}{sub}", True)


def test_random_phones_are_valid_cambodian_mobiles() -> None:
    rng = random.Random(5)
    for _ in range(300):
        prefix, sub = kh_phone(rng)
        assert prefix in MOBILE_6 + MOBILE_7
        assert index_form("phone", prefix + sub)[1] == f"+855{prefix[1:]}{sub}"


def test_identifier_plans_match_the_identifier_service_normalisation(cases: list) -> None:
    plans = [i for c in cases for p in c.participations for i in p.record.identifiers]
    plans += [i for c in cases for i in c.identifiers]
    assert {i.id_type for i in plans} >= {"phone", "passport", "national_id", "social_handle"}
    for ident in plans:
        purpose, form, result = index_form(ident.id_type, ident.raw)
        assert (ident.purpose, ident.normalised, ident.valid) == (purpose, form, result.valid)
    assert 0 < sum(not i.valid for i in plans) < len(plans) * 0.03


def test_recruitment_comes_before_the_case_is_opened(cases: list) -> None:
    for case in cases:
        recruited = [e.occurred_on for e in case.events if e.event_type == "recruitment"]
        assert recruited and recruited[0] < case.opened_on <= DEMO_TODAY
        assert case.opened_on >= date(2019, 1, 1)


def test_cases_do_not_depend_on_the_process_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from ctip.demo.generator import Generator\n"
        "print([(c.title, c.statuses, [(p.record.given, p.record.family) for p in "
        "c.participations]) for c in Generator(1).cases(0, 300)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    "items, cum",
    [
        (("a", "b", "c"), (25, 95, 100)),
        (("a", "b", "c", "d"), (55, 75, 90, 90)),  # a zero weight at the end
        ((0, 1, 2, 3), (35, 80, 95, 100)),
        (("only",), (1.0,)),
        (tuple(range(24)), tuple(accumulate(0.5 + i for i in range(24)))),
    ],
)
def test_weighted_draws_what_random_choices_draws(items: tuple, cum: tuple) -> None:
    from ctip.demo.people import weighted

    ours, theirs = random.Random(7), random.Random(7)
    assert [weighted(ours, items, cum) for _ in range(2_000)] == [
        theirs.choices(items, cum_weights=cum)[0] for _ in range(2_000)
    ]

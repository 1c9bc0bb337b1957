"""The case search: each filter, text matching, order, paging, scope."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.auth.scope import SYSTEM
from ctip.cases import participants, service
from ctip.cases.schemas import CaseFilters
from ctip.errors import ValidationFailed


@pytest.fixture
def cases(make_case, make_person, db):
    made = {
        "kh1_scam": make_case(
            province="KH-1", title="Poipet scam compound", opened_on=date(2023, 5, 1)
        ),
        "kh1_marriage": make_case(
            province="KH-1",
            title="Marriage broker",
            exploitation_types=["ForcedMarriage"],
            opened_on=date(2024, 3, 1),
        ),
        "kh18": make_case(
            province="KH-18", title="Sihanoukville compound", opened_on=date(2024, 6, 1)
        ),
    }
    person = make_person(given_name="Sokha", family_name="Chea")
    participants.add_participant(
        db, actor=SYSTEM, case_id=made["kh1_marriage"].id, person_id=person.id, role="victim"
    )
    return made


def _search(db, **filters):
    rows, total = service.search(db, actor=SYSTEM, filters=CaseFilters(**filters))
    assert total == len(rows)
    return [r.title for r in rows]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({}, ["Sihanoukville compound", "Marriage broker", "Poipet scam compound"]),
        ({"province": "KH-1"}, ["Marriage broker", "Poipet scam compound"]),
        ({"status": "reported", "province": "KH-18"}, ["Sihanoukville compound"]),
        ({"status": "charged"}, []),
        ({"exploitation_type": "ForcedMarriage"}, ["Marriage broker"]),
        ({"opened_from": date(2024, 1, 1)}, ["Sihanoukville compound", "Marriage broker"]),
        ({"opened_to": date(2024, 3, 1)}, ["Marriage broker", "Poipet scam compound"]),
        ({"reference": "kh-1-2023"}, ["Poipet scam compound"]),
        ({"q": "KH-18-2024"}, ["Sihanoukville compound"]),
        ({"q": "compound"}, ["Sihanoukville compound", "Poipet scam compound"]),
        ({"q": "chea sokha"}, ["Marriage broker"]),
        ({"q": "100%"}, []),
    ],
)
def test_filters(db, cases, filters, titles):
    assert _search(db, **filters) == titles


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"province": "KH-40"}, "province"),
        ({"status": "solved"}, "status"),
        ({"exploitation_type": "Fraud"}, "type"),
    ],
)
def test_bad_filters_name_the_field(db, filters, field):
    with pytest.raises(ValidationFailed) as caught:
        service.search(db, actor=SYSTEM, filters=CaseFilters(**filters))
    assert caught.value.errors[0].field == field


def test_paging_newest_first(db, make_case):
    for day in range(1, 8):
        make_case(title=f"day {day}", opened_on=date(2022, 1, day), province="KH-23")
    first, total = service.search(
        db, actor=SYSTEM, filters=CaseFilters(province="KH-23"), page=1, page_size=3
    )
    last, _ = service.search(
        db, actor=SYSTEM, filters=CaseFilters(province="KH-23"), page=3, page_size=3
    )
    assert total == 7
    assert [r.title for r in first] == ["day 7", "day 6", "day 5"]
    assert [r.title for r in last] == ["day 1"]


def test_scope_applies_to_search(db, cases, make_actor):
    officer = make_actor("provincial_officer", province="KH-18")
    rows, total = service.search(db, actor=officer, filters=CaseFilters())
    assert (total, [r.title for r in rows]) == (1, ["Sihanoukville compound"])
    _, total = service.search(db, actor=officer, filters=CaseFilters(province="KH-1"))
    assert total == 0
    _, total = service.search(db, actor=make_actor("viewer"), filters=CaseFilters())
    assert total == 0

"""Keyset ("next page") paging of the case list: the pages after the first follow the cursor
of the last row shown, with no OFFSET and no count unless asked for."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from ctip.cases import service
from ctip.cases.schemas import CaseFilters
from ctip.errors import ValidationFailed
from tests.conftest import api_headers, login


@pytest.fixture
def thirty_cases(make_case):
    """30 KH-1 cases over ten days (three a day, so the cursor's id breaks ties) and 5 in KH-2."""
    ids = [
        make_case(province="KH-1", title=f"case {n}", opened_on=date(2024, 3, 1 + n // 3)).id
        for n in range(30)
    ]
    for n in range(5):
        make_case(province="KH-2", title=f"other {n}", opened_on=date(2024, 3, 5))
    return ids


def _walk(db, actor, filters, size):
    seen, cursor = [], None
    while True:
        rows, cursor = service.next_page(
            db, actor=actor, filters=filters, after=cursor, page_size=size
        )
        seen.append([r.id for r in rows])
        if cursor is None:
            return seen


@pytest.mark.parametrize("size", [1, 7, 10, 30, 50])
def test_keyset_pages_are_the_offset_pages(db, make_actor, thirty_cases, size):
    officer = make_actor("provincial_officer", province="KH-1")
    filters = CaseFilters()
    everything, total = service.search(db, actor=officer, filters=filters, page_size=200)
    assert total == 30
    pages = _walk(db, officer, filters, size)
    assert [i for page in pages for i in page] == [r.id for r in everything]
    assert all(len(p) == size for p in pages[:-1]) and 0 < len(pages[-1]) <= size


def test_a_cursor_does_not_widen_the_scope(db, make_actor, make_org, thirty_cases):
    """Another province's officer following a KH-1 cursor still sees only their own cases."""
    officer = make_actor("provincial_officer", province="KH-1")
    _, cursor = service.next_page(db, actor=officer, filters=CaseFilters(), page_size=10)
    outsider = make_actor("provincial_officer", province="KH-2")
    theirs, _ = service.next_page(
        db, actor=outsider, filters=CaseFilters(), after=cursor, page_size=50
    )
    assert {r.province for r in theirs} <= {"KH-2"}
    ngo = make_actor("ngo_caseworker", org=make_org("Safe Haven", org_type="NGO"))
    assert service.next_page(db, actor=ngo, filters=CaseFilters(), after=cursor) == ([], None)


@pytest.mark.parametrize("cursor", ["x", "2024-13-01_5", "2024-03-01_", "2024-03-01_x"])
def test_a_bad_cursor_is_a_field_error(db, make_actor, cursor):
    officer = make_actor("provincial_officer", province="KH-1")
    with pytest.raises(ValidationFailed) as raised:
        service.next_page(db, actor=officer, filters=CaseFilters(), after=cursor)
    assert [e.field for e in raised.value.errors] == ["after"]


def test_api_pages_by_cursor_and_counts_only_on_demand(client, make_user, thirty_cases):
    headers = api_headers(client, make_user("provincial_officer", province="KH-1").username)
    first = client.get("/api/v1/cases", params={"page_size": 20}, headers=headers).json()
    assert (first["total"], len(first["items"])) == (30, 20) and first["next"]
    second = client.get(
        "/api/v1/cases", params={"page_size": 20, "after": first["next"]}, headers=headers
    ).json()
    assert (second["total"], len(second["items"]), second["next"]) == (None, 10, None)
    counted = client.get(
        "/api/v1/cases",
        params={"page_size": 20, "after": first["next"], "with_total": "true"},
        headers=headers,
    ).json()
    assert counted["total"] == 30
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert sorted(ids) == sorted(thirty_cases)
    bad = client.get("/api/v1/cases", params={"after": "nonsense"}, headers=headers)
    assert bad.status_code == 422
    assert [e["loc"][-1] for e in bad.json()["detail"]] == ["after"]


def test_the_list_page_follows_the_cursor(client, make_user, thirty_cases, settings):
    login(client, make_user("provincial_officer", province="KH-1").username)
    client.app.state.settings = settings.model_copy(update={"page_size": 20})
    first = BeautifulSoup(client.get("/cases").text, "html.parser")
    assert len(first.select("tr[data-case-id]")) == 20
    following = first.select_one("a[rel=next]")["href"]
    assert "after=" in following and "page=" not in following
    second = BeautifulSoup(client.get("/cases" + following).text, "html.parser")
    assert len(second.select("tr[data-case-id]")) == 10
    assert second.select_one("a[rel=next]") is None
    assert second.select_one("a[rel=first]") is not None

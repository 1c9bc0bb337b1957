"""Outsider test: statements cached per actor scope (``auth.scope.per_scope``) are never
reused for an actor of another scope. Each reader asks right after another whose statement
is now cached: an officer of another province, an NGO case worker of another organisation,
an investigator of another agency, and the same user after their role or province changed.
A case outside the reader's scope is not found, and lists hold only the reader's cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ctip.cases import detail, service
from ctip.cases.schemas import CaseFilters
from ctip.errors import NotFound
from tests.persons.helpers import attach, make_case, make_person, refer


def _listed(db, actor) -> list[int]:  # type: ignore[no-untyped-def]
    rows, total = service.search(db, actor=actor, filters=CaseFilters())
    assert total == len(rows)
    return sorted(r.id for r in rows)


def _reads(db, actor, case_id: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        detail.detail(db, actor=actor, case_id=case_id)
    except NotFound:
        return False
    return True


def test_a_cached_scope_serves_no_other_scope(db, make_actor, make_org) -> None:  # type: ignore[no-untyped-def]
    hope, care = make_org("Hope", "NGO", is_agency=False), make_org("Care", "NGO", is_agency=False)
    police, army = make_org("Police"), make_org("Army")
    kh1 = make_case(db, province="KH-1", title="one", org=police)
    kh18 = make_case(db, province="KH-18", title="eighteen", org=army)
    victim = make_person(db, given="Dara")
    attach(db, kh1, victim, "victim")
    refer(db, kh1, hope)
    refer(db, kh18, care)
    db.flush()

    officer1 = make_actor("provincial_officer", province="KH-1")
    officer18 = make_actor("provincial_officer", province="KH-18")
    assert _listed(db, officer1) == [kh1.id] and _reads(db, officer1, kh1.id)
    assert _listed(db, officer18) == [kh18.id] and not _reads(db, officer18, kh1.id)

    worker_hope = make_actor("ngo_caseworker", org=hope)
    worker_care = make_actor("ngo_caseworker", org=care)
    assert _reads(db, worker_hope, kh1.id) and _listed(db, worker_hope) == [kh1.id]
    assert not _reads(db, worker_care, kh1.id) and _listed(db, worker_care) == [kh18.id]

    police_inv = make_actor("investigator", org=police)
    army_inv = make_actor("investigator", org=army)
    assert _listed(db, police_inv) == [kh1.id] and _reads(db, police_inv, kh1.id)
    assert _listed(db, army_inv) == [kh18.id] and not _reads(db, army_inv, kh1.id)

    # the same user (same id) after a change of province, of organisation or of role
    moved = replace(officer1, province="KH-18")
    assert _listed(db, moved) == [kh18.id] and not _reads(db, moved, kh1.id)
    transferred = replace(worker_hope, organisation_id=care.id)
    assert not _reads(db, transferred, kh1.id)
    demoted = replace(officer1, role="viewer", province=None)
    assert _listed(db, demoted) == [] and not _reads(db, demoted, kh1.id)


@pytest.mark.parametrize("role", ["provincial_officer", "investigator", "ngo_caseworker"])
def test_the_case_page_of_one_reader_is_not_served_to_another(
    db, make_actor, make_org, role
) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = make_org("Mine", "NGO", is_agency=False), make_org("Theirs", "NGO")
    case = make_case(db, province="KH-1", org=mine)
    refer(db, case, mine)
    db.flush()
    owner = make_actor(role, province="KH-1", org=mine)
    other = make_actor(role, province="KH-2", org=theirs)
    assert _reads(db, owner, case.id)
    assert not _reads(db, other, case.id)

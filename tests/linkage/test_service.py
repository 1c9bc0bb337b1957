"""Linkage service: resolved ids, scoped probable matches, decisions that override the model."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.errors import NotFound
from ctip.linkage import service as linkage
from tests.linkage.conftest import stored_run as _run
from tests.persons.helpers import attach, make_case, make_person


def test_no_run_means_nothing_resolved(db):
    assert linkage.resolved_person_ids(session=db) == {}


def test_resolved_ids_of_current_run_with_later_decisions(db, make_actor):
    a, b, c = (make_person(db, "Sokha", "Chea") for _ in range(3))
    _run(db, [(a.id, b.id, 0.97), (b.id, c.id, 0.6)], {a.id: a.id, b.id: a.id, c.id: c.id})
    assert linkage.resolved_person_ids(session=db) == {a.id: a.id, b.id: a.id, c.id: c.id}
    admin = make_actor("admin")
    linkage.decide(db, actor=admin, person_id_a=c.id, person_id_b=b.id, decision="confirmed")
    assert set(linkage.resolved_person_ids(session=db).values()) == {a.id}
    linkage.decide(db, actor=admin, person_id_a=a.id, person_id_b=b.id, decision="rejected")
    resolved = linkage.resolved_person_ids(session=db)
    assert resolved[b.id] == b.id and resolved[a.id] != b.id
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.action == "linkage.decide"))
    assert len(list(actions)) == 2


def test_outsider_sees_only_a_hint(db, make_actor):
    mine, theirs = make_case(db, "KH-1"), make_case(db, "KH-2")
    a, b = make_person(db, "Sokha", "Chea"), make_person(db, "Sokhar", "Chear")
    attach(db, mine, a, "broker")
    attach(db, theirs, b, "suspect")
    _run(db, [(a.id, b.id, 0.93)], {a.id: a.id, b.id: a.id})
    officer = make_actor("provincial_officer", province="KH-1")
    [hint] = linkage.probable_matches(session=db, actor=officer, person_id=a.id)
    assert hint.hidden and hint.other_person_id is None and hint.evidence == {}
    assert (
        linkage.probable_matches(session=db, actor=officer, person_id=a.id, hint_hidden=False) == []
    )
    with pytest.raises(NotFound):
        linkage.probable_matches(session=db, actor=officer, person_id=b.id)
    [seen] = linkage.probable_matches(session=db, actor=make_actor("secretariat"), person_id=a.id)
    assert seen.other_person_id == b.id and seen.evidence == {"name": ["exact", 5.0]}

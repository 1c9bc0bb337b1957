"""Linkage service: resolved ids, scoped probable matches, decisions that override the model."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.db.base import utcnow
from ctip.errors import NotFound
from ctip.linkage import service as linkage
from ctip.linkage.models import LinkPair, LinkRun, PersonCluster
from tests.persons.helpers import attach, make_case, make_person


def _run(db, pairs, clusters, current=True):
    run = LinkRun(
        engine="duckdb",
        threshold=0.9,
        status="complete",
        finished_at=utcnow(),
        is_current=current,
        n_records=len(clusters),
        n_pairs=len(pairs),
        n_clusters=len(set(clusters.values())),
    )
    db.add(run)
    db.flush()
    for left, right, p in pairs:
        db.add(
            LinkPair(
                run_id=run.id,
                person_id_l=min(left, right),
                person_id_r=max(left, right),
                match_probability=p,
                match_weight=3.0,
                evidence=json.dumps({"name": ["exact", 5.0]}),
            )
        )
    for person_id, cluster_id in clusters.items():
        db.add(PersonCluster(run_id=run.id, person_id=person_id, cluster_id=cluster_id))
    db.flush()
    return run


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

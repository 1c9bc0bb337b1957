"""Re-linking the registry: accuracy on the demo ground truth, idempotence, decisions that
override the model, incremental matching, privacy of the engine's files."""

from __future__ import annotations

from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.linkage import service
from ctip.linkage.models import LinkModel, LinkPair, LinkRun, PersonCluster
from ctip.linkage.run import run_linkage
from tests.linkage.conftest import cluster_pairs, true_pairs


def test_run_resolves_the_demo_persons(db, sessions, settings, demo):
    summary = run_linkage(sessions, settings=settings)
    assert summary.trained and summary.n_records > 100
    resolved = service.resolved_person_ids(session=db)
    assert len(resolved) == summary.n_records
    assert all(cluster <= person for person, cluster in resolved.items())
    truth, found = true_pairs(demo), cluster_pairs(resolved)
    hits = len(truth & found)
    assert truth and hits / len(found) >= 0.9 and hits / len(truth) >= 0.9
    pairs = db.scalars(select(LinkPair).where(LinkPair.run_id == summary.run_id)).all()
    assert pairs and all(p.person_id_l < p.person_id_r for p in pairs)
    assert all(p.match_probability >= settings.linkage_floor for p in pairs)
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"person.extract", "linkage.run"} <= actions
    assert not list((settings.data_dir / "linkage-tmp").iterdir())


def test_rerun_is_idempotent_and_keeps_one_current_run(db, sessions, settings, demo):
    first = run_linkage(sessions, settings=settings)
    before = service.resolved_person_ids(session=db)
    second = run_linkage(sessions, settings=settings)
    assert not second.trained and second.model_version == first.model_version
    assert service.resolved_person_ids(session=db) == before
    current = db.scalars(select(LinkRun).where(LinkRun.is_current.is_(True))).all()
    assert [r.id for r in current] == [second.run_id]
    assert len(db.scalars(select(LinkModel)).all()) == 1


def test_decisions_override_the_model_in_the_next_run(db, sessions, settings, demo, make_actor):
    first = run_linkage(sessions, settings=settings)
    pair = db.scalars(
        select(LinkPair)
        .where(LinkPair.run_id == first.run_id, LinkPair.match_probability >= 0.9)
        .limit(1)
    ).one()
    clusters = dict(
        db.execute(
            select(PersonCluster.person_id, PersonCluster.cluster_id).where(
                PersonCluster.run_id == first.run_id
            )
        ).all()
    )
    loner = next(
        pid
        for pid, cid in clusters.items()
        if cid == pid
        and pid not in (pair.person_id_l, pair.person_id_r)
        and list(clusters.values()).count(cid) == 1
    )
    analyst = make_actor("secretariat")
    left, right = pair.person_id_l, pair.person_id_r
    service.decide(db, actor=analyst, person_id_a=left, person_id_b=right, decision="rejected")
    service.decide(db, actor=analyst, person_id_a=loner, person_id_b=left, decision="confirmed")
    db.flush()
    second = run_linkage(sessions, settings=settings)
    stored = {
        (p.person_id_l, p.person_id_r): p
        for p in db.scalars(select(LinkPair).where(LinkPair.run_id == second.run_id))
    }
    assert (left, right) not in stored
    confirmed = stored[(min(loner, left), max(loner, left))]
    assert confirmed.match_probability == 1.0
    resolved = service.resolved_person_ids(session=db)
    assert resolved[loner] == resolved[left]
    acc = service.accuracy(db)
    assert acc.decided == 2 and acc.false_positive == 1


def test_incremental_match_agrees_with_the_run(db, sessions, settings, demo):
    summary = run_linkage(sessions, settings=settings)
    pairs = db.scalars(
        select(LinkPair)
        .where(LinkPair.run_id == summary.run_id, LinkPair.match_probability >= 0.9)
        .order_by(LinkPair.id)
        .limit(5)
    ).all()
    assert pairs
    for pair in pairs:
        found = dict(service.match_new_person(session=db, person_id=pair.person_id_l))
        assert found.get(pair.person_id_r, 0.0) >= 0.8


def test_incremental_match_before_any_run_is_empty(db, demo):
    some = db.scalar(select(LinkPair.person_id_l).limit(1))
    assert some is None
    assert service.match_new_person(session=db, person_id=1) == []
    assert SYSTEM.is_national


def test_run_backfills_per_field_name_keys(db, sessions, settings, demo):
    from sqlalchemy import delete

    from ctip.linkage.run import FIELD_KINDS
    from ctip.persons.models import PersonNameKey

    some = db.scalar(select(PersonNameKey.person_id).where(PersonNameKey.kind == "phon").limit(1))
    db.execute(
        delete(PersonNameKey).where(
            PersonNameKey.person_id == some, PersonNameKey.kind.in_(FIELD_KINDS)
        )
    )
    db.flush()
    run_linkage(sessions, settings=settings)
    kinds = set(db.scalars(select(PersonNameKey.kind).where(PersonNameKey.person_id == some)))
    assert {"given", "phon"} <= kinds or {"family", "phon"} <= kinds

"""After a real linkage run (Splink on DuckDB) over the demo: the network shows resolved
persons, and an edited record that probably is a person of another case raises an alert."""

from __future__ import annotations

from sqlalchemy import select

from ctip.cases.models import CasePerson
from ctip.identifiers.models import Identifier
from ctip.linkage.models import LinkPair
from ctip.linkage.run import run_linkage
from ctip.network import alerts, service


def _cases(db, person_id: int) -> set[int]:
    return set(db.scalars(select(CasePerson.case_id).where(CasePerson.person_id == person_id)))


def _digests(db, person_id: int) -> set[str]:
    return set(db.scalars(select(Identifier.digest).where(Identifier.person_id == person_id)))


def test_linkage_run_feeds_the_network_and_the_alerts(db, sessions, settings, demo, demo_actor):
    summary = run_linkage(sessions, settings=settings)
    pairs = db.scalars(
        select(LinkPair)
        .where(LinkPair.run_id == summary.run_id, LinkPair.match_probability >= 0.9)
        .order_by(LinkPair.id)
    ).all()
    pair = next(
        p
        for p in pairs
        if not _cases(db, p.person_id_l) & _cases(db, p.person_id_r)
        and not _digests(db, p.person_id_l) & _digests(db, p.person_id_r)
    )
    net = service.scoped_network(db, actor=demo_actor("secretariat"))
    assert net.find("person", pair.person_id_l) == net.find("person", pair.person_id_r)

    created = alerts.on_person_changed(
        session=db, person_id=pair.person_id_l, actor=demo_actor("secretariat")
    )
    probable = [a for a in created if a.other_person_id == pair.person_id_r]
    assert probable and {a.reason for a in probable} == {"probable_match"}
    assert all(a.probability is not None and a.probability >= 0.8 for a in probable)

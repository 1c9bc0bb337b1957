"""Loading demo data into a real database: idempotent, deterministic, searchable through the
application's own services, and with a ground truth that matches what was written."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.auth.models import User
from ctip.auth.scope import visible_cases
from ctip.auth.service import actor_for
from ctip.cases import service as cases_service
from ctip.cases.models import Case, CaseEvent, CasePerson, CaseSequence
from ctip.cases.schemas import CaseFilters
from ctip.config import Settings
from ctip.demo import truth
from ctip.demo.loader import load
from ctip.demo.names import canonical_names
from ctip.demo.setup import DEMO_USERS
from ctip.errors import PermissionDenied
from ctip.identifiers import service as identifiers_service
from ctip.identifiers.models import Identifier
from ctip.persons import service as persons_service
from ctip.persons.models import Person
from ctip.referrals.models import Referral

N = 150


@pytest.fixture
def loaded(db: Session, settings: Settings):
    result = load(db, cases=N, seed=11, settings=settings)
    db.flush()
    return result


def _actor(db: Session, username: str):
    return actor_for(db.scalar(select(User).where(User.username == username)), "127.0.0.1")


def _snapshot(db: Session) -> list[tuple]:
    rows = db.execute(
        select(Case.id, Case.reference, Case.title, Case.status, Case.summary).order_by(Case.id)
    ).all()
    people = db.execute(
        select(Person.id, Person.given_name, Person.family_name, Person.name_km).order_by(Person.id)
    ).all()
    return [tuple(r) for r in rows] + [tuple(p) for p in people]


def test_load_writes_cases_people_and_log_ins(db: Session, loaded) -> None:
    assert loaded.written == N and loaded.skipped is None
    assert db.scalar(select(func.count(Case.id))) == N
    assert db.scalar(select(func.count(Person.id))) > N
    assert db.scalar(select(func.count(Identifier.id))) > N
    assert db.scalar(select(func.count(Referral.id))) > 0
    users = set(db.scalars(select(User.username)))
    assert {u.username for u in DEMO_USERS} <= users
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "demo.load"))
    assert entry is not None and entry.detail == f"seed=11 range=0-{N}"


def test_references_follow_case_sequences(db: Session, loaded) -> None:
    for province, year, sequence, reference in db.execute(
        select(Case.province, Case.year, Case.sequence, Case.reference)
    ):
        assert reference == f"{province}-{year}-{sequence:06d}"
    last = dict(
        db.execute(
            select(
                CaseSequence.province
                + "/"
                + func.cast(CaseSequence.year, CaseSequence.province.type),
                CaseSequence.last,
            )
        ).all()
    )
    highest = db.execute(
        select(Case.province, Case.year, func.max(Case.sequence)).group_by(Case.province, Case.year)
    ).all()
    assert all(last[f"{p}/{y}"] == top for p, y, top in highest)


def test_every_status_change_is_dated_and_ends_at_the_case_status(db: Session, loaded) -> None:
    for case in db.scalars(select(Case).limit(60)):
        changes = [e for e in case.events if e.event_type == "status_change"]
        assert changes[0].from_status is None and changes[0].to_status == "reported"
        assert changes[-1].to_status == case.status
        assert changes[-1].occurred_on == case.status_changed_on


def test_loading_again_adds_nothing(db: Session, settings: Settings, loaded) -> None:
    again = load(db, cases=N, seed=11, settings=settings)
    assert again.written == 0 and again.skipped is not None
    assert db.scalar(select(func.count(Case.id))) == N


def test_if_empty_skips_a_database_with_cases(db: Session, settings: Settings, loaded) -> None:
    other = load(db, cases=10, seed=12, settings=settings, if_empty=True)
    assert other.skipped == "the database already has cases"
    assert db.scalar(select(func.count(Case.id))) == N


def test_same_seed_gives_the_same_data(db: Session, settings: Settings) -> None:
    nested = db.begin_nested()
    load(db, cases=60, seed=5, settings=settings)
    first = _snapshot(db)
    nested.rollback()
    load(db, cases=60, seed=5, settings=settings)
    assert _snapshot(db) == first


def test_topping_up_writes_the_next_cases_of_the_stream(
    db: Session, settings: Settings, tmp_path: Path
) -> None:
    nested = db.begin_nested()
    load(db, cases=80, seed=6, settings=settings)
    whole = sorted(db.execute(select(Case.title, Case.opened_on, Case.province)).all())
    nested.rollback()
    load(db, cases=50, seed=6, settings=settings)
    result = load(db, cases=80, seed=6, settings=settings)
    assert (result.first_case, result.written) == (50, 30)
    assert sorted(db.execute(select(Case.title, Case.opened_on, Case.province)).all()) == whole
    lines = list(truth.read(truth.truth_path(settings.data_dir, 6)))
    assert [r["stop_case"] for r in lines if r["record_type"] == "load"] == [50, 80]


def test_ground_truth_records_share_a_name_or_an_identifier(
    db: Session, loaded, settings: Settings
) -> None:
    records = [r for r in truth.read(loaded.truth_file) if r["record_type"] == "person"]
    assert len(records) == db.scalar(select(func.count(Person.id)))
    groups: dict[str, list[int]] = defaultdict(list)
    for rec in records:
        groups[rec["entity_key"]].append(rec["record_id"])
    repeated = [ids for ids in groups.values() if len(ids) > 1]
    assert repeated
    for ids in repeated:
        evidence = [_evidence(db, pid) for pid in ids]
        common = set.intersection(*evidence)
        assert common, f"records {ids} share no name or identifier"


def _evidence(db: Session, person_id: int) -> set[str]:
    """Canonical names (from any spelling or the Khmer script) and identifier digests."""
    person = db.get(Person, person_id)
    canonical = canonical_names(person.nationalities[0])
    written = [person.given_name, person.family_name, *(person.name_km or "").split()]
    names = {canonical.get(n.lower(), n) for n in written if n}
    digests = set(db.scalars(select(Identifier.digest).where(Identifier.person_id == person_id)))
    return names | digests


def test_brokers_are_reused_and_share_identifiers(db: Session, loaded) -> None:
    reused = db.execute(
        select(CasePerson.person_id, func.count())
        .where(CasePerson.role == "broker")
        .group_by(CasePerson.person_id)
        .having(func.count() > 1)
    ).all()
    assert reused
    records = [r for r in truth.read(loaded.truth_file) if r["record_type"] == "person"]
    networks: dict[str, set[int]] = defaultdict(set)
    for rec in records:
        if rec["network_key"]:
            networks[rec["network_key"]].add(rec["record_id"])
    shared = 0
    for members in networks.values():
        digests = db.execute(
            select(Identifier.digest, func.count(Identifier.person_id.distinct()))
            .where(Identifier.person_id.in_(members))
            .group_by(Identifier.digest)
        ).all()
        shared += sum(1 for _, holders in digests if holders > 1)
    assert shared > 0


def test_demo_people_are_found_by_name_and_by_phone_in_another_format(db: Session, loaded) -> None:
    actor = _actor(db, "secretariat")
    ident = db.scalar(
        select(Identifier)
        .where(
            Identifier.id_type == "phone",
            Identifier.valid.is_(True),
            Identifier.person_id.is_not(None),
        )
        .limit(1)
    )
    national = "0" + ident.normalised.removeprefix("+855")
    hits = identifiers_service.search(db, actor=actor, value=national)
    assert ident.person_id in {p.id for p in hits.persons}
    assert hits.cases
    person = db.scalar(
        select(Person)
        .where(Person.given_name.is_not(None), Person.family_name.is_not(None))
        .limit(1)
    )
    found = persons_service.search(
        db, actor=actor, query=f"{person.family_name} {person.given_name}"
    )
    assert person.id in {p.id for p in found}


def test_the_case_list_finds_demo_cases(db: Session, loaded) -> None:
    actor = _actor(db, "officer-pp")
    rows, total = cases_service.search(db, actor=actor, filters=CaseFilters(province="KH-12"))
    assert total > 0 and all(r.province == "KH-12" for r in rows)


@pytest.mark.parametrize(
    "username", ["secretariat", "officer-pp", "officer-bmc", "investigator", "caseworker"]
)
def test_every_demo_log_in_sees_some_cases(db: Session, loaded, username: str) -> None:
    actor = _actor(db, username)
    assert db.scalar(select(func.count(Case.id)).where(visible_cases(actor))) > 0


def test_status_changes_name_a_plausible_actor(db: Session, loaded) -> None:
    officer = _actor(db, "officer-pp")
    actors = set(
        db.scalars(
            select(CaseEvent.actor_id)
            .join(Case)
            .where(Case.province == "KH-12", CaseEvent.event_type == "status_change")
        )
    )
    assert officer.id in actors


def test_names_and_phones_are_not_stored_in_plain_text(db: Session, loaded) -> None:
    person = db.scalar(select(Person).where(Person.given_name.is_not(None)).limit(1))
    raw = db.execute(
        text("SELECT given_name FROM persons WHERE id = :id"), {"id": person.id}
    ).scalar_one()
    assert person.given_name.encode() not in bytes(raw)


def test_production_refuses_demo_data(db: Session, tmp_path: Path) -> None:
    settings = Settings(env="production", data_dir=tmp_path)
    with pytest.raises(PermissionDenied):
        load(db, cases=5, seed=1, settings=settings)
    assert db.scalar(select(func.count(User.id)).where(User.username == "admin")) == 0


def test_padding_tops_identifiers_up_to_a_total_that_search_finds(db: Session, loaded) -> None:
    from ctip.demo.padding import add_identifiers

    have = db.scalar(select(func.count(Identifier.id)))
    assert add_identifiers(db, total=have + 300, seed=4) == 300
    assert db.scalar(select(func.count(Identifier.id))) == have + 300
    assert add_identifiers(db, total=have, seed=4) == 0
    newest = db.scalar(
        select(Identifier)
        .where(Identifier.id_type == "phone", Identifier.valid.is_(True))
        .order_by(Identifier.id.desc())
        .limit(1)
    )
    hits = identifiers_service.search(db, actor=_actor(db, "secretariat"), value=newest.normalised)
    assert newest.person_id in {p.id for p in hits.persons}

"""A load committed in batches on its own SQLite file: a killed load resumes after its last
committed batch and ends with the rows and ground truth of an uninterrupted one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.cases.models import Case, CaseEvent, CasePerson, CaseSequence
from ctip.config import Settings
from ctip.db import tallies
from ctip.db.base import Base
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from ctip.demo import truth
from ctip.demo.loader import load
from ctip.identifiers.models import Identifier
from ctip.persons.models import Person, PersonNameKey
from ctip.referrals.models import Referral

CASES, BATCH, SEED = 300, 100, 8


class Killed(Exception):
    """Stands in for the process dying in the middle of a batch."""


def _fresh(tmp_path: Path, name: str) -> tuple[Engine, Settings]:
    url = f"sqlite:///{tmp_path / name}.sqlite3"
    engine = make_engine(url)
    upgrade(engine)
    return engine, Settings(env="test", data_dir=tmp_path / name, database_url=url)


def _content(engine: Engine) -> list[tuple[object, ...]]:
    """Every demo row that the seed decides (ciphertext read back as plaintext)."""
    queries = [
        select(Case.id, Case.reference, Case.title, Case.status, Case.summary, Case.opened_on),
        select(Person.id, Person.given_name, Person.family_name, Person.name_km),
        select(PersonNameKey.id, PersonNameKey.person_id, PersonNameKey.digest),
        select(CasePerson.id, CasePerson.case_id, CasePerson.person_id, CasePerson.role),
        select(Identifier.id, Identifier.digest, Identifier.person_id, Identifier.case_id),
        select(CaseEvent.id, CaseEvent.case_id, CaseEvent.event_type, CaseEvent.occurred_on),
        select(Referral.id, Referral.case_id, Referral.person_id, Referral.status),
        select(CaseSequence.province, CaseSequence.year, CaseSequence.last),
    ]
    with Session(engine) as session:
        return [
            tuple(row)
            for query in queries
            for row in session.execute(query.order_by(*query.selected_columns))
        ]


def _tallies_are_counts(engine: Engine) -> bool:
    """The row tallies equal the tables' counts, and their triggers are all in place."""
    with Session(engine) as session:
        counted = {
            t: session.scalar(select(func.count()).select_from(Base.metadata.tables[t]))
            for t in tallies.TALLIED
        }
        triggers = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'row_tally%'")
        ).all()
        return tallies.read(session)[0] == counted and len(triggers) == 2 * len(counted)


def _die_in_third_batch(done: list[int]):
    def progress(cases: int) -> None:
        done.append(cases)
        if sum(done) > 2 * BATCH:
            raise Killed

    return progress


def test_a_killed_load_resumes_to_the_same_content(tmp_path: Path) -> None:
    whole, whole_settings = _fresh(tmp_path, "whole")
    load(whole, cases=CASES, seed=SEED, settings=whole_settings, batch=BATCH)

    engine, settings = _fresh(tmp_path, "resumed")
    with pytest.raises(Killed):
        load(
            engine,
            cases=CASES,
            seed=SEED,
            settings=settings,
            batch=BATCH,
            progress=_die_in_third_batch([]),
        )
    with Session(engine) as session:
        assert session.scalar(select(func.count(Case.id))) == 2 * BATCH  # two batches committed
    assert _tallies_are_counts(engine)
    path = truth.truth_path(settings.data_dir, SEED)
    with path.open("a", encoding="utf-8") as fh:  # what a batch killed before its commit wrote
        fh.write('{"record_type": "person", "record_id": 99999}\n{"record_ty')

    result = load(engine, cases=CASES, seed=SEED, settings=settings, batch=BATCH)
    assert (result.first_case, result.written) == (2 * BATCH, BATCH)
    assert _content(engine) == _content(whole)
    with Session(engine) as session:
        references = session.scalars(select(Case.reference)).all()
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "demo.load")
        ).all()
    assert len(references) == len(set(references)) == CASES
    assert details == [f"seed={SEED} range={a}-{a + BATCH}" for a in range(0, CASES, BATCH)]
    assert path.read_bytes() == truth.truth_path(whole_settings.data_dir, SEED).read_bytes()
    assert _tallies_are_counts(engine) and _tallies_are_counts(whole)
    again = load(engine, cases=CASES, seed=SEED, settings=settings, batch=BATCH)
    assert again.written == 0 and again.skipped is not None


def test_if_empty_resumes_only_an_unfinished_load_of_that_size(tmp_path: Path) -> None:
    engine, settings = _fresh(tmp_path, "db")
    with pytest.raises(Killed):
        load(
            engine,
            cases=CASES,
            seed=SEED,
            settings=settings,
            batch=BATCH,
            progress=_die_in_third_batch([]),
        )
    other = load(engine, cases=CASES + 1, seed=SEED, settings=settings, if_empty=True)
    assert other.skipped == "the database already has cases"
    result = load(engine, cases=CASES, seed=SEED, settings=settings, batch=BATCH, if_empty=True)
    assert (result.first_case, result.written) == (2 * BATCH, BATCH)
    done = load(engine, cases=CASES, seed=SEED, settings=settings, batch=BATCH, if_empty=True)
    assert done.skipped == "the database already has cases"


def _indexes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).scalars()
        )


def test_indexes_suspended_by_a_killed_big_load_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ctip.demo.loader.PARALLEL_FROM", 1)  # suspend indexes from one case
    engine, settings = _fresh(tmp_path, "db")
    schema = _indexes(engine)
    assert "ix_identifiers_digest" in schema
    options = {"cases": CASES, "seed": SEED, "settings": settings, "batch": BATCH}
    with pytest.raises(Killed):
        load(engine, parallel=False, progress=_die_in_third_batch([]), **options)
    assert "ix_identifiers_digest" not in _indexes(engine)  # still suspended
    load(engine, parallel=False, **options)
    assert _indexes(engine) == schema
    assert _tallies_are_counts(engine)


def test_a_big_load_suspends_and_restores_the_exact_indexes(connection) -> None:
    """On either engine: the big tables' secondary indexes go, and come back as they were
    from the statements a later load finds in the audit entry."""
    from ctip.demo.writer import writer_for

    if connection.dialect.name == "sqlite":
        schema = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    else:
        schema = (
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY indexname"
        )
    before = connection.exec_driver_sql(schema).all()
    dropping = writer_for(connection)
    dropping.prepare(bulk=True)
    names = {row[0] for row in connection.exec_driver_sql(schema)}
    assert "ix_identifiers_digest" not in names and "ix_person_name_keys_digest" not in names
    assert all(n.startswith("ix_") for n in {row[0] for row in before} - names)  # no keys
    writer_for(connection).finish(dropping.suspended)  # a later load's writer
    assert connection.exec_driver_sql(schema).all() == before


def test_a_small_top_up_keeps_the_planner_statistics_and_a_larger_one_renews_them(
    tmp_path: Path,
) -> None:
    """``ANALYZE`` reads every index, so a load adding under a tenth of the cases already
    there keeps the statistics; a load from empty, or a larger one, renews them."""
    engine, settings = _fresh(tmp_path, "stats")

    def cases_counted() -> int:
        with engine.connect() as conn:
            stat = conn.exec_driver_sql(  # each row starts with the table's row count
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases' LIMIT 1"
            ).scalar_one()
        return int(str(stat).split()[0])

    load(engine, cases=CASES, seed=SEED, settings=settings)
    assert cases_counted() == CASES
    load(engine, cases=CASES + 20, seed=SEED, settings=settings)  # +20 on 300: kept
    assert cases_counted() == CASES
    load(engine, cases=CASES + 60, seed=SEED, settings=settings)  # +40 on 320: renewed
    assert cases_counted() == CASES + 60

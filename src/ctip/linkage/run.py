"""Re-linking the whole registry, atomically.

1. A ``running`` run row is committed (so ``ctip link status`` shows it).
2. Persons are read through the one scoped, audited extract (``ctip.persons.extract``),
   decrypted in memory, linked by Splink in an in-memory engine whose spill directory is
   private and removed afterwards.
3. In **one transaction** the pairs and clusters are written, the run is marked complete
   and made current, the previous current run stops being current, and older runs' rows
   are removed. A run killed before that commit leaves the previous results in force; its
   ``running`` row is marked ``failed`` by the next run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from ctip.audit.service import record
from ctip.auth.scope import SYSTEM, Actor
from ctip.config import Settings
from ctip.db.base import utcnow
from ctip.linkage.features import registry_frame
from ctip.linkage.model import ENGINES, Result, open_engine, predict_and_cluster
from ctip.linkage.models import LinkDecision, LinkModel, LinkPair, LinkRun, PersonCluster
from ctip.persons.extract import persons_table

KEEP_RUNS = 2  # complete runs whose rows are kept (the current one and the one before)
BATCH = 20_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    model_version: str
    engine: str
    n_records: int
    n_pairs: int
    n_clusters: int
    seconds: float
    trained: bool


def current_model(session: Session) -> LinkModel | None:
    """The model of the current run (else the newest stored one)."""
    run = session.scalar(
        select(LinkRun).where(LinkRun.is_current.is_(True)).order_by(LinkRun.id.desc()).limit(1)
    )
    if run is not None and run.model_version:
        found = session.scalar(select(LinkModel).where(LinkModel.version == run.model_version))
        if found is not None:
            return found
    return session.scalar(select(LinkModel).order_by(LinkModel.id.desc()).limit(1))


def run_linkage(
    factory: sessionmaker[Session],
    *,
    settings: Settings,
    engine: str = "duckdb",
    threshold: float | None = None,
    retrain: bool = False,
    actor: Actor = SYSTEM,
    progress: Progress | None = None,
) -> RunSummary:
    """Re-link every person; see the module docstring for the guarantees."""
    import time

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    say = progress or (lambda _msg: None)
    began = time.perf_counter()
    threshold = settings.linkage_threshold if threshold is None else threshold
    with factory() as session, session.begin():
        session.execute(
            update(LinkRun)
            .where(LinkRun.status == "running")
            .values(status="failed", error="interrupted before it completed")
        )
        run = LinkRun(engine=engine, threshold=threshold, status="running", is_current=False)
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        with factory() as session, session.begin():
            say("reading persons")
            table = persons_table(session, actor=actor, purpose=f"linkage run {run_id}")
            backfill_name_keys(session, table)
            stored = None if retrain else current_model(session)
            model = json.loads(stored.settings) if stored is not None else None
            confirmed, rejected = _decisions(session)
        df = registry_frame(table)
        del table
        with open_engine(
            engine, data_dir=settings.data_dir, spark_master=settings.linkage_spark_master
        ) as eng:
            result = predict_and_cluster(
                eng,
                df,
                floor=settings.linkage_floor,
                threshold=threshold,
                model=model,
                confirmed=confirmed,
                rejected=rejected,
                progress=say,
            )
        say("saving results")
        n_clusters = int(result.clusters["cluster_id"].nunique()) if len(result.clusters) else 0
        with factory() as session, session.begin():
            _publish(session, run_id, result, n_records=len(df), n_clusters=n_clusters)
            record(
                session,
                actor=actor,
                action="linkage.run",
                entity_type="link_run",
                entity_id=run_id,
                after={
                    "engine": engine,
                    "threshold": threshold,
                    "model_version": result.version,
                    "records": len(df),
                    "pairs": len(result.pairs),
                    "clusters": n_clusters,
                },
            )
    except BaseException as exc:
        with factory() as session, session.begin():
            session.execute(
                update(LinkRun)
                .where(LinkRun.id == run_id)
                .values(status="failed", finished_at=utcnow(), error=str(exc)[:400] or repr(exc))
            )
        raise
    return RunSummary(
        run_id,
        result.version,
        engine,
        len(df),
        len(result.pairs),
        n_clusters,
        time.perf_counter() - began,
        model is None,
    )


FIELD_KINDS = ("given", "family", "km", "gkey", "fkey", "phon")


def backfill_name_keys(session: Session, table: Any) -> int:
    """Per-field name indexes for persons recorded before they existed (incremental
    matching finds candidates by them); computed from the names already decrypted."""
    from ctip.persons.models import PersonNameKey
    from ctip.persons.names import field_keys
    from ctip.security import keyring

    have = set(
        session.scalars(
            select(PersonNameKey.person_id).where(PersonNameKey.kind.in_(FIELD_KINDS)).distinct()
        )
    )
    ring = keyring()
    rows = []
    # Only the persons without keys are turned into Python rows (a whole registry's rows
    # were, on every run, to skip nearly all of them).
    missing = [i for i, pid in enumerate(table.column("person_id").to_pylist()) if pid not in have]
    if not missing:
        return 0
    todo = table.select(["person_id", "given_name", "family_name", "name_km"]).take(missing)
    for person in todo.to_pylist():
        for kind, form in field_keys(
            person["given_name"], person["family_name"], person["name_km"]
        ):
            rows.append(
                {
                    "person_id": person["person_id"],
                    "kind": kind,
                    "digest": ring.blind_index("name:" + kind, form),
                }
            )
    for start in range(0, len(rows), BATCH):
        session.execute(insert(cast(Table, PersonNameKey.__table__)), rows[start : start + BATCH])
    return len(rows)


def _decisions(session: Session) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    rows = session.execute(
        select(LinkDecision.person_id_l, LinkDecision.person_id_r, LinkDecision.decision)
    ).all()
    confirmed = [(a, b) for a, b, d in rows if d == "confirmed"]
    rejected = {(a, b) for a, b, d in rows if d == "rejected"}
    return confirmed, rejected


def _publish(
    session: Session, run_id: int, result: Result, *, n_records: int, n_clusters: int
) -> None:
    """Everything a run changes, in the caller's one transaction."""
    if session.scalar(select(LinkModel.id).where(LinkModel.version == result.version)) is None:
        session.add(
            LinkModel(
                version=result.version,
                trained_at=utcnow(),
                n_records=n_records,
                settings=json.dumps(result.model, default=str),
            )
        )
    pairs = [
        {
            "run_id": run_id,
            "person_id_l": int(a),
            "person_id_r": int(b),
            "match_probability": float(p),
            "match_weight": float(w),
            "evidence": json.dumps(e, ensure_ascii=False),
        }
        for a, b, p, w, e in zip(
            result.pairs["unique_id_l"],
            result.pairs["unique_id_r"],
            result.pairs["match_probability"],
            result.pairs["match_weight"],
            result.pairs["evidence"],
            strict=True,
        )
    ]
    clusters = [
        {"run_id": run_id, "person_id": int(p), "cluster_id": int(c)}
        for p, c in zip(result.clusters["unique_id"], result.clusters["cluster_id"], strict=True)
    ]
    # Core inserts of the tables (executemany): the ORM's bulk insert path spent more time
    # per row collecting insert commands than the database spent writing them.
    for table, rows in (
        (cast(Table, LinkPair.__table__), pairs),
        (cast(Table, PersonCluster.__table__), clusters),
    ):
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[start : start + BATCH])
    session.execute(update(LinkRun).where(LinkRun.is_current.is_(True)).values(is_current=False))
    session.execute(
        update(LinkRun)
        .where(LinkRun.id == run_id)
        .values(
            status="complete",
            is_current=True,
            finished_at=utcnow(),
            model_version=result.version,
            n_records=n_records,
            n_pairs=len(pairs),
            n_clusters=n_clusters,
        )
    )
    keep = list(
        session.scalars(
            select(LinkRun.id)
            .where(LinkRun.status == "complete")
            .order_by(LinkRun.id.desc())
            .limit(KEEP_RUNS)
        )
    )
    old = select(LinkRun.id).where(LinkRun.id.not_in(keep))
    session.execute(delete(LinkPair).where(LinkPair.run_id.in_(old)))
    session.execute(delete(PersonCluster).where(PersonCluster.run_id.in_(old)))


def status(session: Session) -> dict[str, Any]:
    """The last run and the current one, for ``ctip link status`` and the status page."""
    last = session.scalar(select(LinkRun).order_by(LinkRun.id.desc()).limit(1))
    current = session.scalar(
        select(LinkRun).where(LinkRun.is_current.is_(True)).order_by(LinkRun.id.desc()).limit(1)
    )
    return {"last": last, "current": current}

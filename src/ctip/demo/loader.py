"""Loading demo data into the registry: ``load(engine_or_session, cases=N, seed=S)``.

Idempotent per seed: each load is marked by one ``demo.load`` audit entry naming the seed and
the range of case numbers it wrote, so running the same command again writes nothing, and
asking for more cases of a loaded seed *tops it up* with the next cases of the same stream.
Refused in production (``CTIP_ENV=production``): demo users have a published password.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, column, func, insert, select, table, update
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.audit.service import record
from ctip.auth.scope import SYSTEM
from ctip.cases.models import Case, CaseSequence
from ctip.config import Settings
from ctip.demo import setup, truth
from ctip.demo.pipeline import Job, Producer
from ctip.demo.rows import Refs, State
from ctip.demo.writer import TABLES, writer_for
from ctip.errors import PermissionDenied
from ctip.security import keyring

CHUNK = 5_000
PARALLEL_FROM = 20_000
_MARK = re.compile(r"^seed=(-?\d+) range=(\d+)-(\d+)")


@dataclass
class LoadResult:
    """What a load did: cases written, the range, the truth file, users created."""

    seed: int
    requested: int
    written: int = 0
    first_case: int = 0
    skipped: str | None = None
    truth_file: Path | None = None
    users_created: list[str] = field(default_factory=list)


def refuse_in_production(settings: Settings) -> None:
    """Demo data and demo users never go into a production database."""
    if settings.is_production:
        raise PermissionDenied(
            "demo data and demo users are refused in production (CTIP_ENV=production)"
        )


def loaded_cases(session: Session, seed: int) -> int:
    """How many cases of ``seed``'s stream the database already holds (0 when none)."""
    stop = 0
    for detail in session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "demo.load")
    ):
        match = _MARK.match(detail or "")
        if match and int(match.group(1)) == seed:
            stop = max(stop, int(match.group(3)))
    return stop


@dataclass
class _Options:
    if_empty: bool = False
    progress: Callable[[int], None] | None = None
    parallel: bool | None = None
    chunk: int = CHUNK


def load(
    target: Engine | Session,
    *,
    cases: int,
    seed: int,
    settings: Settings | None = None,
    if_empty: bool = False,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> LoadResult:
    """Load ``cases`` demo cases of ``seed`` (an engine commits; a session is left to its owner).

    Values are encrypted with the active keyring (``ctip.security.set_keyring`` first); the
    ground truth goes to ``settings.data_dir`` (default settings: from the environment).
    ``if_empty`` loads only into a database without cases; ``progress`` is called with the
    number of cases written after each chunk; ``parallel`` makes rows in a helper process
    (default: for loads of 20,000 cases or more).
    """
    settings = settings or Settings()
    refuse_in_production(settings)
    options = _Options(if_empty, progress, parallel)
    was_collecting = gc.isenabled()
    gc.disable()  # millions of short-lived row tuples: the collector only costs time
    try:
        if isinstance(target, Engine):
            with Session(target) as session, session.begin():
                result, sink = _load(session, cases, seed, settings, options)
        else:
            result, sink = _load(target, cases, seed, settings, options)
    finally:
        if was_collecting:
            gc.enable()
    if sink is not None:
        sink.publish()
    if isinstance(target, Engine) and result.written:
        refresh_statistics(target)
    return result


def refresh_statistics(engine: Engine) -> None:
    """Let the query planner see the new row counts: SQLite picks poor plans for the case
    list and name search without them."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _load(
    session: Session, cases: int, seed: int, settings: Settings, options: _Options
) -> tuple[LoadResult, truth.TruthWriter | None]:
    result = LoadResult(seed, cases)
    if options.if_empty and session.scalar(select(Case.id).limit(1)) is not None:
        result.skipped = "the database already has cases"
        return result, None
    start = loaded_cases(session, seed)
    result.first_case = start
    result.users_created = setup.ensure_users_with_orgs(session)
    if start >= cases:
        result.skipped = f"{start} cases of seed {seed} are already loaded"
        return result, None
    path = truth.truth_path(settings.data_dir, seed)
    sink = truth.TruthWriter(path, append=start > 0)
    try:
        sink.write([{"record_type": "load", "seed": seed, "first_case": start, "stop_case": cases}])
        result.written = _write(session, seed, (start, cases), sink, path, options)
        record(
            session,
            actor=SYSTEM,
            action="demo.load",
            detail=f"seed={seed} range={start}-{cases}",
            after={"seed": seed, "first_case": start, "stop_case": cases},
        )
    except BaseException:
        sink.discard()
        raise
    result.truth_file = path
    return result, sink


def _write(
    session: Session,
    seed: int,
    span: tuple[int, int],
    sink: truth.TruthWriter,
    path: Path,
    options: _Options,
) -> int:
    orgs = setup.ensure_organisations(session)
    refs = Refs(orgs, setup.ensure_locations(session, orgs), setup.actor_ids(session))
    session.flush()
    start, stop = span
    state = State(
        _next_ids(session), _sequences(session), truth.registry(path) if start > 0 else {}
    )
    before = dict(state.sequences)
    big = stop - start >= PARALLEL_FROM
    writer = writer_for(session.connection())
    writer.prepare(bulk=big)
    ranges = [
        (first, min(stop, first + options.chunk)) for first in range(start, stop, options.chunk)
    ]
    parallel = options.parallel if options.parallel is not None else big
    producer = Producer(
        Job(seed, refs, state, keyring(), writer.formats), ranges, parallel=parallel
    )
    written = 0
    for chunk in producer:
        writer.write_all(chunk.rows)
        sink.write(chunk.truth)
        written += chunk.cases
        if options.progress is not None:
            options.progress(chunk.cases)
    _save_sequences(session, before, producer.state.sequences)
    writer.finish()
    return written


def _next_ids(session: Session) -> dict[str, int]:
    return {
        name: (session.scalar(select(func.max(column("id"))).select_from(table(name))) or 0) + 1
        for name in TABLES
    }


def _sequences(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(CaseSequence.province, CaseSequence.year, CaseSequence.last))
    return {(province, year): last for province, year, last in rows}


def _save_sequences(
    session: Session, before: dict[tuple[str, int], int], after: dict[tuple[str, int], int]
) -> None:
    """Advance ``case_sequences`` so the application numbers new cases after the demo's."""
    fresh = [
        {"province": p, "year": y, "last": n} for (p, y), n in after.items() if (p, y) not in before
    ]
    if fresh:
        session.execute(insert(CaseSequence), fresh)
    for (province, year), last in after.items():
        if (province, year) in before and before[(province, year)] != last:
            session.execute(
                update(CaseSequence)
                .where(CaseSequence.province == province, CaseSequence.year == year)
                .values(last=last)
            )

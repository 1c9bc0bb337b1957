"""Loading demo data into the registry: ``load(engine_or_session, cases=N, seed=S)``.

Idempotent per seed: a load commits in batches of :data:`BATCH` cases, each marked by one
``demo.load`` audit entry naming the seed and the range of case numbers it wrote, so running
the same command again writes nothing, asking for more cases of a loaded seed *tops it up*
with the next cases of the same stream, and a killed load resumes after its last committed
batch, ending with the same rows an uninterrupted load writes.
Refused in production (``CTIP_ENV=production``): demo users have a published password.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, column, func, insert, select, table, update
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.audit.service import record
from ctip.auth.scope import SYSTEM
from ctip.cases.models import Case, CaseSequence
from ctip.config import Settings
from ctip.db.dialect import dialect_for
from ctip.demo import setup, truth
from ctip.demo.pipeline import Job, Producer, start_helper
from ctip.demo.rows import Refs, State
from ctip.demo.writer import TABLES, writer_for
from ctip.errors import PermissionDenied
from ctip.security import keyring

CHUNK = 5_000
BATCH = 10_000  # cases per transaction: a whole number of chunks
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
    return max((mark.stop for mark in _marks(session) if mark.seed == seed), default=0)


@dataclass
class _Mark:
    """One ``demo.load`` entry: a committed batch of cases ``start`` ≤ i < ``stop``."""

    seed: int
    start: int
    stop: int
    after: dict[str, Any]

    @property
    def unfinished(self) -> bool:
        """The batch belongs to a load that stopped before its last batch."""
        return int(self.after.get("load_stop", self.stop)) > self.stop


def _marks(session: Session) -> list[_Mark]:
    marks = []
    for detail, changes in session.execute(
        select(AuditEntry.detail, AuditEntry.changes)
        .where(AuditEntry.action == "demo.load")
        .order_by(AuditEntry.id)
    ):
        match = _MARK.match(detail or "")
        if match:
            after = (json.loads(changes) if changes else {}).get("after") or {}
            marks.append(
                _Mark(int(match.group(1)), int(match.group(2)), int(match.group(3)), after)
            )
    return marks


@dataclass
class _Options:
    if_empty: bool = False
    progress: Callable[[int], None] | None = None
    parallel: bool | None = None
    chunk: int = CHUNK
    batch: int = BATCH
    helper: ProcessPoolExecutor | None = None  # the started helper process, when parallel


def load(
    target: Engine | Session,
    *,
    cases: int,
    seed: int,
    settings: Settings | None = None,
    if_empty: bool = False,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
    batch: int = BATCH,
) -> LoadResult:
    """Load ``cases`` demo cases of ``seed``.

    With an engine every ``batch`` cases commit; with a session the whole load stays in the
    owner's transaction. Reference numbers follow the opening dates within each chunk of
    5,000 cases (or of one batch, when smaller), so loads with the same batch size number
    alike, whether interrupted and resumed or not. Values are encrypted with the
    active keyring (``ctip.security.set_keyring`` first); the ground truth goes to
    ``settings.data_dir`` (default settings: from the environment). ``if_empty`` loads only
    into a database without cases, or resumes a killed load of the same seed and size;
    ``progress`` is called with the number of cases written after each chunk; ``parallel``
    makes rows in a helper process (default: for loads of 20,000 cases or more).
    """
    settings = settings or Settings()
    refuse_in_production(settings)
    if batch <= 0:
        raise ValueError("batch must be positive")
    options = _Options(if_empty, progress, parallel, chunk=min(CHUNK, batch), batch=batch)
    was_collecting = gc.isenabled()
    gc.disable()  # millions of short-lived row tuples: the collector only costs time
    try:
        if isinstance(target, Engine):
            with target.connect() as conn, Session(bind=conn) as session:
                result = _load(session, cases, seed, settings, options, commit=True)
        else:
            result = _load(target, cases, seed, settings, options, commit=False)
    finally:
        if was_collecting:
            gc.enable()
    if isinstance(target, Engine) and result.written:
        refresh_statistics(target, written=result.written)
    return result


TOP_UP_SHARE = 10  # a load adding under 1/10 of the cases already there keeps the statistics


def refresh_statistics(engine: Engine, written: int | None = None) -> None:
    """Let the query planner see the new row counts: SQLite picks poor plans for the case
    list and name search without them (PostgreSQL also vacuums: see the dialect). After a
    small top-up (``written`` cases, under a tenth of those already there) the statistics
    are kept: their proportions barely move, and ``ANALYZE`` reads every index (at 1,000,000
    cases adding 1,000 took 800 s, nearly all of it ``ANALYZE``)."""
    if written is not None:
        with engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(Case))
        if (total or 0) - written > written * TOP_UP_SHARE:
            return
    dialect_for(engine.dialect.name).renew_planner_statistics(engine)


def _load(
    session: Session, cases: int, seed: int, settings: Settings, options: _Options, commit: bool
) -> LoadResult:
    result = LoadResult(seed, cases)
    marks = _marks(session)
    mine = [m for m in marks if m.seed == seed]
    last = max(mine, key=lambda m: m.stop, default=None)
    resuming = last is not None and last.unfinished and int(last.after["load_stop"]) == cases
    if options.if_empty and not resuming and session.scalar(select(Case.id).limit(1)) is not None:
        result.skipped = "the database already has cases"
        return result
    start = last.stop if last is not None else 0
    result.first_case = start
    with ExitStack() as stack:
        if start < cases and _parallel(options, cases - start):  # starts during the set-up
            options.helper = stack.enter_context(start_helper())
        return _load_from(session, result, (start, cases), marks, settings, options, commit)


def _parallel(options: _Options, cases: int) -> bool:
    return options.parallel if options.parallel is not None else cases >= PARALLEL_FROM


def _load_from(
    session: Session,
    result: LoadResult,
    span: tuple[int, int],
    marks: list[_Mark],
    settings: Settings,
    options: _Options,
    commit: bool,
) -> LoadResult:
    (start, cases), seed = span, result.seed
    last = max((m for m in marks if m.seed == seed), key=lambda m: m.stop, default=None)
    result.users_created = setup.ensure_users_with_orgs(session)
    suspended = [sql for m in marks for sql in m.after.get("suspended_indexes", [])]
    if start >= cases:
        result.skipped = f"{start} cases of seed {seed} are already loaded"
        if suspended:  # a load killed after its last batch, before rebuilding its indexes
            writer_for(session.connection()).finish(suspended)
        if commit:
            session.commit()
        return result
    path = truth.truth_path(settings.data_dir, seed)
    keep = None
    if last is not None and path.exists():  # cut off what an uncommitted batch wrote
        keep = int(last.after.get("truth_bytes", path.stat().st_size))
    sink = truth.TruthWriter(path, keep=keep)
    try:
        result.written = _write(session, seed, (start, cases), sink, options, commit, suspended)
    except BaseException:
        sink.discard()
        raise
    sink.close()
    result.truth_file = path
    return result


def _write(
    session: Session,
    seed: int,
    span: tuple[int, int],
    sink: truth.TruthWriter,
    options: _Options,
    commit: bool,
    suspended: list[str],
) -> int:
    orgs = setup.ensure_organisations(session)
    refs = Refs(orgs, setup.ensure_locations(session, orgs), setup.actor_ids(session))
    session.flush()
    start, stop = span
    state = State(
        _next_ids(session), _sequences(session), truth.registry(sink.path) if start > 0 else {}
    )
    saved = dict(state.sequences)
    big = stop - start >= PARALLEL_FROM
    writer = writer_for(session.connection())
    writer.prepare(bulk=big)
    batches = [(a, min(stop, a + options.batch)) for a in range(start, stop, options.batch)]
    ranges = [
        (first, min(b, first + options.chunk))
        for a, b in batches
        for first in range(a, b, options.chunk)
    ]
    producer = Producer(
        Job(seed, refs, state, keyring(), writer.formats),
        ranges,
        parallel=options.helper is not None,
        helper=options.helper,
    )
    written = 0
    todo = iter(batches)
    first, end = next(todo)
    sink.write([{"record_type": "load", "seed": seed, "first_case": first, "stop_case": end}])
    for chunk in producer:
        writer.write_all(chunk.rows)
        sink.write(chunk.truth)
        written += chunk.cases
        if options.progress is not None:
            options.progress(chunk.cases)
        if chunk.stop < end:
            continue
        _save_sequences(session, saved, chunk.sequences)
        saved = dict(chunk.sequences)
        writer.batch_done()
        after: dict[str, Any] = {
            "seed": seed,
            "first_case": first,
            "stop_case": end,
            "load_stop": stop,
            "truth_bytes": sink.sync(),
        }
        if writer.suspended and first == start:  # dropped in this transaction
            after["suspended_indexes"] = writer.suspended
        record(
            session,
            actor=SYSTEM,
            action="demo.load",
            detail=f"seed={seed} range={first}-{end}",
            after=after,
        )
        if commit:
            session.commit()
            session.connection()  # the next batch's transaction, begun by the session
            sink.committed = after["truth_bytes"]
        following = next(todo, None)
        if following is not None:
            first, end = following
            sink.write(
                [{"record_type": "load", "seed": seed, "first_case": first, "stop_case": end}]
            )
    writer.finish(suspended)
    if commit:
        session.commit()
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

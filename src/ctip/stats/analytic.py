"""The analytic copy: the registry's plain columns the figures need, in a DuckDB file.

Why: DuckDB scanning the registry per report is slow at national scale; a columnar copy
answers the eight annual tables in about a second. What: only plain, unencrypted columns (no
name, note, address, summary or any ``Encrypted`` column is ever copied), in
``<data_dir>/stats/analytic.duckdb`` (directory 0700, file 0600), or in memory.

How it is kept fresh (before every report; ``ctip stats refresh`` does it on demand):
- a *full build* copies every table: through DuckDB's ``sqlite``/``postgres`` extension
  attached read-only (loaded by path from the installed wheels, never downloaded) in a short
  child process (the extension's own SQLite must not share a process with ours) when
  ``stats_copy_attach`` is on, else through the registry session;
- an *increment* reads through the registry session only the rows past each table's
  watermark (``id`` above the highest copied, or, for tables whose rows change, ``updated_at``
  at or after the latest copied less :data:`COMMIT_MARGIN`, by the indexes of migration
  ``0013_stats``) and replaces them in the copy; a table whose row count, highest id and
  latest change equal the copy's is not read at all (once the margin has passed). The
  registry's row counts come from its tallies, kept by triggers (``ctip.db.tallies``), and
  the highest id and latest change from the ends of their indexes: nothing is counted;
- a table whose row count then differs from the registry's (a case deleted by a retention
  purge, or a row committed late with a lower id) is reconciled by id: the copy drops the ids
  the registry no longer has and reads those it lacks (ids only, then the missing rows);
  the whole copy is rebuilt when it was built from another database, by an older layout, or
  is older than ``stats_copy_max_age_hours``.
Each report states when the copy was refreshed and how (its ``Freshness``).

Beside the copied tables the copy keeps :data:`DERIVED` tables, computed from them per case
(each case's first steps and latest activity from its events; each victim's plain figures
with their age on the case), so that a report reads one row per case or victim instead of
joining the largest tables again: a full build computes them anew; an increment recomputes
them for the cases its rows touched (a case, participant or event read or dropped, or a
person read: the cases they are a victim on), in the same transaction as the rows, so a
refresh that stops half-way leaves the copy as it was.

Processes share the file under an exclusive file lock held while a report refreshes and reads.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ctip.config import Settings
from ctip.db import models as _models  # noqa: F401  (every table in Base.metadata)
from ctip.db import tallies
from ctip.db.base import Base, utcnow
from ctip.db.dialect import dialect_for

log = logging.getLogger(__name__)

LAYOUT = 4  # bump when the copied columns change: old copies are rebuilt
Watermark = Literal["updated", "id"]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Copied:
    """One registry table in the copy: its plain columns (``name: duckdb type``)."""

    table: str
    columns: dict[str, str]
    watermark: Watermark

    @property
    def lists(self) -> list[str]:
        return [c for c, t in self.columns.items() if t == "VARCHAR[]"]


TABLES: tuple[Copied, ...] = (
    Copied(
        "cases",
        {
            "id": "BIGINT",
            "province": "VARCHAR",
            "opened_on": "DATE",
            "exploitation_types": "VARCHAR[]",
            "forced_labour_subtype": "VARCHAR",
            "industry": "VARCHAR",
            "status": "VARCHAR",
            "status_changed_on": "DATE",
            "reporting_org_id": "BIGINT",
            "updated_at": "TIMESTAMP",
        },
        "updated",
    ),
    Copied(
        "case_persons",
        {
            "id": "BIGINT",
            "case_id": "BIGINT",
            "person_id": "BIGINT",
            "role": "VARCHAR",
            "trafficking_status": "VARCHAR",
            "status_decided_by": "VARCHAR",
            "methods_of_control": "VARCHAR[]",
            "recruitment_method": "VARCHAR",
            "recruitment_apps": "VARCHAR[]",
            "custody_status": "VARCHAR",
            "arrested_on": "DATE",
            "updated_at": "TIMESTAMP",
        },
        "updated",
    ),
    Copied(
        "persons",
        {
            "id": "BIGINT",
            "gender": "VARCHAR",
            "date_of_birth": "DATE",
            "estimated_age": "INTEGER",
            "age_estimated_on": "DATE",
            "nationalities": "VARCHAR[]",
            "updated_at": "TIMESTAMP",
        },
        "updated",
    ),
    Copied(
        "case_events",
        {
            "id": "BIGINT",
            "case_id": "BIGINT",
            "event_type": "VARCHAR",
            "occurred_on": "DATE",
            "location_id": "BIGINT",
            "person_id": "BIGINT",
            "to_status": "VARCHAR",
        },
        "id",
    ),
    Copied(
        "locations",
        {"id": "BIGINT", "country": "VARCHAR", "province": "VARCHAR", "border_crossing": "VARCHAR"},
        "id",
    ),
    Copied(
        "referrals",
        {
            "id": "BIGINT",
            "case_id": "BIGINT",
            "person_id": "BIGINT",
            "service": "VARCHAR",
            "referred_on": "DATE",
            "status": "VARCHAR",
            "updated_at": "TIMESTAMP",
        },
        "updated",
    ),
    Copied(
        "screenings",
        {
            "id": "BIGINT",
            "case_id": "BIGINT",
            "person_id": "BIGINT",
            "screened_on": "DATE",
            "result": "VARCHAR",
        },
        "id",
    ),
    Copied(
        "non_punishment_flags",
        {
            "id": "BIGINT",
            "person_id": "BIGINT",
            "status": "VARCHAR",
            "raised_on": "DATE",
            "decided_on": "DATE",
            "updated_at": "TIMESTAMP",
        },
        "updated",
    ),
)


AGE_ON_CASE = """CASE
      WHEN p.date_of_birth IS NOT NULL THEN
        date_part('year', age(CAST(c.opened_on AS TIMESTAMP), CAST(p.date_of_birth AS TIMESTAMP)))
      WHEN p.estimated_age IS NOT NULL THEN
        p.estimated_age + coalesce(date_diff('day', p.age_estimated_on, c.opened_on) // 365, 0)
    END"""


@dataclass(frozen=True)
class Derived:
    """A table the copy computes from its copied tables, one or more rows per case (column
    ``case_id``): ``sql`` selects the rows of the cases its conditions admit — ``{e}``,
    ``{c}``, ``{cp}`` and ``{p}`` on the events, cases, participants and persons read,
    each ``TRUE`` for a full build (see :data:`TOUCHED_ONLY`)."""

    table: str
    sql: str


# The conditions of an increment: only the rows of the touched cases are read from each
# table (a condition on the joined cases alone would still scan every participant and
# person, and cost seconds at 1,000,000 cases).
TOUCHED_ONLY = {
    "e": "e.case_id IN (SELECT id FROM _touched)",
    "c": "c.id IN (SELECT id FROM _touched)",
    "cp": "cp.case_id IN (SELECT id FROM _touched)",
    "p": "p.id IN (SELECT person_id FROM case_persons WHERE role = 'victim' "
    "AND case_id IN (SELECT id FROM _touched))",
}
EVERYTHING = dict.fromkeys(TOUCHED_ONLY, "TRUE")
STEP = "e.event_type IN ('intervention', 'status_change') AND e.to_status"
DERIVED: tuple[Derived, ...] = (
    Derived(
        "case_timeline",
        f"""SELECT e.case_id,
      min(e.occurred_on) FILTER (WHERE e.event_type = 'intervention') AS intervention_on,
      min(e.occurred_on) FILTER (WHERE {STEP} = 'charged') AS charged_on,
      min(e.occurred_on) FILTER (WHERE {STEP} = 'at_trial') AS trial_on,
      min(e.occurred_on) FILTER (WHERE {STEP} = 'convicted') AS convicted_on,
      min(e.occurred_on) FILTER (WHERE {STEP} = 'acquitted') AS acquitted_on,
      min(e.occurred_on) FILTER (WHERE {STEP} IN ('convicted', 'acquitted', 'dismissed'))
        AS verdict_on,
      max(e.occurred_on) AS last_on,
      arg_max(e.to_status, e.id) FILTER (WHERE e.event_type = 'status_change') AS last_status
    FROM case_events e WHERE {{e}} GROUP BY e.case_id""",
    ),
    Derived(
        "victim_rows",
        f"""SELECT c.id AS case_id, cp.person_id, p.gender, p.nationalities,
      cp.trafficking_status, cp.status_decided_by, cp.methods_of_control,
      cp.recruitment_method, cp.recruitment_apps, {AGE_ON_CASE} AS age
    FROM (SELECT * FROM cases c WHERE {{c}}) c
    JOIN (SELECT * FROM case_persons cp WHERE cp.role = 'victim' AND {{cp}}) cp
      ON cp.case_id = c.id
    JOIN (SELECT * FROM persons p WHERE {{p}}) p ON p.id = cp.person_id""",
    ),
)
# Copied tables whose rows decide derived rows: the column naming the case (``persons``:
# the person, whose cases as a victim are found through ``case_persons``; only victims'
# person rows are derived, and a broker on thousands of cases would touch them all).
TOUCHES: dict[str, tuple[str, str]] = {
    "cases": ("_touched_cases", "id"),
    "case_persons": ("_touched_cases", "case_id"),
    "case_events": ("_touched_cases", "case_id"),
    "persons": ("_touched_persons", "id"),
}


@dataclass(frozen=True)
class RefreshResult:
    refreshed_at: datetime
    loader: str
    rebuilt: bool
    rows: int
    seconds: float
    person_basis: Literal["records", "linkage"]


def copy_path(settings: Settings) -> Path | None:
    """Where the copy lives (``None``: in memory)."""
    if settings.stats_copy_path == ":memory:":
        return None
    return (
        Path(settings.stats_copy_path)
        if settings.stats_copy_path
        else (settings.data_dir / "stats" / "analytic.duckdb")
    )


@contextmanager
def open_copy(
    settings: Settings, session: Session | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the analytic copy, held under the copy's exclusive file lock.

    With ``session`` (and ``stats_copy_attach`` on, the copy in a file), a copy that needs a
    full build is built before the connection opens: the child process writes the new copy
    file itself, which then replaces the old one (one copy of the data, not a build file the
    parent copies again); :func:`refresh` then reports that build.

    DuckDB never installs or downloads an extension from here on (``autoinstall`` and
    ``autoload`` off); extensions are loaded by path in :func:`refresh`.
    """
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    path = copy_path(settings)
    if path is None:
        conn = duckdb.connect(":memory:", config=config)
        try:
            yield conn
        finally:
            conn.close()
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    with open(path.parent / "analytic.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if session is not None and settings.stats_copy_attach:
            _build_in_place(path, session, settings, config)
        conn = duckdb.connect(str(path), config=config)
        try:
            os.chmod(path, 0o600)
            yield conn
        finally:
            conn.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


def refresh(
    conn: duckdb.DuckDBPyConnection,
    *,
    session: Session,
    settings: Settings,
    progress: Progress | None = None,
    full: bool = False,
) -> RefreshResult:
    """Bring the copy up to date with the registry the session reads (see module doc)."""
    began = time.perf_counter()
    note = progress or (lambda _step: None)
    source = _source_id(session)
    rebuild = full or _needs_rebuild(conn, source, settings)
    loader = "session"
    rows = 0
    built_in_place = not full and _take_build_mark(conn)
    if built_in_place or rebuild:
        # Until the derived tables and ``_meta`` are written, the copy needs a full build.
        conn.execute("DROP TABLE IF EXISTS _meta")
    if built_in_place:
        rebuild, loader = True, "attach"
    elif rebuild:
        loader = _full_build(conn, session, settings, note)
    if rebuild:
        _verify_tallies(session)
        rows = sum(_count(conn, t.table) for t in TABLES)
        note("derive")
        _derive(conn, touched=False)
        basis, refreshed = _finish(conn, session, source, rebuild)
    else:
        conn.execute("BEGIN TRANSACTION")
        try:
            _start_touching(conn)
            settled = _settled(conn)
            counts = _registry_counts(session)
            for spec in TABLES:
                note(f"refresh {spec.table}")
                copied = _marks(conn, spec)
                registry = _registry_marks(session, spec, counts.get(spec.table))
                if copied == registry and settled(copied[2]):
                    continue  # same rows, same highest id, same latest change: nothing to read
                rows += _increment(conn, session, spec, copied)
                if _count(conn, spec.table) != registry[0]:
                    rows += _reconcile(conn, session, spec)
            note("derive")
            _derive(conn, touched=True)
            basis, refreshed = _finish(conn, session, source, rebuild)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return RefreshResult(refreshed, loader, rebuild, rows, time.perf_counter() - began, basis)


def _finish(
    conn: duckdb.DuckDBPyConnection, session: Session, source: str, rebuilt: bool
) -> tuple[Literal["records", "linkage"], datetime]:
    """Load the resolved persons and write ``_meta`` (the copy is then whole); the person
    basis and the time written as refreshed."""
    basis = _load_clusters(conn, session)
    now = utcnow()
    conn.execute(
        "CREATE OR REPLACE TABLE _meta AS SELECT ? AS source, ? AS layout, ? AS refreshed_at,"
        " ? AS built_at",
        [source, LAYOUT, now, now if rebuilt else _built_at(conn) or now],
    )
    return basis, now


# -- derived tables --------------------------------------------------------------------------


def _start_touching(conn: duckdb.DuckDBPyConnection) -> None:
    """Empty lists of the cases and persons whose rows an increment reads or drops."""
    for name in sorted({target for target, _ in TOUCHES.values()}):
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} (id BIGINT)")


def _touch(
    conn: duckdb.DuckDBPyConnection, spec: Copied, rows: str, *, batch: bool = False
) -> None:
    """Note the cases (or persons) of the rows of ``spec``'s copy table that the condition
    ``rows`` selects, before they are replaced or dropped, and with ``batch`` those of the
    rows about to come in (``_batch``)."""
    touched = TOUCHES.get(spec.table)
    if touched is None:
        return
    target, column = touched
    conn.execute(f"INSERT INTO {target} SELECT {column} FROM {spec.table} WHERE {rows}")
    if batch:
        conn.execute(f"INSERT INTO {target} SELECT {column} FROM _batch")


def _derive(conn: duckdb.DuckDBPyConnection, *, touched: bool) -> None:
    """Compute the derived tables: anew (a full build, or one of them missing), or for the
    cases the increment touched."""
    present = {
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary"
        ).fetchall()
    }
    if not touched or any(d.table not in present for d in DERIVED):
        for derived in DERIVED:
            sql = derived.sql.format(**EVERYTHING)
            conn.execute(f"CREATE OR REPLACE TABLE {derived.table} AS {sql}")
        return
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _touched AS SELECT id FROM _touched_cases UNION "
        "SELECT case_id FROM case_persons WHERE role = 'victim' "
        "AND person_id IN (SELECT id FROM _touched_persons)"
    )
    if _count(conn, "_touched") == 0:
        return
    for derived in DERIVED:
        conn.execute(f"DELETE FROM {derived.table} WHERE case_id IN (SELECT id FROM _touched)")
        sql = derived.sql.format(**TOUCHED_ONLY)
        conn.execute(f"INSERT INTO {derived.table} {sql}")


# -- full builds -----------------------------------------------------------------------------


def _full_build(
    conn: duckdb.DuckDBPyConnection, session: Session, settings: Settings, note: Progress
) -> str:
    if settings.stats_copy_attach:
        note("copy registry")
        statements = _attach_statements(session, settings)
        if statements is not None and _adopt(conn, settings, statements):
            return "attach"
    for spec in TABLES:
        note(f"copy {spec.table}")
        _rebuild_one(conn, session, spec)
    return "session"


# DuckDB's extensions carry their own SQLite library. Two copies of SQLite in one process
# break each other's POSIX locks on the same file (closing one's descriptor drops the other's
# locks: https://www.sqlite.org/howtocorrupt.html, "multiple copies of SQLite"), so the
# registry is attached in a short child process that writes a build file, never in-process.
_CHILD = (
    "import duckdb, json, sys\n"
    "job = json.load(sys.stdin)\n"
    "conn = duckdb.connect(job['path'], config={'autoinstall_known_extensions': False, "
    "'autoload_known_extensions': False})\n"
    "for statement in job['sql']:\n"
    "    conn.execute(statement)\n"
    "conn.close()\n"
)


def _attach_statements(session: Session, settings: Settings) -> list[str] | None:
    """The child's SQL: load the offline extension by path, attach the registry read-only,
    copy each table's plain columns; ``None`` when the extension is not installed."""
    engine = session.connection().engine
    dialect = dialect_for(engine.dialect.name)
    try:
        extension = dialect.extension_file(settings.data_dir / "stats" / "extensions")
        attach = dialect.duckdb_attach(engine.url, "registry")
    except (LookupError, NotImplementedError):
        return None
    sql = [f"LOAD '{extension.as_posix()}'", attach]
    for spec in TABLES:
        columns = ", ".join(f"{name} {kind}" for name, kind in spec.columns.items())
        sql.append(f"CREATE TABLE {spec.table} ({columns})")
        sql.append(
            f"INSERT INTO {spec.table} SELECT {_select_list(session, spec)} "
            f"FROM registry.{spec.table}"
        )
    sql.append("DETACH registry")
    return sql


def _adopt(conn: duckdb.DuckDBPyConnection, settings: Settings, statements: list[str]) -> bool:
    """Run the child, then take its tables into the copy; False when the child failed."""
    folder = settings.data_dir / "stats"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    build = folder / f"build-{os.getpid()}-{time.monotonic_ns()}.duckdb"
    job = json.dumps({"path": str(build), "sql": statements})
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD],
            input=job,
            text=True,
            capture_output=True,
            timeout=3600,
            check=False,
        )
        if done.returncode != 0 or not build.exists():
            return False
        os.chmod(build, 0o600)
        conn.execute(f"ATTACH '{build.as_posix()}' AS build (READ_ONLY)")
        try:
            for spec in TABLES:
                conn.execute(
                    f"CREATE OR REPLACE TABLE {spec.table} AS SELECT * FROM build.{spec.table}"
                )
        finally:
            conn.execute("DETACH build")
        return True
    finally:
        for leftover in (build, build.with_suffix(".duckdb.wal")):
            leftover.unlink(missing_ok=True)


BUILD_MARK = "_built_in_place"


def _build_in_place(
    path: Path, session: Session, settings: Settings, config: dict[str, Any]
) -> None:
    """When the copy at ``path`` needs a full build, let the child write a whole new copy
    (tables, ``_meta`` and a mark that :func:`refresh` takes) and move it over the old one.
    Called under the copy's lock, with no connection open; on any failure the old copy stays
    and :func:`refresh` builds as before."""
    source = _source_id(session)
    if path.exists():
        conn = duckdb.connect(str(path), config=config)
        try:
            if not _needs_rebuild(conn, source, settings):
                return
        finally:
            conn.close()
    statements = _attach_statements(session, settings)
    if statements is None:
        return
    now = utcnow().replace(tzinfo=None).isoformat(sep=" ")
    statements += [
        f"CREATE TABLE _meta AS SELECT '{source}' AS source, {LAYOUT} AS layout, "
        f"TIMESTAMP '{now}' AS refreshed_at, TIMESTAMP '{now}' AS built_at",
        f"CREATE TABLE {BUILD_MARK} AS SELECT 1 AS built",
        "CHECKPOINT",
    ]
    build = _run_child(path.parent, statements)
    if build is None:
        return
    path.with_suffix(".duckdb.wal").unlink(missing_ok=True)  # never replay onto the new file
    os.replace(build, path)


def _take_build_mark(conn: duckdb.DuckDBPyConnection) -> bool:
    """True once after :func:`_build_in_place` wrote this copy (the mark is dropped)."""
    try:
        conn.execute(f"DROP TABLE {BUILD_MARK}")
    except duckdb.CatalogException:
        return False
    return True


def _run_child(folder: Path, statements: list[str]) -> Path | None:
    """The child writes a DuckDB file in ``folder`` from ``statements``; its path, or
    ``None`` when the child failed."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    build = folder / f"build-{os.getpid()}-{time.monotonic_ns()}.duckdb"
    job = json.dumps({"path": str(build), "sql": statements})
    done = subprocess.run(
        [sys.executable, "-I", "-c", _CHILD],
        input=job,
        text=True,
        capture_output=True,
        timeout=3600,
        check=False,
    )
    build.with_suffix(".duckdb.wal").unlink(missing_ok=True)
    if done.returncode != 0 or not build.exists():
        build.unlink(missing_ok=True)
        return None
    os.chmod(build, 0o600)
    return build


def _select_list(session: Session, spec: Copied) -> str:
    dialect = dialect_for(session.get_bind().dialect.name)
    parts = []
    for column, kind in spec.columns.items():
        if kind == "VARCHAR[]":
            parts.append(dialect.duckdb_list(column))
        else:
            parts.append(f"CAST({column} AS {kind})")
    return ", ".join(parts)


def _create(conn: duckdb.DuckDBPyConnection, spec: Copied) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in spec.columns.items())
    conn.execute(f"CREATE OR REPLACE TABLE {spec.table} ({columns})")


def _rebuild_one(conn: duckdb.DuckDBPyConnection, session: Session, spec: Copied) -> None:
    _create(conn, spec)
    _insert_rows(conn, session, spec, None)


# -- increments ------------------------------------------------------------------------------


Marks = tuple[int, int | None, Any]


def _marks(conn: duckdb.DuckDBPyConnection, spec: Copied) -> Marks:
    """Row count, highest id and latest ``updated_at`` of a table in the copy."""
    latest = "max(updated_at)" if spec.watermark == "updated" else "NULL"
    row = conn.execute(f"SELECT count(*), max(id), {latest} FROM {spec.table}").fetchone()
    return (int(row[0]), row[1], row[2]) if row else (0, None, None)


def _registry_counts(session: Session) -> dict[str, int]:
    """The registry's row counts from its tallies (``ctip.db.tallies``), folding them when a
    table has more than one tally row."""
    counts, rows = tallies.read(session)
    if rows > len(counts):
        tallies.compact(session)
    return counts


def _verify_tallies(session: Session) -> None:
    """At a full build, check the tallies the increments trust and rewrite any found wrong
    (``ctip.db.tallies.verify``); a failure to check leaves them to the next full build."""
    try:
        tallies.verify(tallies.engine_of(session))
    except SQLAlchemyError as exc:
        log.warning("row tallies not verified: %s", exc)


def _registry_marks(session: Session, spec: Copied, count: int | None) -> Marks:
    """The same marks of the registry's table: the row count from its tally (counted when
    it has none), the highest id and latest change from their indexes."""
    table = Base.metadata.tables[spec.table]
    # One scalar subquery per aggregate: SQLite reads a lone max() from the index's end, but
    # scans the table for two aggregates in one SELECT.
    wanted: list[Any] = [func.max(table.c.id)]
    if spec.watermark == "updated":
        wanted.append(func.max(table.c.updated_at))
    if count is None:
        wanted.append(func.count())
    row = session.execute(select(*(select(w).scalar_subquery() for w in wanted))).one()
    latest = row[1] if spec.watermark == "updated" else None
    return (int(row[-1]) if count is None else count, row[0], latest)


# ``updated_at`` is the time a row was flushed, not committed: a transaction that commits
# after a refresh can bring rows older than the latest change that refresh copied. Each
# increment therefore re-reads this much before the latest change copied (rows read twice are
# replaced, never doubled); a transaction open longer than this is caught by the row count
# (inserts) or by the next full build (``stats_copy_max_age_hours``).
COMMIT_MARGIN = timedelta(minutes=5)


def _settled(conn: duckdb.DuckDBPyConnection) -> Callable[[Any], bool]:
    """Whether a table whose latest copied change is ``latest`` may be skipped when its marks
    equal the registry's: the last refresh came more than the margin after that change, so no
    transaction still open then can have written within the margin."""
    try:
        row = conn.execute("SELECT refreshed_at FROM _meta").fetchone()
    except duckdb.CatalogException:
        row = None
    refreshed = row[0] if row else None

    def settled(latest: Any) -> bool:
        if latest is None or refreshed is None:
            return latest is None
        return bool(refreshed - latest > COMMIT_MARGIN)

    return settled


def _increment(
    conn: duckdb.DuckDBPyConnection, session: Session, spec: Copied, marks: Marks
) -> int:
    """Read the rows past the copy's watermarks (new ids, or changed at or after the latest
    change copied less the commit margin) and replace them in the copy."""
    table = Base.metadata.tables[spec.table]
    _, max_id, max_updated = marks
    condition = table.c.id > (max_id or 0)
    if spec.watermark == "updated" and max_updated is not None:
        condition = or_(condition, table.c.updated_at >= max_updated - COMMIT_MARGIN)
    return _insert_rows(conn, session, spec, condition)


RECONCILE_CHUNK = 500  # ids per IN list when reading the rows the copy lacks


def _reconcile(conn: duckdb.DuckDBPyConnection, session: Session, spec: Copied) -> int:
    """Give the copy's table the registry's ids: drop the rows deleted there, read the rows it
    lacks (committed after a refresh with an id below the highest copied). Reads the ids
    only, then the missing rows; returns the rows read."""
    table = Base.metadata.tables[spec.table]
    ids = session.scalars(select(table.c.id)).all()
    conn.register("_ids", pa.table({"id": pa.array(ids, type=pa.int64())}))
    try:
        gone = "id NOT IN (SELECT id FROM _ids)"
        _touch(conn, spec, gone)
        conn.execute(f"DELETE FROM {spec.table} WHERE {gone}")
        missing = [
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM _ids EXCEPT SELECT id FROM {spec.table} ORDER BY 1"
            ).fetchall()
        ]
    finally:
        conn.unregister("_ids")
    read = 0
    for at in range(0, len(missing), RECONCILE_CHUNK):
        chunk = missing[at : at + RECONCILE_CHUNK]
        read += _insert_rows(conn, session, spec, table.c.id.in_(chunk))
    return read


def _insert_rows(
    conn: duckdb.DuckDBPyConnection, session: Session, spec: Copied, condition: Any
) -> int:
    """Read ``spec``'s plain columns through the session (rows matching ``condition``, or all)
    and put them in the copy, replacing rows of the same id."""
    table = Base.metadata.tables[spec.table]
    query = select(*(table.c[name] for name in spec.columns))
    if condition is not None:
        query = query.where(condition)
    total = 0
    result = session.execute(query.execution_options(yield_per=50_000))
    for chunk in result.partitions():
        batch = _arrow(spec, chunk)
        conn.register("_batch", batch)
        if condition is not None:
            replaced = "id IN (SELECT id FROM _batch)"
            _touch(conn, spec, replaced, batch=True)
            conn.execute(f"DELETE FROM {spec.table} WHERE {replaced}")
        conn.execute(f"INSERT INTO {spec.table} SELECT * FROM _batch")
        conn.unregister("_batch")
        total += len(chunk)
    return total


def _arrow(spec: Copied, rows: Any) -> pa.Table:
    names = list(spec.columns)
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    types = {
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    arrays = [
        pa.array(list(values), type=types[spec.columns[name]])
        for name, values in zip(names, columns, strict=True)
    ]
    return pa.Table.from_arrays(arrays, names=names)


# -- bookkeeping -----------------------------------------------------------------------------


def _source_id(session: Session) -> str:
    url = session.connection().engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _needs_rebuild(conn: duckdb.DuckDBPyConnection, source: str, settings: Settings) -> bool:
    try:
        row = conn.execute("SELECT source, layout, built_at FROM _meta").fetchone()
    except duckdb.CatalogException:
        return True
    if row is None or row[0] != source or row[1] != LAYOUT:
        return True
    max_age = timedelta(hours=settings.stats_copy_max_age_hours)
    return bool(settings.stats_copy_max_age_hours) and utcnow() - row[2] > max_age


def _built_at(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    row = conn.execute("SELECT built_at FROM _meta").fetchone()
    return row[0] if row else None


def _count(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _linkage_service(session: Session) -> Any:
    """The linkage service when a linkage run has stored clusters (its import is heavy, so it
    is skipped while the clusters table is empty or missing)."""
    clusters = Base.metadata.tables.get("person_clusters")
    if clusters is None:
        return None
    try:
        with session.begin_nested():
            if session.execute(select(clusters.c.person_id).limit(1)).first() is None:
                return None
        from ctip.linkage import service
    except Exception:  # a linkage part still under construction must not stop the figures
        return None
    return service


def _load_clusters(
    conn: duckdb.DuckDBPyConnection, session: Session
) -> Literal["records", "linkage"]:
    """Person → resolved person of the latest linkage run, when the linkage part has one."""
    clusters: dict[int, int] = {}
    linkage = _linkage_service(session)
    if linkage is not None and hasattr(linkage, "resolved_person_ids"):
        try:
            with session.begin_nested():
                clusters = linkage.resolved_person_ids(session=session)
        except Exception:  # a linkage part still under construction must not stop the figures
            clusters = {}
    batch = pa.table(
        {
            "person_id": pa.array(list(clusters), type=pa.int64()),
            "cluster_id": pa.array(list(clusters.values()), type=pa.int64()),
        }
    )
    conn.register("_clusters", batch)
    conn.execute("CREATE OR REPLACE TABLE person_clusters AS SELECT * FROM _clusters")
    conn.unregister("_clusters")
    return "linkage" if clusters else "records"


def age_seconds(conn: duckdb.DuckDBPyConnection) -> float:
    """Seconds since the copy was last refreshed (infinite when it was never built)."""
    try:
        row = conn.execute("SELECT refreshed_at FROM _meta").fetchone()
    except duckdb.CatalogException:
        return float("inf")
    return (utcnow() - row[0]).total_seconds() if row else float("inf")

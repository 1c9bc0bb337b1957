"""Writing and reading the audit trail."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from ctip.audit.chain import entry_mac, seal
from ctip.audit.events import AUDIT_ACTIONS
from ctip.audit.models import AuditEntry
from ctip.auth.scope import Actor, require_role
from ctip.db.base import utcnow

log = logging.getLogger(__name__)

# Session.info key: when present, ``record`` collects entries here instead of adding them
# (read-only web requests on SQLite; see ctip.web.deps.get_session).
DEFERRED = "ctip_deferred_audit"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: object, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-ready values (for before/after)."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


@dataclass(slots=True)
class PlainEntry:
    """An audit entry collected for a batch, with ``AuditEntry``'s columns but no ORM
    state; ``write_entries`` inserts it as a row like any entry without changes."""

    at: datetime
    nonce: str
    actor_id: int | None
    actor_name: str
    address: str | None
    action: str
    entity_type: str | None
    entity_id: int | None
    changes: str | None
    detail: str | None
    mac: str | None = None


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str | None = None,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
) -> AuditEntry | PlainEntry:
    """Append one audit entry in the caller's transaction (it commits or rolls back with it)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"undocumented audit action {action!r}")
    changes = None
    if before is not None or after is not None:
        changes = json.dumps({"before": before, "after": after}, ensure_ascii=False, sort_keys=True)
    deferred = session.info.get(DEFERRED)
    # A collected read without changes stays a plain record until its batched INSERT:
    # building an ORM instance cost more than its keyed hash (8 entries on a case page).
    entry: AuditEntry | PlainEntry = (
        PlainEntry if deferred is not None and changes is None else AuditEntry
    )(
        at=utcnow(),  # set here, not by a column default: the keyed hash covers it
        nonce=secrets.token_hex(16),
        actor_id=actor.id,
        actor_name=actor.username,
        address=actor.address,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes=changes,
        detail=(detail or "")[:300] or None,
    )
    entry.mac = entry_mac(entry)
    if deferred is not None:
        deferred.append(entry)
    else:
        session.add(entry)
        if _seal_due():
            event.listen(session, "after_commit", _seal_after_commit, once=True)
    return entry


# The columns an entry is written with in a batch (the id comes from the table's counter).
_TABLE = cast(Table, AuditEntry.__table__)
_BATCH_COLUMNS = tuple(c.key for c in _TABLE.columns if c.key != "id")


def write_entries(session: Session, entries: list[AuditEntry | PlainEntry]) -> None:
    """Write collected audit entries in the caller's transaction, in the order recorded.

    Entries without ``changes`` (nearly every read) go in as one multi-row INSERT; the few
    with an encrypted ``changes`` value go through the ORM, whose flush binds the ciphertext
    to its row. Each entry's keyed hash was set by ``record`` and does not cover the id, so
    the seals and ``ctip audit verify`` see exactly what one INSERT per entry gave."""
    plain = [e for e in entries if e.changes is None]
    if plain:
        rows = [{key: getattr(e, key) for key in _BATCH_COLUMNS} for e in plain]
        session.connection().execute(_TABLE.insert(), rows)  # Core: no ORM execute path
    session.add_all(e for e in entries if isinstance(e, AuditEntry) and e.changes is not None)
    session.flush()


def write_collected(session: Session) -> None:
    """Write the entries ``record`` collected in this session (one batch, in its own
    transaction) and seal soon after the commit; nothing when none were collected."""
    entries = session.info.pop(DEFERRED, None)
    if not entries:
        return
    write_entries(session, entries)
    if _seal_due():
        event.listen(session, "after_commit", _seal_after_commit, once=True)


def write_deferred(factory: sessionmaker[Session], entries: list[AuditEntry | PlainEntry]) -> None:
    """Write audit entries a read-only request collected, in one short transaction."""
    with factory() as session, session.begin():
        write_entries(session, entries)
    if _seal_due():
        with factory() as session:
            maybe_seal(session.get_bind())


# Opportunistic sealing: at most once every SEAL_EVERY seconds per process, after a commit,
# in its own short transaction, giving up at once when another process is sealing.
# CTIP_AUDIT_SEAL_SECONDS sets it (``set_seal_interval``, called by the app factory and the CLI).
SEAL_EVERY = 30.0
_seal_lock = threading.Lock()
_next_seal = 0.0


def set_seal_interval(seconds: float) -> None:
    """Seal opportunistically at most once every ``seconds`` in this process (from the next
    seal on)."""
    global SEAL_EVERY
    with _seal_lock:
        SEAL_EVERY = seconds


def _seal_due() -> bool:
    global _next_seal
    now = time.monotonic()
    with _seal_lock:
        if now < _next_seal:
            return False
        _next_seal = now + SEAL_EVERY
        return True


def _seal_after_commit(session: Session) -> None:
    maybe_seal(session.get_bind())


def maybe_seal(bind: Engine | Connection) -> int:
    """Seal what is pending, cheaply; never raises (the trail is sealed again later).
    Sessions bound to a connection (someone else's transaction, as in tests) are skipped."""
    if not isinstance(bind, Engine):
        return 0
    try:
        with bind.connect() as conn, _no_busy_wait(conn):
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with Session(bind=conn) as session, session.begin():
                return seal(session, wait=False, limit=5000)
    except Exception as exc:  # locked by another writer, or any fault: sealed next time
        log.info("opportunistic audit sealing skipped: %s", exc)
        return 0


@contextmanager
def _no_busy_wait(conn: Connection) -> Iterator[None]:
    """On SQLite, fail at once instead of waiting out the busy timeout when another
    connection holds the write lock (an import's long transaction, say): the opportunistic
    seal must never stall the request or command that triggered it."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    previous = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout = {previous}")


def browse(
    session: Session,
    *,
    actor: Actor,
    action: str | None = None,
    actor_name: str | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[AuditEntry], int]:
    """Filter the audit log (admins only), newest first; the browse itself is audited."""
    require_role(actor, "admin")
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_name:
        query = query.where(AuditEntry.actor_name == actor_name)
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ).all()
    record(
        session,
        actor=actor,
        action="audit.read",
        detail=f"action={action or ''} actor={actor_name or ''} entity={entity_type or ''}",
    )
    return list(rows), total

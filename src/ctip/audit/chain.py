"""Tamper evidence for the audit trail: keyed entry hashes, chained seals, verification.

Design (docs/audit.md, "Tamper evidence"):

* ``record`` gives every entry a random ``nonce`` and ``mac`` = HMAC-SHA256 under the *audit
  key* of the entry's canonical plaintext (time, actor, address, action, record, decrypted
  changes, detail, nonce). Writing an entry takes no shared lock: audited reads on PostgreSQL
  do not queue behind each other.
* Sealing (``seal``) takes committed entries not yet sealed, in id order, in batches, and
  appends one ``audit_seals`` row per batch: the ids and macs of its entries and an HMAC over
  the previous seal's mac and that list. Sealers exclude each other (PostgreSQL advisory lock;
  SQLite's write lock) and the unique ``prev_id`` refuses a fork.
* ``verify`` recomputes everything and names the first bad entry: an edited entry (its mac
  fails), one inserted without the key (no valid mac), a copied entry (a repeated nonce), a
  deleted one (listed by a seal, gone), reordered ones (a seal lists another mac for the id),
  a truncated table (every sealed entry gone), and an edited, deleted or forked seal. An
  *anchor file* outside the database (the latest seal's id and mac) catches both tables
  emptied or rolled back to an older copy.

The audit key is a random key of its own in the key file (``audit_key``), never in the
database; key files and environment keys from before it existed derive it from the
blind-index key, as their seals were made (``Keyring.audit_key``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import LargeBinary, func, select, text, type_coerce
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from ctip.audit.models import AuditEntry, AuditSeal
from ctip.db.base import utcnow
from ctip.security import CiphertextError, Keyring, keyring

PURPOSE = b"ctip audit seal v1"
BATCH = 1000
MAC_PREFIX = 32  # hex digits of an entry's mac a seal lists (128 bits)
PLACE = "audit_log.changes"  # where an entry's changes are bound (with its id)
PG_LOCK = 7_263_001  # pg_advisory_xact_lock key of the sealer


def audit_key(ring: Keyring | None = None) -> bytes:
    """The audit key (never stored in the database)."""
    return (ring or keyring()).audit_key


def _time(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


class EntryFields(Protocol):
    """What an entry's keyed hash covers: an ``AuditEntry`` or a collected plain record."""

    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_name(self) -> str: ...
    @property
    def address(self) -> str | None: ...
    @property
    def action(self) -> str: ...
    @property
    def entity_type(self) -> str | None: ...
    @property
    def entity_id(self) -> int | None: ...
    @property
    def changes(self) -> str | None: ...
    @property
    def detail(self) -> str | None: ...
    @property
    def nonce(self) -> str | None: ...


def canonical(entry: EntryFields) -> bytes:
    """The entry's plaintext as compact, key-sorted JSON (the id is not part of it)."""
    doc = {
        "v": 1,
        "at": _time(entry.at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "address": entry.address,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "changes": entry.changes,
        "detail": entry.detail,
        "nonce": entry.nonce,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def entry_mac(entry: EntryFields, key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), b"entry\x00" + canonical(entry), hashlib.sha256).hexdigest()


def seal_mac(prev_mac: str, seal: AuditSeal | dict[str, Any], key: bytes | None = None) -> str:
    def get(name: str) -> Any:
        return seal[name] if isinstance(seal, dict) else getattr(seal, name)

    body = json.dumps(
        [
            prev_mac,
            get("prev_id"),
            _time(get("sealed_at")),
            get("first_entry_id"),
            get("last_entry_id"),
            get("entry_count"),
            get("entries"),
        ],
        separators=(",", ":"),
    ).encode()
    return hmac.new(key or audit_key(), b"seal\x00" + body, hashlib.sha256).hexdigest()


# -- sealing -------------------------------------------------------------------------------


def _lock(session: Session, wait: bool) -> bool:
    """Exclude other sealers until the transaction ends; False when another one is busy."""
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: the seal's write transaction holds the database's write lock
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK})
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_LOCK}))


def _sealed_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for listing in session.scalars(select(AuditSeal.entries)):
        ids.update(int(pair[0]) for pair in json.loads(listing))
    return ids


def seal(
    session: Session,
    *,
    full: bool = False,
    wait: bool = True,
    anchor: Path | None = None,
    limit: int | None = None,
) -> int:
    """Seal committed, unsealed entries whose mac is valid; the number sealed.

    The cheap form (``full=False``) takes entries after the last sealed one; ``full`` also
    takes entries that committed late below it (a long transaction on PostgreSQL). Entries
    whose mac fails are never sealed (``verify`` reports them). ``wait=False`` gives up at
    once when another process is sealing. Runs in the caller's transaction."""
    if not _lock(session, wait):
        return 0
    key = audit_key()
    last = session.scalars(select(AuditSeal).order_by(AuditSeal.id.desc()).limit(1)).first()
    high = last.last_entry_id if last else 0
    query = select(AuditEntry).order_by(AuditEntry.id)
    if full:
        sealed = _sealed_ids(session)
    else:
        sealed = set()
        query = query.where(AuditEntry.id > high)
    if limit is not None:
        query = query.limit(limit)
    batch: list[tuple[int, str]] = []
    total = 0

    def flush_batch() -> None:
        nonlocal last, batch, total
        if not batch:
            return
        doc = {
            "prev_id": last.id if last else None,
            "sealed_at": utcnow(),
            "first_entry_id": batch[0][0],
            "last_entry_id": max(high, batch[-1][0]),
            "entry_count": len(batch),
            "entries": json.dumps(batch, separators=(",", ":")),
        }
        row = AuditSeal(**doc, mac=seal_mac(last.mac if last else "", doc, key))
        session.add(row)
        session.flush()
        total += len(batch)
        last, batch = row, []

    for entry in session.scalars(query.execution_options(yield_per=BATCH)):
        if (
            entry.id in sealed
            or not entry.mac
            or not hmac.compare_digest(entry.mac, entry_mac(entry, key))
        ):
            continue
        batch.append((entry.id, entry.mac[:MAC_PREFIX]))
        if len(batch) >= BATCH:
            flush_batch()
    flush_batch()
    if anchor is not None and last is not None:
        write_anchor(anchor, last)
    return total


def write_anchor(path: Path, last: AuditSeal) -> None:
    """Record the latest seal outside the database (atomically, owner-readable only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"seal_id": last.id, "last_entry_id": last.last_entry_id, "mac": last.mac}, fh)
    os.replace(tmp, path)


def read_anchor(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.exists():
        return None
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


# -- verification --------------------------------------------------------------------------


@dataclass
class Finding:
    """One thing wrong with the trail; ``entry_id`` names the entry (or seal) concerned."""

    entry_id: int | None
    seal_id: int | None
    problem: str


@dataclass
class Report:
    entries: int = 0
    sealed: int = 0
    seals: int = 0
    unsealed: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        """The first bad entry by id (seal problems without an entry come last)."""
        if not self.findings:
            return None
        return min(
            self.findings,
            key=lambda f: (f.entry_id is None, f.entry_id or 0, f.seal_id or 0),
        )


def _entries(session: Session) -> Iterator[tuple[AuditEntry, bool]]:
    """Every entry in id order, and whether its changes decrypt in its row: they are read as
    ciphertext and decrypted here, so one moved value is a finding, not a failed scan."""
    raw = type_coerce(AuditEntry.changes, LargeBinary)
    ring = keyring()
    rows = session.execute(
        select(AuditEntry, raw)
        .options(defer(AuditEntry.changes))
        .order_by(AuditEntry.id)
        .execution_options(yield_per=BATCH, populate_existing=True)
    )
    for entry, blob in rows:
        try:
            changes = None if blob is None else ring.decrypt(bytes(blob), PLACE, entry.id)
        except CiphertextError:
            yield entry, False
            continue
        set_committed_value(entry, "changes", changes)
        yield entry, True


def verify(session: Session, *, anchor: Path | None = None) -> Report:
    """Check every entry and seal against the audit key (reads only)."""
    key = audit_key()
    report = Report()
    found = report.findings
    expected: dict[int, tuple[int, str]] = {}  # entry id -> (seal id, mac prefix)
    prev: AuditSeal | None = None
    seal_ids: dict[int, str] = {}
    for row in session.scalars(
        select(AuditSeal).order_by(AuditSeal.id).execution_options(populate_existing=True)
    ):
        report.seals += 1
        seal_ids[row.id] = row.mac
        first_listed = None
        try:
            listed = [(int(i), str(m)) for i, m in json.loads(row.entries)]
            first_listed = listed[0][0] if listed else None
        except (ValueError, TypeError):
            listed = []
        if row.prev_id != (prev.id if prev else None):
            found.append(
                Finding(
                    first_listed,
                    row.id,
                    f"seal {row.id} does not follow seal "
                    f"{prev.id if prev else 'none'}: a seal was deleted or inserted",
                )
            )
        if not hmac.compare_digest(row.mac, seal_mac(prev.mac if prev else "", row, key)):
            found.append(Finding(first_listed, row.id, f"seal {row.id} was altered or forged"))
        for entry_id, prefix in listed:
            expected[entry_id] = (row.id, prefix)
        prev = row
    doc = read_anchor(anchor)
    if doc is not None:
        mac = seal_ids.get(int(doc["seal_id"]))
        if mac is None or mac != doc["mac"]:
            found.append(
                Finding(
                    None,
                    int(doc["seal_id"]),
                    f"seal {doc['seal_id']} (through entry {doc['last_entry_id']}) recorded in "
                    "the anchor file is missing or different: the trail was truncated or "
                    "rolled back",
                )
            )
    nonces: dict[str, int] = {}
    seen: set[int] = set()
    for entry, readable in _entries(session):
        report.entries += 1
        seen.add(entry.id)
        if not readable:
            found.append(
                Finding(
                    entry.id,
                    None,
                    f"entry {entry.id} was copied from another entry or altered (its changes "
                    "do not decrypt in this row)",
                )
            )
            continue
        actual = entry_mac(entry, key)
        if not entry.mac or not hmac.compare_digest(entry.mac, actual):
            found.append(
                Finding(
                    entry.id,
                    None,
                    f"entry {entry.id} was edited, or inserted without the "
                    "audit key (its keyed hash does not match)",
                )
            )
            continue
        if entry.nonce in nonces:
            found.append(
                Finding(
                    entry.id,
                    None,
                    f"entry {entry.id} is a copy of entry {nonces[entry.nonce]} (inserted)",
                )
            )
            continue
        nonces[entry.nonce or ""] = entry.id
        sealed = expected.get(entry.id)
        if sealed is None:
            report.unsealed += 1
            continue
        report.sealed += 1
        if not hmac.compare_digest(sealed[1], actual[:MAC_PREFIX]):
            found.append(
                Finding(
                    entry.id,
                    sealed[0],
                    f"entry {entry.id} is not the entry seal "
                    f"{sealed[0]} sealed (entries replaced or reordered)",
                )
            )
    missing = sorted(set(expected) - seen)
    if missing:
        truncated = report.entries == 0 or not (seen & set(expected))
        for entry_id in missing[:1000]:
            found.append(
                Finding(
                    entry_id,
                    expected[entry_id][0],
                    f"entry {entry_id} sealed by seal {expected[entry_id][0]} was deleted"
                    + (" (the audit table was truncated)" if truncated else ""),
                )
            )
    return report


def pending(session: Session) -> int:
    """Entries after the last sealed one (the cheap count of the unsealed window)."""
    high = session.scalar(select(func.max(AuditSeal.last_entry_id))) or 0
    return session.scalar(select(func.count()).where(AuditEntry.id > high)) or 0

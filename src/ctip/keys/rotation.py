"""``ctip keys rotate``: new keys, every stored value re-encrypted and re-indexed, in batches.

A rotation first writes the new data key and blind-index key into the key file beside the
old ones (marked ``rotation``), then walks every encrypted column of every table in id order,
a batch per transaction: values not yet bound to their row under the current data key are
decrypted, encrypted again bound to table, column and row, and the batch's blind indexes are
recomputed. A row is done when its ciphertexts carry the current key, so a run that is killed
resumes where it stopped and never processes a row twice. The old keys decrypt and the old
blind-index generation is searched until nothing uses them; then they move to ``retired``.
``ctip keys rebind`` is the same walk without new keys: it binds old, unbound values.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ctip.audit.service import record
from ctip.auth.scope import SYSTEM
from ctip.keys.places import Place, forms, places
from ctip.keys.reindex import REINDEX, Plain
from ctip.security import (
    BOUND,
    KeyConfigError,
    Keyring,
    _b64,
    form_of,
    keyring,
    keyring_from_document,
    read_key_document,
    set_keyring,
    write_key_document,
)

BATCH = 500


@dataclass
class Outcome:
    """What one run did: rows rewritten per table, and whether the rotation finished."""

    rewritten: dict[str, int] = field(default_factory=dict)
    finished: bool = False

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


def begin(path: Path) -> dict[str, Any]:
    """Add a new data key and blind-index key to the key file (once; a pending rotation is
    resumed with its keys) and make them current. Returns the key document."""
    doc = read_key_document(path)
    if "rotation" in doc:
        return doc
    data_id = max(int(k) for k in doc["data_keys"]) + 1
    if data_id > 255:
        raise KeyConfigError("data key ids are one byte: 255 rotations at most")
    if "audit_key" not in doc:  # keep the derived audit key: every seal was made with it
        doc["audit_key"] = _b64(keyring_from_document(doc).audit_key)
    if "index_keys" not in doc:
        doc["index_keys"] = {"1": {"key": doc.pop("blind_index_key"), "scheme": 1}}
        doc["index_current"] = 1
    index_id = max(int(k) for k in doc["index_keys"]) + 1
    doc["data_keys"][str(data_id)] = _b64(secrets.token_bytes(32))
    doc["index_keys"][str(index_id)] = {"key": _b64(secrets.token_bytes(32)), "scheme": 2}
    doc["rotation"] = {
        "data_from": [int(doc["current"])],
        "index_from": int(doc["index_current"]),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    doc["current"], doc["index_current"] = data_id, index_id
    write_key_document(path, doc, replace=True)
    return doc


def finish(path: Path) -> dict[str, Any]:
    """Move the keys nothing uses any more to ``retired`` (kept for restoring old backups)."""
    doc = read_key_document(path)
    pending = doc.pop("rotation", None)
    if pending is None:
        return doc
    retired = doc.setdefault("retired", {"data_keys": {}, "index_keys": {}})
    for kid in [k for k in doc["data_keys"] if int(k) != int(doc["current"])]:
        retired["data_keys"][kid] = doc["data_keys"].pop(kid)
    for gid in [k for k in doc["index_keys"] if int(k) != int(doc["index_current"])]:
        retired["index_keys"][gid] = doc["index_keys"].pop(gid)
    write_key_document(path, doc, replace=True)
    return doc


def _stale(ring: Keyring, blobs: list[bytes | None]) -> bool:
    return any(b is not None and form_of(b) != (BOUND, ring.current_key_id) for b in blobs)


def _batch(
    session: Session, where: Place, after: int, size: int, reindex: bool
) -> tuple[int, int, int]:
    """One batch of ``where`` after id ``after``: (rows read, rows rewritten, last id)."""
    ring = keyring()
    raw = where.raw
    rows = session.execute(select(raw).where(raw.c.id > after).order_by(raw.c.id).limit(size)).all()
    if not rows:
        return 0, 0, after
    params: list[dict[str, Any]] = []
    plain: Plain = {}
    for row in rows:
        blobs = [row._mapping[c] for c in where.columns]
        if not _stale(ring, blobs):
            continue
        texts = {
            c: None if b is None else ring.decrypt(bytes(b), where.place(c), row.id)
            for c, b in zip(where.columns, blobs, strict=True)
        }
        plain[row.id] = texts
        params.append(
            {"row_id": row.id}
            | {
                f"new_{c}": None if t is None else ring.encrypt(t, where.place(c), row.id)
                for c, t in texts.items()
            }
        )
    if params:
        stmt = update(raw).where(raw.c.id == bindparam("row_id"))
        stmt = stmt.values({c: bindparam(f"new_{c}") for c in where.columns})
        session.connection().execute(stmt, params)
        if reindex and where.table in REINDEX:
            REINDEX[where.table](session.connection(), plain)
    return len(rows), len(params), rows[-1].id


def walk(
    factory: sessionmaker[Session],
    *,
    reindex: bool,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
    inside: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Re-encrypt (and, with ``reindex``, re-index) every value not bound under the current
    key, a batch per transaction; rows rewritten per table. ``progress`` hears the rows read
    after each commit; ``inside`` is called within each batch's transaction, before it commits
    (where a kill would land)."""
    done: dict[str, int] = {}
    for where in places():
        after, done[where.table] = 0, 0
        while True:
            with factory() as session, session.begin():
                read, rewritten, after = _batch(session, where, after, batch, reindex)
                if inside is not None and rewritten:
                    inside(where.table, rewritten)
            done[where.table] += rewritten
            if not read:
                break
            if progress is not None:
                progress(where.table, read)
    return done


def total_rows(factory: sessionmaker[Session]) -> int:
    """Rows a walk reads (for the progress bar)."""
    with factory() as session:
        return sum(session.scalar(select(func.count()).select_from(p.raw)) or 0 for p in places())


def unfinished(factory: sessionmaker[Session], ring: Keyring) -> int:
    """Values not bound to their row under the current data key."""
    with factory() as session:
        conn = session.connection()
        return sum(
            n
            for p in places()
            for c in p.columns
            for (form, kid), n in forms(conn, p, c).items()
            if (form, kid) != (BOUND, ring.current_key_id)
        )


def _audit(factory: sessionmaker[Session], action: str, detail: str, after: dict[str, Any]) -> None:
    with factory() as session, session.begin():
        record(session, actor=SYSTEM, action=action, detail=detail, after=after)


def rotate(
    factory: sessionmaker[Session],
    path: Path,
    *,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
    inside: Callable[[str, int], None] | None = None,
) -> Outcome:
    """Rotate both keys (or resume a rotation), re-encrypting and re-indexing everything;
    the old keys retire when nothing uses them."""
    if not path.exists():
        raise KeyConfigError(f"key file {path} is missing; keys in the environment cannot rotate")
    doc = begin(path)
    set_keyring(keyring_from_document(doc))
    ids = f"data key {doc['current']}, index key {doc['index_current']}"
    _audit(factory, "keys.rotate", f"started or resumed: {ids}", {"state": "running"})
    out = Outcome(walk(factory, reindex=True, batch=batch, progress=progress, inside=inside))
    if unfinished(factory, keyring()) == 0:
        set_keyring(keyring_from_document(finish(path)))
        out.finished = True
    state = "finished" if out.finished else "unfinished"
    _audit(factory, "keys.rotate", f"{state}: {ids}", {"state": state, "rows": out.rewritten})
    return out


def rebind(
    factory: sessionmaker[Session],
    *,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> Outcome:
    """Bind every value to its table, column and row under the current data key (no new
    keys; blind indexes are left as they are). Refused while a rotation is pending: it would
    mark rows done whose blind indexes are still the old generation's."""
    if keyring().previous_index:
        raise KeyConfigError("a key rotation is pending: finish it with `ctip keys rotate`")
    out = Outcome(walk(factory, reindex=False, batch=batch, progress=progress))
    out.finished = unfinished(factory, keyring()) == 0
    _audit(factory, "keys.rebind", f"key {keyring().current_key_id}", {"rows": out.rewritten})
    return out

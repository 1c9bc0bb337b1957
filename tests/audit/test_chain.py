"""Tamper evidence: entries edited, deleted, inserted, copied, reordered or truncated behind
the application's back (triggers bypassed as an attacker with the database would) are found
by ``verify``, which names the first bad entry; on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from ctip.audit.chain import pending, seal, verify
from ctip.audit.service import record
from ctip.audit.triggers import tamper_evidence_sql
from ctip.auth.scope import SYSTEM

VERSIONS = Path(__file__).resolve().parents[2] / "src" / "ctip" / "db" / "migrations" / "versions"
COLUMNS = "at, actor_id, actor_name, address, action, entity_type, entity_id, changes, detail"


def _entries(db: Session, n: int = 6) -> list[int]:
    ids = []
    for i in range(n):
        entry = record(
            db,
            actor=SYSTEM,
            action="case.update",
            entity_type="case",
            entity_id=100 + i,
            before={"title": f"old {i}"},
            after={"title": f"new {i}"},
            detail=f"entry {i}",
        )
        db.flush()
        ids.append(entry.id)
    return ids


def _unprotect(db: Session) -> None:
    """What an attacker with database access does first: switch the triggers off."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        db.execute(text("ALTER TABLE audit_seals DISABLE TRIGGER USER"))
    else:
        for name in ("log_no_update", "log_no_delete", "seals_no_update", "seals_no_delete"):
            db.execute(text(f"DROP TRIGGER audit_{name}"))


def _edit(db: Session, ids: list[int]) -> int:
    db.execute(text("UPDATE audit_log SET detail = 'nothing' WHERE id = :i"), {"i": ids[2]})
    return ids[2]


def _edit_time(db: Session, ids: list[int]) -> int:
    db.execute(
        text("UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE id = :j) WHERE id = :i"),
        {"i": ids[3], "j": ids[0]},
    )
    return ids[3]


def _delete(db: Session, ids: list[int]) -> int:
    db.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[1]})
    return ids[1]


def _insert(db: Session, ids: list[int]) -> int:
    new = ids[-1] + 1000
    db.execute(
        text(
            f"INSERT INTO audit_log (id, {COLUMNS}, nonce, mac) SELECT :n, {COLUMNS}, "
            "'0123456789abcdef0123456789abcdef', mac FROM audit_log WHERE id = :i"
        ),
        {"n": new, "i": ids[0]},
    )
    return new


def _copy(db: Session, ids: list[int]) -> int:
    new = ids[-1] + 1000
    db.execute(
        text(
            f"INSERT INTO audit_log (id, {COLUMNS}, nonce, mac) SELECT :n, {COLUMNS}, nonce, mac "
            "FROM audit_log WHERE id = :i"
        ),
        {"n": new, "i": ids[0]},
    )
    return new


def _reorder(db: Session, ids: list[int]) -> int:
    """Swap two entries' contents (every column but the id)."""
    a, b = ids[1], ids[4]
    cols = [c.strip() for c in COLUMNS.split(",")] + ["nonce", "mac"]
    rows = {
        i: db.execute(text(f"SELECT {', '.join(cols)} FROM audit_log WHERE id = :i"), {"i": i})
        .one()
        ._mapping
        for i in (a, b)
    }
    for target, source in ((a, b), (b, a)):
        sets = ", ".join(f"{c} = :{c}" for c in cols)
        db.execute(
            text(f"UPDATE audit_log SET {sets} WHERE id = :id"),
            {**dict(rows[source]), "id": target},
        )
    return a


def _truncate(db: Session, ids: list[int]) -> int:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("TRUNCATE audit_log"))
    else:
        db.execute(text("DELETE FROM audit_log"))
    return min(ids[0], _first_sealed(db))


def _first_sealed(db: Session) -> int:
    import json

    listing = db.scalar(text("SELECT entries FROM audit_seals ORDER BY id LIMIT 1"))
    return int(json.loads(listing)[0][0])


TAMPERING: dict[str, Callable[[Session, list[int]], int]] = {
    "edit": _edit,
    "edit-time": _edit_time,
    "delete": _delete,
    "insert": _insert,
    "copy": _copy,
    "reorder": _reorder,
    "truncate": _truncate,
}


def test_an_untouched_trail_verifies_and_seals_in_batches(db):
    ids = _entries(db, 4)
    assert pending(db) >= 4
    assert seal(db) >= 4
    assert pending(db) == 0
    more = _entries(db, 2)
    report = verify(db)
    assert report.ok, report.findings
    assert report.unsealed >= 2
    assert seal(db) == 2
    report = verify(db)
    assert report.ok and report.unsealed == 0 and report.seals >= 2
    assert report.sealed >= len(ids + more)


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_found_and_the_first_bad_entry_named(db, how):
    ids = _entries(db)
    seal(db)
    assert verify(db).ok
    _unprotect(db)
    bad = TAMPERING[how](db, ids)
    report = verify(db)
    assert not report.ok
    assert report.first is not None and report.first.entry_id == bad, report.findings
    assert f"entry {bad} " in report.first.problem


def test_an_edited_entry_is_never_sealed(db):
    ids = _entries(db, 3)
    _unprotect(db)
    _edit(db, ids)
    seal(db, full=True)
    report = verify(db)
    assert report.first is not None and report.first.entry_id == ids[2]
    assert report.first.seal_id is None


def test_an_edited_or_deleted_seal_is_found(db):
    _entries(db, 3)
    seal(db)
    _entries(db, 2)
    seal(db)
    _unprotect(db)
    last = db.scalar(text("SELECT max(id) FROM audit_seals"))
    db.execute(text("UPDATE audit_seals SET entry_count = 99 WHERE id = :i"), {"i": last})
    problems = [f.problem for f in verify(db).findings]
    assert any(f"seal {last} was altered" in p for p in problems)


def test_both_tables_emptied_is_found_by_the_anchor_file(db, tmp_path):
    _entries(db, 3)
    anchor = tmp_path / "audit-anchor.json"
    seal(db, anchor=anchor)
    assert verify(db, anchor=anchor).ok
    _unprotect(db)
    db.execute(text("DELETE FROM audit_seals"))
    db.execute(text("DELETE FROM audit_log"))
    report = verify(db, anchor=anchor)
    assert not report.ok and "anchor file" in report.findings[0].problem


def test_the_triggers_refuse_changes_to_seals(db):
    _entries(db, 2)
    seal(db)
    for statement in ("UPDATE audit_seals SET entry_count = 0", "DELETE FROM audit_seals"):
        with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
            db.execute(text(statement))


def test_truncate_is_refused_where_the_engine_allows_a_trigger(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE triggers refuse an emptying DELETE")
    for table in ("audit_log", "audit_seals"):
        with pytest.raises(DatabaseError, match="cannot be truncated"), db.begin_nested():
            db.execute(text(f"TRUNCATE {table}"))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_migration_holds_a_frozen_copy_of_the_triggers(dialect):
    path = next(VERSIONS.glob("0010_security*.py"))
    spec = importlib.util.spec_from_file_location("security_0010", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frozen = module._SEALS_SQLITE if dialect == "sqlite" else module._SEALS_POSTGRESQL
    assert frozen == tamper_evidence_sql(dialect)

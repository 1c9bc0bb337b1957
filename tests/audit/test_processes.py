"""Several worker processes writing audit entries to one SQLite file at once (the deferred
read-audit path, and opportunistic sealing in each): nothing is lost, nothing doubled, and
the chain verifies."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.audit.chain import seal, verify
from ctip.audit.models import AuditEntry
from ctip.audit.service import record
from ctip.auth.scope import SYSTEM
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine

WORKERS, EACH = 3, 40

WORKER = """
import sys
from ctip.audit import service
from ctip.audit.service import record, write_deferred
from ctip.auth.scope import SYSTEM
from ctip.db.session import make_engine, session_factory
from ctip.security import Keyring, set_keyring

set_keyring(Keyring({1: bytes(range(32))}, 1, bytes(range(32, 64))))
service.SEAL_EVERY = 0.0  # seal after every write: the most contention
engine = make_engine(sys.argv[1])
writer = session_factory(engine, writer=True)
reader = session_factory(engine)
for i in range(int(sys.argv[2])):
    with reader() as session:
        session.info[service.DEFERRED] = entries = []
        record(session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=i)
    write_deferred(writer, entries)
"""


def test_workers_lose_nothing_and_the_chain_verifies(tmp_path, test_keyring):
    url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, str(EACH)], stderr=subprocess.PIPE)
        for _ in range(WORKERS)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    with Session(engine) as session, session.begin():
        count = session.scalar(select(func.count()).select_from(AuditEntry))
        nonces = session.scalar(select(func.count(func.distinct(AuditEntry.nonce))))
        assert count == nonces == WORKERS * EACH
        seal(session, full=True)
        report = verify(session)
    assert report.ok, report.findings
    assert report.sealed == WORKERS * EACH and report.seals > 1  # sealed as they went
    engine.dispose()


def test_postgresql_audited_writers_do_not_wait_for_each_other_or_the_sealer(engine):
    """An open transaction holding an audit entry blocks neither another writer nor a seal;
    its entry, committed after a later one was sealed, is sealed by the next full seal."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    slow, fast, sealer = Session(engine), Session(engine), Session(engine)
    try:
        slow.begin()
        late = record(slow, actor=SYSTEM, action="case.read", entity_type="case", entity_id=1)
        slow.flush()
        with fast.begin():
            quick = record(fast, actor=SYSTEM, action="case.read", entity_type="case", entity_id=2)
        assert quick.id > late.id  # committed first, with the later id
        with sealer.begin():
            seal(sealer)  # seals the quick entry; the slow one is not visible yet
        slow.commit()
        with sealer.begin():
            report = verify(sealer)
            assert report.ok, report.findings
            assert report.unsealed >= 1  # the late entry, not tampering
            seal(sealer, full=True)
            report = verify(sealer)
            assert report.ok and report.unsealed == 0
    finally:
        for session in (slow, fast, sealer):
            session.close()


def test_opportunistic_seal_gives_up_at_once_while_another_writer_holds_the_lock(
    tmp_path, test_keyring, monkeypatch
):
    """An import's long transaction holds SQLite's write lock: the seal a commit triggers
    elsewhere skips at once instead of stalling for the busy timeout (10 s), and seals later."""
    import time

    from ctip.audit import service
    from ctip.audit.service import maybe_seal

    monkeypatch.setattr(service, "_next_seal", float("inf"))  # no seal at commit: one pending
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.sqlite3'}")
    upgrade(engine)
    with Session(engine) as session, session.begin():
        record(session, actor=SYSTEM, action="case.read", entity_type="case", entity_id=1)
    holder = engine.connect().execution_options(sqlite_begin="IMMEDIATE")
    holder.begin()
    started = time.monotonic()
    assert maybe_seal(engine) == 0
    assert time.monotonic() - started < 5  # the busy timeout is 10 s
    holder.rollback()
    holder.close()
    assert maybe_seal(engine) == 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    engine.dispose()

"""A linkage run killed halfway (SIGKILL, in a real process) leaves the previous results in
force, and the next run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ctip.cli import app
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.demo.loader import load
from ctip.linkage import service
from ctip.linkage.models import LinkPair, LinkRun
from ctip.linkage.run import run_linkage


def test_killed_run_changes_nothing_and_the_next_completes(tmp_path, settings, monkeypatch):
    url = f"sqlite:///{(tmp_path / 'atomic.sqlite3').as_posix()}"
    engine = make_engine(url)
    upgrade(engine)
    cfg = settings.model_copy(update={"database_url": url})
    load(engine, cases=40, seed=5, settings=cfg)
    factory = session_factory(engine, writer=True)
    first = run_linkage(factory, settings=cfg)
    with Session(engine) as session:
        before = service.resolved_person_ids(session=session)
        pairs_before = session.scalar(
            select(LinkPair.id).where(LinkPair.run_id == first.run_id).limit(1)
        )
    assert before and pairs_before is not None

    env = {
        **os.environ,
        "CTIP_ENV": "test",
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_DATABASE_URL": url,
        "CTIP_ENCRYPTION_KEY": cfg.encryption_key,
        "CTIP_BLIND_INDEX_KEY": cfg.blind_index_key,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "ctip", "link", "run", "--retrain"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(engine) as session:
                running = session.scalar(select(LinkRun.id).where(LinkRun.status == "running"))
            if running is not None:
                break
            time.sleep(0.05)
        assert running is not None, "the run never started"
        time.sleep(0.5)  # linking is under way (Splink loading and training)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    with Session(engine) as session:
        assert service.resolved_person_ids(session=session) == before
        killed = session.get(LinkRun, running)
        assert killed is not None and killed.status == "running" and not killed.is_current
        assert service.current_run(session).id == first.run_id  # type: ignore[union-attr]

    after = run_linkage(factory, settings=cfg)
    with Session(engine) as session:
        assert session.get(LinkRun, running).status == "failed"  # type: ignore[union-attr]
        assert service.current_run(session).id == after.run_id  # type: ignore[union-attr]
        assert service.resolved_person_ids(session=session) == before
    for name in (
        "CTIP_ENV",
        "CTIP_DATA_DIR",
        "CTIP_DATABASE_URL",
        "CTIP_ENCRYPTION_KEY",
        "CTIP_BLIND_INDEX_KEY",
    ):
        monkeypatch.setenv(name, env[name])
    shown = CliRunner().invoke(app, ["link", "status"])
    assert shown.exit_code == 0 and f"current: #{after.run_id} complete" in shown.output
    assert f"#{running} failed" not in shown.output
    again = CliRunner().invoke(app, ["link", "run", "--if-none"])
    assert again.exit_code == 0 and "nothing to do" in again.output
    engine.dispose()

"""A SQLite demo registry for the benches: throw-away, or kept in a directory for reuse.

``with demo_registry(cases) as (settings, engine, sessions):`` sets a throw-away keyring,
migrates an empty registry in a temporary data directory, loads ``cases`` demo cases
(printing how long that took) and disposes of the engine and the directory afterwards.

With ``directory`` (a bench's ``CTIP_BENCH_<PART>_DATA_DIR``) the data directory is kept:
the first run creates it (a random bench key file ``bench-keys.json``, the registry
``bench.sqlite3``) and loads the cases; later runs migrate, top the registry up to ``cases``
when it holds fewer (a demo load tops up) and reuse it, so one 1,000,000-case registry
serves several runs.

Beside the load's wall-clock time it prints its CPU time (user + system of this process and
of the loader's helper process, which has ended by then) and the load average before and
after: on the shared machine the CPU time is the fairer figure.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.demo.loader import load
from ctip.security import (
    Keyring,
    create_key_file,
    keyring_from_document,
    read_key_document,
    set_keyring,
)


@contextmanager
def demo_registry(
    cases: int, seed: int = 2024, directory: Path | None = None
) -> Iterator[tuple[Settings, Engine, Any]]:
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        keys = directory / "bench-keys.json"
        if not keys.exists():
            create_key_file(keys, development=True)
        set_keyring(keyring_from_document(read_key_document(keys)))
        with _registry(directory, cases, seed) as opened:
            yield opened
        return
    set_keyring(Keyring({1: os.urandom(32)}, 1, os.urandom(32)))
    with tempfile.TemporaryDirectory() as tmp, _registry(Path(tmp), cases, seed) as opened:
        yield opened


@contextmanager
def _registry(data: Path, cases: int, seed: int) -> Iterator[tuple[Settings, Engine, Any]]:
    url = f"sqlite:///{data / 'bench.sqlite3'}"
    settings = Settings(env="test", data_dir=data, database_url=url)
    engine = make_engine(url)
    try:
        upgrade(engine)
        before, began, cpu = _load_average(), time.perf_counter(), cpu_seconds()
        result = load(engine, cases=cases, seed=seed, settings=settings)
        print(
            f"demo load: {cases} cases ({result.written} written) in "
            f"{time.perf_counter() - began:.1f} s, CPU {cpu_seconds() - cpu:.1f} s "
            f"(load average {before} before, {_load_average()} after)",
            flush=True,
        )
        yield settings, engine, session_factory(engine)
    finally:
        engine.dispose()


def cpu_seconds() -> float:
    """User + system seconds of this process and its ended children (the load's helper, the
    copy's build child)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())

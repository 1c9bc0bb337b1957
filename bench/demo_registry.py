"""A fresh SQLite demo registry in a temporary data directory, for the benches.

``with demo_registry(cases) as (settings, engine, sessions):`` sets a throw-away keyring,
migrates an empty registry, loads ``cases`` demo cases (printing how long that took) and
disposes of the engine and the directory afterwards.
"""

from __future__ import annotations

import os
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
from ctip.security import Keyring, set_keyring


@contextmanager
def demo_registry(cases: int, seed: int = 2024) -> Iterator[tuple[Settings, Engine, Any]]:
    set_keyring(Keyring({1: os.urandom(32)}, 1, os.urandom(32)))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'bench.sqlite3'}"
        settings = Settings(env="test", data_dir=data, database_url=url)
        engine = make_engine(url)
        upgrade(engine)
        began = time.perf_counter()
        load(engine, cases=cases, seed=seed, settings=settings)
        print(f"demo load: {cases} cases in {time.perf_counter() - began:.1f} s", flush=True)
        try:
            yield settings, engine, session_factory(engine)
        finally:
            engine.dispose()

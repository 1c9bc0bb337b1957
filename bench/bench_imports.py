"""Imports: HTCDS template rows imported (preview and write) and the same file re-imported.

Goals (issue 10): 10,000 template rows imported in at most 30 s on SQLite; a re-import of the
same file in at most 10 s, creating nothing. ``CTIP_BENCH_IMPORT_ROWS`` sets the number of
rows (default 1,000, so ``make bench`` stays affordable; the goal is stated for 10,000 and the
goal printed beside each figure is scaled to the rows run). The rows are synthetic, shaped like
the official template (names row, labels row, the mailing-address quirk), two persons a case.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.imports import service
from ctip.persons.models import Person
from ctip.security import Keyring, set_keyring

ROWS = int(os.environ.get("CTIP_BENCH_IMPORT_ROWS", "1000"))
GOAL_FIRST, GOAL_AGAIN, GOAL_ROWS = 30.0, 10.0, 10_000


def template(rows: int) -> bytes:
    from tests.imports.builders import person, template_xlsx

    return template_xlsx([person(i) for i in range(rows)], filler=0)


def run_once(
    factory, settings: Settings, data: bytes
) -> tuple[float, float, float, service.Outcome]:
    """Seconds to preview, seconds to preview and write (wall clock), CPU seconds, outcome."""
    cpu = time.process_time()
    started = time.perf_counter()
    with transaction(factory) as session:
        found = service.preview(
            session,
            actor=SYSTEM,
            settings=settings,
            data=data,
            filename="bench.xlsx",
            source="htcds",
            province="KH-1",
        )
        previewed = time.perf_counter() - started
        outcome = service.run(session, actor=SYSTEM, preview=found)
    return previewed, time.perf_counter() - started, time.process_time() - cpu, outcome


def main() -> None:
    set_keyring(Keyring({1: secrets.token_bytes(32)}, 1, secrets.token_bytes(32)))
    data = template(ROWS)
    scale = ROWS / GOAL_ROWS
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        factory = session_factory(engine, writer=True)
        settings = Settings(env="test", data_dir=Path(tmp), database_url=url)
        preview_s, first, cpu, outcome = run_once(factory, settings, data)
        print(
            f"import, {ROWS:,} template rows on sqlite: {first:.2f} s (preview {preview_s:.2f}"
            f" s; CPU {cpu:.2f} s) (goal <= {GOAL_FIRST * scale:.1f} s, i.e. "
            f"{GOAL_FIRST:.0f} s for "
            f"{GOAL_ROWS:,}); {outcome.created:,} persons, {outcome.created_cases:,} cases"
        )
        _, again, cpu_again, second = run_once(factory, settings, data)
        with factory() as session:
            persons = session.scalar(select(func.count()).select_from(Person))
        print(
            f"re-import of the same file: {again:.2f} s (CPU {cpu_again:.2f} s) "
            f"(goal <= {GOAL_AGAIN * scale:.1f} s, "
            f"i.e. {GOAL_AGAIN:.0f} s for {GOAL_ROWS:,}); nothing new: {second.nothing_new}; "
            f"persons in the registry: {persons:,}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()

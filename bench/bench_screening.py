"""Screening: decisions per second (pure function) and importing a 5,000-person roster.

Goals (issue 3): at least 50,000 decisions per second; a 5,000-row roster imported in at most
10 s (and re-imported, unchanged). Runs on a fresh SQLite file and, when
``CTIP_TEST_POSTGRES_URL`` is set, on PostgreSQL too.
"""

from __future__ import annotations

import os
import random
import secrets
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from ctip.auth.scope import SYSTEM
from ctip.cases import service as cases
from ctip.cases.schemas import CaseIn
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.screening import interventions, roster
from ctip.screening.decision import (
    ACTS,
    ILO_INDICATORS,
    MEANS,
    PURPOSES,
    answers_from,
    evaluate,
)
from ctip.screening.schemas import InterventionIn
from ctip.security import Keyring, set_keyring

ROWS = int(os.environ.get("CTIP_BENCH_ROSTER", "5000"))
NATIONALITIES = ("KH", "VN", "CN", "TH", "ID", "MY", "PH", "MM")
NAMES = ("Sokha", "Dara", "Minh", "Lan", "Wei", "Somchai", "Budi", "Maria", "Aung", "Siti")


def _answers(rng: random.Random) -> list[dict[str, object]]:
    """A mix of answer sets covering every rule."""

    def some(options: tuple[str, ...]) -> list[str]:
        return rng.sample(list(options), rng.randint(0, 2))

    return [
        {
            "act": some(ACTS),
            "means": some(MEANS),
            "purpose": some(PURPOSES),
            "assessed": rng.sample(["act", "means", "purpose"], rng.randint(0, 3)),
            "indicators": some(ILO_INDICATORS),
            "age_at_act": rng.randint(10, 60),
        }
        for _ in range(1000)
    ]


def bench_decisions(n: int = 200_000) -> float:
    """Validated decisions per second over varied answers."""
    prepared = [answers_from(a) for a in _answers(random.Random(7))]
    started = time.perf_counter()
    for i in range(n):
        evaluate(prepared[i % len(prepared)])
    return n / (time.perf_counter() - started)


def roster_csv(rows: int, seed: int = 11) -> bytes:
    """A synthetic roster: ids, names, nationalities, some bad rows and repeated phones."""
    rng = random.Random(seed)
    lines = ["Given name,Family name,Sex,Age,Date of birth,Nationality,Passport,Phone"]
    for i in range(rows):
        born = date(1980, 1, 1) + timedelta(days=rng.randint(0, 9000))
        age = "" if i % 3 else str(rng.randint(15, 45))
        age = "unknown" if i % 500 == 7 else age
        dob = born.isoformat() if i % 3 and i % 500 != 7 else ""
        phone = f"0{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        lines.append(
            f"{rng.choice(NAMES)},{rng.choice(NAMES)}{i},{rng.choice('FM')},{age},"
            f"{dob},{rng.choice(NATIONALITIES)},P{i:07d},{phone}"
        )
    return ("\n".join(lines) + "\n").encode()


def bench_import(url: str) -> tuple[float, float, int]:
    """Seconds to import ROWS rows, seconds to re-import them, and rows refused."""
    engine = make_engine(url)
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        case = cases.create(
            session,
            actor=SYSTEM,
            data=CaseIn(title="Bench raid", province="KH-18", opened_on=date(2024, 3, 1)),
        )
        intervention_id = interventions.create(
            session,
            actor=SYSTEM,
            data=InterventionIn(
                case_id=case.id, occurred_on=date(2024, 3, 2), place="Bench compound"
            ),
        ).id
    data = roster_csv(ROWS)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        with transaction(factory) as session:
            report = roster.import_file(
                session,
                actor=SYSTEM,
                intervention_id=intervention_id,
                data=data,
                filename="roster.csv",
            )
        timings.append(time.perf_counter() - started)
    engine.dispose()
    return timings[0], timings[1], len(report.errors)


def _own_postgres(url: str) -> str:
    """A fresh database of its own beside the configured one (other benchmarks keep theirs)."""
    from sqlalchemy import make_url, text

    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS ctip_bench_screening"))
        conn.execute(text("CREATE DATABASE ctip_bench_screening"))
    engine.dispose()
    return make_url(url).set(database="ctip_bench_screening").render_as_string(hide_password=False)


def main() -> None:
    set_keyring(Keyring({1: secrets.token_bytes(32)}, 1, secrets.token_bytes(32)))
    rate = bench_decisions()
    print(f"decisions: {rate:,.0f} per second (goal >= 50,000)")
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if os.environ.get("CTIP_TEST_POSTGRES_URL"):
            urls["postgresql"] = _own_postgres(os.environ["CTIP_TEST_POSTGRES_URL"])
        for name, url in urls.items():
            first, again, refused = bench_import(url)
            print(
                f"roster import, {ROWS:,} rows on {name}: {first:.2f} s (goal <= 10 s); "
                f"re-import {again:.2f} s; {refused} refused"
            )


if __name__ == "__main__":
    main()

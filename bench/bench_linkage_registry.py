"""Linkage of a registry, stage by stage, and the incremental match against it (issue 7 §5).

A fresh SQLite registry of ``CTIP_BENCH_LINKAGE_REGISTRY_PERSONS`` invented persons (default
20,000; the target scale is 1,000,000) with the bench generator's variants (romanisation,
swapped names, Khmer script, estimated ages, a phone on 40 %), written with Core inserts
(names encrypted, name keys and phone digests blind-indexed as the persons service does).
Then ``ctip link run`` with the CPU and wall time of each of its stages (reading and
decrypting persons, training, scoring, clustering, storing), and the incremental match of
20 of its persons against the resolved population (``match_new_person``), with the number
of candidates each had. CPU times are the figures to compare: wall times on the shared
machine are inflated by other work (the load average is printed beside them).
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

PERSONS = int(os.environ.get("CTIP_BENCH_LINKAGE_REGISTRY_PERSONS", "20000"))
BATCH = 20_000


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def build(engine: Any, n: int, seed: int = 7) -> None:
    """``n`` invented persons, 1-3 records per invented human being, in ``engine``."""
    from sqlalchemy import insert

    from ctip.demo.people import kh_phone, new_entity, render
    from ctip.identifiers.models import Identifier
    from ctip.persons.models import Person, PersonNameKey
    from ctip.persons.names import name_keys
    from ctip.security import keyring

    rng = random.Random(seed)
    on = date(2025, 6, 1)
    nats = ["KH"] * 7 + ["VN", "CN", "TH"]
    ring = keyring()
    persons: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    entity_no = 0
    while len(persons) < n:
        nat = rng.choice(nats)
        entity = new_entity(rng, f"e{entity_no}", nat, rng.random() < 0.5, (14, 60), on)
        entity_no += 1
        phone = "+855" + "".join(kh_phone(rng))[1:]
        for _ in range(1 + (rng.random() < 0.25) + (rng.random() < 0.08)):
            if len(persons) >= n:
                break
            uid = len(persons) + 1
            rec = render(rng, entity, on)
            persons.append(
                {
                    "id": uid,
                    "given_name": rec.given,
                    "family_name": rec.family,
                    "name_km": rec.name_km,
                    "aliases": "\n".join(rec.aliases) or None,
                    "gender": rec.gender,
                    "date_of_birth": rec.date_of_birth,
                    "estimated_age": rec.estimated_age,
                    "age_estimated_on": on if rec.estimated_age is not None else None,
                    "nationalities": [nat],
                    "owner_province": f"KH-{rng.randint(1, 25)}",
                    "version": 1,
                }
            )
            for kind, form in name_keys(rec.given, rec.family, rec.name_km, rec.aliases):
                keys.append(
                    {
                        "person_id": uid,
                        "kind": kind,
                        "digest": ring.blind_index("name:" + kind, form),
                    }
                )
            if rng.random() < 0.4:
                phones.append(
                    {
                        "id_type": "phone",
                        "raw": phone,
                        "normalised": phone,
                        "digest": ring.blind_index("phone", phone),
                        "valid": True,
                        "person_id": uid,
                    }
                )
    with engine.begin() as con:
        for model, rows in ((Person, persons), (PersonNameKey, keys), (Identifier, phones)):
            for start in range(0, len(rows), BATCH):
                con.execute(insert(model.__table__), rows[start : start + BATCH])


def main() -> None:
    import logging

    from sqlalchemy.orm import Session

    from ctip.config import Settings
    from ctip.db.migrate import upgrade
    from ctip.db.session import make_engine, session_factory
    from ctip.linkage import service
    from ctip.linkage.incremental import candidate_ids
    from ctip.linkage.run import run_linkage
    from ctip.security import Keyring, set_keyring

    logging.getLogger("splink").setLevel(logging.ERROR)
    set_keyring(Keyring({1: os.urandom(32)}, 1, os.urandom(32)))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'bench.sqlite3'}"
        settings = Settings(env="test", data_dir=data, database_url=url)
        engine = make_engine(url)
        upgrade(engine)
        began = time.perf_counter()
        build(engine, PERSONS)
        print(
            f"registry of {PERSONS:,} invented persons built in {time.perf_counter() - began:.0f} s"
        )
        stages: list[tuple[str, float, float, str]] = []
        last = [time.process_time(), time.perf_counter(), "start"]

        def lap(message: str) -> None:
            cpu, wall = time.process_time(), time.perf_counter()
            stages.append((str(last[2]), cpu - float(last[0]), wall - float(last[1]), _load()))
            last[:] = [cpu, wall, message]

        summary = run_linkage(session_factory(engine, writer=True), settings=settings, progress=lap)
        lap("end")
        print(
            f"ctip link run on {summary.n_records:,} persons: {summary.n_pairs:,} pairs, "
            f"{summary.n_clusters:,} clusters, {summary.seconds:.1f} s wall; by stage "
            "(CPU s / wall s / load average at its end):"
        )
        for name, cpu, wall, load in stages[1:]:
            print(f"  {name:<40} {cpu:7.1f} {wall:7.1f}  {load}")
        print(f"  peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        with Session(engine) as session:
            ids = random.Random(1).sample(range(1, PERSONS + 1), min(21, PERSONS))
            service.match_new_person(session=session, person_id=ids[0])  # loads the model
            walls, cpus, counts = [], [], []
            for pid in ids[1:]:
                cpu, wall = time.process_time(), time.perf_counter()
                service.match_new_person(session=session, person_id=pid)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                counts.append(len(candidate_ids(session, person_id=pid)))
        walls.sort()
        cpus.sort()
        counts.sort()
        mid = len(walls) // 2
        print(
            f"incremental match of one person against {PERSONS:,}: CPU median "
            f"{cpus[mid] * 1000:.0f} ms, max {cpus[-1] * 1000:.0f} ms; wall median "
            f"{walls[mid] * 1000:.0f} ms, max {walls[-1] * 1000:.0f} ms at load average "
            f"{_load()}; candidates median {counts[mid]}, max {counts[-1]} "
            "(target <= 1 s at 1,000,000)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()

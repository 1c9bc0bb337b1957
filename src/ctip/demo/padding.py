"""Extra identifiers for the identifier-search benchmark: ``add_identifiers(target, total=N)``.

100,000 demo cases carry about 400,000 identifiers; the benchmark searches over 1,000,000.
This tops the ``identifiers`` table up to ``total`` rows with random phones, messaging
handles and passports attached to existing persons, encrypted and blind-indexed like any
other, so searches run over a realistic mix. They are noise: the ground truth ignores them.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.demo.loader import refuse_in_production
from ctip.demo.people import IdentPlan, handle_name, kh_phone, passport_number, phone_plan, plan
from ctip.demo.rows import Crypto
from ctip.demo.writer import Row, writer_for
from ctip.identifiers.models import Identifier
from ctip.persons.models import Person
from ctip.security import keyring

BATCH = 50_000
_NATIONALITIES = ("KH", "CN", "VN", "TH", "ID", "MY", "PH", "KE")
_NAMES = ("dara", "sokha", "lina", "wei", "minh", "budi", "somchai", "joy", "brian", "chan")


def _one(rng: random.Random) -> IdentPlan:
    roll = rng.random()
    if roll < 0.6:
        return phone_plan(rng, kh_phone(rng))
    if roll < 0.85:
        return plan(
            "social_handle", "@" + handle_name(rng, rng.choice(_NAMES)), platform="telegram"
        )
    country = rng.choice(_NATIONALITIES)
    return plan("passport", passport_number(rng, country), issuing_country=country)


def add_identifiers(
    target: Engine | Session, *, total: int, seed: int = 1, settings: Settings | None = None
) -> int:
    """Add identifiers until the table holds ``total`` rows; how many were added."""
    refuse_in_production(settings or Settings())
    if isinstance(target, Engine):
        with Session(target) as session, session.begin():
            return _add(session, total, seed)
    return _add(target, total, seed)


def _add(session: Session, total: int, seed: int) -> int:
    have = session.scalar(select(func.count(Identifier.id))) or 0
    people = list(session.scalars(select(Person.id)))
    if have >= total or not people:
        return 0
    rng = random.Random(f"ctip-demo:{seed}:identifiers:{have}")
    crypto = Crypto(keyring())
    writer = writer_for(session.connection())
    writer.prepare(bulk=total - have >= BATCH)
    next_id = (session.scalar(select(func.max(Identifier.id))) or 0) + 1
    stamp = writer.formats.moment(date(2025, 12, 31), "12:00:00")
    for start in range(have, total, BATCH):
        rows: list[Row] = []
        for _ in range(min(BATCH, total - start)):
            ident = _one(rng)
            rows.append(
                (
                    next_id,
                    ident.id_type,
                    ident.platform,
                    crypto.encrypt(ident.raw, "identifiers.raw", next_id),
                    crypto.encrypt(ident.normalised, "identifiers.normalised", next_id)
                    if ident.valid
                    else None,
                    crypto.blind_index("id:" + ident.purpose, ident.normalised),
                    ident.valid,
                    ident.problem,
                    ident.issuing_country,
                    rng.choice(people),
                    None,
                    stamp,
                    stamp,
                )
            )
            next_id += 1
        writer.write("identifiers", rows)
    writer.finish()
    record(
        session,
        actor=SYSTEM,
        action="demo.load",
        detail=f"seed={seed} identifiers={total}",
        after={"added": total - have},
    )
    return total - have

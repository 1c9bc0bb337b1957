"""The raw SQLite file holds no person's name or phone number in plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctip.auth.scope import Actor
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.identifiers import service as identifiers
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn, PersonUpdate

ACTOR = Actor(id=None, username="tester", role="admin")
SECRETS = [
    "Sokhanary",
    "Cheavuth",
    "ជាសុខណារី",
    "Sokha-alias",
    "Street 271 house 9",
    "012345678",
    "012 345 678",
    "85512345678",
    "broker_kh88",
    "N01234567",
]


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "at-rest.sqlite3"


def _raw_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as the disk holds them."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_names_and_identifiers_are_not_stored_in_plain_text(sqlite_file):
    engine = make_engine(f"sqlite:///{sqlite_file}")
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        person = persons.create(
            session,
            actor=ACTOR,
            data=PersonIn(
                given_name="Sokhanary",
                family_name="Cheavuth",
                name_km="ជាសុខណារី",
                aliases=["Sokha-alias"],
                address="Street 271 house 9",
                nationalities=["KH"],
            ),
        )
        for id_type, value in [
            ("phone", "012 345 678"),
            ("social_handle", "@Broker_KH88"),
            ("passport", "N0123 4567"),
        ]:
            identifiers.add(session, actor=ACTOR, id_type=id_type, value=value, person_id=person.id)
        persons.update(
            session,
            actor=ACTOR,
            person_id=person.id,
            data=PersonUpdate(version=person.version, notes="x"),
        )
    with transaction(session_factory(engine)) as session:
        assert [p.id for p in persons.search(session, actor=ACTOR, query="cheavuth")] == [person.id]
        assert identifiers.search(session, actor=ACTOR, value="+855 12 345 678").persons
    engine.dispose()
    raw = _raw_bytes(sqlite_file)
    assert b"tester" in raw  # the audit trail's plain actor name: the bytes are all there
    for secret in SECRETS:
        for encoded in {secret.encode(), secret.lower().encode(), secret.upper().encode()}:
            assert encoded not in raw, secret

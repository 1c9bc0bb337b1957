"""Row making without a database: the fast crypto equals the keyring's, the column lists
match the models, and the helper process produces exactly what this process would."""

from __future__ import annotations

import pytest
from sqlalchemy import Column

from ctip.db import models  # noqa: F401  (every table registered)
from ctip.db.base import Base
from ctip.demo.pipeline import Job, Producer
from ctip.demo.rows import Crypto, Refs, State
from ctip.demo.setup import location_specs, organisation_specs
from ctip.demo.writer import COLUMNS, Formats, SQLiteFormats
from ctip.security import CiphertextError, Keyring

RING = Keyring({2: bytes(range(32))}, 2, bytes(range(100, 132)))
PER_PURPOSE = Keyring({2: bytes(range(32))}, 2, bytes(range(100, 132)), index_scheme=2)


@pytest.mark.parametrize("ring", [RING, PER_PURPOSE], ids=["one-index-key", "per-purpose"])
@pytest.mark.parametrize("value", ["Sokha", "ចាន់ សុខា", "王伟", "+85512345678", "x" * 300])
def test_fast_crypto_matches_the_keyring(value: str, ring: Keyring) -> None:
    crypto = Crypto(ring)
    blob = crypto.encrypt(value, "persons.given_name", 7)
    assert ring.decrypt(blob, "persons.given_name", 7) == value
    with pytest.raises(CiphertextError):
        ring.decrypt(blob, "persons.given_name", 8)  # bound to its row
    assert blob != crypto.encrypt(value, "persons.given_name", 7)  # a fresh nonce each time
    for purpose in ("name:full", "name:token", "id:phone", "id:raw"):
        assert crypto.blind_index(purpose, value) == ring.blind_index(purpose, value)
    for kind in ("full", "token"):
        assert crypto.cached_index(kind, value) == ring.blind_index("name:" + kind, value)


def _required(column: Column) -> bool:
    return (
        not column.nullable
        and column.default is None
        and column.server_default is None
        and not column.primary_key
    )


@pytest.mark.parametrize("table", list(COLUMNS))
def test_columns_exist_and_cover_every_required_column(table: str) -> None:
    model = Base.metadata.tables[table]
    assert set(COLUMNS[table]) <= set(model.columns.keys())
    missing = {c.name for c in model.columns if _required(c)} - set(COLUMNS[table])
    assert not missing


def _job(formats: Formats) -> Job:
    orgs = {name: i for i, (name, *_) in enumerate(organisation_specs(), start=1)}
    places = {key: i for i, key in enumerate(location_specs(orgs), start=1)}
    next_ids = dict.fromkeys(COLUMNS, 1)
    return Job(3, Refs(orgs, places, {"KH-12": 7}), State(next_ids, {}, {}), RING, formats)


def _comparable(rows: dict) -> dict:
    """Rows without ciphertext (random nonces), which is all that may differ."""
    return {
        table: [tuple(v for v in row if not isinstance(v, bytes)) for row in table_rows]
        for table, table_rows in rows.items()
    }


def test_helper_process_makes_the_same_rows_as_this_one() -> None:
    ranges = [(0, 25), (25, 60), (60, 70)]
    here = Producer(_job(SQLiteFormats()), ranges, parallel=False)
    there = Producer(_job(SQLiteFormats()), ranges, parallel=True)
    ours, theirs = list(here), list(there)
    assert [_comparable(c.rows) for c in ours] == [_comparable(c.rows) for c in theirs]
    assert [c.truth for c in ours] == [c.truth for c in theirs]
    assert here.state.sequences == there.state.sequences and here.state.sequences
    assert here.state.next_ids == there.state.next_ids


def test_sqlite_bulk_load_restores_the_exact_indexes(connection) -> None:
    from ctip.demo.writer import SQLiteWriter, writer_for

    if connection.dialect.name != "sqlite":
        pytest.skip("index suspension is SQLite's")
    schema = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    before = connection.exec_driver_sql(schema).all()
    writer = writer_for(connection)
    assert isinstance(writer, SQLiteWriter)
    writer.prepare(bulk=True)
    assert len(connection.exec_driver_sql(schema).all()) < len(before)
    writer.finish()
    assert connection.exec_driver_sql(schema).all() == before


def test_every_value_leaves_the_producer_encrypted_and_bound_to_its_row() -> None:
    from ctip.demo.rows import ENCRYPTED

    sealed = 0
    for chunk in Producer(_job(SQLiteFormats()), [(0, 40)], parallel=False):
        for table, columns in ENCRYPTED.items():
            for row in chunk.rows[table]:
                for column in columns:
                    value = row[COLUMNS[table].index(column)]
                    if value is None:
                        continue
                    assert isinstance(value, bytes), (table, column)
                    assert RING.decrypt(value, f"{table}.{column}", row[0])
                    with pytest.raises(CiphertextError):
                        RING.decrypt(value, f"{table}.{column}", row[0] + 1)
                    sealed += 1
    assert sealed > 100

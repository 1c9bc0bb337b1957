"""Row ids for encrypted values: new rows get their id before the INSERT, so each
``Encrypted`` value can be bound to its table, column *and row* (``ctip.db.types``).

Binding to the row id (rather than to a random row key stored beside the value) means a
ciphertext moved to another row fails to decrypt even if the mover copies every column: the
id is what the rest of the database points at. The ids come from the engine's own counter:
PostgreSQL's sequence (``nextval``), SQLite's ``max(id) + 1`` under the write lock, which a
no-op write takes first so a concurrent writer cannot slip in between.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, UOWTransaction

from ctip.db.types import Encrypted, Placed


@cache
def encrypted_attributes(mapper: Mapper[Any]) -> tuple[str, ...]:
    """Attribute keys of the mapper's ``Encrypted`` columns (empty for most tables)."""
    if len(mapper.primary_key) != 1 or mapper.primary_key[0].name != "id":
        return ()
    return tuple(
        prop.key
        for prop in mapper.column_attrs
        if any(isinstance(col.type, Encrypted) for col in prop.columns)
    )


def allocate_ids(connection: Connection, table: str, count: int) -> list[int]:
    """``count`` fresh ids of ``table`` from the engine's own counter, in this transaction."""
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": count},
        )
        return [int(r[0]) for r in rows]
    connection.execute(text(f'UPDATE "{table}" SET id = id WHERE 0'))  # take the write lock
    top = connection.execute(text(f'SELECT max(id) FROM "{table}"')).scalar() or 0
    return list(range(int(top) + 1, int(top) + 1 + count))


@event.listens_for(Session, "before_flush")
def _give_ids(session: Session, context: UOWTransaction, instances: object) -> None:
    waiting: dict[Mapper[Any], list[Any]] = defaultdict(list)
    for obj in session.new:
        state = inspect(obj)
        keys = encrypted_attributes(state.mapper)
        unknown = state.mapper.primary_key_from_instance(obj)[0] is None
        if unknown and any(state.dict.get(k) for k in keys):  # nothing to bind: no id needed
            waiting[state.mapper].append(obj)
    if not waiting:
        return
    connection = session.connection()
    for mapper, objs in waiting.items():
        ids = allocate_ids(connection, mapper.local_table.name, len(objs))  # type: ignore[attr-defined]
        key = mapper.get_property_by_column(mapper.primary_key[0]).key
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, key, new_id)


def _bind_to_row(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    keys = encrypted_attributes(mapper)
    if not keys:
        return
    row = mapper.primary_key_from_instance(target)[0]
    if row is None:
        return
    values = inspect(target).dict
    for key in keys:
        value = values.get(key)
        if isinstance(value, str) and value:
            values[key] = Placed(value, row)


def _plain_again(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    values = inspect(target).dict
    for key in encrypted_attributes(mapper):
        value = values.get(key)
        if isinstance(value, Placed):
            values[key] = str(value)


event.listen(Mapper, "before_insert", _bind_to_row)
event.listen(Mapper, "before_update", _bind_to_row)
event.listen(Mapper, "after_insert", _plain_again)
event.listen(Mapper, "after_update", _plain_again)

"""Where encrypted values and blind indexes live, read as raw bytes (no decryption on load).

Every ``Encrypted`` column of every table is found from the models, so a table added later is
rotated without being listed here. Blind indexes are recomputed by ``ctip.keys.reindex``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, func, select
from sqlalchemy.engine import Connection

from ctip.db import models  # noqa: F401  (every table registered)
from ctip.db.base import Base
from ctip.db.types import Encrypted, hex_digits
from ctip.security import form_of


@dataclass(frozen=True)
class Place:
    """A table's encrypted columns, as a raw view (ciphertext bytes in, bytes out)."""

    table: str
    columns: tuple[str, ...]
    raw: Table

    def place(self, column: str) -> str:
        return f"{self.table}.{column}"


def places() -> list[Place]:
    """Every table with encrypted columns, in the models' dependency order."""
    meta = MetaData()
    found = []
    for table in Base.metadata.sorted_tables:
        columns = tuple(c.name for c in table.columns if isinstance(c.type, Encrypted))
        if columns and "id" in table.c:
            raw = Table(
                table.name,
                meta,
                Column("id", Integer, primary_key=True),
                *(Column(c, LargeBinary) for c in columns),
            )
            found.append(Place(table.name, columns, raw))
    return found


def _head(col: Any) -> Any:
    """Hex digits of a ciphertext's first three bytes (form and key id)."""
    return hex_digits(func.substr(col, 1, 3))


def forms(connection: Connection, where: Place, column: str) -> dict[tuple[int, int], int]:
    """How many values of one column are in each (form, key id): form 0 legacy, 1 bound to
    table and column, 2 bound to the row as well."""
    col = where.raw.c[column]
    head = _head(col)
    rows = connection.execute(select(head, func.count()).where(col.is_not(None)).group_by(head))
    counts: dict[tuple[int, int], int] = {}
    for digits, count in rows:
        key = form_of(bytes.fromhex(digits))
        counts[key] = counts.get(key, 0) + int(count)
    return counts


FORM_NAMES = {0: "unbound", 1: "bound to column", 2: "bound to row"}


@dataclass(frozen=True)
class Count:
    """How many values of one column are in one form under one data key."""

    place: str
    form: str
    key_id: int
    values: int


def status(connection: Connection) -> list[Count]:
    """Every encrypted column's values by form and data key (what ``ctip keys status`` shows)."""
    return [
        Count(p.place(c), FORM_NAMES.get(form, str(form)), kid, n)
        for p in places()
        for c in p.columns
        for (form, kid), n in sorted(forms(connection, p, c).items())
    ]

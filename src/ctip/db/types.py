"""Column types: ``Encrypted`` stores AES-GCM ciphertext of a string; ``StrList`` a JSON list.

An ``Encrypted`` column knows its place (``table.column``, set when the column joins its
table) and binds every value it writes to it, and to the row id when the ORM knows it
(``ctip.db.placement`` assigns ids before the INSERT). Reading, the SELECT carries the row
id along with the ciphertext (``column_expression``), so the value decrypts only in the
row it was written for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, String, Table, cast, event, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from ctip.security import keyring


class Placed(str):
    """A plaintext about to be written, with the id of the row it belongs to."""

    row_id: int

    def __new__(cls, value: str, row_id: int) -> Placed:
        text = super().__new__(cls, value)
        text.row_id = row_id
        return text


class hex_digits(FunctionElement[str]):
    """Hex digits of a binary value (SQLite ``hex``; PostgreSQL ``encode(…, 'hex')``)."""

    type = String()
    inherit_cache = True


@compiles(hex_digits)
def _hex_default(element: hex_digits, compiler: SQLCompiler, **kw: Any) -> str:
    return f"hex({compiler.process(element.clauses, **kw)})"


@compiles(hex_digits, "postgresql")
def _hex_postgresql(element: hex_digits, compiler: SQLCompiler, **kw: Any) -> str:
    return f"encode({compiler.process(element.clauses, **kw)}, 'hex')"


class Encrypted(TypeDecorator[str]):
    """A text value encrypted with the active keyring; ``None`` and ``""`` stay ``None``."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self) -> None:
        super().__init__()
        self.place: str | None = None
        self.table: Table | None = None

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None or value == "":
            return None
        row = value.row_id if isinstance(value, Placed) else None
        return keyring().encrypt(str(value), self.place, row)

    def column_expression(self, colexpr: ColumnElement[Any]) -> ColumnElement[Any] | None:
        """``'<row id>:<hex ciphertext>'`` where the row id is in the same FROM element."""
        row_id = self._row_id_column(colexpr)
        if row_id is None:
            return None
        return type_coerce(cast(row_id, String) + ":" + hex_digits(colexpr), self)

    def _row_id_column(self, colexpr: ColumnElement[Any]) -> ColumnElement[Any] | None:
        source = getattr(colexpr, "table", None)
        if self.table is None or source is None or "id" not in self.table.c:
            return None
        found: ColumnElement[Any] | None = source.corresponding_column(self.table.c.id)
        return found

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], str | None]:
        place = self.place

        def process(value: Any) -> str | None:
            if value is None:
                return None
            if isinstance(value, str):
                row, _, digits = value.partition(":")
                if not digits:
                    return None
                return keyring().decrypt(bytes.fromhex(digits), place, int(row))
            return keyring().decrypt(bytes(value), place, None)

        return process


@event.listens_for(Column, "after_parent_attach")
def _learn_place(column: Column[Any], parent: object) -> None:
    if isinstance(column.type, Encrypted) and isinstance(parent, Table):
        column.type.place = f"{parent.name}.{column.name}"
        column.type.table = parent


class StrList(TypeDecorator[list[str]]):
    """A list of short codes kept as JSON; never ``None`` when read."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> Any:
        return list(value or [])

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str]:
        return list(value or [])


import ctip.db.placement  # noqa: E402,F401  (registers the row-id hooks with the ORM)

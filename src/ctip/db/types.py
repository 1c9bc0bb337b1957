"""Column types: ``Encrypted`` stores AES-GCM ciphertext of a string; ``StrList`` a JSON list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from ctip.security import keyring


class Encrypted(TypeDecorator[str]):
    """A text value encrypted with the active keyring; ``None`` and ``""`` stay ``None``."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None or value == "":
            return None
        return keyring().encrypt(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring().decrypt(bytes(value))


class StrList(TypeDecorator[list[str]]):
    """A list of short codes kept as JSON; never ``None`` when read."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> Any:
        return list(value or [])

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str]:
        return list(value or [])

"""Field types every part's API schemas share, so one rule holds for dates and times everywhere.

- ``UtcDateTime``: a moment, always answered in UTC with its offset (``2026-01-15T08:30:00Z``).
  The database keeps naive UTC; a naive value is read as UTC, an aware one converted to it.
- ``IsoDate``: a calendar date given as ``YYYY-MM-DD`` (or a ``date``). pydantic's lax parsing
  would also take a number, or a numeric string, as a Unix time (``1704067200`` → 2024-01-01)
  and a date-time at midnight; those are refused with the usual date error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_text(value: datetime) -> str:
    """``value`` written the way ``UtcDateTime`` answers it, for JSON built by hand."""
    return as_utc(value).isoformat().replace("+00:00", "Z")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date):  # from code, not from JSON: pydantic's own rules apply
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as YYYY-MM-DD")


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]

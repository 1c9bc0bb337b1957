"""Cells written to spreadsheets that cannot run as formulas (CSV/formula injection).

A name such as ``=HYPERLINK(...)`` typed into a case must reach the reader of an exported
XLSX or CSV as text. A text beginning with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return, which some spreadsheet programs skip before such a sign) is prefixed with an
apostrophe, the convention spreadsheet programs read as "this is text"; XLSX cells are also
written with an explicit string type. ``restore`` undoes the prefix when CTIP reads its own
exports back (imports call it on every text cell).
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV cell: a text that a spreadsheet would run gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The original text of a cell written by ``csv_safe`` (other values unchanged)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _printable(value: Any) -> Any:
    """A text without the control characters XLSX cannot hold (openpyxl refuses them)."""
    if isinstance(value, str) and _ILLEGAL.search(value):
        return _ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def xlsx_append(sheet: Any, values: list[Any]) -> None:
    """Append a row to an openpyxl worksheet with every text cell typed as a string.

    openpyxl stores a text beginning with ``=`` as a formula; the prefix and the forced string
    type keep it text. Control characters an XLSX cannot hold become U+FFFD instead of
    failing the whole export.
    """
    values = [csv_safe(_printable(v)) for v in values]
    sheet.append([None if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            cell.data_type = "s"

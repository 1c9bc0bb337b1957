"""Reading cell values: vocabulary codes or their labels, dates written three ways, numbers
in Khmer digits, provinces and countries by code or name (English or Khmer). Pure functions.

Each reader returns the value CTIP stores, or raises ``BadValue`` with an English message
template (the caller adds the row and the column as the file calls it).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from ctip.imports.fields import fold
from ctip.reference import (
    DECIDING_ORG_TYPES,
    EXPLOITATION_TYPES,
    GENDERS,
    ISIC_SECTIONS,
    METHODS_OF_CONTROL,
    METHODS_OF_CONTROL_ALIASES,
    PERPETRATOR_ROLES,
    PERSON_ROLES,
    PROVINCES,
    RECRUITMENT_APPS,
    RECRUITMENT_METHODS,
    TRAFFICKING_STATUSES,
    countries,
)

KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
SPLIT = re.compile(r"[;,\n\r]+")
SPLIT_IDENTIFIERS = re.compile(r"[;\n\r]+")


class BadValue(ValueError):
    """A cell that cannot be read; ``template`` is the English message id."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template, self.params = template, params
        super().__init__(template)


def text(value: Any) -> str:
    """A cell as trimmed text (``12.0`` → ``12``; non-breaking spaces as spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\xa0", " ").strip()


def split(value: Any, spaces: bool = False) -> list[str]:
    """A multi-select cell: values separated by ``;``, ``,`` or new lines (Kobo: spaces);
    a list (from Kobo's 0/1 option columns) as it is."""
    if isinstance(value, list):
        return [text(v) for v in value if text(v)]
    raw = text(value)
    parts = re.split(r"[;,\s]+", raw) if spaces else SPLIT.split(raw)
    return [p.strip() for p in parts if p.strip()]


def number(value: Any) -> int:
    """A whole number, Khmer digits (``២៥``) read as ASCII."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise BadValue("not a whole number: %(value)s", value=value)
    raw = text(value).translate(KHMER_DIGITS)
    if not re.fullmatch(r"\d{1,4}", raw):
        raise BadValue("not a whole number: %(value)s", value=text(value))
    return int(raw)


# Day-first is the Cambodian and HTCDS convention; an ISO date is never ambiguous.
_DATE_PATTERNS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y/%m/%d",
)
_EXCEL_EPOCH = date(1899, 12, 30)


def day(value: Any) -> date:
    """A date from a spreadsheet date, an Excel serial number, ``2024-03-01``, ``01/03/2024``
    (day first), ``1.3.2024``, ``1 Mar 2024`` or an ISO timestamp; Khmer digits accepted."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    raw = text(value).translate(KHMER_DIGITS)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", raw):
        raw = raw[:10]
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise BadValue("not a date: %(value)s (write 2024-03-31 or 31/03/2024)", value=text(value))


def _table(codes: tuple[str, ...], extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {fold(code): code for code in codes}
    for code in codes:
        if len(code) > 2 and code[1] == "_":  # ISIC: "A_Agriculture…" also as "Agriculture…"
            table.setdefault(fold(code[2:]), code)
            table.setdefault(fold(code[0]), code)
    for alias, code in (extra or {}).items():
        table[fold(alias)] = code
    return table


VOCABULARIES: dict[str, dict[str, str]] = {
    "gender": _table(
        GENDERS,
        {
            "Not Specified/Unknown": "NonSpecifiedUnknown",
            "F": "Feminine",
            "Female": "Feminine",
            "M": "Masculine",
            "Male": "Masculine",
            "Woman": "Feminine",
            "Man": "Masculine",
            "Unknown": "NonSpecifiedUnknown",
            "ស្រី": "Feminine",
            "ប្រុស": "Masculine",
        },
    ),
    "trafficking_status": _table(TRAFFICKING_STATUSES),
    "deciding_org": _table(DECIDING_ORG_TYPES),
    "methods_of_control": _table(
        METHODS_OF_CONTROL,
        {
            **METHODS_OF_CONTROL_ALIASES,
            "Threats of law enforcement": "ThreatOfLawEnforcement",
            "Psychoactive substance": "PsychoactiveSubstances",
            "PsychoactiveSubstance": "PsychoactiveSubstances",
        },
    ),
    "recruitment_method": _table(RECRUITMENT_METHODS),
    "recruitment_apps": _table(RECRUITMENT_APPS),
    "exploitation_type": _table(EXPLOITATION_TYPES),
    "industry": _table(
        ISIC_SECTIONS,
        {"G_WholesaleAndRetailTradeRepairOfMotorVehicles": "G_WholesaleAndRetailTrade"},
    ),
    "sex_exploitation": _table(
        ("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
    ),
    "case_status": _table(("Active", "FollowUp", "Closed", "ClosedReferred")),
    "role": _table(PERSON_ROLES),
    "role_in_process": _table(PERPETRATOR_ROLES),
    "custody": _table(("in_custody", "on_bail", "absconded", "at_large")),
}


def code(vocabulary: str, value: Any) -> str:
    """The code a cell means in ``vocabulary``: the code itself or its label, loosely compared
    (``Possible victim of trafficking``, ``Debt bondage ``, ``Agriculture, forestry and
    fishing``). Industry labels longer than the code's name match by their beginning."""
    raw = text(value)
    table = VOCABULARIES[vocabulary]
    key = fold(raw)
    if key in table:
        return table[key]
    if vocabulary == "industry":
        for folded, found in table.items():
            if len(folded) > 8 and key.startswith(folded):
                return found
    raise BadValue("unknown value %(value)s", value=raw)


def codes(vocabulary: str, values: list[str]) -> list[str]:
    """Every value of a multi-select cell as a code, in order, without repeats."""
    out: list[str] = []
    for value in values:
        found = code(vocabulary, value)
        if found not in out:
            out.append(found)
    return out


def _country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for language in ("en", "km"):
        for iso, name in countries(language).items():
            table[fold(name)] = iso
    for iso in countries():
        table[fold(iso)] = iso
    table.update(
        {
            fold("Viet Nam"): "VN",
            fold("Lao People's Democratic Republic"): "LA",
            fold("Cambodia"): "KH",
            fold("Korea, Republic of"): "KR",
        }
    )
    return table


_COUNTRIES: dict[str, str] = {}


def country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code from a code or a country name (English or Khmer)."""
    if not _COUNTRIES:
        _COUNTRIES.update(_country_table())
    found = _COUNTRIES.get(fold(value))
    if found is None:
        raise BadValue("unknown country %(value)s", value=text(value))
    return found


_PROVINCES = {fold(c): c for c, _, _ in PROVINCES} | {fold(en): c for c, en, _ in PROVINCES}
_PROVINCES |= {fold(km): c for c, _, km in PROVINCES}
_PROVINCES |= {fold(c.replace("KH-", "")): c for c, _, _ in PROVINCES}


def province(value: Any) -> str:
    """A province code from ``KH-1``, ``1``, ``Banteay Meanchey`` or ``បន្ទាយមានជ័យ``."""
    found = _PROVINCES.get(fold(text(value).translate(KHMER_DIGITS)))
    if found is None:
        raise BadValue("unknown province %(value)s", value=text(value))
    return found

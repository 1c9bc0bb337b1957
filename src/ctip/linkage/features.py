"""Comparison-ready columns for one record, whatever it came from (pure functions).

Registry persons (``ctip.persons.extract``) and outside lists (``ctip link file``) are both
turned into the same canonical columns, so one set of comparisons serves both, on every
engine. Missing values are ``None``; empty lists become ``None`` (Splink's null level).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from ctip.linkage.phonetic import (
    has_cjk,
    has_khmer,
    latin_key,
    name_skeleton,
)
from ctip.persons.names import normalise_name

# Canonical feature columns, in order. ``*_list`` columns hold arrays.
COLUMNS = (
    "unique_id",
    "first",
    "last",
    "first_key",
    "last_key",
    "name_skel",
    "km",
    "has_latin",
    "alias_list",
    "script_list",
    "dob",
    "birth_year",
    "sex",
    "nationality_list",
    "province_list",
    "city",
    "postcode",
    "address",
    "street_number",
    "ident_list",
    "ident_key",
    "block_year4a",
    "block_year4b",
    "rare_name",  # set by a large run only (ctip.linkage.model.mark_rare_names)
)
ARRAY_COLUMNS = ("alias_list", "script_list", "nationality_list", "province_list", "ident_list")

_SEX = {
    "feminine": "F",
    "female": "F",
    "f": "F",
    "masculine": "M",
    "male": "M",
    "m": "M",
}
_DIGITS = re.compile(r"[^0-9a-z]")


def clean(text: Any) -> str | None:
    """Normalised text (NFC, case-folded, no punctuation), or ``None`` when empty."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    out = normalise_name(str(text))
    return out or None


def sex_code(value: Any) -> str | None:
    text = clean(value)
    return _SEX.get(text or "")


def _list(values: Iterable[Any]) -> list[str] | None:
    out = sorted({v for v in values if v})
    return out or None


def features(
    *,
    unique_id: Any,
    first: str | None = None,
    last: str | None = None,
    km: str | None = None,
    aliases: Iterable[str] = (),
    dob: date | str | None = None,
    birth_year: int | None = None,
    sex: str | None = None,
    nationalities: Iterable[str] = (),
    provinces: Iterable[str] = (),
    city: str | None = None,
    postcode: str | None = None,
    address: str | None = None,
    street_number: str | None = None,
    identifiers: Iterable[str] = (),
) -> dict[str, Any]:
    """One record's canonical columns (see the module docstring)."""
    first_c, last_c = clean(first), clean(last)
    km_c = clean(km) if km and has_khmer(km) else None
    latin = " ".join(p for p in (first_c, last_c) if p) or None
    alias_forms: list[str] = []
    script_forms: list[str] = []
    for alias in aliases:
        form = clean(alias)
        if not form:
            continue
        if has_cjk(form) or has_khmer(form):
            # A name in its own script is the same name again, not independent evidence of
            # a Latin name: compared apart, only where one record has no Latin name.
            script_forms.append(form.replace(" ", "") if has_cjk(form) else form)
            continue
        alias_forms.append(form)
    if km and not km_c:  # a "Khmer name" field holding Latin letters is an alias
        alias_forms.append(clean(km) or "")
    skel = name_skeleton(latin) if latin else name_skeleton(km_c)
    if isinstance(dob, date):
        birth_year, dob = dob.year, dob.isoformat()
    elif dob:
        birth_year = int(dob[:4])
    first_key, last_key = latin_key(first_c), latin_key(last_c)
    year4a = None if birth_year is None else int(birth_year) // 4
    year4b = None if birth_year is None else (int(birth_year) + 2) // 4
    idents = _list(identifiers)
    return {
        "unique_id": unique_id,
        "first": first_c,
        "last": last_c,
        "first_key": first_key,
        "last_key": last_key,
        "name_skel": skel,
        "km": km_c,
        "has_latin": latin is not None,
        "alias_list": _list(alias_forms),
        "script_list": _list(script_forms),
        "dob": dob or None,
        "birth_year": None if birth_year is None else int(birth_year),
        "sex": sex_code(sex),
        "nationality_list": _list(str(n).upper() for n in nationalities if n),
        "province_list": _list(str(p).upper() for p in provinces if p),
        "city": clean(city),
        "postcode": _code(postcode),
        "address": clean(address),
        "street_number": _code(street_number),
        "ident_list": idents,
        "ident_key": idents[0] if idents else None,
        "block_year4a": year4a,
        "block_year4b": year4b,
        "rare_name": None,
    }


def _code(value: Any) -> str | None:
    text = clean(value)
    if not text:
        return None
    return _DIGITS.sub("", text) or None


def birth_year_of(row: Mapping[str, Any]) -> int | None:
    """The year of birth, or the one an estimated age implies on the day it was estimated."""
    dob = row.get("date_of_birth")
    if dob is not None:
        return int(dob.year)
    age = row.get("estimated_age")
    if age is None or pd.isna(age):
        return None
    on = row.get("age_estimated_on") or date.today()
    return int(on.year - int(age))


def registry_frame(persons: Any) -> pd.DataFrame:
    """Features of registry persons (the Arrow table of ``ctip.persons.extract``)."""
    rows = persons.to_pylist() if hasattr(persons, "to_pylist") else list(persons)
    out = []
    for row in rows:
        out.append(
            features(
                unique_id=int(row["person_id"]),
                first=row.get("given_name"),
                last=row.get("family_name"),
                km=row.get("name_km"),
                aliases=row.get("aliases") or (),
                dob=row.get("date_of_birth"),
                birth_year=birth_year_of(row),
                sex=row.get("gender"),
                nationalities=row.get("nationalities") or (),
                provinces=row.get("provinces") or (),
                identifiers=row.get("identifiers") or (),
            )
        )
    return frame(out)


def frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with every canonical column, typed so every engine reads it alike."""
    df = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    for col in ("birth_year", "block_year4a", "block_year4b"):
        df[col] = df[col].astype("Int64")
    df["has_latin"] = df["has_latin"].astype(bool)
    return df

"""Name forms that are blind-indexed so encrypted names stay searchable (pure functions).

A person is found by their full name in either order (Khmer names are often written family
name first), by any of their names in any order, by the start of a name (three characters or
more: ``prefix`` keys), in Latin or Khmer script, or by an alias.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_NAME = re.compile(r"[^\w\s\u1780-\u17ff]", re.UNICODE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")
# The shortest start of a name that is indexed (shorter starts would match too many people).
PREFIX_MIN = 3


@lru_cache(maxsize=65_536)  # names repeat: a bulk load or a linkage run normalises the same ones
def normalise_name(text: str) -> str:
    """Case-folded, NFC, without punctuation or zero-width marks, single spaces."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text or ""))
    text = _NOT_NAME.sub(" ", text.casefold())
    return " ".join(text.split())


def _full_forms(*parts: str | None) -> list[str]:
    tokens = [normalise_name(p) for p in parts if p and normalise_name(p)]
    if not tokens:
        return []
    forms = [" ".join(tokens)]
    if len(tokens) == 2:
        forms.append(f"{tokens[1]} {tokens[0]}")
    return forms


def name_keys(
    given: str | None,
    family: str | None,
    name_km: str | None = None,
    aliases: list[str] | None = None,
) -> list[tuple[str, str]]:
    """Every (kind, normalised form) to index for a person: ``full`` forms and ``token`` forms."""
    keys: list[tuple[str, str]] = []
    fulls = _full_forms(given, family)
    for other in [name_km, *(aliases or [])]:
        fulls += _full_forms(other)
    for form in fulls:
        keys.append(("full", form))
        for token in form.split():
            keys.append(("token", token))
            keys += [("prefix", token[:n]) for n in range(PREFIX_MIN, len(token))]
    keys += field_keys(given, family, name_km)
    return list(dict.fromkeys(keys))


def field_keys(
    given: str | None, family: str | None, name_km: str | None = None
) -> list[tuple[str, str]]:
    """Per-field forms for linkage (issue 7): each field as written (``given``, ``family``,
    ``km``), its phonetic key (``gkey``, ``fkey``) and the order-free phonetic key of the
    whole name (``phon``). Linkage finds candidates and counts name frequencies by them."""
    from ctip.linkage.phonetic import latin_key

    out: list[tuple[str, str]] = []
    g, f = normalise_name(given or ""), normalise_name(family or "")
    km = normalise_name(name_km or "")
    gk, fk = latin_key(g), latin_key(f)
    for kind, form in (("given", g), ("family", f), ("km", km), ("gkey", gk), ("fkey", fk)):
        if form:
            out.append((kind, form))
    if gk or fk:
        out.append(("phon", " ".join(sorted(k for k in (gk, fk) if k))))
    return out


def query_keys(query: str) -> list[tuple[str, str]]:
    """What to look up for a name search: the full form for several words, else the token."""
    form = normalise_name(query)
    if not form:
        return []
    return [("full", form)] if " " in form else [("token", form)]


def query_terms(query: str) -> list[list[tuple[str, str]]]:
    """A name search, one entry per word typed, in any order: each word matches a whole name
    (``token``) or the start of one (``prefix``); a person must match every word."""
    terms = []
    for word in normalise_name(query).split():
        keys = [("token", word)]
        if len(word) >= PREFIX_MIN:
            keys.append(("prefix", word))
        terms.append(keys)
    return terms

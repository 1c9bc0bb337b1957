"""Invented people and the way officers write them down.

An :class:`Entity` is one (fictional) human being: names, birth date, phones, documents.
A :class:`PersonRecord` is what one agency recorded about them in one case: a romanisation
variant of the names, given and family names sometimes swapped, the Khmer-script name or not,
an exact birth date or an estimated age, phone numbers written in whatever format the officer
used. Two records of one entity are the same real person; the ground truth says so.
Pure functions over ``random.Random``: the same seed gives the same people.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from ctip.demo.names import POOLS, NameEntry
from ctip.identifiers.normalize import index_form

# Cambodian mobile prefixes that take six-digit and seven-digit subscriber numbers.
MOBILE_6 = (
    "010",
    "011",
    "012",
    "014",
    "015",
    "016",
    "017",
    "061",
    "069",
    "070",
    "077",
    "078",
    "081",
    "085",
    "086",
    "087",
    "089",
    "092",
    "093",
    "095",
    "098",
    "099",
)
MOBILE_7 = ("031", "071", "076", "088", "096", "097")
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_PASSPORT = {  # nationality → (letters, digits)
    "KH": ("N", 8),
    "CN": ("E", 8),
    "VN": ("C", 7),
    "TH": ("AA", 7),
    "ID": ("C", 7),
    "MY": ("A", 8),
    "PH": ("P", 7),
    "KE": ("AK", 7),
    "MM": ("MA", 6),
    "LA": ("P", 7),
}
T = TypeVar("T")
_HANDLE_WORDS = (
    "job",
    "work",
    "recruit",
    "agency",
    "kh",
    "thai",
    "vip",
    "asia",
    "hr",
    "team",
    "money",
    "career",
    "abroad",
    "easy",
    "gold",
    "star",
    "boss",
)


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """A uniformly chosen item: ``rng.choice`` at a third of the cost (hot path)."""
    return items[int(rng.random() * len(items))]


def weighted(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    """``rng.choices(items, cum_weights=cum_weights)[0]``, the same draw from the same
    stream, without the list and the checks (hot path)."""
    at = rng.random() * (cum_weights[-1] + 0.0)
    return items[bisect_right(cum_weights, at, 0, len(items) - 1)]


def below(rng: random.Random, n: int) -> int:
    """A whole number 0 ≤ x < ``n``."""
    return int(rng.random() * n)


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number ``low`` ≤ x ≤ ``high``."""
    return low + int(rng.random() * (high - low + 1))


@dataclass(frozen=True, slots=True)
class IdentPlan:
    """One identifier as written, with the canonical form search compares."""

    id_type: str
    raw: str
    purpose: str  # blind-index purpose: the identifier type, or "raw" when not normalisable
    normalised: str
    valid: bool = True
    problem: str | None = None
    platform: str | None = None
    issuing_country: str | None = None


@dataclass(slots=True)
class Entity:
    """One invented human being, however many records describe them."""

    key: str
    nationality: str
    female: bool
    born: date
    given: NameEntry
    family: NameEntry | None
    phones: list[tuple[str, str]] = field(default_factory=list)
    passport: str | None = None
    national_id: str | None = None
    handle: str | None = None
    network: str | None = None
    extras: list[tuple[str, str]] = field(default_factory=list)  # (identifier type, value)


@dataclass(slots=True)
class PersonRecord:
    """What one agency wrote about an entity in one case."""

    entity: Entity
    given: str | None
    family: str | None
    name_km: str | None
    aliases: list[str]
    gender: str
    date_of_birth: date | None
    estimated_age: int | None
    identifiers: list[IdentPlan] = field(default_factory=list)


def new_entity(
    rng: random.Random, key: str, nationality: str, female: bool, ages: tuple[int, int], on: date
) -> Entity:
    """A fresh person of ``nationality`` aged within ``ages`` on the day ``on``."""
    pool = POOLS[nationality]
    given = pick(rng, pool.given_female if female else pool.given_male)
    family = pick(rng, pool.family) if pool.family and rng.random() >= pool.mononym else None
    born = on - timedelta(days=between(rng, ages[0] * 365, ages[1] * 365 + 364))
    return Entity(key, nationality, female, born, given, family)


def kh_phone(rng: random.Random) -> tuple[str, str]:
    """A random number in a Cambodian mobile range: (prefix with 0, subscriber digits)."""
    if rng.random() < 0.8:
        return pick(rng, MOBILE_6), f"{between(rng, 200_000, 1_000_000 - 1):06d}"
    return pick(rng, MOBILE_7), f"{between(rng, 2_000_000, 10_000_000 - 1):07d}"


def phone_text(prefix: str, sub: str, style: int) -> str:
    """The number written one of the ways people write Cambodian numbers."""
    head, tail = sub[:3], sub[3:]
    area = prefix[1:]
    return (
        f"{prefix} {head} {tail}",
        f"{prefix}{sub}",
        f"+855{area}{sub}",
        f"855-{area}-{head}-{tail}",
        f"+855 {area} {head} {tail}",
        f"{prefix}-{head}-{tail}",
        f"(+855) {area} {head} {tail}",
        f"855{area}{sub}",
    )[style]


PHONE_STYLES = 8


def phone_plan(rng: random.Random, phone: tuple[str, str]) -> IdentPlan:
    """A phone identifier in a random format; about one in a hundred mistyped (flagged)."""
    prefix, sub = phone
    if rng.random() < 0.01:
        return plan("phone", f"{prefix} {sub[:3]} {sub[3:-2]}")
    raw = phone_text(prefix, sub, below(rng, PHONE_STYLES))
    return IdentPlan("phone", raw, "phone", f"+855{prefix[1:]}{sub}")


def plan(
    id_type: str, raw: str, platform: str | None = None, issuing_country: str | None = None
) -> IdentPlan:
    """An identifier normalised exactly as the identifier service does."""
    purpose, form, result = index_form(id_type, raw)
    return IdentPlan(
        id_type, raw, purpose, form, result.valid, result.problem, platform, issuing_country
    )


def passport_number(rng: random.Random, nationality: str) -> str:
    letters, digits = _PASSPORT.get(nationality, ("P", 7))
    return letters + f"{below(rng, 10**digits):0{digits}d}"


def passport_plan(rng: random.Random, entity: Entity) -> IdentPlan:
    number = entity.passport or ""
    raw = number if rng.random() < 0.7 else f"{number[:2]} {number[2:]}".lower()
    return plan("passport", raw, issuing_country=entity.nationality)


def handle_name(rng: random.Random, base: str) -> str:
    """A plausible messaging handle built from a name and random words."""
    word = pick(rng, _HANDLE_WORDS)
    sep = pick(rng, ("_", "", "."))
    return f"{base.lower().replace(' ', '')}{sep}{word}{between(rng, 10, 999 - 1)}"


def handle_plan(rng: random.Random, handle: str, platform: str = "telegram") -> IdentPlan:
    style = below(rng, 4)
    if platform == "telegram":
        raw = (f"@{handle}", f"t.me/{handle}", handle, f"@{handle.capitalize()}")[style]
    else:
        raw = (f"facebook.com/{handle}", handle, f"fb.com/{handle}", handle.capitalize())[style]
    return plan("social_handle", raw, platform=platform)


def wallet(rng: random.Random) -> str:
    return "T" + "".join(pick(rng, _B58) for _ in range(33))


def account_number(rng: random.Random) -> str:
    return f"{below(rng, 10**9):09d}"


def _spell(rng: random.Random, entry: NameEntry, canonical_share: float = 0.65) -> str:
    if not entry[1] or rng.random() < canonical_share:
        return entry[0]
    return pick(rng, entry[1])


def _native(entity: Entity) -> str | None:
    """The name in its own script: Khmer family-first with a space, Chinese without one."""
    family_native = entity.family[2] if entity.family else ""
    if not entity.given[2] or (entity.family and not family_native):
        return None
    if entity.nationality == "KH":
        return f"{family_native} {entity.given[2]}".strip()
    return f"{family_native}{entity.given[2]}"


def _gender(rng: random.Random, entity: Entity) -> str:
    if rng.random() < 0.03:
        return "NonSpecifiedUnknown"
    return "Feminine" if entity.female else "Masculine"


def _latin_names(rng: random.Random, entity: Entity) -> tuple[str | None, str | None]:
    given = _spell(rng, entity.given)
    family = _spell(rng, entity.family) if entity.family else None
    swap_share = 0.12 if POOLS[entity.nationality].family_first else 0.04
    if family and rng.random() < swap_share:
        return family, given
    return given, family


def render(rng: random.Random, entity: Entity, on: date, alias: str | None = None) -> PersonRecord:
    """One agency's record of ``entity`` made on the day ``on`` (identifiers added later)."""
    given, family = _latin_names(rng, entity)
    native = _native(entity)
    name_km: str | None = None
    aliases = [alias] if alias else []
    if native and entity.nationality == "KH":
        roll = rng.random()
        name_km = native if roll < 0.6 else None
        if roll < 0.05:
            given = family = None
    elif native and rng.random() < 0.3:
        aliases.append(native)
    age = (on - entity.born).days // 365
    roll = rng.random()
    dob = entity.born if roll < 0.55 else None
    estimated = max(1, age + between(rng, -2, 2)) if 0.55 <= roll < 0.9 else None
    return PersonRecord(
        entity, given, family, name_km, aliases, _gender(rng, entity), dob, estimated
    )

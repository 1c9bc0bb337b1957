"""Normalising identifier values: pure functions, one rule per identifier type.

Phones become E.164 (``phonenumbers``, default region Cambodia), so ``+855 12 345 678``,
``012345678`` and ``855-12-345-678`` are one number. Handles lose ``@`` and URL prefixes and
are lower-cased; e-mails are lower-cased; document and account numbers keep only letters and
digits, upper-cased. A value that cannot be normalised is reported, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from ctip.reference import IDENTIFIER_TYPES

_HANDLE_PREFIX = re.compile(
    r"^(https?://)?(www\.)?(t\.me/|telegram\.me/|facebook\.com/|fb\.com/|tiktok\.com/@?|"
    r"instagram\.com/|wa\.me/|line\.me/ti/p/~?)",
    re.I,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ALNUM = re.compile(r"[^0-9A-Za-z]")
_EVM_WALLET = re.compile(r"^0x[0-9a-fA-F]{40}$")
_BASE58_WALLET = re.compile(r"^[13T][1-9A-HJ-NP-Za-km-z]{25,40}$")
# Khmer (០–៩) and Thai (๐–๙) digits read as ASCII digits.
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩๐๑๒๓๔๕๖๗๘๙", "01234567890123456789")


@dataclass(frozen=True)
class Normalised:
    """The canonical form of a value, or why there is none."""

    value: str | None
    problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.value is not None


def _phone(raw: str, region: str) -> Normalised:
    text = raw.translate(_KHMER_DIGITS).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Normalised(None, "not a phone number")
    if not phonenumbers.is_valid_number(number):
        digits = re.sub(r"\D", "", text)
        if not text.startswith("+") and len(digits) > 9:
            # "855 12 …" without the plus, or "00 855 …" dialled with the common 00 prefix.
            return _phone("+" + (digits[2:] if digits.startswith("00") else digits), region)
        return Normalised(None, "not a valid phone number")
    return Normalised(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _handle(raw: str) -> Normalised:
    text = _HANDLE_PREFIX.sub("", raw.strip()).lstrip("@").strip().rstrip("/").lower()
    if not text or re.search(r"\s", text):
        return Normalised(None, "not a handle")
    return Normalised(text)


def _email(raw: str) -> Normalised:
    text = raw.strip().lower()
    return Normalised(text) if _EMAIL.match(text) else Normalised(None, "not an e-mail address")


def _document(raw: str) -> Normalised:
    text = _ALNUM.sub("", raw.translate(_KHMER_DIGITS)).upper()
    return Normalised(text) if len(text) >= 4 else Normalised(None, "too short")


def _wallet(raw: str) -> Normalised:
    text = raw.strip()
    if _EVM_WALLET.match(text):
        return Normalised(text.lower())
    if _BASE58_WALLET.match(text):
        return Normalised(text)
    return Normalised(None, "not a recognised wallet address")


def normalise(id_type: str, raw: str, region: str = "KH") -> Normalised:
    """The canonical form of ``raw`` as an identifier of ``id_type``."""
    if id_type not in IDENTIFIER_TYPES:
        raise ValueError(f"unknown identifier type {id_type!r}")
    if not raw or not raw.strip():
        return Normalised(None, "empty")
    if id_type == "phone":
        return _phone(raw, region)
    if id_type == "social_handle":
        return _handle(raw)
    if id_type == "email":
        return _email(raw)
    if id_type == "crypto_wallet":
        return _wallet(raw)
    return _document(raw)


def search_forms(value: str, region: str = "KH") -> list[tuple[str, str]]:
    """Every (type, normalised value) that a free-text search ``value`` could mean.

    An identifier that failed to normalise is indexed on its raw text under ``raw:<type>``;
    the raw query is included so such values are still found exactly.
    """
    forms: list[tuple[str, str]] = []
    for id_type in IDENTIFIER_TYPES:
        result = normalise(id_type, value, region)
        if result.value is not None and (id_type, result.value) not in forms:
            forms.append((id_type, result.value))
    forms.append(("raw", raw_key(value)))
    return forms


def raw_key(value: str) -> str:
    """The key an unnormalisable value is indexed under: trimmed, spaces folded, lower-case."""
    return " ".join(value.split()).lower()


def index_form(id_type: str, raw: str, region: str = "KH") -> tuple[str, str, Normalised]:
    """The (purpose, value) pair to blind-index for a stored identifier, and its normalisation."""
    result = normalise(id_type, raw, region)
    if result.value is None:
        return "raw", raw_key(raw), result
    return id_type, result.value, result

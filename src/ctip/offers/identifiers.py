"""Find phone numbers, messenger handles, e-mail addresses and links in an offer.

Analysts group reported offers by these, and the public answer says when one of them has
been reported in connection with trafficking. Values are normalised the way the registry
normalises identifiers: phones to E.164, handles lower-cased without "@".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ctip.identifiers.normalize import normalise
from ctip.offers.normalize import NormText, normalise_text

_REGION = {"km": "KH", "en": "KH", "th": "TH", "vi": "VN", "zh": "CN"}
_PHONE = re.compile(r"[+\d][\d \-()]{6,18}\d(?![\w.,]?\d)")
_NOT_BEFORE_PHONE = re.compile(r"[\w@/.]")
_TME = re.compile(r"(?:https?://)?t(?:elegram)?\.me/([a-z][\w]{3,31})")
_WAME = re.compile(r"(?:https?://)?wa\.me/(\d{7,15})")
_AT = re.compile(r"(?<![\w.])@([a-z][\w.]{3,31})(?<!\.)")
_NAMED_ID = re.compile(
    r"(wechat|微信|vx|wx|line id|line|ไลน์ไอดี|ไลน์|zalo)\s*(?:id)?\s*[:：]?\s*"
    r"(?![\d+])([a-z][\w.-]{3,30})"
)
_MESSENGER_WORD = re.compile(r"wechat|微信|vx|wx|line|ไลน์|zalo")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MESSENGER_BEFORE = (
    ("line", "line"),
    ("ไลน์", "line"),
    ("wechat", "wechat"),
    ("微信", "wechat"),
    ("whatsapp", "whatsapp"),
    ("zalo", "zalo"),
)


@dataclass(frozen=True)
class Identifier:
    """An identifier found in the text: its kind, normalised value and original words."""

    kind: str  # phone | telegram | line | wechat | whatsapp | zalo | email
    value: str
    text: str
    start: int
    end: int


def extract_identifiers(
    text: str, lang: str = "en", norm: NormText | None = None
) -> list[Identifier]:
    """Every identifier in ``text``, de-duplicated by kind and value, in order of appearance."""
    norm = norm or normalise_text(text)
    found = _phones(norm, lang)
    if "@" in norm.text or ".me/" in norm.text or _MESSENGER_WORD.search(norm.text):
        found += [*_emails(norm), *_handles(norm)]
    unique: dict[tuple[str, str], Identifier] = {}
    for ident in sorted(found, key=lambda i: i.start):
        unique.setdefault((ident.kind, ident.value), ident)
    return list(unique.values())


def _make(norm: NormText, kind: str, value: str, start: int, end: int) -> Identifier:
    a, b = norm.span(start, end)
    return Identifier(kind, value, norm.original[a:b], a, b)


def _emails(norm: NormText) -> list[Identifier]:
    return [_make(norm, "email", m[0], m.start(), m.end()) for m in _EMAIL.finditer(norm.text)]


@lru_cache(maxsize=65536)
def normalise_phone(raw: str, region: str = "KH") -> str | None:
    """E.164 form of a phone number, exactly as the registry normalises it (so blind
    indexes match), or None when it cannot be a phone number."""
    return normalise("phone", raw, region).value


def _phones(norm: NormText, lang: str) -> list[Identifier]:
    """Phone numbers (8-15 digits that phonenumbers accepts), including wa.me links."""
    region = _REGION.get(lang, "KH")
    out = []
    for m in _PHONE.finditer(norm.text):
        if m.start() > 0 and _NOT_BEFORE_PHONE.match(norm.text, m.start() - 1):
            continue
        digits = re.sub(r"\D", "", m[0])
        e164 = normalise_phone(m[0].strip(), region) if 8 <= len(digits) <= 15 else None
        if e164:
            out.append(_make(norm, "phone", e164, m.start(), m.end()))
    for m in _WAME.finditer(norm.text) if "wa.me" in norm.text else ():
        e164 = normalise_phone("+" + m[1], region)
        if e164:
            out.append(_make(norm, "whatsapp", e164, m.start(), m.end()))
    return out


def _handles(norm: NormText) -> list[Identifier]:
    """Telegram links, @handles (kind from the messenger named just before) and named IDs."""
    text = norm.text
    out = [_make(norm, "telegram", m[1].lower(), m.start(), m.end()) for m in _TME.finditer(text)]
    for m in _AT.finditer(text):
        if text[m.end() : m.end() + 1] == "." or _EMAIL.match(text, m.start() - 1):
            continue
        kind = _messenger_before(text, m.start())
        out.append(_make(norm, kind, m[1].lower(), m.start(), m.end()))
    for m in _NAMED_ID.finditer(text):
        kind = dict(_MESSENGER_BEFORE).get(m[1], "line" if "line" in m[1] else "wechat")
        if m[1] in ("vx", "wx"):
            kind = "wechat"
        out.append(_make(norm, kind, m[2].lower(), m.start(2), m.end(2)))
    return out


def _messenger_before(text: str, at: int) -> str:
    """The messenger named within 20 characters before a handle; Telegram by default."""
    window = text[max(0, at - 20) : at]
    for word, kind in _MESSENGER_BEFORE:
        if word in window:
            return kind
    return "telegram"

"""Find phone numbers, messenger handles, e-mail addresses and links in an offer.

Analysts group reported offers by these, and the public answer says when one of them has
been reported in connection with trafficking. Values are normalised the way the registry
normalises identifiers: phones to E.164, handles lower-cased without "@".

Only what the text presents as a contact counts: a phone number needs a contact word
shortly before it ("call", "Tel", "ទូរស័ព្ទ", "โทร", "SĐT", "电话/微信" …) or an
international "+" prefix, and a named handle needs its messenger's name as a word
("LINE:", not the "line" inside "Online"). A salary range or a date is never a phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ctip.identifiers.normalize import normalise
from ctip.offers.normalize import NormText, normalise_text

_REGION = {"km": "KH", "en": "KH", "th": "TH", "vi": "VN", "zh": "CN"}
_PHONE = re.compile(r"[+\d][\d \-()]{6,18}\d(?![\w.,]?\d)")
_NOT_BEFORE_PHONE = re.compile(r"[A-Za-z0-9_@/.]")
_TME = re.compile(r"(?:https?://)?t(?:elegram)?\.me/([a-z][\w]{3,31})")
_WAME = re.compile(r"(?:https?://)?wa\.me/(\d{7,15})")
_AT = re.compile(r"(?<![\w.])@([a-z][\w.]{3,31})(?<!\.)")
_NAMED_ID = re.compile(
    r"(?<![a-z])(wechat|微信|vx|wx|line id|line|ไลน์ไอดี|ไลน์|zalo)(?![a-z])"
    r"(?:\s*id)?(?P<sep>\s*[:：]\s*|\s+)(?![\d+])([a-z][\w.-]{3,30})"
)
# "line" and "zalo" are ordinary words too: after them, a handle needs ":" or "id".
_NEEDS_SEPARATOR = frozenset({"line", "zalo"})
# Words that present the number after them as a way to reach someone.
_CONTACT_BEFORE = re.compile(
    r"(?<![a-z])(?:tel|phone|call|contact|mobile|mob|cell|hotline|whats ?app|viber|telegram"
    r"|signal|sms|text|line|zalo|wechat|ph|t|m)\.?\s*[:：]?\s*$"
    r"|(?:☎|📞|📱|☎️)\s*$"
    r"|(?:ទូរស័ព្ទ|ទូរសព្ទ|ទាក់ទង|លេខ|តេឡេក្រាម)\s*[:：]?\s*$"
    r"|(?:โทร|ติดต่อ|เบอร์|ไลน์|สายด่วน)\S{0,6}\s*[:：]?\s*$"
    r"|(?:sđt|sdt|đt|dt|điện thoại|dien thoai|liên hệ|lien he|gọi|goi|hotline)\s*[:：]?\s*$"
    r"|(?:电话|手机|微信|联系|热线|同号|致电|飞机)\S{0,3}\s*[:：]?\s*$"
)
_MESSENGER_WORD = re.compile(r"wechat|微信|vx|wx|line|ไลน์|zalo")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MESSENGER_BEFORE = (
    ("line", "line"),
    ("ไลน์ไอดี", "line"),
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
    text: str, lang: str = "en", norm: NormText | None = None, *, contact: bool = False
) -> list[Identifier]:
    """Every identifier in ``text``, de-duplicated by kind and value, in order of appearance.

    ``contact``: the whole text is a contact field ("the recruiter's phone or handle"), so
    a number counts without a contact word before it."""
    norm = norm or normalise_text(text)
    found = _phones(norm, lang, contact)
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


def presented_as_contact(text: str, start: int) -> bool:
    """True when the number at ``start`` has a "+" or a contact word just before it."""
    if text.startswith("+", start):
        return True
    return bool(_CONTACT_BEFORE.search(text[max(0, start - 24) : start]))


def _phones(norm: NormText, lang: str, contact: bool = False) -> list[Identifier]:
    """Phone numbers presented as contacts (8-15 digits that phonenumbers accepts), and
    wa.me links."""
    region = _REGION.get(lang, "KH")
    out = []
    for m in _PHONE.finditer(norm.text):
        if m.start() > 0 and _NOT_BEFORE_PHONE.match(norm.text, m.start() - 1):
            continue
        digits = sum(c.isdecimal() for c in m[0])  # the cheap test first
        if not 8 <= digits <= 15:
            continue
        if not contact and not presented_as_contact(norm.text, m.start()):
            continue
        e164 = normalise_phone(m[0].strip(), region)
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
        if m[1] in _NEEDS_SEPARATOR and not m["sep"].strip() and "id" not in m[0][len(m[1]) :]:
            continue  # "line abc" or "zalo group" in running text is not a handle
        kind = dict(_MESSENGER_BEFORE).get(m[1], "line" if "line" in m[1] else "wechat")
        if m[1] in ("vx", "wx"):
            kind = "wechat"
        out.append(_make(norm, kind, m[3].lower(), m.start(3), m.end(3)))
    return out


def _messenger_before(text: str, at: int) -> str:
    """The messenger named within 20 characters before a handle; Telegram by default."""
    window = text[max(0, at - 20) : at]
    for word, kind in _MESSENGER_BEFORE:
        if word in window:
            return kind
    return "telegram"

"""One detector per red-flag cue family (C1-C12), each a plain function.

Every detector takes a :class:`Doc` and returns the :class:`Span` s it matched, with
offsets into the person's original text, so the explanation can quote their exact words.
A detector never reports a cue it cannot point to: absence-only signals (for instance
"no company address") only strengthen a cue that has its own quoted words (C6).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ctip.offers.cues import (
    COUNTRY_WORDS,
    FEE_NEGATORS,
    NEGATORS,
    ROLE_WORDS,
    TRACEABLE_WORDS,
    compiled_cues,
    find_word,
    first_key,
)
from ctip.offers.normalize import Amount, NormText, find_amounts, normalise_text
from ctip.offers.wages import WageTable, default_wage_table

_LANG_COUNTRY = {"km": "KH", "th": "TH", "vi": "VN", "zh": "CN", "en": "KH"}
FAMILIES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12")


@dataclass(frozen=True)
class Span:
    """A matched piece of the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Doc:
    """A message prepared once for all detectors: normalised, pay read, phrases scanned."""

    norm: NormText
    lang: str
    wages: WageTable
    amounts: tuple[Amount, ...]
    hits: dict[str, list[tuple[int, int]]]  # family -> normalised (start, end) of phrases


def make_doc(text: str, lang: str = "en", wages: WageTable | None = None) -> Doc:
    """Normalise a message, read its pay figures and find every cue phrase once."""
    wages = wages or default_wage_table()
    norm = normalise_text(text)
    return Doc(norm, lang, wages, tuple(find_amounts(norm, lang, wages)), _scan(norm.text, lang))


@cache
def _patterns(lang: str) -> list[tuple[str, tuple[str, ...], re.Pattern[str]]]:
    """English plus the message's language; every language when it is not one we support."""
    if lang not in _LANG_COUNTRY:
        return compiled_cues(tuple(_LANG_COUNTRY))
    return compiled_cues(("en",) if lang == "en" else ("en", lang))


@cache
def _anchor_pairs(lang: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[int]]:
    """``(anchor, pattern number)`` pairs split into ASCII and other anchors, and the
    patterns without an anchor."""
    pairs = [(w, i) for i, (_f, words, _r) in enumerate(_patterns(lang)) for w in words]
    always = [i for i, (_f, words, _r) in enumerate(_patterns(lang)) if not words]
    ascii_pairs = [(w, i) for w, i in pairs if w.isascii()]
    return ascii_pairs, [(w, i) for w, i in pairs if not w.isascii()], always


def ascii_part(text: str) -> str:
    """The ASCII characters of ``text``, for cheap tests of ASCII words.

    Searching an ASCII word in Khmer or Thai text makes CPython widen the word on every
    call; searching the ASCII remainder avoids that. Removing characters can only create
    extra candidate matches, never hide one, and every candidate is confirmed by regex.
    """
    return text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")


def _scan(text: str, lang: str) -> dict[str, list[tuple[int, int]]]:
    """Normalised spans of every cue phrase, by family (overlaps within a family merged).

    A pattern runs only when one of its anchors is in the text: a plain substring test
    is far cheaper than letting ``re`` try every pattern at every position.
    """
    ascii_pairs, other_pairs, always = _anchor_pairs(lang)
    plain = ascii_part(text)
    candidates = {i for w, i in ascii_pairs if w in plain}
    if plain is not text:
        candidates.update(i for w, i in other_pairs if w in text)
    patterns = _patterns(lang)
    hits: dict[str, list[tuple[int, int]]] = {}
    for i in sorted(candidates.union(always)):
        family, _words, regex = patterns[i]
        for m in regex.finditer(text):
            if m.end() > m.start():
                hits.setdefault(family, []).append((m.start(), m.end()))
    return {family: _merge(spans) for family, spans in hits.items()}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and fuse overlapping or touching ones ("打字员" and "打字" quote once)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？\n•|]")


@cache
def _negator_re(fee: bool) -> re.Pattern[str]:
    return re.compile(FEE_NEGATORS if fee else NEGATORS)


def _negated(text: str, start: int, fee: bool, spaced: bool = False) -> bool:
    """True when a negation stands in the same clause within 20 characters before ``start``.

    In Khmer and Thai a space ends a phrase (``spaced``), so it also ends the clause.
    """
    window = text[max(0, start - 20) : start]
    window = _CLAUSE_END.split(window)[-1]
    if spaced:
        window = window.rsplit(" ", 1)[-1]
    return bool(_negator_re(fee).search(window))


def _phrases(doc: Doc, family: str, negation: str = "none") -> list[Span]:
    """Matches of a family's phrase patterns, minus negated ones, as original spans."""
    spans: list[Span] = []
    text = doc.norm.text
    spaced = doc.lang in ("km", "th")
    for nstart, nend in doc.hits.get(family, []):
        if negation != "none" and _negated(text, nstart, negation == "fee", spaced):
            continue
        start, end = doc.norm.span(nstart, nend)
        spans.append(Span(start, end, doc.norm.original[start:end]))
    return spans


def work_country(doc: Doc) -> str:
    """Where the work is: the first country or hub named, else the language's country."""
    return first_key(COUNTRY_WORDS, doc.norm.text) or _LANG_COUNTRY.get(doc.lang, "KH")


def role_group(doc: Doc) -> str:
    """What kind of job is offered: factory or hospitality words, else a C3 role, else general."""
    found = first_key(ROLE_WORDS, doc.norm.text)
    if found:
        return found
    return "office" if "C3" in doc.hits else "general"


def c1_salary(doc: Doc) -> list[Span]:
    """C1: pay far above the local entry wage for the role (``factor`` x entry wage)."""
    if not doc.amounts:
        return []
    country, role = work_country(doc), role_group(doc)
    return [
        Span(a.start, a.end, a.text)
        for a in doc.amounts
        if doc.wages.implausible(a.usd_month, country, role)
    ]


def c2_low_threshold(doc: Doc) -> list[Span]:
    """C2: no experience, no degree, "just typing", age the only requirement."""
    return _phrases(doc, "C2")


def c3_compound_role(doc: Doc) -> list[Span]:
    """C3: roles that scam compounds recruit for (customer service, typing, chat, casino)."""
    return _phrases(doc, "C3")


def c4_journey_paid(doc: Doc) -> list[Span]:
    """C4: the employer pays the journey (free ticket, visa arranged, pick-up at border)."""
    return _phrases(doc, "C4", negation="plain")


def c5_risk_destination(doc: Doc) -> list[Span]:
    """C5: compound hubs and overland crossings named in public reports."""
    return _phrases(doc, "C5")


def c6_messenger_only(doc: Doc) -> list[Span]:
    """C6: contact through a messenger app while no website, e-mail or address is given."""
    if "C6" not in doc.hits or _traceable(doc.norm.text):
        return []
    return _phrases(doc, "C6")


_EMAIL_OR_LINK = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}|https?://(?!t\.me|wa\.me)|www\.")


def _traceable(text: str) -> bool:
    """A website, an e-mail address, a street address or a licence number is given."""
    if ("@" in text or "http" in text or "www." in text) and _EMAIL_OR_LINK.search(text):
        return True
    return any(find_word(text, w) >= 0 for w in TRACEABLE_WORDS)


def c7_vague_employer(doc: Doc) -> list[Span]:
    """C7: an unnamed "big company abroad"; details only in private chat."""
    return _phrases(doc, "C7")


def c8_urgency_secrecy(doc: Doc) -> list[Span]:
    """C8: leave this week, limited places, don't tell your family, say you are a tourist."""
    return _phrases(doc, "C8", negation="plain")


def c9_fees_debt(doc: Doc) -> list[Span]:
    """C9: fees, deposits, debts, penalties for leaving, first pay after months."""
    return _phrases(doc, "C9", negation="fee")


def c10_documents(doc: Doc) -> list[Span]:
    """C10: send a passport photo; the company keeps your passport."""
    return _phrases(doc, "C10", negation="plain")


def c11_closed_living(doc: Doc) -> list[Span]:
    """C11: living and working inside, closed management, long shifts, no phone."""
    return _phrases(doc, "C11", negation="plain")


def c12_crypto_pay(doc: Doc) -> list[Span]:
    """C12: pay in crypto (USDT / "U"), including amounts written in USDT."""
    spans = _phrases(doc, "C12", negation="plain")
    seen = {(s.start, s.end) for s in spans}
    for a in doc.amounts:
        if a.currency == "USDT" and not any(s <= a.start < e for s, e in seen):
            spans.append(Span(a.start, a.end, a.text))
    return sorted(spans, key=lambda s: s.start)


DETECTORS: dict[str, Callable[[Doc], list[Span]]] = {
    "C1": c1_salary,
    "C2": c2_low_threshold,
    "C3": c3_compound_role,
    "C4": c4_journey_paid,
    "C5": c5_risk_destination,
    "C6": c6_messenger_only,
    "C7": c7_vague_employer,
    "C8": c8_urgency_secrecy,
    "C9": c9_fees_debt,
    "C10": c10_documents,
    "C11": c11_closed_living,
    "C12": c12_crypto_pay,
}


def detect_all(doc: Doc) -> dict[str, list[Span]]:
    """Run every detector; families with no match are left out."""
    found = {}
    for code, detector in DETECTORS.items():
        spans = detector(doc)
        if spans:
            found[code] = spans
    return found

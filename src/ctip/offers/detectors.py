"""One detector per red-flag cue family, each a plain function.

Every detector takes a :class:`Doc` and returns the :class:`Span` s it matched, with
offsets into the person's original text, so the explanation can quote their exact words,
and the *variant* of the sign (a tourist visa is not a free ticket) so it can say why
that sign matters. A detector never reports a cue it cannot point to: absence-only
signals (for instance "no company address") only strengthen a cue that has its own
quoted words (C6).
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
    PATTERNS_BY_LANG,
    ROLE_WORDS,
    TRACEABLE_WORDS,
    Cue,
    WordIndex,
    compiled_cues,
    find_word,
    first_key,
)
from ctip.offers.normalize import Amount, NormText, find_amounts, fold, normalise_text
from ctip.offers.wages import WageTable, default_wage_table

_LANG_COUNTRY = {"km": "KH", "th": "TH", "vi": "VN", "zh": "CN", "en": "KH"}
FAMILIES = tuple(f"C{i}" for i in range(1, 21))


@dataclass(frozen=True)
class Span:
    """A matched piece of the original text, and which variant of the sign it is."""

    start: int
    end: int
    text: str
    variant: str = ""


@dataclass(frozen=True)
class Doc:
    """A message prepared once for all detectors: normalised, money read, phrases scanned."""

    norm: NormText
    lang: str
    wages: WageTable
    amounts: tuple[Amount, ...]
    hits: dict[str, list[tuple[int, int, str]]]  # family -> normalised (start, end, variant)
    destination: str | None = None  # the first country or hub the message names


def make_doc(text: str, lang: str = "en", wages: WageTable | None = None) -> Doc:
    """Normalise a message, read its amounts, find every cue phrase and the destination once."""
    wages = wages or default_wage_table()
    norm = normalise_text(text)
    amounts = tuple(find_amounts(norm, lang, wages))
    destination = first_key(COUNTRY_WORDS, norm.text)
    return Doc(norm, lang, wages, amounts, _scan(norm.text, lang), destination)


def _langs(lang: str) -> tuple[str, ...]:
    """English plus the message's language; every language when it is not one we support."""
    if lang not in _LANG_COUNTRY:
        return tuple(PATTERNS_BY_LANG)
    return ("en",) if lang == "en" else ("en", lang)


def _anchor_index(lang: str, folded: bool) -> tuple[WordIndex, tuple[int, ...]]:
    return _anchor_index_for(_langs(lang), folded)


@cache
def _anchor_index_for(langs: tuple[str, ...], folded: bool) -> tuple[WordIndex, tuple[int, ...]]:
    """The anchors of the cues matched against the plain (or the folded) text, each
    selecting its cues, in one Aho-Corasick index; and the cues without an anchor."""
    cues = compiled_cues(langs)
    pairs = [(w, i) for i, c in enumerate(cues) if c.folded == folded for w in c.anchors]
    always = tuple(i for i, c in enumerate(cues) if c.folded == folded and not c.anchors)
    return WordIndex(pairs), always


def _candidates(text: str, index: tuple[WordIndex, tuple[int, ...]]) -> dict[int, int]:
    """Each cue that may match, with where its first anchor starts at the earliest."""
    words, always = index
    found: dict[int, int] = words.first_starts(text)  # type: ignore[assignment]
    for i in always:
        found[i] = 0
    return found


@cache
def _has_folded(lang: str) -> bool:
    return any(c.folded for c in compiled_cues(_langs(lang)))


def _scan(text: str, lang: str) -> dict[str, list[tuple[int, int, str]]]:
    """Normalised spans of every cue phrase, by family (overlaps within a family merged).

    A pattern runs only when one of its anchors is in the text, and one Aho-Corasick
    pass finds every anchor at once: far cheaper than letting ``re`` try every pattern
    at every position. Vietnamese patterns run on the folded text, which has the same
    offsets.
    """
    cues: tuple[Cue, ...] = compiled_cues(_langs(lang))
    hits: dict[str, list[tuple[int, int, str]]] = {}
    targets = [(text, False)]
    if _has_folded(lang):
        targets.append((fold(text), True))
    for target, folded in targets:
        candidates = _candidates(target, _anchor_index(lang, folded))
        for i in sorted(candidates):
            cue = cues[i]
            # Every match contains an anchor, so none starts more than the pattern's
            # longest match before the first anchor: the search starts there.
            start = 0 if cue.width is None else max(0, candidates[i] - cue.width)
            for m in cue.regex.finditer(target, start):
                if m.end() > m.start():
                    hits.setdefault(cue.family, []).append((m.start(), m.end(), cue.variant))
    return {family: _merge(spans) for family, spans in hits.items()}


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort spans and fuse overlapping or touching ones ("打字员" and "打字" quote once);
    a fused span keeps the variant of its first part."""
    merged: list[tuple[int, int, str]] = []
    for start, end, variant in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, variant))
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
    return bool(_negator_re(fee).search(fold(window)) or _negator_re(fee).search(window))


# A fee "set by the ministry" or "as per the official schedule" is the legal route's own
# charge, not a broker's.
_OFFICIAL_FEE = re.compile(
    r"set by the ministry|as per the official|official (?:schedule|notice)|by the ministry"
    r"|តាមការកំណត់|តាមតារាងផ្លូវការ|ตามที่ทางราชการกำหนด|ตามอัตราทางการ|theo quy định"
    r"|以官方|官方公布|规定以外|按国家"
)


# A visa arranged together with a work permit is the legal route, not a tourist entry.
_WORK_PERMIT = re.compile(
    r"work permit|ប័ណ្ណការងារ|ใบอนุญาตทำงาน|giay phep lao dong|工作许可|劳务许可|工作证"
)


def c4_journey_paid(doc: Doc) -> list[Span]:
    """C4: the employer pays the journey or arranges the visa (free ticket, tourist visa,
    pick-up at the border); a visa arranged with a work permit does not count."""
    spans = _phrases(doc, "C4", negation="plain")
    text = doc.norm.original.lower()  # spans are offsets into the original text
    return [
        s
        for s in spans
        if s.variant != "visa"
        or not _WORK_PERMIT.search(fold(text[max(0, s.start - 40) : s.end + 40]))
    ]


def _official(text: str, end: int) -> bool:
    return bool(
        _OFFICIAL_FEE.search(fold(text[end : end + 40]))
        or _OFFICIAL_FEE.search(text[end : end + 40])
    )


def _phrases(doc: Doc, family: str, negation: str = "none") -> list[Span]:
    """Matches of a family's phrase patterns, minus negated ones, as original spans."""
    spans: list[Span] = []
    text = doc.norm.text
    spaced = doc.lang in ("km", "th")
    for nstart, nend, variant in doc.hits.get(family, []):
        if negation != "none" and _negated(text, nstart, negation == "fee", spaced):
            continue
        if negation == "fee" and _official(text, nend):
            continue
        start, end = doc.norm.span(nstart, nend)
        spans.append(Span(start, end, doc.norm.original[start:end], variant))
    return spans


def work_country(doc: Doc) -> str:
    """Where the work is: the first country or hub named, else the language's country."""
    return doc.destination or _LANG_COUNTRY.get(doc.lang, "KH")


def role_group(doc: Doc) -> str:
    """What kind of job is offered: factory or hospitality words, else a C3 role, else general."""
    found = first_key(ROLE_WORDS, doc.norm.text)
    if found:
        return found
    return "office" if "C3" in doc.hits else "general"


def c1_salary(doc: Doc) -> list[Span]:
    """C1: pay far above the local entry wage for the role (``factor`` x entry wage).

    Only amounts read as pay count: a fee, deposit, penalty, debt or bride price is not
    evidence of high pay (those are C9 and C13)."""
    pay = [a for a in doc.amounts if a.kind == "pay"]
    if not pay:
        return []
    country, role = work_country(doc), role_group(doc)
    return [
        Span(a.start, a.end, a.text, "daily" if a.period in ("day", "hour") else "monthly")
        for a in pay
        if doc.wages.implausible(a.usd_month, country, role)
    ]


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


def c9_fees_debt(doc: Doc) -> list[Span]:
    """C9: fees, deposits, debts, penalties for leaving, first pay after months; amounts
    read as fees are quoted too ("Processing cost $3,500")."""
    spans = _phrases(doc, "C9", negation="fee")
    taken = [(s.start, s.end) for s in spans]
    for a in doc.amounts:
        if a.kind == "fee" and not any(s <= a.start < e or a.start <= s < a.end for s, e in taken):
            spans.append(Span(a.start, a.end, a.text, "fee_amount"))
    return sorted(spans, key=lambda s: s.start)


def c12_crypto_pay(doc: Doc) -> list[Span]:
    """C12: pay in crypto (USDT / "U"), including amounts written in USDT."""
    spans = _phrases(doc, "C12", negation="plain")
    seen = {(s.start, s.end) for s in spans}
    for a in doc.amounts:
        if a.currency == "USDT" and not any(s <= a.start < e for s, e in seen):
            spans.append(Span(a.start, a.end, a.text, "crypto_pay"))
    return sorted(spans, key=lambda s: s.start)


def c20_domestic_abroad(doc: Doc) -> list[Span]:
    """C20: domestic or care work abroad (not in the reader's own country)."""
    home = _LANG_COUNTRY.get(doc.lang, "KH")
    if "C20" not in doc.hits or work_country(doc) == home:
        return []
    return _phrases(doc, "C20", negation="plain")


def _phrase_detector(family: str, negation: str) -> Callable[[Doc], list[Span]]:
    def detect(doc: Doc) -> list[Span]:
        return _phrases(doc, family, negation)

    detect.__name__ = f"{family.lower()}_phrases"
    return detect


# How each phrase family treats a negation just before it: "none" (the phrase already
# holds its own negation, as in "no experience needed"), "plain" or "fee" (also "free").
_NEGATION = {
    **dict.fromkeys(("C2", "C3", "C5", "C7", "C15", "C19"), "none"),
    **dict.fromkeys(("C4", "C8", "C10", "C11", "C13", "C14", "C16", "C17", "C18"), "plain"),
}
DETECTORS: dict[str, Callable[[Doc], list[Span]]] = {
    **{f: _phrase_detector(f, n) for f, n in _NEGATION.items()},
    "C1": c1_salary,
    "C4": c4_journey_paid,
    "C6": c6_messenger_only,
    "C9": c9_fees_debt,
    "C12": c12_crypto_pay,
    "C20": c20_domestic_abroad,
}


def detect_all(doc: Doc) -> dict[str, list[Span]]:
    """Run every detector; families with no match are left out (in family order)."""
    found = {}
    for code in FAMILIES:
        spans = DETECTORS[code](doc)
        if spans:
            found[code] = spans
    return found

"""The bulk path of the offer checker: the same verdicts as the reference path, cheaper.

The reference path (``OfferChecker._prepare``: :func:`detect_language`, :func:`make_doc`,
:func:`detect_all`, :func:`extract_identifiers`) is the specification; this module
computes exactly what it computes, for a whole batch at once:

* **language**: the script letters of every message's opening are counted for the whole
  batch in one numpy pass (a table from code point to script); only messages whose
  main script is Latin go on to the word tests and, rarely, ``py3langid``;
* **one Aho-Corasick pass per message** (per target: the normalised text, and its folded
  copy for Vietnamese patterns) finds every cue anchor, destination word and role word
  at once, at their exact positions, where the reference path makes one pass for the
  anchors, one per lookup table and one ``find`` per word;
* a detector runs only when its family's phrases or an amount it reads occur;
* amounts are read only where a digit (or "万") occurs, identifiers only where the text
  holds enough digits or a handle's sign.

``tests/offers/test_fast.py`` checks that both paths give the same language, flags,
quoted spans, destination and identifiers on the whole corpus and both hand-written sets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick
import numpy as np

from ctip.offers import fast_amounts
from ctip.offers import identifiers as ids
from ctip.offers import language as lang_id
from ctip.offers.cues import COUNTRY_WORDS, ROLE_WORDS, Cue, compiled_cues
from ctip.offers.detectors import (
    DETECTORS,
    FAMILIES,
    Doc,
    Span,
    _has_folded,
    _langs,
    _merge,
    work_country,
)
from ctip.offers.fast_amounts import find_amounts
from ctip.offers.features import _GOLDEN, _MULT
from ctip.offers.identifiers import Identifier
from ctip.offers.normalize import Amount, NormText, fold, normalise_text
from ctip.offers.wages import WageTable, default_wage_table


def clear_caches() -> None:
    """Empty every cache keyed by a message's content, on both paths (phone numbers, the
    words before an amount), so that a benchmark can measure posts never seen before."""
    ids.normalise_phone.cache_clear()
    fast_amounts.clear_cache()


# ---------------------------------------------------------------------------------------
# Language, for a whole batch

_SCRIPTS = ("km", "th", "zh", "latin")  # the order of detect_language's tie-breaking
_OPENING = 300  # detect_language reads the first 300 characters of non-ASCII text


@cache
def _script_table() -> np.ndarray:
    """Code point (up to U+FFFF) -> 1 + index in ``_SCRIPTS``, 0 for any other character;
    the same ranges as ``language._RANGES``."""
    table = np.zeros(0x10001, dtype=np.int64)
    for i, name in enumerate(_SCRIPTS, start=1):
        for lo, hi in lang_id._RANGES[name]:
            table[lo:hi] = i
    return table


@cache
def _viet_table() -> np.ndarray:
    """Code point (up to U+FFFF) -> 1 where ``language._VIET`` matches it."""
    table = np.zeros(0x10001, dtype=np.float64)
    for cp in range(0x80, 0x10000):
        if lang_id._VIET.match(chr(cp)):
            table[cp] = 1.0
    return table


def detect_languages(texts: Sequence[str]) -> list[str]:
    """:func:`ctip.offers.language.detect_language` of each text, the scripts counted
    for the whole batch at once."""
    out = [""] * len(texts)
    wide: list[int] = []
    for i, text in enumerate(texts):
        if text.isascii():
            out[i] = lang_id._latin_language(text) if lang_id._LATIN.search(text) else "und"
        else:
            wide.append(i)
    if not wide:
        return out
    openings = [texts[i][:_OPENING] for i in wide]
    joined = "".join(openings).encode("utf-32-le", "surrogatepass")
    cp = np.frombuffer(joined, dtype=np.uint32)
    cp = np.minimum(cp, 0x10000).astype(np.int64)  # every counted letter is below U+FFFF
    doc = np.repeat(np.arange(len(wide)), [len(t) for t in openings])
    counts = np.bincount(doc * 5 + _script_table()[cp], minlength=5 * len(wide))
    counts = counts.reshape(-1, 5)
    viet = np.bincount(doc, weights=_viet_table()[cp], minlength=len(wide))
    for row, i in enumerate(wide):
        out[i] = _language_of(openings[row], counts[row].tolist(), float(viet[row]))
    return out


def _language_of(opening: str, counts: list[int], viet: float) -> str:
    """The decision of ``detect_language`` from the script counts of the opening."""
    weighted = [3 * counts[1], 3 * counts[2], 3 * counts[3], counts[4]]
    best = max(range(4), key=weighted.__getitem__)  # the first of equal counts
    if weighted[best] == 0:
        return "und"
    if best != 3:
        return _SCRIPTS[best]
    if viet and viet / max(1, counts[4]) > 0.03:
        return "vi"
    return lang_id._latin_language(opening)


# ---------------------------------------------------------------------------------------
# Normalisation: the reference path's own function

normalise = normalise_text


# ---------------------------------------------------------------------------------------
# One automaton per language set: cue anchors, destination words and role words

_CUE, _COUNTRY, _ROLE = 0, 1, 2


@dataclass(frozen=True)
class _Index:
    """The automata of one language set (plain text; folded text) and the cues."""

    cues: tuple[Cue, ...]
    plain: Any
    folded: Any | None
    always_plain: tuple[int, ...]
    always_folded: tuple[int, ...]


def _words_of(table: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(word, key) of a lookup table, ranked as ``cues.first_key`` ranks them."""
    pairs = [(w, key) for key, options in table.items() for w in options]
    return [p for p in pairs if p[0].isascii()] + [p for p in pairs if not p[0].isascii()]


@cache
def _index(langs: tuple[str, ...]) -> _Index:
    cues = compiled_cues(langs)
    plain: dict[str, tuple[list[int], list[tuple[int, int, str]]]] = {}
    folded: dict[str, tuple[list[int], list[tuple[int, int, str]]]] = {}
    for i, cue in enumerate(cues):
        for word in cue.anchors:
            (folded if cue.folded else plain).setdefault(word, ([], []))[0].append(i)
    for kind, table in ((_COUNTRY, COUNTRY_WORDS), (_ROLE, ROLE_WORDS)):
        for rank, (word, key) in enumerate(_words_of(table)):
            plain.setdefault(word, ([], []))[1].append((kind, rank, key))
    return _Index(
        cues,
        _automaton(plain),
        _automaton(folded) if folded else None,
        tuple(i for i, c in enumerate(cues) if not c.folded and not c.anchors),
        tuple(i for i, c in enumerate(cues) if c.folded and not c.anchors),
    )


def _automaton(words: dict[str, tuple[list[int], list[tuple[int, int, str]]]]) -> Any:
    """Each word with its length, its number, the cues it anchors and the lookup entries
    (kind, rank, key) it stands for."""
    automaton = ahocorasick.Automaton()
    for wid, (word, (cue_ids, lookups)) in enumerate(words.items()):
        standalone = word.isascii()  # a Latin lookup word must stand alone (find_word)
        automaton.add_word(word, (len(word), wid, tuple(cue_ids), tuple(lookups), standalone))
    automaton.make_automaton()
    return automaton


def _alone(text: str, start: int, end: int) -> bool:
    """``cues.find_word``'s test: no ASCII letter or digit touches the word."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


@dataclass
class _Found:
    """What one pass over a text found: cue candidates (cue -> first anchor start) and
    the first destination and role word (position, rank, key)."""

    candidates: dict[int, int]
    country: tuple[int, int, str] | None = None
    role: tuple[int, int, str] | None = None
    seen: set[int] = field(default_factory=set)  # lookup words whose first hit is taken


def _pass(automaton: Any, text: str, found: _Found) -> None:
    """One Aho-Corasick pass (hits come in order of their end, so a word's first hit is
    its first occurrence): each anchor's first occurrence, and each lookup word's first
    occurrence that stands alone. A word is done with once it has given both."""
    done: set[int] = set()
    firsts: list[tuple[int, tuple[int, ...]]] = []
    for end, (length, wid, cue_ids, lookups, standalone) in automaton.iter(text):
        if wid in done:
            continue
        start = end - length + 1
        if cue_ids and not lookups:
            firsts.append((start, cue_ids))
            done.add(wid)
            continue
        if cue_ids and wid not in found.seen:
            found.seen.add(wid)
            firsts.append((start, cue_ids))
        if standalone and not _alone(text, start, end + 1):
            continue
        done.add(wid)
        for kind, rank, key in lookups:
            best = (start, rank, key)
            if kind == _COUNTRY:
                if found.country is None or best < found.country:
                    found.country = best
            elif found.role is None or best < found.role:
                found.role = best
    candidates = found.candidates
    for start, cue_ids in firsts:
        for i in cue_ids:
            if candidates.get(i, start + 1) > start:
                candidates[i] = start


def scan(text: str, lang: str) -> tuple[dict[str, list[tuple[int, int, str]]], _Found]:
    """``detectors._scan`` and the destination and role words, in one pass per target."""
    langs = _langs(lang)
    index = _index(langs)
    found = _Found(dict.fromkeys(index.always_plain, 0))
    _pass(index.plain, text, found)
    hits: dict[str, list[tuple[int, int, str]]] = {}
    _run(index.cues, text, found.candidates, hits)
    if index.folded is not None and _has_folded(lang):
        folded = _Found(dict.fromkeys(index.always_folded, 0))
        target = fold(text)
        _pass(index.folded, target, folded)
        _run(index.cues, target, folded.candidates, hits)
    return {family: _merge(spans) for family, spans in hits.items()}, found


def _run(
    cues: tuple[Cue, ...],
    target: str,
    candidates: dict[int, int],
    hits: dict[str, list[tuple[int, int, str]]],
) -> None:
    for i, first in candidates.items():
        cue = cues[i]
        start = 0 if cue.width is None else max(0, first - cue.width)
        for m in cue.regex.finditer(target, start):
            if m.end() > m.start():
                hits.setdefault(cue.family, []).append((m.start(), m.end(), cue.variant))


# ---------------------------------------------------------------------------------------
# Detectors and identifiers

_DIGIT = re.compile(r"\d")
_AMOUNT_CODES = ("C1", "C9", "C12")


def make_doc_fast(text: str, lang: str, wages: WageTable) -> tuple[Doc, str]:
    """:func:`ctip.offers.detectors.make_doc`, and the role group for the salary cue."""
    norm = normalise(text)
    hits, found = scan(norm.text, lang)
    has_number = _DIGIT.search(norm.text) is not None or "万" in norm.text
    amounts = tuple(find_amounts(norm, lang, wages)) if has_number else ()
    destination = found.country[2] if found.country else None
    role = found.role[2] if found.role else ("office" if "C3" in hits else "general")
    return Doc(norm, lang, wages, amounts, hits, destination), role


def detect_all_fast(doc: Doc, role: str) -> dict[str, list[Span]]:
    """:func:`ctip.offers.detectors.detect_all`: only the detectors that can match run."""
    found = {}
    for code in FAMILIES:
        if code == "C1":
            spans = _salary(doc, role) if doc.amounts else []
        elif code in doc.hits or (code in _AMOUNT_CODES and doc.amounts):
            spans = DETECTORS[code](doc)
        else:
            continue
        if spans:
            found[code] = spans
    return found


def _salary(doc: Doc, role: str) -> list[Span]:
    """``detectors.c1_salary`` with the role group already found."""
    pay: list[Amount] = [a for a in doc.amounts if a.kind == "pay"]
    if not pay:
        return []
    country = work_country(doc)
    return [
        Span(a.start, a.end, a.text, "daily" if a.period in ("day", "hour") else "monthly")
        for a in pay
        if doc.wages.implausible(a.usd_month, country, role)
    ]


_PHONE_DIGITS = re.compile(r"(?:\D*\d){8}")  # a phone has at least 8 digits


def identifiers(text: str, lang: str, norm: NormText) -> list[Identifier]:
    """:func:`ctip.offers.identifiers.extract_identifiers`, skipped when the text holds
    neither 8 digits nor a handle's sign, and each handle pattern run only where its sign
    occurs: an e-mail address or "@handle" needs "@", a t.me link ".me/", a named ID its
    messenger's word (the e-mail pattern alone, tried at every letter, cost more than all
    the others together)."""
    t = norm.text
    at, me = "@" in t, ".me/" in t
    named = ids._MESSENGER_WORD.search(t) is not None
    if not (at or me or named) and not _PHONE_DIGITS.match(t):
        return []
    found = ids._phones(norm, lang)
    if at:
        found += ids._emails(norm)
    if at or me or named:
        found += _handles(norm, at, me, named)
    unique: dict[tuple[str, str], Identifier] = {}
    for ident in sorted(found, key=lambda i: i.start):
        unique.setdefault((ident.kind, ident.value), ident)
    return list(unique.values())


def _handles(norm: NormText, at: bool, me: bool, named: bool) -> list[Identifier]:
    """``identifiers._handles``, each pattern only where its sign occurs."""
    text = norm.text
    out = []
    if me:
        out += [
            ids._make(norm, "telegram", m[1].lower(), m.start(), m.end())
            for m in ids._TME.finditer(text)
        ]
    for m in ids._AT.finditer(text) if at else ():
        if text[m.end() : m.end() + 1] == "." or ids._EMAIL.match(text, m.start() - 1):
            continue
        kind = ids._messenger_before(text, m.start())
        out.append(ids._make(norm, kind, m[1].lower(), m.start(), m.end()))
    for m in ids._NAMED_ID.finditer(text) if named else ():
        if m[1] in ids._NEEDS_SEPARATOR and not m["sep"].strip() and "id" not in m[0][len(m[1]) :]:
            continue
        kind = dict(ids._MESSENGER_BEFORE).get(m[1], "line" if "line" in m[1] else "wechat")
        if m[1] in ("vx", "wx"):
            kind = "wechat"
        out.append(ids._make(norm, kind, m[3].lower(), m.start(3), m.end(3)))
    return out


def prepare(
    texts: Sequence[str], wages: WageTable | None = None, *, with_identifiers: bool = True
) -> list[Prepared]:
    """Language, normalised text, flags' spans, identifiers and destination of each text.

    ``with_identifiers=False`` leaves the identifiers out (an empty list; the risk and
    score do not depend on them) and keeps the normalised text, so that a bulk scan
    extracts them (:func:`identifiers_of`) only for the posts it writes."""
    wages = wages or default_wage_table()
    out = []
    for text, lang in zip(texts, detect_languages(texts), strict=True):
        doc, role = make_doc_fast(text, lang, wages)
        found = detect_all_fast(doc, role)
        idents = identifiers(text, lang, doc.norm) if with_identifiers else []
        out.append(Prepared(text, doc.norm.text, lang, found, idents, doc.destination, doc.norm))
    return out


def identifiers_of(p: Prepared) -> list[Identifier]:
    """The identifiers of a prepared message, extracted now if :func:`prepare` left
    them out."""
    if p.identifiers or p.norm is None:
        return p.identifiers
    return identifiers(p.text, p.language, p.norm)


@dataclass(frozen=True)
class Prepared:
    """One message prepared for scoring (the same fields as the engine's own)."""

    text: str
    normalised: str
    language: str
    found: dict[str, list[Span]]
    identifiers: list[Identifier]
    destination: str | None
    norm: NormText | None = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------------------------------
# The text model, for a whole batch

_WEIGHTS: dict[int, tuple[Any, np.ndarray, np.ndarray]] = {}


def _weights(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per column: idf x coefficient and idf squared, as ``linear_scores`` multiplies them
    per occurrence (the same float32 and float64 steps, so the same sums)."""
    cached = _WEIGHTS.get(id(model))
    if cached is None or cached[0] is not model:
        idf = model.vectorizer._fitted_idf()
        coef = np.asarray(model.text_clf.coef_[0], dtype=np.float64)
        cached = (model, idf * coef, idf * idf)
        _WEIGHTS.clear()  # one model in use at a time
        _WEIGHTS[id(model)] = cached
    return cached[1], cached[2]


def text_logit(model: Any, texts: Sequence[str]) -> np.ndarray:
    """``model.text_logit(texts, normalised=True)``: the same values, with the spaces
    squeezed by ``str.split`` (the same whitespace as ``\\s``) and the per-column
    weights multiplied once per model instead of once per occurrence."""
    vec = model.vectorizer
    weighted, squared = _weights(model)
    doc, col = _columns(vec, texts)
    dot = np.bincount(doc, weights=weighted[col], minlength=len(texts))
    squares = np.bincount(doc, weights=squared[col], minlength=len(texts))
    squares[squares == 0] = 1.0
    return np.asarray(dot / np.sqrt(squares) + float(model.text_clf.intercept_[0]))


def _columns(vec: Any, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Text number and column of every n-gram occurrence, in the order of
    ``HashedCharNgrams._keys`` (so the sums add in the same order): each n-gram's hash
    goes on from the hash of the (n-1)-gram at the same position (the same integer
    steps, so the same hash), and text and column stay two arrays instead of being
    packed into one key and split again."""
    cleaned = [" ".join(t.split()) for t in texts]
    lengths = np.array([len(t) for t in cleaned], dtype=np.int64)
    cp = np.frombuffer("".join(cleaned).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(cleaned), dtype=np.int64), lengths)
    docs, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    shift = np.uint64(64 - vec.bits)
    h = cp
    for n in range(1, min(vec.n_max, len(cp)) + 1):
        end = len(cp) - n + 1
        h = h[:end] * _MULT + cp[n - 1 : n - 1 + end] if n > 1 else cp.copy()
        if n < vec.n_min:
            continue
        idx = (((h ^ np.uint64(n)) * _GOLDEN) >> shift).astype(np.int64)
        ok = doc[:end] == doc[n - 1 : n - 1 + end]
        docs.append(doc[:end][ok])
        cols.append(idx[ok])
    return np.concatenate(docs), np.concatenate(cols)


def scores(model: Any, prepared: Sequence[Prepared], rules: np.ndarray) -> np.ndarray:
    """``model.score`` of prepared messages, with :func:`text_logit`."""
    logits = text_logit(model, [p.normalised for p in prepared])
    z = model.combiner.decision_function(np.column_stack([logits, rules]))
    ab = np.array([model.platt.get(p.language, model.platt["*"]) for p in prepared])
    ab = ab.reshape(-1, 2)
    return np.asarray(1.0 / (1.0 + np.exp(-(ab[:, 0] * z + ab[:, 1]))))

"""Check a job offer: rules + learned model -> risk, score, quoted flags, identifiers, advice.

Pure: no web framework, no database. Whether an identifier has been reported is asked
through the ``is_reported`` callable the caller passes in (the service looks it up by
blind index); the engine only decides what the public may be told.

Risk levels:

* ``unknown`` - too little text (and no red flag), or a language we cannot read;
* ``high``    - calibrated score at or above the *high* threshold **and** at least one
  red flag we can quote (a score alone never makes an offer "high"), or an identifier
  in the message has been reported in connection with trafficking;
* ``medium``  - score at or above the *medium* threshold;
* ``none_found`` - otherwise: we found no warning sign we know. This is never a statement
  that the offer is safe (a checker cannot prove that), so the answer always carries the
  checklist. Until API version 2 this level was called ``low``; ``LEGACY_RISK`` maps the
  new names to the old ones for clients that still expect them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ctip.offers import fast, messages
from ctip.offers.detectors import Span, detect_all, make_doc
from ctip.offers.explanations import explain
from ctip.offers.hotlines import HotlineBook, default_hotlines
from ctip.offers.identifiers import Identifier, extract_identifiers
from ctip.offers.language import SUPPORTED, detect_language, widen_to_words
from ctip.offers.model import OfferModel, rule_vector
from ctip.offers.wages import WageTable

MIN_LETTERS = 15
RISKS = ("high", "medium", "none_found", "unknown")
LEGACY_RISK = {"high": "high", "medium": "medium", "none_found": "low", "unknown": "unknown"}
CHECKLIST = ("licence", "passport", "fee", "tell", "hotline")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Flag:
    """One red flag: its code, the quoted words, and a plain explanation."""

    code: str
    label: str
    evidence: list[str]
    explanation: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckResult:
    """The answer to one check."""

    risk: str
    score: float
    language: str
    answer_language: str
    summary: str
    flags: list[Flag]
    identifiers: list[Identifier]
    advice: list[str]
    reported: bool = False
    checklist: list[str] = field(default_factory=list)
    hotlines: tuple[str, ...] = ()
    destination: str | None = None


@dataclass(frozen=True)
class Verdict:
    """What a bulk scan keeps of one check: no sentences, advice or hotlines."""

    risk: str
    score: float
    language: str
    found: dict[str, list[Span]]
    identifiers: list[Identifier]
    text: str

    def evidence(self, code: str) -> list[str]:
        """The quoted words of one flag, as :class:`Flag` quotes them (not widened)."""
        return list(dict.fromkeys(self.text[s.start : s.end].strip() for s in self.found[code]))


_Prepared = fast.Prepared


class OfferChecker:
    """Holds the fitted model, wage table and hotline numbers; checks one or many offers."""

    def __init__(
        self,
        model: OfferModel | None,
        *,
        wages: WageTable | None = None,
        hotlines: Sequence[str] = ("1288",),
        book: HotlineBook | None = None,
    ) -> None:
        self.model = model
        self.wages = wages
        self.deployment_hotlines = tuple(hotlines)
        self.book = book or default_hotlines()
        self._hotlines: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def check(
        self,
        text: str,
        lang: str | None = None,
        is_reported: Callable[[Identifier], bool] | None = None,
    ) -> CheckResult:
        """Check one offer; ``lang`` is the language of the answer (default: the message's)."""
        return self.check_many([text], lang, is_reported)[0]

    def check_many(
        self,
        texts: Sequence[str],
        lang: str | None = None,
        is_reported: Callable[[Identifier], bool] | None = None,
        *,
        widen: bool = True,
        reference: bool = False,
    ) -> list[CheckResult]:
        """Check many offers at once (the model scores them in one batch).

        ``reference``: take the reference path, one message at a time (the bulk path,
        :mod:`ctip.offers.fast`, gives the same answers; tests and the bench compare them).
        """
        prepared, scores = self._prepare_and_score(texts, reference)
        return [
            self._result(p, float(s), lang, is_reported, widen)
            for p, s in zip(prepared, scores, strict=True)
        ]

    def verdicts(
        self,
        texts: Sequence[str],
        *,
        reference: bool = False,
        keep: Callable[[str], bool] | None = None,
    ) -> list[tuple[int, Verdict]]:
        """(position, verdict) of many offers: risk, score, language, flags' spans and
        identifiers, what a bulk scan writes, without the sentences, advice and hotlines
        of a full answer. ``keep``: only the offers whose risk it accepts (every offer
        without it); the risk does not depend on identifiers, so on the bulk path they
        are extracted only for the offers kept."""
        lazy = keep is not None and not reference
        prepared, scores = self._prepare_and_score(texts, reference, not lazy)
        out = []
        for i, (p, s) in enumerate(zip(prepared, scores, strict=True)):
            score = float(s)
            risk = self._risk(p, score, bool(p.found), False)
            if keep is None or keep(risk):
                idents = fast.identifiers_of(p) if lazy else p.identifiers
                out.append((i, Verdict(risk, round(score, 4), p.language, p.found, idents, p.text)))
        return out

    def _prepare_and_score(
        self, texts: Sequence[str], reference: bool, with_identifiers: bool = True
    ) -> tuple[Sequence[_Prepared], np.ndarray]:
        if reference:
            prepared = [self._prepare(t) for t in texts]
            return prepared, self._scores(prepared)
        prepared = fast.prepare(texts, self.wages, with_identifiers=with_identifiers)
        if self.model is None or not prepared:
            return prepared, self._scores(prepared)
        rules = np.asarray([rule_vector(p.found) for p in prepared])
        return prepared, fast.scores(self.model, prepared, rules)

    def _prepare(self, text: str) -> _Prepared:
        language = detect_language(text)
        doc = make_doc(text, language, self.wages)
        idents = extract_identifiers(text, language, doc.norm)
        return _Prepared(text, doc.norm.text, language, detect_all(doc), idents, doc.destination)

    def _scores(self, prepared: Sequence[_Prepared]) -> np.ndarray:
        """Calibrated model scores; without a model, a rough score from the flag count."""
        if not prepared:
            return np.zeros(0)
        rules = np.asarray([rule_vector(p.found) for p in prepared])
        if self.model is None:
            return np.asarray([1 / (1 + math.exp(-(len(p.found) - 3.0))) for p in prepared])
        texts = [p.normalised for p in prepared]
        langs = [p.language for p in prepared]
        return self.model.score(texts, rules, langs, normalised=True)

    def _result(
        self,
        p: _Prepared,
        score: float,
        lang: str | None,
        is_reported: Callable[[Identifier], bool] | None,
        widen: bool,
    ) -> CheckResult:
        detected = p.language if p.language in SUPPORTED else "en"
        answer = lang if lang in messages.LANGS else detected
        flags = [self._flag(p, code, spans, answer, widen) for code, spans in p.found.items()]
        reported = bool(is_reported) and any(is_reported(i) for i in p.identifiers)  # type: ignore[misc]
        risk = self._risk(p, score, bool(flags), reported)
        hotlines = self.hotlines_for(answer, p.destination)
        summary = messages.pick(messages.RISK[risk], answer)
        if reported:
            reported_text = messages.pick(messages.IDENTIFIER_REPORTED, answer)
            summary = reported_text.format(hotlines=", ".join(hotlines))
        return CheckResult(
            risk,
            round(score, 4),
            p.language,
            answer,
            summary,
            flags,
            p.identifiers,
            self._advice(p.found, answer, hotlines),
            reported,
            list(_advice_texts(CHECKLIST, answer, ", ".join(hotlines), tuple(CHECKLIST))),
            hotlines,
            p.destination,
        )

    def hotlines_for(self, lang: str, destination: str | None = None) -> tuple[str, ...]:
        """Help numbers for a reader of ``lang`` (and of the offer's destination country)."""
        key = (lang, destination)
        found = self._hotlines.get(key)
        if found is None:
            found = self.book.for_reader(lang, destination, self.deployment_hotlines)
            self._hotlines[key] = found
        return found

    def _risk(self, p: _Prepared, score: float, flags: bool, reported: bool) -> str:
        if reported:
            return "high"
        if not flags and (p.language not in SUPPORTED or _few_letters(p.text)):
            return "unknown"
        medium, high = (self.model.medium, self.model.high) if self.model else (0.5, 0.8)
        if score >= high and flags:
            return "high"
        return "medium" if score >= medium else "none_found"

    def _flag(self, p: _Prepared, code: str, spans: list[Span], lang: str, widen: bool) -> Flag:
        bounds = [(s.start, s.end) for s in spans]
        if widen and p.language == "km":
            bounds = [widen_to_words(p.text, a, b) for a, b in bounds]
        evidence = list(dict.fromkeys(p.text[a:b].strip() for a, b in bounds))
        variants = [s.variant for s in spans]
        return Flag(
            code,
            messages.pick(messages.LABELS[code], lang),
            evidence,
            explain(code, variants, lang, messages.EXPLANATIONS),
            bounds,
            list(dict.fromkeys(variants)),
        )

    def _advice(
        self, found: dict[str, list[Span]], lang: str, hotlines: tuple[str, ...]
    ) -> list[str]:
        """Practical advice, the most relevant first, ending with the hotline."""
        first = tuple(k for code, k in _ADVICE_FIRST if code in found)
        return list(_advice_texts(first, lang, ", ".join(hotlines)))


def _few_letters(text: str) -> bool:
    """Fewer than ``MIN_LETTERS`` letters (stops counting there)."""
    return all(n < MIN_LETTERS for n, _m in enumerate(_LETTER.finditer(text), 1))


_ADVICE_FIRST = (("C10", "passport"), ("C9", "fee"), ("C8", "tell"), ("C7", "contract"))


_ORDER = ("licence", "fee", "passport", "contract", "tell", "hotline")


@lru_cache(maxsize=1024)
def _advice_texts(
    first: tuple[str, ...], lang: str, hotlines: str, order: tuple[str, ...] = _ORDER
) -> tuple[str, ...]:
    keys = dict.fromkeys([*first, *order])
    return tuple(messages.pick(messages.ADVICE[k], lang).format(hotlines=hotlines) for k in keys)

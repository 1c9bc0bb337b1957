"""The one-pass phrase scan finds exactly what running every pattern everywhere finds."""

from __future__ import annotations

import pytest

from ctip.offers.cues import COUNTRY_WORDS, ROLE_WORDS, compiled_cues, find_word, first_key
from ctip.offers.detectors import _langs, _merge, _scan
from ctip.offers.evalset import load_evalset
from ctip.offers.language import detect_language
from ctip.offers.model import load_corpus
from ctip.offers.normalize import fold, normalise_text


def _sample() -> list[str]:
    corpus = load_corpus()
    texts = [e.text for e in corpus[:: max(1, len(corpus) // 150)]]
    return texts + [m.text for m in load_evalset("dev")]


SAMPLE = _sample()


def _every_pattern_everywhere(text: str, lang: str) -> dict[str, list[tuple[int, int, str]]]:
    hits: dict[str, list[tuple[int, int, str]]] = {}
    for cue in compiled_cues(_langs(lang)):
        target = fold(text) if cue.folded else text
        for m in cue.regex.finditer(target):
            if m.end() > m.start():
                hits.setdefault(cue.family, []).append((m.start(), m.end(), cue.variant))
    return {family: _merge(spans) for family, spans in hits.items()}


def test_scan_equals_running_every_pattern_on_the_whole_text() -> None:
    found_any = 0
    for text in SAMPLE:
        norm, lang = normalise_text(text).text, detect_language(text)
        assert _scan(norm, lang) == _every_pattern_everywhere(norm, lang), text
        found_any += bool(_scan(norm, lang))
    assert found_any > len(SAMPLE) // 3  # the sample is not trivially empty


def _first_key_by_search(words: dict[str, tuple[str, ...]], text: str) -> str | None:
    pairs = [(w, k) for k, options in words.items() for w in options]
    pairs = [p for p in pairs if p[0].isascii()] + [p for p in pairs if not p[0].isascii()]
    best, best_at = None, len(text) + 1
    for w, key in pairs:
        at = find_word(text, w)
        if 0 <= at < best_at:
            best, best_at = key, at
    return best


@pytest.mark.parametrize("table", [COUNTRY_WORDS, ROLE_WORDS], ids=["countries", "roles"])
def test_first_key_equals_searching_every_word(table: dict[str, tuple[str, ...]]) -> None:
    named = 0
    for text in SAMPLE:
        norm = normalise_text(text).text
        assert first_key(table, norm) == _first_key_by_search(table, norm), text
        named += first_key(table, norm) is not None
    assert named > 10

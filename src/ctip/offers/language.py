"""Language identification and Khmer word segmentation, offline.

Script decides first, because it is fast and certain: Khmer, Thai and Han characters
belong to one of our languages each. Latin-script text goes to ``py3langid`` (its model
ships inside the wheel; nothing is downloaded), with Vietnamese recognised by its
letters first. Khmer is written without spaces between words; ``khmercut`` (model inside
its wheel) splits it so that a quoted span can be widened to whole words.
"""

from __future__ import annotations

import re
from functools import cache

SUPPORTED = ("km", "en", "th", "vi", "zh")
UNDETERMINED = "und"

_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_VIET = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of ``text``, or ``"und"`` if there is no text."""
    if text.isascii():
        return _latin_language(text) if _LATIN.search(text) else UNDETERMINED
    text = text[:300]  # the opening is enough to tell the script
    counts = {
        "km": len(_KHMER.findall(text)),
        "th": len(_THAI.findall(text)),
        "zh": len(_HAN.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }
    # One Khmer/Thai/Han letter carries about as much as three Latin letters.
    weighted = {k: v * (1 if k == "latin" else 3) for k, v in counts.items()}
    best = max(weighted, key=lambda k: weighted[k])
    if weighted[best] == 0:
        return UNDETERMINED
    if best != "latin":
        return best
    return _latin_language(text)


def _latin_language(text: str) -> str:
    """Vietnamese by its letters, English by its commonest words, else py3langid."""
    letters = max(1, len(_LATIN.findall(text)))
    if len(_VIET.findall(text)) / letters > 0.03:
        return "vi"
    if len(set(_VIET_PLAIN_WORD.findall(text.lower()))) >= 3:
        return "vi"  # Vietnamese typed without diacritics, as in many chat messages
    if len(set(_ENGLISH_WORD.findall(text.lower()))) >= 3:
        return "en"  # a cheap shortcut for bulk scans; py3langid agrees on such text
    latin_only = " ".join(_LATIN_WORD.findall(text))
    lang, _score = _latin_identifier().classify(latin_only)
    return str(lang)


# Latin-script languages a visitor in the region plausibly writes; restricting the
# candidates keeps short posts from being read as, say, Haitian Creole.
_ENGLISH_WORD = re.compile(
    r"\b(?:the|and|for|you|your|with|are|is|to|of|in|we|our|no|per|"
    r"salary|job|work|contact|need|needed|hiring|company)\b"
)
# Vietnamese words that, written without diacritics, are not English words.
_VIET_PLAIN_WORD = re.compile(
    r"\b(?:khong|viec|luong|nguoi|duoc|thang|tuyen|trieu|ngay|tien|nhieu|biet|nuoc|ngoai"
    r"|nghiem|lien|nhung|minh|muon|roi|voi|cua|nhe|oi|anh|lam|sang"
    r"|truoc|ho chieu|cong ty|gui)\b"
)
LATIN_CANDIDATES = ("en", "vi", "fr", "de", "es", "pt", "it", "nl", "id", "ms", "tl")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff']+")


@cache
def _latin_identifier():  # type: ignore[no-untyped-def]
    """py3langid's packaged model (inside the wheel; nothing is downloaded), loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LATIN_CANDIDATES))
    return identifier


def khmer_words(text: str) -> list[str]:
    """Split Khmer text into words with ``khmercut``."""
    from khmercut import tokenize

    return [w for w in tokenize(text) if w]


def widen_to_words(text: str, start: int, end: int, margin: int = 24) -> tuple[int, int]:
    """Widen a Khmer span so that it starts and ends on word boundaries.

    Only a window of ``margin`` characters each side is segmented, to keep it cheap.
    """
    lo, hi = max(0, start - margin), min(len(text), end + margin)
    bounds, at = {lo, hi}, lo
    for word in khmer_words(text[lo:hi]):
        at = text.find(word, at, hi)
        if at < 0:
            return start, end
        bounds.update((at, at + len(word)))
        at += len(word)
    new_start = max(b for b in bounds if b <= start)
    new_end = min(b for b in bounds if b >= end)
    return new_start, new_end

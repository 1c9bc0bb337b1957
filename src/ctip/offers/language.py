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


# Each character of a script counted by detect_language is replaced by that script's
# mark (the same ranges as the patterns above); the marks themselves become spaces.
_MARKS = {"km": "\x01", "th": "\x02", "zh": "\x03", "latin": "\x04"}
_RANGES = {
    "km": ((0x1780, 0x1800), (0x19E0, 0x1A00)),
    "th": ((0x0E00, 0x0E80),),
    "zh": ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)),
    "latin": ((0x41, 0x5B), (0x61, 0x7B), (0x00C0, 0x0250), (0x1E00, 0x1F00)),
}
_SCRIPT_MARKS: dict[int, str] = {
    **{ord(mark): " " for mark in _MARKS.values()},
    **{cp: _MARKS[k] for k, ranges in _RANGES.items() for lo, hi in ranges for cp in range(lo, hi)},
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of ``text``, or ``"und"`` if there is no text."""
    if text.isascii():
        return _latin_language(text) if _LATIN.search(text) else UNDETERMINED
    text = text[:300]  # the opening is enough to tell the script
    marked = text.translate(_SCRIPT_MARKS)  # one pass instead of one regex per script
    counts = {k: marked.count(mark) for k, mark in _MARKS.items()}
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
    viet = 0 if text.isascii() else len(_VIET.findall(text))  # its letters are not ASCII
    if viet and viet / max(1, len(_LATIN.findall(text))) > 0.03:
        return "vi"
    lower = text.lower()
    if len(set(_VIET_PLAIN_WORD.findall(lower))) >= 3:
        return "vi"  # Vietnamese typed without diacritics, as in many chat messages
    if len(set(_ENGLISH_WORD.findall(lower))) >= 3:
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


# Khmer signs that never start a character cluster: dependent vowels, signs, the coeng.
_KHMER_DEPENDENT = re.compile(r"[\u17b4-\u17d3\u17dd]")
_COENG = "\u17d2"


def _khmer_or_space(ch: str) -> bool:
    return bool(_KHMER.match(ch)) or ch.isspace()


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a quoted span so that it cuts neither a Khmer character cluster (a consonant
    with its subscripts, vowels and signs) nor a run of Latin letters or of digits.

    The detectors' patterns are written as whole Khmer words, so a quote needs repair only
    at those edges; segmenting into words with ``khmercut`` (:func:`khmer_words`) costs
    milliseconds per quote and is no longer done for every check.
    """
    n = len(text)
    while 0 < start < n and (_KHMER_DEPENDENT.match(text[start]) or text[start - 1] == _COENG):
        start -= 1
    while 0 < end < n and (_KHMER_DEPENDENT.match(text[end]) or text[end - 1] == _COENG):
        end += 1
    while 0 < start < n and _joined(text[start - 1], text[start]):
        start -= 1
    while 0 < end < n and _joined(text[end - 1], text[end]):
        end += 1
    return start, end


def _joined(left: str, right: str) -> bool:
    """Two neighbours of one run: Latin letters and digits, or digits (Khmer ones too)."""
    if left.isdecimal() and right.isdecimal():
        return True
    return not _khmer_or_space(left) and not _khmer_or_space(right)

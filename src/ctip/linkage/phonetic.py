"""Phonetic keys for names written by different officers in different ways (pure functions).

Cambodian names have no single romanisation: one officer writes *Sokha*, the next *Sokhar* or
*Sokkha*; *Chea* is also *Chear* and *Chia*; *Srey* is *Srei*; *Pov* is *Pove*. Two keys:

- ``latin_key``: the consonants of a Latin name in order, each vowel group (with the silent
  ``h``/``r``/``e`` endings and a final ``y``/``w``/``v`` glide) folded to one ``a``, doubled
  letters collapsed, aspirates merged (kh→k, ph→p, th→t, chh/ch/j→c, f→p, w→v, ck→k), final
  voiced stops devoiced (g→k, b→p, d→t). *Sokha*, *Sokhar* and *Sokkha* all give ``saka``.
- ``skeleton``: the same without the vowels (``sk``). It is what the Khmer-script romaniser
  (``khmer_skeleton``) produces too, so a name written only in Khmer script can be compared
  with one written only in Latin letters: Khmer vowels are too varied in romanisation to
  compare, consonants are not. *សុខា* → ``sk`` = *Sokha* → ``sk``.

The keys are deliberately coarse; the linkage model weighs them below exact and
near-exact spellings, and never uses them alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWELS = set("aeiouy")
# Ordered multi-letter rewrites applied to a lower-case ASCII token.
_REWRITES = (
    ("zh", "c"),
    ("tch", "c"),
    ("chh", "c"),
    ("ch", "c"),
    ("kh", "k"),
    ("ph", "p"),
    ("th", "t"),
    ("gh", "g"),
    ("sh", "s"),
    ("ck", "k"),
    ("nh", "n"),
    ("gn", "n"),
    ("ng", "n"),
    ("j", "c"),
    ("q", "k"),
    ("x", "s"),
    ("z", "s"),
    ("f", "p"),
    ("w", "v"),
)
_DEVOICE = {"g": "k", "b": "p", "d": "t"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KHMER = re.compile(r"[\u1780-\u17ff]")


def ascii_fold(text: str) -> str:
    """Lower-case letters without accents (Nguyễn → nguyen); other scripts dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z" or ch == " ")


@lru_cache(maxsize=65_536)  # names repeat: loads and linkage runs key the same ones
def latin_key(name: str | None) -> str | None:
    """The vowel-folded phonetic key of a Latin name, spaces ignored (joined = split)."""
    if not name:
        return None
    token = ascii_fold(name.replace("đ", "d").replace("Đ", "D")).replace(" ", "")
    if len(token) >= 4 and token.endswith("e") and token[-2] not in _VOWELS:
        token = token[:-1]  # silent final e: Pove = Pov
    if len(token) >= 3 and token[-1] in "vw" and token[-2] in _VOWELS:
        token = token[:-1]  # final glide: Keov = Keo, Pauv = Pov
    if not token:
        return None
    if token.startswith("hs"):
        token = token[1:]  # Wade-Giles Hsu = Xu
    for old, new in _REWRITES:
        token = token.replace(old, new)
    token = "".join(_DEVOICE.get(ch, ch) for ch in token)
    out: list[str] = []
    chars = list(token)
    for i, ch in enumerate(chars):
        vowel = ch in "aeiou" or (ch == "y" and i > 0)
        if ch == "h" and i > 0:
            continue  # silent after a vowel or a consonant (Sokhar)
        if ch == "r" and i > 0 and chars[i - 1] in _VOWELS:
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if not after or after not in _VOWELS:
                continue  # Khmer "or"/"ear" vowels: Sorn = Son, Chear = Chea
        if vowel:
            if out and out[-1] == "a":
                continue
            out.append("a")
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    if len(out) > 2 and out[-1] == "t" and out[-2] == "n":
        out.pop()  # Chand = Chan
    return "".join(out) or None


def skeleton(key: str | None) -> str | None:
    """The consonants of a phonetic key (vowels dropped, repeats collapsed)."""
    if not key:
        return None
    out: list[str] = []
    for ch in key:
        if ch == "a" or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out) or None


# Khmer consonants → the consonant class latin_key gives their usual romanisation.
_KM_CONSONANTS = {
    "ក": "k",
    "ខ": "k",
    "គ": "k",
    "ឃ": "k",
    "ង": "n",
    "ច": "c",
    "ឆ": "c",
    "ជ": "c",
    "ឈ": "c",
    "ញ": "n",
    "ដ": "t",
    "ឋ": "t",
    "ឌ": "t",
    "ឍ": "t",
    "ណ": "n",
    "ត": "t",
    "ថ": "t",
    "ទ": "t",
    "ធ": "t",
    "ន": "n",
    "ប": "p",
    "ផ": "p",
    "ព": "p",
    "ភ": "p",
    "ម": "m",
    "យ": "y",
    "រ": "r",
    "ល": "l",
    "វ": "v",
    "ឝ": "s",
    "ឞ": "s",
    "ស": "s",
    "ហ": "h",
    "ឡ": "l",
    "អ": "",
}
# Independent vowels that begin with a consonant sound in romanisation.
_KM_INDEPENDENT = {"ឫ": "r", "ឬ": "r", "ឭ": "l", "ឮ": "l"}
_COENG = "\u17d2"
_NIKAHIT = "\u17c6"  # -m (សំ = Sam)
_REAHMUK = "\u17c7"  # -h


def khmer_skeleton(word: str | None) -> str | None:
    """The consonant skeleton of one Khmer-script word, comparable with ``skeleton`` of its
    romanisation: vowels dropped, a subscript consonant kept inside the word and dropped at
    its end (ពិសិដ្ឋ → ``pst`` like *Piseth*), a final យ/វ glide dropped (ស្វាយ → ``sv``)."""
    if not word:
        return None
    chars = [c for c in unicodedata.normalize("NFC", word) if _KHMER.match(c)]
    out: list[str] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        subscript = i > 0 and chars[i - 1] == _COENG
        if ch in _KM_CONSONANTS:
            rest = [c for c in chars[i + 1 :] if c in _KM_CONSONANTS or c == _NIKAHIT]
            if subscript and not rest and not _vowel_follows(chars, i):
                i += 1
                continue
            sound = _DEVOICE.get(_KM_CONSONANTS[ch], _KM_CONSONANTS[ch])
            if sound in ("y", "v", "h") and not rest and out and not _vowel_follows(chars, i):
                i += 1
                continue  # final glide or aspiration
            if sound in ("y", "h") and out:
                sound = ""
            if sound and (not out or out[-1] != sound):
                out.append(sound)
        elif ch in _KM_INDEPENDENT:
            out.append(_KM_INDEPENDENT[ch])
        elif ch == _NIKAHIT and (not out or out[-1] != "m"):
            out.append("m")
        i += 1
    return "".join(out) or None


def _vowel_follows(chars: list[str], i: int) -> bool:
    return i + 1 < len(chars) and "\u17b6" <= chars[i + 1] <= "\u17c5"


def name_skeleton(text: str | None) -> str | None:
    """Order-free skeleton of a whole name in either script: word skeletons sorted, joined."""
    if not text:
        return None
    words = text.split()
    parts = [khmer_skeleton(w) if _KHMER.search(w) else skeleton(latin_key(w)) for w in words]
    kept = sorted(p for p in parts if p)
    return " ".join(kept) or None


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def has_khmer(text: str) -> bool:
    return bool(_KHMER.search(text or ""))

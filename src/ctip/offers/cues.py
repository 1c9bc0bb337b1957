"""Cue phrases, negations and lookup words for the red-flag detectors (see docs/offers.md).

The phrase patterns live in ``ctip.offers.patterns``, one module per language, as
family -> variant -> regular expressions against the *normalised* text. Vietnamese
patterns are folded (diacritics removed) and matched against the folded text, so they
match messages written with or without diacritics. English patterns apply to every
message, because posts mix languages.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from ctip.offers.normalize import fold
from ctip.offers.patterns import en, km, th, vi, zh

PATTERNS_BY_LANG = {
    "en": en.PATTERNS,
    "km": km.PATTERNS,
    "th": th.PATTERNS,
    "vi": vi.PATTERNS,
    "zh": zh.PATTERNS,
}
FOLDED_LANGS = frozenset({"vi"})  # languages whose patterns match the folded text


@dataclass(frozen=True)
class Cue:
    """One compiled phrase pattern."""

    family: str
    variant: str
    anchors: tuple[str, ...]
    regex: re.Pattern[str]
    folded: bool
    width: int | None = None  # the longest match possible; None: unbounded


# Words that cancel a cue when they stand just before it in the same clause
# ("no deposit", "we never keep your passport", "不收押金"). Fee words also count
# "free" ("free registration", "ฟรีค่าธรรมเนียม").
NEGATORS = (
    r"\bno\b|\bnot\b|never|don'?t|do not|does not|without|មិន|គ្មាន|អត់|ไม่|ห้าม"
    r"|không|chưa|chẳng|不|无|没有|绝不|别"
)
FEE_NEGATORS = NEGATORS + r"|free|zero|ฟรี|miễn|免|零|ឥតគិតថ្លៃ"

# Signs that the employer can be found (besides a website or e-mail address): a street
# address, a licence number, a website or e-mail named in words, an office.
TRACEABLE_WORDS = (
    *("street", "st.", "road", "office:", "our office", "address:", "website", "e-mail", "email"),
    *("licence no", "license no", "licence number", "license number", "licensed"),
    *("ផ្លូវលេខ", "ផ្ទះលេខ", "អាជ្ញាប័ណ្ណ", "គេហទំព័រ", "អ៊ីមែល", "ការិយាល័យ"),
    *("ถนน", "ซอย", "ใบอนุญาต", "เว็บไซต์", "อีเมล", "สำนักงาน", "ที่อยู่"),
    *("đường", "phường", "quận", "giấy phép", "website", "email", "văn phòng", "địa chỉ"),
    *("号", "大道", "许可证", "官网", "邮箱", "公司地址", "资格证", "备案"),
)

# Where the work is, for the salary cue and the destination's hotlines: destination words
# -> ISO country. Plain words, looked up with str.find (Latin words must stand alone).
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "KH": (
        *("cambodia", "កម្ពុជា", "กัมพูชา", "campuchia", "柬埔寨", "sihanouk", "西港", "bavet"),
        *("poipet", "ព្រះសីហនុ", "សីហនុ", "បាវិត", "ប៉ោយប៉ែត", "สีหนุ", "ปอยเปต", "บาเวต", "波贝"),
        *("koh kong", "កោះកុង", "ដារាសាគរ", "戈公", "巴域", "木牌"),
    ),
    "MM": (
        *("myanmar", "burma", "មីយ៉ាន់ម៉ា", "ភូមា", "พม่า", "เมียนมา", "miến điện", "缅甸", "缅北"),
        *("myawaddy", "妙瓦底", "เมียวดี", "មីយ៉ាវ៉ាឌី", "មៀវ៉ាឌី", "shwe kokko", "kk park", "kk园"),
        *("tachileik", "ท่าขี้เหล็ก", "大其力", "mong la", "勐拉", "laukkaing", "老街", "果敢"),
    ),
    "LA": (
        *("laos", "ឡាវ", "ลาว", "lào", "lao", "老挝", "golden triangle", "金三角", "ត្រីកោណមាស"),
        *("สามเหลี่ยมทองคำ", "tam giác vàng", "tam giac vang", "bokeo", "บ่อแก้ว", "បូកែវ"),
    ),
    "TH": ("thailand", "ថៃ", "ประเทศไทย", "thái lan", "thai lan", "泰国", "bangkok", "กรุงเทพ"),
    "VN": ("vietnam", "viet nam", "វៀតណាម", "เวียดนาม", "việt nam", "越南"),
    "CN": (
        *("china", "chinese husband", "ប្រទេសចិន", "ស្រុកចិន", "ประเทศจีน", "trung quốc"),
        *("trung quoc", "中国", "guangzhou", "ក្វាងចូវ", "กวางโจว", "quảng châu", "广州", "dongguan"),
        *("东莞", "ដុងក្វាន", "ตงกวน", "đông quản"),
    ),
    "MY": ("malaysia", "ម៉ាឡេស៊ី", "มาเลเซีย", "มาเลย์", "马来西亚", "penang", "槟城", "kl"),
    "KR": ("korea", "eps", "កូរ៉េ", "เกาหลี", "hàn quốc", "han quoc", "đi hàn", "韩国", "한국"),
    "JP": ("japan", "ជប៉ុន", "ญี่ปุ่น", "nhật bản", "nhat ban", "đi nhật", "di nhat", "tại nhật", "日本"),
    "TW": ("taiwan", "តៃវ៉ាន់", "ไต้หวัน", "đài loan", "dai loan", "台湾", "臺灣"),
    "AU": ("australia", "អូស្ត្រាលី", "ออสเตรเลีย", "nước úc", "ở úc", "o uc", "澳洲", "澳大利亚"),
    "AE": ("dubai", "uae", "ឌូបៃ", "ดูไบ", "迪拜"),
    "SA": ("saudi", "អារ៉ាប៊ីសាអូឌីត", "ซาอุ", "ả rập xê út", "沙特"),
    "MO": ("macau", "macao", "ម៉ាកាវ", "มาเก๊า", "ma cao", "澳门"),
}

# What kind of work, for the salary cue: role words -> role group in wages.json
# (a C3 compound role counts as "office").
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "factory": (
        "factory",
        "garment",
        "worker",
        "assembly",
        "sewing",
        "រោងចក្រ",
        "កម្មករ",
        "โรงงาน",
        "ฝ่ายผลิต",
        "nhà máy",
        "công nhân",
        "工厂",
        "普工",
        "缝纫",
    ),
    "hospitality": (
        "hotel",
        "restaurant",
        "waiter",
        "waitress",
        "kitchen",
        "សណ្ឋាគារ",
        "ភោជនីយដ្ឋាន",
        "โรงแรม",
        "ร้านอาหาร",
        "khách sạn",
        "nhà hàng",
        "quán ăn",
        "酒店",
        "餐厅",
        "餐馆",
        "服务员",
    ),
}


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def find_word(text: str, word: str) -> int:
    """Position of ``word`` in ``text`` (-1 if absent); a Latin word must stand alone."""
    at = text.find(word)
    if at < 0 or not word.isascii():
        return at
    while at >= 0:
        end = at + len(word)
        if not _latin_alnum(text[at - 1 : at]) and not _latin_alnum(text[end : end + 1]):
            return at
        at = text.find(word, at + 1)
    return -1


class WordIndex:
    """Which of many literal words occur in a text, found in one pass (Aho-Corasick).

    ASCII words are looked for in the text's ASCII characters only (:func:`ascii_part`):
    CPython would otherwise widen every ASCII word to search Khmer or Thai text. Removing
    characters can only add candidates, never hide one, so callers confirm each word
    (``find_word`` or a regular expression). Each word carries the values given for it.
    """

    def __init__(self, pairs: Iterable[tuple[str, object]]) -> None:
        by_word: dict[str, list[object]] = {}
        for word, value in pairs:
            by_word.setdefault(word, []).append(value)
        self._ascii = _automaton({w: v for w, v in by_word.items() if w.isascii()})
        self._other = _automaton({w: v for w, v in by_word.items() if not w.isascii()})

    def values(self, text: str) -> set[object]:
        """The values of every word found in ``text``."""
        return set(self.first_starts(text))

    def first_starts(self, text: str) -> dict[object, int]:
        """Each value of a word found in ``text``, with a lower bound of where the first
        such word starts (exact for non-ASCII words; for ASCII words, their position in
        the ASCII characters, which is never later)."""
        found: dict[object, int] = {}
        plain = ascii_part(text)
        searches = [(self._ascii, plain)] + ([(self._other, text)] if plain is not text else [])
        for automaton, target in searches:
            if automaton is None:
                continue
            for end, (length, values) in automaton.iter(target):
                start = end - length + 1
                for value in values:
                    if found.get(value, start + 1) > start:
                        found[value] = start
        return found


def _automaton(words: dict[str, list[object]]) -> Any:
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word, values in words.items():
        automaton.add_word(word, (len(word), tuple(values)))
    automaton.make_automaton()
    return automaton


def ascii_part(text: str) -> str:
    """The ASCII characters of ``text``, for cheap tests of ASCII words (see WordIndex)."""
    return text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")


_INDEXES: dict[int, tuple[dict[str, tuple[str, ...]], WordIndex]] = {}


def _word_index(words: dict[str, tuple[str, ...]]) -> WordIndex:
    """The words of a lookup table, each with ``(rank, word, key)``: ASCII words rank
    first, then the others, each in the table's order."""
    cached = _INDEXES.get(id(words))
    if cached is None or cached[0] is not words:
        pairs = [(w, key) for key, options in words.items() for w in options]
        ranked = [p for p in pairs if p[0].isascii()] + [p for p in pairs if not p[0].isascii()]
        cached = (words, WordIndex((w, (i, w, key)) for i, (w, key) in enumerate(ranked)))
        _INDEXES[id(words)] = cached
    return cached[1]


def first_key(words: dict[str, tuple[str, ...]], text: str) -> str | None:
    """The key whose word occurs earliest in ``text`` (on a tie, the first word listed,
    ASCII words before the others)."""
    best, best_at = None, len(text) + 1
    found: list[tuple[int, str, str]] = sorted(_word_index(words).values(text))  # type: ignore[arg-type]
    for _rank, w, key in found:
        at = find_word(text, w)
        if 0 <= at < best_at:
            best, best_at = key, at
    return best


@cache
def compiled_cues(langs: tuple[str, ...]) -> tuple[Cue, ...]:
    """Every pattern of the given languages, compiled, with its anchors."""
    out = []
    for lang in langs:
        folded = lang in FOLDED_LANGS
        for family, variants in PATTERNS_BY_LANG[lang].items():
            for variant, patterns in variants.items():
                for p in patterns:
                    source = fold(p) if folded else p
                    regex = re.compile(source)
                    cue = Cue(family, variant, anchors(source), regex, folded, _width(source))
                    out.append(cue)
    return tuple(out)


def _width(pattern: str) -> int | None:
    """The longest string ``pattern`` can match, or None when it is unbounded."""
    longest = int(sre_parse.parse(pattern).getwidth()[1])
    return None if longest >= sre_constants.MAXREPEAT else longest


_META = set("()[]{}|?*+.^$")


def _usable(word: str) -> bool:
    """Long enough to be a cheap, selective substring test."""
    return len(word.strip()) >= 2 or (len(word) == 1 and not word.isascii())


def _split_top(pattern: str) -> list[str]:
    """Split on ``|`` at depth 0."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur += pattern[i : i + 2]
            i += 2
            continue
        depth += (ch in "([" and 1) or ((ch in ")]" and -1) or 0)
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    return [*parts, cur]


def anchors(pattern: str) -> tuple[str, ...]:
    """Literal strings of which every match of ``pattern`` contains at least one.

    An empty tuple means "no cheap test: always run". Only characters outside classes and
    not made optional by ``?``/``*``/``{`` count; a group of alternatives counts when each
    alternative has its own anchor. The scanner runs a pattern only when one of its anchors
    occurs in the text, much cheaper than letting ``re`` try every pattern everywhere.
    """
    alternatives = _split_top(pattern)
    if len(alternatives) > 1:
        subs = [anchors(a) for a in alternatives]
        return tuple(w for sub in subs for w in sub) if all(subs) else ()
    best: tuple[str, ...] = ()
    for item, optional in _items(pattern):
        found = (item,) if not item.startswith("(") else anchors(_group_body(item))
        if optional or not found or not all(_usable(w) for w in found):
            continue
        if not best or min(map(len, found)) > min(map(len, best)):
            best = found
    return best


def _group_body(group: str) -> str:
    return group[3:-1] if group.startswith("(?:") else group[1:-1]


def _items(pattern: str) -> list[tuple[str, bool]]:
    """Top-level pieces: literal runs and groups, each with whether it is optional."""
    items: list[tuple[str, bool]] = []
    run, i = "", 0
    while i < len(pattern):
        piece, i = _next_piece(pattern, i)
        optional = pattern[i : i + 1] in ("?", "*", "{")
        literal = (len(piece) == 1 and piece not in _META) or (
            piece.startswith("\\") and not piece[1].isalnum()
        )
        if literal and not optional:
            run += piece[-1]
            continue
        items.append((run, False))
        run = ""
        if piece.startswith("(") and not piece.startswith("(?!") and not piece.startswith("(?<"):
            items.append((piece, optional))
    items.append((run, False))
    return [(w, o) for w, o in items if w]


def _next_piece(pattern: str, i: int) -> tuple[str, int]:
    """One character, escape, class or balanced group starting at ``i``."""
    ch = pattern[i]
    if ch == "\\":
        return pattern[i : i + 2], i + 2
    if ch not in "([":
        return ch, i + 1
    depth, j = 0, i
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        depth += (pattern[j] in "([" and 1) or ((pattern[j] in ")]" and -1) or 0)
        j += 1
        if depth == 0:
            break
    return pattern[i:j], j

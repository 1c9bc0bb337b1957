"""Text and money normalisation for the offer checker (pure functions).

Detectors match against a *normalised* copy of the message (lower case, ASCII digits,
NFC, no zero-width characters) but must quote the person's own words back to them, so
:class:`NormText` keeps a map from every normalised character to its original offset.
:func:`find_amounts` reads salaries written the many ways recruiters write them
("1.5k$", "៣០០ ដុល្លារ", "15 triệu", "月薪2万", "1000U", "๓๐,๐๐๐ บาท") and converts
them to US dollars per month with the reference rates in ``wages.json``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ctip.offers.wages import WageTable, default_wage_table

# Khmer ០-៩, Thai ๐-๙, full-width ０-９ and Lao ໐-໙ map to ASCII digits, one char for one.
_DIGITS = {
    **{0x17E0 + i: str(i) for i in range(10)},
    **{0x0E50 + i: str(i) for i in range(10)},
    **{0xFF10 + i: str(i) for i in range(10)},
    **{0x0ED0 + i: str(i) for i in range(10)},
}
_SAME_LENGTH = str.maketrans(
    {**_DIGITS, 0xFF04: "$", 0xFF0C: ",", 0xFF0E: ".", 0x3000: " ", 0xFF1A: ":", 0xFF20: "@"}
)
# Whether a text holds any character _SAME_LENGTH maps (a search is far cheaper than
# translating every character).
_MAPPED = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_SAME_LENGTH) if isinstance(c, int)) + "]"
)
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# One C-level scan for the fast path (cheaper than a set intersection over the text).
_DROPPED_RE = re.compile("[" + "".join(sorted(_DROPPED)) + "]")


@dataclass(frozen=True)
class NormText:
    """A normalised message plus the way back to the original offsets."""

    original: str
    text: str
    offsets: tuple[int, ...] | None = None  # original index of each char; None = identity

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised slice ``text[start:end]``."""
        if self.offsets is None:
            return start, end
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The person's own words behind a normalised slice."""
        a, b = self.span(start, end)
        return self.original[a:b]


def normalise_text(text: str) -> NormText:
    """Normalise case, digits, Unicode form and invisible characters, keeping offsets."""
    fast = text.translate(_SAME_LENGTH) if _MAPPED.search(text) else text
    lowered = fast.lower()
    if (
        len(lowered) == len(text)
        and not _DROPPED_RE.search(text)
        and unicodedata.is_normalized("NFC", text)
    ):
        return NormText(text, khmer_spelling(lowered))
    slow = _normalise_slow(text)
    return NormText(slow.original, khmer_spelling(slow.text), slow.offsets)


_COENG_DA, _COENG_TA = "\u17d2\u178a", "\u17d2\u178f"


def khmer_spelling(text: str) -> str:
    """One spelling for Khmer variants that mean the same (same length, offsets kept):
    subscript da written for subscript ta (ស្ដ/ស្ត), and ឲ for ឱ (ឲ្យ/ឱ្យ)."""
    if "\u17d2" not in text and "\u17b2" not in text:
        return text
    return text.replace(_COENG_DA, _COENG_TA).replace("\u17b2", "\u17b1")


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics -> their base letter (đ -> d), one char for one."""
    table = {0x0111: "d", 0x0110: "D"}
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """``text`` without Latin diacritics ("không cần" -> "khong can"), same length, so
    offsets into the folded text are offsets into ``text``. Vietnamese cue patterns are
    matched this way, because many people type Vietnamese without diacritics."""
    return text if text.isascii() else text.translate(_FOLD)


def _normalise_slow(text: str) -> NormText:
    """Character-by-character normalisation that records where each output char came from."""
    out: list[str] = []
    offsets: list[int] = []
    for start, cluster in _clusters(text):
        piece = unicodedata.normalize("NFC", cluster).translate(_SAME_LENGTH).lower()
        out.append(piece)
        offsets.extend([start] * len(piece))
    return NormText(text, "".join(out), tuple(offsets))


def _clusters(text: str) -> list[tuple[int, str]]:
    """Split into base characters with their combining marks, dropping invisible ones."""
    clusters: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in _DROPPED:
            continue
        if clusters and unicodedata.combining(ch):
            start, prev = clusters[-1]
            clusters[-1] = (start, prev + ch)
        else:
            clusters.append((i, ch))
    return clusters


# ---------------------------------------------------------------------------------------
# Amounts

_NUM = r"\d+(?:[.,]\d+)*"
_MULT = {
    "k": 1e3,
    "千": 1e3,
    "ពាន់": 1e3,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "thousand": 1e3,
    "พัน": 1e3,
    "万": 1e4,
    "萬": 1e4,
    "หมื่น": 1e4,
    "แสน": 1e5,
    "ម៉ឺន": 1e4,
    "សែន": 1e5,
    "ล้าน": 1e6,
    "លាន": 1e6,
    "triệu": 1e6,
    "tr": 1e6,
    "củ": 1e6,
    "million": 1e6,
    "m": 1e6,
}
_CUR = {
    "usdt": "USDT",
    "u": "USDT",
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "ដុល្លារ": "USD",
    "美金": "USD",
    "美元": "USD",
    "刀": "USD",
    "ดอลลาร์": "USD",
    "đô": "USD",
    "riel": "KHR",
    "riels": "KHR",
    "រៀល": "KHR",
    "៛": "KHR",
    "khr": "KHR",
    "baht": "THB",
    "บาท": "THB",
    "฿": "THB",
    "thb": "THB",
    "đ": "VND",
    "vnd": "VND",
    "đồng": "VND",
    "dong": "VND",
    "₫": "VND",
    "元": "CNY",
    "块": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "人民币": "CNY",
    "yuan": "CNY",
    "¥": "CNY",
    "₩": "KRW",
    "won": "KRW",
    "krw": "KRW",
    "원": "KRW",
    "円": "JPY",
    "yen": "JPY",
    "jpy": "JPY",
    "rm": "MYR",
    "ringgit": "MYR",
    "myr": "MYR",
    "kyat": "MMK",
    "ks": "MMK",
    "mmk": "MMK",
    "nt$": "TWD",
    "ntd": "TWD",
    "台币": "TWD",
    "新台币": "TWD",
    "hk$": "HKD",
    "港币": "HKD",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "欧": "EUR",
    "ยูโร": "EUR",
    "aud": "AUD",
    "a$": "AUD",
    "澳币": "AUD",
    "澳元": "AUD",
    "日元": "JPY",
    "日币": "JPY",
    "韩元": "KRW",
    "泰铢": "THB",
    "tệ": "CNY",
    "te": "CNY",
    "หยวน": "CNY",
    "យ័ន": "CNY",
    "បាត": "THB",
    "do": "USD",
    "ដុល្លា": "USD",
    "riyal": "SAR",
    "sar": "SAR",
    "sgd": "SGD",
    "s$": "SGD",
    "mop": "MOP",
}
_AUSTRALIA = ("australia", "អូស្ត្រាលី", "ออสเตรเลีย", "澳洲", " úc", " uc ")
_JAPAN = ("japan", "日本", "ជប៉ុន", "ญี่ปุ่น", "nhật", "nhat", "円")
_PERIOD_WORDS = {
    "day": r"/\s?(?:day|ngày|ngay|天|日|วัน|ថ្ងៃ)|per day|a day|daily|một ngày|mỗi ngày"
    r"|ต่อวัน|日薪|每天|一天|ក្នុងមួយថ្ងៃ|មួយថ្ងៃ",
    "hour": r"/\s?(?:h|hr|hour|giờ|gio|小时|ชม\.?|ชั่วโมง|ម៉ោង)\b|per hour|an hour|hourly"
    r"|一小时|ต่อชั่วโมง|ក្នុងមួយម៉ោង",
    "year": r"/\s?(?:year|năm|nam|年|ปี|ឆ្នាំ)|per year|a year|yearly|annual(?:ly)?|年薪|ต่อปี",
}
_PERIOD_BEFORE = {
    "day": ("日薪", "日赚", "วันละ", "ថ្ងៃ"),
    "year": ("年薪", "ปีละ"),
    "hour": ("时薪", "ชั่วโมงละ", "ម៉ោងមួយ", "ម៉ោងដំបូង"),
}
_PER_MONTH = {"day": 26.0, "hour": 208.0, "year": 1 / 12, "month": 1.0}


def _alt(words: Iterable[str]) -> str:
    """Regex alternation, longest first; Latin words may not run on into a longer word."""
    pieces = []
    for w in sorted(words, key=len, reverse=True):
        tail = r"(?![^\W\d_])" if w[-1].isascii() and w[-1].isalpha() else ""
        pieces.append(re.escape(w) + tail)
    return "|".join(pieces)


# Starts with the digits so that ``re`` can skip quickly to them; a currency written
# before the number ("$1,500", "USD 800") is looked for separately in _PRE_RE.
_AMOUNT_RE = re.compile(
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?:-|~|–|to|đến|至|到|ถึง|ទៅ)\s?(?P<num2>{_NUM}))?"
    rf"\s?(?P<mult>{_alt(_MULT)})?"
    rf"\s?(?P<cur>{_alt(_CUR)})?"
)
_ASCII_ALNUM = re.compile(r"[a-z0-9]")
_PRE_RE = re.compile(r"(?:nt\$|hk\$|a\$|s\$|us\$|\$|usdt|usd|¥|฿|₫|៛|€|rmb)\s?$")
_TEN_THOUSAND_RE = re.compile(r"(?:月入|月薪)?(?:过|上|破)万")
_PERIOD_RE = re.compile("|".join(rf"(?P<{p}>\s?(?:{pat}))" for p, pat in _PERIOD_WORDS.items()))
_LANG_CURRENCY = {"km": "KHR", "en": "USD", "th": "THB", "vi": "VND", "zh": "CNY"}
_LOCAL_MINIMUM = {"KHR": 100_000, "THB": 3_000, "VND": 100_000}
_MONEY_MULT = frozenset({"triệu", "tr", "củ", "万", "萬"})


@dataclass(frozen=True)
class Amount:
    """One pay figure: the value as written, its currency and period, and US$ per month."""

    value: float
    currency: str
    period: str
    usd_month: float
    start: int
    end: int
    text: str
    kind: str = "pay"  # pay | fee (fee, deposit, debt, penalty the worker pays) | gift


def parse_number(raw: str) -> float:
    """Read ``1,500`` / ``1.500`` / ``15.000.000`` / ``1.5`` / ``1,5``.

    A separator followed by exactly three digits is a thousands separator; any other
    separator is the decimal point (so "1,5 triệu" is one and a half million).
    """
    parts = re.split(r"[.,]", raw)
    if len(parts) == 1:
        return float(raw)
    if all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    head, tail = "".join(parts[:-1]), parts[-1]
    return float(f"{head}.{tail}")


def find_amounts(norm: NormText, lang: str = "en", table: WageTable | None = None) -> list[Amount]:
    """Every pay figure in the message, converted to US$ per month.

    A bare number counts only when a salary word stands shortly before it; then the
    currency defaults to the one usually meant in that language.
    """
    table = table or default_wage_table()
    found = [a for m in _AMOUNT_RE.finditer(norm.text) if (a := _amount(m, norm, lang, table))]
    found.extend(_ten_thousand(norm, table))
    return sorted(found, key=lambda a: a.start)


def _amount(m: re.Match[str], norm: NormText, lang: str, table: WageTable) -> Amount | None:
    """Turn one regex match into an :class:`Amount`, or ``None`` if it is not money."""
    if m.start() > 0 and _ASCII_ALNUM.match(norm.text[m.start() - 1]):
        return None  # digits inside a word ("trc20", "kk1")
    pre = _PRE_RE.search(norm.text, max(0, m.start() - 6), m.start())
    cur_word = (pre[0].strip() if pre else "") or m["cur"]
    if not cur_word and not m["mult"] and len(m["num"]) < 3:
        return None
    money_mult = m["mult"] in _MONEY_MULT or (m["mult"] == "k" and lang == "vi")
    kind = amount_kind(norm.text, m.start(), m.end())
    if not cur_word and not money_mult and not kind:
        return None
    currency = _CUR.get(cur_word or "", "") or _default_currency(lang, m)
    if cur_word == "¥" and any(w in norm.text for w in _JAPAN):
        currency = "JPY"  # ¥ is the yen's sign as well as the yuan's
    if cur_word == "$" and any(w in norm.text for w in _AUSTRALIA):
        currency = "AUD"  # "$30 an hour" in an Australian job is Australian dollars
    try:
        value = max(parse_number(m["num"]), parse_number(m["num2"] or "0"))
    except ValueError:
        return None
    value *= _MULT.get(m["mult"] or "", 1.0)
    if m["mult"] == "k" and not cur_word and lang == "vi":
        currency = "VND"
    period = _period(norm.text, m.start(), m.end())
    usd = value * table.usd_rate(currency) * _PER_MONTH[period]
    start, end = norm.span(pre.start() if pre else m.start(), m.end())
    raw = norm.original[start:end]
    start += len(raw) - len(raw.lstrip())
    text = raw.strip()
    return Amount(value, currency, period, usd, start, start + len(text), text, kind or "pay")


def _default_currency(lang: str, m: re.Match[str]) -> str:
    """The currency meant when none is written, by language and size of the number."""
    if m["mult"] in ("万", "萬", "千"):
        return "CNY"
    if m["mult"] in ("triệu", "tr", "củ", "nghìn", "ngàn"):
        return "VND"
    if m["mult"] in ("หมื่น", "แสน", "ล้าน", "พัน"):
        return "THB"
    # Small bare numbers in Khmer, Thai or Vietnamese posts are dollars ("lương 1500").
    local = _LANG_CURRENCY.get(lang, "USD")
    small = parse_number(m["num"]) < _LOCAL_MINIMUM.get(local, 0)
    return "USD" if small else local


# Words just before an amount that say what it is. The nearest one in the same clause
# wins: "salary $1,500" is pay, "processing fee $1,500" is a fee the worker pays.
_PAY_WORDS = (
    r"salary|wages?|pay:|earn|income|base|tips?|lương|luong|thu nhập|thu nhap|kiếm|kiem|薪"
    r"|月入|收入|工资|底薪|日赚|赚|เงินเดือน|รายได้|ค่าแรง|ค่าจ้าง|เดือนละ|ได้|ทิป"
    r"|ប្រាក់ខែ|ប្រាក់ចំណូល|ចំណូល|ប្រាក់ឈ្នួល|លុយខែ|ខែ|ទឹកតែ|រកលុយ"
)
_FEE_WORDS = (
    r"fees?|costs?|charges?|deposit|top ?up|advance|loan|debt|owe|penalty|fine|compensation"
    r"|must pay|you pay|to pay|pay him|pay her|pay (?:the )?agent|repay|deduct\w*"
    r"|phí|phi|cọc|coc|nạp|nap|đóng|dong|chuyển|chuyen|nợ|vay|phạt|phat|đền|den|ứng|ung"
    r"|费|押金|保证金|充值|交|转|付|垫|贷款|欠|罚款|赔|预支|借支|扣|收"
    r"|ค่าธรรมเนียม|ค่าดำเนินการ|ค่าสมัคร|ค่าอบรม|ค่าหัว|ค่านายหน้า|ค่าเอเจนต์|ค่าเอกสาร|ค่าเรือ"
    r"|ค่าปรับ|มัดจำ|โอน|จ่าย|เติมเงิน|ล่วงหน้า|หนี้|หัก"
    r"|ថ្លៃ|បង់|ប្រាក់កក់|ពិន័យ|ខ្ចី|កម្ចី|ដាក់ប្រាក់|សង"
)
_GIFT_WORDS = (
    r"bride ?price|dowry|gives?|parents|sính lễ|sinh le|bố mẹ|bo me|彩礼|สินสอด|ให้เงินพ่อแม่|ជំនូន|ម៉ែឪ"
)
_KIND_RE = re.compile(rf"(?P<pay>{_PAY_WORDS})|(?P<gift>{_GIFT_WORDS})|(?P<fee>{_FEE_WORDS})")
_CLAUSE = re.compile(r"[.;!?。；！？\n|]")


def amount_kind(text: str, start: int, end: int) -> str:
    """``pay``, ``fee`` or ``gift`` by the nearest telling word within 30 characters
    before the amount in the same clause; ``""`` when no word says."""
    window = text[max(0, start - 30) : start]
    window = _CLAUSE.split(window)[-1]
    last = None
    for m in _KIND_RE.finditer(window):
        last = m
    return last.lastgroup or "" if last else ""


def _period(text: str, start: int, end: int) -> str:
    """Pay period written just after (or, for some words, just before) an amount."""
    m = _PERIOD_RE.match(text, end)
    if m and m.lastgroup:
        return m.lastgroup
    before = text[max(0, start - 6) : start]
    for period, words in _PERIOD_BEFORE.items():
        if any(w in before for w in words):
            return period
    return "month"


def _ten_thousand(norm: NormText, table: WageTable) -> list[Amount]:
    """Chinese "月入过万" (over ten thousand a month) without digits."""
    out: list[Amount] = []
    if "万" not in norm.text:
        return out
    for m in _TEN_THOUSAND_RE.finditer(norm.text):
        start, end = norm.span(m.start(), m.end())
        usd = 10_000 * table.usd_rate("CNY")
        out.append(Amount(10_000, "CNY", "month", usd, start, end, norm.original[start:end]))
    return out

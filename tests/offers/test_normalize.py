"""Normalisation of text and money: one row per way of writing an amount."""

from __future__ import annotations

import pytest

from ctip.offers.normalize import find_amounts, normalise_text, parse_number
from ctip.offers.wages import default_wage_table, load_wage_table


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency", "period", "quote"),
    [
        ("1.5k$ per month", "en", 1500, "USD", "month", "1.5k$"),
        ("salary $1,500 a month", "en", 1500, "USD", "month", "$1,500"),
        ("USD 800 monthly", "en", 800, "USD", "month", "USD 800"),
        ("salary 3000-5000 USDT", "en", 5000, "USDT", "month", "3000-5000 USDT"),
        ("paid 1000U", "zh", 1000, "USDT", "month", "1000U"),
        ("$10 per hour", "en", 10, "USD", "hour", "$10"),
        ("ប្រាក់ខែ ៣០០ ដុល្លារ", "km", 300, "USD", "month", "៣០០ ដុល្លារ"),
        ("១ ពាន់ដុល្លារ", "km", 1000, "USD", "month", "១ ពាន់ដុល្លារ"),
        ("ប្រាក់ខែ 1200000 រៀល", "km", 1_200_000, "KHR", "month", "1200000 រៀល"),
        ("ប្រាក់ខែ 800", "km", 800, "USD", "month", "800"),
        ("lương 15 triệu/tháng", "vi", 15_000_000, "VND", "month", "15 triệu"),
        ("lương 1,5 triệu", "vi", 1_500_000, "VND", "month", "1,5 triệu"),
        ("15.000.000 đ", "vi", 15_000_000, "VND", "month", "15.000.000 đ"),
        ("500k/ngày", "vi", 500_000, "VND", "day", "500k"),
        ("lương 500 mỗi tháng", "vi", 500, "USD", "month", "500"),
        ("月薪2万", "zh", 20_000, "CNY", "month", "2万"),
        ("月薪8000", "zh", 8000, "CNY", "month", "8000"),
        ("日薪500元", "zh", 500, "CNY", "day", "500元"),
        ("年薪30万", "zh", 300_000, "CNY", "year", "30万"),
        ("月入过万", "zh", 10_000, "CNY", "month", "月入过万"),
        ("เงินเดือน ๓๐,๐๐๐ บาท", "th", 30_000, "THB", "month", "๓๐,๐๐๐ บาท"),
        ("เงินเดือน 25000", "th", 25_000, "THB", "month", "25000"),
        ("ค่าจ้าง ๔๐๐ บาท ต่อวัน", "th", 400, "THB", "day", "๔๐๐ บาท"),
    ],
)
def test_amounts(
    text: str, lang: str, value: float, currency: str, period: str, quote: str
) -> None:
    (amount,) = find_amounts(normalise_text(text), lang)
    assert (amount.value, amount.currency, amount.period) == (value, currency, period)
    assert amount.text == quote
    assert text[amount.start : amount.end].strip() == quote


@pytest.mark.parametrize(
    "text",
    ["age 18-35", "TRC20 wallet", "call 012 345 678", "No. 12, Street 271", "We need 20 staff"],
)
def test_not_pay(text: str) -> None:
    assert find_amounts(normalise_text(text), "en") == []


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,500", 1500),
        ("1.500", 1500),
        ("15.000.000", 15e6),
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("2000", 2000),
        ("1,234.5", 1234.5),
    ],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_usd_per_month_uses_reference_rates() -> None:
    (amount,) = find_amounts(normalise_text("日薪500元"), "zh")
    table = default_wage_table()
    assert amount.usd_month == pytest.approx(500 * table.usd_rate("CNY") * 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABC ៣០០", "abc 300"),
        ("เงิน ๑๒๓", "เงิน 123"),
        ("ＵＳＤ１５００", "ＵＳＤ1500".lower()),
        ("ពាន់\u200bដុល្លារ", "ពាន់ដុល្លារ"),
        ("Vie\u0302\u0323c nhe\u0323", "việc nhẹ"),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text).text == expected


def test_offsets_survive_dropped_and_combining_characters() -> None:
    text = "Lương ca\u0302\u0300o \u200b$1,500"
    norm = normalise_text(text)
    start = norm.text.index("$")
    assert norm.quote(start, start + 6) == "$1,500"
    at = norm.text.index("cầo")
    assert norm.quote(at, at + 3) == "ca\u0302\u0300o"


def test_wage_table_is_configurable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "wages.json"
    path.write_text(
        '{"factor": 3, "usd_per_unit": {"USD": 1}, '
        '"entry_wage_usd_month": {"KH": {"general": 100}}}',
        encoding="utf-8",
    )
    table = load_wage_table(path)
    assert table.implausible(300, "KH", "office")
    assert not table.implausible(299, "KH", "office")
    assert table.entry("XX", "general") == 100


@pytest.mark.parametrize(
    ("text", "lang", "currency", "period", "kind"),
    [
        ("Taiwan factory, NT$28,000/month", "en", "TWD", "month", "pay"),
        ("Broker fee NT$90,000", "en", "TWD", "month", "fee"),
        ("Hong Kong helper HK$4,990 a month", "en", "HKD", "month", "pay"),
        ("Japan: registration fee ¥180,000", "en", "JPY", "month", "fee"),
        ("月薪¥8000", "zh", "CNY", "month", "pay"),  # ¥ without Japan is the yuan
        ("报名费18万日元", "zh", "JPY", "month", "fee"),
        ("lương 7.000.000₫", "vi", "VND", "month", "pay"),
        ("ប្រាក់ខែ ៨០០០០០៛", "km", "KHR", "month", "pay"),
        ("ค่าแรงวันละ 363 ฿", "th", "THB", "day", "pay"),
        ("farm work in Australia $30/hr", "en", "AUD", "hour", "pay"),
        ("Top up 100 USDT to unlock", "en", "USDT", "month", "fee"),
        ("Processing cost $3,500", "en", "USD", "month", "fee"),
        ("penalty of $500 for leaving early", "en", "USD", "month", "fee"),
        ("男方家给彩礼5万", "zh", "CNY", "month", "gift"),
        ("luong 15tr/thang", "vi", "VND", "month", "pay"),
        ("月薪1400欧", "zh", "EUR", "month", "pay"),
        ("annual salary $24,000 a year", "en", "USD", "year", "pay"),
    ],
)
def test_amounts_are_read_for_what_they_are(
    text: str, lang: str, currency: str, period: str, kind: str
) -> None:
    (amount,) = find_amounts(normalise_text(text), lang)
    assert (amount.currency, amount.period, amount.kind) == (currency, period, kind)
    assert text[amount.start : amount.end] == amount.text

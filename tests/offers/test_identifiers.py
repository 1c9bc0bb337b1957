"""Identifiers found in offers, normalised as the registry normalises them."""

from __future__ import annotations

import pytest

from ctip.offers.identifiers import extract_identifiers


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Telegram: @HR_Team88 or call 012 345 678",
            "km",
            [("telegram", "hr_team88"), ("phone", "+85512345678")],
        ),
        ("t.me/Job_Center12", "en", [("telegram", "job_center12")]),
        ("WhatsApp +855 97 123 4567", "en", [("phone", "+855971234567")]),
        ("wa.me/85512345678", "en", [("whatsapp", "+85512345678")]),
        (
            "微信：abc_123 电话 +86 138 1234 5678",
            "zh",
            [("wechat", "abc_123"), ("phone", "+8613812345678")],
        ),
        (
            "Line ID: somchai99 โทร 081-234-5678",
            "th",
            [("line", "somchai99"), ("phone", "+66812345678")],
        ),
        (
            "Zalo 0912 345 678, email hr@abc.com.vn",
            "vi",
            [("phone", "+84912345678"), ("email", "hr@abc.com.vn")],
        ),
        ("ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨", "km", [("phone", "+85512345678")]),
        ("lương 15.000.000đ, 12000000 VND", "vi", []),
        ("age 18-35, salary $1,500", "en", []),
        # presented as contacts, in each language's own words
        ("電話 / 电话微信同号13800138000", "zh", [("phone", "+8613800138000")]),
        ("SĐT: 0912 345 678", "vi", [("phone", "+84912345678")]),
        ("sdt 0912345678", "vi", [("phone", "+84912345678")]),
        ("โทร. 081 234 5678", "th", [("phone", "+66812345678")]),
        ("📞 012 345 678", "km", [("phone", "+85512345678")]),
        ("Tel: 023 990 112", "km", [("phone", "+85523990112")]),
        ("LINE: jobth88", "th", [("line", "jobth88")]),
        ("ไลน์ไอดี somchai_99", "th", [("line", "somchai_99")]),
        ("vx: boss_li88", "zh", [("wechat", "boss_li88")]),
    ],
)
def test_extract(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    found = extract_identifiers(text, lang)
    assert [(i.kind, i.value) for i in found] == expected
    assert all(text[i.start : i.end] == i.text for i in found)


# Ordinary words and amounts that an earlier version took for identifiers.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Work Online everyday, good money", "en"),  # "Online" is not a LINE id
        ("online marketing team, apply online today", "en"),
        ("Customer service online 24/7", "en"),
        ("ប្រាក់ខែ ១០០០-១៥០០ ដុល្លារ", "km"),  # a salary range is not a phone
        ("ប្រាក់ខែ ១២០០០០០-១៥០០០០០ រៀល", "km"),
        ("salary 10000-15000 baht per month", "th"),
        ("lương 10000000-15000000 đồng", "vi"),
        ("月薪 12000-15000 元", "zh"),
        ("meet at 012 345 678", "km"),  # "at" is not a contact word
        ("Start 2026 12 01, contract 24 months", "en"),
        ("zalo group for workers", "vi"),
        ("we line up 20 candidates", "en"),
    ],
)
def test_ordinary_words_and_amounts_are_not_identifiers(text: str, lang: str) -> None:
    assert extract_identifiers(text, lang) == []


def test_same_identifier_twice_is_listed_once() -> None:
    found = extract_identifiers("@boss_hr1 ... again @Boss_HR1", "en")
    assert [(i.kind, i.value) for i in found] == [("telegram", "boss_hr1")]

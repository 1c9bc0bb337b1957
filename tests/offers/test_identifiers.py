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
    ],
)
def test_extract(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    found = extract_identifiers(text, lang)
    assert [(i.kind, i.value) for i in found] == expected
    assert all(text[i.start : i.end] == i.text for i in found)


def test_same_identifier_twice_is_listed_once() -> None:
    found = extract_identifiers("@boss_hr1 ... again @Boss_HR1", "en")
    assert [(i.kind, i.value) for i in found] == [("telegram", "boss_hr1")]

"""Language identification (offline) and Khmer word boundaries."""

from __future__ import annotations

import pytest

from ctip.offers.language import detect_language, khmer_words, widen_to_words


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ការងារស្រួល ប្រាក់ខែខ្ពស់", "km"),
        ("เงินเดือนสูง ไม่ต้องมีประสบการณ์", "th"),
        ("việc nhẹ lương cao", "vi"),
        ("Tuyen gap nhan vien cham soc khach hang", "vi"),
        ("高薪低门槛 包吃包住", "zh"),
        ("High salary, no experience needed for the typing job", "en"),
        ("URGENT 急招 customer service in Sihanoukville for you", "en"),
        ("Bonjour, nous recrutons des vendeurs", "fr"),
        ("", "und"),
        ("12345 !!!", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_khmer_segmentation() -> None:
    assert khmer_words("មិនត្រូវការបទពិសោធន៍") == ["មិន", "ត្រូវការ", "បទពិសោធន៍"]


def test_widen_to_words_snaps_to_khmer_word_boundaries() -> None:
    text = "ជ្រើសរើសបុគ្គលិកសេវាអតិថិជន"
    start = text.index("គលិក")
    a, b = widen_to_words(text, start, start + 4)
    assert text[a:b] == "បុគ្គលិក"

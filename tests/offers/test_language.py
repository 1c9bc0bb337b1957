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


@pytest.mark.parametrize(
    ("text", "part", "quoted"),
    [
        ("ជ្រើសរើសបុគ្គលិកសេវាអតិថិជន", "គលិក", "គ្គលិក"),  # a subscript keeps its consonant
        ("ប្រាក់ខែល្អ", "ប្រាក់ខ", "ប្រាក់ខែ"),  # a vowel sign keeps its consonant
        ("បង់ ៤០០០ ដុល្លារ", "បង់ ៤", "បង់ ៤០០០"),  # a number is quoted whole
        ("តេឡេក្រាម @vip_service137", "vip", "@vip_service137"),  # so is a handle
        ("ទៅព្រះសីហនុ", "ព្រះសីហនុ", "ព្រះសីហនុ"),  # a whole span stays as it is
    ],
)
def test_widen_to_words_never_cuts_a_cluster_or_a_run(text: str, part: str, quoted: str) -> None:
    start = text.index(part)
    a, b = widen_to_words(text, start, start + len(part))
    assert text[a:b] == quoted

"""Checking whole offers: risk levels, quoted evidence, identifiers, advice, languages."""

from __future__ import annotations

import pytest

from ctip.offers.engine import OfferChecker
from ctip.offers.identifiers import Identifier

SCAM_EN = (
    "URGENT hiring customer service in Sihanoukville, salary $1,500/month, no experience "
    "needed, free air ticket and visa, food and accommodation inside the company. Send "
    "photo of your passport. Contact Telegram @hr_job88"
)
SCAM_KM = (
    "ជ្រើសរើសបុគ្គលិកសេវាអតិថិជន ប្រាក់ខែ ១៥០០ ដុល្លារ មិនត្រូវការបទពិសោធន៍ "
    "ធ្វើការនៅក្រុងព្រះសីហនុ សំបុត្រយន្តហោះឥតគិតថ្លៃ ទាក់ទងតេឡេក្រាម @job_kh1"
)
SCAM_ZH = "急招客服打字员，月薪2万，无需经验，包吃包住，包机票，地点西港，联系飞机号 @abc123"
SCAM_TH = (
    "รับด่วน แอดมินตอบแชท เงินเดือน ๓๐,๐๐๐ บาท ไม่ต้องมีประสบการณ์ ฟรีตั๋วเครื่องบิน มีที่พักและอาหารให้ ทำงานที่เมียวดี"
)
SCAM_VI = (
    "Tuyển gấp nhân viên chăm sóc khách hàng, lương 1500$, không cần kinh nghiệm, bao ăn ở, "
    "bao vé máy bay, làm việc tại Campuchia. Liên hệ tele @vn_job"
)
LEGIT = (
    "Angkor Star Garment Co., Ltd. (No. 12, Street 271, Phnom Penh) is hiring sewing "
    "operators. Salary $210/month plus NSSF, written contract. Apply at "
    "hr@angkorstar.com.kh. We never charge a recruitment fee."
)


@pytest.mark.parametrize("text", [SCAM_EN, SCAM_KM, SCAM_ZH, SCAM_TH, SCAM_VI])
def test_overt_scams_are_high_risk_with_quoted_evidence(checker: OfferChecker, text: str) -> None:
    result = checker.check(text)
    assert result.risk == "high"
    assert result.score >= 0.8  # Khmer scores carry their language offset
    assert len(result.flags) >= 4
    for flag in result.flags:
        assert flag.evidence and all(quote in text for quote in flag.evidence)
        assert flag.label and flag.explanation


def test_legitimate_ad_is_none_found_never_safe(checker: OfferChecker) -> None:
    result = checker.check(LEGIT)
    assert result.risk == "none_found"
    assert result.flags == []
    assert [i.value for i in result.identifiers] == ["hr@angkorstar.com.kh"]
    assert result.summary.startswith("We found no warning signs we know")
    assert "does not mean this offer is safe" in result.summary


# The answer when no sign is found, in each language: it must deny that the offer is safe.
NOT_SAFE = {
    "en": "does not mean this offer is safe",
    "km": "មិនមានន័យថាការផ្តល់ជូននេះមានសុវត្ថិភាពទេ",
    "th": "ไม่ได้แปลว่าข้อเสนอนี้ปลอดภัย",
    "vi": "không có nghĩa là lời mời này an toàn",
    "zh": "并不代表这份工作安全",
}
READER_HOTLINE = {"en": "1288", "km": "1288", "th": "1300", "vi": "111", "zh": "12333"}


@pytest.mark.parametrize("lang", sorted(NOT_SAFE))
def test_no_sign_found_never_reassures_and_always_gives_the_checklist(
    checker: OfferChecker, lang: str
) -> None:
    result = checker.check(LEGIT, lang=lang)
    assert result.risk == "none_found"
    assert NOT_SAFE[lang] in result.summary
    for word in ("low risk", "Low risk", "ความเสี่ยงต่ำ", "Rủi ro thấp", "低风险", "ហានិភ័យទាប"):
        assert word not in result.summary
    assert len(result.checklist) == 5
    assert READER_HOTLINE[lang] in result.checklist[-1]
    assert READER_HOTLINE[lang] in result.hotlines


@pytest.mark.parametrize("text", [SCAM_EN, SCAM_KM, SCAM_ZH, SCAM_TH, SCAM_VI, LEGIT])
def test_every_answer_carries_the_checklist(checker: OfferChecker, text: str) -> None:
    result = checker.check(text)
    assert len(result.checklist) == 5
    assert result.checklist[0] == result.checklist[0].strip() and result.hotlines


def test_destination_adds_its_own_numbers(checker: OfferChecker) -> None:
    result = checker.check(SCAM_TH, lang="th")  # work in Myawaddy, Myanmar
    assert result.destination == "MM"
    assert result.hotlines[:1] == ("1300",) and "199" in result.hotlines


def test_unverified_numbers_are_never_shown(checker: OfferChecker) -> None:
    from ctip.offers.hotlines import default_hotlines

    book = default_hotlines()
    unverified = {h.number for rows in book.by_country.values() for h in rows if not h.verified}
    for lang in ("km", "en", "th", "vi", "zh"):
        for country in [*book.by_country, None]:
            assert not unverified & set(book.for_reader(lang, country, ("1288",)))


@pytest.mark.parametrize("text", ["hello", "", "   ", "12345", "Bonjour, un travail à Paris"])
def test_too_little_to_judge(checker: OfferChecker, text: str) -> None:
    assert checker.check(text).risk == "unknown"


def test_answer_language_follows_request_then_message(checker: OfferChecker) -> None:
    assert checker.check(SCAM_KM).answer_language == "km"
    assert checker.check(SCAM_KM, lang="en").answer_language == "en"
    assert checker.check(SCAM_EN, lang="xx").answer_language == "en"
    flag = next(f for f in checker.check(SCAM_EN, lang="th").flags if f.code == "C4")
    assert flag.label == "นายจ้างออกค่าเดินทางหรือทำวีซ่าให้"


def test_khmer_evidence_is_whole_words(checker: OfferChecker) -> None:
    flags = {f.code: f for f in checker.check(SCAM_KM).flags}
    assert flags["C5"].evidence == ["ក្រុងព្រះសីហនុ"]
    assert flags["C1"].evidence == ["១៥០០ ដុល្លារ"]


def test_advice_puts_the_relevant_warning_first_and_ends_with_hotlines(
    checker: OfferChecker,
) -> None:
    advice = checker.check(SCAM_EN).advice
    assert advice[0].startswith("Never hand over your passport")
    assert "1288, 1280" in advice[-1]


def test_reported_identifier_makes_it_high_and_says_only_that(checker: OfferChecker) -> None:
    asked: list[Identifier] = []

    def is_reported(ident: Identifier) -> bool:
        asked.append(ident)
        return ident.value == "+85512345678"

    result = checker.check("Good job, call 012 345 678", lang="en", is_reported=is_reported)
    assert result.risk == "high" and result.reported
    assert "reported in connection with trafficking" in result.summary
    assert "1288" in result.summary
    assert [i.value for i in asked] == ["+85512345678"]


def test_a_score_alone_never_makes_high(checker: OfferChecker) -> None:
    results = checker.check_many([SCAM_EN, LEGIT, "Good job in Dubai, WhatsApp +971 50 123 4567"])
    assert all(r.flags for r in results if r.risk == "high")


def test_rules_only_without_a_model() -> None:
    result = OfferChecker(None).check(SCAM_EN)
    assert result.risk == "high" and result.score > 0.9


def test_batch_equals_single(checker: OfferChecker) -> None:
    texts = [SCAM_EN, LEGIT, SCAM_ZH]
    batch = checker.check_many(texts)
    assert [r.score for r in batch] == [checker.check(t).score for t in texts]


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Typing job in Bavet, 12-hour shifts, 6 days", "C11", "Twelve hours or more"),
        ("Typing job, closed management, phones collected", "C11", "Having your phone taken"),
        ("We get you a tourist visa, start work on arrival", "C4", "tourist or visit visa"),
        ("Free air ticket to Bangkok", "C4", "pays your journey"),
        ("Processing cost $3,500 for the visa", "C9", "money you would pay"),
    ],
)
def test_explanation_fits_the_quoted_variant(
    checker: OfferChecker, text: str, code: str, words: str
) -> None:
    flag = next(f for f in checker.check(text, lang="en").flags if f.code == code)
    assert words in flag.explanation
    assert all(quote in text for quote in flag.evidence)

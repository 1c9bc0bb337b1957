"""One row per red-flag rule: the detector, the message, the words it must quote."""

from __future__ import annotations

import pytest

from ctip.offers.detectors import DETECTORS, detect_all, make_doc, role_group, work_country

POSITIVE = [
    ("C1", "en", "Typing job in Sihanoukville, salary $1,500/month", "$1,500"),
    ("C1", "km", "បុគ្គលិកវាយអក្សរ ប្រាក់ខែ ១៥០០ ដុល្លារ", "១៥០០ ដុល្លារ"),
    ("C1", "th", "แอดมินตอบแชท ที่เมียวดี เงินเดือน ๓๐,๐๐๐ บาท", "๓๐,๐๐๐ บาท"),
    ("C1", "vi", "Nhân viên chat ở Campuchia, lương 1500$", "1500$"),
    ("C1", "zh", "西港客服，月薪2万", "2万"),
    ("C2", "en", "No experience needed, we train you", "No experience needed"),
    ("C2", "en", "Age 18-35 only", "Age 18-35"),
    ("C2", "km", "មិនត្រូវការបទពិសោធន៍", "មិនត្រូវការបទពិសោធន៍"),
    ("C2", "th", "ไม่ต้องมีประสบการณ์", "ไม่ต้องมีประสบการณ์"),
    ("C2", "vi", "Việc nhẹ lương cao", "Việc nhẹ lương cao"),
    ("C2", "zh", "高薪低门槛", "高薪低门槛"),
    ("C3", "en", "We need customer service staff", "customer service"),
    ("C3", "km", "ត្រូវការបុគ្គលិកវាយអក្សរ", "វាយអក្សរ"),
    ("C3", "th", "รับแอดมินตอบแชท", "แอดมินตอบแชท"),
    ("C3", "vi", "Tuyển nhân viên chăm sóc khách hàng", "chăm sóc khách hàng"),
    ("C3", "zh", "招打字员", "打字员"),
    ("C4", "en", "Free air ticket and visa", "Free air ticket"),
    ("C4", "en", "We pick you up at the border", "pick you up at the border"),
    ("C4", "km", "សំបុត្រយន្តហោះឥតគិតថ្លៃ", "សំបុត្រយន្តហោះឥតគិតថ្លៃ"),
    ("C4", "th", "ฟรีตั๋วเครื่องบิน", "ฟรีตั๋วเครื่องบิน"),
    ("C4", "vi", "Bao vé máy bay", "Bao vé máy bay"),
    ("C4", "zh", "包机票", "包机票"),
    ("C5", "en", "Work in KK Park", "KK Park"),
    ("C5", "km", "ធ្វើការនៅក្រុងព្រះសីហនុ", "ក្រុងព្រះសីហនុ"),
    ("C5", "th", "ทำงานที่เมียวดี", "เมียวดี"),
    ("C5", "vi", "Làm việc ở Tam Giác Vàng", "Tam Giác Vàng"),
    ("C5", "zh", "地点妙瓦底", "妙瓦底"),
    ("C6", "en", "Contact only on Telegram", "Telegram"),
    ("C6", "km", "ទាក់ទងតេឡេក្រាម", "តេឡេក្រាម"),
    ("C6", "th", "แอดไลน์สอบถาม", "แอดไลน์"),
    ("C6", "vi", "Nhắn tele nhé", "tele"),
    ("C6", "zh", "加微信详聊", "微信"),
    ("C7", "en", "Company name will be told later", "Company name will be told later"),
    ("C7", "km", "ក្រុមហ៊ុនធំ ស្ថិរភាព", "ក្រុមហ៊ុនធំ"),
    ("C7", "th", "บริษัทจีน เถ้าแก่ใจดี", "บริษัทจีน"),
    ("C7", "vi", "Công ty lớn, ổn định", "Công ty lớn"),
    ("C7", "zh", "详情私聊", "详情私聊"),
    ("C8", "en", "If police ask, say you are a tourist", "say you are a tourist"),
    ("C8", "km", "កុំប្រាប់គ្រួសារ", "កុំប្រាប់គ្រួសារ"),
    ("C8", "th", "อย่าบอกครอบครัวนะ", "อย่าบอกครอบครัว"),
    ("C8", "vi", "Tuyển gấp", "Tuyển gấp"),
    ("C8", "zh", "急招", "急招"),
    ("C9", "en", "Processing fee $300", "Processing fee"),
    ("C9", "en", "First salary after 3 months", "First salary after 3 months"),
    ("C9", "km", "ត្រូវបង់ប្រាក់កក់", "ប្រាក់កក់"),
    ("C9", "th", "ต้องวางเงินมัดจำ", "มัดจำ"),
    ("C9", "vi", "Đặt cọc trước khi đi", "Đặt cọc"),
    ("C9", "zh", "先交押金", "押金"),
    ("C10", "en", "Send photo of your passport", "Send photo of your passport"),
    ("C10", "km", "ផ្ញើរូបថតលិខិតឆ្លងដែន", "ផ្ញើរូបថតលិខិតឆ្លងដែន"),
    ("C10", "th", "บริษัทเก็บพาสปอร์ต", "เก็บพาสปอร์ต"),
    ("C10", "vi", "Công ty giữ hộ chiếu", "giữ hộ chiếu"),
    ("C10", "zh", "护照统一保管", "护照统一保管"),
    ("C11", "en", "Closed management, safe compound", "Closed management"),
    ("C11", "km", "ធ្វើការ 12 ម៉ោង", "ធ្វើការ 12 ម៉ោង"),
    ("C11", "th", "มีที่พักและอาหารให้", "มีที่พักและอาหารให้"),
    ("C11", "vi", "Bao ăn ở", "Bao ăn ở"),
    ("C11", "zh", "包吃包住", "包吃包住"),
    ("C12", "en", "Salary paid in USDT", "paid in USDT"),
    ("C12", "en", "Basic pay 1000U", "1000U"),
    ("C12", "vi", "Trả lương bằng tiền ảo", "Trả lương bằng tiền ảo"),
    ("C12", "zh", "泰达币结算", "泰达币结算"),
]


@pytest.mark.parametrize(("code", "lang", "text", "quote"), POSITIVE)
def test_detector_quotes_its_words(code: str, lang: str, text: str, quote: str) -> None:
    spans = DETECTORS[code](make_doc(text, lang))
    assert quote in [s.text for s in spans]
    assert all(text[s.start : s.end] == s.text for s in spans)


NEGATIVE = [
    ("C9", "en", "We never charge a recruitment fee."),
    ("C9", "en", "No deposit, free registration."),
    ("C9", "zh", "不收押金"),
    ("C9", "th", "ไม่มีค่าธรรมเนียม"),
    ("C10", "en", "Never hand over your passport to anyone."),
    ("C1", "en", "Sewing operator, salary $210/month"),
    ("C1", "en", "EPS Korea: factory worker, salary $1,700/month"),
    ("C1", "zh", "上海工厂普工，月薪6000元"),
    ("C6", "en", "Telegram group for HR: apply at hr@example.com.kh"),
    ("C6", "km", "ទាក់ទងតេឡេក្រាម ផ្ទះលេខ 12 ផ្លូវលេខ 271"),
]


@pytest.mark.parametrize(("code", "lang", "text"), NEGATIVE)
def test_detector_stays_quiet(code: str, lang: str, text: str) -> None:
    assert DETECTORS[code](make_doc(text, lang)) == []


@pytest.mark.parametrize(
    ("text", "lang", "country", "role"),
    [
        ("Typing job in Myawaddy", "en", "MM", "office"),
        ("Hotel receptionist in Sihanoukville", "en", "KH", "hospitality"),
        ("EPS Korea factory worker", "en", "KR", "factory"),
        ("招客服", "zh", "CN", "office"),
        ("งานดี", "th", "TH", "general"),
    ],
)
def test_where_and_what(text: str, lang: str, country: str, role: str) -> None:
    doc = make_doc(text, lang)
    assert (work_country(doc), role_group(doc)) == (country, role)


def test_mixed_language_message_is_read_in_every_language() -> None:
    found = detect_all(make_doc("急招 customer service, free visa, 西港, Telegram @abc", "zh"))
    assert {"C3", "C4", "C5", "C6", "C8"} <= set(found)


def test_legitimate_ad_raises_few_flags() -> None:
    text = (
        "Angkor Star Garment Co., Ltd. (No. 12, Street 271, Phnom Penh) is hiring sewing "
        "operators. Salary $210/month plus NSSF. Apply at hr@angkorstar.com.kh. "
        "We never charge a recruitment fee."
    )
    assert detect_all(make_doc(text, "en")) == {}

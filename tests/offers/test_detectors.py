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
    assert any(quote in s.text for s in spans)  # touching phrases are quoted as one
    assert all(text[s.start : s.end] == s.text for s in spans)


# One row per scheme family and variant, in each language's own words: (family, variant,
# language, text, words that must be quoted). Vietnamese rows with and without diacritics.
SCHEMES = [
    ("C13", "bride_price", "en", "The husband's family pays a dowry to your parents", "dowry"),
    ("C13", "husband_abroad", "km", "អូនចង់បានប្តីចិនទេ", "ប្តីចិន"),
    ("C13", "bride_price", "th", "ครอบครัวฝ่ายชายให้สินสอดสองแสน", "สินสอด"),
    ("C13", "husband_abroad", "vi", "Tìm cô gái lấy chồng Trung Quốc", "lấy chồng Trung Quốc"),
    ("C13", "husband_abroad", "vi", "tim co gai lay chong trung quoc", "lay chong trung quoc"),
    ("C13", "bride_price", "zh", "男方家给彩礼五万", "彩礼"),
    ("C14", "months_at_sea", "en", "Boat crew, 6 months at sea, paid on return", "6 months at sea"),
    ("C14", "transfer_at_sea", "th", "ย้ายเรือกลางทะเล ไม่มีสัญญา", "ย้ายเรือกลางทะเล"),
    ("C14", "fishing_boat", "vi", "tuyen thuyen vien tau ca", "thuyen vien"),
    ("C14", "transfer_at_sea", "zh", "远洋渔船，海上换船", "海上换船"),
    ("C14", "fishing_boat", "km", "ត្រូវការកម្មករធ្វើការលើទូកនេសាទ", "ទូកនេសាទ"),
    (
        "C15",
        "no_passport",
        "en",
        "no passport no problem, we take you over",
        "no passport no problem",
    ),
    ("C15", "informal_crossing", "km", "យើងនាំឆ្លងទន្លេ", "ឆ្លងទន្លេ"),
    ("C15", "no_passport", "th", "ไม่มีพาสก็ไปได้", "ไม่มีพาสก็ไปได้"),
    ("C15", "no_passport", "vi", "khong co ho chieu van di duoc", "khong co ho chieu van di duoc"),
    ("C15", "met_at_border", "zh", "对岸有人接", "对岸有人接"),
    ("C16", "top_up_unlock", "en", "Top up 100 USDT to unlock VIP tasks", "unlock VIP tasks"),
    ("C16", "tasks_commission", "zh", "在家刷单，佣金日结", "刷单"),
    ("C16", "top_up_unlock", "vi", "nap 100 USDT mo khoa nhiem vu VIP", "mo khoa"),
    ("C17", "hostess", "th", "รับสาวนั่งดริงค์ที่ดูไบ", "นั่งดริงค์"),
    ("C17", "hostess", "zh", "去迪拜KTV做公主", "公主"),
    ("C17", "body_photos", "en", "Send full body photos", "full body photos"),
    ("C18", "relative_friend", "en", "my cousin works for a company there", "my cousin works"),
    ("C18", "bring_friend", "zh", "老板说带朋友来给你报车费", "带朋友来"),
    ("C18", "relative_friend", "km", "មីងថាកូនគាត់ធ្វើការនៅក្រុមហ៊ុនធំ", "មីងថា"),
    ("C19", "no_exam", "en", "Korean factory WITHOUT the EPS exam", "WITHOUT the EPS exam"),
    ("C19", "guaranteed_visa", "vi", "bao đậu visa trong 3 tuần", "bao đậu"),
    ("C19", "guaranteed_visa", "vi", "bao dau visa trong 3 tuan", "bao dau"),
    ("C19", "no_legal_route", "th", "ไม่ต้องทำ MoU นายหน้าพาเดินข้าม", "ไม่ต้องทำ MoU"),
    ("C19", "no_exam", "zh", "韩国工厂直招，免考EPS", "免考"),
    ("C20", "domestic_abroad", "en", "Housemaid for a family in Saudi Arabia", "Housemaid"),
    ("C20", "domestic_abroad", "zh", "沙特家政保姆", "家政"),
    (
        "C10",
        "passport_photo",
        "en",
        "send me the first page of ur passport",
        "first page of ur passport",
    ),
    ("C10", "passport_photo", "en", "and a selfie holding it", "selfie holding it"),
    ("C10", "id_photo", "th", "ส่งรูปบัตรประชาชนมาให้เราก่อน", "รูปบัตรประชาชน"),
    ("C10", "id_photo", "vi", "gui anh cccd 2 mat", "anh cccd"),
    ("C10", "id_photo", "km", "ផ្ញើរូបអត្តសញ្ញាណប័ណ្ណមកបងសិន", "ផ្ញើរូបអត្តសញ្ញាណប័ណ្ណ"),
    ("C10", "passport_kept", "zh", "护照公司帮你收着", "护照公司帮你收"),
    ("C8", "secrecy", "en", "delete this chat after reading", "delete this chat"),
    ("C8", "secrecy", "vi", "doc xong xoa tin nhan nay", "xoa tin nhan"),
    ("C8", "secrecy", "km", "កុំទាន់ប្រាប់ម៉ែណា", "កុំទាន់ប្រាប់ម៉ែ"),
    ("C9", "advance_debt", "en", "repaid from your salary at $150 a month", "repaid"),
    ("C9", "penalty", "zh", "合同未满离职需全额赔偿", "全额赔偿"),
    ("C9", "broker_fee", "th", "ค่าหัวคิว NT$90,000 หักจากเงินเดือน", "ค่าหัวคิว"),
    ("C9", "fee_amount", "en", "Processing cost $3,500, half upfront", "$3,500"),
    ("C4", "tourist_visa", "en", "we get you a visitor visa then change it", "visitor visa"),
    ("C4", "tourist_visa", "zh", "你以旅游的名义去马来西亚", "以旅游的名义"),
    ("C5", "hub_abroad", "en", "Translator needed in Bokeo, Laos", "Bokeo"),
    ("C5", "transit", "th", "มีรถมารับที่แม่สอด", "แม่สอด"),
    ("C5", "hub_kh", "km", "ការងារវាយអក្សរនៅកោះកុង តំបន់ដារាសាគរ", "ដារាសាគរ"),
    ("C5", "crossing", "en", "we cross at Cham Yeam", "Cham Yeam"),
    ("C2", "no_experience", "vi", "khong can kinh nghiem", "khong can kinh nghiem"),
    ("C3", "customer_service", "vi", "Tuyen nhan vien cham soc khach hang", "cham soc khach hang"),
]


@pytest.mark.parametrize(("code", "variant", "lang", "text", "quote"), SCHEMES)
def test_scheme_families_quote_the_offer_and_name_the_variant(
    code: str, variant: str, lang: str, text: str, quote: str
) -> None:
    spans = detect_all(make_doc(text, lang)).get(code, [])
    assert any(quote in s.text and s.variant == variant for s in spans), spans
    assert all(text[s.start : s.end] == s.text for s in spans)


# Hard negatives: each row is a legitimate phrase a detector once took for a sign.
QUIET = [
    ("C8", "th", "สอบถามสายด่วนบริษัท 02-555-0180"),  # a hotline is not urgency
    ("C8", "km", "ទូរស័ព្ទខ្សែទូរស័ព្ទបន្ទាន់របស់យើង"),
    ("C9", "en", "Front desk, $280 plus service charge"),  # a hotel's service charge
    ("C9", "zh", "底薪4000元+服务费分成"),
    ("C9", "km", "ការចុះឈ្មោះ ថ្លៃសេវាតាមការកំណត់របស់ក្រសួងការងារ"),  # the official fee
    ("C9", "en", "Applications only through the Ministry of Labour; no agent fees are charged."),
    ("C4", "en", "Visa and work permit arranged by the licensed agency"),
    ("C20", "en", "Looking for a live-in housekeeper in Phnom Penh"),
    ("C1", "en", "Processing cost $3,500, half before departure"),  # a fee is not pay
    ("C1", "zh", "男方家给彩礼5万"),  # a bride price is not pay
]


@pytest.mark.parametrize(("code", "lang", "text"), QUIET)
def test_hard_negatives_stay_quiet(code: str, lang: str, text: str) -> None:
    assert code not in detect_all(make_doc(text, lang))


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

"""What the checker says to people, in Khmer, English, Thai, Vietnamese and Chinese.

English is the reference text. The Khmer, Thai, Vietnamese and Chinese strings are a
DRAFT written by a non-native speaker: they must be reviewed by native speakers (NCCT
hotline staff, partner NGOs) before the page is shown to the public. They live here, not
in ``.po`` files, because the pure engine and the bulk scanner need them without the web
layer; the page's own interface strings go through gettext like the rest of CTIP.
"""

# ruff: noqa: E501  (a table of sentences; wrapping them mid-phrase would hinder translators)

from __future__ import annotations

LANGS = ("km", "en", "th", "vi", "zh")
T = dict[str, str]

LABELS: dict[str, T] = {
    "C1": {
        "en": "Pay far above normal for this job",
        "km": "ប្រាក់ខែខ្ពស់ហួសពីធម្មតាសម្រាប់ការងារនេះ",
        "th": "เงินเดือนสูงเกินปกติสำหรับงานนี้",
        "vi": "Lương cao bất thường so với công việc",
        "zh": "薪资远高于该岗位的正常水平",
    },
    "C2": {
        "en": "No experience or qualifications needed",
        "km": "មិនត្រូវការបទពិសោធន៍ ឬសញ្ញាបត្រ",
        "th": "ไม่ต้องมีประสบการณ์หรือวุฒิ",
        "vi": "Không cần kinh nghiệm hay bằng cấp",
        "zh": "无需经验或学历",
    },
    "C3": {
        "en": "A job often used to recruit for scam compounds",
        "km": "ការងារដែលគេច្រើនប្រើដើម្បីជ្រើសរើសទៅមជ្ឈមណ្ឌលបោកប្រាស់",
        "th": "ตำแหน่งที่มักใช้หลอกไปทำงานในแก๊งคอลเซ็นเตอร์",
        "vi": "Công việc thường dùng để dụ vào các đường dây lừa đảo",
        "zh": "常被用来招人进诈骗园区的岗位",
    },
    "C4": {
        "en": "Employer pays the journey or arranges the visa",
        "km": "និយោជកចេញថ្លៃធ្វើដំណើរ ឬរៀបចំទិដ្ឋាការ",
        "th": "นายจ้างออกค่าเดินทางหรือทำวีซ่าให้",
        "vi": "Bên tuyển trả vé hoặc lo visa",
        "zh": "雇主包路费或办签证",
    },
    "C5": {
        "en": "A place or crossing named in trafficking reports",
        "km": "ទីកន្លែង ឬច្រកឆ្លងដែលរបាយការណ៍ជួញដូរមនុស្សបានដាក់ឈ្មោះ",
        "th": "สถานที่หรือจุดข้ามแดนที่รายงานการค้ามนุษย์ระบุ",
        "vi": "Nơi hoặc cửa khẩu được nêu trong các báo cáo về mua bán người",
        "zh": "人口贩卖报告中点名的地点或口岸",
    },
    "C6": {
        "en": "Contact only through a chat app",
        "km": "ទាក់ទងតែតាមកម្មវិធីឆាត",
        "th": "ติดต่อได้ทางแอปแชทเท่านั้น",
        "vi": "Chỉ liên hệ qua ứng dụng nhắn tin",
        "zh": "只能通过聊天软件联系",
    },
    "C7": {
        "en": "The employer is vague or unnamed",
        "km": "និយោជកមិនច្បាស់លាស់ ឬគ្មានឈ្មោះ",
        "th": "ไม่ระบุชื่อนายจ้างให้ชัดเจน",
        "vi": "Nhà tuyển dụng mơ hồ hoặc giấu tên",
        "zh": "雇主信息模糊或不具名",
    },
    "C8": {
        "en": "Pressure to hurry or keep it secret",
        "km": "ជំរុញឱ្យប្រញាប់ ឬឱ្យលាក់ការសម្ងាត់",
        "th": "เร่งให้รีบตัดสินใจหรือให้ปิดเป็นความลับ",
        "vi": "Thúc ép vội vàng hoặc giữ bí mật",
        "zh": "催促尽快出发或要求保密",
    },
    "C9": {
        "en": "Fees, deposits, debts or penalties",
        "km": "ថ្លៃសេវា ប្រាក់កក់ បំណុល ឬការពិន័យ",
        "th": "ค่าธรรมเนียม เงินมัดจำ หนี้ หรือค่าปรับ",
        "vi": "Phí, tiền cọc, nợ hoặc tiền phạt",
        "zh": "收费、押金、欠债或违约金",
    },
    "C10": {
        "en": "Asks for or keeps your passport",
        "km": "សុំ ឬរក្សាទុកលិខិតឆ្លងដែនរបស់អ្នក",
        "th": "ขอหรือยึดหนังสือเดินทางของคุณ",
        "vi": "Đòi hoặc giữ hộ chiếu của bạn",
        "zh": "索要或扣留你的护照",
    },
    "C11": {
        "en": "Living and working shut inside",
        "km": "រស់នៅ និងធ្វើការបិទជិតនៅខាងក្នុង",
        "th": "กินนอนและทำงานในพื้นที่ปิด",
        "vi": "Ăn ở và làm việc khép kín bên trong",
        "zh": "封闭式吃住和工作",
    },
    "C12": {
        "en": "Pay in cryptocurrency",
        "km": "បើកប្រាក់ខែជាប្រាក់គ្រីបតូ",
        "th": "จ่ายเงินเดือนเป็นคริปโต",
        "vi": "Trả lương bằng tiền mã hóa",
        "zh": "用加密货币发工资",
    },
    "C13": {
        "en": "Marriage abroad arranged for money",
        "km": "ការរៀបការនៅបរទេសដែលរៀបចំដោយលុយ",
        "th": "การแต่งงานต่างประเทศที่จัดการโดยมีเงินเกี่ยวข้อง",
        "vi": "Hôn nhân ở nước ngoài được sắp đặt vì tiền",
        "zh": "以金钱安排的跨国婚姻",
    },
    "C14": {
        "en": "Work at sea, far from help",
        "km": "ការងារនៅសមុទ្រ ឆ្ងាយពីជំនួយ",
        "th": "งานกลางทะเล ห่างไกลความช่วยเหลือ",
        "vi": "Làm việc trên biển, xa mọi sự giúp đỡ",
        "zh": "海上工作，远离救助",
    },
    "C15": {
        "en": "Crossing without papers or by a hidden route",
        "km": "ឆ្លងដែនគ្មានឯកសារ ឬតាមផ្លូវលួច",
        "th": "ข้ามแดนโดยไม่มีเอกสารหรือทางลับ",
        "vi": "Vượt biên không giấy tờ hoặc đường tắt",
        "zh": "无证件或走隐蔽路线过境",
    },
    "C16": {
        "en": "Paid 'tasks' that ask you to pay in",
        "km": "'ភារកិច្ច' មានប្រាក់ ដែលឱ្យអ្នកដាក់លុយ",
        "th": "'ภารกิจ' ได้เงินที่ให้คุณโอนเงินเข้า",
        "vi": "'Nhiệm vụ' có tiền nhưng bắt bạn nạp tiền",
        "zh": "要你先充值的有偿'任务'",
    },
    "C17": {
        "en": "Hostess, bar or modelling work abroad",
        "km": "ការងារអមភ្ញៀវ បារ ឬម៉ូដែលនៅបរទេស",
        "th": "งานนั่งดริงค์ บาร์ หรือนางแบบในต่างประเทศ",
        "vi": "Việc tiếp viên, quán bar hay người mẫu ở nước ngoài",
        "zh": "海外陪酒、夜场或模特工作",
    },
    "C18": {
        "en": "Recruited through a friend or relative",
        "km": "ជ្រើសរើសតាមរយៈមិត្ត ឬសាច់ញាតិ",
        "th": "ถูกชวนผ่านเพื่อนหรือญาติ",
        "vi": "Được rủ đi qua bạn bè hoặc người thân",
        "zh": "通过朋友或亲戚招人",
    },
    "C19": {
        "en": "Skips the legal route (exam, permit, work visa)",
        "km": "រំលងផ្លូវស្របច្បាប់ (ការប្រឡង ប័ណ្ណអនុញ្ញាត ទិដ្ឋាការការងារ)",
        "th": "ข้ามช่องทางถูกกฎหมาย (สอบ ใบอนุญาต วีซ่าทำงาน)",
        "vi": "Bỏ qua con đường hợp pháp (thi, giấy phép, visa lao động)",
        "zh": "绕过合法渠道（考试、许可、工作签证）",
    },
    "C20": {
        "en": "Domestic or care work abroad",
        "km": "ការងារផ្ទះ ឬថែទាំនៅបរទេស",
        "th": "งานแม่บ้านหรือดูแลคนในต่างประเทศ",
        "vi": "Giúp việc hoặc chăm sóc ở nước ngoài",
        "zh": "海外家政或护理工作",
    },
}

EXPLANATIONS: dict[str, T] = {
    "C1": {
        "en": "Real first jobs of this kind pay much less. Very high pay for easy work is the "
        "most common bait.",
        "km": "ការងារដំបូងប្រភេទនេះពិតៗ ផ្តល់ប្រាក់ខែទាបជាងនេះច្រើន។ ប្រាក់ខែខ្ពស់សម្រាប់ការងារស្រួល គឺជានុយទូទៅបំផុត។",
        "th": "งานแรกประเภทนี้จริงๆ ได้เงินน้อยกว่านี้มาก เงินสูงสำหรับงานง่ายคือเหยื่อล่อที่พบบ่อยที่สุด",
        "vi": "Công việc thật loại này trả thấp hơn nhiều. Lương rất cao cho việc nhẹ là mồi nhử phổ biến nhất.",
        "zh": "这类岗位的真实起薪低得多。轻松工作配高薪是最常见的诱饵。",
    },
    "C2": {
        "en": "Offers that ask for nothing but pay a lot are a common lure.",
        "km": "ការផ្តល់ជូនដែលមិនទាមទារអ្វីសោះ តែផ្តល់ប្រាក់ច្រើន គឺជានុយទូទៅ។",
        "th": "งานที่ไม่ต้องการคุณสมบัติใดแต่จ่ายเงินสูงมักเป็นเหยื่อล่อ",
        "vi": "Việc không đòi hỏi gì mà trả lương cao thường là mồi nhử.",
        "zh": "什么都不要求却给高薪，往往是诱饵。",
    },
    "C3": {
        "en": "Scam compounds recruit 'customer service', 'typing' or 'translator' staff and "
        "then force them to defraud people online.",
        "km": "មជ្ឈមណ្ឌលបោកប្រាស់ជ្រើសរើស 'សេវាអតិថិជន' 'វាយអក្សរ' ឬ 'អ្នកបកប្រែ' "
        "រួចបង្ខំឱ្យបោកប្រាស់មនុស្សតាមអនឡាញ។",
        "th": "แก๊งต้มตุ๋นรับ 'แอดมิน' 'พิมพ์งาน' หรือ 'ล่าม' แล้วบังคับให้หลอกลวงคนทางออนไลน์",
        "vi": "Các khu lừa đảo tuyển 'chăm sóc khách hàng', 'đánh máy', 'phiên dịch' rồi ép "
        "họ lừa người khác trên mạng.",
        "zh": "诈骗园区以'客服''打字员''翻译'名义招人，然后强迫他们从事网络诈骗。",
    },
    "C4": {
        "en": "An employer who pays your ticket can later say you owe it; a tourist visa "
        "means you will have no legal right to work.",
        "km": "និយោជកដែលចេញថ្លៃសំបុត្រអាចនិយាយថាអ្នកជំពាក់ពេលក្រោយ។ ទិដ្ឋាការទេសចរណ៍ មិនផ្តល់សិទ្ធិធ្វើការស្របច្បាប់ទេ។",
        "th": "นายจ้างที่ออกค่าตั๋วให้อาจอ้างว่าคุณเป็นหนี้ภายหลัง วีซ่าท่องเที่ยวไม่อนุญาตให้ทำงาน",
        "vi": "Bên trả vé có thể nói bạn nợ họ; visa du lịch không cho phép làm việc hợp pháp.",
        "zh": "包路费的雇主事后可能说你欠债；旅游签证不能合法工作。",
    },
    "C5": {
        "en": "Many people sent to this place were held in compounds and forced to work.",
        "km": "មនុស្សជាច្រើនដែលត្រូវបានបញ្ជូនទៅទីនេះ ត្រូវបានឃុំខ្លួន និងបង្ខំឱ្យធ្វើការ។",
        "th": "หลายคนที่ถูกส่งไปที่นี่ถูกกักตัวและบังคับให้ทำงาน",
        "vi": "Nhiều người bị đưa đến đây đã bị giam giữ và ép làm việc.",
        "zh": "许多被送到这里的人被关押并被强迫工作。",
    },
    "C6": {
        "en": "A real employer has an address, a website or an office you can visit.",
        "km": "និយោជកពិតមានអាសយដ្ឋាន គេហទំព័រ ឬការិយាល័យដែលអ្នកអាចទៅមើលបាន។",
        "th": "นายจ้างจริงมีที่อยู่ เว็บไซต์ หรือสำนักงานที่ไปดูได้",
        "vi": "Nhà tuyển dụng thật có địa chỉ, trang web hoặc văn phòng bạn có thể đến.",
        "zh": "真正的雇主有地址、网站或可以去看的办公室。",
    },
    "C7": {
        "en": "If you cannot check who the employer is, nobody can help you if things go wrong.",
        "km": "បើអ្នកមិនអាចពិនិត្យថានិយោជកជានរណា គ្មាននរណាអាចជួយអ្នកបានពេលមានបញ្ហា។",
        "th": "ถ้าตรวจสอบไม่ได้ว่านายจ้างคือใคร จะไม่มีใครช่วยคุณได้เมื่อเกิดปัญหา",
        "vi": "Nếu không kiểm tra được ai là chủ, sẽ không ai giúp được bạn khi có chuyện.",
        "zh": "如果无法核实雇主是谁，出事时没人能帮你。",
    },
    "C8": {
        "en": "Traffickers rush people so they have no time to check, and ask them to lie to "
        "family or officials.",
        "km": "ជនជួញដូរជំរុញឱ្យប្រញាប់ ដើម្បីកុំឱ្យមានពេលពិនិត្យ ហើយឱ្យកុហកគ្រួសារ ឬមន្ត្រី។",
        "th": "ผู้ค้ามนุษย์เร่งให้รีบจนไม่มีเวลาตรวจสอบ และให้โกหกครอบครัวหรือเจ้าหน้าที่",
        "vi": "Kẻ buôn người thúc ép để bạn không kịp kiểm tra, và bảo bạn nói dối gia đình "
        "hoặc cơ quan chức năng.",
        "zh": "人贩子催你快走，让你没时间核实，还让你对家人或官员撒谎。",
    },
    "C9": {
        "en": "Fees and debts are used to keep workers from leaving (debt bondage).",
        "km": "ថ្លៃសេវា និងបំណុល ត្រូវបានប្រើដើម្បីកុំឱ្យកម្មករចាកចេញ (ការជាប់បំណុល)។",
        "th": "ค่าธรรมเนียมและหนี้ถูกใช้ผูกมัดไม่ให้คนงานออกได้ (การเป็นหนี้ผูกมัด)",
        "vi": "Phí và nợ được dùng để giữ người lao động không cho rời đi (nợ khổ sai).",
        "zh": "收费和欠债被用来让工人无法离开（债务奴役）。",
    },
    "C10": {
        "en": "Nobody but you should hold your passport. Without it you cannot leave.",
        "km": "គ្មាននរណាក្រៅពីអ្នកគួរកាន់លិខិតឆ្លងដែនរបស់អ្នកទេ។ បើគ្មានវា អ្នកមិនអាចចាកចេញបានទេ។",
        "th": "ไม่ควรมีใครถือหนังสือเดินทางของคุณนอกจากตัวคุณ ถ้าไม่มีมันคุณจะกลับไม่ได้",
        "vi": "Không ai ngoài bạn được giữ hộ chiếu của bạn. Không có nó bạn không thể rời đi.",
        "zh": "除了你自己，任何人都不应持有你的护照。没有护照你就走不了。",
    },
    "C11": {
        "en": "Living inside the workplace with your phone taken is how people are kept from "
        "leaving or asking for help.",
        "km": "ការរស់នៅក្នុងកន្លែងធ្វើការ ហើយត្រូវដកទូរស័ព្ទ គឺជាវិធីឃាត់មិនឱ្យចាកចេញ ឬសុំជំនួយ។",
        "th": "การอยู่ในที่ทำงานและถูกยึดโทรศัพท์ คือวิธีกักไม่ให้ออกไปหรือขอความช่วยเหลือ",
        "vi": "Ở trong nơi làm việc và bị thu điện thoại là cách giữ người không cho rời đi "
        "hay cầu cứu.",
        "zh": "住在工作场所、手机被收走，是让人无法离开或求助的手段。",
    },
    "C12": {
        "en": "Pay in crypto cannot be traced or claimed back; real employers pay into a "
        "bank account.",
        "km": "ប្រាក់ខែជាគ្រីបតូមិនអាចតាមដាន ឬទាមទារវិញបាន។ និយោជកពិតបើកតាមគណនីធនាគារ។",
        "th": "เงินเดือนเป็นคริปโตตามคืนไม่ได้ นายจ้างจริงจ่ายเข้าบัญชีธนาคาร",
        "vi": "Lương bằng tiền mã hóa không thể truy vết hay đòi lại; chủ thật trả qua ngân hàng.",
        "zh": "加密货币工资无法追踪或追回；正规雇主通过银行发工资。",
    },
}

ADVICE: dict[str, T] = {
    "licence": {
        "en": "Check that the agency holds a licence from the Ministry of Labour and "
        "Vocational Training before you go.",
        "km": "ពិនិត្យថាទីភ្នាក់ងារមានអាជ្ញាប័ណ្ណពីក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ មុនពេលទៅ។",
        "th": "ตรวจสอบว่าบริษัทจัดหางานมีใบอนุญาตจากกระทรวงแรงงานก่อนเดินทาง",
        "vi": "Kiểm tra công ty môi giới có giấy phép của Bộ Lao động trước khi đi.",
        "zh": "出发前核实中介是否持有劳动部门颁发的许可证。",
    },
    "fee": {
        "en": "Never pay a fee or deposit to get a job.",
        "km": "កុំបង់ថ្លៃសេវា ឬប្រាក់កក់ដើម្បីបានការងារ។",
        "th": "อย่าจ่ายค่าธรรมเนียมหรือเงินมัดจำเพื่อให้ได้งาน",
        "vi": "Không bao giờ trả phí hay tiền cọc để có việc làm.",
        "zh": "找工作绝不交任何费用或押金。",
    },
    "passport": {
        "en": "Never hand over your passport or send photos of it to a recruiter.",
        "km": "កុំប្រគល់លិខិតឆ្លងដែន ឬផ្ញើរូបថតវាទៅអ្នកជ្រើសរើស។",
        "th": "อย่ามอบหนังสือเดินทางหรือส่งรูปให้คนจัดหางาน",
        "vi": "Không bao giờ giao hộ chiếu hay gửi ảnh hộ chiếu cho người tuyển dụng.",
        "zh": "绝不要把护照交给招聘者，也不要发护照照片。",
    },
    "contract": {
        "en": "Ask for a written contract in a language you read, with the employer's "
        "name and address, before you travel.",
        "km": "សុំកិច្ចសន្យាជាលាយលក្ខណ៍អក្សរ ជាភាសាដែលអ្នកអានបាន មានឈ្មោះ និងអាសយដ្ឋាននិយោជក មុនពេលធ្វើដំណើរ។",
        "th": "ขอสัญญาเป็นลายลักษณ์อักษรในภาษาที่คุณอ่านได้ ระบุชื่อและที่อยู่นายจ้างก่อนเดินทาง",
        "vi": "Yêu cầu hợp đồng bằng văn bản, bằng ngôn ngữ bạn đọc được, có tên và địa chỉ "
        "chủ, trước khi đi.",
        "zh": "出发前索要你看得懂的书面合同，写明雇主名称和地址。",
    },
    "tell": {
        "en": "Tell your family where you are going and agree on a way to check in.",
        "km": "ប្រាប់គ្រួសារថាអ្នកទៅណា ហើយព្រមព្រៀងគ្នាពីរបៀបទាក់ទងជាប្រចាំ។",
        "th": "บอกครอบครัวว่าคุณจะไปที่ไหน และตกลงวิธีติดต่อกันเป็นประจำ",
        "vi": "Cho gia đình biết bạn đi đâu và hẹn cách liên lạc thường xuyên.",
        "zh": "告诉家人你要去哪里，并约定定期联系的方式。",
    },
    "hotline": {
        "en": "If you are unsure, call the hotline before you decide: {hotlines}.",
        "km": "បើមិនប្រាកដ សូមទូរស័ព្ទទៅខ្សែទូរស័ព្ទជំនួយ មុនពេលសម្រេចចិត្ត៖ {hotlines}។",
        "th": "ถ้าไม่แน่ใจ โทรสายด่วนก่อนตัดสินใจ: {hotlines}",
        "vi": "Nếu không chắc chắn, hãy gọi đường dây nóng trước khi quyết định: {hotlines}.",
        "zh": "如有疑问，决定前请拨打热线：{hotlines}。",
    },
}

RISK: dict[str, T] = {
    "high": {
        "en": "High risk: this looks like a deceptive offer.",
        "km": "ហានិភ័យខ្ពស់៖ នេះមើលទៅដូចជាការផ្តល់ជូនបោកប្រាស់។",
        "th": "ความเสี่ยงสูง: ดูเหมือนเป็นข้อเสนองานหลอกลวง",
        "vi": "Rủi ro cao: đây có vẻ là lời mời lừa đảo.",
        "zh": "高风险：这看起来像是欺骗性招聘。",
    },
    "medium": {
        "en": "Medium risk: some warning signs. Check carefully before you go.",
        "km": "ហានិភ័យមធ្យម៖ មានសញ្ញាព្រមានខ្លះ។ ពិនិត្យឱ្យបានច្បាស់មុនពេលទៅ។",
        "th": "ความเสี่ยงปานกลาง: มีสัญญาณเตือนบางอย่าง ตรวจสอบให้ดีก่อนไป",
        "vi": "Rủi ro trung bình: có một số dấu hiệu cảnh báo. Kiểm tra kỹ trước khi đi.",
        "zh": "中等风险：有一些警示信号，出发前请仔细核实。",
    },
    "none_found": {
        "en": "We found no warning signs we know. That does not mean this offer is safe: "
        "check it against the list below before you decide.",
        "km": "យើងមិនបានរកឃើញសញ្ញាព្រមានណាមួយដែលយើងស្គាល់ទេ។ នេះមិនមានន័យថាការផ្តល់ជូននេះមានសុវត្ថិភាពទេ៖ សូមពិនិត្យតាមបញ្ជីខាងក្រោម មុនពេលសម្រេចចិត្ត។",
        "th": "เราไม่พบสัญญาณเตือนที่เรารู้จัก แต่ไม่ได้แปลว่าข้อเสนอนี้ปลอดภัย ตรวจสอบตามรายการด้านล่างก่อนตัดสินใจ",
        "vi": "Chúng tôi không thấy dấu hiệu cảnh báo nào mà chúng tôi biết. Điều đó không có nghĩa là lời mời này an toàn: hãy kiểm tra theo danh sách dưới đây trước khi quyết định.",
        "zh": "我们没有发现已知的警示信号。但这并不代表这份工作安全：决定之前请按下面的清单逐项核实。",
    },
    "unknown": {
        "en": "Not enough information to judge. Paste the whole message.",
        "km": "មិនមានព័ត៌មានគ្រប់គ្រាន់ដើម្បីវាយតម្លៃ។ សូមបិទភ្ជាប់សារទាំងមូល។",
        "th": "ข้อมูลไม่พอที่จะประเมิน กรุณาวางข้อความทั้งหมด",
        "vi": "Không đủ thông tin để đánh giá. Hãy dán toàn bộ tin nhắn.",
        "zh": "信息不足，无法判断。请粘贴完整消息。",
    },
}

IDENTIFIER_REPORTED: T = {
    "en": "This number or account has been reported in connection with trafficking. Do not go; "
    "call the hotline: {hotlines}.",
    "km": "លេខ ឬគណនីនេះត្រូវបានរាយការណ៍ថាពាក់ព័ន្ធនឹងការជួញដូរមនុស្ស។ កុំទៅ។ សូមទូរស័ព្ទទៅខ្សែជំនួយ៖ {hotlines}។",
    "th": "หมายเลขหรือบัญชีนี้เคยถูกแจ้งว่าเกี่ยวข้องกับการค้ามนุษย์ อย่าไป โทรสายด่วน: {hotlines}",
    "vi": "Số điện thoại hoặc tài khoản này đã bị báo cáo liên quan đến mua bán người. Đừng đi; "
    "hãy gọi đường dây nóng: {hotlines}.",
    "zh": "该号码或账号曾被举报与人口贩卖有关。不要去；请拨打热线：{hotlines}。",
}


def pick(table: T, lang: str) -> str:
    """The text in ``lang``, falling back to English."""
    return table.get(lang) or table["en"]

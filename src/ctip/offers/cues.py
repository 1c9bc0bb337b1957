"""Phrase patterns for the red-flag cue families C2-C12 (see docs/offers.md).

Each family lists regular expressions per language, written against the *normalised*
text (lower case, ASCII digits, NFC). They come from the cue families and seed phrases
in ILO, Polaris, IOM, OHCHR 2023, UNODC 2023, INTERPOL 2023 and embassy advisories.
The Khmer, Thai, Vietnamese and Chinese patterns are a DRAFT written by a non-native
speaker; they need review by native speakers before anyone relies on them.
Messages mix languages, so every family's patterns are applied whatever the language.
"""

from __future__ import annotations

import re

CUES: dict[str, dict[str, list[str]]] = {
    "C2": {
        "en": [
            r"no (?:prior |previous |work )?experience(?: is)?(?: needed| required| necessary)?",
            r"no (?:degree|diploma|qualifications?|skills?|education)(?: is| are)?"
            r"(?: needed| required| necessary)?",
            r"(?:just|only|simple|basic) typing",
            r"easy (?:job|work|money)",
            r"(?:only |just )?(?:need|needs|have) to know (?:how to )?(?:use a |type|use )"
            r"(?:phone|computer|typing|facebook)?",
            r"anyone can (?:do it|apply|do this)",
            r"age (?:only )?1[68] ?(?:-|–|~|to) ?[3-4]\d",
        ],
        "km": [
            r"មិនត្រូវការបទពិសោធន៍",
            r"(?:គ្មាន|អត់)បទពិសោធន៍(?:ក៏បាន|ក៏អាច)?",
            r"មិនត្រូវការសញ្ញាបត្រ",
            r"មិនត្រូវការសញ្ញាប័ត្រ",
            r"ការងារស្រួល",
            r"ចេះ(?:តែ)?វាយអក្សរ(?:ក៏បាន|គឺគ្រប់គ្រាន់|បានហើយ)?",
            r"ចេះ(?:តែ)?ប្រើទូរស័ព្ទ(?:ក៏បាន|បានហើយ)?",
            r"អាយុ ?1[68] ?(?:-|ដល់) ?[34]\d",
        ],
        "th": [
            r"ไม่(?:ต้อง|จำเป็นต้อง)มีประสบการณ์",
            r"ไม่(?:จำกัด|ต้องมี|จำเป็นต้องมี)วุฒิ",
            r"งานง่าย",
            r"งานสบาย",
            r"(?:แค่|เพียง)พิมพ์",
            r"พิมพ์(?:ได้|เป็น)ก็พอ",
            r"(?:ใช้|เล่น)มือถือเป็น(?:ก็พอ)?",
            r"อายุ ?1[68] ?(?:-|ถึง) ?[34]\d",
        ],
        "vi": [
            r"không (?:cần|yêu cầu) kinh nghiệm",
            r"không (?:cần|yêu cầu) bằng cấp",
            r"việc nhẹ(?: lương cao)?",
            r"chỉ cần biết (?:đánh máy|dùng điện thoại|sử dụng "
            r"điện thoại|chữ|gõ phím)",
            r"biết dùng điện thoại(?: là được)?",
            r"tuổi ?(?:từ )?1[68] ?(?:-|đến) ?[34]\d",
        ],
        "zh": [
            r"无需经验",
            r"不需要经验",
            r"零经验",
            r"无经验要求",
            r"小白(?:可做|也能做|可以)",
            r"学历不限",
            r"不限学历",
            r"无学历要求",
            r"(?:高薪)?低门槛",
            r"会打字(?:就行|即可)?",
            r"只需(?:要)?打字",
            r"会用手机(?:就行|即可)",
            r"年龄 ?1[68] ?[-~到至] ?[34]\d",
        ],
    },
    "C3": {
        "en": [
            r"customer (?:service|support|care)",
            r"\bcs (?:agent|staff|team)",
            r"typing (?:job|work|staff|clerk)s?",
            r"typists?",
            r"data entry",
            r"chat (?:operator|support|agent|staff)",
            r"tele-?(?:sales|marketing)",
            r"online (?:marketing|sales|promotion)",
            r"(?:online )?(?:casino|baccarat|betting)",
            r"online gam(?:e|es|ing)",
            r"crypto(?:currency)? (?:trading|trader|project|investment)",
            r"translators?",
            r"interpreters?",
            r"\bit (?:staff|support|job|specialist)",
            r"\badmin\b",
            r"(?:social media|facebook|page) (?:admin|marketing)",
        ],
        "km": [
            r"សេវាអតិថិជន",
            r"វាយអក្សរ",
            r"បញ្ចូលទិន្នន័យ",
            r"អ្នកបកប្រែ",
            r"បកប្រែភាសា",
            r"ឆាតជាមួយភ្ញៀវ",
            r"ជជែកតាមអនឡាញ",
            r"លក់តាមអនឡាញ",
            r"ទីផ្សារអនឡាញ",
            r"កាស៊ីណូ",
            r"ល្បែងអនឡាញ",
            r"គ្រីបតូ",
            r"អេដមីន",
            r"ផ្នែកអាយធី",
        ],
        "th": [
            r"แอดมิน",
            r"ตอบแชท",
            r"พนักงานพิมพ์",
            r"คีย์ข้อมูล",
            r"บริการลูกค้า",
            r"คอลเซ็นเตอร์",
            r"ล่าม",
            r"แปลภาษา",
            r"การตลาดออนไลน์",
            r"ขายของออนไลน์",
            r"คาสิโน",
            r"เกมออนไลน์",
            r"บาคาร่า",
            r"คริปโต",
            r"ฝ่ายไอที",
        ],
        "vi": [
            r"chăm sóc khách hàng",
            r"\bcskh\b",
            r"đánh máy",
            r"nhập (?:liệu|dữ liệu)",
            r"phiên dịch",
            r"trực chat",
            r"nhân viên chat",
            r"chat với khách",
            r"telesales?",
            r"(?:marketing|bán hàng|sale) online",
            r"game online",
            r"casino",
            r"cá cược",
            r"tiền (?:ảo|điện tử|mã hóa)",
        ],
        "zh": [
            r"客服",
            r"打字员",
            r"打字",
            r"录入",
            r"翻译",
            r"聊天",
            r"话务",
            r"电销",
            r"电话销售",
            r"网络营销",
            r"网推",
            r"推广",
            r"网投",
            r"博彩",
            r"菠菜",
            r"币圈",
            r"虚拟币",
            r"加密货币",
            r"程序员",
            r"业务员",
        ],
    },
    "C4": {
        "en": [
            r"free (?:air ?|plane |return )?(?:tickets?|flights?|airfare|visa|transport|travel)",
            r"(?:tickets?|flights?|airfare|visa|travel|transport)(?: is| are)?(?: fully)? "
            r"(?:paid|covered|provided|arranged|included|free)(?: by (?:the )?"
            r"(?:company|boss|employer))?",
            r"(?:company|we|boss|employer) (?:will )?(?:pays?|covers?|arranges?|buys?) "
            r"(?:for )?(?:your |the |all )?(?:tickets?|flights?|visa|travel|transport)",
            r"tourist visa",
            r"(?:pick ?(?:you )?up|picked up|meet you) at (?:the )?"
            r"(?:airport|border|bus station)",
            r"hotel (?:is )?(?:provided|paid|free)",
        ],
        "km": [
            r"សំបុត្រយន្តហោះឥតគិតថ្លៃ",
            r"ឥតគិតថ្លៃ(?:សំបុត្រ|ទិដ្ឋាការ|ការធ្វើដំណើរ)",
            r"ទិដ្ឋាការ(?:ឥតគិតថ្លៃ|ទេសចរណ៍)",
            r"ធ្វើទិដ្ឋាការ(?:ជូន|ឱ្យ|អោយ)",
            r"ក្រុមហ៊ុន(?:ចេញ|បង់)(?:ថ្លៃ)?(?:សំបុត្រ|ទិដ្ឋាការ|ការធ្វើដំណើរ|ថ្លៃធ្វើដំណើរ)",
            r"(?:ទៅ)?ទទួល(?:ដល់|នៅ)?(?:ព្រលានយន្តហោះ|ព្រំដែន|ច្រកព្រំដែន)",
            r"មានឡានទៅទទួល",
        ],
        "th": [
            r"ฟรีตั๋วเครื่องบิน",
            r"ตั๋วเครื่องบินฟรี",
            r"ออกค่าตั๋ว",
            r"ออกค่าเดินทาง(?:ให้)?",
            r"ฟรีค่าเดินทาง",
            r"ทำวีซ่าให้",
            r"ฟรีวีซ่า",
            r"วีซ่าท่องเที่ยว",
            r"รับที่(?:สนามบิน|ชายแดน|ด่าน)",
            r"มีรถรับ(?:ส่ง)?ถึงที่",
        ],
        "vi": [
            r"bao vé(?: máy bay)?",
            r"miễn phí vé máy bay",
            r"(?:công ty|chủ) (?:chi trả|trả) "
            r"(?:vé|chi phí đi lại)",
            r"(?:lo|làm|bao) (?:visa|hộ chiếu|thủ tục xuất cảnh)",
            r"visa du lịch",
            r"đón (?:tại|ở) (?:sân bay|cửa khẩu|biên giới)",
            r"bao xe đưa đón",
        ],
        "zh": [
            r"包机票",
            r"报销机票",
            r"机票(?:全)?报销",
            r"公司出机票",
            r"包路费",
            r"路费报销",
            r"包签证",
            r"办签证",
            r"旅游签",
            r"(?:机场|口岸|边境)接(?:机|人)?",
            r"接机",
            r"专车接送",
        ],
    },
    "C5": {
        "en": [
            r"sihanouk ?ville",
            r"preah sihanouk",
            r"kampong som",
            r"\bsnv\b",
            r"bavet",
            r"poipet",
            r"o'? ?smach",
            r"myawa?ddy",
            r"shwe ?kokko",
            r"\bkk ?park",
            r"tachileik",
            r"(?:northern|north) myanmar",
            r"golden triangle",
            r"mae sot",
            r"cross(?:ing)? the border(?: by road| overland| illegally| at night)?",
        ],
        "km": [
            r"(?:ក្រុង|ខេត្ត)?ព្រះសីហនុ",
            r"កំពង់សោម",
            r"បាវិត",
            r"ប៉ោយប៉ែត",
            r"អូរស្មាច់",
            r"មីយ៉ាវ៉ាឌី",
            r"មៀវ៉ាឌី",
            r"ត្រីកោណមាស",
            r"ភូមាខាងជើង",
            r"ឆ្លងព្រំដែន",
        ],
        "th": [
            r"สีหนุวิลล์",
            r"สีหนุ",
            r"บาเวต",
            r"ปอยเปต",
            r"โอร?เสม็ด",
            r"เมียวดี",
            r"ชเวโก๊?กโก่?",
            r"ท่าขี้เหล็ก",
            r"สามเหลี่ยมทองคำ",
            r"พม่าตอนเหนือ",
            r"แม่สอด",
            r"ข้าม(?:ชาย)?แดน",
        ],
        "vi": [
            r"sihanouk(?:ville)?",
            r"xi-?ha-?núc",
            r"bavet",
            r"mộc bài",
            r"poipet",
            r"myawaddy",
            r"tam giác vàng",
            r"bắc (?:myanmar|miến điện)",
            r"vượt biên",
            r"(?:đi )?đường tiểu ngạch",
            r"đường mòn",
        ],
        "zh": [
            r"西港",
            r"西哈努克",
            r"巴域",
            r"木牌",
            r"波贝",
            r"波佩",
            r"妙瓦底",
            r"水沟谷",
            r"亚太城",
            r"kk ?园区?",
            r"大其力",
            r"缅北",
            r"金三角",
            r"园区",
            r"偷渡",
            r"走小路",
            r"走山路",
        ],
    },
    "C6": {
        "en": [
            r"telegram",
            r"whats ?app",
            r"wechat",
            r"\bline(?: id| app|:)",
            r"signal app",
            r"t\.me/\w+",
            r"wa\.me/\d+",
        ],
        "km": [r"តេឡេក្រាម", r"តេលេក្រាម", r"វីចាត", r"វីឆាត", r"វ៉ាត់សាប"],
        "th": [r"เทเลแกรม", r"ไอดีไลน์", r"แอดไลน์", r"ทักไลน์", r"วอทส์แอป"],
        "vi": [r"\btele\b", r"\bzalo\b"],
        "zh": [
            r"纸飞机",
            r"飞机(?:号|联系|私聊)",
            r"电报",
            r"\btg\b",
            r"微信",
            r"\bvx\b",
            r"v信",
            r"薇信",
            r"\bwx\b",
        ],
    },
    "C7": {
        "en": [
            r"(?:a |our )?(?:big|large|huge|foreign|chinese|reputable) company(?: abroad| "
            r"overseas)?",
            r"company (?:abroad|overseas)",
            r"chinese boss",
            r"(?:company name|details|employer) (?:will be )?(?:given|told|revealed|"
            r"disclosed|shared) (?:later|in private|on arrival|privately)",
            r"(?:dm|pm|inbox|message) (?:me |us )?for (?:more )?(?:details|info)",
            r"(?:work|jobs?) (?:abroad|overseas)",
        ],
        "km": [
            r"ក្រុមហ៊ុនធំ",
            r"ក្រុមហ៊ុនចិន",
            r"ក្រុមហ៊ុនបរទេស",
            r"ថៅកែចិន",
            r"(?:ព័ត៌មានលម្អិត|សួរលម្អិត)(?:តាម)?ឆាត(?:ឯកជន)?",
            r"ឆាតឯកជន",
            r"ធ្វើការនៅក្រៅប្រទេស",
            r"ការងារនៅក្រៅប្រទេស",
        ],
        "th": [
            r"บริษัทใหญ่",
            r"บริษัทต่างประเทศ",
            r"บริษัทจีน",
            r"นายจ้างจีน",
            r"เถ้าแก่จีน",
            r"รายละเอียดทักแชท",
            r"สอบถามทางแชท",
            r"ทักแชทส่วนตัว",
            r"ทักมาคุย",
            r"(?:งาน|ทำงาน)ต่างประเทศ",
        ],
        "vi": [
            r"công ty lớn",
            r"công ty nước ngoài",
            r"công ty trung quốc",
            r"(?:sếp|chủ) "
            r"trung quốc",
            r"(?:inbox|ib) (?:để biết chi tiết|riêng|để biết thêm)",
            r"chi tiết (?:inbox|ib|liên hệ riêng)",
            r"(?:làm việc|đi làm|việc làm) "
            r"(?:ở |tại )?nước ngoài",
        ],
        "zh": [
            r"大公司",
            r"海外公司",
            r"国外公司",
            r"中国老板",
            r"老板人好",
            r"详情私聊",
            r"私聊",
            r"详聊",
            r"海外高薪",
            r"出国工作",
            r"海外工作",
        ],
    },
    "C8": {
        "en": [
            r"urgent(?:ly)?(?: hiring| needed| recruitment)?",
            r"(?:leave|depart|fly|start|"
            r"travel) (?:this|next) (?:week|weekend)",
            r"(?:leave|depart|fly) "
            r"(?:tomorrow|immediately|asap|right away)",
            r"limited (?:slots|places|seats)",
            r"only \d+ (?:slots|places|seats)",
            r"don'?t tell (?:your )?(?:family|parents|"
            r"anyone|friends|relatives)",
            r"(?:say|tell (?:them|police|immigration)) "
            r"(?:that )?(?:you are|you're|you go) (?:a |on )?(?:tourist|holiday|vacation)",
            r"keep (?:it |this )?(?:secret|confidential|quiet)",
            r"delete (?:this|the|our) "
            r"(?:message|chat)",
        ],
        "km": [
            r"ជ្រើសរើសបន្ទាន់",
            r"បន្ទាន់",
            r"ចេញដំណើរ(?:សប្តាហ៍នេះ|ភ្លាមៗ|ថ្ងៃស្អែក)",
            r"ទៅ(?:បាន)?ភ្លាមៗ",
            r"កន្លែងមានកំណត់",
            r"កុំប្រាប់(?:ឪពុកម្តាយ|គ្រួសារ|អ្នកណា|"
            r"នរណា)",
            r"(?:និយាយ|ប្រាប់)ថា(?:ទៅ)?(?:ដើរ)?(?:លេង|ទេសចរណ៍)",
        ],
        "th": [
            r"รับด่วน",
            r"ด่วนมาก",
            r"ด่วน",
            r"เดินทาง(?:ได้)?(?:ทันที|สัปดาห์นี้|พรุ่งนี้)",
            r"(?:รับ)?จำนวนจำกัด",
            r"(?:ห้าม|อย่า)บอก(?:ใคร|พ่อแม่|ครอบครัว)",
            r"บอกว่าไปเที่ยว",
        ],
        "vi": [
            r"tuyển gấp",
            r"cần gấp",
            r"\bgấp\b",
            r"(?:đi|bay|xuất cảnh) (?:ngay|luôn|trong "
            r"tuần)",
            r"số lượng có hạn",
            r"(?:đừng|không được) (?:nói|kể) (?:với|cho) "
            r"(?:gia đình|bố mẹ|ai)",
            r"nói (?:là )?đi du lịch",
        ],
        "zh": [
            r"急招",
            r"急聘",
            r"紧急招聘",
            r"急缺",
            r"马上(?:出发|上班|走)",
            r"随时出发",
            r"本周出发",
            r"即刻出发",
            r"说走就走",
            r"名额有限",
            r"(?:不要|别)告诉"
            r"(?:家人|父母|别人|任何人)?",
            r"保密",
            r"就?说(?:是)?去旅游",
        ],
    },
    "C9": {
        "en": [
            r"(?:registration|processing|recruitment|training|visa|medical|placement|"
            r"agency|service|admin) fees?",
            r"deposits?",
            r"pay (?:it )?back",
            r"repay",
            r"debts?",
            r"(?:penalty|compensation|fine) (?:for|if you) (?:leav|quit|break|"
            r"resign)\w*",
            r"(?:first )?(?:salary|pay) (?:only )?(?:after|from) "
            r"(?:the )?(?:first |second |third )?\d? ?months?",
            r"must pay \$?\d+",
        ],
        "km": [
            r"ថ្លៃសេវា",
            r"ប្រាក់កក់",
            r"ថ្លៃចុះឈ្មោះ",
            r"សងបំណុល",
            r"បំណុល",
            r"ជំពាក់",
            r"ពិន័យ",
            r"សំណង",
            r"(?:បើក|ទទួល)ប្រាក់ខែ(?:ដំបូង)?បន្ទាប់ពី ?\d+ ?ខែ",
        ],
        "th": [
            r"ค่าธรรมเนียม",
            r"ค่าหัว",
            r"ค่าดำเนินการ",
            r"มัดจำ",
            r"เงินประกัน",
            r"ใช้หนี้",
            r"หนี้",
            r"หักเงินเดือน",
            r"ค่าปรับ",
            r"ชดใช้",
            r"เงินเดือนออก(?:หลัง)? ?\d+ ?เดือน",
        ],
        "vi": [
            r"phí (?:môi giới|làm hồ sơ|hồ sơ|dịch vụ|đào tạo|xuất cảnh|visa)",
            r"tiền cọc",
            r"đặt cọc",
            r"(?:trả|hoàn) nợ",
            r"khoản nợ",
            r"(?:bồi thường|phạt|đền) "
            r"(?:nếu|khi) (?:nghỉ|bỏ)",
            r"đền hợp đồng",
            r"nhận lương sau \d+ tháng",
        ],
        "zh": [
            r"押金",
            r"保证金",
            r"手续费",
            r"中介费",
            r"服务费",
            r"介绍费",
            r"违约金",
            r"赔钱",
            r"赔偿",
            r"欠款",
            r"还债",
            r"债务",
            r"压(?:一个月)?工资",
            r"押工资",
            r"压月",
        ],
    },
    "C10": {
        "en": [
            r"(?:send|give|show|submit) (?:us |me )?(?:a )?(?:photo|picture|copy|scan|pic) "
            r"of (?:your )?(?:passport|id card|id)",
            r"(?:company|we|boss|employer) (?:will )?"
            r"(?:keeps?|holds?|takes?|collects?) (?:your |the )?passports?",
            r"hand (?:over )?(?:your )?passport",
            r"passports? (?:will be |are )?(?:kept|held|"
            r"collected)",
        ],
        "km": [
            r"ផ្ញើ(?:រូបថត|រូប)?(?:លិខិតឆ្លងដែន|អត្តសញ្ញាណប័ណ្ណ)",
            r"ថតលិខិតឆ្លងដែន",
            r"(?:រក្សាទុក|កាន់|ប្រគល់)លិខិតឆ្លងដែន",
            r"ទុកលិខិតឆ្លងដែន",
        ],
        "th": [
            r"ส่งรูป(?:พาสปอร์ต|หนังสือเดินทาง|บัตรประชาชน)",
            r"ถ่ายรูปพาสปอร์ต",
            r"(?:เก็บ|ยึด|ฝาก)(?:พาสปอร์ต|หนังสือเดินทาง)",
        ],
        "vi": [r"gửi (?:ảnh|hình) (?:hộ chiếu|cccd|cmnd|căn cước)", r"(?:giữ|nộp|thu) hộ chiếu"],
        "zh": [
            r"发(?:一下)?护照(?:照片)?",
            r"护照照片",
            r"拍护照",
            r"护照(?:交给|上交|交)",
            r"(?:扣|收|押)护照",
            r"护照统一保管",
        ],
    },
    "C11": {
        "en": [
            r"(?:free )?(?:food|meals?|board) (?:and|&) (?:accommodation|lodging|housing|"
            r"dormitory|room)",
            r"board and lodging",
            r"(?:live|stay|sleep) (?:inside|in) "
            r"the (?:compound|company|office|building)",
            r"closed(?:-| )(?:management|"
            r"campus|compound|environment)",
            r"(?:not allowed|cannot|can't) (?:to )?"
            r"(?:go out|leave the)",
            r"no (?:personal )?(?:phones?|mobiles?)",
            r"1[2-6] ?(?:-| )?(?:hours?|hrs?|h) ?(?:shifts?|a day|per day|daily|/day)",
            r"(?:work|working) 7 days",
        ],
        "km": [
            r"(?:មាន|ផ្តល់ជូន)?កន្លែងស្នាក់នៅ(?:និង)?អាហារ",
            r"ស្នាក់នៅនិងអាហារ",
            r"ស្នាក់នៅក្នុងក្រុមហ៊ុន",
            r"មិនអាចចេញក្រៅ",
            r"ហាមចេញក្រៅ",
            r"គ្រប់គ្រងបិទជិត",
            r"ធ្វើការ ?1[2-6] ?ម៉ោង",
            r"ហាមប្រើទូរស័ព្ទ",
            r"ប្រគល់ទូរស័ព្ទ",
        ],
        "th": [
            r"มีที่พัก(?:และ|\+)?อาหาร(?:ให้)?",
            r"ที่พักอาหารฟรี",
            r"ฟรีที่พัก",
            r"กินอยู่ฟรี",
            r"ห้ามออกนอก",
            r"ออกไปข้างนอกไม่ได้",
            r"ระบบปิด",
            r"ทำงาน(?:วันละ)? ?1[2-6] ?"
            r"(?:ชั่วโมง|ชม)",
            r"ห้ามใช้โทรศัพท์",
            r"ยึดโทรศัพท์",
        ],
        "vi": [
            r"bao ăn ở",
            r"bao ăn",
            r"bao ở",
            r"lo chỗ ăn ở",
            r"không được (?:đi )?ra ngoài",
            r"quản lý khép kín",
            r"khu khép kín",
            r"làm(?: việc)? 1[2-6] ?(?:tiếng|giờ|h)",
            r"không được dùng điện thoại",
            r"thu điện thoại",
        ],
        "zh": [
            r"包吃包住",
            r"包吃住",
            r"包食宿",
            r"吃住全包",
            r"封闭式管理",
            r"封闭管理",
            r"不能外出",
            r"不得外出",
            r"(?:每天|工作) ?1[2-6] ?个?小时",
            r"没收手机",
            r"上交手机",
            r"不能用手机",
        ],
    },
    "C12": {
        "en": [
            r"\busdt\b",
            r"tether",
            r"trc-?20",
            r"erc-?20",
            r"crypto (?:wallet|payment|salary)",
            r"paid in (?:crypto|bitcoin|btc|usdt)",
        ],
        "km": [r"ប្រាក់ឌីជីថល", r"បើកប្រាក់ខែជា ?usdt"],
        "th": [r"ยูเอสดีที", r"เหรียญดิจิทัล", r"จ่ายเป็นคริปโต"],
        "vi": [r"trả lương bằng (?:usdt|tiền ảo|tiền điện tử)"],
        "zh": [r"泰达币", r"u币", r"虚拟币(?:发工资|结算)", r"币(?:结算|发放)"],
    },
}

# Words that cancel a cue when they stand just before it in the same clause
# ("no deposit", "we never keep your passport", "不收押金"). Fee words also count
# "free" ("free registration", "ฟรีค่าธรรมเนียม").
NEGATORS = (
    r"\bno\b|\bnot\b|never|don'?t|do not|does not|without|មិន|គ្មាន|អត់|ไม่|ห้าม"
    r"|không|chưa|chẳng|不|无|没有|绝不|别"
)
FEE_NEGATORS = NEGATORS + r"|free|zero|ฟรี|miễn|免|零|ឥតគិតថ្លៃ"

# Signs that the employer can be found (besides a website or e-mail address): a street
# address or a licence number.
TRACEABLE_WORDS = (
    "street",
    "st.",
    "road",
    "ផ្លូវលេខ",
    "ផ្ទះលេខ",
    "ถนน",
    "ซอย",
    "đường",
    "phường",
    "quận",
    "号",
    "大道",
    "licence no",
    "license no",
    "licence number",
    "license number",
    "អាជ្ញាប័ណ្ណ",
    "ใบอนุญาต",
    "giấy phép",
    "许可证",
)

# Where the work is, for the salary cue: destination words -> ISO country. Plain words,
# looked up with str.find (Latin words must stand alone), which is much cheaper than regex.
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "KH": (
        "cambodia",
        "កម្ពុជា",
        "กัมพูชา",
        "campuchia",
        "柬埔寨",
        "sihanouk",
        "西港",
        "bavet",
        "poipet",
        "ព្រះសីហនុ",
        "បាវិត",
        "ប៉ោយប៉ែត",
        "สีหนุ",
        "ปอยเปต",
        "บาเวต",
    ),
    "MM": (
        "myanmar",
        "burma",
        "មីយ៉ាន់ម៉ា",
        "ភូមា",
        "พม่า",
        "เมียนมา",
        "miến điện",
        "缅甸",
        "缅北",
        "myawaddy",
        "妙瓦底",
        "เมียวดี",
        "មីយ៉ាវ៉ាឌី",
        "shwe kokko",
        "kk park",
        "kk园",
        "tachileik",
        "ท่าขี้เหล็ก",
        "大其力",
    ),
    "LA": (
        "laos",
        "ឡាវ",
        "ลาว",
        "lào",
        "老挝",
        "golden triangle",
        "金三角",
        "ត្រីកោណមាស",
        "สามเหลี่ยมทองคำ",
        "tam giác vàng",
    ),
    "TH": ("thailand", "ថៃ", "ประเทศไทย", "thái lan", "泰国", "bangkok", "กรุงเทพ"),
    "VN": ("vietnam", "viet nam", "វៀតណាម", "เวียดนาม", "việt nam", "越南"),
    "CN": ("china", "ប្រទេសចិន", "ประเทศจีน", "trung quốc", "中国"),
    "MY": ("malaysia", "ម៉ាឡេស៊ី", "มาเลเซีย", "马来西亚"),
    "KR": ("korea", "eps", "កូរ៉េ", "เกาหลี", "hàn quốc", "韩国", "한국"),
    "JP": ("japan", "ជប៉ុន", "ญี่ปุ่น", "nhật bản", "日本"),
    "AE": ("dubai", "uae", "ឌូបៃ", "ดูไบ", "迪拜"),
}

# What kind of work, for the salary cue: role words -> role group in wages.json
# (a C3 compound role counts as "office").
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "factory": (
        "factory",
        "garment",
        "worker",
        "assembly",
        "sewing",
        "រោងចក្រ",
        "កម្មករ",
        "โรงงาน",
        "ฝ่ายผลิต",
        "nhà máy",
        "công nhân",
        "工厂",
        "普工",
        "缝纫",
    ),
    "hospitality": (
        "hotel",
        "restaurant",
        "waiter",
        "waitress",
        "kitchen",
        "សណ្ឋាគារ",
        "ភោជនីយដ្ឋាន",
        "โรงแรม",
        "ร้านอาหาร",
        "khách sạn",
        "nhà hàng",
        "quán ăn",
        "酒店",
        "餐厅",
        "餐馆",
        "服务员",
    ),
}


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def find_word(text: str, word: str) -> int:
    """Position of ``word`` in ``text`` (-1 if absent); a Latin word must stand alone."""
    at = text.find(word)
    if at < 0 or not word.isascii():
        return at
    while at >= 0:
        end = at + len(word)
        if not _latin_alnum(text[at - 1 : at]) and not _latin_alnum(text[end : end + 1]):
            return at
        at = text.find(word, at + 1)
    return -1


_Pairs = list[tuple[str, str]]


def _split_words(words: dict[str, tuple[str, ...]]) -> tuple[_Pairs, _Pairs]:
    """``(word, key)`` pairs, ASCII words apart from the others."""
    pairs = [(w, key) for key, options in words.items() for w in options]
    return [p for p in pairs if p[0].isascii()], [p for p in pairs if not p[0].isascii()]


_SPLIT = {id(table): _split_words(table) for table in (COUNTRY_WORDS, ROLE_WORDS)}


def first_key(words: dict[str, tuple[str, ...]], text: str) -> str | None:
    """The key whose word occurs earliest in ``text``.

    ASCII words are first tested against the text's ASCII characters only, and other
    words only when their first character occurs: CPython would otherwise widen every
    ASCII word to search Khmer or Thai text, which costs more than the search.
    """
    ascii_words, other_words = _SPLIT.get(id(words)) or _split_words(words)
    plain = text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")
    present = [p for p in ascii_words if p[0] in plain]
    if plain is not text:
        chars = set(text)
        present += [p for p in other_words if p[0][0] in chars and p[0] in text]
    best, best_at = None, len(text) + 1
    for w, key in present:
        at = find_word(text, w)
        if 0 <= at < best_at:
            best, best_at = key, at
    return best


def compiled_cues(langs: tuple[str, ...]) -> list[tuple[str, tuple[str, ...], re.Pattern[str]]]:
    """``(family, anchors, regex)`` for every pattern of the given languages."""
    return [
        (family, anchors(p), re.compile(p))
        for family, by_lang in CUES.items()
        for lang in langs
        for p in by_lang.get(lang, [])
    ]


_META = set("()[]{}|?*+.^$")


def _usable(word: str) -> bool:
    """Long enough to be a cheap, selective substring test."""
    return len(word.strip()) >= 2 or (len(word) == 1 and not word.isascii())


def _split_top(pattern: str) -> list[str]:
    """Split on ``|`` at depth 0."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur += pattern[i : i + 2]
            i += 2
            continue
        depth += (ch in "([" and 1) or ((ch in ")]" and -1) or 0)
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    return [*parts, cur]


def anchors(pattern: str) -> tuple[str, ...]:
    """Literal strings of which every match of ``pattern`` contains at least one.

    An empty tuple means "no cheap test: always run". Only characters outside classes and
    not made optional by ``?``/``*``/``{`` count; a group of alternatives counts when each
    alternative has its own anchor. The scanner runs a pattern only when one of its anchors
    occurs in the text, much cheaper than letting ``re`` try every pattern everywhere.
    """
    alternatives = _split_top(pattern)
    if len(alternatives) > 1:
        subs = [anchors(a) for a in alternatives]
        return tuple(w for sub in subs for w in sub) if all(subs) else ()
    best: tuple[str, ...] = ()
    for item, optional in _items(pattern):
        found = (item,) if not item.startswith("(") else anchors(_group_body(item))
        if optional or not found or not all(_usable(w) for w in found):
            continue
        if not best or min(map(len, found)) > min(map(len, best)):
            best = found
    return best


def _group_body(group: str) -> str:
    return group[3:-1] if group.startswith("(?:") else group[1:-1]


def _items(pattern: str) -> list[tuple[str, bool]]:
    """Top-level pieces: literal runs and groups, each with whether it is optional."""
    items: list[tuple[str, bool]] = []
    run, i = "", 0
    while i < len(pattern):
        piece, i = _next_piece(pattern, i)
        optional = pattern[i : i + 1] in ("?", "*", "{")
        literal = (len(piece) == 1 and piece not in _META) or (
            piece.startswith("\\") and not piece[1].isalnum()
        )
        if literal and not optional:
            run += piece[-1]
            continue
        items.append((run, False))
        run = ""
        if piece.startswith("(") and not piece.startswith("(?!") and not piece.startswith("(?<"):
            items.append((piece, optional))
    items.append((run, False))
    return [(w, o) for w, o in items if w]


def _next_piece(pattern: str, i: int) -> tuple[str, int]:
    """One character, escape, class or balanced group starting at ``i``."""
    ch = pattern[i]
    if ch == "\\":
        return pattern[i : i + 2], i + 2
    if ch not in "([":
        return ch, i + 1
    depth, j = 0, i
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        depth += (pattern[j] in "([" and 1) or ((pattern[j] in ")]" and -1) or 0)
        j += 1
        if depth == 0:
            break
    return pattern[i:j], j

"""Why each variant of a warning sign matters: one sentence per variant, five languages.

The flag's explanation is built from the variants of the words it quotes, so a 12-hour
shift is explained as a 12-hour shift, not as a phone being taken away. English is the
reference; the Khmer, Thai, Vietnamese and Chinese sentences are a DRAFT by a non-native
speaker and need review by native speakers.
"""

# ruff: noqa: E501  (a table of sentences)

from __future__ import annotations

T = dict[str, str]


def _t(en: str, km: str, th: str, vi: str, zh: str) -> T:
    return {"en": en, "km": km, "th": th, "vi": vi, "zh": zh}


VARIANTS: dict[str, T] = {
    "C1.monthly": _t(
        "Real first jobs of this kind pay much less. Very high pay for easy work is the most common bait.",
        "ការងារដំបូងប្រភេទនេះពិតៗ ផ្តល់ប្រាក់ខែទាបជាងនេះច្រើន។ ប្រាក់ខែខ្ពស់សម្រាប់ការងារស្រួល គឺជានុយទូទៅបំផុត។",
        "งานแรกประเภทนี้จริงๆ ได้เงินน้อยกว่านี้มาก เงินสูงสำหรับงานง่ายคือเหยื่อล่อที่พบบ่อยที่สุด",
        "Công việc thật loại này trả thấp hơn nhiều. Lương rất cao cho việc nhẹ là mồi nhử phổ biến nhất.",
        "这类岗位的真实起薪低得多。轻松工作配高薪是最常见的诱饵。",
    ),
    "C1.daily": _t(
        "So much money a day or an hour for simple work is how task scams and fake jobs draw people in.",
        "លុយច្រើនបែបនេះក្នុងមួយថ្ងៃ ឬមួយម៉ោង សម្រាប់ការងារងាយៗ គឺជាវិធីទាក់ទាញរបស់ការងារក្លែងក្លាយ។",
        "เงินมากขนาดนี้ต่อวันหรือต่อชั่วโมงสำหรับงานง่ายๆ คือวิธีที่งานหลอกลวงใช้ล่อคน",
        "Kiếm nhiều như vậy mỗi ngày hay mỗi giờ cho việc đơn giản là cách các việc làm lừa đảo dụ người.",
        "简单工作每天或每小时赚这么多，正是刷单诈骗和假工作引人上钩的方式。",
    ),
    "C2.no_experience": _t(
        "A job that needs no experience but pays well abroad is a common lure.",
        "ការងារនៅបរទេសដែលមិនត្រូវការបទពិសោធន៍ តែប្រាក់ខែល្អ គឺជានុយទូទៅ។",
        "งานต่างประเทศที่ไม่ต้องมีประสบการณ์แต่เงินดีมักเป็นเหยื่อล่อ",
        "Việc ở nước ngoài không cần kinh nghiệm mà lương cao thường là mồi nhử.",
        "不要经验却高薪的海外工作，往往是诱饵。",
    ),
    "C2.no_degree": _t(
        "Offers that ask for no qualification at all and still promise a lot deserve a close check.",
        "ការផ្តល់ជូនដែលមិនទាមទារសញ្ញាបត្រ តែសន្យាច្រើន ត្រូវពិនិត្យឱ្យច្បាស់។",
        "งานที่ไม่ต้องการวุฒิใดๆ แต่สัญญาว่าจะได้มาก ต้องตรวจสอบให้ดี",
        "Việc không đòi bằng cấp mà hứa hẹn nhiều cần được kiểm tra kỹ.",
        "不要任何学历却承诺很多的工作，需要仔细核实。",
    ),
    "C2.easy_work": _t(
        "'Easy work, good money' is the line recruiters use before the truth comes out.",
        "'ការងារស្រួល លុយល្អ' គឺជាពាក្យដែលអ្នកជ្រើសរើសប្រើ មុនការពិតលេចចេញ។",
        "'งานสบาย เงินดี' คือคำที่นายหน้าใช้ก่อนความจริงจะปรากฏ",
        "'Việc nhẹ lương cao' là câu mà kẻ tuyển người dùng trước khi sự thật lộ ra.",
        "'轻松高薪'是招人者在真相暴露前常说的话。",
    ),
    "C2.only_basic": _t(
        "Being told you need nothing but a phone or your clothes means they do not want you to prepare or to check.",
        "ការប្រាប់ថាត្រូវការតែទូរស័ព្ទ ឬខោអាវ មានន័យថាគេមិនចង់ឱ្យអ្នករៀបចំ ឬពិនិត្យទេ។",
        "การบอกว่าเอาแค่มือถือหรือเสื้อผ้าไป แปลว่าเขาไม่อยากให้คุณเตรียมตัวหรือตรวจสอบ",
        "Bảo bạn chỉ cần mang điện thoại hay quần áo nghĩa là họ không muốn bạn chuẩn bị hay kiểm tra.",
        "只让你带手机或几件衣服，说明对方不想让你准备或核实。",
    ),
    "C2.no_language": _t(
        "Legal work abroad (EPS Korea, Japan's programmes) requires a language test; skipping it is a sign of an irregular route.",
        "ការងារស្របច្បាប់នៅបរទេស (EPS កូរ៉េ កម្មវិធីជប៉ុន) តម្រូវឱ្យប្រឡងភាសា។ ការរំលងវា គឺជាសញ្ញានៃផ្លូវមិនស្របច្បាប់។",
        "งานต่างประเทศที่ถูกกฎหมาย (EPS เกาหลี โครงการญี่ปุ่น) ต้องสอบภาษา การข้ามขั้นตอนนี้เป็นสัญญาณของช่องทางผิดกฎหมาย",
        "Đi làm hợp pháp (EPS Hàn Quốc, chương trình Nhật) phải thi tiếng; bỏ qua bước này là dấu hiệu đường đi bất hợp pháp.",
        "合法出国务工（韩国EPS、日本项目）需要语言考试；跳过考试是非正规渠道的迹象。",
    ),
    "C2.age_only": _t(
        "When age is the only requirement, the recruiter wants young people, not skills.",
        "ពេលអាយុជាលក្ខខណ្ឌតែមួយ អ្នកជ្រើសរើសចង់បានមនុស្សវ័យក្មេង មិនមែនជំនាញទេ។",
        "เมื่ออายุเป็นเงื่อนไขเดียว แปลว่าเขาต้องการคนอายุน้อย ไม่ใช่ทักษะ",
        "Khi tuổi là yêu cầu duy nhất, kẻ tuyển muốn người trẻ chứ không cần kỹ năng.",
        "年龄是唯一要求时，对方要的是年轻人，而不是技能。",
    ),
    "C3.customer_service": _t(
        "'Customer service' is the job title scam compounds use most; people are then forced to defraud others online.",
        "'សេវាអតិថិជន' ជាមុខតំណែងដែលមជ្ឈមណ្ឌលបោកប្រាស់ប្រើច្រើនបំផុត។ បន្ទាប់មកគេបង្ខំឱ្យបោកប្រាស់អ្នកដទៃតាមអនឡាញ។",
        "'บริการลูกค้า' คือตำแหน่งที่แก๊งต้มตุ๋นใช้บ่อยที่สุด แล้วบังคับให้หลอกลวงคนอื่นทางออนไลน์",
        "'Chăm sóc khách hàng' là vị trí các khu lừa đảo dùng nhiều nhất; sau đó người ta bị ép lừa người khác trên mạng.",
        "'客服'是诈骗园区最常用的岗位名，随后被迫在网上诈骗他人。",
    ),
    "C3.typing": _t(
        "'Typing' jobs abroad are a known cover for forced work in online-scam compounds.",
        "ការងារ 'វាយអក្សរ' នៅបរទេស គឺជាលេសដែលគេស្គាល់ សម្រាប់ការងារដោយបង្ខំក្នុងមជ្ឈមណ្ឌលបោកប្រាស់។",
        "งาน 'พิมพ์' ในต่างประเทศเป็นข้ออ้างที่รู้กันของการบังคับทำงานในแก๊งต้มตุ๋น",
        "Việc 'đánh máy' ở nước ngoài là vỏ bọc quen thuộc của lao động cưỡng bức trong các khu lừa đảo.",
        "海外'打字员'是诈骗园区强迫劳动的常见幌子。",
    ),
    "C3.chat": _t(
        "'Chatting with clients' is how compounds describe writing scam messages to strangers.",
        "'ឆាតជាមួយភ្ញៀវ' គឺជារបៀបដែលមជ្ឈមណ្ឌលនិយាយពីការសរសេរសារបោកប្រាស់ទៅមនុស្សចម្លែក។",
        "'แชทกับลูกค้า' คือคำที่แก๊งใช้เรียกการส่งข้อความหลอกลวงคนแปลกหน้า",
        "'Chat với khách' là cách các khu lừa đảo gọi việc nhắn tin lừa người lạ.",
        "'网聊''陪聊'就是园区里给陌生人发诈骗信息。",
    ),
    "C3.sales_marketing": _t(
        "Online sales and marketing jobs abroad are often fraud: selling fake investments to strangers.",
        "ការងារលក់ និងទីផ្សារអនឡាញនៅបរទេស ច្រើនតែជាការបោកប្រាស់ លក់ការវិនិយោគក្លែងក្លាយ។",
        "งานขายและการตลาดออนไลน์ในต่างประเทศมักเป็นการหลอกขายการลงทุนปลอม",
        "Việc bán hàng, marketing online ở nước ngoài thường là lừa bán đầu tư giả.",
        "海外网络推广、电销岗位常常是推销虚假投资的诈骗。",
    ),
    "C3.gambling": _t(
        "Online casinos and betting sites near borders are where many trafficked people were found.",
        "កាស៊ីណូ និងល្បែងអនឡាញនៅតាមព្រំដែន ជាកន្លែងដែលគេរកឃើញជនរងគ្រោះជួញដូរជាច្រើន។",
        "คาสิโนและเว็บพนันออนไลน์ตามชายแดนคือที่ที่พบเหยื่อค้ามนุษย์จำนวนมาก",
        "Casino và cá cược online gần biên giới là nơi tìm thấy nhiều nạn nhân mua bán người.",
        "边境的网赌和赌场是发现大量被贩卖者的地方。",
    ),
    "C3.crypto": _t(
        "'Crypto' jobs in border areas are usually investment fraud run with forced labour.",
        "ការងារ 'គ្រីបតូ' នៅតំបន់ព្រំដែន ជាទូទៅជាការបោកប្រាស់វិនិយោគ ដោយប្រើពលកម្មបង្ខំ។",
        "งาน 'คริปโต' ในพื้นที่ชายแดนมักเป็นการหลอกลงทุนที่ใช้แรงงานบังคับ",
        "Việc 'tiền ảo' ở vùng biên thường là lừa đảo đầu tư dùng lao động cưỡng bức.",
        "边境地区的'币圈'工作通常是利用强迫劳动的投资诈骗。",
    ),
    "C3.translator": _t(
        "Compounds recruit 'translators' because they need people who speak their victims' languages.",
        "មជ្ឈមណ្ឌលជ្រើសរើស 'អ្នកបកប្រែ' ព្រោះគេត្រូវការអ្នកនិយាយភាសារបស់ជនរងគ្រោះ។",
        "แก๊งรับ 'ล่าม' เพราะต้องการคนที่พูดภาษาของเหยื่อได้",
        "Các khu lừa đảo tuyển 'phiên dịch' vì cần người nói được ngôn ngữ của nạn nhân.",
        "园区招'翻译'，因为需要会说受害者语言的人。",
    ),
    "C3.it_admin": _t(
        "Vague 'computer' or 'admin' work abroad is a common cover for scam-compound work.",
        "ការងារ 'កុំព្យូទ័រ' ឬ 'អេដមីន' មិនច្បាស់នៅបរទេស ជាលេសទូទៅសម្រាប់ការងារក្នុងមជ្ឈមណ្ឌលបោកប្រាស់។",
        "งาน 'คอมพิวเตอร์' หรือ 'แอดมิน' ที่ไม่ชัดเจนในต่างประเทศ มักเป็นข้ออ้างของงานในแก๊งต้มตุ๋น",
        "Việc 'văn phòng', 'máy tính' mơ hồ ở nước ngoài thường là vỏ bọc cho việc trong khu lừa đảo.",
        "含糊的海外'电脑工作''管理员'常是诈骗园区工作的幌子。",
    ),
    "C4.ticket": _t(
        "An employer who pays your journey can later say you owe it, and hold you until you 'repay'.",
        "និយោជកដែលចេញថ្លៃធ្វើដំណើរ អាចនិយាយពេលក្រោយថាអ្នកជំពាក់ ហើយឃាត់អ្នករហូតដល់ 'សងរួច'។",
        "นายจ้างที่ออกค่าเดินทางให้อาจอ้างภายหลังว่าคุณเป็นหนี้ และกักตัวไว้จนกว่าจะ 'ใช้คืน'",
        "Bên trả tiền đi lại có thể nói sau đó bạn nợ họ, và giữ bạn lại đến khi 'trả hết'.",
        "包路费的雇主事后可能说你欠债，扣住你直到'还清'。",
    ),
    "C4.visa": _t(
        "When the recruiter 'arranges everything', you cannot see what visa you travel on or who your employer is.",
        "ពេលអ្នកជ្រើសរើស 'រៀបចំគ្រប់យ៉ាង' អ្នកមិនដឹងថាធ្វើដំណើរដោយទិដ្ឋាការអ្វី ឬនិយោជកជានរណាទេ។",
        "เมื่อนายหน้า 'จัดการให้หมด' คุณจะไม่รู้ว่าเดินทางด้วยวีซ่าอะไรหรือใครคือนายจ้าง",
        "Khi bên tuyển 'lo hết', bạn không biết mình đi bằng visa gì hay chủ thật là ai.",
        "对方'全部包办'时，你无法知道自己用什么签证出行、雇主是谁。",
    ),
    "C4.tourist_visa": _t(
        "Working on a tourist or visit visa is illegal: you can be arrested, and the employer can use that to control you.",
        "ការធ្វើការដោយទិដ្ឋាការទេសចរណ៍ គឺខុសច្បាប់៖ អ្នកអាចត្រូវចាប់ខ្លួន ហើយនិយោជកអាចប្រើរឿងនេះគ្រប់គ្រងអ្នក។",
        "การทำงานด้วยวีซ่าท่องเที่ยวผิดกฎหมาย คุณอาจถูกจับ และนายจ้างใช้เรื่องนี้ควบคุมคุณได้",
        "Làm việc bằng visa du lịch là bất hợp pháp: bạn có thể bị bắt, và chủ dùng điều đó để khống chế bạn.",
        "持旅游签证工作是违法的：你可能被抓，雇主也会借此控制你。",
    ),
    "C4.student_visa": _t(
        "Student visas limit work hours; 'study and work' offers with a loan often end in debt and illegal work.",
        "ទិដ្ឋាការសិស្សកំណត់ម៉ោងធ្វើការ។ ការផ្តល់ជូន 'រៀនផង ធ្វើការផង' ជាមួយប្រាក់កម្ចី ច្រើនតែបញ្ចប់ដោយបំណុល។",
        "วีซ่านักเรียนจำกัดชั่วโมงทำงาน ข้อเสนอ 'เรียนไปทำงานไป' ที่มีเงินกู้มักจบที่หนี้และงานผิดกฎหมาย",
        "Visa du học giới hạn giờ làm; lời mời 'vừa học vừa làm' kèm khoản vay thường dẫn đến nợ và làm chui.",
        "学生签证限制打工时间；附带贷款的'留学打工'常以债务和非法打工告终。",
    ),
    "C4.pickup": _t(
        "Being met at the airport or border by the recruiter's people means you depend on them from the first hour.",
        "ការមានអ្នករបស់អ្នកជ្រើសរើសចាំទទួលនៅព្រលាន ឬព្រំដែន មានន័យថាអ្នកពឹងលើគេចាប់ពីម៉ោងដំបូង។",
        "การมีคนของนายหน้ามารับที่สนามบินหรือชายแดน แปลว่าคุณต้องพึ่งเขาตั้งแต่ชั่วโมงแรก",
        "Có người của bên tuyển đón ở sân bay hay biên giới nghĩa là bạn phụ thuộc họ từ giờ đầu tiên.",
        "在机场或边境由对方的人接，意味着你从第一刻起就受制于人。",
    ),
    "C4.lodging_travel": _t(
        "Flights and housing 'covered' are usually charged back later, as a debt.",
        "ថ្លៃយន្តហោះ និងកន្លែងស្នាក់ដែល 'ចេញឱ្យ' ច្រើនតែត្រូវគិតជាបំណុលពេលក្រោយ។",
        "ตั๋วและที่พักที่ 'ออกให้' มักถูกเรียกเก็บคืนภายหลังเป็นหนี้",
        "Vé và chỗ ở 'được lo' thường bị tính lại thành nợ sau đó.",
        "'包'的机票和住宿事后往往被算成债务。",
    ),
    "C5.hub_kh": _t(
        "Public reports name this place for compounds where people were held and forced to work.",
        "របាយការណ៍សាធារណៈបានដាក់ឈ្មោះទីកន្លែងនេះ ថាមានមជ្ឈមណ្ឌលដែលមនុស្សត្រូវបានឃុំខ្លួន និងបង្ខំឱ្យធ្វើការ។",
        "รายงานสาธารณะระบุว่าที่นี่มีแหล่งที่คนถูกกักตัวและบังคับให้ทำงาน",
        "Các báo cáo công khai nêu tên nơi này là nơi có khu người bị giam giữ và ép làm việc.",
        "公开报告点名这里有关押并强迫劳动的园区。",
    ),
    "C5.hub_abroad": _t(
        "This area is named by the UN and INTERPOL for scam compounds; many people sent there could not leave.",
        "តំបន់នេះត្រូវបាន UN និង INTERPOL ដាក់ឈ្មោះ ថាមានមជ្ឈមណ្ឌលបោកប្រាស់។ មនុស្សជាច្រើនដែលទៅទីនោះ មិនអាចចាកចេញបានទេ។",
        "พื้นที่นี้ถูกสหประชาชาติและอินเตอร์โพลระบุว่ามีแก๊งต้มตุ๋น หลายคนที่ถูกส่งไปออกมาไม่ได้",
        "Khu vực này được LHQ và INTERPOL nêu tên vì các khu lừa đảo; nhiều người bị đưa đến đó không thể rời đi.",
        "联合国和国际刑警组织点名该地区存在诈骗园区，许多被送去的人无法离开。",
    ),
    "C5.transit": _t(
        "This town is on the route to the compounds across the border; people are picked up here and driven over.",
        "ទីក្រុងនេះស្ថិតលើផ្លូវទៅមជ្ឈមណ្ឌលនៅឆ្លងព្រំដែន។ មនុស្សត្រូវបានយកពីទីនេះ ហើយដឹកឆ្លងទៅ។",
        "เมืองนี้อยู่บนเส้นทางไปแก๊งฝั่งตรงข้ามชายแดน คนถูกรับจากที่นี่แล้วพาข้ามไป",
        "Thị trấn này nằm trên đường đến các khu lừa đảo bên kia biên giới; người ta được đón ở đây rồi đưa qua.",
        "这个城镇在通往境外园区的路线上，人在这里被接走并送过边境。",
    ),
    "C5.crossing": _t(
        "Crossing the border by land with a recruiter is how many people ended up where they could not leave.",
        "ការឆ្លងព្រំដែនតាមផ្លូវគោកជាមួយអ្នកជ្រើសរើស ជារបៀបដែលមនុស្សជាច្រើនធ្លាក់ទៅកន្លែងដែលមិនអាចចាកចេញបាន។",
        "การข้ามชายแดนทางบกกับนายหน้า คือวิธีที่หลายคนไปจบในที่ที่ออกมาไม่ได้",
        "Qua biên giới đường bộ cùng người tuyển là cách nhiều người rơi vào nơi không thể rời đi.",
        "跟着招工的人从陆路过境，许多人就这样到了无法离开的地方。",
    ),
    "C7.big_company": _t(
        "'A big company' with no name cannot be checked; nobody can help you if things go wrong.",
        "'ក្រុមហ៊ុនធំ' ដែលគ្មានឈ្មោះ មិនអាចពិនិត្យបាន។ គ្មាននរណាអាចជួយអ្នកបានពេលមានបញ្ហា។",
        "'บริษัทใหญ่' ที่ไม่มีชื่อตรวจสอบไม่ได้ จะไม่มีใครช่วยคุณได้เมื่อเกิดปัญหา",
        "'Công ty lớn' không tên thì không kiểm tra được; không ai giúp được bạn khi có chuyện.",
        "不具名的'大公司'无法核实，出事时没人能帮你。",
    ),
    "C7.details_later": _t(
        "Details only in private or 'on arrival' means you will learn the truth when it is too late to say no.",
        "ព័ត៌មានលម្អិតតែក្នុងឆាតឯកជន ឬ 'ពេលមកដល់' មានន័យថាអ្នកនឹងដឹងការពិតពេលយឺតពេលបដិសេធ។",
        "รายละเอียดแจ้งทางแชทส่วนตัวหรือ 'เมื่อถึง' แปลว่าคุณจะรู้ความจริงเมื่อสายเกินจะปฏิเสธ",
        "Chi tiết chỉ nói riêng hoặc 'khi đến nơi' nghĩa là bạn biết sự thật khi đã quá muộn để từ chối.",
        "详情只私聊或'到了再说'，意味着你知道真相时已来不及拒绝。",
    ),
    "C7.abroad_unnamed": _t(
        "Work 'abroad' without a country, city and employer's name cannot be checked.",
        "ការងារ 'នៅក្រៅប្រទេស' ដោយគ្មានប្រទេស ទីក្រុង និងឈ្មោះនិយោជក មិនអាចពិនិត្យបាន។",
        "งาน 'ต่างประเทศ' ที่ไม่บอกประเทศ เมือง และชื่อนายจ้าง ตรวจสอบไม่ได้",
        "Việc 'ở nước ngoài' không có nước, thành phố và tên chủ thì không kiểm tra được.",
        "没有国家、城市和雇主名称的'海外工作'无法核实。",
    ),
    "C8.urgency": _t(
        "Traffickers rush people so there is no time to check the offer or tell anyone.",
        "ជនជួញដូរជំរុញឱ្យប្រញាប់ ដើម្បីកុំឱ្យមានពេលពិនិត្យ ឬប្រាប់អ្នកណា។",
        "ผู้ค้ามนุษย์เร่งให้รีบ จนไม่มีเวลาตรวจสอบหรือบอกใคร",
        "Kẻ buôn người thúc giục để bạn không kịp kiểm tra hay báo cho ai.",
        "人贩子催你快走，让你没时间核实或告诉别人。",
    ),
    "C8.limited_places": _t(
        "'Only a few places left' is pressure, not information.",
        "'នៅសល់កន្លែងតិច' គឺជាការដាក់សម្ពាធ មិនមែនព័ត៌មានទេ។",
        "'เหลือที่ไม่กี่ที่' คือการกดดัน ไม่ใช่ข้อมูล",
        "'Chỉ còn ít chỗ' là gây áp lực, không phải thông tin.",
        "'名额有限'是施压，不是信息。",
    ),
    "C8.secrecy": _t(
        "Being told not to tell your family or to delete the chat cuts you off from the people who would help you.",
        "ការប្រាប់កុំឱ្យប្រាប់គ្រួសារ ឬឱ្យលុបសារ កាត់ផ្តាច់អ្នកពីមនុស្សដែលនឹងជួយអ្នក។",
        "การบอกไม่ให้บอกครอบครัวหรือให้ลบแชท ตัดคุณออกจากคนที่จะช่วยคุณได้",
        "Bảo bạn đừng nói với gia đình hay xóa tin nhắn là cắt bạn khỏi những người có thể giúp bạn.",
        "叫你别告诉家人、删掉聊天记录，是在切断你和能帮你的人的联系。",
    ),
    "C8.lie_to_officials": _t(
        "Being told to say you are a tourist means the journey is not legal, and you would carry the risk.",
        "ការប្រាប់ឱ្យនិយាយថាទៅលេង មានន័យថាការធ្វើដំណើរមិនស្របច្បាប់ ហើយអ្នកជាអ្នករងហានិភ័យ។",
        "การให้บอกว่ามาเที่ยว แปลว่าการเดินทางไม่ถูกกฎหมาย และคุณจะเป็นคนรับความเสี่ยง",
        "Bảo bạn nói là đi du lịch nghĩa là chuyến đi không hợp pháp, và bạn là người gánh rủi ro.",
        "让你说是去旅游，说明行程不合法，风险由你承担。",
    ),
    "C9.fee": _t(
        "Paying to get a job is how debt bondage starts; licensed agencies charge only fees set by the ministry.",
        "ការបង់លុយដើម្បីបានការងារ ជាការចាប់ផ្តើមនៃការជាប់បំណុល។ ទីភ្នាក់ងារមានអាជ្ញាប័ណ្ណយកតែថ្លៃដែលក្រសួងកំណត់។",
        "การจ่ายเงินเพื่อให้ได้งานคือจุดเริ่มของหนี้ผูกมัด บริษัทที่ได้รับอนุญาตเก็บเฉพาะค่าที่ราชการกำหนด",
        "Trả tiền để có việc là khởi đầu của nợ khổ sai; công ty có giấy phép chỉ thu phí theo quy định.",
        "花钱买工作是债务奴役的开始；持证机构只收取主管部门规定的费用。",
    ),
    "C9.fee_amount": _t(
        "This amount is money you would pay, not pay you would earn: a fee to get a job is a warning sign.",
        "ចំនួននេះជាលុយដែលអ្នកត្រូវបង់ មិនមែនប្រាក់ខែដែលអ្នកនឹងបានទេ។ ការបង់ថ្លៃដើម្បីបានការងារ គឺជាសញ្ញាព្រមាន។",
        "จำนวนนี้คือเงินที่คุณต้องจ่าย ไม่ใช่เงินที่คุณจะได้ การเสียเงินเพื่อให้ได้งานคือสัญญาณเตือน",
        "Số tiền này là tiền bạn phải trả, không phải lương bạn nhận: mất phí để có việc là dấu hiệu cảnh báo.",
        "这笔钱是你要付出的，不是你能挣的：花钱找工作是警示信号。",
    ),
    "C9.broker_fee": _t(
        "A broker's fee taken from your wages ties you to the job until it is paid off.",
        "ថ្លៃឈ្មួញកណ្តាលដែលកាត់ពីប្រាក់ខែ ចងអ្នកជាប់នឹងការងាររហូតសងរួច។",
        "ค่านายหน้าที่หักจากเงินเดือนผูกคุณไว้กับงานจนกว่าจะจ่ายครบ",
        "Phí môi giới trừ vào lương trói bạn vào công việc cho đến khi trả hết.",
        "从工资里扣的中介费会把你绑在这份工作上，直到还清。",
    ),
    "C9.deposit": _t(
        "A deposit to start a job or to 'unlock' work is taken and rarely returned.",
        "ប្រាក់កក់ដើម្បីចាប់ផ្តើមការងារ ឬ 'បើក' ការងារ ត្រូវគេយក ហើយកម្រប្រគល់វិញណាស់។",
        "เงินมัดจำเพื่อเริ่มงานหรือ 'ปลดล็อก' งาน มักถูกเอาไปและแทบไม่ได้คืน",
        "Tiền cọc để bắt đầu hay 'mở khóa' công việc bị lấy đi và hiếm khi được trả lại.",
        "为开始工作或'解锁'任务交的押金，几乎从不退还。",
    ),
    "C9.advance_debt": _t(
        "Costs 'advanced' and deducted from wages become a debt that can keep you working for nothing.",
        "ថ្លៃដែល 'ខ្ចីមុន' ហើយកាត់ពីប្រាក់ខែ ក្លាយជាបំណុលដែលអាចធ្វើឱ្យអ្នកធ្វើការឥតបានអ្វី។",
        "ค่าใช้จ่ายที่ 'สำรองให้ก่อน' แล้วหักจากเงินเดือน กลายเป็นหนี้ที่ทำให้คุณทำงานฟรี",
        "Chi phí 'ứng trước' rồi trừ vào lương trở thành khoản nợ khiến bạn làm không công.",
        "'垫付'再从工资扣的费用会变成债务，让你白干。",
    ),
    "C9.penalty": _t(
        "A penalty for leaving means you are not free to leave: that is forced labour.",
        "ការពិន័យពេលចាកចេញ មានន័យថាអ្នកគ្មានសេរីភាពចាកចេញ៖ នោះជាពលកម្មដោយបង្ខំ។",
        "ค่าปรับเมื่อลาออกแปลว่าคุณไม่มีอิสระที่จะออก นั่นคือแรงงานบังคับ",
        "Phạt khi nghỉ việc nghĩa là bạn không được tự do rời đi: đó là lao động cưỡng bức.",
        "离职要赔钱，意味着你没有离开的自由：这就是强迫劳动。",
    ),
    "C9.pay_delayed": _t(
        "Pay held back until the end of the contract keeps workers from leaving.",
        "ប្រាក់ខែដែលឃាត់ទុករហូតចប់កិច្ចសន្យា ធ្វើឱ្យកម្មករមិនអាចចាកចេញ។",
        "เงินเดือนที่เก็บไว้จนจบสัญญาทำให้คนงานออกไม่ได้",
        "Lương giữ lại đến hết hợp đồng khiến người lao động không thể rời đi.",
        "工资压到合同期满才发，会让工人无法离开。",
    ),
    "C10.passport_photo": _t(
        "A photo of your passport lets strangers buy tickets, make papers and track you; do not send it to a recruiter.",
        "រូបថតលិខិតឆ្លងដែន អនុញ្ញាតឱ្យមនុស្សចម្លែកទិញសំបុត្រ ធ្វើឯកសារ និងតាមដានអ្នក។ កុំផ្ញើវាទៅអ្នកជ្រើសរើស។",
        "รูปพาสปอร์ตทำให้คนแปลกหน้าซื้อตั๋ว ทำเอกสาร และติดตามคุณได้ อย่าส่งให้นายหน้า",
        "Ảnh hộ chiếu cho người lạ mua vé, làm giấy tờ và theo dõi bạn; đừng gửi cho người tuyển.",
        "护照照片可被陌生人用来买票、办证件和追踪你；不要发给招工的人。",
    ),
    "C10.id_photo": _t(
        "Your ID card photo can be used to register you, borrow in your name or move you across a border.",
        "រូបអត្តសញ្ញាណប័ណ្ណ អាចត្រូវប្រើដើម្បីចុះឈ្មោះអ្នក ខ្ចីលុយក្នុងនាមអ្នក ឬនាំអ្នកឆ្លងព្រំដែន។",
        "รูปบัตรประชาชนอาจถูกใช้ลงทะเบียน กู้เงินในชื่อคุณ หรือพาคุณข้ามชายแดน",
        "Ảnh căn cước có thể bị dùng để đăng ký, vay tiền đứng tên bạn hoặc đưa bạn qua biên giới.",
        "身份证照片可能被用来登记你、以你的名义借钱或带你过境。",
    ),
    "C10.passport_kept": _t(
        "Nobody but you should hold your passport. Without it you cannot leave.",
        "គ្មាននរណាក្រៅពីអ្នកគួរកាន់លិខិតឆ្លងដែនរបស់អ្នកទេ។ បើគ្មានវា អ្នកមិនអាចចាកចេញបានទេ។",
        "ไม่ควรมีใครถือหนังสือเดินทางของคุณนอกจากตัวคุณ ถ้าไม่มีมันคุณจะกลับไม่ได้",
        "Không ai ngoài bạn được giữ hộ chiếu của bạn. Không có nó bạn không thể rời đi.",
        "除了你自己，任何人都不应持有你的护照。没有护照你就走不了。",
    ),
    "C11.board_lodging": _t(
        "Food and a room inside the workplace can mean you never leave it; ask where you will live and whether you may go out.",
        "អាហារ និងបន្ទប់នៅក្នុងកន្លែងធ្វើការ អាចមានន័យថាអ្នកមិនដែលចេញ។ សួរថាអ្នកនឹងរស់នៅណា និងអាចចេញក្រៅបានទេ។",
        "อาหารและที่พักในที่ทำงานอาจหมายถึงคุณไม่ได้ออกไปไหนเลย ถามว่าจะพักที่ไหนและออกไปข้างนอกได้ไหม",
        "Ăn ở ngay trong nơi làm việc có thể nghĩa là bạn không bao giờ được ra; hãy hỏi ở đâu và có được ra ngoài không.",
        "包吃包住在工作场所里，可能意味着你出不去；问清住在哪里、能否外出。",
    ),
    "C11.closed": _t(
        "'Closed management' or not being allowed out is how people are kept from leaving or asking for help.",
        "'គ្រប់គ្រងបិទជិត' ឬមិនអនុញ្ញាតឱ្យចេញក្រៅ ជាវិធីឃាត់មនុស្សមិនឱ្យចាកចេញ ឬសុំជំនួយ។",
        "'ระบบปิด' หรือห้ามออกข้างนอก คือวิธีกักคนไม่ให้ออกไปหรือขอความช่วยเหลือ",
        "'Quản lý khép kín' hay không được ra ngoài là cách giữ người không cho rời đi hay cầu cứu.",
        "'封闭式管理'或不许外出，就是让人无法离开或求助的手段。",
    ),
    "C11.no_phone": _t(
        "Having your phone taken cuts you off from family and help.",
        "ការដកទូរស័ព្ទ កាត់ផ្តាច់អ្នកពីគ្រួសារ និងជំនួយ។",
        "การถูกยึดโทรศัพท์ตัดคุณออกจากครอบครัวและความช่วยเหลือ",
        "Bị thu điện thoại là bị cắt liên lạc với gia đình và sự giúp đỡ.",
        "手机被收走，你就和家人、求助渠道断了联系。",
    ),
    "C11.long_hours": _t(
        "Twelve hours or more a day is excessive overtime, one of the ILO's signs of forced labour.",
        "ធ្វើការ ១២ម៉ោង ឬច្រើនជាងនេះក្នុងមួយថ្ងៃ គឺជាម៉ោងបន្ថែមហួសហេតុ ដែលជាសញ្ញាមួយនៃពលកម្មបង្ខំរបស់ ILO។",
        "ทำงานวันละ 12 ชั่วโมงขึ้นไปคือการทำงานล่วงเวลาเกินควร ซึ่งเป็นสัญญาณหนึ่งของแรงงานบังคับตาม ILO",
        "Làm từ 12 tiếng một ngày trở lên là tăng ca quá mức, một dấu hiệu lao động cưỡng bức theo ILO.",
        "每天工作12小时以上属于过度加班，是国际劳工组织列出的强迫劳动迹象之一。",
    ),
    "C12.crypto_pay": _t(
        "Pay in crypto cannot be traced or claimed back; real employers pay into a bank account.",
        "ប្រាក់ខែជាគ្រីបតូមិនអាចតាមដាន ឬទាមទារវិញបាន។ និយោជកពិតបើកតាមគណនីធនាគារ។",
        "เงินเดือนเป็นคริปโตตามคืนไม่ได้ นายจ้างจริงจ่ายเข้าบัญชีธนาคาร",
        "Lương bằng tiền mã hóa không thể truy vết hay đòi lại; chủ thật trả qua ngân hàng.",
        "加密货币工资无法追踪或追回；正规雇主通过银行发工资。",
    ),
    "C13.bride_price": _t(
        "Money paid to your family for a marriage abroad can be used to say you were 'bought' and must stay.",
        "លុយដែលឱ្យគ្រួសារអ្នកសម្រាប់ការរៀបការនៅបរទេស អាចត្រូវប្រើដើម្បីនិយាយថាអ្នកត្រូវបាន 'ទិញ' ហើយត្រូវនៅ។",
        "เงินที่ให้ครอบครัวสำหรับการแต่งงานต่างประเทศ อาจถูกใช้อ้างว่าคุณถูก 'ซื้อ' มาและต้องอยู่",
        "Tiền đưa gia đình bạn để lấy chồng nước ngoài có thể bị dùng để nói bạn đã bị 'mua' và phải ở lại.",
        "付给你家的彩礼，可能被用来说你是'买来的'、必须留下。",
    ),
    "C13.husband_abroad": _t(
        "Brokered marriages abroad are a known route of trafficking for forced marriage and forced labour.",
        "ការរៀបការតាមមេខ្យល់ទៅបរទេស ជាផ្លូវដែលគេស្គាល់នៃការជួញដូរ ដើម្បីរៀបការដោយបង្ខំ និងពលកម្មបង្ខំ។",
        "การแต่งงานต่างประเทศผ่านนายหน้าเป็นเส้นทางที่รู้กันของการค้ามนุษย์เพื่อบังคับแต่งงานและบังคับใช้แรงงาน",
        "Hôn nhân qua môi giới ra nước ngoài là con đường mua bán người để cưỡng ép kết hôn và lao động.",
        "中介介绍的跨国婚姻是强迫婚姻和强迫劳动类人口贩卖的已知途径。",
    ),
    "C13.matchmaking": _t(
        "Paid matchmaking across borders is illegal in several countries and often hides trafficking.",
        "ការណែនាំគូដោយយកលុយឆ្លងប្រទេស ខុសច្បាប់ក្នុងប្រទេសខ្លះ ហើយច្រើនលាក់ការជួញដូរ។",
        "การเป็นแม่สื่อข้ามประเทศโดยเก็บเงินผิดกฎหมายในหลายประเทศ และมักแฝงการค้ามนุษย์",
        "Mai mối hôn nhân có thu tiền qua biên giới là bất hợp pháp ở nhiều nước và thường che giấu mua bán người.",
        "收费的跨国婚介在多个国家是违法的，常常掩盖人口贩卖。",
    ),
    "C14.fishing_boat": _t(
        "Fishing boats keep crews at sea, far from help; trafficking for forced labour on boats is well documented.",
        "ទូកនេសាទទុកនាវិកនៅសមុទ្រ ឆ្ងាយពីជំនួយ។ ការជួញដូរសម្រាប់ពលកម្មបង្ខំលើទូក មានឯកសារច្រើន។",
        "เรือประมงกักลูกเรือไว้กลางทะเลห่างจากความช่วยเหลือ การค้ามนุษย์บนเรือประมงมีหลักฐานมากมาย",
        "Tàu cá giữ thuyền viên ngoài biển, xa mọi sự giúp đỡ; cưỡng bức lao động trên tàu cá đã được ghi nhận nhiều.",
        "渔船把船员困在海上、远离救助；渔船上的强迫劳动有大量记录。",
    ),
    "C14.months_at_sea": _t(
        "Months at sea without coming ashore mean you cannot leave or report abuse.",
        "ច្រើនខែនៅសមុទ្រ ដោយមិនចូលច្រាំង មានន័យថាអ្នកមិនអាចចាកចេញ ឬរាយការណ៍ការរំលោភបាន។",
        "หลายเดือนกลางทะเลโดยไม่เข้าฝั่ง แปลว่าคุณออกไม่ได้และแจ้งเหตุไม่ได้",
        "Nhiều tháng trên biển không vào bờ nghĩa là bạn không thể rời đi hay báo bị ngược đãi.",
        "在海上几个月不靠岸，意味着你无法离开，也无法举报虐待。",
    ),
    "C14.transfer_at_sea": _t(
        "Transfers between boats at sea keep crews from ever reaching a port where they could ask for help.",
        "ការប្តូរទូកកណ្តាលសមុទ្រ ធ្វើឱ្យនាវិកមិនដែលដល់កំពង់ផែដែលអាចសុំជំនួយ។",
        "การย้ายเรือกลางทะเลทำให้ลูกเรือไม่เคยถึงท่าที่จะขอความช่วยเหลือได้",
        "Chuyển tàu giữa biển khiến thuyền viên không bao giờ cập cảng nơi có thể cầu cứu.",
        "海上换船让船员永远到不了可以求助的港口。",
    ),
    "C15.no_passport": _t(
        "'No passport needed' means crossing illegally: you would have no papers, no protection and no way back.",
        "'មិនត្រូវការលិខិតឆ្លងដែន' មានន័យថាឆ្លងដោយខុសច្បាប់៖ អ្នកគ្មានឯកសារ គ្មានការការពារ និងគ្មានផ្លូវត្រឡប់។",
        "'ไม่ต้องมีพาสปอร์ต' แปลว่าข้ามแดนผิดกฎหมาย คุณจะไม่มีเอกสาร ไม่มีการคุ้มครอง และไม่มีทางกลับ",
        "'Không cần hộ chiếu' nghĩa là vượt biên trái phép: bạn sẽ không có giấy tờ, không được bảo vệ, không có đường về.",
        "'不用护照'就是非法越境：你将没有证件、没有保护、也没有回头路。",
    ),
    "C15.informal_crossing": _t(
        "Crossing by river, forest or back roads puts you in the hands of smugglers, outside any protection.",
        "ការឆ្លងតាមទន្លេ ព្រៃ ឬផ្លូវលួច ដាក់អ្នកនៅក្នុងដៃអ្នករត់ពន្ធ ក្រៅការការពារណាមួយ។",
        "การข้ามทางแม่น้ำ ป่า หรือทางลัด ทำให้คุณอยู่ในมือผู้ลักลอบ นอกการคุ้มครองใดๆ",
        "Qua sông, qua rừng hay đường tiểu ngạch là đặt mình vào tay kẻ đưa lậu, ngoài mọi sự bảo vệ.",
        "走河道、山林或小路过境，会把你交到蛇头手里，失去任何保护。",
    ),
    "C15.met_at_border": _t(
        "Being handed over to someone waiting on the other side is how people are sold on.",
        "ការប្រគល់ទៅអ្នកដែលចាំនៅត្រើយម្ខាង ជារបៀបដែលមនុស្សត្រូវបានលក់បន្ត។",
        "การถูกส่งต่อให้คนที่รออยู่อีกฝั่ง คือวิธีที่คนถูกขายต่อ",
        "Bị giao cho người chờ sẵn bên kia là cách người ta bị bán đi.",
        "被交给对岸等着的人，人就是这样被转卖的。",
    ),
    "C16.tasks_commission": _t(
        "Pay for liking, rating or 'order tasks' is a task scam: small early payouts, then you are asked to pay in.",
        "ការបានលុយពីការចុចឡាយ វាយតម្លៃ ឬ 'ភារកិច្ចបញ្ជាទិញ' គឺជាការបោកប្រាស់ភារកិច្ច៖ ដំបូងឱ្យលុយតិច បន្ទាប់មកឱ្យអ្នកដាក់លុយ។",
        "ได้เงินจากการกดไลค์ รีวิว หรือ 'ภารกิจสั่งซื้อ' คือการหลอกทำภารกิจ จ่ายให้นิดหน่อยก่อน แล้วให้คุณโอนเงิน",
        "Trả tiền cho việc like, đánh giá hay 'làm nhiệm vụ' là lừa đảo nhiệm vụ: trả chút đầu, rồi bắt bạn nạp tiền.",
        "点赞、打分、'做任务'拿佣金是刷单诈骗：先给点小钱，再让你充值。",
    ),
    "C16.top_up_unlock": _t(
        "No real job asks you to top up money to 'unlock' tasks; the money will not come back.",
        "គ្មានការងារពិតណាដែលឱ្យដាក់លុយដើម្បី 'បើក' ភារកិច្ចទេ។ លុយនោះនឹងមិនត្រឡប់មកវិញទេ។",
        "ไม่มีงานจริงที่ให้เติมเงินเพื่อ 'ปลดล็อก' ภารกิจ เงินนั้นจะไม่กลับมา",
        "Không việc thật nào bắt bạn nạp tiền để 'mở khóa' nhiệm vụ; số tiền đó sẽ không quay lại.",
        "没有真正的工作会让你充值'解锁'任务；钱不会回来。",
    ),
    "C17.hostess": _t(
        "Hostess, bar and 'drinks' jobs abroad are a common route into sexual exploitation and debt.",
        "ការងារអ្នកអមភ្ញៀវ បារ និង 'លក់ភេសជ្ជៈ' នៅបរទេស ជាផ្លូវទូទៅទៅកាន់ការកេងប្រវ័ញ្ចផ្លូវភេទ និងបំណុល។",
        "งานนั่งดริงค์ บาร์ และเชียร์เครื่องดื่มในต่างประเทศ เป็นเส้นทางทั่วไปสู่การแสวงประโยชน์ทางเพศและหนี้",
        "Việc tiếp viên, quán bar, 'uống với khách' ở nước ngoài là con đường phổ biến dẫn đến bóc lột tình dục và nợ nần.",
        "海外陪酒、夜场、'公主'工作是通往性剥削和债务的常见途径。",
    ),
    "C17.modelling": _t(
        "Modelling offers for young women abroad are used to recruit for sexual exploitation.",
        "ការផ្តល់ជូនធ្វើម៉ូដែលសម្រាប់នារីវ័យក្មេងនៅបរទេស ត្រូវបានប្រើដើម្បីជ្រើសរើសសម្រាប់ការកេងប្រវ័ញ្ចផ្លូវភេទ។",
        "ข้อเสนองานนางแบบให้หญิงสาวในต่างประเทศถูกใช้หลอกไปแสวงประโยชน์ทางเพศ",
        "Lời mời làm người mẫu cho cô gái trẻ ở nước ngoài được dùng để dụ vào bóc lột tình dục.",
        "面向年轻女性的海外模特工作常被用来招募性剥削对象。",
    ),
    "C17.body_photos": _t(
        "No real employer needs full-body photos; such photos can be used to sell or blackmail you.",
        "គ្មាននិយោជកពិតណាត្រូវការរូបពេញខ្លួនទេ។ រូបទាំងនោះអាចត្រូវប្រើដើម្បីលក់ ឬគំរាមអ្នក។",
        "ไม่มีนายจ้างจริงคนไหนต้องการรูปเต็มตัว รูปเหล่านี้อาจถูกใช้ขายหรือแบล็กเมล์คุณ",
        "Không chủ thật nào cần ảnh toàn thân; ảnh đó có thể bị dùng để bán hoặc tống tiền bạn.",
        "正规雇主不需要全身照；这类照片可能被用来卖你或勒索你。",
    ),
    "C18.relative_friend": _t(
        "Many victims were recruited by a friend or relative who was paid per person or was trapped too.",
        "ជនរងគ្រោះជាច្រើនត្រូវបានជ្រើសរើសដោយមិត្ត ឬសាច់ញាតិ ដែលបានលុយតាមក្បាល ឬក៏ជាប់អន្ទាក់ដែរ។",
        "เหยื่อหลายคนถูกชักชวนโดยเพื่อนหรือญาติที่ได้เงินต่อหัว หรือก็ติดกับดักอยู่เหมือนกัน",
        "Nhiều nạn nhân bị bạn bè hay người thân rủ đi, người được trả tiền theo đầu người hoặc cũng đang bị kẹt.",
        "很多受害者是被朋友或亲戚招去的，他们按人头拿钱，或自己也被困住了。",
    ),
    "C18.bring_friend": _t(
        "A reward for bringing friends means the recruiter is paid per person delivered.",
        "រង្វាន់សម្រាប់ការនាំមិត្ត មានន័យថាអ្នកជ្រើសរើសបានលុយតាមចំនួនមនុស្សដែលនាំទៅ។",
        "รางวัลสำหรับการพาเพื่อนมา แปลว่าคนชวนได้เงินตามจำนวนคนที่ส่งไป",
        "Thưởng cho việc dẫn bạn theo nghĩa là người tuyển được trả tiền theo số người đưa đến.",
        "带朋友有奖励，说明招人者按送去的人头拿钱。",
    ),
    "C19.no_exam": _t(
        "Korea's EPS and Japan's programmes have no way around the test; an offer 'without the exam' is not the legal route.",
        "EPS កូរ៉េ និងកម្មវិធីជប៉ុន គ្មានផ្លូវរំលងការប្រឡងទេ។ ការផ្តល់ជូន 'មិនបាច់ប្រឡង' មិនមែនជាផ្លូវស្របច្បាប់ទេ។",
        "EPS เกาหลีและโครงการญี่ปุ่นไม่มีทางข้ามการสอบ ข้อเสนอ 'ไม่ต้องสอบ' ไม่ใช่ช่องทางถูกกฎหมาย",
        "EPS Hàn Quốc và chương trình Nhật không có đường tắt bỏ thi; lời mời 'không cần thi' không phải đường hợp pháp.",
        "韩国EPS和日本项目都绕不开考试；'免考'的说法不是合法渠道。",
    ),
    "C19.guaranteed_visa": _t(
        "Nobody can guarantee a visa; only the destination's government decides.",
        "គ្មាននរណាអាចធានាទិដ្ឋាការបានទេ។ មានតែរដ្ឋាភិបាលប្រទេសគោលដៅទេដែលសម្រេច។",
        "ไม่มีใครรับประกันวีซ่าได้ มีแต่รัฐบาลประเทศปลายทางที่ตัดสิน",
        "Không ai bảo đảm được visa; chỉ chính phủ nước đến mới quyết định.",
        "没有人能保证签证，只有目的国政府说了算。",
    ),
    "C19.no_legal_route": _t(
        "Skipping the MoU or work permit means you would work illegally, with no protection.",
        "ការរំលង MoU ឬប័ណ្ណការងារ មានន័យថាអ្នកនឹងធ្វើការខុសច្បាប់ គ្មានការការពារ។",
        "การข้าม MoU หรือใบอนุญาตทำงาน แปลว่าคุณจะทำงานผิดกฎหมายโดยไม่มีการคุ้มครอง",
        "Bỏ qua MoU hay giấy phép lao động nghĩa là bạn làm việc bất hợp pháp, không được bảo vệ.",
        "绕过MoU或工作许可，意味着你将非法工作、没有任何保护。",
    ),
    "C19.change_visa_later": _t(
        "A visa cannot simply be 'changed there' into a work visa; you would be working illegally meanwhile.",
        "ទិដ្ឋាការមិនអាច 'ប្តូរនៅទីនោះ' ទៅជាទិដ្ឋាការការងារបានងាយៗទេ។ ក្នុងពេលនោះ អ្នកនឹងធ្វើការខុសច្បាប់។",
        "วีซ่าไม่สามารถ 'ไปเปลี่ยนที่นั่น' เป็นวีซ่าทำงานได้ง่ายๆ ระหว่างนั้นคุณจะทำงานผิดกฎหมาย",
        "Visa không thể cứ 'sang đó đổi' thành visa lao động; trong lúc đó bạn làm việc bất hợp pháp.",
        "签证不能'过去再转'成工作签证；在此期间你就是非法打工。",
    ),
    "C20.domestic_abroad": _t(
        "Domestic workers abroad live in their employer's home, often without days off or their passport; go only through a licensed channel.",
        "អ្នកបម្រើផ្ទះនៅបរទេសរស់នៅក្នុងផ្ទះនិយោជក ច្រើនតែគ្មានថ្ងៃឈប់ ឬលិខិតឆ្លងដែន។ ទៅតែតាមបណ្តាញមានអាជ្ញាប័ណ្ណ។",
        "แม่บ้านในต่างประเทศอยู่ในบ้านนายจ้าง มักไม่มีวันหยุดหรือไม่ได้ถือพาสปอร์ต ไปผ่านช่องทางที่ได้รับอนุญาตเท่านั้น",
        "Người giúp việc ở nước ngoài sống trong nhà chủ, thường không có ngày nghỉ hay không giữ hộ chiếu; chỉ đi qua kênh được cấp phép.",
        "海外家政工住在雇主家里，常常没有休息日、护照也不在自己手里；只通过持证渠道出国。",
    ),
}


def explain(code: str, variants: list[str], lang: str, fallback: dict[str, T]) -> str:
    """One sentence per distinct variant (at most two), or the family's own sentence."""
    sentences = []
    for v in dict.fromkeys(variants):
        table = VARIANTS.get(f"{code}.{v}")
        if table:
            sentences.append(table.get(lang) or table["en"])
    if not sentences:
        table = fallback.get(code) or next(
            t for k, t in VARIANTS.items() if k.startswith(f"{code}.")
        )
        return table.get(lang) or table["en"]
    return " ".join(sentences[:2])

"""Vietnamese phrase patterns (DRAFT: needs review by a native speaker).

Matched against the message with diacritics folded away (``normalize.fold``), so each
pattern matches "không cần kinh nghiệm" and "khong can kinh nghiem" alike.
"""

# ruff: noqa: E501  (a table of patterns)

_PASSPORT = r"(?:hộ chiếu|passport|pasport)"
_ID = r"(?:cccd|cmnd|căn cước|chứng minh(?: nhân dân| thư)?)"

PATTERNS: dict[str, dict[str, list[str]]] = {
    "C2": {
        "no_experience": [
            r"không (?:cần|yêu cầu) kinh nghiệm",
            r"ko cần kinh nghiệm",
            r"chưa có kinh nghiệm cũng được",
        ],
        "no_degree": [r"không (?:cần|yêu cầu) bằng cấp"],
        "easy_work": [r"việc nhẹ(?: lương cao)?", r"việc nhàn", r"tiền ngon", r"kiếm tiền dễ"],
        "only_basic": [
            r"chỉ cần (?:biết )?(?:đánh máy|dùng điện thoại|sử dụng điện thoại|chữ|gõ phím|like|mang)",
            r"biết dùng điện thoại(?: là được)?",
            r"chỉ mang (?:điện thoại|quần áo)",
        ],
        "no_language": [r"không cần (?:biết )?tiếng"],
        "age_only": [r"tuổi ?(?:từ )?1[5-8] ?(?:-|đến) ?[2-4]\d", r"1[5-8] ?- ?2\d tuổi"],
    },
    "C3": {
        "customer_service": [r"chăm sóc khách hàng", r"\bcskh\b", r"quan hệ khách hàng"],
        "typing": [r"đánh máy", r"nhập (?:liệu|dữ liệu)"],
        "chat": [r"trực chat", r"nhân viên chat", r"chat với khách", r"chat online"],
        "sales_marketing": [r"telesales?", r"(?:marketing|bán hàng|sale) online", r"đội marketing"],
        "gambling": [r"game online", r"casino", r"cá cược", r"sòng bạc"],
        "crypto": [r"tiền (?:ảo|điện tử|mã hóa)"],
        "translator": [r"phiên dịch"],
        "it_admin": [r"việc văn phòng", r"làm máy tính"],
    },
    "C4": {
        "ticket": [
            r"bao vé(?: máy bay)?",
            r"miễn phí vé máy bay",
            r"(?:công ty|chủ|sếp) (?:chi trả|trả|lo) (?:vé|chi phí đi lại|tiền xe)",
            r"lo (?:hết )?(?:vé|chi phí đi lại)",
            r"lo vé",
            r"sếp trả tiền xe",
        ],
        "visa": [r"(?:lo|làm|bao) (?:visa|hộ chiếu|thủ tục xuất cảnh|giấy tờ)", r"lo hết giấy tờ"],
        "tourist_visa": [r"visa du lịch", r"theo diện du lịch", r"đi (?:như|dạng) khách du lịch"],
        "student_visa": [r"visa du học", r"vừa học vừa làm"],
        "pickup": [
            r"đón (?:tại|ở|ngoài) (?:sân bay|cửa khẩu|biên giới)",
            r"bao xe đưa đón",
            r"có (?:xe|người) (?:đón|chờ)",
            r"xe đón tận nhà",
        ],
        "lodging_travel": [r"lo vé và căn hộ"],
    },
    "C5": {
        "hub_kh": [
            r"sihanouk(?:ville)?",
            r"xi-?ha-?núc",
            r"bavet",
            r"mộc bài",
            r"poipet",
            r"koh kong",
            r"campuchia",
        ],
        "hub_abroad": [
            r"myawaddy",
            r"tam giác vàng",
            r"bắc (?:myanmar|miến điện)",
            r"myanmar",
            r"đặc khu kinh tế",
            r"shwe kokko",
            r"kk park",
        ],
        "transit": [r"mae sot", r"mae sai"],
        "crossing": [
            r"vượt biên",
            r"(?:đi )?đường tiểu ngạch",
            r"đường mòn",
            r"xa mát",
            r"hà tiên",
        ],
    },
    "C6": {"messenger_only": [r"\btele\b", r"telegram", r"\bzalo\b"]},
    "C7": {
        "big_company": [
            r"công ty lớn",
            r"công ty nước ngoài",
            r"công ty trung quốc",
            r"(?:sếp|chủ) trung quốc",
            r"công ty online",
        ],
        "details_later": [
            r"(?:inbox|ib) (?:để biết chi tiết|riêng|để biết thêm)",
            r"chi tiết (?:inbox|ib|liên hệ riêng)",
        ],
        "abroad_unnamed": [
            r"(?:làm việc|đi làm|việc làm|việc|công ty)(?: online)? (?:ở |tại |bên )?nước ngoài"
        ],
    },
    "C8": {
        "urgency": [
            r"tuyển gấp",
            r"cần gấp",
            r"\bgấp\b",
            r"(?:đi|bay|xuất cảnh) (?:ngay|luôn|trong tuần)",
            r"ngày mai",
            r"sáng mai",
            r"tuần sau",
        ],
        "limited_places": [r"số lượng có hạn"],
        "secrecy": [
            r"(?:đừng|không được|đừng có) (?:nói|kể) (?:với|cho) (?:gia đình|bố mẹ|ai|mẹ)",
            r"dung noi voi me",
            r"không cần nói cho ai",
            r"xóa tin nhắn",
            r"đừng đăng",
        ],
        "lie_to_officials": [r"nói (?:là )?đi (?:du lịch|chơi)", r"hải quan hỏi", r"công an hỏi"],
    },
    "C9": {
        "fee": [
            r"phí (?:môi giới|làm hồ sơ|hồ sơ|dịch vụ|đào tạo|xuất cảnh|visa|đăng ký)",
            r"chi phí \d",
            r"đóng (?:trước|\d)",
            r"chuyển \d",
        ],
        "broker_fee": [r"phí môi giới", r"tiền cò", r"chuyển .{0,10}cho sếp"],
        "deposit": [r"tiền cọc", r"đặt cọc", r"nạp (?:tiền|\d)"],
        "advance_debt": [
            r"(?:trả|hoàn) nợ",
            r"khoản nợ",
            r"khoản vay",
            r"ứng trước",
            r"trừ (?:dần )?vào lương",
            r"trừ lương",
            r"trả lại từ",
            r"trả hết",
        ],
        "penalty": [
            r"(?:bồi thường|phạt|đền) (?:nếu|khi) (?:nghỉ|bỏ)",
            r"đền hợp đồng",
            r"phải đền",
            r"phạt \d",
        ],
        "pay_delayed": [
            r"nhận lương sau \d+ tháng",
            r"trả khi (?:tàu về|về nước|hết hợp đồng)",
            r"lương trả khi",
        ],
    },
    "C10": {
        "passport_photo": [
            r"(?:gửi|chụp) (?:ảnh |hình )?(?:trang (?:đầu|1) )?" + _PASSPORT,
            r"(?:ảnh|hình) " + _PASSPORT,
            r"trang (?:đầu|1) " + _PASSPORT,
            r"ảnh cầm hộ chiếu",
        ],
        "id_photo": [
            r"(?:gửi|chụp) (?:ảnh|hình) " + _ID,
            r"(?:ảnh|hình) " + _ID,
            _ID + r" 2 mặt",
            r"mang " + _ID,
        ],
        "passport_kept": [
            r"(?:giữ|nộp|thu) hộ chiếu",
            r"hộ chiếu (?:công ty|cty) giữ",
            r"công ty giữ giấy tờ",
        ],
    },
    "C11": {
        "board_lodging": [r"bao ăn ở", r"bao ăn", r"bao ở", r"lo chỗ ăn ở", r"có phòng có cơm"],
        "closed": [r"không được (?:đi )?ra ngoài", r"quản lý khép kín", r"khu khép kín"],
        "no_phone": [r"không được dùng điện thoại", r"thu điện thoại"],
        "long_hours": [r"làm(?: việc)? 1[2-6] ?(?:tiếng|giờ|h)", r"1[2-6] tiếng ?/ ?ngày"],
    },
    "C12": {"crypto_pay": [r"trả (?:lương )?bằng (?:usdt|tiền ảo|tiền điện tử)"]},
    "C13": {
        "bride_price": [
            r"sính lễ",
            r"tiền thách cưới",
            r"cho bố mẹ (?:em )?\d",
            r"gửi bố mẹ",
            r"cây vàng",
        ],
        "husband_abroad": [
            r"lấy chồng (?:trung quốc|đài loan|hàn quốc|nước ngoài|tq)",
            r"chồng (?:trung quốc|đài loan|hàn)",
            r"tìm vợ",
        ],
        "matchmaking": [r"mai mối", r"môi giới hôn nhân"],
    },
    "C14": {
        "fishing_boat": [r"tàu cá", r"thuyền viên", r"đi biển", r"lên tàu"],
        "months_at_sea": [r"đi biển \d+ tháng", r"nhiều tháng", r"xa bờ"],
        "transfer_at_sea": [r"chuyển tàu(?: giữa biển)?"],
    },
    "C15": {
        "no_passport": [
            r"không (?:có|cần) " + _PASSPORT + r"(?: vẫn đi được)?",
            r"khỏi (?:làm )?hộ chiếu",
        ],
        "informal_crossing": [r"qua sông", r"đường rừng", r"tiểu ngạch", r"đi bộ qua"],
        "met_at_border": [r"bên kia có người", r"xe chờ ở biên giới", r"chờ ở biên giới"],
    },
    "C16": {
        "tasks_commission": [
            r"like và đánh giá",
            r"đánh giá sản phẩm",
            r"nhiệm vụ",
            r"hoa hồng (?:trả )?(?:hàng ngày|\d+%)",
            r"hoa hồng \d",
        ],
        "top_up_unlock": [r"mở khóa", r"kích hoạt tài khoản", r"nạp .{0,15}(?:nhiệm vụ|vip)"],
    },
    "C17": {
        "hostess": [r"tiếp viên karaoke", r"karaoke", r"quán bar", r"tiền tip", r"nước uống"],
        "modelling": [r"người mẫu", r"ngoại hình đẹp"],
        "body_photos": [r"ảnh toàn thân"],
    },
    "C18": {
        "relative_friend": [
            r"(?:cô|dì|chú|bác|chị|anh|bạn) (?:bảo|nói)",
            r"con cô làm",
            r"trong làng",
            r"tự dẫn đi",
            r"chị đang làm",
            r"anh họ",
            r"bạn của chị",
        ],
        "bring_friend": [r"dẫn bạn"],
    },
    "C19": {
        "no_exam": [r"không (?:cần )?thi", r"ko thi"],
        "guaranteed_visa": [r"bao đậu", r"chắc chắn 100 ?%", r"100 ?% đậu"],
        "no_legal_route": [r"không cần (?:giấy phép|hợp đồng)"],
        "change_visa_later": [r"đổi (?:visa )?bên (?:đó|đấy)", r"đổi sang visa lao động"],
    },
    "C20": {"domestic_abroad": [r"giúp việc", r"osin", r"điều dưỡng", r"chăm sóc người già"]},
}

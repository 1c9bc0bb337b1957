"""Name pools for demo persons: common given and family names, never real people.

Khmer names carry their usual romanisation variants (the same name written differently by
different officers: Sokha/Sokhar, Chea/Chear, Srey/Srei) and a Khmer-script spelling. The
Khmer spellings are a *draft* and need review by a native speaker before anyone relies on
them. Names are combined at random, so no record describes a real person.

Each entry is ``(canonical romanisation, (variants...), native script or "")``.
"""

from __future__ import annotations

from dataclasses import dataclass

NameEntry = tuple[str, tuple[str, ...], str]

KH_FAMILY: tuple[NameEntry, ...] = (
    ("Chea", ("Chear", "Chia"), "ជា"),
    ("Sok", ("Sokh", "Sock"), "សុខ"),
    ("Chan", ("Chann", "Chand"), "ចាន់"),
    ("Heng", ("Hieng", "Hung"), "ហេង"),
    ("Kim", ("Kimm", "Kem"), "គឹម"),
    ("Ly", ("Lee", "Li"), "លី"),
    ("Meas", ("Meass", "Mias"), "មាស"),
    ("Keo", ("Kaev", "Keov"), "កែវ"),
    ("Prak", ("Prag", "Prakh"), "ប្រាក់"),
    ("Nhem", ("Nhim", "Nhoem"), "ញឹម"),
    ("Sam", ("Samm", "Som"), "សំ"),
    ("Pich", ("Pech", "Petch"), "ពេជ្រ"),
    ("Touch", ("Toch", "Tuoch"), "ទូច"),
    ("Seng", ("Sieng", "Seing"), "សេង"),
    ("Chhim", ("Chim", "Chhem"), "ឈឹម"),
    ("Mao", ("Mau", "Mav"), "ម៉ៅ"),
    ("Nuon", ("Noun", "Nuen"), "នួន"),
    ("Ouk", ("Uk", "Ok"), "អ៊ុក"),
    ("Pen", ("Penn", "Paen"), "ប៉ែន"),
    ("Phan", ("Phann", "Fan"), "ផាន"),
    ("Ros", ("Rous", "Ross"), "រស់"),
    ("Sorn", ("Son", "Sorng"), "សន"),
    ("Tep", ("Thep", "Teb"), "ទេព"),
    ("Yim", ("Yem", "Yoem"), "យឹម"),
    ("Long", ("Loung", "Lorng"), "ឡុង"),
    ("Khim", ("Khem", "Kheum"), "ឃឹម"),
    ("Chhay", ("Chay", "Chhai"), "ឆាយ"),
    ("Hem", ("Haem", "Hemm"), "ហែម"),
    ("Oum", ("Um", "Om"), "អ៊ុំ"),
    ("Svay", ("Svai", "Sway"), "ស្វាយ"),
    ("Vong", ("Vung", "Vongs"), "វង្ស"),
    ("Mom", ("Mum", "Morm"), "មុំ"),
    ("Nou", ("Nu", "Nouv"), "នូ"),
    ("Lim", ("Lem", "Lym"), "លីម"),
    ("Sao", ("Sau", "Saov"), "សៅ"),
    ("Hak", ("Hakk", "Hac"), "ហាក់"),
    ("In", ("Inn", "Enn"), "អ៊ិន"),
    ("Chum", ("Chhum", "Choum"), "ជុំ"),
    ("Kong", ("Kung", "Korng"), "គង់"),
    ("Soeun", ("Soeurn", "Suen"), "សឿន"),
)

KH_GIVEN_FEMALE: tuple[NameEntry, ...] = (
    ("Sokha", ("Sokhar", "Sokkha"), "សុខា"),
    ("Sreypov", ("Srey Pov", "Srei Pov", "Sreypove"), "ស្រីពៅ"),
    ("Sreymom", ("Srey Mom", "Srei Mom", "Sreymum"), "ស្រីមុំ"),
    ("Sreyneang", ("Srey Neang", "Srei Neang"), "ស្រីនាង"),
    ("Sreyleak", ("Srey Leak", "Srei Leak"), "ស្រីល័ក្ខ"),
    ("Sreynich", ("Srey Nich", "Srei Nich"), "ស្រីនិច"),
    ("Pov", ("Pove", "Pauv"), "ពៅ"),
    ("Sophea", ("Sophear", "Sophia"), "សុភា"),
    ("Bopha", ("Bopa", "Bophar"), "បុប្ផា"),
    ("Chenda", ("Chinda", "Chendar"), "ចិន្តា"),
    ("Kunthea", ("Kunthear", "Konthea"), "គន្ធា"),
    ("Leakhena", ("Leakena", "Leakhina"), "លក្ខិណា"),
    ("Nary", ("Nari", "Narey"), "ណារី"),
    ("Phalla", ("Phala", "Phallar"), "ផល្លា"),
    ("Rachana", ("Rachna", "Reachana"), "រចនា"),
    ("Thida", ("Theda", "Thidar"), "ធីតា"),
    ("Kanha", ("Kagna", "Kanhya"), "កញ្ញា"),
    ("Sokunthea", ("Sokunthear", "Sokonthea"), "សុគន្ធា"),
    ("Dany", ("Dani", "Daney"), "ដានី"),
    ("Sopheap", ("Sopheab", "Sophiep"), "សុភាព"),
    ("Mealea", ("Mealear", "Meala"), "មាលា"),
    ("Pisey", ("Pisei", "Pisay"), "ពិសី"),
    ("Raksmey", ("Reaksmey", "Rasmey"), "រស្មី"),
    ("Socheata", ("Socheatha", "Sochata"), "សុជាតា"),
    ("Lina", ("Leena", "Linna"), "លីណា"),
    ("Davy", ("Davi", "Davey"), "ដាវី"),
    ("Chantha", ("Chanthea", "Chantar"), "ចន្ថា"),
    ("Vanna", ("Vana", "Vannah"), "វណ្ណា"),
)

KH_GIVEN_MALE: tuple[NameEntry, ...] = (
    ("Sokha", ("Sokhar", "Sokkha"), "សុខា"),
    ("Dara", ("Darah", "Daraa"), "ដារ៉ា"),
    ("Kosal", ("Kosol", "Kusal"), "កុសល"),
    ("Rithy", ("Rithi", "Ritthy"), "ឫទ្ធី"),
    ("Piseth", ("Pisith", "Piset"), "ពិសិដ្ឋ"),
    ("Vichet", ("Vichhet", "Vichith"), "វិចិត្រ"),
    ("Vuthy", ("Vuthi", "Vutthy"), "វុទ្ធី"),
    ("Samnang", ("Somnang", "Samnaang"), "សំណាង"),
    ("Sovann", ("Sovan", "Sovanh"), "សុវណ្ណ"),
    ("Vibol", ("Vibul", "Viboul"), "វិបុល"),
    ("Bunthoeun", ("Bunthoen", "Bunthoeurn"), "ប៊ុនធឿន"),
    ("Sambath", ("Sambat", "Sambatt"), "សម្បត្តិ"),
    ("Veasna", ("Veasana", "Vesna"), "វាសនា"),
    ("Makara", ("Makra", "Makarah"), "មករា"),
    ("Visal", ("Visol", "Vesal"), "វិសាល"),
    ("Ratha", ("Rattha", "Reatha"), "រដ្ឋា"),
    ("Mony", ("Moni", "Monny"), "មុនី"),
    ("Sophal", ("Sophall", "Sophol"), "សុផល"),
    ("Chamroeun", ("Chamroen", "Chamreun"), "ចំរើន"),
    ("Sokhom", ("Sokhum", "Sokom"), "សុខុម"),
    ("Sothy", ("Sothi", "Sothey"), "សុធី"),
    ("Bora", ("Borah", "Boraa"), "បូរ៉ា"),
    ("Narith", ("Narit", "Nareth"), "នរិទ្ធ"),
    ("Chanthou", ("Chanthu", "Chanthoo"), "ចន្ធូ"),
    ("Panha", ("Pagna", "Panhna"), "បញ្ញា"),
    ("Seyha", ("Seiha", "Sayha"), "សីហា"),
    ("Vireak", ("Virak", "Vireakh"), "វីរៈ"),
    ("Pheakdey", ("Pheakdei", "Pheakdy"), "ភក្ដី"),
    ("Tola", ("Tolla", "Tolar"), "តុលា"),
    ("Kakada", ("Kakda", "Kakadar"), "កក្កដា"),
)


@dataclass(frozen=True)
class NamePool:
    """Given names by sex and family names for one nationality, and how its names vary.

    ``family_first``: the native order writes the family name first (swaps are common when
    officers copy such names). ``mononym``: a share of people have no family name.
    """

    family: tuple[NameEntry, ...]
    given_female: tuple[NameEntry, ...]
    given_male: tuple[NameEntry, ...]
    family_first: bool = False
    mononym: float = 0.0


def _plain(*names: str) -> tuple[NameEntry, ...]:
    """Entries for names whose variants are an ASCII folding or nothing."""
    return tuple((name, (), "") for name in names)


def _vi(*names: str) -> tuple[NameEntry, ...]:
    """Vietnamese names, varied by dropping diacritics (Nguyễn → Nguyen)."""
    from unicodedata import normalize

    def fold(text: str) -> str:
        text = text.replace("Đ", "D").replace("đ", "d")
        return "".join(c for c in normalize("NFD", text) if ord(c) < 0x300 or ord(c) > 0x36F)

    return tuple((name, (fold(name),) if fold(name) != name else (), "") for name in names)


CN_POOL = NamePool(
    family=(
        ("Wang", ("Wong",), "王"),
        ("Li", ("Lee",), "李"),
        ("Zhang", ("Chang",), "张"),
        ("Liu", ("Lau",), "刘"),
        ("Chen", ("Chan",), "陈"),
        ("Yang", (), "杨"),
        ("Huang", ("Wong",), "黄"),
        ("Zhao", ("Chao",), "赵"),
        ("Wu", ("Woo",), "吴"),
        ("Zhou", ("Chow",), "周"),
        ("Xu", ("Hsu",), "徐"),
        ("Sun", (), "孙"),
        ("Ma", (), "马"),
        ("Zhu", ("Chu",), "朱"),
        ("Hu", (), "胡"),
        ("Guo", ("Kuo",), "郭"),
        ("Lin", ("Lam",), "林"),
        ("He", ("Ho",), "何"),
        ("Gao", ("Kao",), "高"),
        ("Luo", ("Lo",), "罗"),
    ),
    given_female=(
        ("Fang", (), "芳"),
        ("Na", (), "娜"),
        ("Min", (), "敏"),
        ("Jing", (), "静"),
        ("Yan", (), "艳"),
        ("Xiulan", ("Xiu Lan",), "秀兰"),
        ("Li", (), "丽"),
        ("Hui", (), "慧"),
        ("Ying", (), "英"),
        ("Mei", (), "梅"),
    ),
    given_male=(
        ("Wei", (), "伟"),
        ("Lei", (), "磊"),
        ("Jun", (), "军"),
        ("Yong", (), "勇"),
        ("Jie", (), "杰"),
        ("Tao", (), "涛"),
        ("Ming", (), "明"),
        ("Chao", (), "超"),
        ("Xiaoming", ("Xiao Ming",), "小明"),
        ("Hao", (), "浩"),
        ("Qiang", (), "强"),
    ),
    family_first=True,
)
VN_POOL = NamePool(
    family=_vi(
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
    ),
    given_female=_vi(
        "Thị Lan",
        "Thị Hoa",
        "Thị Mai",
        "Thị Hương",
        "Thị Thu",
        "Thị Ngọc",
        "Thị Hằng",
        "Ngọc Anh",
        "Thu Trang",
        "Thị Nhung",
    ),
    given_male=_vi(
        "Văn An",
        "Văn Hùng",
        "Minh Tuấn",
        "Văn Nam",
        "Đức Anh",
        "Quốc Bảo",
        "Văn Phúc",
        "Hoàng Long",
        "Văn Toàn",
        "Minh Khoa",
    ),
    family_first=True,
)
TH_POOL = NamePool(
    family=_plain(
        "Srisuk",
        "Wongsawat",
        "Chaiyaporn",
        "Boonmee",
        "Saetang",
        "Kaewkla",
        "Thongdee",
        "Rattanakorn",
        "Phromma",
        "Suwannarat",
        "Chanthong",
        "Inthong",
    ),
    given_female=(
        ("Suda", ("Sudaa",), ""),
        ("Malee", ("Mali",), ""),
        ("Siriporn", ("Siripon",), ""),
        ("Wanida", (), ""),
        ("Anong", (), ""),
        ("Ratana", ("Rattana",), ""),
        ("Kanya", (), ""),
        ("Pranee", ("Pranie",), ""),
    ),
    given_male=(
        ("Somchai", ("Somchay",), ""),
        ("Somsak", (), ""),
        ("Nattapong", ("Nattaphong",), ""),
        ("Kittisak", (), ""),
        ("Prasert", ("Prasoet",), ""),
        ("Chaiwat", (), ""),
        ("Arthit", ("Athit",), ""),
    ),
)
ID_POOL = NamePool(
    family=_plain(
        "Santoso",
        "Rahayu",
        "Wijaya",
        "Saputra",
        "Hidayat",
        "Kusuma",
        "Pratama",
        "Lestari",
        "Nugroho",
        "Setiawan",
        "Susanto",
        "Hartono",
    ),
    given_female=_plain("Siti", "Dewi", "Rina", "Putri", "Sri", "Fitri", "Ayu", "Dian", "Wulan"),
    given_male=_plain("Budi", "Agus", "Andi", "Wahyu", "Eko", "Joko", "Rudi", "Dedi", "Hendra"),
    mononym=0.25,
)
MY_POOL = NamePool(
    family=_plain("Tan", "Lim", "Lee", "Wong", "Ng", "Ong", "Goh", "Chong", "Teoh", "Yap"),
    given_female=(
        ("Mei Ling", ("Meiling",), ""),
        ("Siew Lan", ("Siewlan",), ""),
        ("Jia Hui", ("Jiahui",), ""),
        ("Hui Min", ("Huimin",), ""),
        ("Li Ting", ("Liting",), ""),
    ),
    given_male=(
        ("Wei Ming", ("Weiming",), ""),
        ("Kok Leong", ("Kokleong",), ""),
        ("Chee Keong", ("Cheekeong",), ""),
        ("Boon Hock", ("Boonhock",), ""),
        ("Kah Wai", ("Kahwai",), ""),
    ),
    family_first=True,
)
PH_POOL = NamePool(
    family=_plain(
        "Santos",
        "Reyes",
        "Garcia",
        "Mendoza",
        "Bautista",
        "Villanueva",
        "Ramos",
        "Castillo",
        "Fernandez",
        "Navarro",
        "Domingo",
        "Mercado",
    ),
    given_female=_plain(
        "Joy", "Angelica", "Mary Grace", "Kristine", "Jasmine", "Lovely", "Rowena", "Cherry"
    ),
    given_male=_plain(
        "Mark", "John Paul", "Christian", "Jerome", "Rommel", "Ryan", "Arnel", "Jayson"
    ),
)
KE_POOL = NamePool(
    family=_plain(
        "Otieno",
        "Wanjiru",
        "Kamau",
        "Achieng",
        "Mwangi",
        "Njeri",
        "Kiprono",
        "Chebet",
        "Omondi",
        "Wambui",
        "Mutua",
        "Kiptoo",
    ),
    given_female=_plain("Faith", "Mercy", "Purity", "Esther", "Caroline", "Winnie", "Sharon"),
    given_male=_plain("Brian", "Kevin", "Dennis", "Collins", "Victor", "Samuel", "Evans"),
)
MM_POOL = NamePool(
    family=(),
    given_female=(
        ("Thandar Win", ("Thandar Winn",), ""),
        ("Su Myat", ("Su Myatt",), ""),
        ("Hnin Wai", ("Hnin Way",), ""),
        ("Ei Phyu", ("Ei Phyo",), ""),
        ("Nilar Aung", (), ""),
        ("May Thu", ("Me Thu",), ""),
    ),
    given_male=(
        ("Aung Ko Ko", ("Aung Koko",), ""),
        ("Kyaw Zin", ("Kyaw Zinn",), ""),
        ("Min Thu", ("Min Thuu",), ""),
        ("Zaw Lin", ("Zaw Linn",), ""),
        ("Htet Aung", (), ""),
        ("Soe Naing", ("Soe Nai",), ""),
    ),
    mononym=1.0,
)
LA_POOL = NamePool(
    family=_plain(
        "Phommachanh",
        "Sisouphanh",
        "Vongsa",
        "Keomany",
        "Inthavong",
        "Soulivong",
        "Phanthavong",
        "Xayavong",
    ),
    given_female=(
        ("Khamla", ("Khamlar",), ""),
        ("Vilayvanh", ("Vilayvan",), ""),
        ("Noy", ("Noi",), ""),
        ("Souksavanh", ("Souksavan",), ""),
    ),
    given_male=(
        ("Somphone", ("Somphon",), ""),
        ("Bounmy", ("Bounmi",), ""),
        ("Phonesavanh", ("Phonsavan",), ""),
        ("Khamphet", (), ""),
    ),
)
KH_POOL = NamePool(
    family=KH_FAMILY, given_female=KH_GIVEN_FEMALE, given_male=KH_GIVEN_MALE, family_first=True
)

POOLS: dict[str, NamePool] = {
    "KH": KH_POOL,
    "CN": CN_POOL,
    "VN": VN_POOL,
    "TH": TH_POOL,
    "ID": ID_POOL,
    "MY": MY_POOL,
    "PH": PH_POOL,
    "KE": KE_POOL,
    "MM": MM_POOL,
    "LA": LA_POOL,
}


def canonical_names(nationality: str) -> dict[str, str]:
    """Every spelling of ``nationality``'s names (variants, native script; lower-case) → the
    canonical romanisation. Two records of one person share canonical names (ground truth)."""
    out: dict[str, str] = {}
    pool = POOLS[nationality]
    for entry in (*pool.family, *pool.given_female, *pool.given_male):
        for spelling in (entry[0], *entry[1], entry[2]):
            if spelling:
                out.setdefault(spelling.lower(), entry[0])
    return out

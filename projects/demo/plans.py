"""What the demo's projects, households, mentors and models are, and what happens to them: plain data.

A project lives on a current ward (``ward``, its GSO code) and, on a day before 1 July 2025, on the
former commune it was then (``former``; by default the former commune of the ward's own code, else
the ward's first predecessor). A day is a date, or so many days before the demo's today (moved back
to a working day). Founders and heads of households are named by CCCD: the demo's applicants
(``dossiers.demo.people``) keep theirs, so each person has one record; the others are ``Person``s,
recorded on their current ward when they first appear.

A household's plan runs from the day it is opened; its milestones, visits and the project's later
steps are so many days after that day, so a plan opened by the enrolment dossier of the dossiers demo
(``dossier``: how its summary starts) keeps its shape whatever the day the dossier was filed.
"""

import datetime
from dataclasses import dataclass

from dossiers.demo.people import (
    BAY,
    GAM,
    HAN,
    HAU,
    KHANG,
    KIM_LOAN,
    LOC,
    NAM,
    NGHIA,
    PHUC,
    QUANG,
    TAI,
    THANG,
    THAO,
    TRAM,
    TRI,
    TUYET,
    UT,
    YEN,
)
from projects.models import (
    FundingSource,
    Kind,
    Livelihood,
    Milestone,
    ReviewResult,
    Stage,
    StopReason,
    SupportKind,
)

Day = datetime.date | int  # a date, or so many days before today
D = datetime.date
MILLION = 1_000_000


@dataclass(frozen=True)
class Person:
    """A founder or a head of household the demo's dossiers do not know."""

    national_id: str
    full_name: str
    ward: str  # GSO code of the current ward
    phone: str
    address: str


@dataclass(frozen=True)
class Step:
    """The project reaches ``stage`` on ``on`` (stopped with ``reason``); "correct" undoes the last step."""

    stage: str
    on: Day
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Figures:
    capital_needed: int = 0
    own_capital: int = 0
    workers: int = 0
    jobs_planned: int = 0
    jobs_created: int = 0
    jobs_women: int = 0
    jobs_young: int = 0


@dataclass(frozen=True)
class Startup:
    name: str
    kind: str
    sector: str
    ward: str
    founders: tuple[str, ...]  # CCCD, the lead founder first
    registered: Day
    summary: str
    figures: Figures
    steps: tuple[Step, ...] = ()
    stage: str = Stage.IDEA  # where it was registered: an idea or a plan
    former: str = ""
    supports: int = 4  # supports given over its life, of every kind by turns
    dossier: str = ""  # a startup-support or loan dossier of the founder (how its summary starts)


@dataclass(frozen=True)
class Visit:
    """A visit ``after`` days from the plan's start; ``findings``: (milestone index, state, reason)."""

    after: int
    note: str
    findings: tuple[tuple[int, str, str], ...] = ()
    next_step: str = ""


@dataclass(frozen=True)
class Household:
    code: str  # household code on the commune's list
    head: str  # CCCD
    ward: str
    name: str  # the project's name
    livelihood: str
    sector: str
    description: str
    fundings: tuple[tuple[str, int], ...]
    inputs: tuple[tuple[str, int, str], ...]
    income: int  # expected income a month
    milestones: tuple[tuple[str, int, str], ...]  # title, days after the start, who supports it
    opened: Day = 0  # ignored when the plan comes with its enrolment dossier
    months: int = 18
    members: int = 4
    income_per_person: int = 1_150_000  # poor under 07/2021 and the 2026 example with 3 services lacked
    deprivations: int = 3
    category: str = "poor"
    former: str = ""
    approved_after: int | None = 10  # days after the start; None: still a draft
    steps: tuple[Step, ...] = ()  # after approval: days after the start (``on`` is an int offset)
    visits: tuple[Visit, ...] = ()
    reviews: tuple[tuple[int, str, str], ...] = ()  # year, result, note (reviewed on 15 December)
    dossier: str = ""  # the enrolment dossier of the dossiers demo (how its summary starts)
    decided_with_dossier: bool = False  # opened and approved when the dossier is decided


@dataclass(frozen=True)
class Mentor:
    full_name: str
    fields: str
    organisation: str
    wards: tuple[str, ...]
    phone: str
    email: str = ""
    availability: str = "available"
    public_consent: bool = True
    login: str = ""  # a demo login that is this mentor


@dataclass(frozen=True)
class Assignment:
    mentor: str
    project: str
    on: Day
    ended: Day | None = None
    sessions: tuple[tuple[int, str, str, str], ...] = ()  # days after, hours, topic, next step


@dataclass(frozen=True)
class Model:
    project: str
    title: str
    proposed: Day
    decided: Day | None
    yearly_revenue: int
    jobs: int
    years_operating: int
    evidence: str
    public_consent: bool = True


DONE, LATE, CHANGED = Milestone.State.DONE, Milestone.State.LATE, Milestone.State.CHANGED
OWN, FAMILY, PROGRAMME, POLICY_LOAN, SPONSOR = (
    FundingSource.OWN,
    FundingSource.FAMILY,
    FundingSource.PROGRAMME,
    FundingSource.POLICY_LOAN,
    FundingSource.SPONSOR,
)

PEOPLE = (
    Person(
        "083092004518",
        "Nguyễn Thị Thu Hà",
        "28981",
        "0977 402 318",
        "Ấp Cẩm Hòa, xã Hương Mỹ, tỉnh Vĩnh Long",
    ),
    Person("083087005629", "Lê Văn Tuấn", "28903", "0918 220 741", "Khu phố 5, xã Mỏ Cày, tỉnh Vĩnh Long"),
    Person(
        "083198006730", "Trần Thị Bảo Ngọc", "28957", "0355 318 904", "Ấp Tân Lộc, xã An Định, tỉnh Vĩnh Long"
    ),
    Person(
        "083091007841", "Đỗ Minh Khôi", "28810", "0909 615 287", "Ấp Tân Vinh, xã Phú Túc, tỉnh Vĩnh Long"
    ),
    Person(
        "083186008952",
        "Huỳnh Thị Kim Phượng",
        "28969",
        "0946 775 013",
        "Ấp Thạnh Lợi, xã Thành Thới, tỉnh Vĩnh Long",
    ),
    Person(
        "083099009163",
        "Phan Gia Bảo",
        "28756",
        "0388 912 456",
        "Số 27 đường Nguyễn Huệ, phường Phú Khương, tỉnh Vĩnh Long",
    ),
    Person("083077001274", "Võ Văn Đực", "29110", "0394 660 182", "Ấp An Lợi, xã Ba Tri, tỉnh Vĩnh Long"),
    Person(
        "083181002385",
        "Trương Thị Lài",
        "29143",
        "0366 207 519",
        "Ấp Mỹ Thạnh, xã An Ngãi Trung, tỉnh Vĩnh Long",
    ),
    Person(
        "083069003496", "Lê Văn Cò", "29122", "0972 115 604", "Ấp Mỹ Nhơn, xã Mỹ Chánh Hòa, tỉnh Vĩnh Long"
    ),
    Person(
        "083183004507", "Nguyễn Thị Út", "28894", "0961 483 227", "Ấp Phú Sơn, xã Vĩnh Thành, tỉnh Vĩnh Long"
    ),
    Person(
        "083074005618", "Đặng Văn Hên", "29227", "0387 550 946", "Ấp Giao Hòa, xã Thạnh Phong, tỉnh Vĩnh Long"
    ),
    Person("083190006729", "Châu Thị Mỹ", "28957", "0353 871 062", "Ấp Minh Đức, xã An Định, tỉnh Vĩnh Long"),
    Person(
        "083065007830", "Trần Văn Chót", "29182", "0919 306 475", "Ấp An Thạnh, xã Thạnh Phú, tỉnh Vĩnh Long"
    ),
    Person(
        "083188008941", "Lâm Thị Diệu", "29143", "0398 225 173", "Ấp An Phú, xã An Ngãi Trung, tỉnh Vĩnh Long"
    ),
    Person(
        "083082009052", "Mai Văn Nhỏ", "29044", "0347 662 908", "Ấp Hưng Lễ, xã Hưng Nhượng, tỉnh Vĩnh Long"
    ),
    Person(
        "083196001163",
        "Hồ Thị Ngọc Hân",
        "28987",
        "0935 416 720",
        "Ấp Phong Điền, xã Lương Hòa, tỉnh Vĩnh Long",
    ),
)
(
    THU_HA,
    TUAN,
    BAO_NGOC,
    KHOI,
    PHUONG,
    GIA_BAO,
    DUC,
    LAI,
    CO,
    NGUYEN_UT,
    HEN,
    MY,
    CHOT,
    DIEU,
    NHO,
    NGOC_HAN,
) = (person.national_id for person in PEOPLE)

CANDY_MODEL = "Kẹo dừa Ngọc Hân"
GOAT_MODEL = "Nuôi dê sinh sản – hộ ông Võ Văn Đực"

STARTUPS = (
    # Coconut products of Mỏ Cày.
    Startup(
        CANDY_MODEL,
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "28903",
        (HAN,),
        D(2016, 9, 12),
        "Kẹo dừa truyền thống và kẹo dừa sữa, nấu thủ công bằng nước cốt dừa Mỏ Cày.",
        Figures(900 * MILLION, 400 * MILLION, 14, 12, 12, 9, 5),
        (
            Step(Stage.PLAN, D(2016, 11, 7)),
            Step(Stage.STARTED, D(2017, 2, 6), "Nhận hỗ trợ máy cắt kẹo, bắt đầu nấu mẻ đầu."),
            Step(Stage.OPERATING, D(2017, 9, 4)),
            Step(Stage.GROWING, D(2020, 6, 15), "Có mã số mã vạch, bán tại siêu thị trong tỉnh."),
        ),
        supports=8,
    ),
    Startup(
        "Thạch dừa hữu cơ Trí Việt",
        Kind.STARTUP,
        "C",
        "28756",
        (TRI,),
        D(2018, 3, 19),
        "Thạch dừa hữu cơ từ nước dừa tươi, xuất khẩu sang Nhật Bản và Hàn Quốc.",
        Figures(3_500 * MILLION, 1_500 * MILLION, 25, 20, 22, 15, 10),
        (
            Step(Stage.STARTED, D(2018, 8, 6)),
            Step(Stage.OPERATING, D(2019, 4, 1)),
            Step(Stage.GROWING, D(2023, 5, 8), "Mở dây chuyền thứ hai, đạt chứng nhận hữu cơ."),
        ),
        stage=Stage.PLAN,
        supports=6,
        dossier="Hỗ trợ mở rộng dây chuyền sản xuất thạch dừa",
    ),
    Startup(
        "Chỉ xơ dừa Cao Thắng",
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "28957",
        (THANG,),
        D(2017, 5, 22),
        "Se chỉ xơ dừa và dệt thảm xơ dừa cho các công trình chống xói lở.",
        Figures(1_200 * MILLION, 700 * MILLION, 18, 15, 16, 10, 4),
        (
            Step(Stage.PLAN, D(2017, 6, 12)),
            Step(Stage.STARTED, D(2017, 10, 2)),
            Step(Stage.OPERATING, D(2018, 3, 5)),
        ),
        supports=5,
    ),
    # Nurseries, bonsai and fruit gardens of Chợ Lách.
    Startup(
        "Bonsai mini Hậu Sơn Định",
        Kind.INNOVATIVE,
        "A",
        "28879",
        (HAU,),
        D(2019, 8, 5),
        "Bonsai mini và cây kiểng để bàn, bán trực tuyến khắp cả nước, giao hàng trong chậu tự tưới.",
        Figures(650 * MILLION, 300 * MILLION, 8, 8, 7, 4, 5),
        (
            Step(Stage.PLAN, D(2019, 9, 9)),
            Step(Stage.STARTED, D(2020, 3, 2)),
            Step(Stage.OPERATING, D(2021, 1, 11)),
            Step(Stage.GROWING, 220, "Mở thêm nhà vườn thứ hai, đơn hàng tăng gấp đôi."),
        ),
        former="28876",
        supports=6,
        dossier="Hỗ trợ phát triển dự án bonsai mini",
    ),
    Startup(
        "Vườn ươm cây giống Minh Quang",
        Kind.STARTUP,
        "A",
        "28901",
        (QUANG,),
        D(2017, 3, 13),
        "Cây giống sầu riêng, bưởi da xanh và chôm chôm sạch bệnh, có chứng nhận nguồn gốc.",
        Figures(2_000 * MILLION, 900 * MILLION, 12, 10, 11, 5, 3),
        (
            Step(Stage.PLAN, D(2017, 4, 3)),
            Step(Stage.STARTED, D(2017, 9, 11)),
            Step(Stage.OPERATING, D(2018, 6, 4)),
        ),
        former="28897",
        supports=5,
        dossier="Vay vốn xây nhà lưới sản xuất cây giống",
    ),
    Startup(
        "Hoa kiểng Hồng Gấm",
        Kind.STARTUP,
        "A",
        "28879",
        (GAM,),
        D(2016, 10, 3),
        "Hoa kiểng và cây công trình cho các dự án cảnh quan ở Thành phố Hồ Chí Minh.",
        Figures(1_500 * MILLION, 800 * MILLION, 10, 8, 9, 6, 2),
        (
            Step(Stage.PLAN, D(2016, 12, 5)),
            Step(Stage.STARTED, D(2017, 4, 10)),
            Step(Stage.OPERATING, D(2018, 1, 8)),
            Step(Stage.GROWING, D(2024, 10, 14), "Thành lập công ty, ký hợp đồng cung cấp cây công trình."),
        ),
        former="28876",
        supports=6,
    ),
    Startup(
        "Sầu riêng Cái Mơn Út Phạm",
        Kind.IDEA,
        "A",
        "28870",
        (UT,),
        D(2025, 5, 26),
        "Vườn sầu riêng Cái Mơn bán trực tiếp cho khách du lịch và qua mạng; tổ hỗ trợ hướng dẫn "
        "đăng ký như một dự án khởi nghiệp sau khi hồ sơ chuyển đổi bị từ chối.",
        Figures(400 * MILLION, 150 * MILLION, 3, 4),
        (Step(Stage.PLAN, 150),),
        supports=2,
    ),
    # Fish, shrimp and clams along the coast.
    Startup(
        "Hợp tác xã nghêu sạch Thu Thảo",
        Kind.COOPERATIVE,
        "A",
        "29050",
        (THAO,),
        D(2019, 11, 4),
        "Nuôi nghêu thương phẩm theo chuẩn VietGAP với 24 xã viên, bán cho nhà máy chế biến.",
        Figures(2_400 * MILLION, 600 * MILLION, 30, 24, 26, 14, 6),
        (
            Step(Stage.PLAN, D(2019, 12, 9)),
            Step(Stage.STARTED, D(2020, 6, 1)),
            Step(Stage.OPERATING, D(2021, 3, 8)),
        ),
        supports=5,
        dossier="Vay vốn mở rộng bãi nuôi nghêu",
    ),
    Startup(
        "Tôm sú sinh thái Phúc Thạnh",
        Kind.HOUSEHOLD_BUSINESS,
        "A",
        "29182",
        (PHUC,),
        D(2022, 2, 14),
        "Tôm sú nuôi quảng canh dưới tán rừng đước, theo mô hình tôm – lúa sinh thái.",
        Figures(800 * MILLION, 350 * MILLION, 5, 4, 4, 1, 1),
        (Step(Stage.PLAN, D(2022, 3, 7)), Step(Stage.STARTED, 45, "Cải tạo ao xong, thả giống vụ đầu.")),
        supports=4,
        dossier="Vay vốn cải tạo ao nuôi tôm sú",
    ),
    Startup(
        "Cá khô Tài Lộc",
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "29077",
        (TAI,),
        D(2018, 7, 16),
        "Cá khô một nắng và khô cá dứa đóng gói hút chân không.",
        Figures(300 * MILLION, 200 * MILLION, 4, 4, 3, 2, 0),
        (
            Step(Stage.STARTED, D(2018, 10, 1)),
            Step(Stage.OPERATING, D(2019, 5, 6)),
            Step(
                Stage.STOPPED, D(2021, 9, 20), "Dịch bệnh, mất mối bán cho khách du lịch.", StopReason.MARKET
            ),
        ),
        stage=Stage.PLAN,
        supports=3,
    ),
    # Homestays on the islets: Cồn Phụng and Cồn Quy.
    Startup(
        "Du lịch sinh thái Cồn Phụng Xanh",
        Kind.STARTUP,
        "I",
        "28810",
        (NAM, KHOI),
        D(2024, 4, 8),
        "Homestay và tour trải nghiệm làm kẹo dừa, chèo xuồng trên rạch ở Cồn Phụng.",
        Figures(1_800 * MILLION, 700 * MILLION, 9, 12, 9, 5, 6),
        (
            Step(Stage.PLAN, D(2024, 5, 13)),
            Step(Stage.STARTED, D(2024, 12, 2)),
            Step(Stage.OPERATING, 160, "Đón đoàn khách quốc tế đầu tiên."),
        ),
        former="28804",
        supports=5,
        dossier="Hỗ trợ dự án du lịch trải nghiệm",
    ),
    Startup(
        "Homestay vườn Cồn Quy",
        Kind.HOUSEHOLD_BUSINESS,
        "I",
        "28969",
        (PHUONG,),
        D(2023, 6, 5),
        "Homestay trong vườn dừa và ca cao ở Cồn Quy, bữa cơm quê và lớp làm bánh dân gian.",
        Figures(600 * MILLION, 350 * MILLION, 5, 5, 5, 4, 2),
        (
            Step(Stage.PLAN, D(2023, 7, 3)),
            Step(Stage.STARTED, D(2023, 12, 4)),
            Step(Stage.OPERATING, D(2024, 6, 10)),
        ),
        former="28960",
        supports=4,
    ),
    # Technology startups.
    Startup(
        "Ứng dụng truy xuất nguồn gốc Khang Nông",
        Kind.INNOVATIVE,
        "J",
        "28777",
        (KHANG, GIA_BAO),
        D(2021, 3, 22),
        "Ứng dụng điện thoại truy xuất nguồn gốc trái cây và cây giống cho các hợp tác xã.",
        Figures(2_500 * MILLION, 800 * MILLION, 11, 12, 10, 3, 8),
        (
            Step(Stage.PLAN, D(2021, 4, 19)),
            Step(Stage.STARTED, D(2021, 10, 4)),
            Step(Stage.OPERATING, D(2022, 8, 1)),
            Step(Stage.GROWING, 90, "Có 40 hợp tác xã dùng ứng dụng, gọi vốn vòng hạt giống."),
        ),
        supports=7,
        dossier="Vay vốn phát triển ứng dụng truy xuất",
    ),
    Startup(
        "Chợ quê Xứ Dừa trực tuyến",
        Kind.STARTUP,
        "G",
        "29044",
        (BAO_NGOC, TRAM),
        D(2024, 8, 19),
        "Cửa hàng thương mại điện tử bán đặc sản địa phương: bánh phồng Sơn Đốc, kẹo dừa, mắm, trái cây.",
        Figures(500 * MILLION, 200 * MILLION, 6, 8, 6, 4, 5),
        (
            Step(Stage.PLAN, D(2024, 9, 16)),
            Step(Stage.STARTED, 120, "Mở gian hàng trên hai sàn thương mại điện tử."),
        ),
        supports=4,
        dossier="Hỗ trợ đóng gói, in nhãn và đưa bánh phồng",
    ),
    Startup(
        "Nước mắm cá cơm Ngọc Yến",
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "29110",
        (YEN,),
        D(2019, 3, 4),
        "Nước mắm cá cơm ủ chượp truyền thống Ba Tri, đóng chai thủy tinh.",
        Figures(700 * MILLION, 400 * MILLION, 6, 5, 5, 3, 1),
        (
            Step(Stage.PLAN, D(2019, 4, 1)),
            # Started by mistake: the vats were not ready; corrected and started again.
            Step(Stage.STARTED, D(2019, 6, 3)),
            Step("correct", D(2019, 6, 17), "Ghi nhầm: chượp chưa ủ xong, cơ sở chưa bắt đầu sản xuất."),
            Step(Stage.STARTED, D(2019, 9, 2)),
            Step(Stage.OPERATING, D(2020, 5, 4)),
        ),
        supports=4,
        dossier="Hỗ trợ xây dựng thương hiệu và mã số mã vạch",
    ),
    # Replications of the coconut candy model, before and after the reform.
    Startup(
        "Kẹo dừa lá dứa Thu Hà",
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "28981",
        (THU_HA,),
        D(2023, 4, 10),
        "Kẹo dừa lá dứa và kẹo dừa đậu phộng theo cách làm của cơ sở Ngọc Hân.",
        Figures(350 * MILLION, 200 * MILLION, 6, 5, 5, 4, 2),
        (
            Step(Stage.PLAN, D(2023, 5, 8)),
            Step(Stage.STARTED, D(2023, 9, 11)),
            Step(Stage.OPERATING, D(2024, 4, 1)),
        ),
        former="28978",
        supports=4,
    ),
    Startup(
        "Kẹo dừa sữa Tuấn Mỏ Cày",
        Kind.HOUSEHOLD_BUSINESS,
        "C",
        "28903",
        (TUAN,),
        300,
        "Kẹo dừa sữa và bánh tráng dừa, học nghề và dùng chung nhãn hiệu tập thể với cơ sở Ngọc Hân.",
        Figures(250 * MILLION, 120 * MILLION, 4, 4, 3, 2, 2),
        (Step(Stage.PLAN, 270), Step(Stage.STARTED, 150)),
        former="28940",
        supports=3,
    ),
    Startup(
        "Kẹo dừa Bảo Ngọc An Định",
        Kind.IDEA,
        "C",
        "28957",
        (BAO_NGOC,),
        90,
        "Kẹo dừa ít đường cho khách du lịch, theo mô hình kẹo dừa Ngọc Hân.",
        Figures(150 * MILLION, 60 * MILLION, 2, 3),
        (Step(Stage.PLAN, 40),),
        supports=2,
    ),
)

HOUSEHOLDS = (
    # The goat model: a 2022 household that escaped and grew into a breeding farm.
    Household(
        "BT-T22-0317",
        DUC,
        "29110",
        GOAT_MODEL,
        Livelihood.GOATS,
        "A",
        "Nuôi dê sinh sản giống Bách Thảo trên đất giồng cát, trồng cỏ xen dưới tán dừa.",
        ((OWN, 6 * MILLION), (PROGRAMME, 12 * MILLION), (POLICY_LOAN, 20 * MILLION)),
        (("4 dê cái và 1 dê đực giống Bách Thảo", 18 * MILLION, "Chương trình khởi nghiệp thoát nghèo"),),
        4 * MILLION,
        (
            ("Làm chuồng sàn cao ráo", 30, "Tổ hỗ trợ xã"),
            ("Nhận dê giống, tiêm phòng", 60, "Trạm Thú y huyện Ba Tri"),
            ("Trồng 1.000 m² cỏ voi", 90, "Hội Nông dân xã"),
            ("Lứa dê con đầu tiên", 240, "Cán bộ khuyến nông"),
        ),
        opened=D(2022, 3, 7),
        members=5,
        former="29173",
        steps=(
            Step(Stage.STARTED, 35),
            Step(Stage.OPERATING, 250),
            Step(Stage.GROWING, 800, "Đàn 40 con, bán dê giống cho các hộ trong xã."),
        ),
        visits=(
            Visit(32, "Chuồng đã làm xong, đúng thiết kế.", ((0, DONE, ""),)),
            Visit(61, "Dê giống khỏe, đã tiêm phòng đủ.", ((1, DONE, ""),)),
            Visit(95, "Cỏ đã trồng, phát triển tốt.", ((2, DONE, ""),)),
            Visit(243, "Đàn có 6 dê con.", ((3, DONE, ""),), "Hướng dẫn chọn con giống để bán."),
        ),
        reviews=(
            (2022, ReviewResult.NEAR_POOR, "Thu nhập tăng, còn thiếu hai chỉ số dịch vụ."),
            (2023, ReviewResult.ESCAPED, "Bán dê giống, thu nhập vượt chuẩn."),
            (2024, ReviewResult.ESCAPED, ""),
        ),
    ),
    # A goat replication before the reform.
    Household(
        "BT-T23-0142",
        LAI,
        "29143",
        "Nuôi dê thịt – hộ bà Trương Thị Lài",
        Livelihood.GOATS,
        "A",
        "Nuôi dê thịt theo mô hình của hộ ông Đực, mua dê giống của hộ ông.",
        ((OWN, 4 * MILLION), (PROGRAMME, 10 * MILLION), (POLICY_LOAN, 15 * MILLION)),
        (("3 dê cái giống", 12 * MILLION, "Hộ ông Võ Văn Đực (mô hình)"),),
        3 * MILLION,
        (
            ("Làm chuồng", 30, "Tổ hỗ trợ xã"),
            ("Nhận dê giống", 45, "Hộ ông Võ Văn Đực"),
            ("Bán lứa dê thịt đầu", 300, "Hợp tác xã chăn nuôi"),
        ),
        opened=D(2023, 3, 13),
        former="29131",
        steps=(Step(Stage.STARTED, 40), Step(Stage.OPERATING, 310)),
        visits=(
            Visit(31, "Chuồng làm xong.", ((0, DONE, ""),)),
            Visit(50, "Đã nhận 3 dê cái.", ((1, DONE, ""),)),
            Visit(305, "Bán 5 con dê thịt.", ((2, DONE, ""),)),
        ),
        reviews=((2023, ReviewResult.STILL_POOR, ""), (2024, ReviewResult.ESCAPED, "")),
    ),
    # Cows: escaped in 2024, fell back in 2025 when the herd fell ill.
    Household(
        "BT-T23-0088",
        CO,
        "29122",
        "Nuôi bò sinh sản – hộ ông Lê Văn Cò",
        Livelihood.CATTLE,
        "A",
        "Nuôi 2 bò cái sinh sản giống lai Sind, vỗ béo bê bán.",
        ((OWN, 5 * MILLION), (POLICY_LOAN, 50 * MILLION), (PROGRAMME, 15 * MILLION)),
        (("Bò cái giống lai Sind", 30 * MILLION, "Chương trình khởi nghiệp thoát nghèo"),),
        3_500_000,
        (
            ("Làm chuồng bò", 30, "Tổ hỗ trợ xã"),
            ("Mua 2 bò cái", 60, "Ngân hàng Chính sách xã hội"),
            ("Phối giống", 150, "Dẫn tinh viên huyện Ba Tri"),
            ("Bê đầu tiên", 450, "Cán bộ thú y"),
        ),
        opened=D(2023, 2, 6),
        months=20,
        former="29116",
        steps=(
            Step(Stage.STARTED, 65),
            Step(Stage.OPERATING, 460),
            Step(Stage.STOPPED, 880, "Bò bệnh lở mồm long móng, bán đàn trả nợ.", StopReason.WEATHER),
        ),
        visits=(
            Visit(33, "Chuồng xong.", ((0, DONE, ""),)),
            Visit(62, "Đã mua 2 bò.", ((1, DONE, ""),)),
            Visit(160, "Phối giống thành công.", ((2, DONE, ""),)),
            Visit(455, "Bò cái đẻ bê đực.", ((3, DONE, ""),)),
        ),
        reviews=(
            (2023, ReviewResult.NEAR_POOR, ""),
            (2024, ReviewResult.ESCAPED, "Bán bê, thu nhập vượt chuẩn."),
            (2025, ReviewResult.FELL_BACK, "Đàn bò bệnh, phải bán trả nợ vay."),
        ),
    ),
    # Straw mushrooms: still poor after the first year, escaped the next.
    Household(
        "BT-T24-0203",
        NGUYEN_UT,
        "28894",
        "Trồng nấm rơm – hộ bà Nguyễn Thị Út",
        Livelihood.MUSHROOMS,
        "A",
        "Trồng nấm rơm trong nhà che bằng rơm và bã mía, bán cho chợ Chợ Lách.",
        ((OWN, 3 * MILLION), (PROGRAMME, 8 * MILLION), (SPONSOR, 4 * MILLION)),
        (
            ("Meo giống nấm rơm và rơm khô", 6 * MILLION, "Trung tâm Khuyến nông"),
            ("Bạt, lưới che nhà nấm", 5 * MILLION, "Công ty TNHH Nông sản Chợ Lách"),
        ),
        2_800_000,
        (
            ("Dựng nhà nấm", 20, "Đoàn Thanh niên xã"),
            ("Thu hoạch lứa đầu", 60, "Cán bộ khuyến nông"),
            ("Bán cho thương lái ổn định", 180, "Hội Phụ nữ xã"),
        ),
        opened=D(2024, 3, 4),
        months=12,
        former="28888",
        steps=(Step(Stage.STARTED, 22), Step(Stage.OPERATING, 190)),
        visits=(
            Visit(21, "Nhà nấm dựng xong.", ((0, DONE, ""),)),
            Visit(66, "Lứa đầu 80 kg, năng suất thấp do mưa.", ((1, DONE, ""),)),
            Visit(
                175,
                "Chưa có mối bán ổn định.",
                ((2, CHANGED, "Thương lái ngừng thu mua mùa mưa; tìm mối mới."),),
            ),
        ),
        reviews=((2024, ReviewResult.STILL_POOR, ""), (2025, ReviewResult.ESCAPED, "")),
    ),
    # The enrolments of the dossiers demo, decided with their approved plans.
    Household(
        "BT-T25-0051",
        BAY,
        "28894",
        "Nuôi gà thả vườn – hộ ông Trần Văn Bảy",
        Livelihood.POULTRY,
        "A",
        "Nuôi 300 con gà thả vườn dưới tán vườn chôm chôm.",
        ((OWN, 5 * MILLION), (POLICY_LOAN, 30 * MILLION)),
        (("300 gà giống và 2 tạ cám", 15 * MILLION, "Ngân hàng Chính sách xã hội"),),
        3 * MILLION,
        (
            ("Làm chuồng và rào vườn", 20, "Tổ hỗ trợ xã"),
            ("Thả 300 gà giống", 40, "Trạm Thú y"),
            ("Xuất bán lứa gà đầu", 150, "Hội Nông dân xã"),
        ),
        months=12,
        former="28894",
        dossier="Đăng ký nuôi gà thả vườn",
        decided_with_dossier=True,
        steps=(Step(Stage.STARTED, 25), Step(Stage.OPERATING, 160)),
        visits=(
            Visit(20, "Chuồng và rào xong.", ((0, DONE, ""),)),
            Visit(45, "Đã thả 300 gà.", ((1, DONE, ""),)),
            Visit(155, "Bán 250 gà, lãi 18 triệu đồng.", ((2, DONE, ""),)),
        ),
        reviews=((2025, ReviewResult.ESCAPED, "Thu nhập vượt chuẩn nhờ bán gà."),),
    ),
    Household(
        "BT-T25-0133",
        LOC,
        "29125",
        "Nuôi bò sinh sản Ba Tri – hộ ông Ngô Văn Lộc",
        Livelihood.CATTLE,
        "A",
        "Nuôi 2 bò cái giống bò Ba Tri, trồng cỏ trên đất giồng.",
        ((OWN, 10 * MILLION), (POLICY_LOAN, 60 * MILLION)),
        (("2 bò cái giống bò Ba Tri", 60 * MILLION, "Ngân hàng Chính sách xã hội"),),
        3_200_000,
        (
            ("Làm chuồng, trồng cỏ", 30, "Tổ hỗ trợ xã"),
            ("Mua 2 bò cái", 60, "Ngân hàng Chính sách xã hội"),
            ("Phối giống", 150, "Dẫn tinh viên"),
        ),
        months=15,
        dossier="Đăng ký nuôi bò sinh sản",
        decided_with_dossier=True,
        steps=(Step(Stage.STARTED, 35),),
        visits=(
            Visit(31, "Chuồng xong, cỏ đã trồng.", ((0, DONE, ""),)),
            Visit(
                75,
                "Chưa mua được bò: giá bò giống tăng.",
                ((1, LATE, "Giá bò giống tăng, chờ giải ngân đợt hai."),),
                "Hỏi Ngân hàng Chính sách xã hội về đợt giải ngân hai.",
            ),
        ),
    ),
    Household(
        "BT-T25-0209",
        TUYET,
        "28987",
        "Trồng bưởi da xanh – hộ bà Nguyễn Thị Thanh Tuyết",
        Livelihood.FRUIT,
        "A",
        "Trồng 200 gốc bưởi da xanh, xen rau màu trong 2 năm đầu.",
        ((OWN, 8 * MILLION), (POLICY_LOAN, 50 * MILLION)),
        (("200 cây bưởi da xanh giống", 16 * MILLION, "Vườn ươm cây giống Minh Quang"),),
        2_500_000,
        (
            ("Lên liếp, đào mương", 20, "Hội Nông dân xã"),
            ("Trồng 200 gốc bưởi", 45, "Cán bộ khuyến nông"),
            ("Thu rau màu xen lứa đầu", 90, "Hội Phụ nữ xã"),
        ),
        months=24,
        dossier="Đăng ký trồng 200 gốc bưởi",
        decided_with_dossier=True,
        steps=(Step(Stage.STARTED, 25),),
        visits=(Visit(22, "Đã lên liếp xong.", ((0, DONE, ""),)),),
    ),
    # A grocery stall, late on its milestones.
    Household(
        "VL-26-0412",
        HEN,
        "29227",
        "Tạp hóa nhỏ – hộ ông Đặng Văn Hên",
        Livelihood.SHOP,
        "G",
        "Mở quầy tạp hóa nhỏ trước nhà, bán hàng thiết yếu cho xóm.",
        ((OWN, 4 * MILLION), (PROGRAMME, 6 * MILLION), (POLICY_LOAN, 20 * MILLION)),
        (("Tủ kệ và hàng hóa ban đầu", 10 * MILLION, "Chương trình khởi nghiệp thoát nghèo"),),
        3 * MILLION,
        (
            ("Sửa hiên nhà làm quầy", 20, "Đoàn Thanh niên xã"),
            ("Nhập hàng lần đầu, khai trương", 35, "Hội Phụ nữ xã"),
            ("Ghi sổ thu chi đủ 3 tháng", 130, "Cán bộ tổ hỗ trợ"),
        ),
        opened=170,
        months=12,
        former="29230",
        steps=(Step(Stage.STARTED, 38),),
        visits=(
            Visit(25, "Hiên nhà đã sửa.", ((0, DONE, ""),)),
            Visit(
                45,
                "Chưa khai trương: chưa giải ngân vốn vay.",
                ((1, LATE, "Chưa nhận vốn vay."),),
                "Liên hệ Ngân hàng Chính sách xã hội.",
            ),
            Visit(140, "Quầy bán được nhưng chưa ghi sổ thu chi.", ((2, LATE, "Hộ chưa quen ghi sổ."),)),
        ),
    ),
    # A goat replication after the reform, on the 2026 list.
    Household(
        "VL-26-0227",
        CHOT,
        "29182",
        "Nuôi dê – hộ ông Trần Văn Chót",
        Livelihood.GOATS,
        "A",
        "Nuôi dê sinh sản theo mô hình của hộ ông Võ Văn Đực ở Ba Tri.",
        ((OWN, 4 * MILLION), (PROGRAMME, 12 * MILLION), (POLICY_LOAN, 15 * MILLION)),
        (("3 dê cái và 1 dê đực giống", 14 * MILLION, "Hộ ông Võ Văn Đực (mô hình)"),),
        3 * MILLION,
        (
            ("Làm chuồng", 20, "Tổ hỗ trợ xã"),
            ("Nhận dê giống", 40, "Hộ ông Võ Văn Đực"),
            ("Lứa dê con đầu", 220, "Cán bộ thú y"),
        ),
        opened=120,
        income_per_person=1_350_000,
        deprivations=4,
        former="29200",
        steps=(Step(Stage.STARTED, 25),),
        visits=(Visit(21, "Chuồng xong.", ((0, DONE, ""),)), Visit(42, "Đã nhận dê.", ((1, DONE, ""),))),
    ),
    # Mushrooms on track, after the reform.
    Household(
        "VL-26-0318",
        MY,
        "28957",
        "Trồng nấm bào ngư – hộ bà Châu Thị Mỹ",
        Livelihood.MUSHROOMS,
        "A",
        "Trồng nấm bào ngư trên phôi mạt cưa trong nhà lưới nhỏ.",
        ((OWN, 3 * MILLION), (PROGRAMME, 9 * MILLION)),
        (("1.000 bịch phôi nấm bào ngư", 9 * MILLION, "Trung tâm Khuyến nông"),),
        2_600_000,
        (
            ("Dựng nhà lưới", 15, "Đoàn Thanh niên xã"),
            ("Nhận phôi, treo giàn", 25, "Cán bộ khuyến nông"),
            ("Thu hoạch lứa đầu", 60, "Hội Phụ nữ xã"),
        ),
        opened=80,
        months=12,
        income_per_person=1_400_000,
        deprivations=1,
        category="near_poor",
        former="28972",
        steps=(Step(Stage.STARTED, 16),),
        visits=(
            Visit(15, "Nhà lưới xong.", ((0, DONE, ""),)),
            Visit(26, "Đã treo 1.000 bịch phôi.", ((1, DONE, ""),)),
            Visit(61, "Thu lứa đầu 60 kg.", ((2, DONE, ""),)),
        ),
    ),
    # Plans still being written for the enrolments in progress.
    Household(
        "VL-26-0102",
        KIM_LOAN,
        "28894",
        "Sầu riêng xen nuôi ong – hộ bà Đặng Thị Kim Loan",
        Livelihood.FRUIT,
        "A",
        "Trồng xen 60 gốc sầu riêng và nuôi 10 thùng ong trong vườn chôm chôm.",
        ((OWN, 6 * MILLION), (POLICY_LOAN, 40 * MILLION)),
        (),
        3 * MILLION,
        (("Trồng 60 gốc sầu riêng", 40, "Hội Nông dân xã"),),
        opened=30,
        income_per_person=1_300_000,
        deprivations=4,
        approved_after=None,
        dossier="Đăng ký trồng xen sầu riêng",
    ),
    Household(
        "VL-26-0155",
        NGHIA,
        "28861",
        "Nuôi dê thịt – hộ ông Tô Văn Nghĩa",
        Livelihood.GOATS,
        "A",
        "Nuôi dê thịt, mua dê giống của hộ ông Võ Văn Đực.",
        ((OWN, 3 * MILLION), (POLICY_LOAN, 20 * MILLION)),
        (("3 dê giống", 12 * MILLION, "Hộ ông Võ Văn Đực (mô hình)"),),
        2_500_000,
        (),
        opened=3,
        approved_after=None,
        dossier="Đăng ký nuôi dê thịt",
    ),
)

MENTORS = (
    Mentor(
        "Trần Quốc Việt",
        "Chế biến thực phẩm, sản phẩm từ dừa, tiêu chuẩn OCOP",
        "Trường Đại học Cần Thơ",
        ("28903", "28981", "28957", "28756"),
        "0913 208 446",
        "covan@khoinghiep.vinhlong.example",
        login="covan",
    ),
    Mentor(
        "Nguyễn Thị Mai Phương",
        "Thương mại điện tử, tiếp thị số, xây dựng thương hiệu",
        "Hiệp hội Doanh nghiệp tỉnh Vĩnh Long",
        ("29044", "28777", "28756"),
        "0909 417 255",
        "maiphuong@hiephoidn.example",
    ),
    Mentor(
        "Lê Văn Hai",
        "Chăn nuôi dê, bò; thú y",
        "Trung tâm Dịch vụ nông nghiệp Ba Tri",
        ("29110", "29143", "29122", "29125", "29182"),
        "0918 662 730",
    ),
    Mentor(
        "Phạm Minh Tuấn",
        "Nuôi trồng thủy sản, tôm – lúa, nghêu",
        "Viện Nghiên cứu Nuôi trồng thủy sản II",
        ("29050", "29182", "29227"),
        "0938 114 509",
        availability="limited",
    ),
    Mentor(
        "Võ Thị Thanh Hương",
        "Du lịch cộng đồng, homestay",
        "Hiệp hội Du lịch tỉnh",
        ("28810", "28969"),
        "0946 205 118",
    ),
    Mentor(
        "Đoàn Văn Kiệt",
        "Hoa kiểng, bonsai, cây giống",
        "Hợp tác xã Hoa kiểng Cái Mơn",
        ("28870", "28879", "28901", "28894"),
        "0907 551 824",
        availability="limited",
        public_consent=False,
    ),
)
VIET, MAI_PHUONG, HAI, MINH_TUAN, THANH_HUONG, KIET = (mentor.full_name for mentor in MENTORS)

ASSIGNMENTS = (
    Assignment(
        VIET,
        CANDY_MODEL,
        D(2023, 2, 6),
        sessions=(
            (14, "2", "Chuẩn hóa quy trình nấu kẹo để đạt OCOP 4 sao", "Gửi hồ sơ OCOP"),
            (120, "3", "Bao bì và hạn sử dụng cho kênh siêu thị", ""),
        ),
    ),
    Assignment(
        VIET,
        "Kẹo dừa lá dứa Thu Hà",
        D(2023, 6, 5),
        sessions=((20, "2", "Học cách nấu kẹo lá dứa ở cơ sở Ngọc Hân", "Thử nấu 3 mẻ"),),
    ),
    Assignment(
        VIET,
        "Kẹo dừa sữa Tuấn Mỏ Cày",
        200,
        sessions=((30, "1.5", "Chi phí nguyên liệu và giá bán", "Lập bảng giá thành"),),
    ),
    Assignment(VIET, "Thạch dừa hữu cơ Trí Việt", D(2022, 9, 5), ended=D(2024, 3, 4)),
    Assignment(
        MAI_PHUONG,
        "Ứng dụng truy xuất nguồn gốc Khang Nông",
        D(2022, 3, 7),
        sessions=((10, "2", "Mô hình thu phí hợp tác xã", "Thử gói miễn phí 3 tháng"),),
    ),
    Assignment(
        HAI,
        GOAT_MODEL,
        D(2022, 3, 14),
        sessions=((60, "3", "Tiêm phòng và chọn dê giống", ""), (400, "2", "Bán dê giống cho hộ khác", "")),
    ),
    Assignment(HAI, "Nuôi dê – hộ ông Trần Văn Chót", 100, sessions=((20, "2", "Làm chuồng sàn", ""),)),
    Assignment(
        MINH_TUAN,
        "Tôm sú sinh thái Phúc Thạnh",
        D(2022, 4, 4),
        sessions=((30, "2", "Cải tạo ao, mật độ thả", "Đo độ mặn hằng tuần"),),
    ),
    Assignment(
        THANH_HUONG,
        "Du lịch sinh thái Cồn Phụng Xanh",
        D(2024, 6, 3),
        sessions=((25, "3", "Thiết kế tour nửa ngày", "Chụp ảnh giới thiệu"),),
    ),
    Assignment(THANH_HUONG, "Homestay vườn Cồn Quy", D(2023, 8, 7)),
    Assignment(
        KIET, "Bonsai mini Hậu Sơn Định", D(2020, 4, 6), sessions=((40, "2", "Kỹ thuật tạo dáng", ""),)
    ),
)
# Mai Phương's sister is a founder of the online shop: she declared it and is never assigned there.
CONFLICTS = ((MAI_PHUONG, "Chợ quê Xứ Dừa trực tuyến", "Em gái là đồng sáng lập của cửa hàng.", 100),)

MODELS = (
    Model(
        CANDY_MODEL,
        "Kẹo dừa thủ công đạt OCOP 4 sao",
        D(2024, 3, 11),
        D(2024, 4, 15),
        6_500 * MILLION,
        12,
        7,
        "Từ hộ nấu kẹo thủ công thành cơ sở 14 lao động, 9 lao động nữ; đạt OCOP 4 sao, bán ở siêu thị "
        "trong và ngoài tỉnh. Bài học: chuẩn hóa quy trình, dùng chung nhãn hiệu tập thể.",
    ),
    Model(
        GOAT_MODEL,
        "Nuôi dê sinh sản thoát nghèo trên đất giồng cát",
        D(2024, 9, 9),
        D(2024, 10, 14),
        180 * MILLION,
        2,
        2,
        "Hộ nghèo năm 2022 thoát nghèo sau một năm, nay có đàn 40 con và bán dê giống cho các hộ trong "
        "xã. Bài học: trồng cỏ trước khi nhận dê, bán con giống cho hộ khác.",
    ),
    Model(
        "Hoa kiểng Hồng Gấm",
        "Hoa kiểng công trình Chợ Lách",
        25,
        None,
        4_200 * MILLION,
        9,
        8,
        "Cung cấp cây công trình cho các dự án cảnh quan, 9 lao động; đề xuất để các nhà vườn học cách "
        "ký hợp đồng dài hạn.",
        public_consent=False,
    ),
)
# Replications of the confirmed models: (project, model's project, since).
REPLICATIONS = (
    ("Kẹo dừa lá dứa Thu Hà", CANDY_MODEL, D(2024, 5, 6)),
    ("Kẹo dừa sữa Tuấn Mỏ Cày", CANDY_MODEL, 140),
    ("Kẹo dừa Bảo Ngọc An Định", CANDY_MODEL, 35),
    ("Nuôi dê thịt – hộ bà Trương Thị Lài", GOAT_MODEL, D(2024, 11, 4)),
    ("Nuôi dê – hộ ông Trần Văn Chót", GOAT_MODEL, 60),
)

# What supports look like, by kind: (organisations that give it, what came of it, hours, value).
SUPPORTS = {
    SupportKind.TRAINING: (
        ("Trung tâm Khuyến công tỉnh", "Trung tâm Khuyến nông tỉnh"),
        "Tham dự lớp khởi sự kinh doanh 3 ngày.",
        "16",
        None,
    ),
    SupportKind.MENTORING: ((), "Tư vấn kế hoạch kinh doanh.", "2", None),
    SupportKind.ADVICE: (
        ("Sở Công Thương", "Ngân hàng Chính sách xã hội"),
        "Hướng dẫn thủ tục đăng ký và vay vốn.",
        "1.5",
        None,
    ),
    SupportKind.TRADE_PROMOTION: (
        ("Sở Công Thương", "Trung tâm Xúc tiến thương mại tỉnh"),
        "Gian hàng tại hội chợ đặc sản vùng.",
        None,
        8 * MILLION,
    ),
    SupportKind.PREMISES: (
        ("Vườn ươm doanh nghiệp tỉnh",),
        "Chỗ làm việc tại vườn ươm 6 tháng.",
        None,
        12 * MILLION,
    ),
    SupportKind.CAPITAL: (
        ("Quỹ Đầu tư khởi nghiệp tỉnh", "Ngân hàng Chính sách xã hội"),
        "Kết nối khoản vay ưu đãi.",
        None,
        50 * MILLION,
    ),
    SupportKind.TECHNOLOGY: (
        ("Sở Khoa học và Công nghệ",),
        "Hỗ trợ một phần chi phí máy móc, chuyển giao quy trình.",
        None,
        30 * MILLION,
    ),
}

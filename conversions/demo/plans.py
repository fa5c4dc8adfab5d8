"""What the demo's registry holds and what happens to each conversion case: plain data.

A ``Business`` is a household business on the commune of its registration day (a former Bến Tre
commune before 1 July 2025, a ward of Vĩnh Long after); a ``Case`` takes one of them through the
pipeline: identified, advised, filed (on paper at the district's one-stop shop before the portal had
the procedure, in 2024, else the conversion-support dossier of the demo), registered, followed up,
and what became of it. A day is a date, or so many days before the demo's today.

The owners of the demo's dossiers (``dossiers.demo.people``) keep their CCCD numbers here, so the
registry finds them rather than recording them twice: Võ Thị Mỹ Duyên (the demo login ``nguoinop``)
sees her candy business's case, its dossier and its entitlements.
"""

import datetime
from dataclasses import dataclass

from conversions.models import FollowUpVisit, HouseholdBusiness, Outcome, OutcomeReason
from dossiers.demo.people import DUYEN, GAM, HAN, LINH, TAI, THANG, TRANG

Day = datetime.date | int  # a date, or so many days before today
Band = HouseholdBusiness.RevenueBand
Reason = OutcomeReason
Channel = FollowUpVisit.Channel
Finding = FollowUpVisit.Finding
D = datetime.date


@dataclass(frozen=True)
class Person:
    """An owner the demo's dossiers do not know yet: recorded on their current ward."""

    national_id: str
    full_name: str
    ward: str  # GSO code of the current ward
    phone: str
    address: str


@dataclass(frozen=True)
class Business:
    number: str  # the registration number
    name: str
    owner: str  # CCCD
    registered_on: Day
    commune: str  # GSO code of the commune of that day
    address: str
    sector: str
    workers: int
    revenue_band: str = Band.UNDER_500M
    ceased: bool = False


@dataclass(frozen=True)
class Visit:
    """A visit of the schedule done ``late`` days after its due day, or skipped with ``skipped``."""

    months: int
    late: int = 0
    channel: str = Channel.VISIT
    finding: str = Finding.OPERATING
    actions: str = ""
    next_step: str = ""
    skipped: str = ""


@dataclass(frozen=True)
class Change:
    """The enterprise's state from ``since``."""

    outcome: str
    since: Day
    reasons: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Enterprise:
    code: str
    name: str
    insured_workers: int
    revenue: int


@dataclass(frozen=True)
class Case:
    business: str  # registration number
    identified: Day
    note: str
    advised: Day | None = None
    advice: str = ""
    # Before the portal had the procedure: the dossier filed on paper, on this day.
    paper_filed: Day | None = None
    paper_note: str = ""
    # A conversion-support dossier of the dossiers demo (how its summary starts), linked on the day it was
    # submitted.
    dossier: str = ""
    # Registered on this day, or (None) on the day the dossier was decided.
    registered: Day | None = None
    enterprise: Enterprise | None = None
    visits: tuple[Visit, ...] = ()  # the visits done otherwise than routinely
    open_visits: tuple[int, ...] = ()  # visits left open: overdue once their day is past
    changes: tuple[Change, ...] = ()
    # Advised by mistake the day before and corrected: (the correction's day, why); the case then goes on.
    correction: tuple[Day, str] | None = None
    # The dossier withdrawn: the filing undone by a correction on that day, with this reason.
    withdrawn: tuple[Day, str] | None = None


BILLION = 1_000_000_000
MILLION = 1_000_000

PEOPLE = (
    Person(
        "083064001121", "Nguyễn Văn Phát", "28903", "0913 560 214", "Khu phố 1, xã Mỏ Cày, tỉnh Vĩnh Long"
    ),
    Person(
        "083070002235",
        "Trần Minh Hưng",
        "28756",
        "0918 774 035",
        "Ấp Phú Chiến, phường Phú Khương, tỉnh Vĩnh Long",
    ),
    Person(
        "083176003348", "Lê Thị Hiền", "28894", "0939 201 846", "Ấp Vĩnh Hòa, xã Vĩnh Thành, tỉnh Vĩnh Long"
    ),
    Person(
        "083068004452", "Hồ Văn Hòa", "29044", "0907 318 552", "Ấp Sơn Đốc, xã Hưng Nhượng, tỉnh Vĩnh Long"
    ),
    Person(
        "083182005567", "Phạm Thị Thu Ba", "28981", "0976 433 120", "Ấp Cẩm Hòa, xã Hương Mỹ, tỉnh Vĩnh Long"
    ),
    Person("083075006671", "Đặng Văn Sáu", "28957", "0385 220 917", "Ấp Tân Lộc, xã An Định, tỉnh Vĩnh Long"),
    Person(
        "083079007784",
        "Huỳnh Văn Mười",
        "29227",
        "0919 862 403",
        "Ấp Giao Hòa, xã Thạnh Phong, tỉnh Vĩnh Long",
    ),
    Person(
        "083172008896", "Nguyễn Thị Hạnh", "28993", "0947 115 380", "Ấp Mỹ Lồng, xã Lương Phú, tỉnh Vĩnh Long"
    ),
    Person(
        "083066009913", "Trương Văn Tám", "28870", "0918 305 662", "Ấp Long Hiệp, xã Chợ Lách, tỉnh Vĩnh Long"
    ),
    Person("083061001027", "Lý Văn Lợi", "29110", "0368 540 771", "Khu phố 3, xã Ba Tri, tỉnh Vĩnh Long"),
    Person("083072002138", "Võ Văn Long", "28903", "0903 661 429", "Khu phố 4, xã Mỏ Cày, tỉnh Vĩnh Long"),
    Person(
        "083081003249",
        "Nguyễn Văn Chín",
        "28879",
        "0987 240 316",
        "Ấp Vĩnh Chính, xã Phú Phụng, tỉnh Vĩnh Long",
    ),
    Person(
        "083084004351",
        "Phan Văn Đức",
        "29107",
        "0356 118 904",
        "Ấp Thừa Trung, xã Thới Thuận, tỉnh Vĩnh Long",
    ),
    Person("083077005462", "Mai Văn Bé", "29110", "0394 507 213", "Ấp An Lợi, xã Ba Tri, tỉnh Vĩnh Long"),
    Person(
        "083085006573", "Lê Văn Thành", "28870", "0939 614 208", "Ấp Hòa Khánh, xã Chợ Lách, tỉnh Vĩnh Long"
    ),
    Person(
        "083069007684",
        "Nguyễn Văn Lợi",
        "28870",
        "0918 442 517",
        "Ấp Long Khánh, xã Chợ Lách, tỉnh Vĩnh Long",
    ),
    Person(
        "083189008795", "Trần Thị Nhung", "28870", "0907 852 341", "Khu phố 2, xã Chợ Lách, tỉnh Vĩnh Long"
    ),
    Person(
        "083094009806", "Võ Minh Trí", "28870", "0359 713 460", "Ấp Long Qui, xã Chợ Lách, tỉnh Vĩnh Long"
    ),
    Person(
        "083071001917", "Lâm Văn Đời", "28981", "0912 073 585", "Ấp Hương Điểm, xã Hương Mỹ, tỉnh Vĩnh Long"
    ),
    Person(
        "083180002028",
        "Châu Thị Bưởi",
        "28987",
        "0943 260 719",
        "Ấp Phong Điền, xã Lương Hòa, tỉnh Vĩnh Long",
    ),
)
(
    PHAT,
    HUNG,
    HIEN,
    HOA,
    THU_BA,
    SAU,
    MUOI,
    HANH,
    TAM,
    LOI,
    LONG,
    CHIN,
    DUC,
    BE,
    THANH,
    SAU_LOI,
    NHUNG,
    TRI,
    DOI,
    BUOI,
) = (person.national_id for person in PEOPLE)

BUSINESSES = (
    # History: converted on paper, before the portal had the procedure.
    Business("56M8000112", "Hộ kinh doanh Kẹo dừa Thành Phát", PHAT, D(2009, 3, 16), "28903",
             "Khu phố 1, thị trấn Mỏ Cày, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 12, Band.UP_TO_3B),
    Business("56A8000457", "Hộ kinh doanh Thạch dừa Phú Hưng", HUNG, D(2012, 7, 2), "28786",
             "Ấp Phú Chiến, xã Phú Hưng, thành phố Bến Tre, tỉnh Bến Tre", "C", 6, Band.UP_TO_3B),
    Business("56C8000233", "Hộ kinh doanh Hoa kiểng Út Hiền", HIEN, D(2014, 2, 10), "28894",
             "Ấp Vĩnh Hòa, xã Vĩnh Thành, huyện Chợ Lách, tỉnh Bến Tre", "A", 4),
    Business("56G8000318", "Hộ kinh doanh Bánh phồng Bảy Hòa", HOA, D(2011, 10, 3), "29044",
             "Ấp Sơn Đốc, xã Hưng Nhượng, huyện Giồng Trôm, tỉnh Bến Tre", "C", 8, Band.UP_TO_3B),
    Business("56M8000521", "Hộ kinh doanh Mỹ nghệ dừa Cẩm Sơn", THU_BA, D(2015, 5, 18), "28978",
             "Ấp Cẩm Hòa, xã Cẩm Sơn, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 9, Band.UP_TO_3B),
    Business("56M8000376", "Hộ kinh doanh Chỉ xơ dừa Tân Trung", SAU, D(2013, 9, 9), "28963",
             "Ấp Tân Lộc, xã Tân Trung, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 14, Band.UP_TO_3B),
    Business("56P8000144", "Hộ kinh doanh Nuôi tôm Giao Thạnh", MUOI, D(2016, 4, 11), "29227",
             "Ấp Giao Hòa, xã Giao Thạnh, huyện Thạnh Phú, tỉnh Bến Tre", "A", 5, Band.UP_TO_3B),
    Business("56G8000205", "Hộ kinh doanh Bánh tráng Năm Hạnh", HANH, D(2010, 6, 21), "28993",
             "Ấp Mỹ Lồng, xã Mỹ Thạnh, huyện Giồng Trôm, tỉnh Bến Tre", "C", 7, Band.UP_TO_3B),
    Business("56C8000417", "Hộ kinh doanh Vựa trái cây Long Thới", TAM, D(2012, 11, 12), "28885",
             "Ấp Long Hiệp, xã Long Thới, huyện Chợ Lách, tỉnh Bến Tre", "G", 5, Band.UP_TO_10B),
    Business("56T8000098", "Hộ kinh doanh Nước mắm Tám Lợi", LOI, D(2008, 8, 4), "29110",
             "Khu phố 3, thị trấn Ba Tri, huyện Ba Tri, tỉnh Bến Tre", "C", 6, Band.UP_TO_3B),
    # Converted since 2023, some with the conversion-support dossiers of the demo.
    Business("56M8000087", "Hộ kinh doanh Kẹo dừa Thanh Long", LONG, D(2010, 1, 18), "28903",
             "Khu phố 4, thị trấn Mỏ Cày, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 10, Band.UP_TO_3B),
    Business("56C8000164", "Hộ kinh doanh Hoa kiểng Hồng Gấm", GAM, D(2011, 5, 9), "28876",
             "Ấp Sơn Lân, xã Sơn Định, huyện Chợ Lách, tỉnh Bến Tre", "A", 6, Band.UP_TO_3B),
    Business("56C8000302", "Hộ kinh doanh Vườn ươm cây giống Vĩnh Bình", CHIN, D(2016, 3, 7), "28879",
             "Ấp Vĩnh Chính, xã Vĩnh Bình, huyện Chợ Lách, tỉnh Bến Tre", "A", 8, Band.UP_TO_3B),
    Business("56D8000233", "Hộ kinh doanh Nuôi nghêu Thừa Đức", DUC, D(2017, 6, 12), "29101",
             "Ấp Thừa Trung, xã Thừa Đức, huyện Bình Đại, tỉnh Bến Tre", "A", 10, Band.UP_TO_3B),
    Business("56T8000264", "Hộ kinh doanh Cá khô An Đức", BE, D(2014, 9, 15), "29173",
             "Ấp An Lợi, xã An Đức, huyện Ba Tri, tỉnh Bến Tre", "C", 4),
    Business("56C8000489", "Hộ kinh doanh Kẹo dừa Mỹ Duyên", DUYEN, D(2019, 4, 15), "28870",
             "Ấp Hòa Thuận, thị trấn Chợ Lách, huyện Chợ Lách, tỉnh Bến Tre", "C", 7, Band.UP_TO_3B),
    Business("56G8000277", "Hộ kinh doanh Bánh tráng Mỹ Lồng Mỹ Linh", LINH, D(2014, 8, 11), "28993",
             "Ấp Thạnh Hòa, xã Mỹ Thạnh, huyện Giồng Trôm, tỉnh Bến Tre", "C", 6),
    Business("56M8000544", "Hộ kinh doanh Kẹo dừa Ngọc Hân", HAN, D(2016, 5, 23), "28903",
             "Khu phố 3, thị trấn Mỏ Cày, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 5, Band.UP_TO_3B),
    Business("56M8000611", "Hộ kinh doanh Mỹ nghệ gáo dừa Thùy Trang", TRANG, D(2018, 7, 16), "28945",
             "Ấp Bình Thạnh, xã Bình Khánh, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 4),
    Business("56M8000355", "Hộ kinh doanh Chỉ xơ dừa Cao Thắng", THANG, D(2013, 3, 11), "28957",
             "Ấp Tân Lợi, xã An Định, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 11, Band.UP_TO_3B),
    # Seven months old when its owner asked to convert: not yet eligible.
    Business("56D9000702", "Hộ kinh doanh Cá khô Tài Lộc", TAI, 231, "29077",
             "Ấp Lộc Hiệp, xã Lộc Thuận, tỉnh Vĩnh Long", "C", 3),
    # The demo commune officer's ward (Xã Chợ Lách) and its candidates.
    Business("56C8000398", "Hộ kinh doanh Hoa kiểng bonsai Hòa Nghĩa", THANH, D(2015, 10, 5), "28882",
             "Ấp Hòa Khánh, xã Hòa Nghĩa, huyện Chợ Lách, tỉnh Bến Tre", "A", 5),
    Business("56C8000154", "Hộ kinh doanh Vựa giống cây ăn trái Sáu Lợi", SAU_LOI, D(2011, 4, 18), "28885",
             "Ấp Long Khánh, xã Long Thới, huyện Chợ Lách, tỉnh Bến Tre", "A", 9, Band.UP_TO_3B),
    Business("56C8000533", "Hộ kinh doanh Kẹo dừa sầu riêng Bảy Nhung", NHUNG, D(2017, 8, 14), "28870",
             "Khu phố 2, thị trấn Chợ Lách, huyện Chợ Lách, tỉnh Bến Tre", "C", 6),
    Business("56C8000645", "Hộ kinh doanh Cá kiểng Long Thới", TRI, D(2020, 2, 10), "28885",
             "Ấp Long Qui, xã Long Thới, huyện Chợ Lách, tỉnh Bến Tre", "A", 3),
    Business("56M8000190", "Hộ kinh doanh Than gáo dừa Hương Mỹ", DOI, D(2012, 6, 4), "28981",
             "Ấp Hương Điểm, xã Hương Mỹ, huyện Mỏ Cày Nam, tỉnh Bến Tre", "C", 6),
    Business("56G8000129", "Hộ kinh doanh Vựa bưởi da xanh Phong Nẫm", BUOI, D(2014, 1, 13), "28987",
             "Ấp Phong Điền, xã Phong Nẫm, huyện Giồng Trôm, tỉnh Bến Tre", "G", 4, Band.UP_TO_3B),
)  # fmt: skip

PAPER = "Hồ sơ giấy nộp tại Bộ phận Một cửa huyện; Tổ hỗ trợ hướng dẫn chủ hộ hoàn thiện."
CHOSEN = "Chọn từ danh sách hộ kinh doanh đủ điều kiện, sản xuất ổn định, có nhu cầu mở rộng thị trường."
ADVICE = "Tư vấn tại cơ sở: lợi ích, thủ tục, chế độ thuế và kế toán của doanh nghiệp; chủ hộ đồng ý."
CLOSED_VISIT = "Doanh nghiệp không còn hoạt động theo mô hình doanh nghiệp."

CASES = (
    Case(
        "56M8000112",
        D(2016, 9, 12),
        "Chọn khi triển khai chương trình Đồng Khởi khởi nghiệp: cơ sở kẹo dừa lâu năm, có khách sỉ ở "
        "TP.HCM.",
        D(2016, 10, 5),
        ADVICE,
        paper_filed=D(2016, 12, 20),
        paper_note=PAPER,
        registered=D(2017, 1, 9),
        enterprise=Enterprise("1300987654", "Công ty TNHH Kẹo dừa Thành Phát", 11, 2_800 * MILLION),
    ),
    Case(
        "56A8000457",
        D(2017, 3, 20),
        CHOSEN,
        D(2017, 4, 11),
        ADVICE,
        paper_filed=D(2017, 8, 14),
        paper_note=PAPER,
        registered=D(2017, 8, 28),
        enterprise=Enterprise("1300876512", "Công ty TNHH Thạch dừa Phú Hưng", 6, 1_900 * MILLION),
        changes=(
            Change(
                Outcome.MOVED_OUT,
                D(2021, 6, 15),
                (Reason.PREMISES,),
                "Chuyển nhà xưởng sang tỉnh Long An để gần cảng, vẫn hoạt động.",
            ),
        ),
    ),
    Case(
        "56C8000233",
        D(2018, 3, 5),
        CHOSEN,
        D(2018, 3, 26),
        ADVICE,
        paper_filed=D(2018, 5, 21),
        paper_note=PAPER,
        registered=D(2018, 6, 4),
        enterprise=Enterprise("1301002233", "Công ty TNHH Hoa kiểng Út Hiền", 4, 450 * MILLION),
        visits=(
            Visit(
                12,
                6,
                finding=Finding.TAXES_ACCOUNTING,
                actions="Chủ doanh nghiệp chưa quen lập báo cáo tài chính, phải thuê dịch vụ kế toán.",
                next_step="Giới thiệu lớp tập huấn kế toán cho doanh nghiệp nhỏ.",
            ),
        ),
        changes=(
            Change(
                Outcome.REVERTED,
                D(2020, 9, 14),
                (Reason.TAXES_ACCOUNTING, Reason.PREFERS_HOUSEHOLD),
                "Giải thể công ty, đăng ký lại hộ kinh doanh: chi phí kế toán, hóa đơn lớn so với doanh thu.",
            ),
        ),
    ),
    Case(
        "56G8000318",
        D(2019, 1, 14),
        CHOSEN,
        D(2019, 2, 11),
        ADVICE,
        paper_filed=D(2019, 3, 25),
        paper_note=PAPER,
        registered=D(2019, 4, 8),
        enterprise=Enterprise("1301112345", "Công ty TNHH Bánh phồng Bảy Hòa", 8, 2_200 * MILLION),
    ),
    Case(
        "56M8000521",
        D(2019, 7, 8),
        CHOSEN,
        D(2019, 8, 5),
        ADVICE,
        paper_filed=D(2019, 9, 16),
        paper_note=PAPER,
        registered=D(2019, 10, 1),
        enterprise=Enterprise("1301123456", "Công ty TNHH Mỹ nghệ dừa Cẩm Sơn", 9, 1_500 * MILLION),
        changes=(
            Change(
                Outcome.SUSPENDED,
                D(2020, 4, 1),
                (Reason.MARKET,),
                "Đơn hàng xuất khẩu bị hủy do dịch COVID-19; tạm ngừng kinh doanh.",
            ),
            Change(Outcome.OPERATING, D(2020, 12, 1), (), "Hoạt động trở lại với đơn hàng trong nước."),
            Change(
                Outcome.DISSOLVED,
                D(2022, 8, 15),
                (Reason.CAPITAL, Reason.MARKET),
                "Không có vốn lưu động sau dịch, giải thể doanh nghiệp.",
            ),
        ),
    ),
    Case(
        "56M8000376",
        D(2020, 9, 7),
        CHOSEN,
        D(2020, 10, 5),
        ADVICE,
        paper_filed=D(2020, 11, 16),
        paper_note=PAPER,
        registered=D(2020, 12, 1),
        enterprise=Enterprise("1301134567", "Công ty TNHH Chỉ xơ dừa Tân Trung", 12, 2_600 * MILLION),
        changes=(
            Change(
                Outcome.DISSOLVED,
                D(2021, 9, 20),
                (Reason.MARKET, Reason.CAPITAL),
                "Giá xơ dừa xuất khẩu giảm mạnh, không trả được nợ vay.",
            ),
        ),
    ),
    Case(
        "56P8000144",
        D(2021, 8, 16),
        CHOSEN,
        D(2021, 9, 13),
        ADVICE,
        paper_filed=D(2021, 10, 25),
        paper_note=PAPER,
        registered=D(2021, 11, 8),
        enterprise=Enterprise("1301145678", "Công ty TNHH Thủy sản Giao Thạnh", 5, 2_400 * MILLION),
        changes=(
            Change(
                Outcome.BANKRUPT,
                D(2023, 10, 16),
                (Reason.CAPITAL,),
                "Tôm chết hàng loạt hai vụ liền; doanh nghiệp mất khả năng thanh toán.",
            ),
        ),
    ),
    Case(
        "56G8000205",
        D(2022, 3, 7),
        CHOSEN,
        D(2022, 4, 4),
        ADVICE,
        paper_filed=D(2022, 5, 23),
        paper_note=PAPER,
        registered=D(2022, 6, 6),
        enterprise=Enterprise("1301156789", "Công ty TNHH Bánh tráng Năm Hạnh", 7, 1_200 * MILLION),
    ),
    Case(
        "56C8000417",
        D(2023, 2, 13),
        CHOSEN,
        D(2023, 3, 13),
        ADVICE,
        paper_filed=D(2023, 4, 24),
        paper_note=PAPER,
        registered=D(2023, 5, 15),
        enterprise=Enterprise("1301167890", "Công ty TNHH Trái cây Long Thới", 5, 4_500 * MILLION),
        open_visits=(36,),
    ),
    Case(
        "56T8000098",
        D(2023, 6, 12),
        CHOSEN,
        D(2023, 7, 10),
        ADVICE,
        paper_filed=D(2023, 9, 11),
        paper_note=PAPER,
        registered=D(2023, 10, 2),
        enterprise=Enterprise("1301178901", "Công ty TNHH Nước mắm Tám Lợi", 6, 1_800 * MILLION),
        visits=(
            Visit(
                12,
                9,
                Channel.PHONE,
                Finding.TAXES_ACCOUNTING,
                "Doanh nghiệp bị phạt chậm nộp tờ khai thuế quý; hướng dẫn kê khai qua mạng.",
                "Mời dự lớp tập huấn hóa đơn điện tử.",
            ),
        ),
        changes=(
            Change(
                Outcome.REVERTED,
                D(2025, 3, 17),
                (Reason.TAXES_ACCOUNTING, Reason.PREFERS_HOUSEHOLD),
                "Chủ cơ sở thấy mô hình hộ kinh doanh phù hợp hơn với quy mô gia đình.",
            ),
        ),
    ),
    Case(
        "56M8000087",
        D(2023, 9, 4),
        "Cơ sở kẹo dừa muốn xuất khẩu sang Trung Quốc, đối tác đòi hợp đồng với doanh nghiệp.",
        D(2023, 10, 2),
        ADVICE,
        paper_filed=D(2023, 11, 13),
        paper_note=PAPER,
        registered=D(2023, 11, 27),
        enterprise=Enterprise("1301189012", "Công ty TNHH Kẹo dừa Thanh Long", 10, 2_900 * MILLION),
        open_visits=(24,),
    ),
    Case(
        "56C8000164",
        D(2024, 6, 17),
        CHOSEN,
        D(2024, 7, 15),
        ADVICE,
        dossier="Chuyển hộ kinh doanh hoa kiểng Hồng Gấm",
        enterprise=Enterprise("1301445566", "Công ty TNHH Hoa kiểng Hồng Gấm", 6, 2_100 * MILLION),
        open_visits=(24,),
    ),
    Case(
        "56C8000302",
        D(2023, 7, 10),
        CHOSEN,
        D(2023, 8, 7),
        ADVICE,
        paper_filed=D(2023, 9, 18),
        paper_note=PAPER,
        registered=D(2023, 10, 2),
        enterprise=Enterprise("1301190123", "Công ty TNHH Cây giống Vĩnh Bình", 8, 1_600 * MILLION),
        changes=(
            Change(
                Outcome.SUSPENDED,
                D(2025, 8, 4),
                (Reason.CAPITAL,),
                "Tạm ngừng kinh doanh 6 tháng để cải tạo vườn ươm sau đợt xâm nhập mặn.",
            ),
            Change(Outcome.OPERATING, D(2026, 2, 2), (), "Hoạt động trở lại sau khi cải tạo vườn ươm."),
        ),
    ),
    Case(
        "56D8000233",
        D(2023, 5, 8),
        "Hộ nuôi nghêu cần tư cách doanh nghiệp để ký hợp đồng bao tiêu với nhà máy chế biến.",
        D(2023, 6, 5),
        ADVICE,
        paper_filed=D(2023, 7, 17),
        paper_note=PAPER,
        registered=D(2023, 7, 31),
        enterprise=Enterprise("1301201234", "Công ty TNHH Nghêu sạch Thừa Đức", 9, 2_700 * MILLION),
        visits=(
            Visit(
                6,
                4,
                Channel.MESSAGE,
                Finding.TAXES_ACCOUNTING,
                "Lúng túng khi chuyển sang hóa đơn điện tử; gửi hướng dẫn qua Zalo.",
            ),
            Visit(
                12,
                12,
                Channel.VISIT,
                Finding.TAXES_ACCOUNTING,
                "Chi phí thuê kế toán cao so với lợi nhuận; chủ doanh nghiệp tính chuyển lại hộ kinh doanh.",
                "Mời Thuế cơ sở tư vấn trực tiếp.",
            ),
        ),
        changes=(
            Change(
                Outcome.REVERTED,
                D(2026, 5, 11),
                (Reason.TAXES_ACCOUNTING, Reason.PREFERS_HOUSEHOLD),
                "Giải thể công ty, đăng ký lại hộ kinh doanh kê khai.",
            ),
        ),
    ),
    Case(
        "56T8000264",
        D(2023, 10, 9),
        CHOSEN,
        D(2023, 11, 6),
        ADVICE,
        paper_filed=D(2023, 12, 11),
        paper_note=PAPER,
        registered=D(2023, 12, 26),
        enterprise=Enterprise("1301212345", "Công ty TNHH Cá khô An Đức", 4, 800 * MILLION),
        visits=(
            Visit(
                12,
                3,
                Channel.PHONE,
                Finding.MARKET,
                "Sức mua giảm, thương lái ép giá; giới thiệu hội chợ OCOP của tỉnh.",
            ),
        ),
        changes=(
            Change(
                Outcome.DISSOLVED,
                D(2026, 3, 16),
                (Reason.MARKET,),
                "Đầu ra giảm mạnh; chủ doanh nghiệp đi làm công nhân ở Bình Dương.",
            ),
        ),
    ),
    Case(
        "56C8000489",
        D(2025, 8, 11),
        "Chị Duyên muốn bán kẹo dừa sầu riêng vào siêu thị, cần hóa đơn và mã số mã vạch.",
        D(2025, 9, 3),
        ADVICE,
        dossier="Chuyển hộ kinh doanh Kẹo dừa Mỹ Duyên",
        enterprise=Enterprise("1301234567", "Công ty TNHH Kẹo dừa Mỹ Duyên", 7, 2_500 * MILLION),
        visits=(
            Visit(
                1,
                3,
                Channel.VISIT,
                Finding.OPERATING,
                "Hướng dẫn đăng ký hóa đơn điện tử và mở sổ kế toán.",
                "Gọi lại sau 2 tháng.",
            ),
            Visit(3, 5, Channel.PHONE, Finding.OPERATING, "Đã ký hợp đồng với một chuỗi siêu thị ở TP.HCM."),
            Visit(
                6,
                11,
                Channel.MESSAGE,
                Finding.TAXES_ACCOUNTING,
                "Hỏi cách kê khai thuế giá trị gia tăng quý; gửi hướng dẫn của Thuế cơ sở.",
            ),
        ),
        open_visits=(12, 24, 36),
    ),
    Case(
        "56G8000277",
        230,
        CHOSEN,
        190,
        ADVICE,
        dossier="Chuyển hộ kinh doanh bánh tráng Mỹ Lồng",
        enterprise=Enterprise("1302114455", "Công ty TNHH Bánh tráng Mỹ Lồng Mỹ Linh", 5, 1_100 * MILLION),
        # The ward's team has not been to see the new company yet.
        open_visits=(1, 3),
    ),
    Case(
        "56M8000544",
        95,
        "Chị Hân cần mã số mã vạch để bán trên sàn thương mại điện tử.",
        60,
        ADVICE,
        dossier="Chuyển hộ kinh doanh kẹo dừa lên công ty",
    ),
    Case(
        "56M8000611",
        75,
        "Hộ làm mỹ nghệ gáo dừa có đơn hàng xuất khẩu, cần tư cách pháp nhân.",
        40,
        ADVICE,
        dossier="Chuyển hộ kinh doanh mỹ nghệ gáo dừa",
    ),
    Case(
        "56M8000355",
        80,
        CHOSEN,
        55,
        ADVICE,
        dossier="Chuyển cơ sở se chỉ xơ dừa",
        withdrawn=(39, "Chủ hộ rút hồ sơ, quyết định tiếp tục kinh doanh theo mô hình hộ kinh doanh."),
    ),
    Case(
        "56D9000702",
        20,
        "Chủ hộ muốn lên doanh nghiệp; hộ mới đăng ký 7 tháng, chưa đủ 12 tháng: hẹn tư vấn lại khi đủ "
        "1 năm.",
    ),
    Case(
        "56C8000398",
        110,
        CHOSEN,
        90,
        "Tư vấn tại vườn: chủ hộ muốn xuất khẩu bonsai sang Campuchia, cần hóa đơn; hẹn nộp hồ sơ.",
    ),
    Case(
        "56C8000154",
        8,
        "Chủ vựa hỏi về chuyển đổi khi Tổ đến hướng dẫn kê khai thuế.",
    ),
    Case("56C8000533", 12, "Chủ hộ hỏi về chuyển đổi tại buổi tuyên truyền ở ấp."),
    Case(
        "56C8000645",
        50,
        CHOSEN,
        21,
        "Tư vấn lại tại nhà chủ hộ: lợi ích, thủ tục; chủ hộ hẹn chuẩn bị hồ sơ.",
        correction=(44, "Ghi nhầm: buổi tư vấn bị hoãn vì chủ hộ bận thu hoạch."),
    ),
    Case("56M8000190", D(2025, 5, 19), CHOSEN),
    Case("56G8000129", D(2025, 3, 10), CHOSEN, D(2025, 4, 21), ADVICE),
)

# Findings and words of routine visits, by channel.
ROUTINE_ACTIONS = (
    "Hỏi thăm tình hình sản xuất, doanh nghiệp hoạt động ổn định.",
    "Nhắc lịch nộp tờ khai thuế và báo cáo tài chính.",
    "Giới thiệu chương trình kết nối tiêu thụ và hội chợ OCOP.",
    "Hướng dẫn đăng ký nhãn hiệu và mã số mã vạch.",
    "Thông tin về chính sách hỗ trợ doanh nghiệp nhỏ và vừa.",
)
NOT_TRADING_ACTIONS = "Doanh nghiệp đang tạm ngừng kinh doanh; hỏi thăm dự kiến hoạt động trở lại."

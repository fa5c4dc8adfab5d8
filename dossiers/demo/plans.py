"""What happens to each demo dossier: a ``Plan`` of ``Step``s, and the plans from before the reform.

A plan names the applicant, the procedure, the channel and the filing day, then the steps the people
involved take through the services, each so many working days after the one before. The plans here
are history: dossiers of former Chợ Lách district communes, handled by their commune teams before the
1 July 2025 reform. The plans since the reform are in ``dossiers.demo.plans_since_reform``.
"""

import datetime
from dataclasses import dataclass

from dossiers import catalogue
from dossiers.demo.people import BAY, GAM, UT
from dossiers.models import Dossier

ONLINE, IN_PERSON, POST = Dossier.Channel.ONLINE, Dossier.Channel.IN_PERSON, Dossier.Channel.POST
STARTUP = catalogue.STARTUP_SUPPORT
LOAN = catalogue.FUND_LOAN
CONVERSION = catalogue.CONVERSION_SUPPORT
POVERTY = catalogue.POVERTY_ESCAPE


@dataclass(frozen=True)
class Step:
    """One thing that happens to a dossier, ``gap`` working days after the step before it."""

    action: str
    gap: int = 0
    text: str = ""
    kinds: tuple[str, ...] = ()  # document kinds a supplement asks for
    rating: int = 0
    days: int = 0  # an apology's new date: this many working days after the apology


@dataclass(frozen=True)
class Plan:
    person: str  # the applicant's CCCD number
    procedure: str
    summary: str
    channel: str
    filed: datetime.date | int  # a date, or so many days before today
    steps: tuple[Step, ...] = ()
    former_commune: str = ""  # GSO code of a former commune: a dossier from before the reform
    documents: tuple[str, ...] | None = None  # kinds given when filing; None: every mandatory one


# History: former communes of Chợ Lách district, handled by their commune teams.
BEFORE_REFORM = (
    Plan(
        GAM,
        CONVERSION,
        "Chuyển hộ kinh doanh hoa kiểng Hồng Gấm lên công ty TNHH để ký hợp đồng cung cấp cây cho các "
        "công trình.",
        IN_PERSON,
        datetime.date(2024, 9, 16),
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            Step(
                "complete",
                1,
                "Đã hướng dẫn lập hồ sơ; Công ty TNHH Hoa kiểng Hồng Gấm được cấp Giấy chứng nhận đăng ký "
                "doanh nghiệp, miễn lệ phí đăng ký lần đầu và lệ phí môn bài 3 năm.",
            ),
            Step("return", 1),
        ),
        former_commune="28876",
    ),
    Plan(
        BAY,
        POVERTY,
        "Đăng ký nuôi gà thả vườn dưới tán vườn chôm chôm để thoát nghèo.",
        IN_PERSON,
        datetime.date(2025, 1, 20),
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            # Across Tết Ất Tỵ: due on 10/02/2025, decided on 07/02.
            Step(
                "complete",
                8,
                "Gia đình được hỗ trợ lập kế hoạch nuôi 300 con gà thả vườn, kết nối vay 30.000.000 ₫ "
                "từ Ngân "
                "hàng Chính sách xã hội và tập huấn kỹ thuật chăn nuôi.",
            ),
            Step("return", 1),
        ),
        former_commune="28894",
    ),
    Plan(
        UT,
        CONVERSION,
        "Đề nghị hỗ trợ thành lập doanh nghiệp kinh doanh sầu riêng Cái Mơn.",
        IN_PERSON,
        datetime.date(2025, 5, 12),
        (
            Step("submit"),
            Step(
                "refuse",
                0,
                "Ông chưa đăng ký hộ kinh doanh nên chưa thuộc đối tượng hỗ trợ chuyển đổi. Tổ hỗ trợ "
                "hướng dẫn "
                "ông thành lập doanh nghiệp mới và đăng ký hỗ trợ như một dự án khởi nghiệp.",
            ),
        ),
        former_commune="28870",
    ),
)

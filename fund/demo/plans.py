"""What the demo's funds are and what happens to their loans: plain data, read by ``fund.demo``.

Three startup investment funds, one of each former province merged into Vĩnh Long on 1 July 2025,
each with an example regulation (``is_example``): Bến Tre's on the Bình Phước model (two versions,
the second from the reform), Vĩnh Long's with and without collateral at a preferential rate, Trà
Vinh's interest-free on the Lâm Đồng model (the money recalled when misused). The loans' days are
counted back from the day the demo is loaded, so that each one is in the state it is meant to be.
"""

import datetime
from dataclasses import dataclass, field

from fund.models import Source

FUND_LOAN_SINCE = datetime.date(2024, 1, 15)  # the fund-loan procedure's first version, and a fortnight
RUBRIC = (
    ("Tính khả thi của phương án", 40),
    ("Năng lực của người khởi nghiệp", 30),
    ("Khả năng trả nợ", 20),
    ("Việc làm tạo ra", 10),
)
DOCUMENTS = "Giấy đề nghị vay vốn\nPhương án sản xuất kinh doanh\nBản sao CCCD"


@dataclass(frozen=True)
class FundPlan:
    slug: str
    name: str
    province_code: str  # the former province served (its GSO code)
    founded_on: datetime.date
    capital_target: int
    description: str
    regulations: tuple[dict, ...]
    contributions: tuple[tuple, ...]  # (source, contributor, anonymous, amount, day, note)
    products: tuple[tuple[str, str, int], ...]  # (what the money is for, sector, project cost)
    fates: tuple[str, ...]
    campaign: dict | None = None
    campaign_gifts: tuple[tuple, ...] = field(default=())  # (source, contributor, anonymous, amount, day)


BINH_PHUOC = {
    "is_example": True,
    "max_enterprise_age_months": 12,
    "first_startup_only": True,
    "excluded_sectors": "KL",
    "equity_share_cap_pct": 20,
    "project_cost_share_cap_pct": 50,
    "absolute_cap": 500_000_000,
    "max_term_months": 60,
    "max_grace_months": 12,
    "yearly_rate_bp": 300,
    "collateral_above": 300_000_000,
    "required_documents": DOCUMENTS,
    "board_limit": 200_000_000,
    "articles": {
        "enterprise_age": "Điều 5 khoản 1",
        "first_startup": "Điều 5 khoản 2",
        "sector": "Điều 5 khoản 3",
        "absolute_cap": "Điều 7 khoản 1",
        "equity_share": "Điều 7 khoản 2",
        "project_cost_share": "Điều 7 khoản 3",
        "term": "Điều 8",
        "collateral": "Điều 9",
        "documents": "Điều 10",
    },
}

FUNDS = (
    FundPlan(
        slug="ben-tre",
        name="Quỹ Đầu tư khởi nghiệp tỉnh Bến Tre (cũ)",
        province_code="83",
        founded_on=datetime.date(2019, 6, 1),
        capital_target=20_000_000_000,
        description="Quỹ cho vay người khởi nghiệp lần đầu của tỉnh Bến Tre (cũ): dừa, hoa kiểng Chợ Lách, "
        "nghêu Bình Đại; từ 01/7/2025 do Quỹ Đầu tư khởi nghiệp tỉnh Vĩnh Long quản lý.",
        regulations=(
            {
                **BINH_PHUOC,
                "number": "18/2019/QĐ-UBND (ví dụ)",
                "title": "Quy chế cho vay của Quỹ Đầu tư khởi nghiệp tỉnh Bến Tre (theo mô hình Bình Phước)",
                "signed_on": datetime.date(2019, 6, 10),
                "effective_from": datetime.date(2019, 7, 1),
            },
            {
                **BINH_PHUOC,
                "number": "25/2025/QĐ-UBND (ví dụ)",
                "title": "Quy chế cho vay sửa đổi sau sắp xếp tỉnh (theo mô hình Bình Phước)",
                "signed_on": datetime.date(2025, 6, 20),
                "effective_from": datetime.date(2025, 7, 1),
                "absolute_cap": 800_000_000,
                "yearly_rate_bp": 250,
            },
        ),
        contributions=(
            (
                Source.STATE_BUDGET,
                "Ngân sách tỉnh Bến Tre",
                False,
                5_000_000_000,
                datetime.date(2019, 8, 15),
                "",
            ),
            (
                Source.ENTERPRISE,
                "Công ty TNHH Chế biến dừa Lương Quới",
                False,
                500_000_000,
                datetime.date(2021, 3, 10),
                "Đóng góp từ chương trình trách nhiệm xã hội",
            ),
            (Source.INDIVIDUAL, "Nguyễn Văn Thành", True, 50_000_000, datetime.date(2022, 9, 2), ""),
        ),
        products=(
            ("Mua nồi nấu và máy đóng gói kẹo dừa Mỏ Cày", "C", 400_000_000),
            ("Dây chuyền thạch dừa đóng hộp", "C", 600_000_000),
            ("Máy se chỉ xơ dừa và kho chứa", "C", 300_000_000),
            ("Vườn ươm bonsai mini Chợ Lách", "A", 250_000_000),
            ("Mở rộng bãi nuôi nghêu Bình Đại đạt VietGAP", "A", 500_000_000),
            ("Cải tạo ao nuôi tôm – lúa sinh thái Thạnh Phú", "A", 280_000_000),
            ("Homestay sinh thái Cồn Phụng", "I", 450_000_000),
        ),
        fates=(
            "current",
            "current",
            "current",
            "linked",
            "late_1_30",
            "late_31_90",
            "late_91_180",
            "late_180",
            "extended",
            "frozen",
            "recalled",
            "written_off",
            "repaid",
            "repaid",
            "tranche_waiting",
            "tranche_submitted",
            "awaiting_checker",
            "appraising",
            "refused",
        ),
    ),
    FundPlan(
        slug="vinh-long",
        name="Quỹ Đầu tư khởi nghiệp tỉnh Vĩnh Long (cũ)",
        province_code="86",
        founded_on=datetime.date(2019, 3, 1),
        capital_target=30_000_000_000,
        description="Quỹ cho vay ưu đãi có và không có tài sản bảo đảm của tỉnh Vĩnh Long (cũ): gốm đỏ "
        "Mang Thít, bưởi Năm Roi, khoai lang Bình Tân.",
        regulations=(
            {
                "number": "09/2019/QĐ-UBND (ví dụ)",
                "title": "Quy chế cho vay ưu đãi có và không có tài sản bảo đảm của Quỹ Đầu tư khởi nghiệp "
                "tỉnh Vĩnh Long",
                "signed_on": datetime.date(2019, 2, 20),
                "effective_from": datetime.date(2019, 3, 1),
                "is_example": True,
                "excluded_sectors": "KL",
                "project_cost_share_cap_pct": 70,
                "absolute_cap": 500_000_000,
                "max_term_months": 60,
                "max_grace_months": 6,
                "yearly_rate_bp": 480,
                "collateral_above": 100_000_000,
                "required_documents": DOCUMENTS,
                "board_limit": 300_000_000,
                "articles": {
                    "sector": "Điều 4",
                    "absolute_cap": "Điều 6 khoản 1",
                    "project_cost_share": "Điều 6 khoản 2",
                    "term": "Điều 7",
                    "collateral": "Điều 8: không cần tài sản bảo đảm đến 100 triệu đồng",
                    "documents": "Điều 9",
                },
            },
        ),
        contributions=(
            (
                Source.STATE_BUDGET,
                "Ngân sách tỉnh Vĩnh Long",
                False,
                10_000_000_000,
                datetime.date(2019, 4, 2),
                "Vốn điều lệ cấp năm 2019",
            ),
            (
                Source.ENTERPRISE,
                "Công ty Cổ phần Gốm Mang Thít",
                False,
                300_000_000,
                datetime.date(2022, 5, 18),
                "",
            ),
            (Source.INDIVIDUAL, "Nhà hảo tâm ở Long Hồ", True, 20_000_000, datetime.date(2023, 1, 16), ""),
        ),
        products=(
            ("Lò nung gốm đỏ Mang Thít tiết kiệm năng lượng", "C", 350_000_000),
            ("Kho lạnh và máy phân loại bưởi Năm Roi", "A", 300_000_000),
            ("Sấy và đóng gói khoai lang Bình Tân", "C", 260_000_000),
            ("Vườn cam sành Tam Bình theo chuẩn VietGAP", "A", 200_000_000),
            ("Du lịch sinh thái miệt vườn cù lao An Bình", "I", 400_000_000),
            ("Cửa hàng đặc sản Vĩnh Long trên sàn thương mại điện tử", "G", 150_000_000),
        ),
        fates=(
            "current",
            "current",
            "current",
            "late_1_30",
            "late_31_90",
            "late_91_180",
            "late_180",
            "repaid",
            "extended",
            "recalled",
            "written_off",
            "tranche_released",
            "release_pending",
            "awaiting_checker",
        ),
    ),
    FundPlan(
        slug="tra-vinh",
        name="Quỹ Đầu tư khởi nghiệp tỉnh Trà Vinh (cũ)",
        province_code="84",
        founded_on=datetime.date(2020, 1, 2),
        capital_target=10_000_000_000,
        description="Quỹ cho vay không lãi theo mô hình Lâm Đồng của tỉnh Trà Vinh (cũ): dừa sáp Cầu Kè, "
        "bánh tét Trà Cuôn; vốn bị thu hồi khi sử dụng sai mục đích.",
        regulations=(
            {
                "number": "31/2019/QĐ-UBND (ví dụ)",
                "title": "Quy chế cho vay không lãi của Quỹ Đầu tư khởi nghiệp tỉnh Trà Vinh (theo mô hình "
                "Lâm Đồng; thu hồi vốn khi sử dụng sai mục đích)",
                "signed_on": datetime.date(2019, 12, 20),
                "effective_from": datetime.date(2020, 1, 2),
                "is_example": True,
                "first_startup_only": True,
                "project_cost_share_cap_pct": 60,
                "absolute_cap": 300_000_000,
                "max_term_months": 36,
                "max_grace_months": 6,
                "yearly_rate_bp": 0,
                "required_documents": DOCUMENTS,
                "board_limit": 150_000_000,
                "articles": {
                    "first_startup": "Điều 4",
                    "absolute_cap": "Điều 5 khoản 1",
                    "project_cost_share": "Điều 5 khoản 2",
                    "term": "Điều 6",
                    "documents": "Điều 8",
                },
            },
        ),
        contributions=(
            (
                Source.STATE_BUDGET,
                "Ngân sách tỉnh Trà Vinh",
                False,
                3_000_000_000,
                datetime.date(2020, 2, 14),
                "",
            ),
            (
                Source.ENTERPRISE,
                "Hợp tác xã Dừa sáp Cầu Kè",
                False,
                100_000_000,
                datetime.date(2023, 6, 1),
                "",
            ),
        ),
        products=(
            ("Nhân giống và chế biến dừa sáp Cầu Kè", "A", 250_000_000),
            ("Lò bánh tét Trà Cuôn hút chân không", "C", 180_000_000),
            ("Nuôi tôm càng xanh trong mương vườn", "A", 150_000_000),
            ("Trồng thanh long ruột đỏ Trà Cú", "A", 200_000_000),
            ("Xưởng đan giỏ lục bình xuất khẩu", "C", 120_000_000),
        ),
        fates=(
            "current",
            "current",
            "late_1_30",
            "late_31_90",
            "late_91_180",
            "late_180",
            "frozen",
            "repaid",
            "recalled",
            "extension_pending",
            "tranche_waiting",
            "current",
        ),
        campaign={
            "name": "Chung tay vốn khởi nghiệp Trà Vinh 2026",
            "goal": 2_000_000_000,
            "starts_on": datetime.date(2026, 3, 1),
            "ends_on": datetime.date(2026, 12, 31),
            "description": "Vận động doanh nghiệp và người dân góp vốn cho vay không lãi người khởi nghiệp.",
        },
        campaign_gifts=(
            (
                Source.ENTERPRISE,
                "Công ty TNHH Thủy sản Duyên Hải",
                False,
                400_000_000,
                datetime.date(2026, 4, 8),
            ),
            (Source.INDIVIDUAL, "Thạch Thị Sa Rên", False, 30_000_000, datetime.date(2026, 5, 19)),
            (Source.INDIVIDUAL, "Nhà hảo tâm ẩn danh", True, 100_000_000, datetime.date(2026, 6, 25)),
        ),
    ),
)

"""The programme's reference data: kinds of documents, the four procedures and the official calendar.

``load_catalogue()`` writes the document kinds an applicant gives, the procedures of the programme
(startup support, a fund loan, support for converting a household business, enrolment in the
poverty-escape scheme) with their versions and required documents, and the public holidays and
make-up working days of 2024–2027. It runs in every environment, production included: this is the
programme's reference data, not demo data.

It only creates what is missing and never changes a row that exists, so an admin's edits survive a
second run. Rows are matched by their natural key: a document kind by its code, a procedure by its
code, a version by its procedure and the day it takes effect. Two things are owned as a whole once they
exist, so that what an admin deleted stays deleted: a version's required documents are written only
together with the version, and a year of the calendar only when that year has no day at all (an admin
who removes a provisional holiday, or moves it by a day, does not get it back on the next deploy).

Everything here is data. A change of the law is a new version with its effective date, never an edit
of an old one, so a dossier keeps the version it was filed under.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from portal.models import CalendarDay, DocumentKind, Procedure, ProcedureVersion, Requirement, Team

# Document kinds.


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    description: str = ""
    # None: a document of this kind does not expire (it stays valid for once-only reuse).
    validity_months: int | None = None


# A form is signed for one request. Until a kind can say that it is never reused (a model change), one
# month of validity lets a dossier refiled after a refusal at the desk reuse its form, and no later one.
FORM_VALIDITY_MONTHS = 1

DOCUMENT_KINDS = (
    Kind(
        "don-de-nghi-ho-tro-khoi-nghiep",
        "Đơn đề nghị hỗ trợ theo mẫu",
        "Đơn đề nghị hỗ trợ dự án khởi nghiệp, ghi rõ nội dung cần hỗ trợ; ký và ghi rõ họ tên.",
        FORM_VALIDITY_MONTHS,
    ),
    Kind(
        "giay-de-nghi-vay-von",
        "Giấy đề nghị vay vốn theo mẫu của Quỹ",
        "Ghi số tiền đề nghị vay, thời hạn vay và mục đích sử dụng vốn.",
        FORM_VALIDITY_MONTHS,
    ),
    Kind(
        "to-khai-ho-tro-chuyen-doi",
        "Tờ khai đề nghị hỗ trợ chuyển đổi hộ kinh doanh thành doanh nghiệp",
        "Theo mẫu; ghi loại hình doanh nghiệp dự kiến và nội dung cần tư vấn.",
        FORM_VALIDITY_MONTHS,
    ),
    Kind(
        "don-dang-ky-thoat-ngheo",
        "Đơn đăng ký tham gia khởi nghiệp thoát nghèo",
        "Theo mẫu; có xác nhận của trưởng ấp, khóm.",
        FORM_VALIDITY_MONTHS,
    ),
    Kind(
        "ban-sao-cccd",
        "Bản sao CCCD (Căn cước công dân hoặc thẻ căn cước)",
        "Bản chụp hai mặt của người đề nghị; với doanh nghiệp là của người đại diện theo pháp luật.",
    ),
    Kind(
        "phuong-an-khoi-nghiep",
        "Phương án/dự án khởi nghiệp",
        "Sản phẩm, khách hàng, thị trường, đội ngũ, nhu cầu vốn và kế hoạch kinh doanh 1–3 năm.",
        12,
    ),
    Kind(
        "danh-sach-nhom-khoi-nghiep",
        "Danh sách thành viên nhóm khởi nghiệp",
        "Họ tên, vai trò và số điện thoại của từng thành viên.",
        12,
    ),
    Kind(
        "hinh-anh-san-pham",
        "Hình ảnh, mẫu mã sản phẩm",
        "Ảnh chụp sản phẩm, bao bì, nhãn hàng hóa (nếu có).",
        12,
    ),
    Kind(
        "giay-chung-nhan-ho-kinh-doanh",
        "Giấy chứng nhận đăng ký hộ kinh doanh",
        "Bản sao giấy chứng nhận đang còn hiệu lực.",
    ),
    Kind(
        "xac-nhan-thue-ho-kinh-doanh",
        "Xác nhận của cơ quan thuế về thời gian hoạt động của hộ kinh doanh",
        "Chứng minh hộ kinh doanh đã hoạt động liên tục ít nhất 1 năm.",
        6,
    ),
    Kind(
        "chung-tu-le-phi-mon-bai",
        "Chứng từ nộp lệ phí môn bài năm gần nhất",
        "Chỉ cần cho các năm còn thu lệ phí môn bài (lệ phí này bị bãi bỏ từ ngày 01/01/2026).",
        12,
    ),
    Kind(
        "giay-xac-nhan-ho-ngheo",
        "Giấy xác nhận hộ nghèo/cận nghèo của UBND xã",
        "Theo kết quả rà soát hộ nghèo, hộ cận nghèo hằng năm của xã, phường.",
        12,
    ),
    Kind(
        "ke-hoach-thoat-ngheo",
        "Kế hoạch sản xuất kinh doanh thoát nghèo",
        "Nuôi, trồng hoặc buôn bán gì; cần bao nhiêu vốn, bao nhiêu công; bán cho ai; khi nào có thu nhập.",
        12,
    ),
    Kind(
        "bao-cao-tai-chinh",
        "Báo cáo tài chính/sổ sách kế toán",
        "Báo cáo tài chính năm gần nhất, hoặc sổ sách thu chi nếu chưa lập báo cáo tài chính.",
        12,
    ),
    Kind(
        "ho-so-phap-ly-doanh-nghiep",
        "Hồ sơ pháp lý doanh nghiệp",
        "Giấy chứng nhận đăng ký doanh nghiệp, điều lệ và văn bản cử người đại diện (nếu có).",
    ),
    Kind(
        "phuong-an-vay-von",
        "Phương án vay vốn và trả nợ",
        "Tổng vốn của dự án, phần vốn tự có, số tiền vay, dòng tiền và kế hoạch trả nợ từng kỳ.",
        6,
    ),
    Kind(
        "giay-to-tai-san-bao-dam",
        "Giấy tờ về tài sản bảo đảm",
        "Giấy chứng nhận quyền sử dụng đất, đăng ký xe… nếu khoản vay có tài sản bảo đảm.",
    ),
)


# Procedures.


@dataclass(frozen=True)
class Needs:
    """One required document of a version: its kind's code, whether it is mandatory, and a note."""

    kind: str
    is_mandatory: bool = True
    note: str = ""


@dataclass(frozen=True)
class Version:
    number: int
    effective_from: datetime.date
    statutory_working_days: int
    legal_basis: str
    requirements: tuple[Needs, ...]


@dataclass(frozen=True)
class ProcedureEntry:
    code: str
    name: str
    description: str
    audience: str
    handling_team_kind: str
    versions: tuple[Version, ...]


CATALOGUE_START = datetime.date(2024, 1, 1)
# Resolution 198/2025/QH15 abolished the business licence fee (lệ phí môn bài) from this day.
LICENCE_FEE_ABOLISHED = datetime.date(2026, 1, 1)

STARTUP_SUPPORT = "ho-tro-du-an-khoi-nghiep"
FUND_LOAN = "vay-von-quy-khoi-nghiep"
CONVERSION_SUPPORT = "ho-tro-chuyen-doi-ho-kinh-doanh"
POVERTY_ESCAPE = "dang-ky-khoi-nghiep-thoat-ngheo"

CONVERSION_LEGAL_BASIS = (
    "Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14 (Điều 16); Nghị định 80/2021/NĐ-CP; "
    "Luật Doanh nghiệp 2020 (Điều 26: đăng ký doanh nghiệp trong 03 ngày làm việc)"
)

PROCEDURES = (
    ProcedureEntry(
        STARTUP_SUPPORT,
        "Đăng ký hỗ trợ dự án khởi nghiệp",
        "Dành cho cá nhân, nhóm khởi nghiệp và doanh nghiệp mới thành lập trên địa bàn tỉnh. Dự án đã "
        "đăng ký được tư vấn hoàn thiện phương án kinh doanh, kết nối chuyên gia và cố vấn, tham gia "
        "đào tạo, hội chợ, cuộc thi khởi nghiệp và được xét các khoản hỗ trợ theo chính sách của tỉnh. "
        "Cán bộ Cơ quan thường trực liên hệ với bạn trong thời hạn giải quyết để cùng hoàn thiện hồ sơ.",
        Procedure.Audience.STARTUP,
        Team.Kind.STANDING_AGENCY,
        (
            Version(
                1,
                CATALOGUE_START,
                15,
                "Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14 (Điều 17); Nghị định 80/2021/NĐ-CP; "
                "Đề án hỗ trợ hệ sinh thái khởi nghiệp của tỉnh",
                (
                    Needs("don-de-nghi-ho-tro-khoi-nghiep"),
                    Needs("ban-sao-cccd"),
                    Needs("phuong-an-khoi-nghiep"),
                    Needs("ho-so-phap-ly-doanh-nghiep", False, "Nếu đã thành lập doanh nghiệp."),
                    Needs("danh-sach-nhom-khoi-nghiep", False, "Nếu khởi nghiệp theo nhóm."),
                    Needs("hinh-anh-san-pham", False),
                ),
            ),
        ),
    ),
    ProcedureEntry(
        FUND_LOAN,
        "Đề nghị vay vốn Quỹ Đầu tư khởi nghiệp",
        "Dành cho người khởi nghiệp lần đầu và doanh nghiệp thành lập chưa quá 1 năm cần vốn để sản xuất, "
        "kinh doanh. Quỹ thẩm định phương án vay vốn và khả năng trả nợ; mức cho vay, thời hạn, lãi suất "
        "và tài sản bảo đảm theo Quy chế tổ chức và hoạt động của Quỹ đang có hiệu lực.",
        Procedure.Audience.STARTUP,
        Team.Kind.FUND,
        (
            Version(
                1,
                CATALOGUE_START,
                20,
                "Quy chế tổ chức và hoạt động của Quỹ Đầu tư khởi nghiệp tỉnh (do Ủy ban nhân dân tỉnh "
                "ban hành); Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14",
                (
                    Needs("giay-de-nghi-vay-von"),
                    Needs("ban-sao-cccd"),
                    Needs("ho-so-phap-ly-doanh-nghiep"),
                    Needs("phuong-an-vay-von"),
                    Needs("bao-cao-tai-chinh", False, "Nếu doanh nghiệp đã hoạt động đủ một năm tài chính."),
                    Needs("giay-to-tai-san-bao-dam", False, "Nếu khoản vay có tài sản bảo đảm."),
                ),
            ),
        ),
    ),
    ProcedureEntry(
        CONVERSION_SUPPORT,
        "Hỗ trợ hộ kinh doanh chuyển đổi thành doanh nghiệp",
        "Dành cho hộ kinh doanh đã đăng ký và hoạt động ít nhất 1 năm. Bạn được tư vấn miễn phí về hồ sơ "
        "và thủ tục thành lập doanh nghiệp, được miễn lệ phí đăng ký doanh nghiệp lần đầu, và được tư vấn "
        "miễn phí về thủ tục thuế và chế độ kế toán trong 3 năm. Tổ hỗ trợ của xã, phường hướng dẫn bạn "
        "và chuyển hồ sơ đến Phòng Đăng ký kinh doanh; giấy chứng nhận đăng ký doanh nghiệp được cấp "
        "trong 3 ngày làm việc.",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        Team.Kind.COMMUNE_TEAM,
        (
            Version(
                1,
                CATALOGUE_START,
                3,
                CONVERSION_LEGAL_BASIS,
                (
                    Needs("to-khai-ho-tro-chuyen-doi"),
                    Needs("ban-sao-cccd"),
                    Needs("giay-chung-nhan-ho-kinh-doanh"),
                    Needs("xac-nhan-thue-ho-kinh-doanh"),
                    Needs(
                        "chung-tu-le-phi-mon-bai",
                        True,
                        "Để xác định thời gian hoạt động và miễn lệ phí môn bài 3 năm sau khi chuyển đổi.",
                    ),
                    Needs("bao-cao-tai-chinh", False, "Sổ sách thu chi, nếu có."),
                ),
            ),
            # The licence fee is gone, and with it the receipts and the exemption they proved.
            Version(
                2,
                LICENCE_FEE_ABOLISHED,
                3,
                CONVERSION_LEGAL_BASIS
                + "; Nghị quyết 198/2025/QH15 (bãi bỏ lệ phí môn bài từ ngày 01/01/2026)",
                (
                    Needs("to-khai-ho-tro-chuyen-doi"),
                    Needs("ban-sao-cccd"),
                    Needs("giay-chung-nhan-ho-kinh-doanh"),
                    Needs("xac-nhan-thue-ho-kinh-doanh"),
                    Needs("bao-cao-tai-chinh", False, "Sổ sách thu chi, nếu có."),
                ),
            ),
        ),
    ),
    ProcedureEntry(
        POVERTY_ESCAPE,
        "Đăng ký tham gia khởi nghiệp thoát nghèo",
        "Dành cho hộ nghèo, hộ cận nghèo muốn làm ăn để thoát nghèo. Tổ hỗ trợ của xã, phường cùng gia "
        "đình lập kế hoạch sản xuất, kinh doanh cụ thể (làm gì, cần bao nhiêu vốn, bán cho ai), kết nối "
        "vốn vay ưu đãi, tập huấn kỹ thuật và theo dõi, đồng hành cho đến khi thoát nghèo.",
        Procedure.Audience.POOR_HOUSEHOLD,
        Team.Kind.COMMUNE_TEAM,
        (
            Version(
                1,
                CATALOGUE_START,
                10,
                "Quyết định 90/QĐ-TTg ngày 18/01/2022 (Chương trình mục tiêu quốc gia giảm nghèo bền vững); "
                "Nghị định 07/2021/NĐ-CP (chuẩn nghèo đa chiều); kế hoạch khởi nghiệp thoát nghèo của tỉnh",
                (
                    Needs("don-dang-ky-thoat-ngheo"),
                    Needs("ban-sao-cccd"),
                    Needs("giay-xac-nhan-ho-ngheo"),
                    Needs("ke-hoach-thoat-ngheo", True, "Cán bộ tổ hỗ trợ cùng lập với gia đình nếu cần."),
                    Needs("giay-chung-nhan-ho-kinh-doanh", False, "Nếu gia đình đã đăng ký hộ kinh doanh."),
                ),
            ),
        ),
    ),
)


# The official calendar.


@dataclass(frozen=True)
class Day:
    date: datetime.date
    name: str
    kind: str = CalendarDay.Kind.DAY_OFF


def _off(year: int, month: int, day: int, name: str) -> Day:
    return Day(datetime.date(year, month, day), name)


def _work(year: int, month: int, day: int, name: str) -> Day:
    return Day(datetime.date(year, month, day), name, CalendarDay.Kind.WORKING_DAY)


# Labour Code 2019, Art. 112: New Year 1 day, Tết 5 days, Hùng Kings 1 day (10/3 lunar), 30/4 and 1/5,
# 2/9 with one adjacent day; a holiday on a weekly day off is made up on the next working day. Each year
# the Prime Minister fixes the civil service's Tết days and any swaps (a weekday off, a Saturday worked).
# Only the days that differ from the Monday–Friday week or that are holidays themselves are listed; the
# weekends around a break are ordinary weekends. The 24/11 "Ngày Văn hóa Việt Nam" day off announced in
# 2026 awaits an amendment of Art. 112 and is not here; admins add it once it is law.
CALENDAR = (
    # 2024
    _off(2024, 1, 1, "Tết Dương lịch"),
    # Tết Giáp Thìn: 08/02 (29 tháng Chạp) to 14/02 (mùng 5), mùng 1 on Saturday 10/02.
    _off(2024, 2, 8, "Tết Nguyên đán Giáp Thìn (29 tháng Chạp)"),
    _off(2024, 2, 9, "Tết Nguyên đán Giáp Thìn (30 tháng Chạp)"),
    _off(2024, 2, 10, "Tết Nguyên đán Giáp Thìn (mùng 1)"),
    _off(2024, 2, 11, "Tết Nguyên đán Giáp Thìn (mùng 2)"),
    _off(2024, 2, 12, "Tết Nguyên đán Giáp Thìn (mùng 3)"),
    _off(2024, 2, 13, "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)"),
    _off(2024, 2, 14, "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)"),
    _off(2024, 4, 18, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    # Công văn 2450/VPCP-KGVX: Monday 29/04 off, worked on Saturday 04/05.
    _off(2024, 4, 29, "Nghỉ hoán đổi dịp 30/4 (làm bù thứ Bảy 04/5/2024)"),
    _off(2024, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2024, 5, 1, "Ngày Quốc tế Lao động"),
    _work(2024, 5, 4, "Làm bù cho ngày nghỉ 29/4/2024"),
    _off(2024, 9, 2, "Quốc khánh"),
    _off(2024, 9, 3, "Quốc khánh (ngày liền kề)"),
    # 2025
    _off(2025, 1, 1, "Tết Dương lịch"),
    # Tết Ất Tỵ: 25/01 to 02/02, nine days with the two weekends; mùng 1 on Wednesday 29/01.
    _off(2025, 1, 27, "Tết Nguyên đán Ất Tỵ (28 tháng Chạp)"),
    _off(2025, 1, 28, "Tết Nguyên đán Ất Tỵ (29 tháng Chạp)"),
    _off(2025, 1, 29, "Tết Nguyên đán Ất Tỵ (mùng 1)"),
    _off(2025, 1, 30, "Tết Nguyên đán Ất Tỵ (mùng 2)"),
    _off(2025, 1, 31, "Tết Nguyên đán Ất Tỵ (mùng 3)"),
    _off(2025, 4, 7, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    _work(2025, 4, 26, "Làm bù cho ngày nghỉ 02/5/2025"),
    _off(2025, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2025, 5, 1, "Ngày Quốc tế Lao động"),
    _off(2025, 5, 2, "Nghỉ hoán đổi dịp 30/4 (làm bù thứ Bảy 26/4/2025)"),
    _off(2025, 9, 1, "Quốc khánh (ngày liền kề)"),
    _off(2025, 9, 2, "Quốc khánh"),
    # 2026
    _off(2026, 1, 1, "Tết Dương lịch"),
    # Công văn 12729/VPCP-KGVX (25/12/2025): Friday 02/01 off, worked on Saturday 10/01.
    _off(2026, 1, 2, "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)"),
    _work(2026, 1, 10, "Làm bù cho ngày nghỉ 02/01/2026"),
    # The Prime Minister's decision of October 2025: 14/02 (27 tháng Chạp) to 22/02 (mùng 6), nine days;
    # the five Tết days are Monday 16/02 (29 tháng Chạp) to Friday 20/02 (mùng 4), mùng 1 on 17/02.
    _off(2026, 2, 16, "Tết Nguyên đán Bính Ngọ (29 tháng Chạp)"),
    _off(2026, 2, 17, "Tết Nguyên đán Bính Ngọ (mùng 1)"),
    _off(2026, 2, 18, "Tết Nguyên đán Bính Ngọ (mùng 2)"),
    _off(2026, 2, 19, "Tết Nguyên đán Bính Ngọ (mùng 3)"),
    _off(2026, 2, 20, "Tết Nguyên đán Bính Ngọ (mùng 4)"),
    _off(2026, 4, 26, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    _off(2026, 4, 27, "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)"),
    _off(2026, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2026, 5, 1, "Ngày Quốc tế Lao động"),
    # The same decision: 29/08 to 02/09, with 01/09 as the adjacent day and Monday 31/08 swapped
    # for Saturday 22/08.
    _work(2026, 8, 22, "Làm bù cho ngày nghỉ 31/8/2026"),
    _off(2026, 8, 31, "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/8/2026)"),
    _off(2026, 9, 1, "Quốc khánh (ngày liền kề)"),
    _off(2026, 9, 2, "Quốc khánh"),
    # 2027: provisional. No decision on Tết or swaps yet; Tết is estimated like 2024's (mùng 1 on
    # Saturday 06/02/2027): 04/02 to 10/02. The other dates follow the Labour Code; check them
    # against the Prime Minister's decision when it comes and correct them in the admin.
    _off(2027, 1, 1, "Tết Dương lịch"),
    _off(2027, 2, 4, "Tết Nguyên đán Đinh Mùi (28 tháng Chạp, dự kiến)"),
    _off(2027, 2, 5, "Tết Nguyên đán Đinh Mùi (29 tháng Chạp, dự kiến)"),
    _off(2027, 2, 6, "Tết Nguyên đán Đinh Mùi (mùng 1, dự kiến)"),
    _off(2027, 2, 7, "Tết Nguyên đán Đinh Mùi (mùng 2, dự kiến)"),
    _off(2027, 2, 8, "Tết Nguyên đán Đinh Mùi (mùng 3, dự kiến)"),
    _off(2027, 2, 9, "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy, dự kiến)"),
    _off(2027, 2, 10, "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật, dự kiến)"),
    _off(2027, 4, 16, "Giỗ Tổ Hùng Vương (10/3 âm lịch, dự kiến)"),
    _off(2027, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước (dự kiến)"),
    _off(2027, 5, 1, "Ngày Quốc tế Lao động (dự kiến)"),
    _off(2027, 5, 3, "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 01/5, dự kiến)"),
    _off(2027, 9, 2, "Quốc khánh (dự kiến)"),
    _off(2027, 9, 3, "Quốc khánh (ngày liền kề, dự kiến)"),
)


# Loading.


@dataclass
class CatalogueReport:
    """Rows by model name: how many were created and how many were already there (left as they are)."""

    created: Counter
    existing: Counter


@transaction.atomic
def load_catalogue() -> CatalogueReport:
    """Create the document kinds, procedures, versions, required documents and calendar days that are missing.

    Rows that exist are left untouched, whatever they hold; see the module's docstring.
    """
    report = CatalogueReport(created=Counter(), existing=Counter())
    kinds = _load_document_kinds(report)
    _load_procedures(report, kinds)
    _load_calendar(report)
    return report


def _load_document_kinds(report: CatalogueReport) -> dict[str, DocumentKind]:
    kinds = {kind.code: kind for kind in DocumentKind.objects.all()}
    for entry in DOCUMENT_KINDS:
        if entry.code in kinds:
            report.existing["DocumentKind"] += 1
            continue
        kinds[entry.code] = DocumentKind.objects.create(
            code=entry.code,
            name=entry.name,
            description=entry.description,
            validity_months=entry.validity_months,
        )
        report.created["DocumentKind"] += 1
    return kinds


def _load_procedures(report: CatalogueReport, kinds: dict[str, DocumentKind]) -> None:
    procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
    versions = set(ProcedureVersion.objects.values_list("procedure_id", "effective_from"))
    numbers = set(ProcedureVersion.objects.values_list("procedure_id", "number"))
    report.existing["Requirement"] = Requirement.objects.count()
    for entry in PROCEDURES:
        procedure = procedures.get(entry.code)
        if procedure is None:
            procedure = Procedure.objects.create(
                code=entry.code,
                name=entry.name,
                description=entry.description,
                audience=entry.audience,
                handling_team_kind=entry.handling_team_kind,
            )
            report.created["Procedure"] += 1
        else:
            report.existing["Procedure"] += 1
        for version_entry in entry.versions:
            # An admin may have given the number to a version of their own: theirs stays.
            if (procedure.pk, version_entry.effective_from) in versions or (
                procedure.pk,
                version_entry.number,
            ) in numbers:
                report.existing["ProcedureVersion"] += 1
                continue
            version = ProcedureVersion.objects.create(
                procedure=procedure,
                number=version_entry.number,
                effective_from=version_entry.effective_from,
                statutory_working_days=version_entry.statutory_working_days,
                legal_basis=version_entry.legal_basis,
            )
            report.created["ProcedureVersion"] += 1
            Requirement.objects.bulk_create(
                Requirement(
                    version=version,
                    document_kind=kinds[needs.kind],
                    is_mandatory=needs.is_mandatory,
                    note=needs.note,
                    position=position,
                )
                for position, needs in enumerate(version_entry.requirements, start=1)
            )
            report.created["Requirement"] += len(version_entry.requirements)


def _load_calendar(report: CatalogueReport) -> None:
    """The days of each year that has none yet: once a year has days, the admins own that year."""
    years_with_days = {day.year for day in CalendarDay.objects.values_list("date", flat=True)}
    missing = [day for day in CALENDAR if day.date.year not in years_with_days]
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day.date, kind=day.kind, name=day.name) for day in missing
    )
    report.created["CalendarDay"] += len(missing)
    report.existing["CalendarDay"] += CalendarDay.objects.count() - len(missing)


def load_reference_data() -> CatalogueReport:
    """All of the programme's reference data: this catalogue, then the policy library and entitlements."""
    from portal.policy_catalogue import load_policies  # it builds on this module's procedures

    return load_policies(load_catalogue())

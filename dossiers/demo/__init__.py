"""The demo's dossiers (DESIGN.md §7): applicants of Vĩnh Long and their requests, in every status.

``build_dossiers()`` files about two dozen dossiers of local people (coconut candy from Mỏ Cày, bonsai
from Chợ Lách, clams from Bình Đại, fish sauce from Ba Tri…) and takes each through the services as the
people involved would: filed online, in person or by post, received, asked for supplements (one of them
twice), decided, returned and rated, refused at the desk, withdrawn, stopped; some late, some of those
with an apology; inquiries answered on time and late, one escalated. A few dossiers of former Chợ Lách
district communes, handled by their commune teams before the 1 July 2025 reform, are history. The demo
applicant ``nguoinop`` has three dossiers: one returned, one waiting for her supplement, one draft.

Going through the services writes the timeline, the audit records and the notifications as the portal
would. The services act on today, though, so each step is given its own day afterwards: after a step,
everything it wrote (events, notifications, documents, supplement requests, inquiries and the dossier's
dates) is moved to the step's day with ``QuerySet.update``. Dates that the services derive from today
(the due date, the paused day, a document's validity, an inquiry's reply date) are computed again from
the step's day with the same working-day rules. The audit records are left as written: they truthfully
record when the demo was loaded.

Running it again changes nothing: an applicant is found by their CCCD number and a dossier by its
applicant, procedure and summary; what exists is skipped.
"""

import contextlib
import datetime
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation

from dossiers import catalogue
from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import (
    Applicant,
    Document,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    SupplementRequest,
)
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document, review_document
from dossiers.services.inquiries import escalate_inquiry, raise_inquiry, reply_to_inquiry
from portal.demo import PROVINCE_CODE, Writer, synthetic
from portal.models import AdminUnit, Membership, Notification, Target, Team, User
from portal.models.units import REFORM_DATE
from portal.working_days import Calendar, add_working_days, working_days_between

ONLINE, IN_PERSON, POST = Dossier.Channel.ONLINE, Dossier.Channel.IN_PERSON, Dossier.Channel.POST
PERSON, ENTERPRISE = Applicant.Kind.PERSON, Applicant.Kind.ENTERPRISE
STARTUP = catalogue.STARTUP_SUPPORT
LOAN = catalogue.FUND_LOAN
CONVERSION = catalogue.CONVERSION_SUPPORT
POVERTY = catalogue.POVERTY_ESCAPE
FORMER_UNTIL = REFORM_DATE - datetime.timedelta(days=1)
# Notifications older than this have been read.
READ_AFTER = datetime.timedelta(days=10)


@dataclass(frozen=True)
class Person:
    national_id: str
    full_name: str
    ward: str  # GSO code of the current commune or ward
    phone: str
    address: str
    enterprise_name: str = ""
    kind: str = PERSON
    tax_code: str = ""
    has_account: bool = False
    login: str = ""  # a demo login that is this applicant


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


PEOPLE = (
    Person(
        "083188012345",
        "Võ Thị Mỹ Duyên",
        "28870",
        "0939 412 587",
        "Ấp Hòa Thuận, xã Chợ Lách, tỉnh Vĩnh Long",
        "Công ty TNHH Kẹo dừa Mỹ Duyên",
        ENTERPRISE,
        "1301234567",
        login="nguoinop",
    ),
    Person(
        "083079003456",
        "Nguyễn Văn Hậu",
        "28879",
        "0918 236 471",
        "Ấp Phú Khương, xã Phú Phụng, tỉnh Vĩnh Long",
        "Vườn kiểng Hậu Sơn Định",
    ),
    Person(
        "083190007812",
        "Trần Thị Ngọc Hân",
        "28903",
        "0977 518 203",
        "Khu phố 3, xã Mỏ Cày, tỉnh Vĩnh Long",
        "Hộ kinh doanh Kẹo dừa Ngọc Hân",
    ),
    Person(
        "083094011235",
        "Lê Minh Trí",
        "28756",
        "0909 774 126",
        "Số 12 đường Đoàn Hoàng Minh, phường Phú Khương, tỉnh Vĩnh Long",
        "Công ty TNHH Thạch dừa Trí Việt",
        ENTERPRISE,
        "1301876543",
        has_account=True,
    ),
    Person(
        "083185006621",
        "Phạm Thị Thu Thảo",
        "29050",
        "0946 302 118",
        "Ấp Thừa Lợi, xã Bình Đại, tỉnh Vĩnh Long",
        "Hộ kinh doanh Nghêu sạch Thu Thảo",
    ),
    Person(
        "083081004417",
        "Huỳnh Văn Phúc",
        "29182",
        "0388 615 920",
        "Ấp An Hòa, xã Thạnh Phú, tỉnh Vĩnh Long",
        "Trại tôm sú sinh thái Phúc Thạnh",
    ),
    Person(
        "083192003350",
        "Đặng Thị Kim Loan",
        "28894",
        "0869 224 735",
        "Ấp Vĩnh Hưng, xã Vĩnh Thành, tỉnh Vĩnh Long",
    ),
    Person(
        "083070008829", "Ngô Văn Lộc", "29125", "0357 481 066", "Ấp Bảo Hòa, xã Bảo Thạnh, tỉnh Vĩnh Long"
    ),
    Person(
        "083187009904",
        "Hồ Thị Bích Trâm",
        "29044",
        "0972 305 186",
        "Ấp Sơn Đốc, xã Hưng Nhượng, tỉnh Vĩnh Long",
        "Cơ sở bánh phồng Sơn Đốc Bích Trâm",
    ),
    Person(
        "083096002281",
        "Bùi Quốc Khang",
        "28777",
        "0901 553 847",
        "Số 45 đường Hùng Vương, phường An Hội, tỉnh Vĩnh Long",
        "Công ty Cổ phần Công nghệ Nông nghiệp Khang Nông",
        ENTERPRISE,
        "1301998877",
        has_account=True,
    ),
    Person(
        "083195005517",
        "Lâm Thị Thùy Trang",
        "28945",
        "0932 687 410",
        "Ấp Bình Thạnh, xã Đồng Khởi, tỉnh Vĩnh Long",
        "Hộ kinh doanh Mỹ nghệ gáo dừa Thùy Trang",
        has_account=True,
    ),
    Person(
        "083091007743",
        "Võ Hoàng Nam",
        "28789",
        "0913 470 652",
        "Số 8 đường Nguyễn Đình Chiểu, phường Bến Tre, tỉnh Vĩnh Long",
        "Công ty TNHH Du lịch sinh thái Cồn Phụng Xanh",
        ENTERPRISE,
        "1302001122",
    ),
    Person(
        "083083001190",
        "Dương Văn Tài",
        "29077",
        "0394 118 527",
        "Ấp Lộc Hiệp, xã Lộc Thuận, tỉnh Vĩnh Long",
        "Hộ kinh doanh Cá khô Tài Lộc",
    ),
    Person(
        "083189004468",
        "Phan Thị Mỹ Linh",
        "28993",
        "0961 335 894",
        "Ấp Thạnh Hòa, xã Lương Phú, tỉnh Vĩnh Long",
        "Công ty TNHH Bánh tráng Mỹ Lồng Mỹ Linh",
        ENTERPRISE,
        "1302114455",
        has_account=True,
    ),
    Person(
        "083072006635",
        "Trương Minh Quang",
        "28901",
        "0918 902 364",
        "Ấp Tân Khánh, xã Hưng Khánh Trung, tỉnh Vĩnh Long",
        "Công ty TNHH Cây giống Minh Quang",
        ENTERPRISE,
        "1301554433",
        has_account=True,
    ),
    Person(
        "083186002207",
        "Lý Thị Ngọc Yến",
        "29110",
        "0889 540 213",
        "Khu phố 2, xã Ba Tri, tỉnh Vĩnh Long",
        "Cơ sở nước mắm Ngọc Yến Ba Tri",
    ),
    Person(
        "083068005512", "Tô Văn Nghĩa", "28861", "0376 209 845", "Ấp Quới Hòa, xã Tiên Thủy, tỉnh Vĩnh Long"
    ),
    Person(
        "083193008871",
        "Mai Thị Diễm",
        "29227",
        "0398 774 502",
        "Ấp Thạnh Hòa, xã Thạnh Phong, tỉnh Vĩnh Long",
    ),
    Person(
        "083080003324",
        "Cao Văn Thắng",
        "28957",
        "0917 630 248",
        "Ấp Tân Lợi, xã An Định, tỉnh Vĩnh Long",
        "Hộ kinh doanh Chỉ xơ dừa Cao Thắng",
    ),
    Person(
        "083184001156",
        "Nguyễn Thị Thanh Tuyết",
        "28987",
        "0353 902 617",
        "Ấp Phong Thới, xã Lương Hòa, tỉnh Vĩnh Long",
    ),
    Person(
        "083175002246",
        "Lê Thị Hồng Gấm",
        "28879",
        "0919 045 338",
        "Ấp Sơn Lân, xã Phú Phụng, tỉnh Vĩnh Long",
        "Công ty TNHH Hoa kiểng Hồng Gấm",
        ENTERPRISE,
        "1301445566",
    ),
    Person(
        "083066004490", "Trần Văn Bảy", "28894", "0385 662 140", "Ấp Phú Hữu, xã Vĩnh Thành, tỉnh Vĩnh Long"
    ),
    Person(
        "083088006673", "Phạm Văn Út", "28870", "0966 118 402", "Ấp Long Hiệp, xã Chợ Lách, tỉnh Vĩnh Long"
    ),
)

DUYEN, HAU, HAN, TRI, THAO, PHUC, KIM_LOAN, LOC, TRAM, KHANG, TRANG, NAM, TAI, LINH, QUANG, YEN, NGHIA = (
    person.national_id for person in PEOPLE[:17]
)
DIEM, THANG, TUYET, GAM, BAY, UT = (person.national_id for person in PEOPLE[17:])

PLANS = (
    # History: former communes of Chợ Lách district, handled by their commune teams.
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
    # Since the reform.
    Plan(
        DUYEN,
        CONVERSION,
        "Chuyển hộ kinh doanh Kẹo dừa Mỹ Duyên (kẹo dừa sầu riêng Cái Mơn) lên công ty TNHH để bán cho "
        "siêu thị.",
        IN_PERSON,
        datetime.date(2025, 10, 6),
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            Step(
                "complete",
                2,
                "Đã hướng dẫn lập hồ sơ; Công ty TNHH Kẹo dừa Mỹ Duyên được cấp Giấy chứng nhận đăng ký "
                "doanh "
                "nghiệp, mã số 1301234567, miễn lệ phí đăng ký lần đầu; được tư vấn miễn phí về thuế và "
                "kế toán "
                "trong 3 năm.",
            ),
            Step("return", 1),
            Step("rate", 1, "Cán bộ xã hướng dẫn tận tình, đúng hẹn.", rating=5),
        ),
    ),
    Plan(
        LOC,
        POVERTY,
        "Đăng ký nuôi bò sinh sản giống bò Ba Tri để thoát nghèo.",
        IN_PERSON,
        200,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            Step(
                "complete",
                6,
                "Gia đình được hỗ trợ kế hoạch nuôi 2 con bò sinh sản, kết nối vay 40.000.000 ₫ từ Ngân hàng "
                "Chính sách xã hội; Hội Nông dân xã theo dõi và tập huấn.",
            ),
            Step("return", 2),
        ),
    ),
    Plan(
        LINH,
        CONVERSION,
        "Chuyển hộ kinh doanh bánh tráng Mỹ Lồng lên công ty TNHH.",
        ONLINE,
        150,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step(
                "complete",
                1,
                "Công ty TNHH Bánh tráng Mỹ Lồng Mỹ Linh được cấp Giấy chứng nhận đăng ký doanh nghiệp, "
                "miễn lệ "
                "phí đăng ký lần đầu; được tư vấn miễn phí về thuế và kế toán trong 3 năm.",
            ),
            Step("return", 1),
            Step("rate", 1, "Thủ tục nhanh; mong có thêm hướng dẫn về hóa đơn điện tử.", rating=4),
        ),
    ),
    Plan(
        KHANG,
        LOAN,
        "Vay vốn phát triển ứng dụng truy xuất nguồn gốc trái cây cho các hợp tác xã.",
        ONLINE,
        120,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step(
                "supplement",
                3,
                "Bổ sung báo cáo tài chính quý gần nhất và sao kê tài khoản 6 tháng để Quỹ thẩm định "
                "dòng tiền.",
                kinds=("bao-cao-tai-chinh",),
            ),
            Step("supply", 4),
            Step("ask", 2, "Hồ sơ của công ty đã được thẩm định đến bước nào?"),
            Step(
                "reply",
                3,
                "Quỹ đã thẩm định xong phương án; đang chờ Hội đồng quản lý Quỹ họp xét duyệt vào cuối "
                "tháng.",
            ),
            Step(
                "apologise",
                4,
                "Hội đồng quản lý Quỹ họp xét duyệt chậm hơn dự kiến do trùng lịch tổng kết năm; Quỹ "
                "xin lỗi và "
                "hẹn lại ngày trả kết quả.",
                days=17,
            ),
            Step(
                "complete",
                12,
                "Quỹ đồng ý cho vay 300.000.000 ₫ (trên 200 triệu đồng nên đã trình Ủy ban nhân dân tỉnh phê "
                "duyệt), thời hạn 48 tháng, lãi suất ưu đãi 3%/năm.",
            ),
            Step("return", 2),
            Step("rate", 1, "Kết quả tốt nhưng chậm hơn hẹn ban đầu.", rating=3),
        ),
    ),
    Plan(
        TUYET,
        POVERTY,
        "Đăng ký trồng 200 gốc bưởi da xanh để thoát nghèo.",
        IN_PERSON,
        100,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "apologise",
                7,
                "Chờ Ngân hàng Chính sách xã hội xác nhận nguồn vốn cho vay trong quý; Tổ hỗ trợ xin "
                "lỗi và hẹn "
                "lại ngày trả kết quả.",
                days=9,
            ),
            Step(
                "complete",
                8,
                "Gia đình được hỗ trợ kế hoạch trồng 200 gốc bưởi da xanh, kết nối vay 50.000.000 ₫ từ "
                "Ngân hàng "
                "Chính sách xã hội; cán bộ theo dõi hằng quý.",
            ),
            Step("return", 3),
        ),
    ),
    Plan(
        DIEM,
        POVERTY,
        "Đăng ký nuôi cua biển trong ao tôm quảng canh để thoát nghèo.",
        IN_PERSON,
        80,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "stop",
                6,
                "Theo kết quả rà soát giữa năm, hộ đã có thu nhập trên chuẩn cận nghèo nên không còn "
                "thuộc đối "
                "tượng; Tổ hỗ trợ hướng dẫn chị đăng ký hộ kinh doanh và vay vốn khởi nghiệp.",
            ),
        ),
    ),
    Plan(
        PHUC,
        LOAN,
        "Vay vốn cải tạo ao nuôi tôm sú theo mô hình tôm – lúa sinh thái.",
        IN_PERSON,
        70,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 2),
            Step("payment", 5, "Nộp phí thẩm định giá tài sản bảo đảm 500.000 ₫ cho đơn vị thẩm định giá."),
            Step("paid", 3),
            Step(
                "complete",
                6,
                "Quỹ đồng ý cho vay 150.000.000 ₫, thời hạn 36 tháng, lãi suất 3%/năm, trả gốc 6 tháng "
                "một lần.",
            ),
            Step("return", 2),
        ),
    ),
    Plan(
        HAU,
        STARTUP,
        "Hỗ trợ phát triển dự án bonsai mini và hoa kiểng Chợ Lách bán trực tuyến.",
        IN_PERSON,
        60,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "ask", 3, "Ông Hậu hỏi: dự án có được hỗ trợ gian hàng tại Lễ hội hoa kiểng Chợ Lách không?"
            ),
            Step(
                "reply", 2, "Có. Dự án được bố trí gian hàng miễn phí; thư mời được gửi trước lễ hội 2 tuần."
            ),
            Step(
                "complete",
                8,
                "Đồng ý hỗ trợ: tư vấn hoàn thiện phương án kinh doanh bonsai mini, kết nối cố vấn của "
                "Hội Sinh "
                "vật cảnh tỉnh, hỗ trợ 50% chi phí thiết kế nhãn hiệu (tối đa 10.000.000 ₫).",
            ),
        ),
    ),
    Plan(
        TRI,
        STARTUP,
        "Hỗ trợ mở rộng dây chuyền sản xuất thạch dừa hữu cơ xuất khẩu.",
        ONLINE,
        55,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step("ask", 3, "Công ty có được hỗ trợ chi phí làm website bán hàng và chứng nhận HACCP không?"),
            Step(
                "reply",
                8,
                "Chi phí chứng nhận HACCP được hỗ trợ 50% theo chính sách của tỉnh; website bán hàng "
                "chưa thuộc "
                "nội dung hỗ trợ. Xin lỗi anh vì trả lời chậm.",
            ),
            Step(
                "apologise",
                1,
                "Cần ý kiến thẩm định của Sở Khoa học và Công nghệ về tính đổi mới sáng tạo của sản "
                "phẩm; Cơ quan "
                "thường trực xin lỗi và hẹn lại ngày trả kết quả.",
                days=30,
            ),
        ),
    ),
    Plan(
        YEN,
        STARTUP,
        "Hỗ trợ xây dựng thương hiệu và mã số mã vạch cho nước mắm cá cơm truyền thống Ba Tri.",
        POST,
        50,
        (Step("submit"), Step("receive", 2), Step("start", 2)),
    ),
    Plan(
        THANG,
        CONVERSION,
        "Chuyển cơ sở se chỉ xơ dừa lên doanh nghiệp.",
        IN_PERSON,
        40,
        (
            Step("submit"),
            Step("receive"),
            Step("withdraw", 1, "Gia đình quyết định tiếp tục kinh doanh theo mô hình hộ kinh doanh."),
        ),
    ),
    Plan(
        KIM_LOAN,
        POVERTY,
        "Đăng ký trồng xen sầu riêng và nuôi ong trong vườn chôm chôm để thoát nghèo.",
        IN_PERSON,
        35,
        (Step("submit"), Step("receive"), Step("start", 3)),
    ),
    Plan(
        HAN,
        CONVERSION,
        "Chuyển hộ kinh doanh kẹo dừa lên công ty để đăng ký mã số mã vạch và bán trên sàn thương mại "
        "điện tử.",
        IN_PERSON,
        30,
        (
            Step("submit"),
            Step("receive"),
            Step(
                "supplement",
                1,
                "Bản chụp Giấy chứng nhận đăng ký hộ kinh doanh bị mất góc, không đọc được số; nộp lại "
                "bản rõ nét.",
                kinds=("giay-chung-nhan-ho-kinh-doanh",),
            ),
            Step("supply", 3),
            Step(
                "supplement",
                1,
                "Xác nhận của cơ quan thuế đã quá 6 tháng; xin xác nhận mới tại Thuế cơ sở.",
                kinds=("xac-nhan-thue-ho-kinh-doanh",),
            ),
            Step(
                "ask",
                2,
                "Chị Hân hỏi: sau sáp nhập, xin xác nhận của Thuế cơ sở ở đâu, có làm trực tuyến được không?",
            ),
            Step("escalate", 6),
        ),
    ),
    Plan(
        THAO,
        LOAN,
        "Vay vốn mở rộng bãi nuôi nghêu thương phẩm đạt chuẩn VietGAP.",
        IN_PERSON,
        22,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "payment",
                6,
                "Nộp lệ phí đăng ký thế chấp quyền sử dụng đất 80.000 ₫ tại Văn phòng đăng ký đất đai "
                "và gửi biên "
                "lai cho Quỹ.",
            ),
        ),
    ),
    Plan(
        DUYEN,
        STARTUP,
        "Hỗ trợ phát triển dòng kẹo dừa sầu riêng ít đường và bao bì mới để vào siêu thị.",
        ONLINE,
        20,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 2),
            Step(
                "supplement",
                4,
                "Phương án chưa có kế hoạch tài chính 3 năm và giá thành sản phẩm; bổ sung bảng dự tính "
                "doanh thu, "
                "chi phí và giá thành kẹo dừa sầu riêng ít đường.",
                kinds=("phuong-an-khoi-nghiep",),
            ),
            Step("ask", 2, "Tôi chưa biết lập kế hoạch tài chính, có mẫu nào không ạ?"),
            Step(
                "reply",
                1,
                "Chị tải mẫu kế hoạch tài chính trong Thư viện chính sách của Cổng; cán bộ sẽ gọi điện "
                "hướng dẫn "
                "chị trong tuần này.",
            ),
        ),
    ),
    Plan(
        TRAM,
        STARTUP,
        "Hỗ trợ đóng gói, in nhãn và đưa bánh phồng Sơn Đốc lên sàn thương mại điện tử.",
        IN_PERSON,
        18,
        (Step("submit"), Step("receive", 1), Step("start", 2)),
    ),
    Plan(
        TAI,
        CONVERSION,
        "Chuyển hộ kinh doanh cá khô lên doanh nghiệp.",
        IN_PERSON,
        16,
        (
            Step("submit"),
            Step(
                "refuse",
                0,
                "Hộ kinh doanh mới hoạt động 7 tháng, chưa đủ 1 năm nên chưa thuộc đối tượng hỗ trợ "
                "chuyển đổi; "
                "mời ông nộp lại khi đủ 1 năm.",
            ),
        ),
    ),
    Plan(
        QUANG,
        LOAN,
        "Vay vốn xây nhà lưới sản xuất cây giống sầu riêng, bưởi sạch bệnh.",
        ONLINE,
        12,
        (Step("submit"), Step("receive", 1), Step("start", 2)),
    ),
    Plan(
        DUYEN,
        LOAN,
        "Vay vốn mua máy đóng gói kẹo dừa tự động.",
        ONLINE,
        7,
        documents=("giay-de-nghi-vay-von",),
    ),
    Plan(
        NGHIA,
        POVERTY,
        "Đăng ký nuôi dê thịt để thoát nghèo.",
        IN_PERSON,
        4,
        (
            Step("submit"),
            Step("receive"),
            Step(
                "ask",
                1,
                "Ông Nghĩa hỏi: được vay Ngân hàng Chính sách xã hội bao nhiêu để mua dê giống, có cần "
                "thế chấp không?",
            ),
        ),
    ),
    Plan(
        NAM,
        STARTUP,
        "Hỗ trợ dự án du lịch trải nghiệm làm kẹo dừa và chèo xuồng trên rạch ở Cồn Phụng.",
        POST,
        3,
        (Step("submit"),),
    ),
    Plan(
        TRANG,
        CONVERSION,
        "Chuyển hộ kinh doanh mỹ nghệ gáo dừa lên công ty TNHH để xuất khẩu.",
        ONLINE,
        1,
        (Step("submit"),),
    ),
)


@dataclass
class DossierReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged")
    # A dossier of the demo applicant and the last four digits of her phone, for the public lookup.
    lookup: tuple[str, str] | None = None

    def summary(self) -> list[str]:
        lines = [
            f"{model + 's:':<13}{self.rows[(model, 'created')]} created, "
            f"{self.rows[(model, 'unchanged')]} unchanged."
            for model in ("Applicant", "Dossier")
        ]
        if self.lookup:
            code, last_four = self.lookup
            lines.append(
                f"Public lookup of a dossier: code {code}, last four digits of the phone {last_four}."
            )
        return lines


def build(writer: Writer, today: datetime.date | None = None) -> DossierReport:
    """Create the demo's applicants and dossiers that do not exist yet; ``writer`` makes their accounts."""
    today = today or timezone.localdate()
    # What the services write for people to read (notifications) is in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        report = _build(writer, today)
    report.rows.update(_targets())
    return report


# The province's yearly target of dossiers received.
YEARLY_TARGET = {2025: 30, 2026: 30}


def _targets() -> Counter:
    """The province's targets of dossiers received, written when missing or different."""
    rows: Counter = Counter()
    province = AdminUnit.objects.get(code=PROVINCE_CODE, valid_until__isnull=True)
    for year, value in YEARLY_TARGET.items():
        target, created = Target.objects.get_or_create(
            unit=province, year=year, measure=DOSSIERS_RECEIVED, defaults={"value": value}
        )
        if not created and target.value != value:
            target.value = value
            target.save(update_fields=["value"])
        rows["Target", "created" if created else "unchanged"] += 1
    return rows


def _build(writer: Writer, today: datetime.date) -> DossierReport:
    builder = _Builder(writer, today)
    report = DossierReport()
    applicants = {person.national_id: builder.applicant(person, report) for person in PEOPLE}
    # What had happened by today: a demo loaded on an earlier day shows fewer dossiers.
    plans = sorted(
        (plan for plan in PLANS if builder.filed_on(plan) <= today), key=lambda plan: builder.filed_on(plan)
    )
    existing = set(Dossier.objects.values_list("applicant_id", "procedure__code", "summary"))
    for plan in plans:
        applicant = applicants[plan.person]
        if (applicant.pk, plan.procedure, plan.summary) in existing:
            report.rows[("Dossier", "unchanged")] += 1
            continue
        builder.dossier(plan, applicant)
        report.rows[("Dossier", "created")] += 1
    duyen = applicants[DUYEN]
    waiting = duyen.dossiers.filter(status=Dossier.Status.SUPPLEMENT_REQUESTED).first()
    if waiting is not None:
        report.lookup = (waiting.code, duyen.phone_last_four)
    return report


class _Builder:
    def __init__(self, writer, today: datetime.date):
        self.writer = writer
        self.today = today
        # Every rewritten time lies before this, so a step's own writes are told apart by being later.
        self.started = timezone.now()
        self.procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
        self.logins = {
            username: writer.users.get(username) for username in ("thuongtruc", "quy", "xa", "nguoinop")
        }
        codes = {person.ward for person in PEOPLE} | {
            plan.former_commune for plan in PLANS if plan.former_commune
        }
        self.units = {
            (unit.code, unit.valid_until is None): unit
            for unit in AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, code__in=codes)
        }
        self.calendar = Calendar(today - datetime.timedelta(days=800), today + datetime.timedelta(days=120))

    # Days.

    def filed_on(self, plan: Plan) -> datetime.date:
        """The plan's day, or so many days before today; never before the wards of the reform existed."""
        if isinstance(plan.filed, datetime.date):
            return plan.filed
        day = self.today - datetime.timedelta(days=plan.filed)
        while not self.calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day if plan.former_commune else max(day, self._first_working_day_from(REFORM_DATE))

    def _first_working_day_from(self, day: datetime.date) -> datetime.date:
        while not self.calendar.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def moment(self, day: datetime.date, index: int, salt: int = 0) -> datetime.datetime:
        """A time in office hours on ``day``, later for a later step of the day, before the build began.

        ``salt`` (the dossier's id) spreads the dossiers over the day. Steps of today are put in the
        hour before the build, so that none lies in the future.
        """
        if day >= self.today:
            return self.started - datetime.timedelta(minutes=3 * (20 - min(index, 19)))
        start = 7 * 60 + 30 + (salt * 37 + day.toordinal() * 11) % 240
        minutes = min(start + 23 * index, 16 * 60 + 45)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))

    # People.

    def applicant(self, person: Person, report: DossierReport) -> Applicant:
        applicant = Applicant.objects.filter(national_id=person.national_id).select_related("user").first()
        if applicant is not None:
            report.rows[("Applicant", "unchanged")] += 1
            if person.has_account and applicant.user is not None:
                self.writer.user(applicant.user.username, applicant.user.full_name)  # counted as unchanged
            return applicant
        user = None
        if person.login:
            user = self.logins[person.login]
        elif person.has_account:
            user = self.writer.user(
                synthetic.login_name(person.full_name, set(self.writer.users)), person.full_name
            )
        first_filing = min(self.filed_on(plan) for plan in PLANS if plan.person == person.national_id)
        applicant = Applicant.objects.create(
            kind=person.kind,
            full_name=person.full_name,
            enterprise_name=person.enterprise_name,
            tax_code=person.tax_code,
            national_id=person.national_id,
            phone=person.phone,
            email=user.email if user else "",
            address=person.address,
            unit=self.units[(person.ward, True)],
            user=user,
            consent_at=self.moment(first_filing, 0),
        )
        report.rows[("Applicant", "created")] += 1
        return applicant

    def officer(self, team: Team | None) -> User:
        """Who acts for ``team``: the demo login where there is one, else its head or first member."""
        if team is None:
            return self.logins["thuongtruc"]
        if team.kind == Team.Kind.STANDING_AGENCY:
            return self.logins["thuongtruc"]
        if team.kind == Team.Kind.FUND:
            return self.logins["quy"]
        members = Membership.objects.filter(team=team, left_on__isnull=True).order_by("pk")
        if members.filter(user=self.logins["xa"]).exists():
            return self.logins["xa"]
        if team.head_id:
            return team.head
        return members.first().user if members.exists() else self.logins["thuongtruc"]

    def commune_team(self, unit: AdminUnit, day: datetime.date) -> Team | None:
        return Team.objects.active_on(day).filter(kind=Team.Kind.COMMUNE_TEAM, unit=unit).first()

    # Dossiers.

    def dossier(self, plan: Plan, applicant: Applicant) -> None:
        procedure = self.procedures[plan.procedure]
        day = self.filed_on(plan)
        unit = self.units[(plan.former_commune, False)] if plan.former_commune else applicant.unit
        handling_team = services.handling_team_for(procedure, unit, on=day)
        handler = self.officer(handling_team)
        if plan.channel == ONLINE:
            filer = applicant.user
        elif plan.channel == IN_PERSON and procedure.handling_team_kind == Team.Kind.STANDING_AGENCY:
            # The commune team takes the dossier and files it on the applicant's behalf.
            filer = self.officer(self.commune_team(unit, day))
        else:
            filer = handler
        timeline = _Timeline(self)

        with timeline.step(day) as step:
            dossier = services.start_dossier(
                procedure=procedure,
                applicant=applicant,
                filed_by=filer,
                unit=unit,
                channel=plan.channel,
                summary=plan.summary,
            )
            step.dossier = dossier
            self._pin_to(dossier, day, handling_team)
            given = set(dossier.documents.values_list("requirement__document_kind__code", flat=True))
            for requirement in dossier.procedure_version.requirements.select_related("document_kind"):
                code = requirement.document_kind.code
                wanted = code in plan.documents if plan.documents is not None else requirement.is_mandatory
                if wanted and code not in given:
                    attach_document(
                        dossier=dossier,
                        requirement=requirement,
                        upload=_pdf(requirement, applicant),
                        by=filer,
                    )

        acting_applicant = applicant.user if plan.channel == ONLINE else filer
        for plan_step in plan.steps:
            day = add_working_days(day, plan_step.gap) if plan_step.gap else day
            day = min(day, self.today)
            with timeline.step(day) as step:
                step.dossier, step.action = dossier, plan_step.action
                self._do(plan_step, dossier, handler=handler, applicant=acting_applicant, day=day)

    def _pin_to(self, dossier: Dossier, day: datetime.date, team: Team | None) -> None:
        """The version and the handling team in force on the filing day, rather than today's."""
        version = dossier.procedure.version_on(day)
        if version != dossier.procedure_version:
            for use in dossier.documents.select_related("requirement"):
                counterpart = version.requirements.filter(
                    document_kind_id=use.requirement.document_kind_id
                ).first()
                if counterpart is None:
                    use.delete()
                else:
                    use.requirement = counterpart
                    use.save(update_fields=["requirement"])
            dossier.procedure_version = version
            dossier.save(update_fields=["procedure_version"])
        if team != dossier.handling_team:
            dossier.handling_team = team
            dossier.save(update_fields=["handling_team"])

    def _do(
        self, step: Step, dossier: Dossier, *, handler: User, applicant: User, day: datetime.date
    ) -> None:
        action = step.action
        if action == "submit":
            services.submit_dossier(dossier=dossier, by=applicant)
        elif action == "receive":
            services.receive_dossier(dossier=dossier, by=handler)
        elif action == "refuse":
            services.refuse_dossier(dossier=dossier, by=handler, reason=step.text)
        elif action == "start":
            services.start_processing(dossier=dossier, by=handler)
        elif action == "supplement":
            missing = list(dossier.procedure_version.requirements.filter(document_kind__code__in=step.kinds))
            for use in dossier.documents.filter(requirement__in=missing).exclude(
                review=DossierDocument.Review.REJECTED
            ):
                review_document(use=use, by=handler, accepted=False, reason=step.text)
            services.request_supplement(dossier=dossier, by=handler, missing=missing, note=step.text)
        elif action == "supply":
            supplement = dossier.supplement_requests.get(supplied_at__isnull=True)
            given = set(
                dossier.documents.exclude(review=DossierDocument.Review.REJECTED).values_list(
                    "requirement_id", flat=True
                )
            )
            for requirement in supplement.missing.select_related("document_kind"):
                if requirement.pk not in given:
                    attach_document(
                        dossier=dossier,
                        requirement=requirement,
                        upload=_pdf(requirement, dossier.applicant),
                        by=applicant,
                    )
            services.supply_supplement(dossier=dossier, by=applicant)
        elif action == "payment":
            services.request_payment(dossier=dossier, by=handler, note=step.text)
        elif action == "paid":
            services.confirm_payment(dossier=dossier, by=handler)
        elif action == "withdraw":
            services.withdraw_dossier(dossier=dossier, by=applicant, reason=step.text)
        elif action == "stop":
            services.stop_dossier(dossier=dossier, by=handler, reason=step.text)
        elif action == "complete":
            for use in dossier.documents.filter(review=DossierDocument.Review.PENDING):
                review_document(use=use, by=handler, accepted=True)
            services.complete_dossier(dossier=dossier, by=handler, result=step.text)
        elif action == "return":
            services.return_result(dossier=dossier, by=handler)
        elif action == "rate":
            services.rate_service(
                dossier=dossier, by=dossier.applicant.user, rating=step.rating, comment=step.text
            )
        elif action == "apologise":
            # On a squeezed timeline (a demo loaded soon after the reform) the due date may be later.
            dossier.refresh_from_db(fields=["due_date"])
            new_due_date = max(add_working_days(day, step.days), add_working_days(dossier.due_date, 1))
            services.issue_apology(dossier=dossier, by=handler, new_due_date=new_due_date, reason=step.text)
        elif action == "ask":
            raise_inquiry(dossier=dossier, by=applicant, question=step.text)
        elif action == "reply":
            inquiry = dossier.inquiries.unanswered().get()
            reply_to_inquiry(inquiry=inquiry, by=self.officer(inquiry.team), reply=step.text)
        elif action == "escalate":
            escalate_inquiry(inquiry=dossier.inquiries.unanswered().get(), on=day)
        else:
            raise ValueError(action)


# Moving each step to its day.

# The times the services stamp with "now", by model; each model's rows are those of the dossier.
STAMPS = (
    (Dossier, "pk", ("submitted_at", "received_at", "decided_at", "result_returned_at", "apology_issued_at")),
    (DossierEvent, "dossier_id", ("at",)),
    (SupplementRequest, "dossier_id", ("requested_at", "supplied_at")),
    (DossierDocument, "dossier_id", ("reviewed_at",)),
    (Inquiry, "dossier_id", ("raised_at", "escalated_at", "replied_at")),
)


@dataclass
class _Step:
    day: datetime.date
    dossier: Dossier | None = None
    action: str = "file"


class _Timeline:
    """Gives the rows each step wrote the step's day; keeps the dossier's dates as they would have been."""

    def __init__(self, builder: "_Builder"):
        self.builder = builder
        self.index = 0
        self.last_day: datetime.date | None = None
        self.due: datetime.date | None = None
        self.paused_on: datetime.date | None = None

    @contextlib.contextmanager
    def step(self, day: datetime.date):
        step = _Step(day)
        # Whatever the step stamps with "now" is stamped at or after this.
        marker = timezone.now()
        yield step
        self._settle(step, marker)

    def _settle(self, step: _Step, marker: datetime.datetime) -> None:
        dossier, day = step.dossier, step.day
        self.index = self.index + 1 if day == self.last_day else 0
        self.last_day = day
        moment = self.builder.moment(day, self.index, dossier.pk)
        # Dates derived from today first, while the new rows can still be told by their time.
        Inquiry.objects.filter(dossier=dossier, raised_at__gte=marker).update(
            reply_due=add_working_days(day, settings.INQUIRY_REPLY_WORKING_DAYS)
        )
        documents = Document.objects.filter(applicant_id=dossier.applicant_id, uploaded_at__gte=marker)
        for document in documents.select_related("kind"):
            months = document.kind.validity_months
            Document.objects.filter(pk=document.pk).update(
                uploaded_at=moment, valid_until=day + relativedelta(months=months) if months else None
            )
        for model, owner, stamps in STAMPS:
            written = Q()
            for stamp in stamps:
                written |= Q(**{f"{stamp}__gte": marker})
            model.objects.filter(written, **{owner: dossier.pk}).update(
                **{
                    stamp: Case(When(**{f"{stamp}__gte": marker}, then=Value(moment)), default=F(stamp))
                    for stamp in stamps
                }
            )
        # Notifications have no dossier: the step's are those it created. Older ones have been read, and
        # their e-mail went at the time, so a worker started later sends none of them again.
        notifications = Notification.objects.filter(created_at__gte=marker)
        read_at = moment + datetime.timedelta(hours=2) if self.builder.started - moment > READ_AFTER else None
        notifications.exclude(recipient__email="").update(
            created_at=moment, read_at=read_at, emailed_at=moment
        )
        notifications.update(created_at=moment, read_at=read_at)
        self._dates(step, dossier, day)

    def _dates(self, step: _Step, dossier: Dossier, day: datetime.date) -> None:
        """The due date and the paused day as the services would have set them on ``day``."""
        values = {}
        if step.action == "receive":
            self.due = add_working_days(day, dossier.procedure_version.statutory_working_days)
            values["due_date"] = self.due
        elif step.action == "supplement":
            self.paused_on = day
            values["paused_on"] = day
        elif step.action == "supply":
            self.due = add_working_days(self.due, working_days_between(self.paused_on, day))
            self.paused_on = None
            values.update(due_date=self.due, paused_on=None)
        elif step.action == "apologise":
            # The service moved the due date from the one above to the new date, computed from ``day``.
            self.due = Dossier.objects.values_list("due_date", flat=True).get(pk=dossier.pk)
        if values:
            Dossier.objects.filter(pk=dossier.pk).update(**values)


def _ascii(text: str) -> str:
    """``text`` without Vietnamese marks, for the standard PDF fonts: "Bản sao" -> "Ban sao"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char) and ord(char) < 128)


def small_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` of text: small, valid and quick to write."""
    escaped = [_ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    output += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode(
        "ascii"
    )
    return output


def _pdf(requirement, applicant: Applicant) -> SimpleUploadedFile:
    kind = requirement.document_kind
    lines = [
        kind.name,
        applicant.enterprise_name or applicant.full_name,
        applicant.address,
        "Tai lieu mau (du lieu demo)",
    ]
    return SimpleUploadedFile(f"{kind.code}.pdf", small_pdf(lines), content_type="application/pdf")

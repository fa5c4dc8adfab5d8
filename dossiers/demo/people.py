"""The demo's applicants: people of Vĩnh Long and their businesses (DESIGN.md §7).

Each ``Person`` becomes an ``Applicant``, found again by their CCCD number, and some of them an
account. The names after the list (``DUYEN``, ``HAU``…) are their CCCD numbers, by which the plans
(``dossiers.demo.plans``) name whose dossier it is.
"""

from dataclasses import dataclass

from dossiers.models import Applicant

PERSON, ENTERPRISE = Applicant.Kind.PERSON, Applicant.Kind.ENTERPRISE


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

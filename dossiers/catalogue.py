"""The one-stop shop's reference data: kinds of documents and the four procedures.

``load()`` writes the document kinds an applicant gives and the procedures of the programme
(startup support, a fund loan, support for converting a household business, enrolment in the
poverty-escape scheme) with their versions and required documents. It runs in every environment,
production included, as part of ``portal.catalogue.load_reference_data()``: this is the programme's
reference data, not demo data.

It only creates what is missing and never changes a row that exists, so an admin's edits survive a
second run. Rows are matched by their natural key: a document kind by its code, a procedure by its
code, a version by its procedure and the day it takes effect. A version's required documents are owned
as a whole once they exist, so that what an admin deleted stays deleted: they are written only
together with the version.

Everything here is data. A change of the law is a new version with its effective date, never an edit
of an old one, so a dossier keeps the version it was filed under.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dossiers.models import DocumentKind, Procedure, ProcedureVersion, Requirement
from portal.catalogue import CatalogueReport
from portal.models import Team

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


# Loading.


@transaction.atomic
def load(report: CatalogueReport) -> None:
    """Create the document kinds, procedures, versions and required documents that are missing.

    Rows that exist are left untouched, whatever they hold; see the module's docstring.
    """
    kinds = _load_document_kinds(report)
    _load_procedures(report, kinds)


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

"""The policy library's reference data: the documents the programme rests on and its entitlements.

``load()`` runs after the procedures' (``portal.catalogue.load_reference_data``) in every
environment. Like them, it only creates what is missing: a document is matched by its number, an
entitlement by its code, and a row that exists is never changed, so an admin's edits survive. A
document's procedures and successor are written only together with the document.

The two documents of the programme itself (the provincial plan and the fund regulation) are examples,
said so in their summaries: a province replaces them with its own in the admin.

Every entitlement's conditions are checked by policies.eligibility before anything is written, so a
malformed rule stops the load instead of reaching a commune officer.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dossiers.catalogue import CONVERSION_SUPPORT, FUND_LOAN, POVERTY_ESCAPE, STARTUP_SUPPORT
from dossiers.models import Procedure
from policies.eligibility import validate_conditions
from policies.models import Entitlement, PolicyDocument
from portal.catalogue import CatalogueReport

Date = datetime.date


@dataclass(frozen=True)
class DocumentEntry:
    number: str
    kind: str
    title: str
    issuer: str
    signed_on: Date
    effective_from: Date
    summary: str
    tags: str
    procedures: tuple[str, ...] = ()
    expires_on: Date | None = None
    replaced_by: str | None = None  # the number of the successor


SME_LAW = "04/2017/QH14"
SME_DECREE = "80/2021/NĐ-CP"
ENTERPRISE_LAW = "59/2020/QH14"
PRIVATE_ECONOMY_RESOLUTION = "198/2025/QH15"
LICENCE_FEE_DECREE = "139/2016/NĐ-CP"
DATA_PROTECTION_LAW = "91/2025/QH15"
DATA_PROTECTION_DECREE = "13/2023/NĐ-CP"
PROVINCIAL_PLAN = "01/KH-UBND (ví dụ)"
FUND_REGULATION = "02/2024/QĐ-UBND (ví dụ)"

EXAMPLE = "Văn bản ví dụ của Cổng, không phải văn bản thật: tỉnh thay bằng văn bản của mình. "

DOCUMENTS = (
    DocumentEntry(
        SME_LAW,
        PolicyDocument.Kind.LAW,
        "Luật Hỗ trợ doanh nghiệp nhỏ và vừa",
        "Quốc hội",
        Date(2017, 6, 12),
        Date(2018, 1, 1),
        "Quy định nguyên tắc, nội dung và nguồn lực hỗ trợ doanh nghiệp nhỏ và vừa. Điều 16: hộ kinh "
        "doanh chuyển đổi thành doanh nghiệp được tư vấn, hướng dẫn miễn phí hồ sơ, thủ tục thành lập, "
        "miễn lệ phí đăng ký doanh nghiệp lần đầu, tư vấn miễn phí thủ tục thuế và chế độ kế toán, và "
        "miễn lệ phí môn bài 3 năm. Điều 17: hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo.",
        "doanh nghiệp nhỏ và vừa, hộ kinh doanh, chuyển đổi, khởi nghiệp, lệ phí môn bài",
        (CONVERSION_SUPPORT, STARTUP_SUPPORT, FUND_LOAN),
    ),
    DocumentEntry(
        SME_DECREE,
        PolicyDocument.Kind.DECREE,
        "Nghị định quy định chi tiết và hướng dẫn một số điều của Luật Hỗ trợ doanh nghiệp nhỏ và vừa",
        "Chính phủ",
        Date(2021, 8, 26),
        Date(2021, 10, 15),
        "Tiêu chí xác định doanh nghiệp siêu nhỏ, nhỏ và vừa theo số lao động tham gia bảo hiểm xã hội và "
        "doanh thu hoặc nguồn vốn từng lĩnh vực (Điều 5); nội dung và mức hỗ trợ hộ kinh doanh chuyển "
        "đổi thành doanh nghiệp, hỗ trợ doanh nghiệp khởi nghiệp sáng tạo.",
        "doanh nghiệp nhỏ và vừa, hộ kinh doanh, chuyển đổi, khởi nghiệp",
        (CONVERSION_SUPPORT, STARTUP_SUPPORT),
    ),
    DocumentEntry(
        ENTERPRISE_LAW,
        PolicyDocument.Kind.LAW,
        "Luật Doanh nghiệp",
        "Quốc hội",
        Date(2020, 6, 17),
        Date(2021, 1, 1),
        "Quy định thành lập, tổ chức quản lý và hoạt động của doanh nghiệp. Cơ quan đăng ký kinh doanh "
        "cấp giấy chứng nhận đăng ký doanh nghiệp trong 03 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ "
        "(Điều 26).",
        "đăng ký doanh nghiệp, chuyển đổi",
        (CONVERSION_SUPPORT,),
    ),
    DocumentEntry(
        PRIVATE_ECONOMY_RESOLUTION,
        PolicyDocument.Kind.RESOLUTION,
        "Nghị quyết về một số cơ chế, chính sách đặc biệt phát triển kinh tế tư nhân",
        "Quốc hội",
        Date(2025, 5, 17),
        Date(2025, 5, 17),
        "Bãi bỏ lệ phí môn bài từ ngày 01/01/2026: hộ kinh doanh và doanh nghiệp không còn phải kê khai, "
        "nộp lệ phí môn bài. Miễn thuế thu nhập doanh nghiệp 3 năm cho doanh nghiệp nhỏ và vừa thành lập "
        "mới, cùng các chính sách khác hỗ trợ kinh tế tư nhân.",
        "lệ phí môn bài, kinh tế tư nhân, hộ kinh doanh",
        (CONVERSION_SUPPORT,),
    ),
    DocumentEntry(
        LICENCE_FEE_DECREE,
        PolicyDocument.Kind.DECREE,
        "Nghị định quy định về lệ phí môn bài",
        "Chính phủ",
        Date(2016, 10, 4),
        Date(2017, 1, 1),
        "Mức thu, miễn và kê khai lệ phí môn bài của doanh nghiệp và hộ kinh doanh. Hết hiệu lực từ ngày "
        "01/01/2026 khi Nghị quyết 198/2025/QH15 bãi bỏ lệ phí môn bài.",
        "lệ phí môn bài, hộ kinh doanh",
        (CONVERSION_SUPPORT,),
        expires_on=Date(2026, 1, 1),
        replaced_by=PRIVATE_ECONOMY_RESOLUTION,
    ),
    DocumentEntry(
        DATA_PROTECTION_LAW,
        PolicyDocument.Kind.LAW,
        "Luật Bảo vệ dữ liệu cá nhân",
        "Quốc hội",
        Date(2025, 6, 26),
        Date(2026, 1, 1),
        "Quyền của chủ thể dữ liệu và nghĩa vụ của bên xử lý dữ liệu cá nhân: Cổng chỉ thu những thông "
        "tin cần cho hồ sơ, khi có sự đồng ý của người nộp, và cho biết dùng để làm gì.",
        "dữ liệu cá nhân",
    ),
    DocumentEntry(
        DATA_PROTECTION_DECREE,
        PolicyDocument.Kind.DECREE,
        "Nghị định về bảo vệ dữ liệu cá nhân",
        "Chính phủ",
        Date(2023, 4, 17),
        Date(2023, 7, 1),
        "Quy định về bảo vệ dữ liệu cá nhân trước khi có Luật Bảo vệ dữ liệu cá nhân. Từ ngày 01/01/2026 "
        "Luật 91/2025/QH15 có hiệu lực; quản trị viên ghi ngày hết hiệu lực và văn bản thay thế của Nghị "
        "định này theo văn bản hướng dẫn Luật.",
        "dữ liệu cá nhân",
    ),
    DocumentEntry(
        PROVINCIAL_PLAN,
        PolicyDocument.Kind.PLAN,
        "Kế hoạch “Đồng Khởi khởi nghiệp” giai đoạn 2024–2030",
        "Ủy ban nhân dân tỉnh",
        Date(2024, 1, 5),
        Date(2024, 1, 5),
        EXAMPLE + "Kế hoạch đặt chỉ tiêu doanh nghiệp khởi nghiệp, doanh nghiệp mới và hộ kinh doanh mới mỗi "
        "năm, giảm tỷ lệ hộ nghèo; giao tổ hỗ trợ của xã, phường đồng hành với hộ nghèo, cận nghèo lập "
        "kế hoạch làm ăn, kết nối vốn vay ưu đãi và tập huấn kỹ thuật.",
        "khởi nghiệp, thoát nghèo, hộ kinh doanh, Đồng Khởi",
        (STARTUP_SUPPORT, POVERTY_ESCAPE),
    ),
    DocumentEntry(
        FUND_REGULATION,
        PolicyDocument.Kind.REGULATION,
        "Quy chế tổ chức và hoạt động của Quỹ Đầu tư khởi nghiệp tỉnh",
        "Ủy ban nhân dân tỉnh",
        Date(2024, 3, 1),
        Date(2024, 3, 15),
        EXAMPLE + "Theo mô hình của tỉnh Bình Phước: Quỹ cho vay người khởi nghiệp lần đầu và doanh "
        "nghiệp thành lập chưa quá 1 năm; thời hạn vay tối đa 5 năm; mỗi dự án không quá 20% vốn chủ sở "
        "hữu của Quỹ và không quá 50% tổng vốn đầu tư của dự án; khoản vay đến 200 triệu đồng do Hội "
        "đồng quản lý Quỹ quyết định, trên mức đó do Ủy ban nhân dân tỉnh quyết định.",
        "quỹ khởi nghiệp, vay vốn, khởi nghiệp",
        (FUND_LOAN,),
    ),
)


@dataclass(frozen=True)
class EntitlementEntry:
    code: str
    name: str
    description: str
    audience: str
    effective_from: Date
    governing_document: str  # its number
    conditions: tuple[dict, ...]
    procedure: str | None = None  # its code
    effective_until: Date | None = None
    lasts_months: int | None = None


def fact(name: str, op: str, value: int | bool) -> dict:
    return {"fact": name, "op": op, "value": value}


HOUSEHOLD_CONVERTING = (
    fact("is_registered_household_business", "==", True),
    fact("months_operating", ">=", 12),
)
# Decree 80/2021, Art. 5: an SME in trade and services has at most 100 insured staff and at most
# 300 billion đồng of revenue (the other sectors and the capital criterion are not checked here).
SME_SIZE = (
    fact("insured_staff", "<=", 100),
    fact("annual_revenue", "<=", 300_000_000_000),
)

ENTITLEMENTS = (
    EntitlementEntry(
        "tu-van-ho-so-chuyen-doi",
        "Tư vấn miễn phí hồ sơ, thủ tục thành lập doanh nghiệp",
        "Tổ hỗ trợ của xã, phường hướng dẫn lập hồ sơ đăng ký doanh nghiệp cho hộ kinh doanh chuyển đổi, "
        "không thu phí.",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        Date(2018, 1, 1),
        SME_LAW,
        HOUSEHOLD_CONVERTING,
        CONVERSION_SUPPORT,
    ),
    EntitlementEntry(
        "mien-le-phi-dang-ky-lan-dau",
        "Miễn lệ phí đăng ký doanh nghiệp lần đầu",
        "Không nộp lệ phí đăng ký doanh nghiệp và phí công bố thông tin lần đầu khi chuyển đổi.",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        Date(2018, 1, 1),
        SME_LAW,
        HOUSEHOLD_CONVERTING,
        CONVERSION_SUPPORT,
    ),
    EntitlementEntry(
        "tu-van-thue-ke-toan-3-nam",
        "Tư vấn miễn phí thủ tục thuế và chế độ kế toán trong 3 năm",
        "Trong 3 năm kể từ khi được cấp giấy chứng nhận đăng ký doanh nghiệp lần đầu.",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        Date(2021, 10, 15),
        SME_DECREE,
        HOUSEHOLD_CONVERTING,
        CONVERSION_SUPPORT,
        lasts_months=36,
    ),
    EntitlementEntry(
        "mien-le-phi-mon-bai-3-nam",
        "Miễn lệ phí môn bài 3 năm sau khi chuyển đổi",
        "Trong 3 năm kể từ khi được cấp giấy chứng nhận đăng ký doanh nghiệp lần đầu. Hết từ ngày "
        "01/01/2026 vì lệ phí môn bài bị bãi bỏ (Nghị quyết 198/2025/QH15): không còn gì để miễn.",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        Date(2018, 1, 1),
        SME_LAW,
        HOUSEHOLD_CONVERTING,
        CONVERSION_SUPPORT,
        effective_until=Date(2025, 12, 31),
        lasts_months=36,
    ),
    EntitlementEntry(
        "ho-tro-du-an-khoi-nghiep",
        "Tư vấn, đào tạo và kết nối cho dự án khởi nghiệp",
        "Hoàn thiện phương án kinh doanh, kết nối chuyên gia, cố vấn, tham gia đào tạo, hội chợ và cuộc "
        "thi khởi nghiệp của tỉnh.",
        Procedure.Audience.STARTUP,
        Date(2024, 1, 5),
        PROVINCIAL_PLAN,
        (fact("months_since_founded", "<=", 60), fact("has_business_plan", "==", True), *SME_SIZE),
        STARTUP_SUPPORT,
    ),
    EntitlementEntry(
        "vay-von-quy-khoi-nghiep",
        "Vay vốn Quỹ Đầu tư khởi nghiệp",
        "Vay tối đa 5 năm, không quá 50% tổng vốn đầu tư của dự án; đến 200 triệu đồng do Hội đồng quản "
        "lý Quỹ duyệt.",
        Procedure.Audience.STARTUP,
        Date(2024, 3, 15),
        FUND_REGULATION,
        (
            fact("is_first_startup", "==", True),
            fact("months_since_founded", "<=", 12),
            fact("has_business_plan", "==", True),
        ),
        FUND_LOAN,
    ),
    EntitlementEntry(
        "khoi-nghiep-thoat-ngheo",
        "Đồng hành khởi nghiệp thoát nghèo",
        "Tổ hỗ trợ cùng gia đình lập kế hoạch làm ăn, kết nối vốn vay ưu đãi, tập huấn kỹ thuật và theo "
        "dõi cho đến khi thoát nghèo.",
        Procedure.Audience.POOR_HOUSEHOLD,
        Date(2024, 1, 5),
        PROVINCIAL_PLAN,
        (fact("is_poor_household", "==", True), fact("has_business_plan", "==", True)),
        POVERTY_ESCAPE,
    ),
)


@transaction.atomic
def load(report: CatalogueReport) -> None:
    """Create the policy documents and entitlements that are missing; raises RuleError for a bad rule."""
    for entry in ENTITLEMENTS:
        validate_conditions(list(entry.conditions))
    documents = _load_documents(report)
    _load_entitlements(report, documents)


def _load_documents(report: CatalogueReport) -> dict[str, PolicyDocument]:
    documents = {document.number: document for document in PolicyDocument.objects.all()}
    procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
    created = []
    for entry in DOCUMENTS:
        if entry.number in documents:
            report.existing["PolicyDocument"] += 1
            continue
        document = PolicyDocument.objects.create(
            number=entry.number,
            kind=entry.kind,
            title=entry.title,
            issuer=entry.issuer,
            signed_on=entry.signed_on,
            effective_from=entry.effective_from,
            expires_on=entry.expires_on,
            summary=entry.summary,
            tags=entry.tags,
        )
        document.procedures.set([procedures[code] for code in entry.procedures if code in procedures])
        documents[entry.number] = document
        created.append((entry, document))
        report.created["PolicyDocument"] += 1
    for entry, document in created:
        if entry.replaced_by and entry.replaced_by in documents:
            document.replaced_by = documents[entry.replaced_by]
            document.save(update_fields=["replaced_by"])
    return documents


def _load_entitlements(report: CatalogueReport, documents: dict[str, PolicyDocument]) -> None:
    existing = set(Entitlement.objects.values_list("code", flat=True))
    procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
    for entry in ENTITLEMENTS:
        if entry.code in existing:
            report.existing["Entitlement"] += 1
            continue
        Entitlement.objects.create(
            code=entry.code,
            name=entry.name,
            description=entry.description,
            audience=entry.audience,
            effective_from=entry.effective_from,
            effective_until=entry.effective_until,
            lasts_months=entry.lasts_months,
            conditions=list(entry.conditions),
            governing_document=documents[entry.governing_document],
            procedure=procedures.get(entry.procedure) if entry.procedure else None,
        )
        report.created["Entitlement"] += 1

"""The slips: receipt, supplement, refusal and apology, as printable pages and as DOCX files.

Each slip is read back as a person would: the page's text, and the DOCX opened with python-docx.
Dates are fixed on the dossier so that the slips' dates are known.
"""

import datetime
import io
import zoneinfo

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierEvent, SupplementRequest
from dossiers.slips import build_slip, slip_docx
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)

Status = Dossier.Status
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED_AT = datetime.datetime(2025, 3, 5, 9, 30, tzinfo=HANOI)
DUE = datetime.date(2025, 3, 19)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fix_dates(dossier: Dossier, **fields) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(received_at=RECEIVED_AT, due_date=DUE, **fields)
    DossierEvent.objects.filter(dossier=dossier, action="receive").update(at=RECEIVED_AT)
    return Dossier.objects.get(pk=dossier.pk)


def docx_text(content: bytes) -> tuple[list[str], list[list[str]]]:
    """The document's paragraphs and, for each table, its cells' texts."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    tables = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    return paragraphs, tables


def get_docx(client, dossier: Dossier, kind: str):
    response = client.get(reverse("dossier_slip_docx", args=[dossier.pk, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    return response


def test_receipt_docx_reads_back_in_vietnamese(dossiers, login):
    dossier = fix_dates(dossiers.at(Status.RECEIVED))
    response = get_docx(login(dossiers.officer), dossier, "receipt")
    assert response["Content-Disposition"] == f'attachment; filename="{dossier.code}-receipt.docx"'
    paragraphs, tables = docx_text(response.content)

    issuer, nation = tables[0]
    assert issuer.splitlines() == ["XÃ SƠN ĐỊNH", "TỔ HỖ TRỢ ĐT&KN XÃ SƠN ĐỊNH", "———"]
    assert nation.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "———————",
    ]
    assert paragraphs[0] == "Sơn Định, ngày 05 tháng 03 năm 2025"
    assert paragraphs[1] == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    assert f"Mã hồ sơ: {dossier.code}" in paragraphs
    assert "Tiếp nhận hồ sơ của: Bùi Văn Nộp" in paragraphs
    assert "Thành phần hồ sơ nộp gồm: " in paragraphs
    assert "1. Phương án kinh doanh" in paragraphs
    assert "2. Bản sao căn cước công dân" in paragraphs
    assert "Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc" in paragraphs
    assert "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 05 tháng 03 năm 2025" in paragraphs
    assert "Thời gian trả kết quả giải quyết hồ sơ: ngày 19 tháng 03 năm 2025" in paragraphs
    # The handling team sees the phone whole.
    assert "Số điện thoại: 0912345678" in paragraphs
    applicant, officer = tables[1]
    assert applicant.splitlines()[0] == "NGƯỜI NỘP HỒ SƠ"
    assert applicant.splitlines()[-1] == "Bùi Văn Nộp"
    assert officer.splitlines()[0] == "NGƯỜI TIẾP NHẬN HỒ SƠ"
    assert officer.splitlines()[1] == "(Ký và ghi rõ họ tên)"
    assert officer.splitlines()[-1] == "Nguyễn Thị Xã"


def test_receipt_docx_is_times_new_roman_13_on_a4(dossiers, login):
    dossier = dossiers.at(Status.RECEIVED)
    document = docx.Document(io.BytesIO(get_docx(login(dossiers.officer), dossier, "receipt").content))
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 13)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    # The header table has no borders.
    borders = document.tables[0]._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    assert {edge.get(docx.oxml.ns.qn("w:val")) for edge in borders} == {"nil"}


def test_receipt_page_has_the_same_content(dossiers, login):
    dossier = fix_dates(dossiers.at(Status.RECEIVED))
    response = login(dossiers.officer).get(reverse("dossier_slip", args=[dossier.pk, "receipt"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỔ HỖ TRỢ ĐT&amp;KN XÃ SƠN ĐỊNH",
        "Sơn Định, ngày 05 tháng 03 năm 2025",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        dossier.code,
        "09 giờ 30 phút, ngày 05 tháng 03 năm 2025",
        "ngày 19 tháng 03 năm 2025",
        "<li>Phương án kinh doanh</li>",
    ):
        assert text in page
    assert '<html lang="vi">' in page
    assert "portal/print.css" in page
    assert "<script" not in page and "style=" not in page


def test_officials_outside_the_handling_team_see_the_phone_masked(dossiers, login):
    dossier = dossiers.at(Status.RECEIVED)
    paragraphs, _tables = docx_text(
        get_docx(login(dossiers.cast.district_officer), dossier, "receipt").content
    )
    assert "Số điện thoại: ••••••5678" in paragraphs


def test_the_slip_stays_vietnamese_for_who_reads_the_portal_in_english(dossiers, login):
    dossier = dossiers.at(Status.RECEIVED)
    client = login(dossiers.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dossier_slip", args=[dossier.pk, "receipt"])).content.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page
    assert "Download (DOCX)" in page  # the page around the slip is in the reader's language


def test_supplement_slip_names_the_missing_documents_and_the_note(dossiers, login):
    dossier = dossiers.at(Status.SUPPLEMENT_REQUESTED)
    SupplementRequest.objects.filter(dossier=dossier).update(requested_at=RECEIVED_AT)
    paragraphs, tables = docx_text(get_docx(login(dossiers.officer), dossier, "supplement").content)
    assert paragraphs[0] == "Sơn Định, ngày 05 tháng 03 năm 2025"
    assert paragraphs[1] == "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
    assert f"Mã hồ sơ: {dossier.code}" in paragraphs
    assert "Lần yêu cầu bổ sung: Lần 1, yêu cầu ngày 05 tháng 03 năm 2025" in paragraphs
    index = paragraphs.index("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau: ")
    assert paragraphs[index + 1 : index + 3] == [
        "1. Phương án kinh doanh",
        "Nội dung cụ thể cần bổ sung: Phương án kinh doanh thiếu bảng dự toán chi phí.",
    ]
    assert tables[1][1].splitlines()[0] == "NGƯỜI HƯỚNG DẪN"
    assert tables[1][1].splitlines()[-1] == "Nguyễn Thị Xã"


def test_supplement_slip_of_an_earlier_round(dossiers, login):
    from dossiers.services import dossiers as services

    dossier = dossiers.at(Status.SUPPLEMENT_REQUESTED)
    SupplementRequest.objects.filter(dossier=dossier).update(supplied_at=timezone.now())
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.IN_PROGRESS, paused_on=None)
    services.request_supplement(
        dossier=dossier, by=dossiers.officer, missing=[dossiers.id_copy], note="Bản sao CCCD bị mờ."
    )
    client = login(dossiers.officer)
    url = reverse("dossier_slip", args=[dossier.pk, "supplement"])
    assert "Bản sao CCCD bị mờ." in client.get(url).content.decode()
    first = client.get(url, {"round": 1}).content.decode()
    assert "Phương án kinh doanh thiếu bảng dự toán chi phí." in first
    assert "Bản sao CCCD bị mờ." not in first
    assert client.get(url, {"round": 3}).status_code == 404
    assert client.get(url, {"round": "một"}).status_code == 400


@pytest.mark.parametrize(
    ("status", "officer_title"),
    [(Status.NOT_RECEIVED, "NGƯỜI TIẾP NHẬN HỒ SƠ"), (Status.STOPPED, "NGƯỜI XỬ LÝ HỒ SƠ")],
)
def test_refusal_slip_states_the_reason(dossiers, login, status, officer_title):
    dossier = dossiers.at(status)
    paragraphs, tables = docx_text(get_docx(login(dossiers.officer), dossier, "refusal").content)
    assert paragraphs[1] == "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"
    assert f"Mã hồ sơ: {dossier.code}" in paragraphs
    reason_index = paragraphs.index(
        "Qua xem xét, Tổ hỗ trợ ĐT&KN xã Sơn Định thông báo không tiếp nhận, giải quyết hồ sơ này "
        "với lý do cụ thể như sau:"
    )
    assert paragraphs[reason_index + 1] == dossier.closing_reason
    assert tables[1][1].splitlines()[0] == officer_title


def test_apology_slip_gives_the_original_and_the_new_date(dossiers, login):
    from dossiers.services import dossiers as services

    dossier = fix_dates(dossiers.at(Status.IN_PROGRESS))
    services.issue_apology(
        dossier=dossier,
        by=dossiers.officer,
        new_due_date=datetime.date(2025, 3, 31),
        reason="Cần thêm ý kiến thẩm định của phòng Tài chính - Kế hoạch.",
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        apology_issued_at=datetime.datetime(2025, 3, 18, 15, 0, tzinfo=HANOI)
    )
    paragraphs, tables = docx_text(get_docx(login(dossiers.officer), dossier, "apology").content)
    assert paragraphs[0] == "Sơn Định, ngày 18 tháng 03 năm 2025"
    assert paragraphs[1] == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert paragraphs[2] == "Kính gửi: ông/bà Bùi Văn Nộp"
    assert (
        "Ngày 05 tháng 03 năm 2025, Tổ hỗ trợ ĐT&KN xã Sơn Định tiếp nhận giải quyết hồ sơ của ông/bà "
        "Bùi Văn Nộp." in paragraphs
    )
    assert (
        "Thời hạn trả kết quả giải quyết hồ sơ là ngày 19 tháng 03 năm 2025. Tuy nhiên đến nay, Tổ hỗ trợ "
        "ĐT&KN xã Sơn Định chưa trả kết quả giải quyết hồ sơ cho ông/bà." in paragraphs
    )
    assert "Lý do: Cần thêm ý kiến thẩm định của phòng Tài chính - Kế hoạch." in paragraphs
    assert paragraphs[-2].endswith("xin hẹn lại thời gian trả kết quả vào ngày 31 tháng 03 năm 2025.")
    assert tables[1][1].splitlines()[0] == "THỦ TRƯỞNG CƠ QUAN"
    assert tables[1][1].splitlines()[-1] == "Nguyễn Thị Xã"  # the head of the commune team
    # The receipt keeps the appointment made at the desk.
    receipt, _tables = docx_text(get_docx(login(dossiers.officer), dossier, "receipt").content)
    assert "Thời gian trả kết quả giải quyết hồ sơ: ngày 19 tháng 03 năm 2025" in receipt


@pytest.mark.parametrize(
    ("status", "kinds"),
    [
        (Status.NEW, []),
        (Status.RECEIVED, ["receipt"]),
        (Status.NOT_RECEIVED, ["refusal"]),
        (Status.SUPPLEMENT_REQUESTED, ["receipt", "supplement"]),
        (Status.STOPPED, ["receipt", "refusal"]),
        (Status.RESULT_RETURNED, ["receipt"]),
    ],
)
def test_a_slip_that_does_not_apply_yet_is_not_found(dossiers, login, status, kinds):
    dossier = dossiers.at(status)
    client = login(dossiers.officer)
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).context["slips"] == kinds
    for kind in ("receipt", "supplement", "refusal", "apology", "other"):
        expected = 200 if kind in kinds else 404
        assert client.get(reverse("dossier_slip", args=[dossier.pk, kind])).status_code == expected, kind
        assert client.get(reverse("dossier_slip_docx", args=[dossier.pk, kind])).status_code == expected, kind


def test_the_same_content_makes_the_page_and_the_file(dossiers):
    dossier = Dossier.objects.select_related(
        "applicant", "procedure", "procedure_version", "unit", "handling_team__unit", "handling_team__head"
    ).get(pk=fix_dates(dossiers.at(Status.RECEIVED)).pk)
    slip = build_slip(dossier, "receipt", lookup_url="https://cong.example.vn/tra-cuu/")
    assert (slip.kind, slip.title, slip.code, slip.place_and_date) == (
        "receipt",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        dossier.code,
        "Sơn Định, ngày 05 tháng 03 năm 2025",
    )
    assert [line.label for line in slip.body] == [
        "Mã hồ sơ",
        "Tiếp nhận hồ sơ của",
        "Địa chỉ",
        "Số điện thoại",
        "Nội dung yêu cầu giải quyết",
        "Thành phần hồ sơ nộp gồm",
        "Thời gian giải quyết hồ sơ theo quy định",
        "Thời gian nhận hồ sơ",
        "Thời gian trả kết quả giải quyết hồ sơ",
        "Hình thức nộp",
        "Tra cứu hồ sơ",
    ]
    # Without the right to see personal data, the phone is masked.
    assert slip.body[3].text == "••••••5678"
    assert "https://cong.example.vn/tra-cuu/" in slip.body[-1].text
    paragraphs, _tables = docx_text(slip_docx(slip))
    assert f"Tra cứu hồ sơ: {slip.body[-1].text}" in paragraphs


@pytest.mark.parametrize(
    ("name", "kind", "place"),
    [
        ("Xã Sơn Định", "Xã", "Sơn Định"),
        ("Tỉnh Vĩnh Long", "Tỉnh", "Vĩnh Long"),
        ("Phường 8", "Phường", "Phường 8"),
    ],
)
def test_the_date_line_names_the_locality(name, kind, place):
    from dossiers.slips import _place
    from portal.models import AdminUnit

    assert _place(AdminUnit(name=name, kind=kind)) == place

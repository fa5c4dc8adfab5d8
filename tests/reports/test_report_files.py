"""A review report's DOCX and XLSX files, read back as a person opening them would.

The report is built on the first days of October, after its quarter: 08:30 on 3 October 2026 in
Vietnam. Labels the sections store ("Dossiers received"…) are left out of the Vietnamese assertions:
their owners translate them.
"""

import datetime
import io

import docx
import pytest
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image

from reports.charts import chart_png
from reports.docx_report import report_docx
from reports.models import ReviewReport
from reports.xlsx_report import report_xlsx
from tests.reports.samples import sample_report

BUILT_AT = datetime.datetime(2026, 10, 3, 1, 30, tzinfo=datetime.UTC)
FINALISED_AT = datetime.datetime(2026, 10, 9, 2, 0, tzinfo=datetime.UTC)
LESSONS = "Tổ hỗ trợ cấp xã cần đeo bám hộ kinh doanh sau chuyển đổi.\n\nNhân rộng mô hình thành công."


@pytest.fixture
def report(cast) -> ReviewReport:
    return sample_report(cast.units.province, built_at=BUILT_AT, lessons_learned=LESSONS)


def read_docx(content: bytes):
    """The document, its body's non-empty paragraphs, and its tables as lists of rows of cell texts."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, paragraphs, tables


def test_docx_reads_in_vietnamese(report):
    with translation.override("vi"):
        document, paragraphs, tables = read_docx(report_docx(report))
        period = report.period.label

    header, measures, by_unit, signatures = tables
    agency, nation = header[0]
    assert agency.splitlines()[1:3] == ["TỈNH THỬ NGHIỆM", "———"]
    assert nation.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thử Nghiệm, ngày 03 tháng 10 năm 2026",
    ]
    assert paragraphs[2].endswith(f"{period} — Tỉnh Thử Nghiệm")
    # This period, previous period, change, target.
    assert [row[1:] for row in measures[1:]] == [
        ["1.234", "1.000", "+234", "1.500"],
        ["87,5 %", "90,0 %", "−2,5 %", "—"],
        ["4,2/5", "—", "—", "—"],
    ]
    assert measures[0][3] == "Tăng, giảm"
    assert by_unit[0][0] == "Đơn vị"
    assert by_unit[1:3] == [["Phường Phú Khương", "1.200", "88,0 %"], ["Xã Đồng Khởi", "34", "70,6 %"]]
    assert by_unit[3][1:] == ["1.234", "87,5 %"]
    assert "II. BÀI HỌC KINH NGHIỆM" in paragraphs
    lessons = paragraphs.index("II. BÀI HỌC KINH NGHIỆM")
    assert paragraphs[lessons + 1 : lessons + 3] == [
        "Tổ hỗ trợ cấp xã cần đeo bám hộ kinh doanh sau chuyển đổi.",
        "Nhân rộng mô hình thành công.",
    ]
    assert "CƠ QUAN THƯỜNG TRỰC" in signatures[0][1]
    # One picture per chart.
    assert len(document.inline_shapes) == 1
    section = document.sections[0]
    page = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(length.mm) for length in page] == [210, 297, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13


def test_docx_reads_in_english(report):
    with translation.override("en"):
        _document, paragraphs, tables = read_docx(report_docx(report))

    assert paragraphs == [
        "DRAFT",
        "REPORT",
        "Interim review of Quarter III/2026 — Tỉnh Thử Nghiệm",
        "————",
        "I. ONE-STOP-SHOP DOSSIERS",
        "1. Measures",
        "2. By unit",
        "3. Flags",
        "Xã Đồng Khởi: 10 of 34 dossiers decided late.",
        "II. LESSONS LEARNED",
        "Tổ hỗ trợ cấp xã cần đeo bám hộ kinh doanh sau chuyển đổi.",
        "Nhân rộng mô hình thành công.",
        "III. RECOMMENDATIONS",
        "Not written yet.",
    ]
    header = tables[0][0]
    assert header[0].splitlines() == [
        "STARTUP AND ENTERPRISE DEVELOPMENT ADVISORY COUNCIL",
        "TỈNH THỬ NGHIỆM",
        "———",
        "No.: ……/BC-HĐTV",
    ]
    assert header[1].splitlines()[:2] == [
        "SOCIALIST REPUBLIC OF VIETNAM",
        "Independence - Freedom - Happiness",
    ]
    assert tables[1][0] == ["Measure", "This period", "Previous period", "Change", "Target"]
    assert tables[1][1] == ["Dossiers received", "1.234", "1.000", "+234", "1.500"]
    assert tables[2][3] == ["Total", "1.234", "87,5 %"]
    assert tables[3][0][0].splitlines() == [
        "Recipients:",
        "- Members of the council;",
        "- District and commune teams;",
        "- Filed: office records.",
    ]
    assert tables[3][0][1].splitlines()[:3] == [
        "ON BEHALF OF THE COUNCIL",
        "STANDING AGENCY",
        "(Signature and full name)",
    ]


def test_a_final_report_loses_the_draft_mark_and_is_dated_when_finalised(report):
    report.finalised_at = FINALISED_AT
    report.number = "12"
    report.recommendations = "Ban hành quy chế Quỹ.\nHuy động vốn xã hội hóa."
    with translation.override("en"):
        _document, paragraphs, tables = read_docx(report_docx(report))

    assert "DRAFT" not in paragraphs
    assert paragraphs[0] == "REPORT"
    assert tables[0][0][0].splitlines()[3] == "No.: 12/BC-HĐTV"
    assert tables[0][0][1].splitlines()[2] == "Thử Nghiệm, 09/10/2026"
    recommendations = paragraphs.index("III. RECOMMENDATIONS")
    assert paragraphs[recommendations + 1 :] == ["Ban hành quy chế Quỹ.", "Huy động vốn xã hội hóa."]


def test_a_final_report_leaves_out_what_nobody_wrote(report):
    report.finalised_at = FINALISED_AT
    with translation.override("en"):
        _document, paragraphs, _tables = read_docx(report_docx(report))

    assert paragraphs[-3:] == [
        "II. LESSONS LEARNED",
        "Tổ hỗ trợ cấp xã cần đeo bám hộ kinh doanh sau chuyển đổi.",
        "Nhân rộng mô hình thành công.",
    ]


def test_pages_are_numbered_at_the_top_from_the_second(report):
    document, _paragraphs, _tables = read_docx(report_docx(report))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert section.first_page_header.paragraphs[0].text == ""


def test_docx_new_wording_reads_in_vietnamese(report):
    with translation.override("vi"):
        _document, paragraphs, tables = read_docx(report_docx(report))

    assert paragraphs[:3] == ["DỰ THẢO", "BÁO CÁO", "Sơ kết Quý III/2026 — Tỉnh Thử Nghiệm"]
    assert tables[0][0][0].splitlines() == [
        "HỘI ĐỒNG TƯ VẤN KHỞI NGHIỆP VÀ PHÁT TRIỂN DOANH NGHIỆP",
        "TỈNH THỬ NGHIỆM",
        "———",
        "Số: ……/BC-HĐTV",
    ]
    assert tables[3][0][0].splitlines()[0] == "Nơi nhận:"
    assert tables[3][0][1].splitlines()[:2] == ["TM. HỘI ĐỒNG", "CƠ QUAN THƯỜNG TRỰC"]
    with translation.override("vi"):
        summary = load_workbook(io.BytesIO(report_xlsx(report))).active
    assert summary["A3"].value == "Phiên bản"


def test_xlsx_keeps_the_figures_as_numbers(report):
    with translation.override("vi"):
        workbook = load_workbook(io.BytesIO(report_xlsx(report)))

    summary, by_unit, flags = workbook.worksheets
    assert summary.title == "Tóm tắt"
    assert [[cell.value for cell in row] for row in summary.iter_rows(max_row=6, max_col=2)] == [
        ["Đơn vị", "Tỉnh Thử Nghiệm"],
        ["Kỳ", "Quý III/2026"],
        [summary["A3"].value, 1],
        [summary["A4"].value, None],
        [summary["A5"].value, datetime.datetime(2026, 10, 3, 8, 30)],  # noqa: DTZ001 (Excel keeps no zone)
        [summary["A6"].value, None],
    ]
    assert summary["F8"].value == "Tăng, giảm"
    assert summary.freeze_panes == "A9"
    assert [cell.value for cell in summary[9][2:]] == [1234, 1000, 1500, 234]
    assert [cell.value for cell in summary[10][2:]] == [87.5, 90, None, -2.5]
    assert (summary["C9"].number_format, summary["C10"].number_format) == ("#,##0", '0.0" %"')

    assert by_unit["A1"].value == "Đơn vị"
    assert by_unit["A1"].font.b
    assert by_unit.freeze_panes == "A2"
    assert [[cell.value for cell in row] for row in by_unit.iter_rows(min_row=2)] == [
        ["Phường Phú Khương", 1200, 88.0],
        ["Xã Đồng Khởi", 34, 70.6],
        [by_unit["A4"].value, 1234, 87.5],
    ]
    assert [cell.font.b for cell in by_unit[4]] == [True, True, True]
    assert (by_unit["B2"].number_format, by_unit["C2"].number_format) == ("#,##0", '0.0" %"')
    assert len(by_unit._charts) == 1

    assert [cell.value for cell in flags[1][1:]] == ["Địa bàn", "Nội dung"]
    assert flags["B2"].value == "Xã Đồng Khởi"


def test_xlsx_reads_in_english(report):
    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(report_xlsx(report)))

    assert workbook.sheetnames == ["Summary", "One-stop-shop… - By unit", "Flags"]
    summary = workbook["Summary"]
    assert [cell.value for cell in summary["A"][:6]] == [
        "Unit",
        "Period",
        "Version",
        "Document number",
        "Built at",
        "Finalised at",
    ]
    assert [cell.value for cell in summary[8]] == [
        "Section",
        "Measure",
        "This period",
        "Previous period",
        "Target",
        "Change",
    ]
    assert [cell.value for cell in workbook["Flags"][2]] == [
        "One-stop-shop dossiers",
        "Xã Đồng Khởi",
        "10 of 34 dossiers decided late.",
    ]


def commune_chart(count: int) -> dict:
    return {
        "key": "by_commune",
        "title": "Dossiers decided on time and late, by unit",
        "categories": [f"Xã Thử Nghiệm {number}" for number in range(count)],
        "series": [
            {"label": "On time", "values": list(range(count))},
            {"label": "Late", "values": [1] * count},
        ],
    }


@pytest.mark.parametrize(
    ("communes", "size"),
    [
        # 15 cm wide at 200 dots an inch; each commune's band adds height up to 24 cm, a page's worth.
        (2, (1180, 432)),
        (130, (1180, 1880)),
    ],
)
def test_a_chart_grows_with_its_communes_within_a_page(communes, size):
    with translation.override("vi"):
        picture = Image.open(io.BytesIO(chart_png(commune_chart(communes))))

    assert (picture.format, picture.size) == ("PNG", size)

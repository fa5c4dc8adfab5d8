"""Reading a commune's list of household businesses from .xlsx and .csv files, and the template."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from conversions import spreadsheets
from conversions.spreadsheets import COLUMNS, CellProblem, SpreadsheetError, read_rows, template_xlsx

HEADINGS = [column.heading for column in COLUMNS]
ROW = [
    "Tiệm tạp hóa Minh Anh",
    "Nguyễn Thị Minh Anh",
    "001203004567",
    "0912345678",
    "56A8012345",
    "05/03/2024",
    "12 ấp Phú Lợi",
    "Xã Sơn Định",
    "G",
    "3",
    "Dưới 100 triệu đồng",
    "Khoán",
]
VALUES = {
    "name": "Tiệm tạp hóa Minh Anh",
    "owner_name": "Nguyễn Thị Minh Anh",
    "owner_national_id": "001203004567",
    "owner_phone": "0912345678",
    "registration_number": "56A8012345",
    "registered_on": datetime.date(2024, 3, 5),
    "address": "12 ấp Phú Lợi",
    "commune": "Xã Sơn Định",
    "sector": "G",
    "workers": 3,
    "revenue_band": "Dưới 100 triệu đồng",
    "tax_mode": "Khoán",
}
MARCH_5_2024 = (datetime.date(2024, 3, 5) - datetime.date(1899, 12, 30)).days
# A date cell as openpyxl reads it: Excel's cells have no time zone.
MARCH_5_2024_CELL = datetime.datetime(2024, 3, 5)  # noqa: DTZ001


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())


def csv_upload(text: str, *, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.csv", text.encode(encoding))


def with_value(key: str, value) -> list:
    """The sample row with one column's cell replaced."""
    row = list(ROW)
    row[[column.key for column in COLUMNS].index(key)] = value
    return row


def test_an_xlsx_list_is_read_with_its_excel_row_numbers_below_title_rows():
    upload = xlsx(
        ["DANH SÁCH HỘ KINH DOANH XÃ SƠN ĐỊNH"],
        [],
        HEADINGS,
        ROW,
        with_value("registered_on", MARCH_5_2024_CELL),
        with_value("registered_on", MARCH_5_2024),
    )

    rows = read_rows(upload)

    assert [row.number for row in rows] == [4, 5, 6]
    assert [row.values for row in rows] == [VALUES, VALUES, VALUES]
    assert [row.problems for row in rows] == [[], [], []]


def test_the_date_forms_read_as_the_same_day():
    forms = [
        datetime.date(2024, 3, 5),
        MARCH_5_2024_CELL,
        MARCH_5_2024,
        float(MARCH_5_2024),
        "05/03/2024",
        "5/3/2024",
        "05-03-2024",
        "05.03.2024",
        "2024-03-05",
        " 05/03/2024 00:00:00 ",
        str(MARCH_5_2024),
    ]

    rows = read_rows(xlsx(HEADINGS, *(with_value("registered_on", form) for form in forms)))

    assert [row.values["registered_on"] for row in rows] == [datetime.date(2024, 3, 5)] * len(forms)
    assert all(row.problems == [] for row in rows)


def test_serial_45292_is_new_years_day_2024():
    (row,) = read_rows(xlsx(HEADINGS, with_value("registered_on", 45292)))

    assert row.values["registered_on"] == datetime.date(2024, 1, 1)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("13/25/2024", "“13/25/2024” is not a date (dd/mm/yyyy)."),
        ("31/02/2024", "“31/02/2024” is not a date (dd/mm/yyyy)."),
        ("05/03/24", "“05/03/24” is not a date (dd/mm/yyyy)."),
        ("tháng 3", "“tháng 3” is not a date (dd/mm/yyyy)."),
        ("05/03/2200", "“05/03/2200” is not a date between 1900 and 2100."),
        (0, "“0” is not a date between 1900 and 2100."),
        (-5, "“-5” is not a date between 1900 and 2100."),
        (0.5, "“0.5” is not a date between 1900 and 2100."),
        (73416, "“73416” is not a date between 1900 and 2100."),
        (99_999_999, "“99999999” is not a date between 1900 and 2100."),
    ],
)
def test_a_cell_that_is_not_a_date_is_a_problem_of_its_row_and_column(cell, message):
    rows = read_rows(xlsx(["Danh sách"], HEADINGS, ROW, with_value("registered_on", cell)))

    assert rows[0].problems == []
    assert rows[1].number == 4
    assert rows[1].values["registered_on"] is None
    assert rows[1].problems == [CellProblem(column="registered_on", message=message)]
    assert rows[1].values["name"] == "Tiệm tạp hóa Minh Anh"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (912345678, "912345678"),
        (912345678.0, "912345678"),
        (120000000000.0, "120000000000"),
        (1.5, "1.5"),
        ("001203004567", "001203004567"),
        ("  0912 345 678 ", "0912 345 678"),
        ("", None),
        (None, None),
    ],
)
def test_text_columns_keep_text_and_give_numbers_their_digits(cell, text):
    (row,) = read_rows(xlsx(HEADINGS, with_value("owner_phone", cell)))

    assert row.values["owner_phone"] == text
    assert row.problems == []


def test_a_national_id_excel_turned_into_a_number_comes_back_without_the_zero_it_lost():
    (row,) = read_rows(xlsx(HEADINGS, with_value("owner_national_id", 1203004567)))

    assert row.values["owner_national_id"] == "1203004567"


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        (3, 3),
        (3.0, 3),
        ("12", 12),
        ("1.200", 1200),
        ("1,200", 1200),
        ("1.200.000", 1200000),
        (0, 0),
        (None, None),
    ],
)
def test_number_columns_read_whole_numbers(cell, number):
    (row,) = read_rows(xlsx(HEADINGS, with_value("workers", cell)))

    assert row.values["workers"] == number
    assert row.problems == []


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (2.5, "“2.5” is not a whole number of zero or more."),
        ("2,5", "“2,5” is not a whole number of zero or more."),
        ("1.200,5", "“1.200,5” is not a whole number of zero or more."),
        (-1, "“-1” is not a whole number of zero or more."),
        ("ba", "“ba” is not a whole number of zero or more."),
        (datetime.date(2024, 3, 5), "“05/03/2024” is not a whole number of zero or more."),
        (2**31, "“2147483648” is too large a number."),
    ],
)
def test_a_cell_that_is_not_a_whole_number_is_a_problem(cell, message):
    (row,) = read_rows(xlsx(HEADINGS, with_value("workers", cell)))

    assert row.values["workers"] is None
    assert row.problems == [CellProblem(column="workers", message=message)]


def test_the_largest_number_is_read():
    (row,) = read_rows(xlsx(HEADINGS, with_value("workers", 2**31 - 1)))

    assert row.values["workers"] == 2**31 - 1


def test_empty_rows_are_skipped_and_row_numbers_stay_as_in_excel():
    upload = xlsx(HEADINGS, ROW, [None] * len(ROW), ["", "  "], ROW, [None, None, None], ROW)

    assert [row.number for row in read_rows(upload)] == [2, 5, 7]


def test_a_row_with_something_only_in_an_unknown_column_is_skipped():
    upload = xlsx([*HEADINGS, "Ghi chú"], ROW, [*[None] * len(HEADINGS), "Người lập biểu"])

    assert [row.number for row in read_rows(upload)] == [2]


def test_headings_match_without_case_diacritics_spaces_or_required_marks_and_in_any_order():
    headings = [
        "TEN HO KINH DOANH *",
        "Họ  và tên\nchủ hộ (*)",
        "số cccd của chủ hộ:",
        "Ghi chú",
        "SỐ GIẤY CHỨNG NHẬN  ĐKKD",
        "Ngày đăng ký",
        "Địa chỉ kinh doanh",
        "Xã, Phường",
        "Ngành nghề (mã VSIC cấp 1)",
    ]
    row = [
        "Tiệm A",
        "Lê Văn B",
        "079301000001",
        "không",
        "56A8000001",
        "01/07/2025",
        "ấp 1",
        "Xã Cẩm Sơn",
        "C",
    ]

    (read,) = read_rows(xlsx(headings, row))

    assert read.values == {
        "name": "Tiệm A",
        "owner_name": "Lê Văn B",
        "owner_national_id": "079301000001",
        "owner_phone": None,
        "registration_number": "56A8000001",
        "registered_on": datetime.date(2025, 7, 1),
        "address": "ấp 1",
        "commune": "Xã Cẩm Sơn",
        "sector": "C",
        "workers": None,
        "revenue_band": None,
        "tax_mode": None,
    }


def test_a_missing_required_column_is_named():
    headings = [heading for heading in HEADINGS if heading != "Số CCCD của chủ hộ"]

    with pytest.raises(SpreadsheetError) as raised:
        read_rows(xlsx(headings, ROW[:2] + ROW[3:]))

    assert str(raised.value) == "A required column is missing: “Số CCCD của chủ hộ”."


def test_missing_required_columns_are_all_named():
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(
            xlsx(["Tên hộ kinh doanh", "Họ và tên chủ hộ", "Địa chỉ kinh doanh", "Xã, phường"], ROW[:4])
        )

    assert str(raised.value) == (
        "Required columns are missing: “Số CCCD của chủ hộ”, “Số giấy chứng nhận đăng ký hộ kinh doanh”, "
        "“Ngày cấp đăng ký”, “Ngành nghề (mã VSIC cấp 1)”."
    )


def test_a_heading_row_below_the_tenth_row_is_not_found():
    upload = xlsx(*[[f"Dòng tiêu đề {number}"] for number in range(1, 11)], HEADINGS, ROW)

    with pytest.raises(SpreadsheetError, match=r"^No row of headings was found in the first 10 rows"):
        read_rows(upload)


def test_a_heading_row_in_the_tenth_row_is_found():
    upload = xlsx(*[[f"Dòng tiêu đề {number}"] for number in range(1, 10)], HEADINGS, ROW)

    assert [row.number for row in read_rows(upload)] == [11]


def test_a_list_without_rows_is_refused():
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(xlsx(HEADINGS, [None] * len(HEADINGS)))

    assert str(raised.value) == "The list has no rows below its headings."


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)

    assert len(read_rows(xlsx(HEADINGS, ROW, ROW, ROW))) == 3
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(xlsx(HEADINGS, ROW, ROW, ROW, ROW))

    assert str(raised.value) == "The list has more than 3 rows; split it into several files."


def csv_text(delimiter: str, rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_a_csv_list_is_read_whatever_its_delimiter_with_or_without_a_byte_order_mark(delimiter, bom):
    text = bom + csv_text(delimiter, [["Danh sách hộ kinh doanh"], HEADINGS, ROW, [], ROW])

    rows = read_rows(csv_upload(text))

    assert [row.number for row in rows] == [3, 5]
    assert [row.values for row in rows] == [VALUES, VALUES]


def test_a_semicolon_csv_with_commas_in_its_cells_is_split_on_semicolons():
    text = ";".join(HEADINGS) + "\n" + ";".join(with_value("address", "12, ấp Phú Lợi, xã Sơn Định")) + "\n"

    (row,) = read_rows(csv_upload(text))

    assert row.values["address"] == "12, ấp Phú Lợi, xã Sơn Định"
    assert row.values["commune"] == "Xã Sơn Định"


def test_csv_dates_and_serial_numbers_are_text():
    text = csv_text(
        ",", [HEADINGS, with_value("registered_on", str(MARCH_5_2024)), with_value("registered_on", "x")]
    )

    first, second = read_rows(csv_upload(text))

    assert first.values["registered_on"] == datetime.date(2024, 3, 5)
    assert second.problems == [CellProblem(column="registered_on", message="“x” is not a date (dd/mm/yyyy).")]


NOT_A_SPREADSHEET = (
    "This file is not a spreadsheet the portal can read: upload an Excel workbook (.xlsx) or a CSV file "
    "saved as “CSV UTF-8”."
)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        bytes(range(256)) * 4,
        csv_text(";", [HEADINGS, ROW]).encode("cp1258", errors="replace"),
        b"Ten ho kinh doanh\x00,Ho va ten chu ho\n",
    ],
    ids=["pdf", "png", "random", "windows-1258-csv", "nul-bytes"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(content):
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(SimpleUploadedFile("danh-sach.xlsx", content))

    assert str(raised.value) == NOT_A_SPREADSHEET


def test_an_old_xls_file_is_refused_with_how_to_save_it():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    with pytest.raises(SpreadsheetError) as raised:
        read_rows(SimpleUploadedFile("danh-sach.xls", content))

    assert str(raised.value) == (
        "This is an old Excel file (.xls): open it in Excel, save it as an Excel workbook (.xlsx) "
        "and upload that."
    )


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + bytes(200), xlsx(HEADINGS, ROW).read()[:3000]],
    ids=["zip-header-only", "cut-short"],
)
def test_a_damaged_xlsx_is_refused(content):
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(SimpleUploadedFile("danh-sach.xlsx", content))

    assert (
        str(raised.value)
        == "The Excel file cannot be read: it is damaged, or it is not an Excel workbook (.xlsx)."
    )


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(SpreadsheetError, match=r"^The Excel file cannot be read"):
        read_rows(SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue()))


class Unreadable:
    """An upload that says it is 50 MB and must not be read."""

    name = "danh-sach.xlsx"
    size = 50_000_000

    def read(self, *args):
        raise AssertionError("a file over the limit was read")

    def seek(self, *args):
        raise AssertionError("a file over the limit was touched")


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(Unreadable())

    assert str(raised.value) == "The file is 50.0 MB; the limit is 10 MB."


def test_a_file_without_a_size_is_refused_once_it_reads_past_the_limit():
    upload = io.BytesIO(b"a" * (spreadsheets.MAX_UPLOAD_BYTES + 1))
    upload.name = "danh-sach.csv"

    with pytest.raises(SpreadsheetError, match=r"^The file is 10.0 MB; the limit is 10 MB\.$"):
        read_rows(upload)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(content):
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(SimpleUploadedFile("danh-sach.csv", content))

    assert str(raised.value) == "The file is empty."


def test_the_upload_is_read_from_its_start():
    upload = xlsx(HEADINGS, ROW)
    upload.read(100)

    assert [row.values for row in read_rows(upload)] == [VALUES]


CHOICES = {
    "sector": [
        "A - Nông nghiệp, lâm nghiệp và thủy sản",
        "G - Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy",
    ],
    "revenue_band": ["Dưới 100 triệu đồng", "Từ 100 triệu đến 1 tỷ đồng"],
    "tax_mode": ["Khoán", "Kê khai"],
}


def test_the_template_read_back_with_two_filled_rows_gives_those_rows():
    workbook = load_workbook(io.BytesIO(template_xlsx(CHOICES)))
    sheet = workbook["Danh sách hộ kinh doanh"]
    second = with_value("sector", CHOICES["sector"][1])
    for number, row in ((2, ROW), (3, second)):
        for index, value in enumerate(row, start=1):
            sheet.cell(row=number, column=index, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = read_rows(SimpleUploadedFile("mau.xlsx", buffer.getvalue()))

    assert [(row.number, row.values, row.problems) for row in rows] == [
        (2, VALUES, []),
        (3, {**VALUES, "sector": CHOICES["sector"][1]}, []),
    ]


def test_the_empty_template_has_no_rows():
    with pytest.raises(SpreadsheetError, match=r"^The list has no rows below its headings\.$"):
        read_rows(SimpleUploadedFile("mau.xlsx", template_xlsx()))


def test_the_template_sheet_has_marked_headings_formats_and_drop_down_lists():
    workbook = load_workbook(io.BytesIO(template_xlsx(CHOICES)))
    sheet = workbook["Danh sách hộ kinh doanh"]

    assert workbook.sheetnames == ["Danh sách hộ kinh doanh", "Hướng dẫn"]
    assert [cell.value for cell in sheet[1]] == [
        "Tên hộ kinh doanh *",
        "Họ và tên chủ hộ *",
        "Số CCCD của chủ hộ *",
        "Số điện thoại",
        "Số giấy chứng nhận đăng ký hộ kinh doanh *",
        "Ngày cấp đăng ký *",
        "Địa chỉ kinh doanh *",
        "Xã, phường *",
        "Ngành nghề (mã VSIC cấp 1) *",
        "Số lao động",
        "Doanh thu năm",
        "Hình thức nộp thuế",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].number_format == "@"
    assert sheet["C501"].number_format == "@"
    assert sheet["F2"].number_format == "dd/mm/yyyy"
    assert sheet["J2"].number_format == "0"
    assert all(sheet.column_dimensions[letter].width >= 14 for letter in "ABCDEFGHIJKL")
    lists = {
        str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation
    }
    assert lists == {
        "I2:I501": "'Hướng dẫn'!$C$18:$C$19",
        "K2:K501": "'Hướng dẫn'!$C$21:$C$22",
        "L2:L501": "'Hướng dẫn'!$C$24:$C$25",
    }
    guide = workbook["Hướng dẫn"]
    assert [guide.cell(row=number, column=3).value for number in (18, 19, 21, 22, 24, 25)] == [
        *CHOICES["sector"],
        *CHOICES["revenue_band"],
        *CHOICES["tax_mode"],
    ]
    assert guide["A18"].value == "Giá trị của cột “Ngành nghề (mã VSIC cấp 1)”"


def test_the_guide_explains_every_column():
    guide = load_workbook(io.BytesIO(template_xlsx()))["Hướng dẫn"]

    lines = list(guide.iter_rows(min_row=5, max_row=16, values_only=True))

    assert [line[0] for line in lines] == HEADINGS
    assert [line[1] for line in lines] == ["Có" if column.required else "Không" for column in COLUMNS]
    assert lines[2][2] == "Số căn cước công dân gồm 12 chữ số; giữ nguyên các số 0 ở đầu."
    assert all(line[2] for line in lines)
    # Without choices, the tax modes still have their list.
    assert (guide["A18"].value, guide["C18"].value, guide["C19"].value) == (
        "Giá trị của cột “Hình thức nộp thuế”",
        "Khoán",
        "Kê khai",
    )

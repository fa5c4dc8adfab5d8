"""The Excel list a commune officer imports in the browser journey: Xã Chợ Lách's household businesses.

``journey_workbook()`` fills the template officers download (``conversions.spreadsheets.template_xlsx``
with the import's drop-down lists) with thirteen rows of the demo commune officer's ward, as a commune's
list arrives: most of them good (registered since the reform on Xã Chợ Lách, or before it on Thị trấn
Chợ Lách, Xã Hòa Nghĩa or Xã Long Thới, the communes of that day; dates typed as real dates, as
dd/mm/yyyy text and as an Excel serial number; CCCD numbers as text with their leading zero; one owner
the portal already knows, Phạm Văn Út, whose conversion dossier was refused in 2025 because he had no
household business yet), and four that the preview must catch: a missing registration number, a date
that does not exist, a household business already in the demo's registry (Bảy Nhung's candy business,
with more workers now) and a commune named by its pre-reform name after the reform (Xã Hòa Nghĩa,
merged into Xã Chợ Lách).

The file is committed beside this module as ``danh-sach-ho-kinh-doanh.xlsx``;
``write_journey_workbook()`` writes it again (``python manage.py shell -c "from conversions.demo.journey
import write_journey_workbook; write_journey_workbook()"``).
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from conversions.services.import_texts import template_choices
from conversions.spreadsheets import COLUMNS, TEMPLATE_TITLE, template_xlsx

JOURNEY_WORKBOOK = Path(__file__).with_name("danh-sach-ho-kinh-doanh.xlsx")
# The moment the workbook says it was made, so that writing it again gives the same properties.
MADE_AT = datetime.datetime(2026, 11, 16, 1, 0, tzinfo=datetime.UTC)
EXCEL_EPOCH = datetime.date(1899, 12, 30)

UNDER_500M = "Dưới 500 triệu đồng"
UP_TO_3B = "Từ 500 triệu đến 3 tỷ đồng"
DECLARED = "Kê khai"


@dataclass(frozen=True)
class Row:
    name: str
    owner_name: str
    owner_national_id: str
    owner_phone: str
    registration_number: str
    registered_on: datetime.date | str | int  # a date cell, text as typed, or an Excel serial number
    address: str
    commune: str
    sector: str
    workers: int
    revenue_band: str = UNDER_500M
    tax_mode: str = DECLARED


def serial(day: datetime.date) -> int:
    """The number Excel stores for ``day``."""
    return (day - EXCEL_EPOCH).days


ROWS = (
    Row(
        "Hộ kinh doanh Sầu riêng Cái Mơn Út Phạm",
        "Phạm Văn Út",
        "083088006673",
        "0966118402",
        "56C9000811",
        datetime.date(2025, 8, 20),
        "Ấp Long Hiệp, xã Chợ Lách",
        "Xã Chợ Lách",
        "A",
        3,
    ),
    Row(
        "Hộ kinh doanh Bánh tráng sữa Kim Thoa",
        "Nguyễn Thị Kim Thoa",
        "083186104512",
        "0939527104",
        "56C9000812",
        datetime.date(2025, 9, 2),
        "Ấp Hòa Khánh, xã Chợ Lách",
        "Xã Chợ Lách",
        "C",
        4,
        UP_TO_3B,
    ),
    Row(
        "Hộ kinh doanh Hoa kiểng Mười Đẹp",
        "Lê Văn Đẹp",
        "083070214455",
        "0918330472",
        "56C9000813",
        "15/09/2025",
        "Ấp Hòa Thuận, xã Chợ Lách",
        "Xã Chợ Lách",
        "A",
        2,
    ),
    Row(
        "Hộ kinh doanh Cây giống Long Thới Xanh",
        "Trần Văn Bình",
        "083082335566",
        "0907118265",
        "56C9000814",
        serial(datetime.date(2025, 10, 6)),
        "Ấp Long Khánh, xã Chợ Lách",
        "Xã Chợ Lách",
        "A",
        6,
        UP_TO_3B,
    ),
    Row(
        "Hộ kinh doanh Tạp hóa Kim Ngân",
        "Huỳnh Thị Kim Ngân",
        "083191446677",
        "0359204418",
        "56C9000815",
        datetime.date(2025, 11, 3),
        "Khu phố 1, xã Chợ Lách",
        "Xã Chợ Lách",
        "G",
        1,
    ),
    Row(
        "Hộ kinh doanh Quán cơm Hai Lúa",
        "Võ Văn Lúa",
        "083075557788",
        "0988760213",
        "56C9000816",
        datetime.date(2026, 1, 12),
        "Khu phố 2, xã Chợ Lách",
        "Xã Chợ Lách",
        "I",
        3,
    ),
    Row(
        "Hộ kinh doanh Bonsai Minh Khoa",
        "Phan Minh Khoa",
        "083094668899",
        "0376615590",
        "56C9000817",
        datetime.date(2026, 3, 9),
        "Ấp Long Qui, xã Chợ Lách",
        "Xã Chợ Lách",
        "A",
        2,
    ),
    Row(
        "Hộ kinh doanh Kẹo dừa Hòa Nghĩa",
        "Đỗ Thị Hoa",
        "083184779900",
        "0913845027",
        "56C7000702",
        datetime.date(2018, 5, 14),
        "Ấp Hòa Khánh, xã Hòa Nghĩa, huyện Chợ Lách",
        "Xã Hòa Nghĩa",
        "C",
        5,
        UP_TO_3B,
    ),
    Row(
        "Hộ kinh doanh Vựa chôm chôm Long Thới",
        "Nguyễn Văn Hải",
        "083079880011",
        "0945302716",
        "56C7000703",
        datetime.date(2021, 6, 21),
        "Ấp Long Hiệp, xã Long Thới, huyện Chợ Lách",
        "Xã Long Thới",
        "G",
        4,
        UP_TO_3B,
    ),
    # The preview's problems: no registration number…
    Row(
        "Hộ kinh doanh Sửa xe Tư Lợi",
        "Trần Văn Lợi",
        "083068991122",
        "0903275148",
        "",
        datetime.date(2026, 5, 5),
        "Khu phố 1, xã Chợ Lách",
        "Xã Chợ Lách",
        "G",
        1,
    ),
    # …a day that does not exist…
    Row(
        "Hộ kinh doanh Homestay Cồn Phú Đa",
        "Lâm Thị Thu",
        "083190112233",
        "0962481375",
        "56C9000818",
        "31/02/2026",
        "Ấp Phú Đa, xã Chợ Lách",
        "Xã Chợ Lách",
        "I",
        2,
    ),
    # …a household business already in the registry (the demo's), now with eight workers…
    Row(
        "Hộ kinh doanh Kẹo dừa sầu riêng Bảy Nhung",
        "Trần Thị Nhung",
        "083189008795",
        "0907852341",
        "56C8000533",
        datetime.date(2017, 8, 14),
        "Khu phố 2, thị trấn Chợ Lách, huyện Chợ Lách",
        "Thị trấn Chợ Lách",
        "C",
        8,
    ),
    # …and a commune named as it was before 1 July 2025, for a business registered after.
    Row(
        "Hộ kinh doanh Thạch dừa Bùi Mai",
        "Bùi Thị Mai",
        "083193223344",
        "0387146620",
        "56C9000819",
        datetime.date(2025, 8, 18),
        "Ấp Hòa Thạnh, xã Hòa Nghĩa",
        "Xã Hòa Nghĩa",
        "C",
        3,
    ),
)


def journey_workbook() -> bytes:
    """The template with the rows above, as an .xlsx file."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_xlsx(template_choices())))
    sheet = workbook[TEMPLATE_TITLE]
    for number, row in enumerate(ROWS, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = getattr(row, column.key)
            cell = sheet.cell(row=number, column=index, value=value if value != "" else None)
            if column.key == "registered_on" and not isinstance(value, datetime.date):
                cell.number_format = "@" if isinstance(value, str) else "0"
    workbook.properties.creator = "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Chợ Lách"
    # openpyxl writes the times as UTC and takes them without their zone.
    workbook.properties.created = workbook.properties.modified = MADE_AT.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_journey_workbook(path: Path = JOURNEY_WORKBOOK) -> Path:
    path.write_bytes(journey_workbook())
    return path

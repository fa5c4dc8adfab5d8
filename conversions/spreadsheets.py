"""A commune's list of household businesses as a spreadsheet: the template officers fill in, and reading it.

The content decides the format, never the name: an .xlsx workbook is a ZIP file, anything else is read
as CSV text in UTF-8. The heading row is found among the first rows by its headings, compared without
case, diacritics or a required mark, so title rows above it and columns of the commune's own are fine.
Cells are read as the template means them: identity and registration numbers stay text, dates are
read day first, counts are whole numbers; a cell that cannot be read is a ``CellProblem`` of its row,
a file that cannot be read at all a ``SpreadsheetError``. Nothing here knows the models: the import
service decides what the values mean.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.text import fold

MAX_UPLOAD_BYTES = 10_000_000
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
LARGEST_NUMBER = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2100
DELIMITERS = (",", ";", "\t")
ZIP_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# PDF, PNG, JPEG, GIF: files officers pick by mistake, refused before they are read as text.
OTHER_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8")
TEMPLATE_TITLE = "Danh sách hộ kinh doanh"
GUIDE_TITLE = "Hướng dẫn"
TEMPLATE_ROWS = 500
NUMBER_FORMATS = {"text": "@", "date": "dd/mm/yyyy", "number": "0"}
DEFAULT_CHOICES = {"tax_mode": ["Khoán", "Kê khai"]}


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: str  # "text" | "date" | "number"
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", "Tên hộ kinh doanh", "text", True, ("Tên hộ",)),
    Column("owner_name", "Họ và tên chủ hộ", "text", True, ("Họ tên chủ hộ", "Tên chủ hộ", "Chủ hộ")),
    Column(
        "owner_national_id", "Số CCCD của chủ hộ", "text", True, ("Số CCCD", "CCCD", "Số định danh cá nhân")
    ),
    Column("owner_phone", "Số điện thoại", "text", False, ("Điện thoại", "SĐT")),
    Column(
        "registration_number",
        "Số giấy chứng nhận đăng ký hộ kinh doanh",
        "text",
        True,
        ("Số GCN ĐKHKD", "Số ĐKKD", "Số GCN ĐKKD", "Số giấy chứng nhận ĐKKD", "Số đăng ký"),
    ),
    Column("registered_on", "Ngày cấp đăng ký", "date", True, ("Ngày đăng ký", "Ngày cấp")),
    Column("address", "Địa chỉ kinh doanh", "text", True, ("Địa chỉ",)),
    Column("commune", "Xã, phường", "text", True, ("Xã/phường", "Phường, xã", "Phường/xã", "Xã")),
    Column("sector", "Ngành nghề (mã VSIC cấp 1)", "text", True, ("Ngành nghề", "Mã ngành")),
    Column("workers", "Số lao động", "number", False, ("Lao động",)),
    Column("revenue_band", "Doanh thu năm", "text", False, ("Doanh thu",)),
    Column("tax_mode", "Hình thức nộp thuế", "text", False, ("Hình thức thuế",)),
)
GUIDE = {
    "name": "Tên ghi trên giấy chứng nhận đăng ký hộ kinh doanh.",
    "owner_name": "Họ và tên đầy đủ, có dấu, của chủ hộ kinh doanh.",
    "owner_national_id": "Số căn cước công dân gồm 12 chữ số; giữ nguyên các số 0 ở đầu.",
    "owner_phone": "Số điện thoại liên hệ của chủ hộ, ví dụ 0912345678.",
    "registration_number": "Số ghi trên giấy chứng nhận đăng ký hộ kinh doanh, ghi đúng như trên giấy.",
    "registered_on": "Ngày cấp giấy chứng nhận, ghi theo ngày/tháng/năm, ví dụ 05/03/2024.",
    "address": "Số nhà, đường, ấp hoặc khu phố nơi hộ kinh doanh hoạt động.",
    "commune": "Tên xã, phường nơi hộ đăng ký; có thể ghi tên trước khi sắp xếp đơn vị hành chính năm 2025.",
    "sector": "Chữ cái ngành cấp 1 theo Hệ thống ngành kinh tế Việt Nam (từ A đến U) hoặc tên ngành.",
    "workers": "Số người làm việc thường xuyên, là số nguyên, ví dụ 3.",
    "revenue_band": "Mức doanh thu của năm gần nhất.",
    "tax_mode": "Khoán hoặc Kê khai.",
}
REQUIRED = tuple(column for column in COLUMNS if column.required)
# A heading may carry the template's required mark, " *" or " (*)", or end in a colon.
REQUIRED_MARK = re.compile(r"(\s*(\(\*\)|\*|:))+$")


def _heading_key(text: str) -> str:
    return REQUIRED_MARK.sub("", fold(text))


HEADINGS = {
    _heading_key(name): column.key for column in COLUMNS for name in (column.heading, *column.aliases)
}


@dataclass(frozen=True)
class CellProblem:
    column: str
    message: str


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, str | datetime.date | int | None]
    problems: list[CellProblem]


class SpreadsheetError(ValueError):
    """The whole file cannot be read; the message says why, in the active language."""


class _Unreadable(Exception):
    """One cell cannot be read; the message says why."""


def read_rows(upload) -> list[SheetRow]:
    """The household businesses listed in an uploaded .xlsx or .csv file, one ``SheetRow`` per row that
    has something in the template's columns, numbered as Excel numbers them.

    ``values`` holds every column's key, None for an empty cell or a column the file lacks; an empty
    required cell is not a problem here. SpreadsheetError when the file as a whole cannot be read.
    """
    size = getattr(upload, "size", None)
    if size is None or size <= MAX_UPLOAD_BYTES:
        upload.seek(0)
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        size = len(content)
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": MAX_UPLOAD_BYTES // 1_000_000}
        )
    if content.startswith(ZIP_SIGNATURE):
        return _read_xlsx(content)
    if content.startswith(OLD_EXCEL_SIGNATURE):
        raise SpreadsheetError(
            _(
                "This is an old Excel file (.xls): open it in Excel, save it as an Excel workbook (.xlsx) "
                "and upload that."
            )
        )
    return _read_csv(content)


def _not_a_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This file is not a spreadsheet the portal can read: upload an Excel workbook (.xlsx) or a CSV "
            "file saved as “CSV UTF-8”."
        )
    )


def _read_xlsx(content: bytes) -> list[SheetRow]:
    from openpyxl import load_workbook

    damaged = _("The Excel file cannot be read: it is damaged, or it is not an Excel workbook (.xlsx).")
    # openpyxl fails on a damaged or foreign file in many ways (ZIP, XML, KeyError, TypeError…), also lazily
    # while the rows are read; all of them mean the same to the officer.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise SpreadsheetError(damaged) from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the sheet; read the rows that are there instead.
        sheet.reset_dimensions()
        return _read(enumerate(sheet.iter_rows(values_only=True), start=1))
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(damaged) from error
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[SheetRow]:
    if content.startswith(OTHER_SIGNATURES):
        raise _not_a_spreadsheet()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_a_spreadsheet() from error
    if "\x00" in text:
        raise _not_a_spreadsheet()
    if not text.strip():
        raise SpreadsheetError(_("The file is empty."))

    def records(delimiter: str) -> Iterator[list[str]]:
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    try:
        # The delimiter is the one that splits a row of the first ones into the most known headings.
        delimiter = max(
            DELIMITERS,
            key=lambda each: max(
                (len(_positions(row)) for row in islice(records(each), HEADER_SEARCH_ROWS)), default=0
            ),
        )
        return _read(enumerate(records(delimiter), start=1))
    except csv.Error as error:
        raise _not_a_spreadsheet() from error


def _positions(cells: Iterable) -> dict[str, int]:
    """Where each known heading of ``cells`` is, by column key; the first of two alike wins."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = HEADINGS.get(_heading_key(cell)) if isinstance(cell, str) else None
        if key is not None and key not in positions:
            positions[key] = index
    return positions


def _header(rows: Iterator[tuple[int, Sequence]]) -> dict[str, int]:
    """The positions of the first row, among the first rows, with every required heading."""
    best: dict[str, int] = {}
    for _row, cells in islice(rows, HEADER_SEARCH_ROWS):
        positions = _positions(cells)
        if all(column.key in positions for column in REQUIRED):
            return positions
        best = max(best, positions, key=len)
    if not best:
        headings = ", ".join(f"“{column.heading}”" for column in REQUIRED)
        raise SpreadsheetError(
            _(
                "No row of headings was found in the first %(count)s rows; the list needs the template's "
                "headings (%(headings)s)."
            )
            % {"count": HEADER_SEARCH_ROWS, "headings": headings}
        )
    missing = [f"“{column.heading}”" for column in REQUIRED if column.key not in best]
    raise SpreadsheetError(
        ngettext(
            "A required column is missing: %(headings)s.",
            "Required columns are missing: %(headings)s.",
            len(missing),
        )
        % {"headings": ", ".join(missing)}
    )


def _read(rows: Iterator[tuple[int, Sequence]]) -> list[SheetRow]:
    positions = _header(rows)
    read: list[SheetRow] = []
    for number, cells in rows:
        raw = {key: cells[index] if index < len(cells) else None for key, index in positions.items()}
        if all(_as_text(value) == "" for value in raw.values()):
            continue
        if len(read) == MAX_ROWS:
            raise SpreadsheetError(
                _("The list has more than %(limit)s rows; split it into several files.") % {"limit": MAX_ROWS}
            )
        values: dict[str, str | datetime.date | int | None] = {}
        problems = []
        for column in COLUMNS:
            try:
                values[column.key] = READERS[column.kind](raw.get(column.key))
            except _Unreadable as problem:
                values[column.key] = None
                problems.append(CellProblem(column=column.key, message=str(problem)))
        read.append(SheetRow(number=number, values=values, problems=problems))
    if not read:
        raise SpreadsheetError(_("The list has no rows below its headings."))
    return read


def _as_text(value) -> str:
    """A cell as the officer reads it: whole numbers without ".0", never an exponent, dates day first."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    elif isinstance(value, datetime.datetime):
        text = value.strftime("%d/%m/%Y" if value.time() == datetime.time() else "%d/%m/%Y %H:%M")
    elif isinstance(value, datetime.date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    return text.strip()


DAY_FIRST = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})")
ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
SERIAL = re.compile(r"\d+(\.\d+)?")


def _date(value) -> datetime.date | None:
    text = _as_text(value)
    if not text:
        return None
    day = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _serial(value)
    elif isinstance(value, str):
        bare = TIME_OF_DAY.sub("", text)
        if match := DAY_FIRST.fullmatch(bare) or ISO_DATE.fullmatch(bare):
            with suppress(ValueError):  # 31/02/2024, or a month 13 (the day always comes first)
                day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        elif SERIAL.fullmatch(text):
            day = _serial(float(text))
    if day is None:
        raise _Unreadable(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text})
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _Unreadable(
            _("“%(value)s” is not a date between %(first)s and %(last)s.")
            % {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


def _serial(value: float) -> datetime.date:
    """The day of an Excel serial number (45292 is 1 January 2024); ``date.min`` outside the calendar."""
    from openpyxl.utils.datetime import from_excel

    if not 0 < value < 2_958_466:  # 2_958_466 is 1 January 10000
        return datetime.date.min
    moment = from_excel(value)
    return moment.date() if isinstance(moment, datetime.datetime) else datetime.date.min


WHOLE = re.compile(r"[0-9]+|[0-9]{1,3}([.,\s])[0-9]{3}(\1[0-9]{3})*")


def _number(value) -> int | None:
    text = _as_text(value)
    if not text:
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and WHOLE.fullmatch(text):
        number = int(re.sub(r"[^0-9]", "", text))
    if number is None or number < 0:
        raise _Unreadable(_("“%(value)s” is not a whole number of zero or more.") % {"value": text})
    if number > LARGEST_NUMBER:
        raise _Unreadable(_("“%(value)s” is too large a number.") % {"value": text})
    return number


READERS = {"text": lambda value: _as_text(value) or None, "date": _date, "number": _number}


def template_xlsx(choices: dict[str, list[str]] | None = None) -> bytes:
    """The empty list as an Excel workbook for officers to fill in, with a guide sheet.

    ``choices`` gives, by column key, the values a column takes (sectors, revenue bands, tax modes):
    the guide lists them and the column offers them in a drop-down list.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = {**DEFAULT_CHOICES, **(choices or {})}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_TITLE
    sheet.append([column.heading + (" *" if column.required else "") for column in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 48
    guide = workbook.create_sheet(GUIDE_TITLE)
    guide.append(["Hướng dẫn điền danh sách hộ kinh doanh"])
    guide.append(
        [
            f"Mỗi dòng của trang “{TEMPLATE_TITLE}” là một hộ kinh doanh, bắt đầu từ dòng 2. Cột có dấu * là "
            "bắt buộc. Giữ nguyên tên các cột. Ngày ghi theo ngày/tháng/năm (dd/mm/yyyy). Có thể nộp tệp "
            "Excel (.xlsx) hoặc tệp CSV lưu theo dạng “CSV UTF-8”."
        ]
    )
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for column in COLUMNS:
        listed = " Chọn một giá trị trong danh sách bên dưới." if lists.get(column.key) else ""
        guide.append([column.heading, "Có" if column.required else "Không", GUIDE[column.key] + listed])
    bold = Font(bold=True)
    for cell in (guide["A1"], *guide[4]):
        cell.font = bold
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        heading = sheet.cell(row=1, column=index)
        heading.font = bold
        heading.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = min(40, max(14, len(column.heading) // 2 + 8))
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=index).number_format = NUMBER_FORMATS[column.kind]
        values = lists.get(column.key)
        if not values:
            continue
        first = guide.max_row + 2
        guide.cell(row=first, column=1, value=f"Giá trị của cột “{column.heading}”").font = bold
        for offset, value in enumerate(values):
            guide.cell(row=first + offset, column=3, value=value)
        validation = DataValidation(
            type="list",
            formula1=f"'{GUIDE_TITLE}'!$C${first}:$C${guide.max_row}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=f"Giá trị này không có trong danh sách ở trang “{GUIDE_TITLE}”.",
        )
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    for letter, width in (("A", 42), ("B", 10), ("C", 90)):
        guide.column_dimensions[letter].width = width
    guide.merge_cells("A2:C2")
    guide["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    guide.row_dimensions[2].height = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

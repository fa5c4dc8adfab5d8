"""A stored review report as an Excel workbook, for people who go on working with the figures.

The first sheet sums the report up (the unit, the period, the version, when it was built, then every
section's measures); each table has a sheet of its own, with a bar chart beside it; the last sheet
lists the flags. Figures stay numbers with a number format, so they add up in Excel; labels, titles
and headers read in the active language, through the same ``reports.presentation`` functions as the
page.
"""

import datetime
import io
import re

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from reports.presentation import change, flag_text, translated

SHEET_TITLE_LENGTH = 31
FORBIDDEN_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {
    "count": "#,##0",
    "percent": '0.0" %"',
    "decimal": "0.0",
    "days": "0.0",
    "rating": "0.0",
    "date": "dd/mm/yyyy",
}
CHANGE_FORMATS = {"count": "+#,##0;-#,##0;0", "percent": '+0.0" %";-0.0" %";0.0" %"'}
CHANGE_FORMAT = "+0.0;-0.0;0.0"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
NUMERIC = frozenset({"count", "percent", "decimal", "days", "rating"})
MAX_COLUMN_WIDTH = 60
# A table gets a chart while its bars stay countable.
MAX_CHARTED_ROWS = 130


def report_xlsx(report) -> bytes:
    """The report as an Excel workbook in the active language."""
    from openpyxl import Workbook

    workbook = Workbook()
    titles: set[str] = set()
    summary = workbook.active
    summary.title = _sheet_title(gettext("Summary"), titles)
    _summary(summary, report)
    for section in report.sections:
        for table in section["tables"]:
            title = _table_sheet_title(translated(section["title"]), translated(table["title"]))
            _table_sheet(workbook.create_sheet(_sheet_title(title, titles)), table)
    _flags_sheet(workbook.create_sheet(_sheet_title(gettext("Flags"), titles)), report)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_sheet_title(section: str, table: str) -> str:
    """ "Section - Table", the section's title cut short (at a word) when both do not fit in a title."""
    joined = f"{section} - {table}"
    room = SHEET_TITLE_LENGTH - len(f"… - {table}")
    if len(joined) <= SHEET_TITLE_LENGTH or room < 6:
        return joined
    cut = section[:room]
    if " " in cut and not section[room:].startswith(" "):
        cut = cut.rsplit(" ", 1)[0]
    return f"{cut.rstrip(' -')}… - {table}"


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """A title Excel accepts (31 characters, none of ``[]:*?/\\``) that no other sheet has yet."""
    base = FORBIDDEN_IN_TITLES.sub("-", wanted).strip().strip("'") or "-"
    title = base[:SHEET_TITLE_LENGTH]
    number = 1
    # Excel compares sheet titles without regard to case.
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_LENGTH - len(suffix)].rstrip() + suffix
    taken.add(title.casefold())
    return title


def _summary(sheet, report) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    field = report._meta.get_field
    about = [
        (gettext("Unit"), report.unit.name),
        (gettext("Period"), report.period.label),
        (gettext("Version"), report.version),
        (capfirst(field("number").verbose_name), report.number or None),
        (gettext("Built at"), _local(report.built_at)),
        (capfirst(field("finalised_at").verbose_name), _local(report.finalised_at)),
    ]
    for label, value in about:
        sheet.append([str(label), value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        if isinstance(value, datetime.datetime):
            sheet.cell(row=sheet.max_row, column=2).number_format = MOMENT_FORMAT
    sheet.append([])

    header = [
        gettext("Section"),
        gettext("Measure"),
        gettext("This period"),
        gettext("Previous period"),
        gettext("Target"),
        gettext("Change"),
    ]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    sheet.freeze_panes = f"A{header_row + 1}"
    for section in report.sections:
        for measure in section["measures"]:
            value_format = measure["format"]
            values = [measure["value"], measure.get("previous"), measure["target"]]
            difference = None
            if value_format in NUMERIC:
                difference = change(measure["value"], measure.get("previous"))
            sheet.append(
                [
                    translated(section["title"]),
                    translated(measure["label"]),
                    *(_cell_value(value, value_format) for value in values),
                    difference,
                ]
            )
            row = sheet[sheet.max_row]
            for cell in row[2:5]:
                _number_format(cell, value_format)
            row[5].number_format = CHANGE_FORMATS.get(value_format, CHANGE_FORMAT)
    _fit_columns(sheet)


def _table_sheet(sheet, table: dict) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    formats = [column["format"] for column in table["columns"]]
    sheet.append([translated(column["label"]) for column in table["columns"]])
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    lines = [row["cells"] for row in table["rows"]]
    total = table.get("total")
    for cells in [*lines, *([total] if total is not None else [])]:
        sheet.append(
            [_cell_value(value, value_format) for value, value_format in zip(cells, formats, strict=True)]
        )
        for cell, value_format in zip(sheet[sheet.max_row], formats, strict=True):
            _number_format(cell, value_format)
    if total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    _fit_columns(sheet)
    _chart(sheet, table, rows=len(lines))


def _chart(sheet, table: dict, *, rows: int) -> None:
    """Bars of the table's counts (or else its percentages) for each row, the total left out."""
    from openpyxl.chart import BarChart, Reference

    formats = [column["format"] for column in table["columns"]]
    if formats[0] != "text" or not 2 <= rows <= MAX_CHARTED_ROWS:
        return
    charted = [index for index, value_format in enumerate(formats) if value_format == "count"]
    charted = charted or [index for index, value_format in enumerate(formats) if value_format == "percent"]
    if not charted:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = translated(table["title"])
    # The first row on top, as in the table.
    chart.y_axis.scaling.orientation = "minMax"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    for index in charted:
        chart.add_data(
            Reference(sheet, min_col=index + 1, min_row=1, max_row=rows + 1), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    chart.width = 16
    chart.height = min(40.0, max(7.5, 2.5 + 0.45 * rows * len(charted)))
    sheet.add_chart(chart, sheet.cell(row=1, column=len(formats) + 2).coordinate)


def _flags_sheet(sheet, report) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([gettext("Section"), capfirst(gettext("where")), capfirst(gettext("message"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for section in report.sections:
        for flag in section["flags"]:
            sheet.append([translated(section["title"]), translated(flag["where"]), flag_text(flag)])
            sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    _fit_columns(sheet)


def _cell_value(value, value_format: str):
    """A stored value as Excel should hold it: numbers as numbers, dates as dates, text translated."""
    if value is None or value == "":
        return None
    if value_format == "date":
        return datetime.date.fromisoformat(value)
    if value_format == "text":
        return translated(str(value))
    return value


def _number_format(cell, value_format: str) -> None:
    if value_format in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[value_format]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Local time without its zone: Excel has no time zones."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def _fit_columns(sheet) -> None:
    """Each column as wide as its longest entry, within reason."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, datetime.datetime):
                length = 16
            elif isinstance(cell.value, datetime.date):
                length = 10
            elif isinstance(cell.value, int | float):
                length = len(f"{cell.value:,.1f}") + 2
            else:
                length = max(len(line) for line in str(cell.value).splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_COLUMN_WIDTH, width + 2)

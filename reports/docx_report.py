"""A stored review report as a Word document in the layout of Decree 30/2020/NĐ-CP.

The header names the council and the unit on the left and the national title on the right over the
place and date; then the title "BÁO CÁO" and what it reviews; one heading with a Roman numeral per
section (its measures, its tables, its charts as pictures, its flags), then the lessons learned and
the recommendations, and the signature block. A report not yet final says "DRAFT" at the top.

It reads in the active language, through the same ``reports.presentation`` functions as the page.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext

from portal.docx_layout import (
    borderless,
    cell_lines,
    document_bytes,
    locality,
    new_document,
    paragraph,
    run,
    set_widths,
)
from reports.charts import chart_png
from reports.periods import PeriodKind
from reports.presentation import change_text, display, flag_text, table_rows, table_total, translated

# The document's kind and the issuing body in its number: báo cáo of the Hội đồng tư vấn.
NUMBER_SUFFIX = "/BC-HĐTV"
TABLE_FONT_SIZE = 11
NUMERIC_FORMATS = frozenset({"count", "percent", "decimal", "days", "rating"})


def report_docx(report) -> bytes:
    """The report as a Word document in the active language."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_document()
    _page_numbers(document)
    title = gettext("Report").upper()
    subject = _subject(report)
    document.core_properties.title = f"{title} {subject}"
    document.core_properties.author = report.unit.name

    if not report.is_final:
        _draft_mark(document)
    _header(document, report)

    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, title, alignment=center, bold=True, space_before=Pt(18), space_after=Pt(0))
    paragraph(document, subject, alignment=center, bold=True, space_after=Pt(0))
    paragraph(document, "————", alignment=center, space_after=Pt(12))

    headings = [(translated(section["title"]), section) for section in report.sections]
    for heading, text in (
        (gettext("Lessons learned"), report.lessons_learned),
        (gettext("Recommendations"), report.recommendations),
    ):
        # A final report leaves out what nobody wrote; a draft shows the gap.
        if text.strip() or not report.is_final:
            headings.append((heading, text))
    for number, (heading, content) in enumerate(headings, start=1):
        _heading(document, f"{roman(number)}. {heading.upper()}")
        if isinstance(content, dict):
            _section(document, content)
        else:
            _text(document, content)
    _signatures(document)
    return document_bytes(document)


def _page_numbers(document) -> None:
    """Decree 30: the pages are numbered at the top, centred, from the second page on."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    shown, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "2"  # what a reader shows until it updates the field
    shown.append(text)
    field.append(shown)
    header._p.append(field)


def _subject(report) -> str:
    """What the report reviews: "Sơ kết Quý III/2026 — Tỉnh Vĩnh Long" (an annual one is a tổng kết)."""
    review = gettext("Final review") if report.period_kind == PeriodKind.ANNUAL else gettext("Interim review")
    return gettext("%(review)s of %(period)s — %(unit)s") % {
        "review": review,
        "period": report.period.label,
        "unit": report.unit.name,
    }


def _number(report) -> str:
    """The number line, "Số: 12/BC-HĐTV"; dots stand for a number not given yet."""
    number = report.number.strip()
    if not number:
        number = f"……{NUMBER_SUFFIX}"
    elif "/" not in number:
        number = f"{number}{NUMBER_SUFFIX}"
    return gettext("No.: %(number)s") % {"number": number}


def _date_line(report) -> str:
    moment = report.finalised_at or report.built_at or timezone.now()
    day = timezone.localdate(moment)
    # Decree 30 writes a 0 before days under 10 and before the months January and February.
    return gettext("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": locality(report.unit),
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def _draft_mark(document) -> None:
    """A boxed "DRAFT" at the top right, as drafts circulated for comment carry."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    mark = paragraph(document, "", alignment=WD_ALIGN_PARAGRAPH.RIGHT, space_after=Pt(6))
    text = run(mark, gettext("Draft").upper(), bold=True)
    text.font.size = Pt(14)
    text.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    # A border around the word itself, so it reads as a stamp rather than a line of text.
    border = OxmlElement("w:bdr")
    for name, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "2"), ("w:color", "C00000")):
        border.set(qn(name), value)
    text._r.get_or_add_rPr().append(border)


def _header(document, report) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    borderless(header)
    set_widths(header, [Mm(65), Mm(100)])
    left, right = header.rows[0].cells
    cell_lines(
        left,
        [
            (gettext("Startup and Enterprise Development Advisory Council").upper(), True, False),
            (report.unit.name.upper(), True, False),
            ("———", False, False),
            (_number(report), False, False),
        ],
        center,
    )
    cell_lines(right, [(gettext("Socialist Republic of Vietnam").upper(), True, False)], center)
    motto = paragraph(right, "", alignment=center, space_after=Pt(0))
    # Decree 30 draws a line under the motto as long as the motto.
    run(motto, gettext("Independence - Freedom - Happiness"), bold=True).underline = True
    paragraph(right, _date_line(report), alignment=center, italic=True, space_before=Pt(8))
    for cell in (left, right):
        for line in cell.paragraphs:
            line.paragraph_format.space_after = Pt(0)
    # Decree 30: the names of the bodies and the national title in 12 pt, the motto and the date in 13.
    for piece in [*left.paragraphs[0].runs, *left.paragraphs[1].runs, *right.paragraphs[0].runs]:
        piece.font.size = Pt(12)


def _heading(document, text: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    heading = paragraph(
        document, text, alignment=WD_ALIGN_PARAGRAPH.LEFT, bold=True, space_before=Pt(12), space_after=Pt(6)
    )
    heading.paragraph_format.keep_with_next = True
    return heading


def _subheading(document, text: str):
    heading = _heading(document, text)
    heading.paragraph_format.space_before = None
    return heading


def roman(number: int) -> str:
    """``number`` in Roman numerals, as the headings of an administrative document count."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"))
    numerals += ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    written = ""
    for value, letters in numerals:
        while number >= value:
            written += letters
            number -= value
    return written


def _section(document, section: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    number = 0
    if section["measures"]:
        number += 1
        _subheading(document, f"{number}. {gettext('Measures')}")
        _table(
            document,
            [
                gettext("Measure"),
                gettext("This period"),
                gettext("Previous period"),
                gettext("Change"),
                gettext("Target"),
            ],
            [_measure_cells(measure) for measure in section["measures"]],
            numeric_from=1,
        )
    for table in section["tables"]:
        number += 1
        _subheading(document, f"{number}. {translated(table['title'])}")
        if not table["rows"]:
            paragraph(document, gettext("Nothing in this period."), italic=True)
            continue
        formats = [column["format"] for column in table["columns"]]
        rows = [row["cells"] for row in table_rows(table)]
        total = table_total(table)
        if total is not None:
            rows.append(total)
        _table(
            document,
            [translated(column["label"]) for column in table["columns"]],
            rows,
            numeric=[column_format in NUMERIC_FORMATS for column_format in formats],
            total_row=total is not None,
        )
    # As on the page, a chart with nothing to show is left out.
    for chart in (chart for chart in section["charts"] if chart["categories"]):
        picture = paragraph(document, "", alignment=WD_ALIGN_PARAGRAPH.CENTER)
        picture.paragraph_format.keep_together = True
        picture.add_run().add_picture(_png_stream(chart), width=Mm(150))
    number += 1
    _subheading(document, f"{number}. {gettext('Flags')}")
    if not section["flags"]:
        paragraph(document, gettext("No flags."), alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=True)
    for flag in section["flags"]:
        item = document.add_paragraph(style="List Bullet")
        item.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if flag["where"]:
            run(item, f"{translated(flag['where'])}: ", bold=True)
        run(item, flag_text(flag))


def _png_stream(chart: dict) -> io.BytesIO:
    return io.BytesIO(chart_png(chart))


def _measure_cells(measure: dict) -> list[str]:
    value_format = measure["format"]
    previous = measure.get("previous")
    return [
        translated(measure["label"]),
        display(measure["value"], value_format),
        display(previous, value_format),
        change_text(measure),
        display(measure["target"], value_format),
    ]


def _table(
    document, header: list[str], rows: list[list[str]], *, numeric=None, numeric_from=None, total_row=False
):
    """A bordered table: the header row bold and repeated on every page, numbers aligned right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if numeric is None:
        numeric = [index >= numeric_from for index in range(len(header))]
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    set_widths(table, _widths(numeric))
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for index, row in enumerate([header, *rows]):
        bold = index == 0 or (total_row and index == len(rows))
        for column, (cell, text) in enumerate(zip(table.rows[index].cells, row, strict=True)):
            line = cell.paragraphs[0]
            if index == 0:
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif numeric[column]:
                line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run(line, text, bold=bold).font.size = Pt(TABLE_FONT_SIZE)
    paragraph(document, "", space_after=Pt(6))
    return table


def _widths(numeric: list[bool]) -> list:
    """Numbers get a narrow column each; the text columns share what is left of the 165 mm line."""
    from docx.shared import Mm

    number_width = min(28.0, 165 / len(numeric))
    texts = numeric.count(False)
    text_width = (165 - number_width * (len(numeric) - texts)) / texts if texts else 0
    return [Mm(number_width if is_number else text_width) for is_number in numeric]


def _text(document, text: str) -> None:
    """Free text as Decree 30 sets a body: justified paragraphs with a first-line indent."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        paragraph(document, gettext("Not written yet."), alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=True)
    for line in paragraphs:
        body = paragraph(document, line, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(6))
        body.paragraph_format.first_line_indent = Mm(10)


def _signatures(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = document.add_table(rows=1, cols=2)
    borderless(table)
    set_widths(table, [Mm(80), Mm(85)])
    recipients, signature = table.rows[0].cells
    addressed = recipients.paragraphs[0]
    addressed.paragraph_format.space_before = Pt(12)
    run(addressed, gettext("Recipients:"), bold=True, italic=True).font.size = Pt(12)
    for line in (
        gettext("Members of the council;"),
        gettext("District and commune teams;"),
        gettext("Filed: office records."),
    ):
        run(paragraph(recipients, "", space_after=Pt(0)), f"- {line}").font.size = Pt(11)
    signature.paragraphs[0].paragraph_format.space_before = Pt(12)
    cell_lines(
        signature,
        [
            (gettext("On behalf of the council").upper(), True, False),
            (gettext("standing agency").upper(), True, False),
            (gettext("(Signature and full name)"), False, True),
            # Room for the signature and the seal.
            ("", False, False),
            ("", False, False),
            ("", False, False),
        ],
        WD_ALIGN_PARAGRAPH.CENTER,
    )

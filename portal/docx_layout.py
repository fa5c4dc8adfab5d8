"""The layout the portal's Word documents share: Decree 30/2020/NĐ-CP on administrative documents.

A4 paper; margins of 20 mm top and bottom, 30 mm left and 15 mm right; Times New Roman 13 pt. The
helpers build the pieces every document has (borderless header tables, plain paragraphs, runs) with
python-docx, which each function imports when called: only the DOCX downloads need it.
"""

import io

FONT = "Times New Roman"
FONT_SIZE = 13


def new_document():
    """An empty A4 document with the margins and the font of Decree 30."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    set_default_font(document, Pt(FONT_SIZE))
    return document


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def set_default_font(document, size) -> None:
    from docx.oxml.ns import qn

    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = size
    # Word picks the font of Vietnamese letters from the East Asian and complex-script slots too.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = 0


def borderless(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def set_widths(table, widths) -> None:
    """Fix the columns' widths: on the grid, which LibreOffice reads, and on every cell, which Word reads."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def cell_lines(cell, lines, alignment) -> None:
    """Fill a table cell with ``(text, bold, italic)`` lines, one paragraph each."""
    first = True
    for text, bold, italic in lines:
        added = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        added.alignment = alignment
        if text:
            run(added, text, bold=bold, italic=italic)


def paragraph(
    container, text: str, *, alignment=None, bold=False, italic=False, space_before=None, space_after=None
):
    """A paragraph added to a document or a table cell, 4 pt after it unless told otherwise."""
    from docx.shared import Pt

    added = container.add_paragraph()
    added.alignment = alignment
    added.paragraph_format.space_before = space_before
    added.paragraph_format.space_after = space_after if space_after is not None else Pt(4)
    if text:
        run(added, text, bold=bold, italic=italic)
    return added


def run(paragraph, text: str, *, bold: bool = False, italic: bool = False):
    added = paragraph.add_run(text)
    added.bold, added.italic = bold or None, italic or None
    return added


def locality(unit) -> str:
    """The locality of a unit as a date line names it: "Xã Sơn Định" -> "Sơn Định"; "Phường 8" stays whole."""
    prefix = f"{unit.kind} "
    if unit.kind and unit.name.startswith(prefix) and not unit.name[len(prefix) :].isdigit():
        return unit.name[len(prefix) :]
    return unit.name

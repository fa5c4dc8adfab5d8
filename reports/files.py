"""A built report as a file to download, for the page and the API alike."""

from django.http import HttpResponse

from reports.docx_report import report_docx
from reports.xlsx_report import report_xlsx

FILE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def can_download(report, file_type: str) -> bool:
    return file_type in FILE_TYPES and report.is_ready


def file_response(report, file_type: str) -> HttpResponse:
    """The report as DOCX (Decree 30/2020 layout) or XLSX, in the active language, as an attachment."""
    content = (report_docx if file_type == "docx" else report_xlsx)(report)
    response = HttpResponse(content, content_type=FILE_TYPES[file_type])
    name = f"bao-cao-{report.unit.code}-{report.period.slug}-v{report.version}.{file_type}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Checks on uploaded files: the content decides the type, never the name or the browser's claim."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))


def _zip_type(upload: UploadedFile) -> FileType | None:
    """DOCX and XLSX are ZIP files holding a Word document or an Excel workbook."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_type(upload: UploadedFile) -> FileType | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(ZIP_SIGNATURE):
        return _zip_type(upload)
    return None


@dataclass(frozen=True)
class CheckedUpload:
    """What the checks found out about an accepted file: its plain name, its size and its type."""

    name: str
    size: int
    content_type: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The file's name, size and type when it is an accepted document; ValidationError saying why not."""
    name = upload.name or ""
    size = upload.size or 0
    if any(char in name for char in "/\\\x00") or not name.strip():
        raise ValidationError(_("The file name must be a plain name, without folders."), code="path_in_name")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": settings.UPLOAD_MAX_BYTES // 1_000_000},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    file_type = detect_type(upload)
    if file_type is None:
        raise ValidationError(
            _(
                "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted; "
                "this file is none of them."
            ),
            code="unknown_type",
        )
    if not name.lower().endswith(file_type.extensions):
        raise ValidationError(
            _("The file's content does not match its name: it is a %(extension)s file.")
            % {"extension": file_type.extensions[0].lstrip(".").upper()},
            code="mismatched_name",
        )
    return CheckedUpload(name=name, size=size, content_type=file_type.content_type)

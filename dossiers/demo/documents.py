"""The files of the demo's documents: small one-page PDFs, valid and quick to write."""

import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Applicant


def _ascii(text: str) -> str:
    """``text`` without Vietnamese marks, for the standard PDF fonts: "Bản sao" -> "Ban sao"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char) and ord(char) < 128)


def small_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` of text: small, valid and quick to write."""
    escaped = [_ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    output += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode(
        "ascii"
    )
    return output


def sample_document(requirement, applicant: Applicant) -> SimpleUploadedFile:
    """A one-page PDF standing for ``applicant``'s document of ``requirement``."""
    kind = requirement.document_kind
    lines = [
        kind.name,
        applicant.enterprise_name or applicant.full_name,
        applicant.address,
        "Tai lieu mau (du lieu demo)",
    ]
    return SimpleUploadedFile(f"{kind.code}.pdf", small_pdf(lines), content_type="application/pdf")

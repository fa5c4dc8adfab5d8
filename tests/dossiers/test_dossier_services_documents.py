"""The documents' services, tested directly: once-only documents (reused while valid, never
another applicant's) and the upload checks (by content and name, size, no path reaching the disk).
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from dossiers.models import Applicant, Document, Dossier, DossierDocument
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document, review_document
from portal.refusals import Refused
from tests.dossiers.service_helpers import *  # noqa: F403 (the freeze and world fixtures)
from tests.dossiers.service_helpers import (
    D,
    dossier_in,
    draft,
    everything_about,
    jpeg_bytes,
    office_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


# Once-only documents.


def documents_of(dossier: Dossier) -> dict[str, tuple[int, bool]]:
    """requirement's kind code -> (document id, reused) for the dossier's live documents."""
    return {
        use.requirement.document_kind.code: (use.document_id, use.is_reused)
        for use in dossier.documents.exclude(review=DossierDocument.Review.REJECTED).select_related(
            "requirement__document_kind"
        )
    }


@pytest.fixture
def earlier_dossier(world, freeze) -> Dossier:
    """A dossier of 10/01/2025 with the form (valid a month), the CCCD (no end) and the plan (a year)."""
    freeze(D(2025, 1, 10))
    dossier = draft(world)
    attach_document(
        dossier=dossier, requirement=world.plan, upload=upload("phuong-an.pdf"), by=world.applicant_user
    )
    assert dict(
        dossier.documents.values_list("requirement__document_kind__code", "document__valid_until")
    ) == {
        "don-thu": D(2025, 2, 10),
        "cccd-thu": None,
        "phuong-an-thu": D(2026, 1, 10),
    }
    return dossier


def test_a_valid_document_given_earlier_is_reused(world, freeze, earlier_dossier):
    earlier = {code: document for code, (document, _) in documents_of(earlier_dossier).items()}
    freeze(D(2026, 1, 10))  # the plan's last valid day; the form has expired
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert documents_of(dossier) == {
        "cccd-thu": (earlier["cccd-thu"], True),
        "phuong-an-thu": (earlier["phuong-an-thu"], True),
    }
    # Nothing was copied: the same file serves both dossiers.
    assert Document.objects.count() == 3


def test_an_expired_document_is_not_reused(world, freeze, earlier_dossier):
    freeze(D(2026, 1, 11))
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert set(documents_of(dossier)) == {"cccd-thu"}


def test_a_rejected_document_is_not_reused(world, freeze, earlier_dossier):
    use = earlier_dossier.documents.get(requirement=world.identity)
    review_document(use=use, by=world.officer, accepted=False, reason="Không đọc được số CCCD")
    freeze(D(2025, 1, 20))
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert set(documents_of(dossier)) == {"don-thu", "phuong-an-thu"}


def test_another_applicants_documents_are_never_reused(world, earlier_dossier):
    other = Applicant.objects.create(
        full_name="Đỗ Thị Nộp Khác",
        phone="0907 000 111",
        address="Xã Cẩm Sơn",
        unit=world.cast.units.other_commune,
        user=world.cast.other_applicant,
        consent_at=timezone.now(),
    )
    dossier = services.start_dossier(
        procedure=world.procedure, applicant=other, filed_by=world.cast.other_applicant, unit=other.unit
    )
    assert documents_of(dossier) == {}


# Uploads.


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "giay-phep.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted",
        ),
        ("anh.png", b"GIF89a\x01\x00\x01\x00", "Only PDF, JPEG, PNG"),
        ("ho-so.docx", None, "Only PDF, JPEG, PNG"),  # a ZIP that is no Word document
        ("bang-tinh.xlsx", "word/document.xml", "it is a DOCX file"),
        ("don.png", pdf_bytes(), "it is a PDF file"),
        # Django keeps only the last part of a "/" path (below); a Windows path survives that.
        ("C:\\Users\\don.pdf", pdf_bytes(), "plain name, without folders"),
        ("..\\..\\portal\\settings.pdf", pdf_bytes(), "plain name, without folders"),
        ("rong.pdf", b"", "The file is empty"),
    ],
)
def test_uploads_are_checked_by_content_and_name(world, tmp_path, name, content, message):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "không phải tài liệu Word")
        content = buffer.getvalue()
    elif isinstance(content, str):
        content = office_bytes(content)
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match=re.escape(message)):
        attach_document(
            dossier=dossier,
            requirement=world.form,
            upload=SimpleUploadedFile(name, content),
            by=world.applicant_user,
        )
    assert everything_about(dossier) == before
    assert not Document.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_path_in_the_name_never_reaches_the_disk(world, tmp_path):
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    # Django's uploaded files keep only the last part of a path...
    use = attach_document(
        dossier=dossier,
        requirement=world.form,
        upload=upload("../../etc/passwd.pdf"),
        by=world.applicant_user,
    )
    assert use.document.original_name == "passwd.pdf"
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}", use.document.file.name)
    # ...and a name that still holds one (another parser, a hand-made file object) is refused.
    crafted = upload()
    crafted._name = "../../etc/passwd.pdf"
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match="plain name, without folders"):
        attach_document(dossier=dossier, requirement=world.identity, upload=crafted, by=world.applicant_user)
    assert everything_about(dossier) == before
    assert Document.objects.count() == 1
    assert len(stored_files(tmp_path)) == 1


def test_an_oversize_upload_is_refused(world, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 2_000_000
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    big = pdf_bytes() + b"0" * (2_000_001 - len(pdf_bytes()))
    with (
        translation.override("en"),
        pytest.raises(Refused, match=r"The file is 2\.0 MB; the limit is 2 MB\."),
    ):
        attach_document(
            dossier=dossier, requirement=world.form, upload=upload("lon.pdf", big), by=world.applicant_user
        )
    assert not Document.objects.exists()
    assert stored_files(tmp_path) == []
    # One byte less is accepted.
    attach_document(
        dossier=dossier, requirement=world.form, upload=upload("vua.pdf", big[:-1]), by=world.applicant_user
    )
    assert Document.objects.get().size == 2_000_000


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don.pdf", pdf_bytes(), "application/pdf"),
        ("anh-cccd.PNG", png_bytes(), "image/png"),
        ("anh-cccd.jpeg", jpeg_bytes(), "image/jpeg"),
        ("anh-cccd.jpg", jpeg_bytes(), "image/jpeg"),
        (
            "phuong-an.docx",
            office_bytes("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-sach.xlsx",
            office_bytes("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_real_documents_are_stored_under_generated_names(world, tmp_path, name, content, content_type):
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    use = attach_document(
        dossier=dossier,
        requirement=world.plan,
        upload=SimpleUploadedFile(name, content),
        by=world.applicant_user,
    )
    document = use.document
    assert (document.original_name, document.content_type, document.size) == (
        name,
        content_type,
        len(content),
    )
    assert (use.requirement, use.is_reused, use.review) == (world.plan, False, DossierDocument.Review.PENDING)
    # Nothing of the uploaded name reaches the disk.
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}", document.file.name)
    assert [path.relative_to(tmp_path).as_posix() for path in stored_files(tmp_path)] == [document.file.name]
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert document.valid_until == D(2026, 3, 3)  # the plan's kind is valid for 12 months


def test_documents_are_added_only_to_a_draft_or_for_a_supplement(world):
    dossier = dossier_in(world, "in_progress")
    before = everything_about(dossier)
    with pytest.raises(Refused):
        attach_document(dossier=dossier, requirement=world.plan, upload=upload(), by=world.applicant_user)
    assert everything_about(dossier) == before

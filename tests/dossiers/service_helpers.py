"""The world of the dossier services' tests (tests/dossiers/test_dossier_services*.py).

One procedure of the commune team and one applicant with an account; dossiers brought to each
state through the services; files that pass or fail the upload checks. Dates are fixed by moving
the suite's clock (``freeze``); the calendar of holidays is the one load_catalogue seeds.
``from tests.dossiers.service_helpers import *`` brings in the ``freeze`` and ``world`` fixtures.
"""

import datetime
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers.models import (
    Applicant,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document
from portal.catalogue import load_reference_data
from portal.models import AuditRecord, Notification, Team, User

__all__ = ["freeze", "world"]


D = datetime.date
Status = Dossier.Status
# A plain Monday in a month without holidays.
MONDAY = D(2025, 3, 3)


@pytest.fixture
def freeze(set_today):
    """Set the clock to nine in the morning of ``day``."""
    return set_today


# Files.


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The start of a JFIF file (SOI, APP0) and its end (EOI)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


OFFICE_DATE = (2025, 7, 1, 0, 0, 0)


def office_bytes(part: str) -> bytes:
    """A minimal Office Open XML package: the content types and the main part (``word/document.xml``…).

    Its entries carry a fixed date, so the bytes are the same on every call: a test's parameters are
    collected by each of pytest-xdist's workers, which must agree on them to the byte.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml", date_time=OFFICE_DATE),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(zipfile.ZipInfo(part, date_time=OFFICE_DATE), '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def upload(name: str = "giay-to.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


# The world of these tests: one procedure of the commune team, one applicant with an account.


@dataclass
class World:
    cast: object
    procedure: Procedure
    version: ProcedureVersion
    form: Requirement  # mandatory; a form is valid for a month
    identity: Requirement  # mandatory; never expires
    plan: Requirement  # optional; valid for 12 months
    applicant: Applicant

    @property
    def applicant_user(self) -> User:
        return self.cast.applicant

    @property
    def officer(self) -> User:
        return self.cast.commune_officer


@pytest.fixture
def world(cast, settings, tmp_path, freeze) -> World:
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()  # the holidays
    freeze(MONDAY)
    procedure = Procedure.objects.create(
        code="thu-tuc-thu",
        name="Đăng ký hỗ trợ thử",
        audience=Procedure.Audience.STARTUP,
        handling_team_kind=Team.Kind.COMMUNE_TEAM,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=D(2024, 1, 1), statutory_working_days=15
    )

    def requirement(code: str, name: str, months: int | None, position: int, *, mandatory=True):
        kind = DocumentKind.objects.create(code=code, name=name, validity_months=months)
        return Requirement.objects.create(
            version=version, document_kind=kind, is_mandatory=mandatory, position=position
        )

    applicant = Applicant.objects.create(
        full_name="Bùi Văn Nộp",
        enterprise_name="Cơ sở kẹo dừa Thanh Long",
        national_id="083090001234",
        phone="0918 123 456",
        address="Ấp Phú Hữu, xã Sơn Định",
        unit=cast.units.commune,
        user=cast.applicant,
        consent_at=timezone.now(),
    )
    return World(
        cast=cast,
        procedure=procedure,
        version=version,
        form=requirement("don-thu", "Đơn đề nghị", 1, 1),
        identity=requirement("cccd-thu", "Bản sao CCCD", None, 2),
        plan=requirement("phuong-an-thu", "Phương án kinh doanh", 12, 3, mandatory=False),
        applicant=applicant,
    )


def draft(world: World) -> Dossier:
    """A draft with both mandatory documents given."""
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
        summary="Mở rộng cơ sở sản xuất kẹo dừa",
    )
    for requirement in (world.form, world.identity):
        attach_document(dossier=dossier, requirement=requirement, upload=upload(), by=world.applicant_user)
    return dossier


STATES = (
    "draft",
    "new",
    "received",
    "not_received",
    "in_progress",
    "supplement_requested",
    "payment_requested",
    "withdrawn",
    "stopped",
    "done",
    "result_returned",
)


def dossier_in(world: World, state: str) -> Dossier:
    """A dossier brought to ``state`` through the services, as people would."""
    officer, applicant = world.officer, world.applicant_user
    dossier = draft(world)
    if state == "draft":
        return reload(dossier)
    services.submit_dossier(dossier=dossier, by=applicant)
    if state == "not_received":
        services.refuse_dossier(dossier=dossier, by=officer, reason="Đơn chưa ký")
    if state in ("new", "not_received"):
        return reload(dossier)
    services.receive_dossier(dossier=dossier, by=officer)
    if state == "withdrawn":
        services.withdraw_dossier(dossier=dossier, by=applicant, reason="Không còn nhu cầu")
    if state in ("received", "withdrawn"):
        return reload(dossier)
    services.start_processing(dossier=dossier, by=officer)
    if state == "supplement_requested":
        services.request_supplement(dossier=dossier, by=officer, missing=[world.identity], note="CCCD bị mờ")
    elif state == "payment_requested":
        services.request_payment(dossier=dossier, by=officer, note="Phí thẩm định 100.000 ₫")
    elif state == "stopped":
        services.stop_dossier(dossier=dossier, by=officer, reason="Người đề nghị đã chuyển đi tỉnh khác")
    elif state in ("done", "result_returned"):
        services.complete_dossier(dossier=dossier, by=officer, result="Đồng ý hỗ trợ")
        if state == "result_returned":
            services.return_result(dossier=dossier, by=officer)
    return reload(dossier)


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def expected_status(state: str) -> str:
    return Status.NEW if state == "draft" else state


def everything_about(dossier: Dossier) -> tuple:
    return (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        list(DossierEvent.objects.filter(dossier=dossier).values()),
        list(SupplementRequest.objects.filter(dossier=dossier).values()),
        list(DossierDocument.objects.filter(dossier=dossier).values()),
        list(Notification.objects.values_list("pk", flat=True)),
        AuditRecord.objects.count(),
    )

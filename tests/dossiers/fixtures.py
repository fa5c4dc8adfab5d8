"""Dossiers for tests, built on the named cast through the real services.

One procedure, "Đăng ký hỗ trợ dự án khởi nghiệp", handled by commune teams in
10 working days, with two mandatory documents (a business plan and a copy of
the CCCD). Bùi Văn Nộp (``cast.applicant``) applies from Xã Sơn Định, so the
commune team (``cast.teams.commune``) handles his dossiers; Đỗ Thị Nộp Khác
(``cast.other_applicant``) applies from Xã Cẩm Sơn.

Use the ``dossiers`` fixture in a test, or ``dossiers_for(cast)`` where only the
cast is at hand (the role × route table's lambdas): both give the same
``Dossiers``, built once per cast.

    def test_something(dossiers):
        dossier = dossiers.dossier                                  # filed, status new, in the commune
        received = dossiers.at(Dossier.Status.RECEIVED)             # a new one, brought there by services
        draft = dossiers.file(submit=False)                         # a draft with both documents
        other = dossiers.file(applicant=dossiers.other_applicant)   # filed in the other commune
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers.models import (
    Applicant,
    DocumentKind,
    Dossier,
    DossierDocument,
    Procedure,
    ProcedureVersion,
    Requirement,
)
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document
from portal.models import Team, User
from tests.conftest import Cast

# ``from tests.dossiers.fixtures import *`` brings in the fixtures.
__all__ = ["dossiers", "media_root"]

Status = Dossier.Status

# The smallest files that pass the upload checks of portal/uploads.py.
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name: str = "tai-lieu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class Dossiers:
    cast: Cast
    procedure: Procedure
    version: ProcedureVersion
    plan: Requirement  # "Phương án kinh doanh", position 1
    id_copy: Requirement  # "Bản sao căn cước công dân", position 2
    applicant: Applicant  # Bùi Văn Nộp, account cast.applicant, Xã Sơn Định
    other_applicant: Applicant  # Đỗ Thị Nộp Khác, account cast.other_applicant, Xã Cẩm Sơn
    dossier: Dossier = field(init=False)  # filed online by Bùi Văn Nộp, status new
    _at: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def requirements(self) -> list[Requirement]:
        return [self.plan, self.id_copy]

    @property
    def officer(self) -> User:
        """The commune officer, who processes the commune's dossiers."""
        return self.cast.commune_officer

    def file(
        self,
        *,
        applicant: Applicant | None = None,
        by: User | None = None,
        channel: str = Dossier.Channel.ONLINE,
        summary: str = "Hỗ trợ dự án sản xuất kẹo dừa sáp",
        documents: bool = True,
        submit: bool = True,
    ) -> Dossier:
        """A dossier of ``applicant`` (Bùi Văn Nộp) in their commune, both documents given.

        Filed (status new) unless ``submit`` is false; ``by`` files it, the applicant's account by default.
        """
        applicant = applicant or self.applicant
        by = by or applicant.user
        dossier = services.start_dossier(
            procedure=self.procedure,
            applicant=applicant,
            filed_by=by,
            unit=applicant.unit,
            channel=channel,
            summary=summary,
        )
        if documents:
            given = set(dossier.documents.values_list("requirement_id", flat=True))
            for requirement, name in ((self.plan, "phuong-an-kinh-doanh.pdf"), (self.id_copy, "cccd.pdf")):
                if requirement.pk not in given:
                    attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(name), by=by)
        if submit:
            services.submit_dossier(dossier=dossier, by=by)
        return Dossier.objects.get(pk=dossier.pk)

    def advance(self, dossier: Dossier, to: str, *, by: User | None = None) -> Dossier:
        """Bring a filed, new dossier to status ``to`` through the services, as the commune officer."""
        by = by or self.officer
        steps = {
            Status.NEW: [],
            Status.RECEIVED: ["receive"],
            Status.NOT_RECEIVED: ["refuse"],
            Status.IN_PROGRESS: ["receive", "start"],
            Status.SUPPLEMENT_REQUESTED: ["receive", "start", "request_supplement"],
            Status.PAYMENT_REQUESTED: ["receive", "start", "request_payment"],
            Status.WITHDRAWN: ["withdraw"],
            Status.STOPPED: ["receive", "start", "stop"],
            Status.DONE: ["receive", "start", "complete"],
            Status.RESULT_RETURNED: ["receive", "start", "complete", "return_result"],
        }[to]
        for step in steps:
            run = {
                "receive": lambda: services.receive_dossier(dossier=dossier, by=by),
                "refuse": lambda: services.refuse_dossier(
                    dossier=dossier, by=by, reason="Hồ sơ không thuộc thẩm quyền của xã."
                ),
                "start": lambda: services.start_processing(dossier=dossier, by=by),
                "request_supplement": lambda: services.request_supplement(
                    dossier=dossier,
                    by=by,
                    missing=[self.plan],
                    note="Phương án kinh doanh thiếu bảng dự toán chi phí.",
                ),
                "request_payment": lambda: services.request_payment(
                    dossier=dossier, by=by, note="Nộp lệ phí thẩm định 100.000 ₫ tại bộ phận một cửa."
                ),
                "withdraw": lambda: services.withdraw_dossier(
                    dossier=dossier, by=dossier.applicant.user or by, reason="Tôi muốn nộp lại sau."
                ),
                "stop": lambda: services.stop_dossier(
                    dossier=dossier, by=by, reason="Người nộp không bổ sung hồ sơ."
                ),
                "complete": lambda: services.complete_dossier(
                    dossier=dossier, by=by, result="Đồng ý hỗ trợ tư vấn và kết nối vốn."
                ),
                "return_result": lambda: services.return_result(dossier=dossier, by=by),
            }[step]
            run()
        return Dossier.objects.get(pk=dossier.pk)

    def at(self, status: str) -> Dossier:
        """A dossier of Bùi Văn Nộp brought to ``status``; the same one on each call for the same status."""
        if status not in self._at:
            self._at[status] = self.advance(self.file(), status)
        return self._at[status]

    def live_use(self, dossier: Dossier, requirement: Requirement | None = None) -> DossierDocument:
        """The dossier's document for ``requirement`` (the business plan by default) that was not rejected."""
        return dossier.documents.exclude(review=DossierDocument.Review.REJECTED).get(
            requirement=requirement or self.plan
        )


def _applicant(user: User, unit, **fields) -> Applicant:
    return Applicant.objects.create(user=user, unit=unit, consent_at=timezone.now(), **fields)


def build_dossiers(cast: Cast) -> Dossiers:
    procedure = Procedure.objects.create(
        code="ho-tro-khoi-nghiep",
        name="Đăng ký hỗ trợ dự án khởi nghiệp",
        audience=Procedure.Audience.STARTUP,
        handling_team_kind=Team.Kind.COMMUNE_TEAM,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        effective_from=datetime.date(2024, 1, 1),
        statutory_working_days=10,
        legal_basis="Quyết định số 12/2024/QĐ-UBND",
    )
    plan = Requirement.objects.create(
        version=version,
        document_kind=DocumentKind.objects.create(code="phuong-an-kinh-doanh", name="Phương án kinh doanh"),
        position=1,
    )
    id_copy = Requirement.objects.create(
        version=version,
        document_kind=DocumentKind.objects.create(code="ban-sao-cccd", name="Bản sao căn cước công dân"),
        position=2,
    )
    world = Dossiers(
        cast=cast,
        procedure=procedure,
        version=version,
        plan=plan,
        id_copy=id_copy,
        applicant=_applicant(
            cast.applicant,
            cast.units.commune,
            full_name="Bùi Văn Nộp",
            national_id="083095001234",
            phone="0912345678",
            email="nop@example.vn",
            address="Ấp Sơn Quy, xã Sơn Định",
        ),
        other_applicant=_applicant(
            cast.other_applicant,
            cast.units.other_commune,
            full_name="Đỗ Thị Nộp Khác",
            national_id="083190005678",
            phone="0987654321",
            address="Ấp Cẩm Hòa, xã Cẩm Sơn",
        ),
    )
    world.dossier = world.file()
    return world


def dossiers_for(cast: Cast) -> Dossiers:
    """The cast's ``Dossiers``, built on first use."""
    if getattr(cast, "_dossiers", None) is None:
        cast._dossiers = build_dossiers(cast)
    return cast._dossiers


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def dossiers(cast, media_root) -> Dossiers:
    return dossiers_for(cast)

"""Builders and clients for the one-stop shop's API tests (tests/dossiers/test_api_dossier*.py); the
reports' and the activities' API tests use its client too.

The builders are plain functions of the cast, so that the role × route rows can use them too.
``from tests.dossiers.api_helpers import *`` brings in the ``isolated`` fixture, which those
modules use on every test: uploads go to a temporary folder and the lookup's counters start empty.
"""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.models import (
    Applicant,
    Document,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from portal.models import AuditRecord, Notification, Team
from portal.models.people import today
from portal.services.tokens import issue_token
from tests.conftest import SUITE_START, Cast

__all__ = ["isolated"]


Status = Dossier.Status
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PHONE = "0912 345 678"
NATIONAL_ID = "083095001234"


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Uploads go to a temporary folder; the lookup's counters start empty."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


def api(user=None, *, language: str | None = "en") -> APIClient:
    """A client with a token (anonymous for None), in English unless told, so refusals can be compared."""
    client = APIClient()
    if user is not None:
        _token, key = issue_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def ids(response) -> set[int]:
    body = response.json()
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


# --- Builders (plain functions of the cast, so that the role × route rows can use them) --------------------

PROCEDURE_CODE = "ho-tro-du-an-khoi-nghiep"


def catalogue() -> ProcedureVersion:
    """The procedure the tests file under: a business plan (mandatory) and a CCCD copy (optional)."""
    procedure, created = Procedure.objects.get_or_create(
        code=PROCEDURE_CODE,
        defaults={
            "name": "Hỗ trợ dự án khởi nghiệp",
            "audience": Procedure.Audience.STARTUP,
            "handling_team_kind": Team.Kind.COMMUNE_TEAM,
        },
    )
    if created:
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=10
        )
        plan = DocumentKind.objects.create(code="ke-hoach-kinh-doanh", name="Kế hoạch kinh doanh")
        copy = DocumentKind.objects.create(code="ban-sao-cccd", name="Bản sao CCCD")
        Requirement.objects.create(version=version, document_kind=plan, position=1)
        Requirement.objects.create(version=version, document_kind=copy, is_mandatory=False, position=2)
    return procedure.versions.get(number=1)


def plan_requirement() -> Requirement:
    return catalogue().requirements.get(document_kind__code="ke-hoach-kinh-doanh")


def copy_requirement() -> Requirement:
    return catalogue().requirements.get(document_kind__code="ban-sao-cccd")


def applicant_of(cast: Cast, role: str = "applicant") -> Applicant:
    """The record of ``applicant`` (in the commune) or of ``other_applicant`` (in the other commune)."""
    user = getattr(cast, role)
    applicant, _created = Applicant.objects.get_or_create(
        user=user,
        defaults={
            "full_name": user.full_name,
            "national_id": NATIONAL_ID,
            "phone": PHONE,
            "address": "Ấp Phú Hữu",
            "unit": cast.units.commune if role == "applicant" else cast.units.other_commune,
            "consent_at": timezone.now(),
        },
    )
    return applicant


def walk_in(cast: Cast) -> Applicant:
    """A person of the commune without an account, whom an officer files for."""
    applicant, _created = Applicant.objects.get_or_create(
        full_name="Trương Thị Đến Quầy",
        defaults={
            "national_id": "083190005678",
            "phone": "0987654321",
            "address": "Ấp Hòa Khánh",
            "unit": cast.units.commune,
            "consent_at": timezone.now(),
        },
    )
    return applicant


def give_document(dossier: Dossier, requirement: Requirement, *, by) -> DossierDocument:
    document = Document.objects.create(
        applicant=dossier.applicant,
        kind=requirement.document_kind,
        file=ContentFile(PDF, name="tai-lieu.pdf"),
        original_name="ke-hoach.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=by,
    )
    return DossierDocument.objects.create(dossier=dossier, requirement=requirement, document=document)


STATES = [
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
]
DUE_IN_DAYS = 7


def make_dossier(
    cast: Cast, state: str = "new", *, applicant: Applicant | None = None, with_document: bool = True
) -> Dossier:
    """A dossier as it stands in ``state`` ("draft" is a new dossier not yet filed), built directly."""
    version = catalogue()
    applicant = applicant or applicant_of(cast)
    in_commune = applicant.unit_id == cast.units.commune.pk
    now = timezone.now()
    fields = {}
    if state != "draft":
        fields["submitted_at"] = now
    if state not in {"draft", "new", "not_received"}:
        fields |= {"received_at": now, "due_date": today() + datetime.timedelta(days=DUE_IN_DAYS)}
    if state == "supplement_requested":
        fields["paused_on"] = today()
    if state in {"not_received", "withdrawn", "stopped"}:
        fields["closing_reason"] = "Lý do"
    if state in {"done", "result_returned"}:
        fields |= {"decided_at": now, "result": "Đồng ý hỗ trợ"}
    if state == "result_returned":
        fields["result_returned_at"] = now
    dossier = Dossier.objects.create(
        procedure=version.procedure,
        procedure_version=version,
        applicant=applicant,
        filed_by=applicant.user or cast.commune_officer,
        unit=applicant.unit,
        handling_team=cast.teams.commune if in_commune else cast.teams.other_commune,
        status=Status.NEW if state == "draft" else state,
        summary="Vay vốn mở rộng xưởng kẹo dừa",
        **fields,
    )
    if with_document:
        give_document(dossier, plan_requirement(), by=dossier.filed_by)
    if state == "supplement_requested":
        supplement = SupplementRequest.objects.create(
            dossier=dossier, round=1, requested_by=cast.commune_officer, note="Bổ sung kế hoạch"
        )
        supplement.missing.set([plan_requirement()])
    return dossier


def make_inquiry(cast: Cast, dossier: Dossier | None = None, **fields) -> Inquiry:
    dossier = dossier or make_dossier(cast, "received")
    defaults = {
        "raised_by": dossier.filed_by,
        "question": "Chưa rõ mẫu kế hoạch kinh doanh",
        "team": dossier.handling_team,
        "reply_due": today() + datetime.timedelta(days=5),
    }
    return Inquiry.objects.create(dossier=dossier, **(defaults | fields))


def state() -> dict:
    """Everything a write could change."""
    models = (Dossier, DossierEvent, SupplementRequest, DossierDocument, Document, Inquiry, Applicant)
    return {
        **{model.__name__: list(model.objects.order_by("pk").values()) for model in models},
        "supplement_missing": sorted(SupplementRequest.missing.through.objects.values_list("pk", flat=True)),
        "notifications": Notification.objects.count(),
        "audit_records": AuditRecord.objects.count(),
    }


def upload(name: str = "ke-hoach.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# The suite's clock starts on 18 November 2026 (tests/conftest.py); a week after the due date is within
# the apology's longest extension (APOLOGY_MAX_EXTENSION_WORKING_DAYS).
NEW_DUE_DATE = (SUITE_START.date() + datetime.timedelta(days=DUE_IN_DAYS + 7)).isoformat()

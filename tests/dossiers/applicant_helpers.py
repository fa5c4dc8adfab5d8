"""Builders, fixtures and readers for the applicant's pages' tests (tests/dossiers/test_applicant_*.py).

The catalogue, the applicant and their draft are built from the cast alone, so that the
role × route rows can use them too; ``from tests.dossiers.applicant_helpers import *`` brings in
the fixtures (``media``, ``catalogue``, ``applicant``, ``draft``).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dossiers.models import (
    Applicant,
    Document,
    DocumentKind,
    Dossier,
    DossierDocument,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
)
from dossiers.selectors import live_documents
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document
from portal.models import AuditRecord, Team, User
from tests.conftest import Cast

__all__ = ["applicant", "catalogue", "draft", "media"]


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13
HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"


def vi(message: str, **params) -> str:
    """``message`` as a Vietnamese reader gets it."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def pdf(name: str = "ban-sao-cccd.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def messages_of(response) -> list[str]:
    """The messages this request added (earlier ones wait unread: the tests do not follow redirects)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def said(response) -> list[str]:
    """What the answer tells the applicant: the messages of a redirect once a change is done; or, on
    the page shown again with status 400, what was refused and the errors of the fields they filled."""
    if response.status_code == 302:
        return messages_of(response)
    assert response.status_code == 400
    words = [str(refusal) for refusal in response.context["refusals"]]
    for form in response.context.get("applicant_forms", {}).values():
        words += [str(error) for name, errors in form.errors.items() if name != "__all__" for error in errors]
    return words


def marks(html: str, label: str) -> int:
    """How many rows of the checklist carry ``label`` as their state or badge."""
    return html.count(f">{vi(label)}</span>")


# The catalogue and the applicant, built from the cast alone so the role × route rows can use them too.


@dataclass
class Catalogue:
    startup: Procedure
    id_card: Requirement
    plan: Requirement
    photos: Requirement  # optional
    conversion: Procedure
    conversion_id_card: Requirement
    licence: Requirement
    closed: Procedure


def catalogue_for(cast: Cast) -> Catalogue:
    if Procedure.objects.filter(code="ho-tro-khoi-nghiep").exists():
        startup = Procedure.objects.get(code="ho-tro-khoi-nghiep")
        conversion = Procedure.objects.get(code="chuyen-doi-ho-kinh-doanh")
        version, conversion_version = startup.versions.get(), conversion.versions.get()
        return Catalogue(
            startup=startup,
            id_card=version.requirements.get(document_kind__code="cccd"),
            plan=version.requirements.get(document_kind__code="ke-hoach"),
            photos=version.requirements.get(document_kind__code="anh-san-pham"),
            conversion=conversion,
            conversion_id_card=conversion_version.requirements.get(document_kind__code="cccd"),
            licence=conversion_version.requirements.get(document_kind__code="giay-phep-hkd"),
            closed=Procedure.objects.get(code="thu-tuc-da-dong"),
        )
    id_card = DocumentKind.objects.create(code="cccd", name="Bản sao CCCD")
    plan = DocumentKind.objects.create(code="ke-hoach", name="Kế hoạch kinh doanh", validity_months=12)
    photos = DocumentKind.objects.create(code="anh-san-pham", name="Ảnh sản phẩm")
    licence = DocumentKind.objects.create(code="giay-phep-hkd", name="Giấy chứng nhận đăng ký hộ kinh doanh")

    def procedure(code, name, audience, days, kinds, *, is_open=True):
        procedure = Procedure.objects.create(
            code=code,
            name=name,
            audience=audience,
            handling_team_kind=Team.Kind.COMMUNE_TEAM,
            is_open=is_open,
        )
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=1,
            effective_from=datetime.date(2024, 1, 1),
            statutory_working_days=days,
        )
        requirements = [
            Requirement.objects.create(
                version=version, document_kind=kind, is_mandatory=mandatory, position=index
            )
            for index, (kind, mandatory) in enumerate(kinds)
        ]
        return procedure, requirements

    startup, (id_card_use, plan_use, photos_use) = procedure(
        "ho-tro-khoi-nghiep",
        "Đăng ký hỗ trợ dự án khởi nghiệp",
        Procedure.Audience.STARTUP,
        10,
        [(id_card, True), (plan, True), (photos, False)],
    )
    conversion, (conversion_id_card, licence_use) = procedure(
        "chuyen-doi-ho-kinh-doanh",
        "Hỗ trợ hộ kinh doanh chuyển đổi lên doanh nghiệp",
        Procedure.Audience.HOUSEHOLD_BUSINESS,
        3,
        [(id_card, True), (licence, True)],
    )
    closed, _ = procedure(
        "thu-tuc-da-dong", "Thủ tục đã ngừng nhận", Procedure.Audience.POOR_HOUSEHOLD, 5, [], is_open=False
    )
    return Catalogue(
        startup, id_card_use, plan_use, photos_use, conversion, conversion_id_card, licence_use, closed
    )


def applicant_of(cast: Cast) -> Applicant:
    applicant, _ = Applicant.objects.get_or_create(
        user=cast.applicant,
        defaults={
            "kind": Applicant.Kind.PERSON,
            "full_name": "Bùi Văn Nộp",
            "national_id": "083095001234",
            "phone": "0912345678",
            "address": "Số 12, ấp Phú Thuận",
            "unit": cast.units.commune,
            "consent_at": timezone.now(),
        },
    )
    return applicant


def draft_of(cast: Cast) -> Dossier:
    """The applicant's draft for startup support, filed online in their commune; the same one on each call."""
    existing = Dossier.objects.filter(applicant__user=cast.applicant).order_by("pk").first()
    if existing:
        return existing
    return services.start_dossier(
        procedure=catalogue_for(cast).startup,
        applicant=applicant_of(cast),
        filed_by=cast.applicant,
        unit=cast.units.commune,
        summary="Hỗ trợ mở rộng lò kẹo dừa",
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalogue(cast) -> Catalogue:
    return catalogue_for(cast)


@pytest.fixture
def applicant(cast) -> Applicant:
    return applicant_of(cast)


@pytest.fixture
def draft(cast, catalogue, applicant) -> Dossier:
    return draft_of(cast)


def give(dossier: Dossier, requirements: list[Requirement], *, by: User) -> Dossier:
    for requirement in requirements:
        attach_document(dossier=dossier, requirement=requirement, upload=pdf(), by=by)
    return dossier


def filed(dossier: Dossier, catalogue: Catalogue, by: User) -> Dossier:
    """The startup dossier with its mandatory documents, filed."""
    give(dossier, [catalogue.id_card, catalogue.plan], by=by)
    return services.submit_dossier(dossier=dossier, by=by)


def in_progress(cast: Cast, dossier: Dossier, catalogue: Catalogue) -> Dossier:
    filed(dossier, catalogue, cast.applicant)
    services.receive_dossier(dossier=dossier, by=cast.commune_officer)
    return services.start_processing(dossier=dossier, by=cast.commune_officer)


def dossier_state(dossier: Dossier):
    """Everything an action on the dossier could change."""
    return (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        sorted(DossierDocument.objects.filter(dossier=dossier).values_list("pk", "requirement_id", "review")),
        list(dossier.events.values_list("pk", flat=True)),
        list(Inquiry.objects.filter(dossier=dossier).values_list("pk", flat=True)),
        list(dossier.supplement_requests.values_list("pk", "supplied_at")),
        Document.objects.count(),
        Dossier.objects.count(),
        Applicant.objects.count(),
        AuditRecord.objects.count(),
    )


# Uploading a file for one of a dossier's requirements, as the applicant's page does.


def upload(client, dossier: Dossier, requirement: Requirement, file):
    return client.post(reverse("dossier_upload", args=[dossier.pk, requirement.pk]), {"file": file})


# The panel on the dossier page


def panel(dossier: Dossier, *, user: User) -> str:
    """The applicant's panel with the context the dossier page gives it."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    live = live_documents(dossier)
    rejected = {
        use.requirement_id: use
        for use in dossier.documents.filter(review=DossierDocument.Review.REJECTED).select_related("document")
    }
    checklist = [
        (requirement, live.get(requirement.pk) or rejected.get(requirement.pk))
        for requirement in dossier.procedure_version.requirements.select_related("document_kind")
    ]
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "dossier": dossier,
        "checklist": checklist,
        "events": dossier.events.all(),
        "supplements": dossier.supplement_requests.prefetch_related("missing"),
        "inquiries": dossier.inquiries.all(),
        "is_applicant": True,
    }
    with translation.override("vi"):
        return render_to_string("dossiers/_applicant_panel.html", context, request=request)

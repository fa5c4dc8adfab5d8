"""The applicant's pages: registration, profile, filing a dossier, documents, the actions on a dossier.

Every refused change answers with a message and changes nothing; every page is scoped
(another's dossier is 404, a dossier an official sees but did not file is 403).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

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
from dossiers.services.documents import attach_document, review_document
from dossiers.services.inquiries import reply_to_inquiry
from portal.models import AuditRecord, Notification, Team, User
from portal.refusals import Refused
from tests.conftest import Cast
from tests.factories import AdminUnitFactory
from tests.role_table import Row, everyone

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


# Registration


def registration_data(cast: Cast, **overrides) -> dict:
    return {
        "username": "nguyenthilan",
        "password1": "dua-xiem-ben-tre-2025",
        "password2": "dua-xiem-ben-tre-2025",
        "kind": Applicant.Kind.PERSON,
        "full_name": "Nguyễn Thị Lan",
        "enterprise_name": "",
        "tax_code": "",
        "national_id": "083 195 004 321",
        "phone": "+84 912 345 678",
        "email": "lan@example.vn",
        "address": "Số 5, ấp Phú Hòa",
        "unit": cast.units.commune.pk,
        "consent": "on",
    } | overrides


def test_registration_creates_the_account_and_the_applicant_and_signs_in(client, cast):
    before = timezone.now()
    response = client.post(reverse("register"), registration_data(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("my_dossiers")
    user = User.objects.get(username="nguyenthilan")
    assert user.check_password("dua-xiem-ben-tre-2025")
    assert (user.full_name, user.email) == ("Nguyễn Thị Lan", "lan@example.vn")
    assert client.session[SESSION_KEY] == str(user.pk)
    applicant = user.applicant
    assert (
        applicant.kind,
        applicant.full_name,
        applicant.national_id,
        applicant.phone,
        applicant.email,
        applicant.address,
        applicant.unit,
    ) == (
        Applicant.Kind.PERSON,
        "Nguyễn Thị Lan",
        "083195004321",
        "0912345678",
        "lan@example.vn",
        "Số 5, ấp Phú Hòa",
        cast.units.commune,
    )
    assert before <= applicant.consent_at <= timezone.now()


def test_an_enterprise_registers_with_its_name_and_tax_code(client, cast):
    data = registration_data(
        cast,
        kind=Applicant.Kind.ENTERPRISE,
        enterprise_name="Công ty TNHH Kẹo dừa Thanh Long",
        tax_code="1300123456 001",
        national_id="",
        phone="0275.3822.123",
    )
    assert client.post(reverse("register"), data).status_code == 302
    applicant = Applicant.objects.get(user__username="nguyenthilan")
    assert (applicant.enterprise_name, applicant.tax_code, applicant.national_id, applicant.phone) == (
        "Công ty TNHH Kẹo dừa Thanh Long",
        "1300123456-001",
        "",
        "02753822123",
    )


def test_bad_registration_explains_every_mistake_and_creates_nothing(client, cast):
    users, applicants, records = User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count()
    data = registration_data(
        cast, national_id="08319500432", phone="1234", consent="", password2="khac-mat-khau-2025"
    )
    del data["consent"]
    response = client.post(reverse("register"), data)
    assert response.status_code == 400
    assert response.context["applicant_form"].errors == {
        "national_id": [vi("A CCCD number has exactly 12 digits.")],
        "phone": [
            vi(
                "Enter a Vietnamese phone number: 10 digits for a mobile (for example 0912 345 678) "
                "or 11 digits for a landline starting with 02."
            )
        ],
        "consent": [vi("The portal can handle your dossiers only with your consent.")],
    }
    assert response.context["account_form"].errors.as_data()["password2"][0].code == "password_mismatch"
    body = response.content.decode()
    assert body.count('aria-invalid="true"') == 4
    assert (User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count()) == (
        users,
        applicants,
        records,
    )
    assert SESSION_KEY not in client.session


def test_registration_applies_the_password_rules(client, cast):
    response = client.post(
        reverse("register"), registration_data(cast, password1="12345678", password2="12345678")
    )
    assert response.status_code == 400
    codes = {error.code for error in response.context["account_form"].errors.as_data()["password2"]}
    assert codes == {"password_too_short", "password_too_common", "password_entirely_numeric"}
    assert not User.objects.filter(username="nguyenthilan").exists()


def test_a_username_is_taken_whatever_its_case(client, cast):
    response = client.post(reverse("register"), registration_data(cast, username="NguoiNop"))
    assert response.status_code == 400
    assert list(response.context["account_form"].errors) == ["username"]
    assert User.objects.filter(username__iexact="nguoinop").count() == 1


def test_an_enterprise_must_give_its_name_and_tax_code(client, cast):
    response = client.post(
        reverse("register"), registration_data(cast, kind=Applicant.Kind.ENTERPRISE, tax_code="12345")
    )
    assert response.status_code == 400
    assert response.context["applicant_form"].errors == {
        "enterprise_name": [vi("Enter the name of the enterprise or household business.")],
        "tax_code": [vi("A tax code has 10 digits, or 13 for a branch (written 0123456789-001).")],
    }
    assert not Applicant.objects.filter(full_name="Nguyễn Thị Lan").exists()


def test_only_current_communes_can_be_chosen(client, cast):
    former = AdminUnitFactory(
        name="Xã Cũ", parent=cast.units.district, valid_until=datetime.date(2025, 6, 30)
    )
    response = client.post(reverse("register"), registration_data(cast, unit=former.pk))
    assert response.status_code == 400
    assert list(response.context["applicant_form"].errors) == ["unit"]
    response = client.post(reverse("register"), registration_data(cast, unit=cast.units.district.pk))
    assert list(response.context["applicant_form"].errors) == ["unit"]


def test_the_commune_list_is_grouped_by_parent_unit_and_can_be_searched(client, cast):
    body = client.get(reverse("register")).content.decode()
    assert '<optgroup label="Huyện Chợ Lách">' in body and '<optgroup label="Huyện Mỏ Cày Nam">' in body
    assert "Xã Sơn Định" in body and "Xã Cẩm Sơn" in body
    # htmx asks the same page for the shortened list.
    response = client.get(reverse("register"), {"unit_search": "son dinh"}, HTTP_HX_REQUEST="true")
    units = [unit.name for unit in response.context["applicant_form"].fields["unit"].queryset]
    assert units == ["Xã Sơn Định"]


def test_a_signed_in_person_is_sent_home(login, cast):
    response = login(cast.applicant).get(reverse("register"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


# Profile


def test_without_a_profile_the_applicant_is_asked_to_complete_it_first(login, cast):
    client = login(cast.applicant)
    response = client.get(reverse("my_dossiers"))
    assert response.status_code == 302
    assert response["Location"] == reverse("applicant_profile") + "?next=%2Fme%2Fdossiers%2F"
    page = client.get(response["Location"])
    assert page.context["is_new"] is True
    assert "consent" in page.context["form"].fields
    assert page.context["form"]["full_name"].value() == "Bùi Văn Nộp"
    data = registration_data(cast, full_name="Bùi Văn Nộp", next="/me/dossiers/")
    response = client.post(reverse("applicant_profile"), data)
    assert response.status_code == 302 and response["Location"] == "/me/dossiers/"
    assert cast.applicant.applicant.national_id == "083195004321"
    assert client.get(reverse("my_dossiers")).status_code == 200


def test_a_profile_without_consent_is_not_saved(login, cast):
    data = registration_data(cast)
    del data["consent"]
    response = login(cast.applicant).post(reverse("applicant_profile"), data)
    assert response.status_code == 400
    assert not Applicant.objects.filter(user=cast.applicant).exists()


def test_editing_the_profile_keeps_the_consent_and_changes_what_changed(login, cast, applicant):
    consent_at = applicant.consent_at
    client = login(cast.applicant)
    assert "consent" not in client.get(reverse("applicant_profile")).context["form"].fields
    data = registration_data(cast, full_name="Bùi Văn Nộp", national_id="083095001234", phone="0987 654 321")
    response = client.post(reverse("applicant_profile"), data | {"next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == reverse("my_dossiers")
    applicant.refresh_from_db()
    assert (applicant.phone, applicant.consent_at) == ("0987654321", consent_at)
    record = AuditRecord.objects.filter(object_id=str(applicant.pk)).latest("pk")
    assert set(record.after) >= {"phone"}
    assert record.before["phone"] == "0912345678"


# The applicant's dossiers


def test_my_dossiers_lists_own_dossiers_drafts_first(login, cast, catalogue, applicant, draft):
    second = services.start_dossier(
        procedure=catalogue.conversion, applicant=applicant, filed_by=cast.applicant, unit=cast.units.commune
    )
    give(second, [catalogue.conversion_id_card, catalogue.licence], by=cast.applicant)
    services.submit_dossier(dossier=second, by=cast.applicant)
    other = Applicant.objects.create(
        full_name="Đỗ Thị Nộp Khác",
        phone="0901234567",
        address="Ấp 2",
        unit=cast.units.other_commune,
        user=cast.other_applicant,
        consent_at=timezone.now(),
    )
    services.start_dossier(
        procedure=catalogue.startup,
        applicant=other,
        filed_by=cast.other_applicant,
        unit=cast.units.other_commune,
    )
    response = login(cast.applicant).get(reverse("my_dossiers"))
    assert [dossier.code for dossier in response.context["page"]] == [draft.code, second.code]
    body = response.content.decode()
    assert reverse("dossier_detail", args=[draft.pk]) in body


def test_new_dossier_page_lists_open_procedures_by_audience(login, cast, catalogue, applicant):
    response = login(cast.applicant).get(reverse("dossier_new"))
    groups = [
        (str(label), [p.code for p, _version in procedures])
        for label, procedures in response.context["groups"]
    ]
    with translation.override("vi"):
        assert groups == [
            (str(Procedure.Audience.STARTUP.label), ["ho-tro-khoi-nghiep"]),
            (str(Procedure.Audience.HOUSEHOLD_BUSINESS.label), ["chuyen-doi-ho-kinh-doanh"]),
        ]
    body = response.content.decode()
    assert "Thủ tục đã ngừng nhận" not in body
    assert "Ảnh sản phẩm" in body and "Giấy chứng nhận đăng ký hộ kinh doanh" in body
    with translation.override("vi"):
        assert (
            ngettext(
                "Answer within %(days)s working day after the dossier is received.",
                "Answer within %(days)s working days after the dossier is received.",
                3,
            )
            % {"days": 3}
        ) in body


def test_starting_a_dossier_makes_a_draft_in_the_applicants_commune(login, cast, catalogue, applicant):
    response = login(cast.applicant).post(
        reverse("dossier_start", args=["ho-tro-khoi-nghiep"]), {"summary": "Mở rộng lò kẹo dừa"}
    )
    dossier = Dossier.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_detail", args=[dossier.pk])
    assert (
        dossier.status,
        dossier.is_draft,
        dossier.unit,
        dossier.handling_team,
        dossier.filed_by,
        dossier.channel,
        dossier.summary,
    ) == (
        Dossier.Status.NEW,
        True,
        cast.units.commune,
        cast.teams.commune,
        cast.applicant,
        Dossier.Channel.ONLINE,
        "Mở rộng lò kẹo dừa",
    )
    assert said(response) == [
        vi(
            "Draft dossier %(code)s has been created. Upload the documents it asks for, then file it.",
            code=dossier.code,
        )
    ]


def test_a_closed_procedure_cannot_be_started(login, cast, catalogue, applicant):
    response = login(cast.applicant).post(reverse("dossier_start", args=["thu-tuc-da-dong"]))
    assert response.status_code == 400
    assert said(response) == [vi("This procedure is not open for filing.")]
    assert not Dossier.objects.exists()
    assert login(cast.applicant).post(reverse("dossier_start", args=["khong-co"])).status_code == 404


def test_dossier_start_is_post_only(login, cast, catalogue, applicant):
    assert login(cast.applicant).get(reverse("dossier_start", args=["ho-tro-khoi-nghiep"])).status_code == 405
    assert not Dossier.objects.exists()


# Documents


def upload(client, dossier: Dossier, requirement: Requirement, file):
    return client.post(reverse("dossier_upload", args=[dossier.pk, requirement.pk]), {"file": file})


def test_an_upload_is_stored_under_a_generated_name(login, cast, catalogue, draft, media):
    response = upload(login(cast.applicant), draft, catalogue.id_card, pdf("Bản sao CCCD của tôi.pdf"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_detail", args=[draft.pk])
    assert said(response) == [vi("“%(document)s” has been uploaded.", document="Bản sao CCCD")]
    use = DossierDocument.objects.get(dossier=draft, requirement=catalogue.id_card)
    document = use.document
    assert (document.original_name, document.content_type, document.size, use.review, use.is_reused) == (
        "Bản sao CCCD của tôi.pdf",
        "application/pdf",
        len(PDF),
        DossierDocument.Review.PENDING,
        False,
    )
    stored = media / document.file.name
    assert stored.read_bytes() == PDF
    assert "CCCD" not in document.file.name and document.file.name.startswith("documents/")


def test_uploading_again_replaces_the_document(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    upload(client, draft, catalogue.id_card, pdf("cu.pdf"))
    upload(client, draft, catalogue.id_card, SimpleUploadedFile("moi.png", PNG, content_type="image/png"))
    assert list(draft.documents.values_list("document__original_name", flat=True)) == ["moi.png"]


def test_a_renamed_html_file_is_refused_clearly_and_nothing_is_stored(login, cast, catalogue, draft, media):
    before = dossier_state(draft)
    response = upload(
        login(cast.applicant),
        draft,
        catalogue.plan,
        SimpleUploadedFile("ke-hoach.pdf", HTML, "application/pdf"),
    )
    assert response.status_code == 400
    reason = vi(
        "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted; this file is none of them."
    )
    assert said(response) == [
        vi("“%(document)s” was not uploaded: %(reason)s", document="Kế hoạch kinh doanh", reason=reason)
    ]
    assert dossier_state(draft) == before
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_file_whose_content_does_not_match_its_name_is_refused(login, cast, catalogue, draft, media):
    before = dossier_state(draft)
    response = upload(login(cast.applicant), draft, catalogue.plan, SimpleUploadedFile("anh.png", PDF))
    reason = vi("The file's content does not match its name: it is a %(extension)s file.", extension="PDF")
    assert said(response) == [
        vi("“%(document)s” was not uploaded: %(reason)s", document="Kế hoạch kinh doanh", reason=reason)
    ]
    assert dossier_state(draft) == before


def test_an_oversize_file_is_refused_clearly(login, cast, catalogue, draft, media, settings):
    settings.UPLOAD_MAX_BYTES = 2_000_000
    before = dossier_state(draft)
    big = SimpleUploadedFile("ke-hoach.pdf", PDF + b"0" * 2_500_000, content_type="application/pdf")
    response = upload(login(cast.applicant), draft, catalogue.plan, big)
    reason = vi("The file is %(size)s MB; the limit is %(limit)s MB.", size=2.5, limit=2)
    assert said(response) == [
        vi("“%(document)s” was not uploaded: %(reason)s", document="Kế hoạch kinh doanh", reason=reason)
    ]
    assert dossier_state(draft) == before


def test_no_file_is_refused_clearly(login, cast, catalogue, draft, media):
    before = dossier_state(draft)
    response = login(cast.applicant).post(reverse("dossier_upload", args=[draft.pk, catalogue.plan.pk]))
    assert said(response) == [
        vi(
            "“%(document)s” was not uploaded: %(reason)s",
            document="Kế hoạch kinh doanh",
            reason=vi("Choose a file to upload."),
        )
    ]
    assert dossier_state(draft) == before


def test_a_path_in_the_file_name_never_reaches_the_disk(login, cast, catalogue, draft, media):
    """Django keeps only the last part of an uploaded file's name; the file is stored under a new name."""
    boundary = "----ranh-gioi"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../../etc/cron.d/ke-hoach.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = login(cast.applicant).post(
        reverse("dossier_upload", args=[draft.pk, catalogue.plan.pk]),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    document = DossierDocument.objects.get(dossier=draft, requirement=catalogue.plan).document
    assert document.original_name == "ke-hoach.pdf"
    stored = (media / document.file.name).resolve()
    assert stored.is_relative_to(media.resolve()) and stored.read_bytes() == PDF
    assert [path for path in media.rglob("*") if path.is_file()] == [media / document.file.name]


def test_the_upload_service_refuses_a_path_in_the_name(cast, catalogue, draft, media):
    """Whatever reaches the service by another road (the API, a script) is checked again."""
    upload_with_path = pdf()
    upload_with_path._name = "..\\..\\windows\\ke-hoach.pdf"  # the name setter would strip it
    before = dossier_state(draft)
    with pytest.raises(Refused) as refusal:
        attach_document(dossier=draft, requirement=catalogue.plan, upload=upload_with_path, by=cast.applicant)
    assert str(refusal.value) == gettext("The file name must be a plain name, without folders.")
    assert dossier_state(draft) == before


def test_a_requirement_of_another_procedure_is_not_found(login, cast, catalogue, draft, media):
    before = dossier_state(draft)
    response = upload(login(cast.applicant), draft, catalogue.licence, pdf())
    assert response.status_code == 404
    assert dossier_state(draft) == before


def test_documents_cannot_be_added_once_filed(login, cast, catalogue, draft, media):
    filed(draft, catalogue, cast.applicant)
    before = dossier_state(draft)
    response = upload(login(cast.applicant), draft, catalogue.photos, SimpleUploadedFile("anh.png", PNG))
    reason = vi("Documents can be added to a draft or when a supplement is requested.")
    assert said(response) == [
        vi("“%(document)s” was not uploaded: %(reason)s", document="Ảnh sản phẩm", reason=reason)
    ]
    assert dossier_state(draft) == before


def test_once_only_a_document_given_once_is_reused_on_the_next_dossier(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    upload(client, draft, catalogue.id_card, pdf())
    assert vi("you already gave it: reused") in client.get(reverse("dossier_new")).content.decode()
    response = client.post(reverse("dossier_start", args=["chuyen-doi-ho-kinh-doanh"]))
    second = Dossier.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == reverse("dossier_detail", args=[second.pk])
    reused = second.documents.get(requirement=catalogue.conversion_id_card)
    assert reused.is_reused is True
    assert reused.document == draft.documents.get(requirement=catalogue.id_card).document
    html = panel(second, user=cast.applicant)
    assert vi("reused from an earlier dossier") in html
    # Only the licence is still missing.
    assert marks(html, "missing") == 1


# Submitting


def test_filing_is_refused_while_documents_are_missing(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    upload(client, draft, catalogue.id_card, pdf())
    before = dossier_state(draft)
    response = client.post(reverse("dossier_submit", args=[draft.pk]))
    assert response.status_code == 400
    assert said(response) == [
        vi("Some required documents are still missing: %(names)s.", names="Kế hoạch kinh doanh")
    ]
    assert dossier_state(draft) == before


def test_filing_a_complete_draft(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    upload(client, draft, catalogue.id_card, pdf())
    upload(client, draft, catalogue.plan, pdf("ke-hoach.pdf"))
    response = client.post(reverse("dossier_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.status, draft.is_draft) == (Dossier.Status.NEW, False)
    assert list(draft.events.values_list("action", flat=True)) == ["start_draft", "submit"]
    assert said(response) == [
        vi(
            "Dossier %(code)s has been filed. The handling team will receive it and give you a due date.",
            code=draft.code,
        )
    ]
    # The commune team hears of it.
    assert Notification.objects.filter(
        recipient=cast.commune_officer, event_key=f"dossier-{draft.pk}-filed"
    ).exists()
    # Filing twice is refused.
    before = dossier_state(draft)
    assert said(client.post(reverse("dossier_submit", args=[draft.pk]))) == [
        vi("This dossier has already been filed.")
    ]
    assert dossier_state(draft) == before


# Supplement


def test_a_supplement_is_uploaded_and_supplied(login, cast, catalogue, draft, media):
    in_progress(cast, draft, catalogue)
    services.request_supplement(
        dossier=draft,
        by=cast.commune_officer,
        missing=[catalogue.plan],
        note="Kế hoạch thiếu phần dòng tiền.",
    )
    review_document(
        use=draft.documents.get(requirement=catalogue.plan),
        by=cast.commune_officer,
        accepted=False,
        reason="Thiếu",
    )
    client = login(cast.applicant)
    html = panel(draft, user=cast.applicant)
    assert marks(html, "to add") == 1
    assert "Kế hoạch thiếu phần dòng tiền." in html
    # Supplying before uploading is refused.
    before = dossier_state(draft)
    response = client.post(reverse("dossier_supply", args=[draft.pk]))
    assert said(response) == [
        vi("Some requested documents are still missing: %(names)s.", names="Kế hoạch kinh doanh")
    ]
    assert dossier_state(draft) == before
    upload(client, draft, catalogue.plan, pdf("ke-hoach-moi.pdf"))
    response = client.post(reverse("dossier_supply", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Dossier.Status.IN_PROGRESS
    assert draft.supplement_requests.get().supplied_at is not None
    assert said(response) == [
        vi("The supplement has been sent. Processing resumes and the due date moves by the days it waited.")
    ]


def test_supplying_when_nothing_is_asked_is_refused(login, cast, catalogue, draft, media):
    in_progress(cast, draft, catalogue)
    before = dossier_state(draft)
    response = login(cast.applicant).post(reverse("dossier_supply", args=[draft.pk]))
    assert said(response) == [vi("No supplement is awaited for this dossier.")]
    assert dossier_state(draft) == before


# Withdrawing


def test_withdrawing_a_filed_dossier(login, cast, catalogue, draft, media):
    filed(draft, catalogue, cast.applicant)
    client = login(cast.applicant)
    before = dossier_state(draft)
    response = client.post(reverse("dossier_withdraw", args=[draft.pk]), {"reason": "  "})
    assert said(response) == [vi("Say why you withdraw the dossier.")]
    assert dossier_state(draft) == before
    response = client.post(
        reverse("dossier_withdraw", args=[draft.pk]), {"reason": "Đã tự thu xếp được vốn."}
    )
    draft.refresh_from_db()
    assert (draft.status, draft.closing_reason) == (Dossier.Status.WITHDRAWN, "Đã tự thu xếp được vốn.")
    assert said(response) == [vi("Dossier %(code)s has been withdrawn.", code=draft.code)]


def test_a_draft_or_a_closed_dossier_cannot_be_withdrawn(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    before = dossier_state(draft)
    response = client.post(reverse("dossier_withdraw", args=[draft.pk]), {"reason": "Không cần nữa"})
    with translation.override("vi"):
        expected = gettext("A dossier that is “%(status)s” cannot be changed this way.") % {
            "status": Dossier.Status.NEW.label
        }
    assert said(response) == [expected]
    assert dossier_state(draft) == before


# Rating


def result_returned(cast: Cast, dossier: Dossier, catalogue: Catalogue) -> Dossier:
    in_progress(cast, dossier, catalogue)
    services.complete_dossier(dossier=dossier, by=cast.commune_officer, result="Được hỗ trợ 20 triệu đồng.")
    return services.return_result(dossier=dossier, by=cast.commune_officer)


def test_rating_waits_for_the_result(login, cast, catalogue, draft, media):
    in_progress(cast, draft, catalogue)
    services.complete_dossier(dossier=draft, by=cast.commune_officer, result="Được hỗ trợ.")
    before = dossier_state(draft)
    response = login(cast.applicant).post(reverse("dossier_rate", args=[draft.pk]), {"rating": "5"})
    assert said(response) == [vi("The service can be rated once the result is returned.")]
    assert dossier_state(draft) == before
    assert vi("Rate the service") not in panel(draft, user=cast.applicant)


def test_rating_once_the_result_is_returned_and_only_once(login, cast, catalogue, draft, media):
    result_returned(cast, draft, catalogue)
    client = login(cast.applicant)
    assert 'name="rating"' in panel(draft, user=cast.applicant)
    before = dossier_state(draft)
    response = client.post(reverse("dossier_rate", args=[draft.pk]), {"rating": "9"})
    assert said(response) == [vi("Choose a rating from 1 to 5.")]
    assert dossier_state(draft) == before
    response = client.post(
        reverse("dossier_rate", args=[draft.pk]), {"rating": "4", "comment": "Cán bộ nhiệt tình."}
    )
    draft.refresh_from_db()
    assert (draft.rating, draft.rating_comment) == (4, "Cán bộ nhiệt tình.")
    assert said(response) == [vi("Thank you for rating the service.")]
    before = dossier_state(draft)
    response = client.post(reverse("dossier_rate", args=[draft.pk]), {"rating": "1"})
    assert said(response) == [vi("This dossier has already been rated.")]
    assert dossier_state(draft) == before
    html = panel(draft, user=cast.applicant)
    assert 'name="rating"' not in html
    assert "Cán bộ nhiệt tình." in html


def test_an_officer_who_filed_on_behalf_cannot_rate(login, cast, catalogue, applicant, media):
    dossier = services.start_dossier(
        procedure=catalogue.startup,
        applicant=applicant,
        filed_by=cast.commune_officer,
        unit=cast.units.commune,
        channel=Dossier.Channel.IN_PERSON,
    )
    result_returned(cast, dossier, catalogue)
    before = dossier_state(dossier)
    response = login(cast.commune_officer).post(reverse("dossier_rate", args=[dossier.pk]), {"rating": "5"})
    assert said(response) == [vi("Only the applicant can rate the service.")]
    assert dossier_state(dossier) == before


# Inquiries


def test_raising_an_obstacle_and_reading_the_reply(login, cast, catalogue, draft, media):
    client = login(cast.applicant)
    before = dossier_state(draft)
    response = client.post(reverse("inquiry_raise", args=[draft.pk]), {"question": ""})
    assert said(response) == [vi("Describe the obstacle.")]
    assert dossier_state(draft) == before
    response = client.post(
        reverse("inquiry_raise", args=[draft.pk]),
        {"question": "Tôi không có bản kế hoạch mẫu, xin hướng dẫn."},
    )
    inquiry = Inquiry.objects.get(dossier=draft)
    assert (inquiry.raised_by, inquiry.team, inquiry.question) == (
        cast.applicant,
        cast.teams.commune,
        "Tôi không có bản kế hoạch mẫu, xin hướng dẫn.",
    )
    assert said(response) == [
        vi("Your obstacle has been sent to the handling team; the reply will appear on this page.")
    ]
    reply_to_inquiry(
        inquiry=inquiry, by=cast.commune_officer, reply="Mẫu kế hoạch có tại bộ phận một cửa xã."
    )
    html = panel(draft, user=cast.applicant)
    assert "Tôi không có bản kế hoạch mẫu, xin hướng dẫn." in html
    assert "Mẫu kế hoạch có tại bộ phận một cửa xã." in html


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


def test_the_panel_of_a_draft_shows_what_is_missing_with_an_upload_form_for_each(
    cast, catalogue, draft, media
):
    attach_document(dossier=draft, requirement=catalogue.id_card, upload=pdf(), by=cast.applicant)
    html = panel(draft, user=cast.applicant)
    assert html.count('enctype="multipart/form-data"') == 3
    assert marks(html, "missing") == 1  # the plan; the photos are optional
    assert vi("uploaded, not checked yet") in html
    assert reverse("dossier_submit", args=[draft.pk]) in html
    assert reverse("dossier_withdraw", args=[draft.pk]) not in html
    assert reverse("inquiry_raise", args=[draft.pk]) in html


def test_the_panel_of_a_dossier_in_progress_has_no_upload_but_can_withdraw(cast, catalogue, draft, media):
    in_progress(cast, draft, catalogue)
    html = panel(draft, user=cast.applicant)
    assert 'enctype="multipart/form-data"' not in html
    assert reverse("dossier_submit", args=[draft.pk]) not in html
    assert reverse("dossier_withdraw", args=[draft.pk]) in html


# Scope: another's dossier is 404, one an official only sees is 403; nothing changes either way.

DOSSIER_ACTORS = everyone(
    404,
    anonymous=302,
    applicant=400,  # every action is refused on this draft: the page again, with why
    council_member=403,
    standing_officer=403,
    fund_officer=403,
    district_officer=403,
    commune_officer=403,
)


def _own_page(url_name: str):
    def url(cast: Cast) -> str:
        applicant_of(cast)
        catalogue_for(cast)
        return reverse(url_name)

    return url


def _dossier_url(url_name: str, *, requirement: bool = False):
    def url(cast: Cast) -> str:
        dossier = draft_of(cast)
        args = [dossier.pk, catalogue_for(cast).plan.pk] if requirement else [dossier.pk]
        return reverse(url_name, args=args)

    return url


def _start_url(cast: Cast) -> str:
    applicant_of(cast)
    return reverse("dossier_start", args=[catalogue_for(cast).startup.code])


APPLICANT_ROWS: dict[str, Row] = {
    "register": Row("get", lambda cast: reverse("register"), everyone(302, anonymous=200)),
    "applicant_profile": Row("get", lambda cast: reverse("applicant_profile"), everyone(200, anonymous=302)),
    # Only the cast's applicant has an applicant profile; everyone else is asked to fill one in.
    "my_dossiers": Row("get", _own_page("my_dossiers"), everyone(302, applicant=200)),
    "dossier_new": Row("get", _own_page("dossier_new"), everyone(302, applicant=200)),
    "dossier_start": Row(
        "post",
        lambda cast: _start_url(cast),
        everyone(302),
    ),
    # No file: refused with a message, so the applicant's row writes nothing either.
    "dossier_upload": Row("post", _dossier_url("dossier_upload", requirement=True), DOSSIER_ACTORS),
    "dossier_submit": Row("post", _dossier_url("dossier_submit"), DOSSIER_ACTORS),
    "dossier_supply": Row("post", _dossier_url("dossier_supply"), DOSSIER_ACTORS),
    "dossier_withdraw": Row(
        "post", _dossier_url("dossier_withdraw"), DOSSIER_ACTORS, lambda cast: {"reason": "Không cần nữa"}
    ),
    "dossier_rate": Row("post", _dossier_url("dossier_rate"), DOSSIER_ACTORS, lambda cast: {"rating": "5"}),
    "inquiry_raise": Row(
        "post",
        _dossier_url("inquiry_raise"),
        DOSSIER_ACTORS | {"applicant": 302},
        lambda cast: {"question": "Xin hướng dẫn mẫu đơn."},
    ),
    "notification_list": Row("get", lambda cast: reverse("notification_list"), everyone(200, anonymous=302)),
    "notifications_read": Row("post", lambda cast: reverse("notifications_read"), everyone(302)),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(APPLICANT_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name, media):
    row = APPLICANT_ROWS[route_name]
    client = login(getattr(cast, role))
    url, data = row.url(cast), row.data(cast)
    dossier = draft_of(cast) if Applicant.objects.exists() else None
    before = dossier_state(dossier) if dossier else None
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert dossier_state(dossier) == before, "a refused write changed something"


def test_the_handling_officer_is_refused_the_applicants_actions(login, cast, catalogue, draft, media):
    give(draft, [catalogue.id_card, catalogue.plan], by=cast.applicant)
    before = dossier_state(draft)
    client = login(cast.commune_officer)
    assert client.post(reverse("dossier_submit", args=[draft.pk])).status_code == 403
    assert upload(client, draft, catalogue.photos, SimpleUploadedFile("a.png", PNG)).status_code == 403
    assert login(cast.other_applicant).post(reverse("dossier_submit", args=[draft.pk])).status_code == 404
    assert dossier_state(draft) == before


def test_an_officer_who_filed_on_behalf_can_complete_the_dossier(login, cast, catalogue, applicant, media):
    dossier = services.start_dossier(
        procedure=catalogue.startup,
        applicant=applicant,
        filed_by=cast.commune_officer,
        unit=cast.units.commune,
        channel=Dossier.Channel.IN_PERSON,
    )
    client = login(cast.commune_officer)
    upload(client, dossier, catalogue.id_card, pdf())
    upload(client, dossier, catalogue.plan, pdf())
    client.post(reverse("dossier_submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.is_draft is False


# Notifications


def notify(user: User, key: str, *, read: bool = False, minutes_ago: int = 0) -> Notification:
    notification = Notification.objects.create(
        recipient=user,
        event_key=key,
        title=f"Thông báo {key}",
        body="Nội dung",
        link="/me/dossiers/",
        read_at=timezone.now() if read else None,
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return notification


def test_notifications_unread_first_and_only_ones_own(login, cast):
    read_new = notify(cast.applicant, "a", read=True, minutes_ago=1)
    unread_old = notify(cast.applicant, "b", minutes_ago=60)
    unread_new = notify(cast.applicant, "c", minutes_ago=2)
    notify(cast.other_applicant, "d")
    response = login(cast.applicant).get(reverse("notification_list"))
    assert [n.pk for n in response.context["page"]] == [unread_new.pk, unread_old.pk, read_new.pk]
    assert response.context["has_unread"] is True
    assert "Thông báo d" not in response.content.decode()


def test_mark_all_read_touches_only_ones_own(login, cast):
    notify(cast.applicant, "a")
    notify(cast.applicant, "b")
    already = notify(cast.applicant, "c", read=True)
    already_at = Notification.objects.get(pk=already.pk).read_at
    other = notify(cast.other_applicant, "d")
    response = login(cast.applicant).post(reverse("notifications_read"))
    assert response.status_code == 302 and response["Location"] == reverse("notification_list")
    assert not Notification.objects.filter(recipient=cast.applicant, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=already.pk).read_at == already_at
    assert Notification.objects.get(pk=other.pk).read_at is None
    with translation.override("vi"):
        expected = ngettext(
            "%(count)s notification marked as read.", "%(count)s notifications marked as read.", 2
        ) % {"count": 2}
    assert said(response) == [expected]


# Query counts: the same at N and at 10×N rows.

N = 4
# Queries of a signed-in applicant's page besides the page's own: 1 session, 2 user, 3 the unread
# notifications in the menu; after it the session is saved (idle expiry): savepoint, update, release.
# The menu also needs the memberships (is this an official?), shared with pages that read the scope.
SIGNED_IN = 6


def add_dossiers(cast: Cast, catalogue: Catalogue, applicant: Applicant, count: int) -> None:
    for index in range(count):
        procedure = catalogue.startup if index % 2 else catalogue.conversion
        services.start_dossier(
            procedure=procedure, applicant=applicant, filed_by=cast.applicant, unit=cast.units.commune
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_my_dossiers_query_count(login, cast, catalogue, applicant, django_assert_num_queries, rows):
    add_dossiers(cast, catalogue, applicant, rows)
    client = login(cast.applicant)
    # the applicant, the memberships (scope), the count, the page of dossiers with their procedures
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("my_dossiers"))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_dossier_new_query_count(login, cast, catalogue, applicant, django_assert_num_queries, rows):
    for index in range(rows):
        kind = DocumentKind.objects.create(code=f"giay-{index}", name=f"Giấy tờ {index}")
        procedure = Procedure.objects.create(
            code=f"thu-tuc-{index}",
            name=f"Thủ tục {index}",
            audience=Procedure.Audience.STARTUP,
            handling_team_kind=Team.Kind.COMMUNE_TEAM,
        )
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=5
        )
        Requirement.objects.create(version=version, document_kind=kind)
    client = login(cast.applicant)
    # the applicant, the open procedures, their versions in force, the versions' requirements
    # with their kinds, the kinds of document the applicant already gave, the memberships (menu)
    with django_assert_num_queries(SIGNED_IN + 6):
        response = client.get(reverse("dossier_new"))
    assert sum(len(procedures) for _label, procedures in response.context["groups"]) == rows + 2


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_notification_list_query_count(login, cast, django_assert_num_queries, rows):
    for index in range(rows):
        notify(cast.applicant, f"su-kien-{index}", read=bool(index % 2))
    client = login(cast.applicant)
    # the count, the page of notifications, the memberships (menu)
    with django_assert_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("notification_list"))
    assert len(response.context["page"]) == rows


def test_units_offered_are_current_communes_only(cast):
    from dossiers.forms.applicants import current_communes

    AdminUnitFactory(name="Xã Cũ", parent=cast.units.district, valid_until=datetime.date(2025, 6, 30))
    # By their parent (the province since the 2025 reform; the district in this cast), then by name.
    assert [unit.name for unit in current_communes()] == ["Xã Sơn Định", "Xã Cẩm Sơn"]


def test_the_dossier_page_shows_the_panel_to_the_applicant_only(login, cast, catalogue, draft, media):
    marker = 'aria-labelledby="applicant-panel"'
    assert marker in login(cast.applicant).get(reverse("dossier_detail", args=[draft.pk])).content.decode()
    officer_page = login(cast.commune_officer).get(reverse("dossier_detail", args=[draft.pk]))
    assert officer_page.status_code == 200
    assert marker not in officer_page.content.decode()

"""The applicant's dossiers: their list, starting a dossier, uploading its documents (checked by
content and name, reused once given), filing it.

Every refused change answers with a message and changes nothing.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from dossiers.models import Applicant, Dossier, DossierDocument, Procedure
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document
from portal.models import Notification
from portal.refusals import Refused
from tests.dossiers.applicant_helpers import *  # noqa: F403 (media, catalogue, applicant, draft)
from tests.dossiers.applicant_helpers import (
    HTML,
    PDF,
    PNG,
    dossier_state,
    filed,
    give,
    marks,
    panel,
    pdf,
    said,
    upload,
    vi,
)

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

"""Documents, inquiries and the public lookup in the API: uploading and reviewing a document,
raising an obstacle and replying to it, and the status by code and four digits, throttled.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from dossiers import lookup
from dossiers.models import Inquiry, Procedure, ProcedureVersion, Requirement
from portal.models.people import today
from tests.dossiers.api_helpers import *  # noqa: F403 (the isolated fixture)
from tests.dossiers.api_helpers import (
    DUE_IN_DAYS,
    PDF,
    api,
    applicant_of,
    ids,
    make_dossier,
    make_inquiry,
    plan_requirement,
    state,
    upload,
)
from tests.portal.api_helpers import malformed, refused

# --- Documents -----------------------------------------------------------------------------------------


def test_applicant_uploads_a_document_and_the_officer_reviews_it(cast):
    dossier = make_dossier(cast, "supplement_requested", with_document=False)
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[dossier.pk]),
        {"requirement": plan_requirement().pk, "file": upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    use = dossier.documents.get()
    assert use.document.original_name == "ke-hoach.pdf"
    assert use.document.file.read() == PDF
    body = response.json()
    assert body == {
        "id": use.pk,
        "requirement": plan_requirement().pk,
        "requirement_name": "Kế hoạch kinh doanh",
        "file_name": "ke-hoach.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_at": body["uploaded_at"],
        "valid_until": None,
        "is_reused": False,
        "review": "pending",
        "review_reason": "",
        "reviewed_by": None,
        "reviewed_at": None,
        "download_url": body["download_url"],
    }
    # The file is served by the web view, which checks scope.
    assert resolve(body["download_url"]).url_name == "document_download"
    browser = Client()
    browser.force_login(cast.applicant)
    assert b"".join(browser.get(body["download_url"]).streaming_content) == PDF
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, use.pk]),
        {"decision": "reject", "reason": "Thiếu chữ ký"},
        format="json",
    )
    assert response.status_code == 200
    use.refresh_from_db()
    assert (use.review, use.review_reason, use.reviewed_by) == (
        "rejected",
        "Thiếu chữ ký",
        cast.commune_officer,
    )
    assert response.json()["reviewed_by"] == {"id": cast.commune_officer.pk, "full_name": "Nguyễn Thị Xã"}
    listed = api(cast.applicant).get(reverse("api:dossier-documents", args=[dossier.pk]))
    assert [(row["id"], row["review"]) for row in listed.json()] == [(use.pk, "rejected")]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "ke-hoach.pdf",
            b"<html><script>alert(1)</script></html>",
            "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted; "
            "this file is none of them.",
        ),
        ("ke-hoach.pdf", b"", "The file is empty."),
        ("ke-hoach.docx", PDF, "The file's content does not match its name: it is a PDF file."),
    ],
    ids=["renamed html", "empty", "wrong extension"],
)
def test_upload_refusals_say_why_and_change_nothing(cast, name, content, expected):
    dossier = make_dossier(cast, "draft", with_document=False)
    before = state()
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[dossier.pk]),
        {"requirement": plan_requirement().pk, "file": upload(name, content)},
        format="multipart",
    )
    assert (response.status_code, response.json()) == (400, refused(expected))
    assert state() == before


def test_upload_for_a_requirement_of_another_version_or_a_filed_dossier_is_refused(cast):
    other = ProcedureVersion.objects.create(
        procedure=Procedure.objects.create(
            code="khac", name="Khác", audience="startup", handling_team_kind="fund"
        ),
        number=1,
        effective_from=datetime.date(2024, 1, 1),
        statutory_working_days=3,
    )
    foreign = Requirement.objects.create(version=other, document_kind=plan_requirement().document_kind)
    draft = make_dossier(cast, "draft", with_document=False)
    filed = make_dossier(cast, "in_progress", with_document=False)
    before = state()
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[draft.pk]),
        {"requirement": foreign.pk, "file": upload()},
        format="multipart",
    )
    assert (response.status_code, response.json()) == (
        400,
        malformed({"requirement": ["This document is not one the dossier's procedure asks for."]}),
    )
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[filed.pk]),
        {"requirement": plan_requirement().pk, "file": upload()},
        format="multipart",
    )
    assert response.json() == refused(
        "Documents can be added to a draft or when a supplement is requested.", code="conflict"
    )
    assert state() == before


def test_review_of_another_dossiers_document_is_not_found_and_rejection_needs_a_reason(cast):
    dossier, other = make_dossier(cast, "received"), make_dossier(cast, "received")
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, other.documents.get().pk]),
        {"decision": "accept"},
        format="json",
    )
    assert response.status_code == 404
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk]),
        {"decision": "reject"},
        format="json",
    )
    assert response.json() == refused("Say why the document is rejected.")
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk]),
        {"decision": "maybe"},
        format="json",
    )
    assert response.json() == malformed({"decision": ["“maybe” is not one of: accept, reject."]})
    assert state() == before


# --- Inquiries -----------------------------------------------------------------------------------------


def test_applicant_raises_an_obstacle_and_the_handling_team_replies(cast):
    dossier = make_dossier(cast, "in_progress")
    response = api(cast.applicant).post(
        reverse("api:inquiry-list"),
        {"dossier": dossier.pk, "question": "Mẫu kế hoạch ở đâu?", "team": cast.teams.council.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    inquiry = Inquiry.objects.get()
    assert (inquiry.raised_by, inquiry.team, inquiry.question) == (
        cast.applicant,
        cast.teams.commune,
        "Mẫu kế hoạch ở đâu?",
    )
    url = reverse("api:inquiry-reply", args=[inquiry.pk])
    response = api(cast.commune_officer).post(url, {"reply": "Mẫu số 2 trên trang thủ tục"}, format="json")
    assert response.status_code == 200
    assert (response.json()["reply"], response.json()["replied_by"]) == (
        "Mẫu số 2 trên trang thủ tục",
        {"id": cast.commune_officer.pk, "full_name": "Nguyễn Thị Xã"},
    )
    before = state()
    again = api(cast.commune_officer).post(url, {"reply": "Lần nữa"}, format="json")
    assert again.json() == refused("This obstacle has already been answered.", code="conflict")
    assert state() == before


def test_inquiry_on_a_dossier_outside_scope_is_refused_like_one_that_does_not_exist(cast):
    other = make_dossier(cast, "received", applicant=applicant_of(cast, "other_applicant"))
    before = state()
    answers = [
        api(cast.applicant).post(reverse("api:inquiry-list"), {"dossier": pk, "question": "?"}, format="json")
        for pk in (other.pk, other.pk + 1000)
    ]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (400, malformed({"dossier": ["There is no dossier with this id that you can see."]}))
    ] * 2
    assert state() == before


def test_the_team_an_inquiry_was_escalated_to_may_reply(cast):
    inquiry = make_inquiry(cast, escalated_at=timezone.now())
    url = reverse("api:inquiry-reply", args=[inquiry.pk])
    before = state()
    assert api(cast.district_officer).post(url, {"reply": "Trả lời"}, format="json").status_code == 403
    assert state() == before
    inquiry.team = cast.teams.district
    inquiry.save(update_fields=["team"])
    assert api(cast.district_officer).post(url, {"reply": "Trả lời"}, format="json").status_code == 200


def test_inquiry_filters(cast):
    dossier = make_dossier(cast, "received")
    waiting = make_inquiry(cast, dossier)
    late = make_inquiry(cast, reply_due=today() - datetime.timedelta(days=1))
    answered = make_inquiry(
        cast, dossier, reply="Đã trả lời", replied_at=timezone.now(), replied_by=cast.commune_officer
    )
    client = api(cast.commune_officer)

    def found(**parameters):
        return ids(client.get(reverse("api:inquiry-list"), parameters))

    assert found(dossier=dossier.pk) == {waiting.pk, answered.pk}
    assert found(answered="true") == {answered.pk}
    assert found(answered="false") == {waiting.pk, late.pk}
    assert found(overdue="true") == {late.pk}
    assert found(overdue="false") == {waiting.pk, answered.pk}
    # A team outside the caller's scope is as unknown as one that does not exist.
    assert client.get(reverse("api:inquiry-list"), {"team": cast.teams.district.pk}).status_code == 400
    assert client.get(reverse("api:inquiry-list"), {"answered": "maybe"}).json() == malformed(
        {"answered": ["Use true or false."]}
    )


# --- Public lookup -------------------------------------------------------------------------------------


LIMIT_PER_CODE = getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_CODE", lookup.LIMIT_PER_CODE)
LIMIT_PER_ADDRESS = getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_ADDRESS", lookup.LIMIT_PER_ADDRESS)


def look_up(code: str, digits: str, *, address: str = "198.51.100.7", language: str | None = "en"):
    return api(language=language).post(
        reverse("api:lookup"), {"code": code, "phone_last_four": digits}, format="json", REMOTE_ADDR=address
    )


def test_lookup_tells_status_procedure_and_due_date_only(cast):
    dossier = make_dossier(cast, "received")
    response = look_up(dossier.code.lower().replace("-", " "), "5678")
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "received",
            "status_label": "received",
            "procedure": "Hỗ trợ dự án khởi nghiệp",
            "due_date": (today() + datetime.timedelta(days=DUE_IN_DAYS)).isoformat(),
        },
    )


def test_wrong_code_wrong_digits_and_a_draft_get_the_same_answer(cast):
    dossier = make_dossier(cast, "received")
    draft = make_dossier(cast, "draft")
    answers = [
        look_up("HS-2222-2222", "5678", address="198.51.100.1"),
        look_up(dossier.code, "1234", address="198.51.100.2"),
        look_up(draft.code, "5678", address="198.51.100.3"),
    ]
    assert {(answer.status_code, answer.content) for answer in answers} == {
        (
            404,
            b'{"detail":"No dossier matches this code and these four digits. Check both and try again.",'
            b'"code":"not_found"}',
        )
    }


def test_lookup_is_throttled_per_code_and_per_address(cast):
    dossier = make_dossier(cast, "received")
    for attempt in range(LIMIT_PER_CODE):
        assert look_up(dossier.code, "0000", address=f"198.51.100.{attempt}").status_code == 404
    response = look_up(dossier.code, "5678", address="198.51.100.200")
    assert (response.status_code, response.json()) == (
        429,
        refused(
            f"Too many failed tries. Please wait {lookup.window_minutes()} minutes and try again.",
            code="throttled",
        ),
    )
    assert response["Retry-After"] == str(lookup.window_minutes() * 60)
    # Another address's tries for other codes count against that address.
    for attempt in range(LIMIT_PER_ADDRESS):
        assert look_up(f"HS-3333-{attempt:04d}", "0000", address="192.0.2.9").status_code == 404
    other = make_dossier(cast, "received")
    assert look_up(other.code, "5678", address="192.0.2.9").status_code == 429
    assert look_up(other.code, "5678", address="192.0.2.10").status_code == 200


def test_lookup_shares_its_counters_with_the_web_lookup(cast):
    """Failed tries on the web page (recorded through portal.lookup) block the API too."""
    dossier = make_dossier(cast, "received")
    for _ in range(LIMIT_PER_CODE):
        lookup.record_lookup_failure(code=dossier.code, address="203.0.113.1")
    assert look_up(dossier.code, "5678").status_code == 429


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"code": "HS-2222-2222", "phone_last_four": "56a8"},
            malformed({"phone_last_four": ["Enter exactly four digits."]}),
        ),
        ({"phone_last_four": "5678"}, malformed({"code": ["This field is required."]})),
    ],
)
def test_malformed_lookup_is_a_400(cast, body, expected):
    response = api().post(reverse("api:lookup"), body, format="json")
    assert (response.status_code, response.json()) == (400, expected)

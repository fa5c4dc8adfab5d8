"""What the applicant does on a filed dossier: supplying a supplement, withdrawing, rating,
raising an obstacle; and the applicant's panel on the dossier page.

Every refused change answers with a message and changes nothing.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dossiers.models import Dossier, Inquiry
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document, review_document
from dossiers.services.inquiries import reply_to_inquiry
from tests.conftest import Cast
from tests.dossiers.applicant_helpers import *  # noqa: F403 (media, catalogue, applicant, draft)
from tests.dossiers.applicant_helpers import (
    Catalogue,
    dossier_state,
    filed,
    in_progress,
    marks,
    panel,
    pdf,
    said,
    upload,
    vi,
)

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
    # Not on a draft: its handling team could neither read nor answer it until it is filed.
    response = client.post(reverse("inquiry_raise", args=[draft.pk]), {"question": "Mẫu nào?"})
    assert said(response) == [
        vi("File the dossier first: its handling team sees it, and can answer, once it is filed.")
    ]
    assert dossier_state(draft) == before
    filed(draft, catalogue, cast.applicant)
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
    # An obstacle waits until the dossier is filed, when its handling team can read it.
    assert reverse("inquiry_raise", args=[draft.pk]) not in html


def test_the_panel_of_a_dossier_in_progress_has_no_upload_but_can_withdraw(cast, catalogue, draft, media):
    in_progress(cast, draft, catalogue)
    html = panel(draft, user=cast.applicant)
    assert 'enctype="multipart/form-data"' not in html
    assert reverse("dossier_submit", args=[draft.pk]) not in html
    assert reverse("dossier_withdraw", args=[draft.pk]) in html


def test_the_dossier_page_shows_the_panel_to_the_applicant_only(login, cast, catalogue, draft, media):
    marker = 'aria-labelledby="applicant-panel"'
    assert marker in login(cast.applicant).get(reverse("dossier_detail", args=[draft.pk])).content.decode()
    filed(draft, catalogue, cast.applicant)
    officer_page = login(cast.commune_officer).get(reverse("dossier_detail", args=[draft.pk]))
    assert officer_page.status_code == 200
    assert marker not in officer_page.content.decode()

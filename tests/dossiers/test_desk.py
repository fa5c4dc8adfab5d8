"""An officer files a dossier at the desk for a person who came in or wrote by post."""

import pytest
from django.urls import reverse

from dossiers.models import Applicant, Dossier
from portal.models import AuditRecord
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.role_table import Row, everyone

# Officers of an active team in the commune's scope may file; others who are signed in may not, nor
# may the council, which oversees and files for nobody.
DESK_OPENERS = everyone(
    403,
    anonymous=302,
    standing_officer=200,
    fund_officer=200,
    district_officer=200,
    other_district_officer=200,
    commune_officer=200,
    other_commune_officer=200,
)
DESK_ROWS: dict[str, Row] = {"dossier_desk": Row("get", lambda cast: reverse("dossier_desk"), DESK_OPENERS)}


def form_data(dossiers, **overrides) -> dict:
    return {
        "procedure": dossiers.procedure.pk,
        "channel": Dossier.Channel.IN_PERSON,
        "summary": "Hỗ trợ bao bì cho kẹo dừa",
        "kind": Applicant.Kind.PERSON,
        "full_name": "Trần Văn Tới",
        "national_id": "083099007777",
        "phone": "0907 123 456",
        "address": "Ấp Sơn Quy",
        "unit": dossiers.cast.units.commune.pk,
        "consent": "on",
    } | overrides


def state():
    return (Applicant.objects.count(), Dossier.objects.count(), AuditRecord.objects.count())


@pytest.mark.parametrize("role", sorted(DESK_OPENERS))
def test_role_gets_the_expected_answer(dossiers, login, role):
    response = login(getattr(dossiers.cast, role)).get(reverse("dossier_desk"))
    assert response.status_code == DESK_OPENERS[role]


def test_officer_files_for_a_new_person(dossiers, login):
    officer = dossiers.cast.commune_officer
    response = login(officer).post(reverse("dossier_desk"), form_data(dossiers))
    dossier = Dossier.objects.get(applicant__full_name="Trần Văn Tới")
    assert response["Location"] == reverse("dossier_detail", args=[dossier.pk])
    assert (dossier.filed_by, dossier.channel, dossier.is_draft) == (officer, "in_person", True)
    assert (dossier.applicant.phone, dossier.applicant.user, dossier.unit) == (
        "0907123456",
        None,
        dossiers.cast.units.commune,
    )
    assert dossier.applicant.consent_at is not None
    # The officer who filed uploads and files for the person on the dossier page.
    page = login(officer).get(reverse("dossier_detail", args=[dossier.pk]))
    assert page.context["is_applicant"] is True


def test_a_person_known_by_their_cccd_keeps_their_record_and_documents(dossiers, login):
    dossiers.advance(dossiers.dossier, to="received")  # Bùi Văn Nộp gave both documents before
    before = Applicant.objects.count()
    login(dossiers.cast.commune_officer).post(
        reverse("dossier_desk"), form_data(dossiers, full_name="Bùi Văn Nộp", national_id="083095001234")
    )
    dossier = Dossier.objects.exclude(pk=dossiers.dossier.pk).get(applicant=dossiers.applicant)
    assert Applicant.objects.count() == before
    assert sorted(use.is_reused for use in dossier.documents.all()) == [True, True]


def test_missing_consent_is_named_and_nothing_is_created(dossiers, login):
    before = state()
    response = login(dossiers.cast.commune_officer).post(
        reverse("dossier_desk"), form_data(dossiers, consent="")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["consent"] == [
        "Hãy hỏi ý kiến đồng ý của người nộp trước; nếu không có sự đồng ý, Cổng không thể giải quyết hồ sơ."
    ]
    assert state() == before


def test_a_commune_outside_the_officers_scope_is_refused(dossiers, login):
    before = state()
    response = login(dossiers.cast.commune_officer).post(
        reverse("dossier_desk"), form_data(dossiers, unit=dossiers.cast.units.other_commune.pk)
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert state() == before


def test_applicants_cannot_file_for_others(dossiers, login):
    before = state()
    response = login(dossiers.cast.applicant).post(reverse("dossier_desk"), form_data(dossiers))
    assert response.status_code == 403
    assert state() == before

"""Handing dossiers to another team (in bulk, only to a suitable team in scope, audited), and
downloading their documents.
"""

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from portal.models import AuditRecord, Notification, Team
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.page_helpers import D, Status, codes, dossier_state
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory

# Reassignment -------------------------------------------------------------------------------------


def test_the_standing_agency_hands_dossiers_to_the_district_team(dossiers, login):
    cast = dossiers.cast
    second = dossiers.file()
    data = {
        "dossiers": [dossiers.dossier.pk, second.pk],
        "team": cast.teams.district.pk,
        "query": "status=new",
    }
    response = login(cast.standing_officer).post(reverse("dossier_reassign"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_list") + "?status=new"
    assert set(
        Dossier.objects.filter(pk__in=[dossiers.dossier.pk, second.pk]).values_list(
            "handling_team", flat=True
        )
    ) == {cast.teams.district.pk}
    notification = Notification.objects.get(recipient=cast.district_officer)
    assert notification.link == f"{reverse('dossier_list')}?handling_team={cast.teams.district.pk}"


@pytest.mark.parametrize("team_name", ["fund", "other_district", "council"])
def test_a_dossier_goes_only_to_a_suitable_team(dossiers, login, team_name):
    cast = dossiers.cast
    before = dossier_state()
    data = {"dossiers": [dossiers.dossier.pk], "team": getattr(cast.teams, team_name).pk}
    response = login(cast.standing_officer).post(reverse("dossier_reassign"), data)
    assert response.status_code == 400
    assert dossier_state() == before
    assert response.context["reassign_form"].errors


def test_a_closed_dossier_is_not_handed_over(dossiers, login):
    cast = dossiers.cast
    target = dossiers.at(Status.RESULT_RETURNED)
    before = dossier_state()
    data = {"dossiers": [target.pk], "team": cast.teams.district.pk}
    response = login(cast.standing_officer).post(reverse("dossier_reassign"), data)
    assert response.status_code == 400
    assert dossier_state() == before


def test_an_ended_team_is_not_offered(dossiers, login):
    cast = dossiers.cast
    ended = TeamFactory(
        name="Tổ đã giải thể",
        kind=Team.Kind.COMMUNE_TEAM,
        unit=cast.units.commune,
        active_until=D(2025, 6, 30),
    )
    before = dossier_state()
    response = login(cast.standing_officer).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": ended.pk}
    )
    assert response.status_code == 400
    assert dossier_state() == before


def test_reassigning_needs_a_dossier(dossiers, login):
    before = dossier_state()
    response = login(dossiers.cast.standing_officer).post(
        reverse("dossier_reassign"), {"team": dossiers.cast.teams.district.pk}
    )
    assert response.status_code == 400
    assert dossier_state() == before


def test_a_dossier_outside_scope_is_not_found_in_a_bulk_reassignment(dossiers, login):
    cast = dossiers.cast
    other = dossiers.file(applicant=dossiers.other_applicant)
    before = dossier_state()
    data = {"dossiers": [dossiers.dossier.pk, other.pk], "team": cast.teams.commune.pk}
    assert login(cast.commune_officer).post(reverse("dossier_reassign"), data).status_code == 404
    # Something that is no dossier's id is a mistake shown on the page.
    assert (
        login(cast.commune_officer).post(reverse("dossier_reassign"), {"dossiers": ["x"]}).status_code == 400
    )
    assert dossier_state() == before


def test_moving_between_two_teams_of_one_commune(dossiers, login):
    cast = dossiers.cast
    second_team = TeamFactory(
        name="Tổ hỗ trợ số 2 xã Sơn Định", kind=Team.Kind.COMMUNE_TEAM, unit=cast.units.commune
    )
    MembershipFactory(team=second_team)
    response = login(cast.commune_officer).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": second_team.pk}
    )
    assert response.status_code == 302
    dossiers.dossier.refresh_from_db()
    assert dossiers.dossier.handling_team == second_team
    # The audit keeps who handed it over, and from which team to which.
    record = AuditRecord.objects.filter(object_id=str(dossiers.dossier.pk), action="update").latest("pk")
    assert (record.actor_id, record.before["handling_team"]["id"], record.after["handling_team"]["id"]) == (
        cast.commune_officer.pk,
        cast.teams.commune.pk,
        second_team.pk,
    )


# Downloads ----------------------------------------------------------------------------------------


def test_a_document_downloads_with_its_name_and_type(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    response = login(dossiers.officer).get(reverse("document_download", args=[use.document_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="phuong-an-kinh-doanh.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_document_name_in_vietnamese_is_kept(dossiers, login):
    from dossiers.models import Document

    use = dossiers.live_use(dossiers.dossier)
    Document.objects.filter(pk=use.document_id).update(original_name="Phương án kinh doanh.pdf")
    response = login(dossiers.officer).get(reverse("document_download", args=[use.document_id]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Ph%C6%B0%C6%A1ng%20%C3%A1n%20kinh%20doanh.pdf"
    )


def test_a_reused_document_downloads_for_both_dossiers_and_no_one_else(dossiers, login):
    cast = dossiers.cast
    later = dossiers.file()
    reused = dossiers.live_use(later)
    assert reused.is_reused is True
    url = reverse("document_download", args=[reused.document_id])
    assert login(cast.commune_officer).get(url).status_code == 200
    assert login(cast.other_commune_officer).get(url).status_code == 404
    assert login(cast.other_applicant).get(url).status_code == 404


def test_a_missing_file_is_not_found(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    use.document.file.delete(save=False)
    assert (
        login(dossiers.officer).get(reverse("document_download", args=[use.document_id])).status_code == 404
    )


def test_a_new_unit_officer_sees_the_history_of_the_units_it_replaced(dossiers, login):
    """After the 2025 merger the new commune's team sees, and takes over, the dossiers of the old commune."""
    cast = dossiers.cast
    merged = AdminUnitFactory(name="Xã Sơn Định mới", parent=cast.units.province)
    merged.predecessors.add(cast.units.commune)
    new_team = TeamFactory(name="Tổ hỗ trợ ĐT&KN xã Sơn Định mới", kind=Team.Kind.COMMUNE_TEAM, unit=merged)
    officer = MembershipFactory(team=new_team).user
    response = login(cast.standing_officer).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": new_team.pk}
    )
    assert response.status_code == 302
    response = login(officer).get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert response.context["can_process"] is True
    assert codes(login(officer).get(reverse("dossier_list"))) == [dossiers.dossier.code]

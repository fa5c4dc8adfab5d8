"""The outside tester's six causes of a server error (3 December 2026), each answered 400 in Vietnamese.

Every reproduction of the issue is sent as the tester sent it; each answer is a 400 that says what is
wrong in Vietnamese, and a refused write changes nothing. The bounds themselves (``portal/bounds.py``)
are tested where they are defined; here the pages and the API are tried from the outside.
"""

import json

import pytest
from django.urls import reverse

from dossiers.models import Dossier, DossierEvent, SupplementRequest
from teamwork.models import Activity
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.portal.api_helpers import api
from tests.teamwork.test_api_activities import body as activity

TOO_BIG = "99999999999999999999999"  # beyond 2⁶³ − 1, the largest key on either database
NOT_ASCII = "²"  # str.isdigit() says yes; int() says no
Status = Dossier.Status

API_FILTERS = [
    ("api:dossier-list", ["unit", "procedure", "handling_team"]),
    ("api:inquiry-list", ["dossier", "team"]),
    ("api:activity-list", ["team", "unit"]),
    ("api:target-list", ["unit"]),
    ("api:team-list", ["unit"]),
    ("api:unit-list", ["parent"]),
    ("api:report-list", ["unit"]),
]


def vietnamese_errors(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    return body["errors"]


@pytest.mark.parametrize("value", [TOO_BIG, "-5", NOT_ASCII, "9223372036854775808"])
@pytest.mark.parametrize(("route", "parameter"), [(r, p) for r, params in API_FILTERS for p in params])
def test_an_id_filter_out_of_range_is_a_400_naming_the_parameter(cast, route, parameter, value):
    for user in (cast.council_member, cast.commune_officer, cast.applicant):
        errors = vietnamese_errors(api(user).get(reverse(route), {parameter: value}))
        assert list(errors) == [parameter]
        assert errors[parameter] == ["Hãy nhập một số nguyên."]


@pytest.mark.parametrize("value", [NOT_ASCII, TOO_BIG, "-1"])
@pytest.mark.parametrize("path", ["/work/", "/dashboard/"])
def test_a_unit_parameter_of_a_page_is_a_400_page_in_vietnamese(cast, login, path, value):
    response = login(cast.standing_officer).get(path, {"unit": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Hãy nhập một số nguyên." in page  # beside the unit field of the filter


@pytest.mark.parametrize(("kind", "suffix"), [("receipt", ""), ("supplement", ""), ("receipt", ".docx")])
def test_a_slip_round_in_other_digits_is_a_400(dossiers, login, kind, suffix):
    dossier = dossiers.at(Status.SUPPLEMENT_REQUESTED)
    url = reverse("dossier_slip_docx" if suffix else "dossier_slip", args=[dossier.pk, kind])
    response = login(dossiers.officer).get(url, {"round": NOT_ASCII})
    assert response.status_code == 400
    assert "Một phần của địa chỉ không đọc được" in response.content.decode()


@pytest.mark.parametrize("people", [int(TOO_BIG), 9223372036854775808, 2_147_483_648, -1])
def test_a_count_beyond_the_column_is_refused_and_nothing_is_recorded(cast, people):
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), activity(cast, people_reached=people), format="json"
    )
    assert vietnamese_errors(response) == {"people_reached": ["Nhập một số nguyên từ 0 đến 2.147.483.647."]}
    assert not Activity.objects.exists()


def test_the_web_form_refuses_the_same_count(cast, login):
    data = {key: value for key, value in activity(cast).items() if value is not None}
    data["people_reached"] = "9223372036854775808"
    response = login(cast.commune_officer).post(reverse("activity_new"), data)
    assert response.status_code == 400
    assert "Nhập một số nguyên từ 0 đến 2.147.483.647." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_body_nested_50000_deep_is_a_400(cast):
    deep = "[" * 50_000 + "]" * 50_000
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), deep, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["detail"]) == (
        "parse_error",
        "Nội dung gửi lên lồng danh sách và đối tượng quá sâu: tối đa 32 cấp.",
    )
    assert not Activity.objects.exists()


def test_an_ordinary_nested_body_still_reads(cast):
    body = json.dumps(activity(cast))
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_reassigning_a_dossier_id_out_of_range_is_a_400_and_moves_nothing(dossiers, login):
    dossier = dossiers.at(Status.RECEIVED)
    before = list(Dossier.objects.values_list("pk", "handling_team_id").order_by("pk"))
    response = login(dossiers.cast.standing_officer).post(
        reverse("dossier_reassign"), {"dossiers": [TOO_BIG, dossier.pk], "team": dossier.handling_team_id}
    )
    assert response.status_code == 400
    assert '<html lang="vi">' in response.content.decode()
    assert list(Dossier.objects.values_list("pk", "handling_team_id").order_by("pk")) == before


def test_a_supplement_naming_a_document_out_of_range_is_a_400_and_asks_nothing(dossiers, login):
    dossier = dossiers.at(Status.IN_PROGRESS)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    response = login(dossiers.officer).post(
        reverse("dossier_act", args=[dossier.pk, "request_supplement"]),
        {"missing": TOO_BIG, "note": "Bổ sung bản sao CCCD"},
    )
    assert response.status_code == 400
    assert '<html lang="vi">' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert DossierEvent.objects.filter(dossier=dossier).count() == events
    assert not SupplementRequest.objects.filter(dossier=dossier, supplied_at=None).exists()

"""The reports API: scope, role × route, asking for a report and watching it, the files, query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.building import build_report
from reports.models import ReviewReport
from tests.dossiers.api_helpers import api
from tests.reports.samples import sample_report
from tests.reports.test_report_pages import (
    REQUEST_ANSWERS,
    add_reports_and_activities,
    commune_report,
    request_data,
)
from tests.role_table import COMMUNE_READERS, Row, everyone
from tests.teamwork.test_api_activities import TOKEN_SIGNED_IN

API_SIGNED_IN_ONLY = everyone(200, anonymous=403)
API_COMMUNE_READERS = COMMUNE_READERS | {"anonymous": 403}
# The API answers 202 to an accepted request, 403 to a client without credentials.
API_REQUEST_ANSWERS = {role: 202 if status == 302 else status for role, status in REQUEST_ANSWERS.items()} | {
    "anonymous": 403
}


def commune_report_url(name: str, *extra):
    return lambda cast: reverse(name, args=[commune_report(cast).pk, *extra])


API_REPORT_ROWS: dict[str, Row] = {
    "api:report-list": Row("get", lambda cast: reverse("api:report-list"), API_SIGNED_IN_ONLY),
    "api:report-list:post": Row(
        "post", lambda cast: reverse("api:report-list"), API_REQUEST_ANSWERS, request_data
    ),
    "api:report-detail": Row("get", commune_report_url("api:report-detail"), API_COMMUNE_READERS),
    "api:report-progress": Row("get", commune_report_url("api:report-progress"), API_COMMUNE_READERS),
    "api:report-file": Row("get", commune_report_url("api:report-file", "docx"), API_COMMUNE_READERS),
}


@pytest.mark.parametrize("role", sorted(API_SIGNED_IN_ONLY))
@pytest.mark.parametrize("route_name", sorted(API_REPORT_ROWS))
def test_role_gets_the_expected_answer(cast, role, route_name):
    row = API_REPORT_ROWS[route_name]
    url = row.url(cast)
    before = ReviewReport.objects.count()
    response = getattr(api(getattr(cast, role)), row.method)(url, row.data(cast), format="json")
    assert response.status_code == row.expected[role]
    if row.method == "post" and response.status_code != 202:
        assert ReviewReport.objects.count() == before


def test_asking_then_watching_then_downloading(cast, django_capture_on_commit_callbacks):
    client = api(cast.district_officer)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("api:report-list"), request_data(cast), format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["period_first"], body["version"]) == ("queued", "2026-04-01", 1)
    progress = reverse("api:report-progress", args=[body["id"]])
    assert client.get(progress).json() == {"status": "queued", "progress": 0}
    file_url = reverse("api:report-file", args=[body["id"], "xlsx"])
    assert client.get(file_url).status_code == 404  # not built yet
    build_report(report_id=body["id"])
    assert client.get(progress).json() == {"status": "ready", "progress": 100}
    workbook = load_workbook(io.BytesIO(client.get(file_url).content))
    assert len(workbook.sheetnames) >= 3
    detail = client.get(reverse("api:report-detail", args=[body["id"]])).json()
    assert [section["key"] for section in detail["sections"]] == [
        "dossiers",
        "teamwork",
        "conversions",
        "projects",
        "fund",
    ]


def test_a_wrong_request_names_the_field(cast):
    response = api(cast.standing_officer).post(
        reverse("api:report-list"),
        {"unit": cast.units.province.pk, "kind": "quarterly", "year": 2026},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["__all__"]
    assert not ReviewReport.objects.exists()


@pytest.mark.parametrize("body", [[None, None], "2026", {"unit": "một", "kind": "quarterly", "year": 2026}])
def test_a_body_of_the_wrong_shape_is_a_400(cast, body):
    """The fuzzing gate's find: a list for a body was a server error."""
    response = api(cast.standing_officer).post(reverse("api:report-list"), body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert not ReviewReport.objects.exists()


def test_an_unknown_format_is_not_found(cast):
    url = reverse("api:report-file", args=[commune_report(cast).pk, "pdf"])
    assert api(cast.commune_officer).get(url).status_code == 404


def test_the_list_filters_by_kind(cast):
    commune_report(cast)
    client = api(cast.council_member)
    assert client.get(reverse("api:report-list"), {"kind": "quarterly"}).json()["count"] == 1
    assert client.get(reverse("api:report-list"), {"kind": "annual"}).json()["count"] == 0
    assert client.get(reverse("api:report-list"), {"kind": "weekly"}).status_code == 400


def test_rebuilding_through_the_api_is_a_new_version(cast):
    first = commune_report(cast)
    response = api(cast.commune_officer).post(
        reverse("api:report-list"),
        {"unit": cast.units.commune.pk, "kind": "quarterly", "year": 2026, "part": 3},
        format="json",
    )
    assert response.json()["version"] == 2
    assert ReviewReport.objects.get(pk=first.pk).status == "ready"


N = 5


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_endpoint_query_count(cast, django_assert_num_queries, rows):
    add_reports_and_activities(cast, rows)
    client = api(cast.council_member)
    # count for the paginator, the page of reports with their units
    with django_assert_num_queries(TOKEN_SIGNED_IN + 2):
        response = client.get(reverse("api:report-list"))
    assert response.json()["count"] == rows
    assert (
        response.json()["results"][0]["period_first"]
        == (datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * (rows - 1))).isoformat()
    )


def test_a_reports_labels_are_vietnamese_by_default(cast):
    report = sample_report(cast.units.province)
    response = api(cast.council_member, language=None).get(reverse("api:report-detail", args=[report.pk]))
    [section] = response.json()["sections"]
    assert section["title"] == "Hồ sơ một cửa"
    assert [measure["label"] for measure in section["measures"]] == [
        "Hồ sơ tiếp nhận",
        "Có kết quả đúng hạn",
        "Điểm đánh giá bình quân của người nộp",
    ]
    assert [measure["value"] for measure in section["measures"]] == [1234, 87.5, 4.2]  # values stay numbers
    [table] = section["tables"]
    assert table["title"] == "Theo đơn vị"
    assert [column["label"] for column in table["columns"]] == ["Đơn vị", "Ngày tiếp nhận", "Đúng hạn"]
    assert table["rows"][1]["cells"] == ["Xã Đồng Khởi", 34, 70.6]  # names of units pass unchanged
    assert table["total"] == ["Tổng cộng", 1234, 87.5]
    [chart] = section["charts"]
    assert chart["title"] == "Hồ sơ có kết quả đúng hạn và trễ hạn theo đơn vị"
    assert [series["label"] for series in chart["series"]] == ["Đúng hạn", "Trễ hạn"]
    assert section["flags"] == [
        {
            "where": "Xã Đồng Khởi",
            "message": "10 trong 34 hồ sơ có kết quả trễ hạn.",
            "params": {"late": 10, "decided": 34},
        }
    ]


def test_a_reports_labels_are_english_when_the_client_asks_for_english(cast):
    report = sample_report(cast.units.province)
    response = api(cast.council_member, language=None).get(
        reverse("api:report-detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    [section] = response.json()["sections"]
    assert section["title"] == "One-stop-shop dossiers"
    assert section["measures"][0]["label"] == "Dossiers received"
    assert section["tables"][0]["total"][0] == "Total"
    assert section["flags"][0]["message"] == "10 of 34 dossiers decided late."


def test_a_built_reports_sections_are_vietnamese_by_default(cast):
    report = commune_report(cast)
    detail = (
        api(cast.commune_officer, language=None).get(reverse("api:report-detail", args=[report.pk])).json()
    )
    assert [section["title"] for section in detail["sections"]] == [
        "Hồ sơ một cửa",
        "Hoạt động của các tổ hỗ trợ",
        "Hộ kinh doanh chuyển đổi lên doanh nghiệp",
        "Dự án khởi nghiệp và khởi nghiệp thoát nghèo",
        "Quỹ đầu tư khởi nghiệp",
    ]

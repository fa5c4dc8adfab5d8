"""The reports pages and the dashboard: who gets what, what they show, what they cost in queries."""

import datetime

import pytest
from django.urls import reverse

from reports.building import build_report
from reports.models import ReviewReport
from reports.services import request_report
from tests.portal.test_query_counts import SIGNED_IN
from tests.reports.helpers import Q3_2026, record_outreach
from tests.role_table import COMMUNE_READERS, Row, everyone

# Officials see their scope's figures; applicants have no unit in scope.
OFFICIALS = everyone(200, anonymous=302, applicant=403, other_applicant=403)
# The standing agency writes lessons and makes reports final; other readers of the commune get 403.
COMMUNE_REPORT_EDITORS = COMMUNE_READERS | {
    "standing_officer": 302,
    "council_member": 403,
    "fund_officer": 403,
    "district_officer": 403,
    "commune_officer": 403,
}
# The standing agency and the district and commune teams ask for the reports of their units.
COMMUNE_REPORT_REQUESTERS = COMMUNE_READERS | {
    "standing_officer": 302,
    "district_officer": 302,
    "commune_officer": 302,
    "council_member": 403,
    "fund_officer": 403,
}
REQUEST_ANSWERS = everyone(
    403,
    anonymous=302,
    standing_officer=302,
    district_officer=302,
    commune_officer=302,
    # Their own units are in the list, the other commune is not: the form says so.
    other_district_officer=400,
    other_commune_officer=400,
)


def commune_report(cast) -> ReviewReport:
    """The commune's built report of the third quarter of 2026 (the same one on a second call)."""
    existing = ReviewReport.objects.filter(unit=cast.units.commune).first()
    if existing is not None:
        return existing
    report = request_report(unit=cast.units.commune, period=Q3_2026, by=cast.commune_officer)
    build_report(report_id=report.pk)
    return ReviewReport.objects.get(pk=report.pk)


def request_data(cast) -> dict:
    return {"unit": cast.units.commune.pk, "kind": "quarterly", "year": 2026, "part": 2}


REPORT_ROWS: dict[str, Row] = {
    "reports:dashboard": Row("get", lambda cast: reverse("reports:dashboard"), OFFICIALS),
    "reports:list": Row("get", lambda cast: reverse("reports:list"), OFFICIALS),
    "reports:request": Row("post", lambda cast: reverse("reports:request"), REQUEST_ANSWERS, request_data),
    "reports:detail": Row(
        "get", lambda cast: reverse("reports:detail", args=[commune_report(cast).pk]), COMMUNE_READERS
    ),
    "reports:progress": Row(
        "get", lambda cast: reverse("reports:progress", args=[commune_report(cast).pk]), COMMUNE_READERS
    ),
    "reports:file": Row(
        "get", lambda cast: reverse("reports:file", args=[commune_report(cast).pk, "xlsx"]), COMMUNE_READERS
    ),
    "reports:lessons": Row(
        "post",
        lambda cast: reverse("reports:lessons", args=[commune_report(cast).pk]),
        COMMUNE_REPORT_EDITORS,
        lambda cast: {"number": "", "lessons_learned": "Bài học", "recommendations": ""},
    ),
    # Without its lessons learned the report cannot be final: the page again, with why (400).
    "reports:finalise": Row(
        "post",
        lambda cast: reverse("reports:finalise", args=[commune_report(cast).pk]),
        COMMUNE_REPORT_EDITORS | {"standing_officer": 400},
    ),
    "reports:rebuild": Row(
        "post",
        lambda cast: reverse("reports:rebuild", args=[commune_report(cast).pk]),
        COMMUNE_REPORT_REQUESTERS,
    ),
}


def state():
    return list(
        ReviewReport.objects.order_by("pk").values_list(
            "pk", "version", "status", "lessons_learned", "finalised_at"
        )
    )


@pytest.mark.parametrize("role", sorted(OFFICIALS))
@pytest.mark.parametrize("route_name", sorted(REPORT_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = REPORT_ROWS[route_name]
    url = row.url(cast)
    before = state()
    response = getattr(login(getattr(cast, role)), row.method)(url, row.data(cast))
    assert response.status_code == row.expected[role]
    if row.method == "post" and response.status_code != 302:
        assert state() == before  # a refused write changes nothing


def test_asking_for_a_report_opens_its_page_with_the_progress_bar(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.standing_officer)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:request"), request_data(cast))
    report = ReviewReport.objects.get()
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert (report.unit, report.period_first, report.period_last) == (
        cast.units.commune,
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )
    page = client.get(response.url).content.decode()
    assert f'hx-get="{reverse("reports:progress", args=[report.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page


def test_the_progress_bar_reloads_the_page_when_the_report_is_ready(cast, login):
    report = request_report(unit=cast.units.commune, period=Q3_2026, by=cast.commune_officer)
    client = login(cast.commune_officer)
    ReviewReport.objects.filter(pk=report.pk).update(status=ReviewReport.Status.BUILDING, progress=40)
    waiting = client.get(reverse("reports:progress", args=[report.pk]))
    assert 'aria-valuenow="40"' in waiting.content.decode()
    assert "HX-Refresh" not in waiting
    ReviewReport.objects.filter(pk=report.pk).update(status=ReviewReport.Status.QUEUED)
    build_report(report_id=report.pk)
    done = client.get(reverse("reports:progress", args=[report.pk]))
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "quarterly", "year": 2026, "part": ""}, "Chọn tháng (1–12)"),
        ({"kind": "quarterly", "year": 2026, "part": 5}, "Chọn tháng (1–12)"),
        ({"kind": "annual", "year": 2026}, "khi kỳ báo cáo đã kết thúc"),
        ({"kind": "weekly", "year": 2026}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_a_wrong_request_says_why_in_vietnamese_and_queues_nothing(cast, login, data, message):
    response = login(cast.standing_officer).post(
        reverse("reports:request"), {"unit": cast.units.province.pk, **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewReport.objects.exists()


def test_the_report_page_shows_the_figures_and_drills_down(cast, login):
    record_outreach(cast, day=datetime.date(2026, 8, 3), people=25)
    report = request_report(unit=cast.units.district, period=Q3_2026, by=cast.standing_officer)
    build_report(report_id=report.pk)
    response = login(cast.district_officer).get(reverse("reports:detail", args=[report.pk]))
    page = response.content.decode()
    assert 'data-measure="teamwork.people_reached"' in page
    assert (
        f'href="{reverse("reports:dashboard")}?unit={cast.units.commune.pk}&amp;kind=quarterly&amp;year=2026&amp;part=3"'
        in page
    )


def test_lessons_saved_then_final(cast, login):
    report = commune_report(cast)
    client = login(cast.standing_officer)
    client.post(
        reverse("reports:lessons", args=[report.pk]),
        {"number": "5/BC-HĐTV", "lessons_learned": "Tổ xã cần họp đều.", "recommendations": "Tăng tập huấn."},
    )
    client.post(reverse("reports:finalise", args=[report.pk]))
    report.refresh_from_db()
    assert (report.lessons_learned, report.recommendations, report.is_final) == (
        "Tổ xã cần họp đều.",
        "Tăng tập huấn.",
        True,
    )
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Tổ xã cần họp đều." in page
    assert reverse("reports:lessons", args=[report.pk]) not in page  # no form any more


def test_the_dashboard_and_the_report_agree(cast, login):
    record_outreach(cast, day=datetime.date(2026, 8, 3), people=25)
    record_outreach(cast, day=datetime.date(2026, 5, 3), people=4)
    report = request_report(unit=cast.units.province, period=Q3_2026, by=cast.standing_officer)
    build_report(report_id=report.pk)
    report.refresh_from_db()
    response = login(cast.council_member).get(
        reverse("reports:dashboard"),
        {"unit": cast.units.province.pk, "kind": "quarterly", "year": 2026, "part": 3},
    )
    assert response.context["report"] == report
    assert response.context["data"]["sections"] == report.data["sections"]


def test_the_dashboard_shows_the_current_quarter_so_far(cast, login, monkeypatch):
    monkeypatch.setattr("reports.dashboard.today", lambda: datetime.date(2026, 11, 27))
    response = login(cast.district_officer).get(reverse("reports:dashboard"))
    period = response.context["period"]
    assert (response.context["unit"], period.first, period.last) == (
        cast.units.district,
        datetime.date(2026, 10, 1),
        datetime.date(2026, 11, 27),
    )


def test_the_dashboard_of_a_unit_outside_scope_is_not_found(cast, login):
    response = login(cast.commune_officer).get(
        reverse("reports:dashboard"), {"unit": cast.units.other_commune.pk}
    )
    assert response.status_code == 404


N = 3


def add_reports_and_activities(cast, rows: int) -> None:
    for index in range(rows):
        record_outreach(cast, day=datetime.date(2026, 7, 1) + datetime.timedelta(days=index), people=index)
        ReviewReport.objects.create(
            unit=cast.units.commune,
            period_kind="monthly",
            period_first=datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * index),
            period_last=datetime.date(2020, 1, 28) + datetime.timedelta(days=31 * index),
            status=ReviewReport.Status.READY,
        )


@pytest.mark.parametrize(
    ("url_name", "own_queries"),
    [
        # count for the paginator, the page of reports with their units
        ("reports:list", 2),
        # the top unit; the dossier section's 5 for both periods (units of the period, successor
        # links, procedures' names, the sums of the stored daily figures, the target);
        # the teamwork section's 6 for both periods (portal/evenness.py); the conversions section's 7;
        # the projects section's 11 (its stock counted on both periods' ends); the fund section's 13
        # (units of the period, successor links, the unit's targets, the ten statements of the
        # figures; no fund here, so no ledger read and no receivable to replay); no report is looked
        # up for a period not over
        ("reports:dashboard", 1 + 5 + 6 + 7 + 11 + 13),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_query_count(cast, login, django_assert_num_queries, url_name, own_queries, rows):
    add_reports_and_activities(cast, rows)
    client = login(cast.council_member)
    with django_assert_num_queries(SIGNED_IN + own_queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_a_number_too_long_is_refused_and_nothing_is_saved(cast, login):
    report = commune_report(cast)
    response = login(cast.standing_officer).post(
        reverse("reports:lessons", args=[report.pk]),
        {"number": "9" * 41, "lessons_learned": "Không được mất bài này.", "recommendations": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không được mất bài này." in page  # what was written is shown again, not lost
    assert "tối đa 40 ký tự" in page
    report.refresh_from_db()
    assert report.lessons_learned == ""


def test_the_list_finds_a_unit_ignoring_diacritics_and_filters_by_kind(cast, login):
    commune_report(cast)
    request_report(unit=cast.units.province, period=Q3_2026, by=cast.standing_officer)
    client = login(cast.council_member)

    def units(**query):
        return [report.unit.name for report in client.get(reverse("reports:list"), query).context["page"]]

    assert units(q="son dinh") == ["Xã Sơn Định"]
    assert sorted(units(kind="quarterly")) == ["Tỉnh Thử Nghiệm", "Xã Sơn Định"]
    assert units(kind="annual") == []


def test_the_report_reads_in_english_too(cast, client):
    report = commune_report(cast)
    client.force_login(cast.commune_officer)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Interim review: Quarter III/2026" in page
    assert "Dossiers received" in page
    assert "One-stop-shop dossiers" in page


def test_a_former_district_team_reads_its_history(cast, login):
    """Its district ended on 30/06/2025: the pages start from it rather than refuse."""
    from portal.models import Team
    from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory

    ended = datetime.date(2025, 6, 30)
    old_district = AdminUnitFactory(
        code="993", name="Huyện Giồng Trôm", level="district", kind="Huyện", parent=cast.units.province,
        valid_until=ended,
    )  # fmt: skip
    team = TeamFactory(kind=Team.Kind.DISTRICT_TEAM, unit=old_district, active_until=ended)
    member = MembershipFactory(team=team).user
    client = login(member)
    dashboard = client.get(reverse("reports:dashboard"))
    assert (dashboard.status_code, dashboard.context["unit"]) == (200, old_district)
    assert client.get(reverse("reports:list")).status_code == 200
    assert client.get(reverse("teamwork_overview")).context["unit"] == old_district


def test_an_ended_period_without_a_report_can_be_asked_for_from_the_dashboard(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.standing_officer)
    query = {"unit": cast.units.commune.pk, "kind": "quarterly", "year": 2026, "part": 3}
    page = client.get(reverse("reports:dashboard"), query).content.decode()
    assert f'action="{reverse("reports:request")}"' in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:request"), query)
    report = ReviewReport.objects.get()
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert (report.unit, report.period_first) == (cast.units.commune, datetime.date(2026, 7, 1))
    build_report(report_id=report.pk)
    page = client.get(reverse("reports:dashboard"), query).content.decode()
    assert f'action="{reverse("reports:request")}"' not in page  # the report exists: a link instead
    assert reverse("reports:detail", args=[report.pk]) in page
    council_page = login(cast.council_member).get(reverse("reports:dashboard"), query | {"part": 2})
    assert f'action="{reverse("reports:request")}"' not in council_page.content.decode()

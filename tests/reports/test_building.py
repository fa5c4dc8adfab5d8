"""Asking for, building and rebuilding review reports: idempotent, crash-safe, immutable snapshots."""

import datetime
import io

import pytest
from django.utils import timezone

from portal.models import Notification
from portal.refusals import Refused
from reports import building as services
from reports.building import build_report, stalled_reports
from reports.jobs import requeue_stalled_reports
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.schedule import due_periods, schedule_due_reports, units_to_report
from reports.services import finalise_report, request_report, write_lessons
from reports.tasks import build_review_report
from tests.reports.helpers import Q3_2026, measure, record_outreach, stale

Status = ReviewReport.Status


@pytest.fixture
def province_report(cast, django_capture_on_commit_callbacks) -> ReviewReport:
    record_outreach(cast, day=datetime.date(2026, 8, 15), people=40)
    record_outreach(cast, day=datetime.date(2026, 5, 15), people=7)
    with django_capture_on_commit_callbacks(execute=False):
        return request_report(unit=cast.units.province, period=Q3_2026, by=cast.standing_officer)


def test_asking_queues_one_build_on_commit(cast, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(build_review_report, "delay", lambda report_id: queued.append(report_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = request_report(unit=cast.units.province, period=Q3_2026, by=cast.standing_officer)
    assert len(callbacks) == 1
    assert queued == [report.pk]
    assert (report.status, report.version, report.period_last) == (
        Status.QUEUED,
        1,
        datetime.date(2026, 9, 30),
    )


def test_asking_again_while_it_builds_returns_the_waiting_build(cast, province_report):
    again = request_report(unit=cast.units.province, period=Q3_2026, by=cast.council_member)
    assert again.pk == province_report.pk
    assert ReviewReport.objects.count() == 1


def test_a_period_not_over_cannot_be_asked_for(cast):
    current = ReviewPeriod.containing(PeriodKind.MONTHLY, timezone.localdate())
    with pytest.raises(Refused):
        request_report(unit=cast.units.province, period=current, by=cast.standing_officer)
    assert not ReviewReport.objects.exists()


def test_a_build_writes_the_figures_beside_the_previous_period(cast, province_report):
    assert build_report(report_id=province_report.pk) is True
    report = ReviewReport.objects.get(pk=province_report.pk)
    assert (report.status, report.progress, report.attempts) == (Status.READY, 100, 1)
    people = measure(report.data, "teamwork", "people_reached")
    assert (people["value"], people["previous"]) == (40, 7)
    assert report.data["period"] == {"kind": "quarterly", "first": "2026-07-01", "last": "2026-09-30"}
    assert report.data["previous"] == {"kind": "quarterly", "first": "2026-04-01", "last": "2026-06-30"}


def test_a_second_delivery_builds_nothing(cast, province_report):
    assert build_report(report_id=province_report.pk) is True
    first = ReviewReport.objects.get(pk=province_report.pk)
    assert build_report(report_id=province_report.pk) is False
    second = ReviewReport.objects.get(pk=province_report.pk)
    assert (second.data, second.built_at, second.attempts) == (first.data, first.built_at, 1)
    assert Notification.objects.filter(event_key=f"report-{first.pk}-ready").count() == 2


def test_the_council_and_the_requester_hear_when_it_is_ready(cast, province_report):
    build_report(report_id=province_report.pk)
    recipients = set(
        Notification.objects.filter(event_key=f"report-{province_report.pk}-ready").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"hoidong", "thuongtruc"}
    notification = Notification.objects.get(recipient=cast.council_member)
    assert (
        notification.title
        == "Báo cáo sơ kết, tổng kết đã sẵn sàng: Tỉnh Thử Nghiệm, Quý III/2026 (phiên bản 1)"
    )


def test_a_failure_mid_build_writes_nothing_and_the_retry_builds(cast, province_report, monkeypatch):
    from teamwork.report_sections import TeamWorkSection

    def fail(self, unit, first, last):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(TeamWorkSection, "build", fail)
        with pytest.raises(RuntimeError):
            build_report(report_id=province_report.pk)
    report = ReviewReport.objects.get(pk=province_report.pk)
    assert (report.status, report.data, report.progress) == (Status.QUEUED, {}, 0)
    assert "the database went away" in report.error
    assert build_report(report_id=province_report.pk) is True
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (Status.READY, 2, "")


def test_the_last_failure_marks_the_report_failed(cast, province_report, monkeypatch):
    monkeypatch.setattr(services, "compose", lambda *args, **kwargs: 1 / 0)
    ReviewReport.objects.filter(pk=province_report.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    with pytest.raises(ZeroDivisionError):
        build_report(report_id=province_report.pk)
    assert ReviewReport.objects.get(pk=province_report.pk).status == Status.FAILED


def test_a_build_whose_worker_died_is_taken_over_once_silent(cast, province_report):
    # The worker claimed the report, then was killed: the row says "building", nothing written.
    ReviewReport.objects.filter(pk=province_report.pk).update(
        status=Status.BUILDING, attempts=1, heartbeat_at=timezone.now(), progress=50
    )
    assert build_report(report_id=province_report.pk) is False  # it may still be alive
    assert ReviewReport.objects.get(pk=province_report.pk).status == Status.BUILDING
    ReviewReport.objects.filter(pk=province_report.pk).update(heartbeat_at=stale())
    assert stalled_reports() == [province_report.pk]
    assert build_report(report_id=province_report.pk) is True
    report = ReviewReport.objects.get(pk=province_report.pk)
    assert (report.status, report.attempts) == (Status.READY, 2)
    assert measure(report.data, "teamwork", "people_reached")["value"] == 40


def test_a_build_overtaken_by_another_writes_nothing(cast, province_report, monkeypatch):
    real_compose = services.compose

    def overtaken(unit, period, on_progress):
        data = real_compose(unit, period, on_progress=on_progress)
        # Meanwhile another worker took the silent build over.
        ReviewReport.objects.filter(pk=province_report.pk).update(attempts=2)
        return data

    monkeypatch.setattr(services, "compose", overtaken)
    assert build_report(report_id=province_report.pk) is False
    report = ReviewReport.objects.get(pk=province_report.pk)
    assert (report.status, report.data) == (Status.BUILDING, {})


def test_the_snapshot_does_not_change_and_a_rebuild_keeps_the_old_version(cast, province_report):
    build_report(report_id=province_report.pk)
    record_outreach(cast, day=datetime.date(2026, 9, 1), people=5)  # recorded late
    first = ReviewReport.objects.get(pk=province_report.pk)
    assert measure(first.data, "teamwork", "people_reached")["value"] == 40
    rebuilt = request_report(unit=cast.units.province, period=Q3_2026, by=cast.standing_officer)
    assert rebuilt.version == 2
    build_report(report_id=rebuilt.pk)
    rebuilt.refresh_from_db()
    first.refresh_from_db()
    assert measure(rebuilt.data, "teamwork", "people_reached")["value"] == 45
    assert measure(first.data, "teamwork", "people_reached")["value"] == 40


def test_lessons_are_written_until_the_report_is_final(cast, province_report):
    build_report(report_id=province_report.pk)
    report = ReviewReport.objects.get(pk=province_report.pk)
    with pytest.raises(Refused):
        finalise_report(report=report, by=cast.standing_officer)  # no lessons yet
    write_lessons(report=report, number="12/BC-HĐTV", lessons_learned="Cần đều tay hơn.", recommendations="")
    finalise_report(report=report, by=cast.standing_officer)
    with pytest.raises(Refused):
        write_lessons(report=report, number="", lessons_learned="Sửa lại.", recommendations="")
    report.refresh_from_db()
    assert (report.lessons_learned, report.number, report.finalised_by) == (
        "Cần đều tay hơn.",
        "12/BC-HĐTV",
        cast.standing_officer,
    )


def test_the_schedule_builds_three_days_after_the_period(cast, django_capture_on_commit_callbacks):
    assert [(p.kind, p.first) for p in due_periods(datetime.date(2026, 10, 2))][:2] == [
        ("monthly", datetime.date(2026, 8, 1)),
        ("quarterly", datetime.date(2026, 4, 1)),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = len(schedule_due_reports(datetime.date(2026, 10, 3)))
    # None built before: every kind for the province (5), and the quarter, the six and nine months
    # and the year for its 2 districts and 2 communes (4 × 4).
    assert queued == 5 + 4 * 4
    assert len(callbacks) == queued
    assert schedule_due_reports(datetime.date(2026, 10, 3)) == []
    assert schedule_due_reports(datetime.date(2026, 10, 4)) == []
    quarterly = ReviewReport.objects.filter(
        period_kind=PeriodKind.QUARTERLY, period_first=datetime.date(2026, 7, 1)
    )
    assert quarterly.count() == 5


def test_monthly_reports_are_for_the_province_only(cast):
    units = units_to_report(ReviewPeriod.containing(PeriodKind.MONTHLY, datetime.date(2026, 8, 1)))
    assert units == [cast.units.province]


def test_the_sweeper_queues_stalled_and_forgotten_builds(cast, province_report, monkeypatch):
    queued = []
    monkeypatch.setattr(build_review_report, "delay", lambda report_id: queued.append(report_id))
    assert requeue_stalled_reports() == 0
    ReviewReport.objects.filter(pk=province_report.pk).update(requested_at=stale())
    assert requeue_stalled_reports() == 1
    assert queued == [province_report.pk]


def test_the_task_calls_the_service(cast, province_report):
    assert build_review_report(province_report.pk) is True
    assert build_review_report(province_report.pk) is False


def test_the_command_builds_the_due_reports_here(cast, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=False):
        call_command("build_reports", "--on", "2026-10-03", "--province-only", stdout=io.StringIO())
    built = ReviewReport.objects.ready().order_by("period_kind").values_list("unit__code", "period_kind")
    assert list(built) == [
        ("99", "annual"),
        ("99", "monthly"),
        ("99", "nine_months"),
        ("99", "quarterly"),
        ("99", "six_months"),
    ]


def test_the_database_refuses_to_change_a_built_report(cast, province_report):
    from django.db import DatabaseError, transaction

    build_report(report_id=province_report.pk)
    report = ReviewReport.objects.get(pk=province_report.pk)
    for change in ({"data": {}}, {"status": Status.QUEUED}, {"version": 9}):
        with pytest.raises(DatabaseError, match="keeps its figures"), transaction.atomic():
            ReviewReport.objects.filter(pk=report.pk).update(**change)
    write_lessons(report=report, number="1/BC-HĐTV", lessons_learned="Vẫn viết được.", recommendations="")
    report.refresh_from_db()
    assert (report.lessons_learned, measure(report.data, "teamwork", "people_reached")["value"]) == (
        "Vẫn viết được.",
        40,
    )

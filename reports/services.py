"""Asking for, building and finishing review reports.

A build is claimed by a conditional update, so a task delivered twice builds once. The figures
are composed outside any transaction and written, with the status, in one update guarded by the
claim: a build that dies half-way leaves nothing written, and its report is claimed again by the
retry once its last sign of life is older than a task may run.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.models import Membership, Team, User
from portal.models.people import today
from portal.services.notifications import in_portal_language, notify
from reports.building import compose
from reports.models import ReviewReport
from reports.periods import ReviewPeriod

Status = ReviewReport.Status
# A build silent for longer than a task may run has died with its worker.
STALE_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
# After this many failed attempts a report is marked failed instead of retried.
MAX_ATTEMPTS = 3


class ReportNotAllowed(ValueError):
    """A report that cannot be asked for (its period has not ended yet)."""


def request_report(*, unit, period: ReviewPeriod, by: User | None) -> ReviewReport:
    """Queue a new version of the unit's report for the period, or return the build already waiting."""
    if period.last >= today():
        raise ReportNotAllowed(gettext_noop("A report can be asked for once its period has ended."))
    existing = ReviewReport.objects.of_period(unit, period)
    pending = existing.pending().first()
    if pending is not None:
        return pending
    version = (existing.aggregate(latest=Max("version"))["latest"] or 0) + 1
    try:
        with transaction.atomic():
            report = ReviewReport.objects.create(
                unit=unit,
                period_kind=period.kind,
                period_first=period.first,
                period_last=period.last,
                version=version,
                requested_by=by,
            )
            _queue_build(report)
    except IntegrityError:  # another request got there first: its build is the one to watch
        return existing.pending().get()
    return report


def schedule_report(*, unit, period: ReviewPeriod) -> ReviewReport | None:
    """The schedule's first version of the unit's report for the period; None when one exists already."""
    with transaction.atomic():
        report, created = ReviewReport.objects.get_or_create(
            unit=unit,
            period_kind=period.kind,
            period_first=period.first,
            version=1,
            defaults={"period_last": period.last},
        )
        if created:
            _queue_build(report)
    return report if created else None


def _queue_build(report: ReviewReport) -> None:
    from reports.tasks import build_review_report

    build_review_report.delay_on_commit(report.pk)


def build_report(*, report_id: int) -> bool:
    """Build the report if it is waiting (or its build died); True when this call wrote it."""
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.BUILDING, heartbeat_at__lt=now - STALE_AFTER)
    claimed = ReviewReport.objects.filter(claimable, pk=report_id).update(
        status=Status.BUILDING, attempts=F("attempts") + 1, heartbeat_at=now, progress=0
    )
    if not claimed:
        return False  # another worker has it, or it is built
    report = ReviewReport.objects.select_related("unit").get(pk=report_id)
    mine = ReviewReport.objects.filter(pk=report_id, status=Status.BUILDING, attempts=report.attempts)

    def show_progress(progress: int) -> None:
        mine.update(progress=progress, heartbeat_at=timezone.now())

    try:
        data = compose(report.unit, report.period, on_progress=show_progress)
    except Exception as error:
        gives_up = report.attempts >= MAX_ATTEMPTS
        mine.update(status=Status.FAILED if gives_up else Status.QUEUED, progress=0, error=repr(error)[:2000])
        raise
    with transaction.atomic():
        written = mine.update(
            status=Status.READY, data=data, built_at=timezone.now(), progress=100, heartbeat_at=None, error=""
        )
        if written:
            report.refresh_from_db()
            _notify_ready(report)
    return bool(written)


def readers_to_notify(report: ReviewReport) -> list[User]:
    """The council hears of the province's reports, a district or commune's teams of theirs; and who asked."""
    on = today()
    teams = Team.objects.active_on(on)
    if report.unit.level == report.unit.Level.PROVINCE:
        teams = teams.filter(kind=Team.Kind.COUNCIL, unit=report.unit)
    else:
        teams = teams.filter(unit=report.unit)
    members = Membership.objects.active_on(on).filter(team__in=teams).values("user_id")
    return list(User.objects.filter(Q(pk__in=members) | Q(pk=report.requested_by_id), is_active=True))


def _notify_ready(report: ReviewReport) -> None:
    notify(
        recipients=readers_to_notify(report),
        event_key=f"report-{report.pk}-ready",
        title=in_portal_language(
            gettext_noop("Review report ready: %(unit)s, %(period)s (version %(version)s)"),
            unit=report.unit.name,
            period=_period_label_in_portal_language(report),
            version=report.version,
        ),
        link=reverse("reports:detail", args=[report.pk]),
    )


def _period_label_in_portal_language(report: ReviewReport) -> str:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return report.period.label


@transaction.atomic
def write_lessons(
    *, report: ReviewReport, number: str, lessons_learned: str, recommendations: str
) -> ReviewReport:
    """Save the standing agency's part of a built report that is not final yet."""
    report = ReviewReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_ready or report.is_final:
        raise ReportNotAllowed(gettext_noop("A final report cannot be changed."))
    report.number = number
    report.lessons_learned = lessons_learned
    report.recommendations = recommendations
    report.save(update_fields=["number", "lessons_learned", "recommendations"])
    return report


@transaction.atomic
def finalise_report(*, report: ReviewReport, by: User) -> ReviewReport:
    """Make a built report final: its lessons and recommendations can no longer change."""
    report = ReviewReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_ready or report.is_final:
        raise ReportNotAllowed(gettext_noop("A final report cannot be changed."))
    if not report.lessons_learned.strip():
        raise ReportNotAllowed(gettext_noop("Write the lessons learned before making the report final."))
    report.finalised_at = timezone.now()
    report.finalised_by = by
    report.save(update_fields=["finalised_at", "finalised_by"])
    return report


def stalled_reports() -> list[int]:
    """Reports waiting longer than a build may take, or whose build gave no sign of life for that long."""
    before = timezone.now() - STALE_AFTER
    return list(
        ReviewReport.objects.filter(
            Q(status=Status.QUEUED, requested_at__lt=before)
            | Q(status=Status.BUILDING, heartbeat_at__lt=before)
        ).values_list("pk", flat=True)
    )

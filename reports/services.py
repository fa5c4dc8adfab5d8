"""Asking for review reports and finishing them; the building itself is in reports/building.py."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.models.people import today
from portal.refusals import Refused
from reports.models import ReviewReport
from reports.periods import ReviewPeriod
from reports.tasks import build_review_report


def request_report(*, unit, period: ReviewPeriod, by: User | None) -> ReviewReport:
    """Queue a new version of the unit's report for the period, or return the build already waiting."""
    if period.last >= today():
        raise Refused(_("A report can be asked for once its period has ended."))
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
    build_review_report.delay_on_commit(report.pk)


@transaction.atomic
def write_lessons(
    *, report: ReviewReport, number: str, lessons_learned: str, recommendations: str
) -> ReviewReport:
    """Save the standing agency's part of a built report that is not final yet."""
    report = ReviewReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_ready or report.is_final:
        raise Refused(_("A final report cannot be changed."), conflict=True)
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
        raise Refused(_("A final report cannot be changed."), conflict=True)
    if not report.lessons_learned.strip():
        raise Refused(_("Write the lessons learned before making the report final."), conflict=True)
    report.finalised_at = timezone.now()
    report.finalised_by = by
    report.save(update_fields=["finalised_at", "finalised_by"])
    return report

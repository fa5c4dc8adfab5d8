"""The reports' periodic jobs, run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from portal.models.people import today
from reports.building import stalled_reports
from reports.schedule import schedule_due_reports
from reports.tasks import build_review_report


@shared_task(acks_late=True)
def schedule_due_reports_today() -> int:
    """Each morning: queue one build per unit for the periods that ended a few days ago."""
    return len(schedule_due_reports(today()))


@shared_task(acks_late=True)
def requeue_stalled_reports() -> int:
    """Queue again the builds whose worker died or whose message was lost."""
    reports = stalled_reports()
    for report_id in reports:
        build_review_report.delay(report_id)
    return len(reports)

"""The reports' Celery tasks: thin, each calls one service."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=30)
def build_review_report(report_id: int) -> bool:
    """Build one report; a second delivery finds it claimed or built and does nothing."""
    from reports.services import build_report

    return build_report(report_id=report_id)


@shared_task(acks_late=True)
def schedule_due_reports_today() -> int:
    """Each morning: queue one build per unit for the periods that ended a few days ago."""
    from portal.models.people import today
    from reports.schedule import schedule_due_reports

    return len(schedule_due_reports(today()))


@shared_task(acks_late=True)
def requeue_stalled_reports() -> int:
    """Queue again the builds whose worker died or whose message was lost."""
    from reports.services import stalled_reports

    reports = stalled_reports()
    for report_id in reports:
        build_review_report.delay(report_id)
    return len(reports)

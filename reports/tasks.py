"""The reports' Celery tasks: thin, each calls one service."""

from celery import shared_task

from reports.building import build_report


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=30)
def build_review_report(report_id: int) -> bool:
    """Build one report; a second delivery finds it claimed or built and does nothing."""
    return build_report(report_id=report_id)

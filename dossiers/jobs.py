"""The one-stop shop's periodic jobs, run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from dossiers.services.deadlines import flag_deadlines
from portal.models.people import today


@shared_task(acks_late=True)
def flag_deadlines_this_morning() -> dict[str, int]:
    """Each working morning: flag dossiers due soon, due today and overdue; escalate overdue inquiries."""
    return flag_deadlines(on=today())

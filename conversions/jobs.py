"""The conversions' periodic job, run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from conversions.services.followups import review_entitlements_and_visits
from portal.models.people import today


@shared_task(acks_late=True)
def review_entitlements_and_visits_this_morning() -> dict[str, int]:
    """Each morning: warn of entitlements ending within 30 days, mark the ended ones expired, and remind
    the commune teams of follow-up visits due within a week or overdue."""
    return review_entitlements_and_visits(on=today())

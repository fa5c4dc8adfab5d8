"""The projects' periodic job, run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from portal.models.people import today
from projects.services.followups import flag_late_milestones


@shared_task(acks_late=True)
def flag_late_milestones_this_morning() -> dict[str, int]:
    """Each morning: warn the commune teams of the plans' milestones that fell late, each once."""
    return flag_late_milestones(on=today())

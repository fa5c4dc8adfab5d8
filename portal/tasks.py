"""The ground's Celery tasks: thin, each calls one service."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from portal import figures
from portal.emails import send_email
from portal.planner import refresh_planner_statistics

HEARTBEAT_CACHE_KEY = "celery-worker-heartbeat"


@shared_task(ignore_result=False)
def record_heartbeat() -> str:
    """Note that a worker ran a task now; /healthz reports when a worker was last seen."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now


@shared_task(acks_late=True)
def email_notification(notification_id: int) -> None:
    """Send a notification's e-mail once; a second delivery finds it sent and does nothing."""
    send_email(notification_id=notification_id)


@shared_task
def refresh_planner_statistics_tonight() -> None:
    """The planner's statistics of every table, as the rows stand tonight (portal/planner.py)."""
    refresh_planner_statistics()


@shared_task
def check_and_rebuild_daily_figures_tonight() -> int:
    """The stored daily figures checked against the rows and counted again (portal/figures.py); how
    many differed."""
    return len(figures.check_and_rebuild())

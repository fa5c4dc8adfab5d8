from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "celery-worker-heartbeat"


@shared_task(ignore_result=False)
def record_heartbeat() -> str:
    """Note that a worker ran a task now; /healthz reports when a worker was last seen."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now

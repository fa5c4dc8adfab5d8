"""/healthz: 200 when the database and the broker answer, 503 naming those that do not.

The body also says when a Celery worker last ran the heartbeat task that beat
schedules every five minutes, so a stalled worker or beat shows without failing
the web processes' health check.
"""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app as celery_app
from portal.tasks import HEARTBEAT_CACHE_KEY


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def worker_last_seen() -> str | None:
    try:
        return cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:  # the cache being down is not this check's concern
        return None


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_answers(), "broker": broker_answers()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "ok" if not failing else "failing",
        "failing": failing,
        "worker_last_seen": worker_last_seen(),
    }
    return JsonResponse(body, status=200 if not failing else 503)

"""The Celery application: settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py (queued by its services) and jobs.py (run by beat, which may queue tasks).
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="jobs")

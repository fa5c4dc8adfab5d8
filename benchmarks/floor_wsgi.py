"""The floor of ``benchmarks/pages.py``: Django on the portal's settings and middleware, with one view that
answers every request to ``/`` with "ok", so that a page's requests per second can be set against what
Django itself costs on the same machine, Python and gunicorn.

    PORTAL_ENV=test .venv/bin/gunicorn benchmarks.floor_wsgi:application --bind 127.0.0.1:8001

(``pages.py`` starts it itself.) Requested without a session cookie, the view reads no table.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("", ok)]

settings.ROOT_URLCONF = __name__
application = get_wsgi_application()

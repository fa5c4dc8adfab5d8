"""Settings for the test suite: the portal's own, in test mode."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: F403

# Static files straight from the source folders: the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Browser journeys run Playwright's synchronous API next to the live server thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Parallel workers (pytest-xdist) each clear the cache: on Redis each needs a database of its own.
# .ci/run claims one per worker and lists them in TEST_CACHE_URLS.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_cache_urls = os.environ.get("TEST_CACHE_URLS", "").split()
if _worker and _cache_urls and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["default"]["LOCATION"] = _cache_urls[int(_worker.removeprefix("gw")) % len(_cache_urls)]  # noqa: F405

# Uploads of the suite go to a folder of its own, never to var/uploads.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))

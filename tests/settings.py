"""Settings for the test suite: the portal's own, in test mode."""

import os

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: E402, F403

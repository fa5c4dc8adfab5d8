"""What the demo's commands share: they write only where demo data may be written."""

from collections.abc import Callable

from django.conf import settings
from django.core.management.base import CommandError

from portal.management import bilingual

# Where demo logins and synthetic data may be written.
DEMO_ENVIRONMENTS = frozenset({"demo", "test"})


def refuse_outside_demo(render: Callable[[], str]) -> None:
    """Raise a CommandError with the rendered message unless this is a demo or test database."""
    if settings.PORTAL_ENV not in DEMO_ENVIRONMENTS:
        raise CommandError(bilingual(render))

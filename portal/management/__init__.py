"""Helpers shared by the portal's management commands."""

from collections.abc import Callable

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation

# Where demo logins and synthetic data may be written.
DEMO_ENVIRONMENTS = frozenset({"demo", "test"})


def bilingual(render: Callable[[], str]) -> str:
    """The message rendered in Vietnamese and in English ("… / …"), once while the catalogue lacks it."""
    with translation.override("vi"):
        vietnamese = render()
    with translation.override("en"):
        english = render()
    return english if vietnamese == english else f"{vietnamese} / {english}"


def refuse_outside_demo(render: Callable[[], str]) -> None:
    """Raise a CommandError with the rendered message unless this is a demo or test database."""
    if settings.PORTAL_ENV not in DEMO_ENVIRONMENTS:
        raise CommandError(bilingual(render))

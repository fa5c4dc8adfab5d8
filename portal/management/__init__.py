"""Helpers shared by the management commands."""

from collections.abc import Callable

from django.utils import translation


def bilingual(render: Callable[[], str]) -> str:
    """The message rendered in Vietnamese and in English ("… / …"), once while the catalogue lacks it."""
    with translation.override("vi"):
        vietnamese = render()
    with translation.override("en"):
        english = render()
    return english if vietnamese == english else f"{vietnamese} / {english}"

"""Composing a report's content from the installed sections, for a stored report or the live dashboard.

Both go through ``compose``, so a report and the dashboard show the same figures for the same unit
and period.
"""

from collections.abc import Callable

from django.utils import translation

from reports.periods import ReviewPeriod
from reports.sections import check_shape, installed_sections

SCHEMA = 1


def _period(period: ReviewPeriod) -> dict:
    return {"kind": period.kind, "first": period.first.isoformat(), "last": period.last.isoformat()}


def compose(unit, period: ReviewPeriod, *, on_progress: Callable[[int], None] | None = None) -> dict:
    """Every section's content for the unit and period, each measure beside its previous period's value.

    ``on_progress`` hears the per cent done after each step.
    """
    sections = installed_sections()
    previous = period.previous()
    content = []
    for done, section in enumerate(sections, start=1):
        # Untranslated: labels are stored as messages and translated when read.
        with translation.override(None):
            built = section.build(unit, (period.first, period.last), (previous.first, previous.last))
        content.append({"key": section.key, "title": section.title, **check_shape(section.key, built)})
        if on_progress is not None:
            on_progress(100 * done // (len(sections) + 1))
    return {
        "schema": SCHEMA,
        "unit": {"id": unit.pk, "name": unit.name, "level": unit.level},
        "period": _period(period),
        "previous": _period(previous),
        "sections": content,
    }

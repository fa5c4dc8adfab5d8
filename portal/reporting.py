"""The portal's sections of the review reports: one-stop-shop dossiers and the support teams' work.

They follow the interface of ``reports/sections.py`` and are listed in ``portal/report_sections.py``.
Labels and messages are returned untranslated (the report translates them when it is read).
"""

import datetime

from django.utils import timezone, translation

from portal.models import AdminUnit
from portal.models.units import in_subtree


def untranslated(text) -> str:
    """The message behind a lazily translated text, whatever language is active."""
    with translation.override(None):
        return str(text)


def day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``first`` and the first moment after ``last``, local time."""

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return midnight(first), midnight(last + datetime.timedelta(days=1))


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


def entry(mapping: dict, key, make):
    """``mapping[key]``, made by ``make()`` when missing: a section's tally of a period and unit, asked for
    once per row counted (``setdefault`` would make one on every call)."""
    found = mapping.get(key)
    if found is None:
        found = mapping[key] = make()
    return found


def units_of_period(unit: AdminUnit, first: datetime.date, last: datetime.date) -> dict[int, AdminUnit]:
    """The unit's subtree restricted to the units valid in the period, by id in Vietnamese order."""
    units = AdminUnit.objects.filter(pk__in=in_subtree({unit.pk})).valid_during(first, last)
    return {other.pk: other for other in units.in_vietnamese_order()}


def measure(key: str, label: str, value, *, format: str = "count", target=None) -> dict:
    return {"key": key, "label": label, "value": value, "target": target, "format": format}


def column(key: str, label: str, format: str = "count") -> dict:
    return {"key": key, "label": label, "format": format}


def flag(where: str, message: str, **params) -> dict:
    return {"where": where, "message": message, "params": params}

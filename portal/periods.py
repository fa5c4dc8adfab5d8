"""Periods, and things in force over them: units (valid_from..valid_until), teams, memberships.

An open start or end (None) means "since always" or "until further notice"; both ends count as in force.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    """The days ``first``..``last``, both included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def query(self) -> str:
        """The period as the figures pages' form takes it in a link: ``first=01/01/2026&last=31/03/2026``."""
        return f"first={self.first:%d/%m/%Y}&last={self.last:%d/%m/%Y}"

    def years(self) -> range:
        return range(self.first.year, self.last.year + 1)


def in_force_on(day: datetime.date, *, start: str, end: str) -> Q:
    """A filter for rows whose ``start``..``end`` fields cover ``day``."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    )


def overlapping(first: datetime.date, last: datetime.date, *, start: str, end: str) -> Q:
    """A filter for rows in force on at least one day of ``first``..``last``."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": last})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def overlaps(start: datetime.date | None, end: datetime.date | None, period: Period) -> bool:
    """Whether something in force from ``start`` to ``end`` was so on at least one day of ``period``."""
    return (start is None or start <= period.last) and (end is None or end >= period.first)


def covers(day: datetime.date, start: datetime.date | None, end: datetime.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)

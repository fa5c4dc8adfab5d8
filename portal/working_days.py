"""Working days over the official calendar: weekends off, holidays off, make-up working Saturdays on.

Every deadline of the portal (a dossier's due date, an inquiry's reply date)
comes from here. The exceptions to the plain Monday–Friday week live in the
``CalendarDay`` table, which admins keep up to date each year.
"""

import bisect
import datetime
from itertools import accumulate

from portal.models import CalendarDay

ONE_DAY = datetime.timedelta(days=1)


class Calendar:
    """The working days of a span of dates, read from the database in one query."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.exceptions = dict(
            CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
        )
        self._counted: list[int] | None = None

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.exceptions.get(day)
        if kind == CalendarDay.Kind.DAY_OFF:
            return False
        if kind == CalendarDay.Kind.WORKING_DAY:
            return True
        return day.weekday() < 5

    def _working_days_to(self) -> list[int]:
        """Position i: how many working days fall from ``first`` to ``first`` + i days, both included;
        counted once, so that a report's thousands of deadlines each cost a lookup, not a walk."""
        if self._counted is None:
            span = (self.last - self.first).days + 1
            self._counted = list(
                accumulate(self.is_working_day(self.first + n * ONE_DAY) for n in range(span))
            )
        return self._counted

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days fall after ``start`` up to and including ``end``, both in the calendar."""
        counted = self._working_days_to()
        return counted[(end - self.first).days] - counted[(start - self.first).days]

    def nth_working_day_after(self, start: datetime.date, days: int) -> datetime.date | None:
        """The day that ends ``days`` (one or more) working days after ``start``; None past the calendar."""
        counted = self._working_days_to()
        # The first position where the count reaches the target is the working day that reaches it.
        position = bisect.bisect_left(counted, counted[(start - self.first).days] + days)
        return None if position == len(counted) else self.first + position * ONE_DAY


def _span_for(days: int) -> datetime.timedelta:
    # Room for weekends and the longest run of holidays (Tết: up to 9 days off in a row).
    return datetime.timedelta(days=days * 2 + 21)


def add_working_days(start: datetime.date, days: int, *, calendar: Calendar | None = None) -> datetime.date:
    """The day that ends ``days`` working days after ``start`` (``start`` itself does not count).

    With ``days`` 0 (or less) it is ``start`` itself, or the next working day when ``start`` is not one.
    ``calendar``: one already read from ``start`` on, to read none here while it lasts.
    """
    if calendar is None or not calendar.first <= start <= calendar.last:
        calendar = Calendar(start, start + _span_for(days))
    if days <= 0:
        day = start
        while not calendar.is_working_day(day):
            day += ONE_DAY
        return day
    while (found := calendar.nth_working_day_after(start, days)) is None:
        days -= calendar.working_days_between(start, calendar.last)
        start = calendar.last
        calendar = Calendar(start, start + _span_for(days))
    return found


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: Calendar | None = None
) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (negative if before).

    ``calendar``: one already read that covers the span, to read none here.
    """
    if end < start:
        return -working_days_between(end, start, calendar=calendar)
    if calendar is None or not (calendar.first <= start and end <= calendar.last):
        calendar = Calendar(start, end)
    return calendar.working_days_between(start, end)

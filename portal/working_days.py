"""Working days over the official calendar: weekends off, holidays off, make-up working Saturdays on.

Every deadline of the portal (a dossier's due date, an inquiry's reply date)
comes from here. The exceptions to the plain Monday–Friday week live in the
``CalendarDay`` table, which admins keep up to date each year.
"""

import datetime

from portal.models import CalendarDay

ONE_DAY = datetime.timedelta(days=1)


class Calendar:
    """The working days of a span of dates, read from the database in one query."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.exceptions = dict(
            CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
        )

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.exceptions.get(day)
        if kind == CalendarDay.Kind.DAY_OFF:
            return False
        if kind == CalendarDay.Kind.WORKING_DAY:
            return True
        return day.weekday() < 5


def _span_for(days: int) -> datetime.timedelta:
    # Room for weekends and the longest run of holidays (Tết: up to 9 days off in a row).
    return datetime.timedelta(days=days * 2 + 21)


def add_working_days(start: datetime.date, days: int, *, calendar: Calendar | None = None) -> datetime.date:
    """The day that ends ``days`` working days after ``start`` (``start`` itself does not count).

    With ``days`` 0 it is ``start`` itself, or the next working day when ``start`` is not one.
    ``calendar``: one already read from ``start`` on, to read none here while it lasts.
    """
    if calendar is None or not calendar.first <= start <= calendar.last:
        calendar = Calendar(start, start + _span_for(days))
    day = start
    if days == 0:
        while not calendar.is_working_day(day):
            day += ONE_DAY
        return day
    counted = 0
    while counted < days:
        day += ONE_DAY
        if day > calendar.last:
            calendar = Calendar(day, day + _span_for(days - counted))
        if calendar.is_working_day(day):
            counted += 1
    return day


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
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += calendar.is_working_day(day)
    return count

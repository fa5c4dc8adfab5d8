"""How late, or how soon due, in working days: the deadline badges of the queue and a dossier's page.

Which dossier is overdue, due today or due soon is decided once, in dossiers/models/dossiers.py
(``deadline_conditions``, read through ``Dossier.objects.with_deadline``); here only the working days
are counted, for what the badge says, on a calendar read once for the page.
"""

import datetime
from dataclasses import dataclass

from dossiers.models import Deadline, Dossier
from portal.working_days import Calendar

# A page reads the calendar this far either side of the day; a due date further away is counted
# over plain weekdays, which only shifts a count that is months long anyway.
WINDOW = datetime.timedelta(days=400)


def page_calendar(day: datetime.date) -> Calendar:
    """The calendar a page reads once, for its deadlines and their badges."""
    return Calendar(day - WINDOW, day + WINDOW)


@dataclass(frozen=True)
class Badge:
    flag: str  # a Deadline
    working_days: int  # working days late (overdue) or left (due soon); 0 when due today


def badge_of(dossier: Dossier, day: datetime.date, calendar: Calendar) -> Badge | None:
    """The badge of a dossier annotated ``with_deadline(day)``; None when it has no deadline."""
    if dossier.deadline == Deadline.OVERDUE:
        return Badge(dossier.deadline, _between(dossier.due_date, day, calendar))
    if dossier.deadline == Deadline.DUE_SOON:
        return Badge(dossier.deadline, _between(day, dossier.due_date, calendar))
    if dossier.deadline == Deadline.DUE_TODAY:
        return Badge(dossier.deadline, 0)
    return None


def _between(start: datetime.date, end: datetime.date, calendar: Calendar) -> int:
    """Working days after ``start`` up to ``end``; outside the calendar's span, plain weekdays."""
    day, count = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count

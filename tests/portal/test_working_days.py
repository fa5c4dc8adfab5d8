"""Working days over the official calendar that load_catalogue seeds (portal/catalogue.py).

Every expected date below was counted by hand on a wall calendar; the comments show the count.
``add_working_days(start, n)`` does not count ``start``; ``working_days_between(a, b)`` counts the
working days after ``a`` up to and including ``b``.
"""

import datetime

import pytest

from portal.catalogue import load_reference_data
from portal.models import CalendarDay
from portal.working_days import Calendar, add_working_days, working_days_between

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def calendar():
    load_reference_data()


def test_plain_weeks_without_the_calendar_table():
    # No holidays at all: only weekends are off.
    # Fri 07/03/2025 + 1 -> Sat, Sun off -> Mon 10/03.
    assert add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)
    # + 5 from Friday: Mon 10 (1), Tue 11 (2), Wed 12 (3), Thu 13 (4), Fri 14 (5).
    assert add_working_days(D(2025, 3, 7), 5) == D(2025, 3, 14)
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 14)) == 5


def test_weekends_with_the_calendar_loaded(calendar):
    # Starting on a Saturday: Sun off, Mon 10/03 (1), Tue 11/03 (2).
    assert add_working_days(D(2025, 3, 8), 2) == D(2025, 3, 11)
    # Fifteen working days from Mon 03/03/2025, a March without holidays: three weeks.
    assert add_working_days(D(2025, 3, 3), 15) == D(2025, 3, 24)
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 24)) == 15
    # Saturday to Sunday holds no working day.
    assert working_days_between(D(2025, 3, 8), D(2025, 3, 9)) == 0


def test_across_tet_2025(calendar):
    # Tết Ất Tỵ: Mon 27/01 to Fri 31/01 off, with the weekends 25–26/01 and 01–02/02 around it.
    # Fri 24/01 + 1: every day up to Sun 02/02 is off -> Mon 03/02.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    # Thu 23/01 + 3: Fri 24/01 (1), Mon 03/02 (2), Tue 04/02 (3).
    assert add_working_days(D(2025, 1, 23), 3) == D(2025, 2, 4)
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    # Fri 24/01 to Wed 05/02: Mon 03, Tue 04, Wed 05.
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3


def test_across_tet_2026(calendar):
    # Tết Bính Ngọ: Sat 14/02 to Sun 22/02, the five working days Mon 16 to Fri 20 off.
    # Fri 13/02 + 1 -> Mon 23/02.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # Thu 05/02 + 15: Fri 06 (1); Mon 09 – Fri 13 (2–6); Tết; Mon 23 – Fri 27 (7–11);
    # Mon 02/03 (12), Tue 03 (13), Wed 04 (14), Thu 05/03 (15). Without Tết it would be Thu 26/02.
    assert add_working_days(D(2026, 2, 5), 15) == D(2026, 3, 5)
    assert working_days_between(D(2026, 2, 5), D(2026, 3, 5)) == 15
    # The nine days of Tết count nothing.
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 22)) == 0


def test_across_a_make_up_working_saturday(calendar):
    # 2025: Fri 02/05 off, worked on Sat 26/04. Fri 25/04 + 1 -> Sat 26/04 itself.
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    # + 2: Sat 26 (1), Mon 28 (2); + 3: Tue 29 (3).
    assert add_working_days(D(2025, 4, 25), 2) == D(2025, 4, 28)
    assert add_working_days(D(2025, 4, 25), 3) == D(2025, 4, 29)
    # + 4: Wed 30/04, Thu 01/05, Fri 02/05 off, then the weekend -> Mon 05/05.
    assert add_working_days(D(2025, 4, 25), 4) == D(2025, 5, 5)
    assert working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 4
    # 2026: Fri 02/01 off, worked on Sat 10/01. Wed 31/12/2025 + 1 -> Mon 05/01/2026.
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    # Mon 05/01 to Mon 12/01/2026: Tue–Fri (4), Sat 10 (5), Mon 12 (6).
    assert working_days_between(D(2026, 1, 5), D(2026, 1, 12)) == 6
    # National Day 2026: Mon 31/08 off for Sat 22/08; 01–02/09 off. Fri 28/08 + 1 -> Thu 03/09.
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)


def test_a_holiday_on_a_sunday_is_made_up_on_monday(calendar):
    # Giỗ Tổ 2026 falls on Sun 26/04, so Mon 27/04 is off: Fri 24/04 + 1 -> Tue 28/04.
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_starting_on_a_holiday(calendar):
    # Mùng 1 Tết 2025 (Wed 29/01) + 1: Thu 30, Fri 31 off, weekend -> Mon 03/02.
    assert add_working_days(D(2025, 1, 29), 1) == D(2025, 2, 3)
    # From a holiday the first working day counts as one.
    assert working_days_between(D(2025, 1, 29), D(2025, 2, 3)) == 1


def test_zero_days(calendar):
    # Zero days from a working day is that day; from a day off, the next working day.
    assert add_working_days(D(2025, 3, 7), 0) == D(2025, 3, 7)
    assert add_working_days(D(2025, 3, 8), 0) == D(2025, 3, 10)
    assert add_working_days(D(2025, 1, 29), 0) == D(2025, 2, 3)
    # A make-up Saturday is itself a working day.
    assert add_working_days(D(2025, 4, 26), 0) == D(2025, 4, 26)
    assert working_days_between(D(2025, 1, 29), D(2025, 1, 29)) == 0


def test_counting_backwards_is_negative(calendar):
    assert working_days_between(D(2026, 3, 5), D(2026, 2, 5)) == -15


def test_a_whole_year_2025(calendar):
    # 2025 has 261 weekdays (365 days from a Wednesday). Off among them: 01/01, 27–31/01 (5), 07/04,
    # 30/04, 01/05, 02/05, 01/09, 02/09 – twelve; worked: Saturday 26/04. 261 - 12 + 1 = 250.
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 250
    # Thu 02/01/2025 is the first of them, so 249 follow it in 2025; the 250th after it is the first
    # working day of 2026: Thu 01/01 and Fri 02/01 (swapped) off, then the weekend -> Mon 05/01/2026.
    assert add_working_days(D(2025, 1, 2), 250) == D(2026, 1, 5)


def test_admins_edit_the_calendar(calendar):
    # An extra day off (say, a provincial event) is counted at once.
    CalendarDay.objects.create(date=D(2025, 3, 10), name="Nghỉ theo quyết định của tỉnh")
    assert add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 11)


def walk(calendar: Calendar, start: datetime.date, days: int) -> datetime.date:
    """The reference: step a day at a time, counting the working days."""
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        counted += calendar.is_working_day(day)
    return day


def test_the_counted_calendar_agrees_with_a_walk_day_by_day(calendar):
    whole = Calendar(D(2024, 6, 1), D(2027, 6, 30))
    for offset in range(0, 600, 3):  # every third day from June 2024, Tết 2025 and 2026 among them
        start = D(2024, 6, 1) + datetime.timedelta(days=offset)
        for days in (1, 2, 5, 15, 45, 120):
            expected = walk(whole, start, days)
            assert add_working_days(start, days) == expected, (start, days)
            # A calendar read for a short span only: the count carries on past its end.
            short = Calendar(start, start + datetime.timedelta(days=3))
            assert add_working_days(start, days, calendar=short) == expected, (start, days)
            assert add_working_days(start, days, calendar=whole) == expected, (start, days)
            assert working_days_between(start, expected, calendar=whole) == days
            assert working_days_between(start, expected) == days
            assert working_days_between(expected, start) == -days

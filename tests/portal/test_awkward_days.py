"""No test depends on today's date: the demo and the period logic hold on awkward days.

Each day below is one on which date arithmetic tends to go wrong: the last day of a month, of a
quarter and of a year, a leap day, the day the 2025 administrative reform took effect, and a day
on which an earlier demo generator planned two activities with one natural key and silently
dropped the second.
"""

import calendar
import datetime
from collections import Counter
from fractions import Fraction

import pytest
from django.apps import apps

from demo.building import DemoReport, build_demo
from dossiers.models import Dossier
from portal.periods import Period
from portal.targets import pro_rate
from reports.periods import PeriodKind, ReviewPeriod
from reports.schedule import BUILD_DELAY_DAYS, due_periods
from teamwork.models import Activity

DAYS = [
    pytest.param(datetime.date(2026, 11, 30), id="last-day-of-a-month"),
    pytest.param(datetime.date(2026, 9, 30), id="last-day-of-a-quarter"),
    pytest.param(datetime.date(2026, 12, 31), id="last-day-of-a-year"),
    pytest.param(datetime.date(2028, 2, 29), id="leap-day"),
    pytest.param(datetime.date(2025, 7, 1), id="reform-day"),
    pytest.param(datetime.date(2026, 12, 3), id="day-an-activity-was-dropped"),
]

ONE_DAY = datetime.timedelta(days=1)
MONTHS = {
    PeriodKind.MONTHLY: 1,
    PeriodKind.QUARTERLY: 3,
    PeriodKind.SIX_MONTHS: 6,
    PeriodKind.NINE_MONTHS: 9,
    PeriodKind.ANNUAL: 12,
}
# The kinds whose periods run from the first of January, whatever the day.
CUMULATIVE = (PeriodKind.SIX_MONTHS, PeriodKind.NINE_MONTHS, PeriodKind.ANNUAL)
MODELS = {model.__name__: model for model in apps.get_models()}


# --- The demo ----------------------------------------------------------------------------------------------


def created_by_model(report: DemoReport) -> Counter:
    """Rows the demo says it created, by model name, over the ground's part and every app's part."""
    ground = report.parts["ground"]
    created = Counter({"AdminUnit": ground.units.created}) + ground.catalogue.created
    for counts in [report.rows, *(part.rows for part in report.parts.values() if hasattr(part, "rows"))]:
        created.update({model: count for (model, outcome), count in counts.items() if outcome == "created"})
    return created


def table_sizes(names) -> dict[str, int]:
    return {name: MODELS[name].objects.count() for name in names}


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS)
def test_the_demo_loses_nothing_it_created_and_a_second_run_creates_nothing(
    day, set_today, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the demo's documents
    set_today(day)

    report = build_demo()

    assert report.parts["teamwork"].rows["Activity", "created"] == Activity.objects.count() > 0
    # The one-stop shop's dossiers, and the fund-loan dossiers the funds' story files (issue 13): the fund's
    # part reports those, wherever its story ran (the dossiers part's decisions hook writes the funds first).
    dossiers = report.parts["dossiers"].rows["Dossier", "created"]
    assert dossiers > 0
    assert dossiers + report.parts["fund"].rows["Dossier", "created"] == Dossier.objects.count()
    # The database was empty and the demo alone writes these tables (Target: two parts of it).
    created = created_by_model(report)
    assert table_sizes(created) == dict(created)

    again = build_demo()

    assert +created_by_model(again) == Counter()
    assert table_sizes(created) == dict(created)


# --- The periods -------------------------------------------------------------------------------------------


def months_of(period: ReviewPeriod) -> int:
    return 12 * (period.last.year - period.first.year) + period.last.month - period.first.month + 1


def following(period: ReviewPeriod) -> ReviewPeriod:
    """The period of the same kind whose ``previous()`` is ``period``."""
    if period.kind in CUMULATIVE:
        return ReviewPeriod.containing(period.kind, period.first.replace(year=period.first.year + 1))
    return ReviewPeriod.containing(period.kind, period.last + ONE_DAY)


def assert_whole_months(period: ReviewPeriod, kind: str) -> None:
    assert period.kind == kind
    assert period.first.day == 1 and (period.last + ONE_DAY).day == 1, period
    assert months_of(period) == MONTHS[kind], period
    if kind == PeriodKind.QUARTERLY:
        assert period.first.month in (1, 4, 7, 10), period
    if kind in CUMULATIVE:
        assert period.first.month == 1, period


@pytest.mark.parametrize("kind", PeriodKind.values)
@pytest.mark.parametrize("day", DAYS)
def test_the_period_containing_the_day_and_the_one_before(day, kind):
    period = ReviewPeriod.containing(kind, day)

    assert_whole_months(period, kind)
    if kind in CUMULATIVE:
        # The first six or nine months of the day's year, which the day may lie after.
        assert period.first == datetime.date(day.year, 1, 1)
        assert (period.first <= day <= period.last) == (day.month <= MONTHS[kind])
    else:
        assert period.first <= day <= period.last

    previous = period.previous()
    assert_whole_months(previous, kind)
    if kind in CUMULATIVE:
        # The same months of the year before.
        assert (previous.first, previous.last) == (
            period.first.replace(year=day.year - 1),
            period.last.replace(year=day.year - 1),
        )
    else:
        assert previous.last == period.first - ONE_DAY


@pytest.mark.parametrize("kind", PeriodKind.values)
@pytest.mark.parametrize("day", DAYS)
def test_the_last_period_that_ended_before_the_day(day, kind):
    ended = ReviewPeriod.last_ended(kind, day)

    assert_whole_months(ended, kind)
    assert ended.last < day
    # The latest such: the next period of its kind has not ended before the day.
    after = following(ended)
    assert after.previous() == ended
    assert after.last >= day


@pytest.mark.parametrize("day", DAYS)
def test_the_periods_due_on_the_day_ended_at_least_the_build_delay_before(day):
    due = due_periods(day)

    assert [period.kind for period in due] == PeriodKind.values
    latest_end = day - datetime.timedelta(days=BUILD_DELAY_DAYS)
    for period in due:
        assert_whole_months(period, period.kind)
        assert period.last <= latest_end, period
        # None later is due yet: the next period of the kind ended less than the delay ago, or not at all.
        assert following(period).last > latest_end, period


# --- Targets pro-rated by days -----------------------------------------------------------------------------


@pytest.mark.parametrize("day", DAYS)
def test_a_years_target_pro_rated_by_the_days_of_its_year(day):
    year = day.year
    days_in_year = 366 if calendar.isleap(year) else 365
    whole_year = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    so_far = Period(datetime.date(year, 1, 1), day)
    day_of_year = day.timetuple().tm_yday

    assert whole_year.days == days_in_year
    assert so_far.days == day_of_year
    assert pro_rate({year: 30}, whole_year) == 30
    # A target of one a day comes to the day of the year, leap day included.
    assert pro_rate({year: days_in_year}, so_far) == day_of_year
    assert pro_rate({year: 30}, so_far) == Fraction(30 * day_of_year, days_in_year)
    # The days up to the next new year touch a year without a target: no target for them.
    into_next_year = Period(day, datetime.date(year + 1, 1, 1))
    assert list(into_next_year.years()) == [year, year + 1]
    assert pro_rate({year: 30}, into_next_year) is None


def test_the_leap_day_counts_in_a_year_of_366_days():
    up_to_the_leap_day = Period(datetime.date(2028, 1, 1), datetime.date(2028, 2, 29))
    assert pro_rate({2028: 366}, up_to_the_leap_day) == 60
    assert pro_rate({2028: 61}, up_to_the_leap_day) == 10

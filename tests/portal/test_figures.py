"""The stored daily figures (portal/figures.py): a span's sum read from whole months and single days
equals the sum of its days, on the awkward days too; a refresh and a rebuild write what the source counts.
A stock is stored on each month's last day and the day of the rebuild; read on any day, stored or not,
it is what the rows give.

The one-stop shop's figures, kept by its services, are tested in tests/dossiers/test_daily_figures.py;
the fund's stock in tests/fund/test_daily_figures.py.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import figures
from portal.models import DailyFigure, StockDay
from tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST, LAST = D(2023, 12, 1), D(2026, 1, 31)


class Counter:
    """A source whose raw rows are the figures it is given: ``value(day)`` for each unit and day."""

    measures = ("test.visits", "test.calls")

    def __init__(self, unit_ids: list[int]):
        self.unit_ids = unit_ids

    @staticmethod
    def value(unit_id: int, day: datetime.date, measure: str) -> int:
        # Some days hold nothing, so that months start and end on empty days too.
        return (day.toordinal() * 7 + unit_id + len(measure)) % 5

    def count(self, unit_ids, first, last):
        day = max(first or FIRST, FIRST)
        while day <= min(last or LAST, LAST):
            for unit_id in self.units(unit_ids):
                for measure in self.measures:
                    yield measure, unit_id, day, unit_id % 2, self.value(unit_id, day, measure)
            day += datetime.timedelta(days=1)

    def units(self, unit_ids) -> list[int]:
        return [unit_id for unit_id in self.unit_ids if unit_ids is None or unit_id in unit_ids]

    def total(self, unit_id: int, measure: str, first: datetime.date, last: datetime.date) -> int:
        days = (last - first).days + 1
        return sum(self.value(unit_id, first + datetime.timedelta(days=n), measure) for n in range(days))


@pytest.fixture
def counter() -> Counter:
    source = Counter([AdminUnitFactory().pk, AdminUnitFactory().pk])
    figures.rebuild([source])
    return source


AWKWARD_SPANS = [
    (D(2024, 2, 29), D(2024, 2, 29)),  # a leap day
    (D(2024, 2, 1), D(2024, 2, 29)),  # a leap February, whole
    (D(2024, 1, 1), D(2024, 3, 31)),  # a quarter
    (D(2024, 12, 31), D(2025, 1, 1)),  # across a year's end
    (D(2025, 6, 30), D(2025, 7, 1)),  # across the reform
    (D(2025, 7, 1), D(2025, 9, 30)),  # the first quarter after it
    (D(2025, 4, 1), D(2025, 12, 4)),  # a year to a day, from a quarter's start
    (D(2024, 3, 31), D(2024, 4, 30)),  # a month's last day to the next month's
    (D(2024, 1, 1), D(2025, 12, 31)),  # two years
    (D(2023, 1, 1), D(2023, 12, 31)),  # a year mostly before the first figure
]


def test_a_span_sums_its_months_and_days(counter):
    spans = {f"span{n}": span for n, span in enumerate(AWKWARD_SPANS)}
    totals = figures.sums(Counter.measures, counter.unit_ids, spans)
    for which, (first, last) in spans.items():
        for unit_id in counter.unit_ids:
            for measure in Counter.measures:
                expected = counter.total(unit_id, measure, max(first, FIRST), min(last, LAST))
                assert totals.get((which, measure, unit_id, unit_id % 2), 0) == expected, (which, measure)


def test_random_spans_sum_their_days(counter):
    rng = random.Random(20251231)
    for _ in range(40):
        first = FIRST + datetime.timedelta(days=rng.randrange(0, (LAST - FIRST).days))
        last = first + datetime.timedelta(days=rng.randrange(0, 400))
        totals = figures.sums(["test.visits"], counter.unit_ids, {"span": (first, last)})
        unit_id = counter.unit_ids[0]
        expected = counter.total(unit_id, "test.visits", first, min(last, LAST))
        assert totals.get(("span", "test.visits", unit_id, unit_id % 2), 0) == expected, (first, last)


def test_the_rows_are_the_days_and_their_months(counter):
    unit_id = counter.unit_ids[0]
    months = DailyFigure.objects.filter(unit_id=unit_id, measure="test.visits", grain="month")
    assert months.count() == 26  # December 2023 to January 2026
    february = months.get(day=D(2024, 2, 1))
    assert february.value == counter.total(unit_id, "test.visits", D(2024, 2, 1), D(2024, 2, 29))
    assert not DailyFigure.objects.filter(value=0).exists()
    assert figures.differences([counter]) == []


def test_a_refresh_counts_the_unit_s_months_again(counter, monkeypatch):
    unit_id, other = counter.unit_ids
    before_other = list(DailyFigure.objects.filter(unit_id=other).values_list("day", "value", "grain"))
    monkeypatch.setattr(Counter, "value", staticmethod(lambda unit_id, day, measure: 1))
    figures.refresh(counter, unit_id, [D(2024, 2, 29)])
    assert figures.sums(["test.calls"], [unit_id], {"february": (D(2024, 2, 1), D(2024, 2, 29))}) == {
        ("february", "test.calls", unit_id, unit_id % 2): 29
    }
    # Only the unit's days of that month were counted again: the other months, and the other unit, wait
    # for the nightly rebuild.
    assert figures.differences([counter]) != []
    assert (
        list(DailyFigure.objects.filter(unit_id=other).values_list("day", "value", "grain")) == before_other
    )
    figures.rebuild([counter])
    assert figures.differences([counter]) == []


class Balance:
    """A stock whose value on a day, for each unit, is ``value(unit, day)``: what its rows hold then."""

    key = "test.balance"
    measures = ("test.balance",)
    first = D(2024, 1, 15)

    def __init__(self, unit_ids: list[int]):
        self.unit_ids = unit_ids

    @staticmethod
    def value(unit_id: int, day: datetime.date) -> int:
        return (day - Balance.first).days * 10 + unit_id

    def since(self) -> datetime.date:
        return self.first

    def count_on(self, unit_ids, days):
        for day in days:
            for unit_id in self.unit_ids if unit_ids is None else set(self.unit_ids) & set(unit_ids):
                yield "test.balance", unit_id, day, 0, self.value(unit_id, day) if day >= self.first else 0


@pytest.fixture
def balance(set_today) -> Balance:
    set_today(D(2024, 3, 10))
    stock = Balance([AdminUnitFactory().pk, AdminUnitFactory().pk])
    figures.rebuild(stocks=[stock])
    return stock


@pytest.mark.parametrize(
    ("since", "until", "days"),
    [
        (D(2024, 1, 15), D(2024, 3, 10), [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 10)]),  # a leap year
        (D(2025, 4, 1), D(2025, 6, 30), [D(2025, 4, 30), D(2025, 5, 31), D(2025, 6, 30)]),  # a quarter's end
        (D(2025, 6, 30), D(2025, 7, 1), [D(2025, 6, 30), D(2025, 7, 1)]),  # across the reform
        (D(2025, 12, 31), D(2026, 1, 1), [D(2025, 12, 31), D(2026, 1, 1)]),  # across a year's end
        (D(2026, 2, 28), D(2026, 2, 28), [D(2026, 2, 28)]),
        (D(2026, 3, 1), D(2026, 2, 28), [D(2026, 2, 28)]),  # nothing yet
        (None, D(2026, 2, 28), [D(2026, 2, 28)]),
    ],
)
def test_a_stock_is_stored_on_each_month_s_last_day_and_the_day_of_the_rebuild(since, until, days):
    assert figures.stock_days(since, until) == days


def test_a_stock_is_read_where_stored_and_counted_where_not(balance):
    unit_ids = balance.unit_ids
    assert sorted(StockDay.objects.values_list("day", flat=True)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 10),
    ]
    stored_days = [D(2024, 2, 29), D(2024, 3, 10)]
    with CaptureQueriesContext(connection) as queries:
        stored = figures.values_on(balance, unit_ids, stored_days)
    assert len(queries) == 2  # the days stored, then their values
    assert stored == {
        (day, "test.balance", unit_id, 0): balance.value(unit_id, day)
        for day in stored_days
        for unit_id in unit_ids
    }
    days = [D(2024, 1, 14), D(2024, 2, 15), D(2024, 2, 29), D(2024, 7, 1)]
    assert figures.values_on(balance, unit_ids[:1], days) == {
        (day, "test.balance", unit_ids[0], 0): balance.value(unit_ids[0], day) for day in days[1:]
    }
    assert figures.differences(stocks=[balance]) == []


def test_a_refresh_counts_the_unit_s_stock_again_on_every_stored_day(balance, monkeypatch):
    unit_id, other = balance.unit_ids
    before_other = list(DailyFigure.objects.filter(unit_id=other).values_list("day", "value"))
    monkeypatch.setattr(Balance, "value", staticmethod(lambda unit_id, day: 7))
    figures.refresh_stock(balance, unit_id)
    assert sorted(DailyFigure.objects.filter(unit_id=unit_id).values_list("day", "value", "grain")) == [
        (D(2024, 1, 31), 7, "on"),
        (D(2024, 2, 29), 7, "on"),
        (D(2024, 3, 10), 7, "on"),
    ]
    assert list(DailyFigure.objects.filter(unit_id=other).values_list("day", "value")) == before_other
    assert {difference.unit_id for difference in figures.differences(stocks=[balance])} == {other}


def test_a_refresh_from_a_day_leaves_the_days_before_it(balance, monkeypatch):
    unit_id = balance.unit_ids[0]
    monkeypatch.setattr(Balance, "value", staticmethod(lambda unit_id, day: 7))
    figures.refresh_stock(balance, unit_id, since=D(2024, 2, 29))
    assert sorted(DailyFigure.objects.filter(unit_id=unit_id).values_list("day", "value")) == [
        (D(2024, 1, 31), (D(2024, 1, 31) - Balance.first).days * 10 + unit_id),
        (D(2024, 2, 29), 7),
        (D(2024, 3, 10), 7),
    ]


def test_the_nightly_job_stores_the_stock_on_the_new_day(balance, monkeypatch, set_today, caplog):
    monkeypatch.setattr(figures, "installed_sources", lambda: [])
    monkeypatch.setattr(figures, "installed_stocks", lambda: [balance])
    set_today(D(2024, 4, 1), datetime.time(1, 45))
    assert figures.check_and_rebuild() == []
    # 10 March was the last rebuild's day; 31 March has ended since.
    assert sorted(StockDay.objects.values_list("day", flat=True)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 1),
    ]
    monkeypatch.setattr(
        Balance, "value", staticmethod(lambda unit_id, day: 7)
    )  # rows changed behind its back
    set_today(D(2024, 4, 2), datetime.time(1, 45))
    found = figures.check_and_rebuild()
    assert {(difference.day, difference.counted) for difference in found} == {
        (day, 7) for day in (D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 1))
    }
    assert "stored daily figures differed from the rows" in caplog.text
    assert figures.differences(stocks=[balance]) == []


def test_a_rebuild_counts_a_batch_of_units_to_a_transaction(balance, counter, monkeypatch, set_today):
    """A writer waits for one batch of units, not for the province; between the batches, the new day is
    counted from the rows until every unit has it, and a refresh keeps it current where it is written."""
    locked = []
    lock_units = figures._lock_units
    monkeypatch.setattr(figures, "UNITS_AT_ONCE", 1)
    monkeypatch.setattr(
        figures, "_lock_units", lambda unit_ids: locked.append(unit_ids) or lock_units(unit_ids)
    )
    set_today(D(2024, 4, 1), datetime.time(1, 45))
    figures.rebuild([counter], [balance])
    assert all(len(unit_ids) == 1 for unit_ids in locked)
    assert {unit_id for unit_ids in locked for unit_id in unit_ids} >= {*balance.unit_ids, *counter.unit_ids}
    assert figures.stored_days(balance) == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 1)]
    assert not DailyFigure.objects.filter(
        measure="test.balance", day=D(2024, 3, 10)
    ).exists()  # the last rebuild's day
    assert figures.differences([counter], [balance]) == []


def test_a_refresh_before_the_nightly_job_keeps_today_current(balance, monkeypatch, set_today):
    unit_id, other = balance.unit_ids
    set_today(D(2024, 3, 11), datetime.time(0, 30))
    monkeypatch.setattr(Balance, "value", staticmethod(lambda unit_id, day: 7))
    figures.refresh_stock(balance, unit_id)
    assert DailyFigure.objects.get(unit_id=unit_id, day=D(2024, 3, 11)).value == 7
    # Today is not listed yet: it is counted from the rows, and the check reads the listed days only.
    assert figures.values_on(balance, [other], [D(2024, 3, 11)]) == {
        (D(2024, 3, 11), "test.balance", other, 0): 7
    }
    assert {difference.unit_id for difference in figures.differences(stocks=[balance])} == {other}

"""The stored daily figures (portal/figures.py): a span's sum read from whole months and single days
equals the sum of its days, on the awkward days too; a refresh and a rebuild write what the source counts.

The one-stop shop's figures, kept by its services, are tested in tests/dossiers/test_daily_figures.py.
"""

import datetime
import random

import pytest

from portal import figures
from portal.models import DailyFigure
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
            for unit_id in self.unit_ids if unit_ids is None else unit_ids:
                for measure in self.measures:
                    yield measure, unit_id, day, unit_id % 2, self.value(unit_id, day, measure)
            day += datetime.timedelta(days=1)

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

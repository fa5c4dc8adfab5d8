"""Lists' counts kept for a minute (portal/paging.py): shared only by the same query, made again when out
of date, and checked by each page against the rows it finds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.models import AdminUnit
from portal.paging import FRESH_FOR, Kept, ListPaginator, count_of, kept_html
from tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 5


def units():
    return AdminUnit.objects.filter(name__startswith="Xã Phân Trang").order_by("code")


def make(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        AdminUnitFactory(code=f"P{n:04d}", name=f"Xã Phân Trang {n}")


def page(number, rows=None):
    """The page and the queries it took: the count (when not kept) and the rows."""
    with CaptureQueriesContext(connection) as queries:
        shown = ListPaginator(units() if rows is None else rows, PER_PAGE).get_page(number)
    return shown, len(queries)


def test_a_count_is_kept_for_the_next_reader_of_the_same_query():
    make(12)
    first, queries = page(1)
    assert (first.paginator.count, first.paginator.num_pages, queries) == (12, 3, 2)
    again, queries = page(2)
    assert (again.paginator.count, [unit.code for unit in again], queries) == (
        12,
        ["P0005", "P0006", "P0007", "P0008", "P0009"],
        1,
    )


def test_another_query_has_a_count_of_its_own():
    make(12)
    page(1)
    fewer, queries = page(1, units().filter(code__lt="P0003"))
    assert (fewer.paginator.count, len(fewer), queries) == (3, 3, 2)


def test_a_kept_count_is_made_again_after_a_minute(clock):
    make(12)
    page(1)
    make(1, start=12)
    kept, _ = page(1)
    assert kept.paginator.count == 12  # a middle page cannot tell: the count may be a minute old
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    counted, queries = page(1)
    assert (counted.paginator.count, queries) == (13, 2)


def test_a_last_page_with_rows_after_it_counts_again():
    make(10)
    page(1)
    make(3, start=10)
    last, queries = page(2)  # page 2 of the kept two; there is a third
    assert (last.paginator.count, last.paginator.num_pages, len(last), queries) == (13, 3, 5, 2)
    assert page(3)[0].paginator.count == 13  # and the count made again is kept for the next reader


@pytest.mark.parametrize(
    ("removed", "shown_number", "codes"), [(1, 3, [10]), (5, 2, [5, 6]), (8, 1, [0, 1, 2, 3])]
)
def test_a_page_that_ends_early_counts_again(removed, shown_number, codes):
    make(12)
    page(1)
    units().filter(code__gte=f"P{12 - removed:04d}").delete()
    shown, _ = page(3)
    assert (shown.paginator.count, shown.number) == (12 - removed, shown_number)
    assert [unit.code for unit in shown] == [f"P{n:04d}" for n in codes]


def test_a_single_page_is_always_counted_right():
    make(2)
    page(1)
    make(1, start=2)
    shown, _ = page(1)
    assert (shown.paginator.count, len(shown)) == (3, 3)
    AdminUnit.objects.filter(name__startswith="Xã Phân Trang").delete()
    empty, _ = page(1)
    assert (empty.paginator.count, len(empty), empty.paginator.num_pages) == (0, 0, 1)


def test_a_page_beyond_the_last_shows_the_last():
    make(7)
    shown, _ = page(9)
    assert (shown.number, [unit.code for unit in shown]) == (2, ["P0005", "P0006"])


def test_kept_values_are_told_apart_by_their_sql_and_parameters():
    one = Kept.of(units().filter(code="P0001"), count_of)
    two = Kept.of(units().filter(code="P0002"), count_of)
    assert one.key != two.key
    assert one.key == Kept.of(units().filter(code="P0001"), count_of).key


class DownCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("the cache is down")

    set = get


def test_a_cache_that_is_down_costs_the_count_not_the_page(monkeypatch, caplog):
    make(7)
    monkeypatch.setattr("portal.paging.cache", DownCache())
    shown, queries = page(2)
    assert (shown.paginator.count, [unit.code for unit in shown], queries) == (7, ["P0005", "P0006"], 2)
    assert "The cache could not be read" in caplog.text


def test_the_html_over_kept_figures_is_kept_per_language_and_per_readers_links():
    figures = Kept("kept:test-figures", lambda: 1)
    figures.value()
    counted = {"counted_at": figures.moment}
    later = {"counted_at": figures.moment + datetime.timedelta(hours=2)}

    first = kept_html(figures, "portal/_counted_at.html", counted, varies=[1, 2])
    again = kept_html(figures, "portal/_counted_at.html", later, varies=[1, 2])
    other_links = kept_html(figures, "portal/_counted_at.html", later, varies=[1])
    with translation.override("en"):
        english = kept_html(figures, "portal/_counted_at.html", counted, varies=[1, 2])

    assert again == first != other_links
    assert "Số liệu tính lúc" in first
    assert "Figures counted at" in english


def test_the_html_over_figures_made_each_time_is_written_each_time():
    figures = Kept(None, lambda: 1)
    figures.value()
    first = kept_html(figures, "portal/_counted_at.html", {"counted_at": figures.moment})
    later = kept_html(
        figures, "portal/_counted_at.html", {"counted_at": figures.moment + datetime.timedelta(hours=2)}
    )
    assert first != later

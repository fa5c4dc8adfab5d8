"""Pages of a list, and counts of a list (and a unit's figures) kept for a minute.

Every list of the portal shows how many rows it holds and pages through them. Counting is a scan of
the reader's whole scope: at a province's scale it cost more than the page of rows itself, and a
council member paging through the queue paid it on each page. So a count is kept in the cache for
``FRESH_FOR`` seconds (``Kept``) under the digest of its own SQL: two readers whose lists are the same
query (the same scope, filters and day) share it, and no reader can ever see another query's count.

The figures of a unit over a period (the dashboard, the spread of support, the teams' work) are
kept the same way, by unit and period (``kept_over``), and their pages say when they were counted. A
province's are hundreds of rows and thousands of numbers, so the HTML written over them is kept beside
them, in each language (``kept_html``).

The rows are always read live; only the figures may be up to a minute old. A page also checks its
count against the rows it finds: a page that ends early, or a last page with more rows after it, shows
that the list changed, and the count is made again at once (``ListPaginator``).
"""

import datetime
import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet, Value
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

FRESH_FOR = 60  # seconds a count is kept

logger = logging.getLogger(__name__)


class Kept:
    """What ``make()`` gives, from the cache when made at most ``FRESH_FOR`` seconds ago under the same
    ``key`` (None: made each time). ``moment`` is when the value given was made."""

    def __init__(self, key: str | None, make: Callable[[], object]):
        self.key, self.make = key, make
        self.moment: datetime.datetime | None = None
        self._value = None
        self._held = False

    @classmethod
    def of(cls, queryset: QuerySet, make: Callable[[QuerySet], object], *, varies: tuple = ()) -> "Kept":
        """``make(queryset)``, kept under the digest of the query, so that only a reader whose query is the
        same shares it. ``varies``: what else the value depends on (the language of its labels...). A
        query known to be empty (``none()``) is made each time: it costs nothing."""
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            key = None
        else:
            digest = hashlib.sha256(f"{queryset.db}\n{sql}\n{params!r}\n{varies!r}".encode()).hexdigest()
            key = f"kept:{make.__name__}:{digest}"
        return cls(key, lambda: make(queryset))

    def value(self, *, fresh: bool = False):
        """The kept value; made again when ``fresh`` (and kept again for the next readers)."""
        if fresh or not self._held:
            kept = None if fresh else self._read()
            if kept is None:
                kept = self._make_and_keep()
            self.moment, self._value = kept
            self._held = True
        return self._value

    def _read(self) -> tuple | None:
        if self.key is None:
            return None
        try:
            kept = cache.get(self.key)
        except Exception:  # a cache that is down costs the count, never the page
            logger.warning("The cache could not be read; the value is made again.", exc_info=True)
            return None
        # The moment goes with the value: the portal's clock decides what is fresh, whatever the
        # cache backend's own expiry does.
        now = timezone.now()
        if kept is None or not now - datetime.timedelta(seconds=FRESH_FOR) <= kept[0] <= now:
            return None
        return kept

    def _make_and_keep(self) -> tuple:
        kept = (timezone.now(), self.make())
        if self.key is not None:
            try:
                cache.set(self.key, kept, FRESH_FOR)
            except Exception:  # as in _read
                logger.warning("The cache could not be written; the value is not kept.", exc_info=True)
        return kept


def kept_over(name: str, count: Callable, unit, first: datetime.date, last: datetime.date) -> Kept:
    """``count(unit, first, last)``: the figures of a unit over a period (a dashboard, a page of figures),
    kept under ``name`` for every reader of that unit and period; each reader's right to the unit is
    checked before it is read."""
    key = f"kept:{name}:{unit.pk}:{first.isoformat()}:{last.isoformat()}"
    return Kept(key, lambda: count(unit, first, last))


def kept_html(kept: Kept, template: str, context: dict, *, varies=()) -> str:
    """``template`` written over the figures ``kept`` holds, kept beside them: for the figures of that
    moment, in the reader's language, and ``varies``: what else of the reader's it shows (the units whose
    links they may follow). The template must show nothing else of the reader's or the request's."""
    kept.value()  # its moment
    key = None
    if kept.key is not None:
        digest = hashlib.sha256(repr(varies).encode()).hexdigest()
        key = f"{kept.key}:html:{template}:{kept.moment.isoformat()}:{get_language()}:{digest}"
    html = Kept(key, lambda: render_to_string(template, context))
    return mark_safe(html.value())  # noqa: S308 (the template escaped what it shows)


def totals(queryset: QuerySet, **aggregates) -> QuerySet:
    """``queryset.aggregate(**aggregates)`` as a query of one row (no GROUP BY), which can be ``Kept``
    with ``one_row``."""
    return queryset.order_by().values(one=Value(1)).annotate(**aggregates).values(*aggregates)


def one_row(queryset: QuerySet) -> dict:
    """The one row of ``totals``; an empty query's counts are zero."""
    rows = list(queryset)
    return rows[0] if rows else dict.fromkeys(queryset.query.annotation_select, 0)


def count_of(queryset: QuerySet) -> int:
    return queryset.count()


def rows_of(page_rows, queryset: QuerySet) -> list:
    """The rows of ``queryset`` that a page holds, in the page's order.

    A list whose rows are read with much beside them (joined rows, annotations) pages a query of its
    ids in order, then reads its 50 rows from ``queryset``: sorting the scope's rows with all they
    show cost more than the page itself (PostgreSQL planned and joined every inquiry of a province to
    sort them). The ids are those of a query that started at the reader's ``visible_to``, so ``queryset``
    does not repeat the scope: SQLite read every project of a province again to find 50 plans by id
    within it."""
    found = queryset.in_bulk([row.pk for row in page_rows])
    return [found[row.pk] for row in page_rows if row.pk in found]


class ListPaginator(Paginator):
    """A ``Paginator`` whose count is kept (by default ``Kept.of(rows, count_of)``, without the order),
    or told by ``counted(fresh=…)``, and made again when the page finds it out of date."""

    def __init__(self, object_list, per_page, *, counted: Callable[..., int] | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = counted or Kept.of(object_list.order_by(), count_of).value
        self.__dict__["count"] = self.counted(fresh=False)  # ``Paginator.count`` is a cached property
        self.recounted = False

    def page(self, number):
        number = self.validate_number(number)
        rows = self._rows(number)
        if not self.recounted and self._out_of_date(number, rows):
            self.__dict__["count"] = self.counted(fresh=True)
            self.__dict__.pop("num_pages", None)
            self.recounted = True
            if number > self.num_pages:
                number = self.num_pages
                rows = self._rows(number)
        return self._get_page(rows[: self.per_page], number, self)

    def _rows(self, number: int) -> list:
        """The page's rows and one more: whether the last page really is the last."""
        bottom = (number - 1) * self.per_page
        return list(self.object_list[bottom : bottom + self.per_page + 1])

    def _out_of_date(self, number: int, rows: list) -> bool:
        if number == self.num_pages:
            return len(rows) != self.count - (number - 1) * self.per_page
        return len(rows) < self.per_page

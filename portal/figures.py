"""Stored daily figures, as DHIS2's analytics tables: each app's counts per unit, local day and measure.

A report section that counts a province's rows for every reader and period reads them here instead:
the sums of a few thousand stored values rather than a scan of every dossier. An app lists its sources
in ``SOURCES`` in its ``daily_figures`` module. A source has

- ``measures``: the names of what it counts, ``"<app>.<name>"``;
- ``count(unit_ids, first, last)``: the values from the raw rows, as ``(measure, unit id, day, subject,
  value)`` for the units given (None: every unit) and the days ``first``..``last`` (None: no bound),
  leaving out the values that are 0. It is the one definition of the figures: the rebuild, the check
  and the services' updates all call it.

The figures are kept current three ways, all through ``count``:

- a service that changes counted rows calls ``refresh`` for the unit and days it touched, in its own
  transaction, so a section read after it commits sees the change;
- ``rebuild`` counts everything again: after a bulk load (the demo, the synthetic province), by the
  command ``rebuild_daily_figures`` and by the nightly job, which first checks (``differences``) and
  logs what it finds different, since a difference means a writer went round the services.

A refresh and a rebuild lock the units they count, so that two of them never write the same figures
at once and each counts the rows committed before it. A rebuild counts ``UNITS_AT_ONCE`` units to a
transaction, so a service that writes counted rows meanwhile waits for one batch, not for the province.

A **stock** (what is outstanding at a day's end, the share of it at risk) is not a sum over days: an app
lists its stocks in ``STOCKS``. A stock has ``key`` (``"<app>.<name>"``), ``measures``, ``since()`` (its
first day with a value, None when none) and ``count_on(unit_ids, days)``, which gives the values on each
of the days as a source's ``count`` does. Its values are stored (grain ``on``) on the last day of each
month since ``since()`` and on the day of the last rebuild (the nightly job's: today), the days listed in
``StockDay``; a service that changes what it counts calls ``refresh_stock`` for the unit, which counts
that unit again on every stored day and today (from the day of the change, when it cannot reach back
further). ``values_on`` reads the stored days; a section counts any other day from the rows, with the
same ``count_on``. A rebuild writes each batch's values on the days stored and the new ones, and lists
the new days once every unit has them; until then today is counted from the rows, and a refresh keeps
today's values current wherever a batch has already written them.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Protocol

from django.db import transaction
from django.db.models import Q, Sum

from portal.models import AdminUnit, DailyFigure, StockDay
from portal.models.figures import Grain
from portal.models.people import today
from portal.plugins import app_modules

logger = logging.getLogger(__name__)

# (measure, unit id, day, subject) → value, as a source counts them
Figures = dict[tuple[str, int, datetime.date, int], int]
# (measure, unit id, grain, day, subject) → value, as they are stored
Rows = dict[tuple[str, int, str, datetime.date, int], int]
Spans = dict[str, tuple[datetime.date, datetime.date]]
INSERT_BATCH = 5000
# Units counted again in one transaction of a rebuild.
UNITS_AT_ONCE = 50


class Source(Protocol):
    measures: tuple[str, ...]

    def count(
        self, unit_ids: Iterable[int] | None, first: datetime.date | None, last: datetime.date | None
    ) -> Iterable[tuple[str, int, datetime.date, int, int]]: ...


class Stock(Protocol):
    key: str
    measures: tuple[str, ...]

    def since(self) -> datetime.date | None: ...

    def count_on(
        self, unit_ids: Iterable[int] | None, days: list[datetime.date]
    ) -> Iterable[tuple[str, int, datetime.date, int, int]]: ...


@dataclass(frozen=True)
class Difference:
    measure: str
    unit_id: int
    grain: str
    day: datetime.date
    subject: int
    stored: int
    counted: int


def installed_sources() -> list[Source]:
    return [source for module in app_modules("daily_figures") for source in getattr(module, "SOURCES", [])]


def installed_stocks() -> list[Stock]:
    return [stock for module in app_modules("daily_figures") for stock in getattr(module, "STOCKS", [])]


def counted(source: Source, unit_ids=None, first=None, last=None) -> Figures:
    """The source's figures as its raw rows give them now."""
    figures: Figures = {}
    for measure, unit_id, day, subject, value in source.count(unit_ids, first, last):
        if value:
            key = (measure, unit_id, day, subject)
            figures[key] = figures.get(key, 0) + value
    return figures


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def with_months(figures: Figures) -> Rows:
    """The day figures, and beside them each month's sums."""
    rows: Rows = {}
    for (measure, unit_id, day, subject), value in figures.items():
        rows[measure, unit_id, Grain.DAY, day, subject] = value
        month = (measure, unit_id, Grain.MONTH, month_of(day), subject)
        rows[month] = rows.get(month, 0) + value
    return rows


def stock_days(since: datetime.date | None, until: datetime.date) -> list[datetime.date]:
    """The days a stock is stored on: the last day of each month from ``since``'s to the one before
    ``until``'s, and ``until``."""
    days = []
    end = month_end(since) if since is not None else until
    while end < until:
        days.append(end)
        end = month_end(end + datetime.timedelta(days=1))
    return [*days, until]


def counted_on(stock: Stock, unit_ids, days: list[datetime.date]) -> Rows:
    """The stock's values on the days given as its raw rows give them now, keyed as they are stored."""
    rows: Rows = {}
    for measure, unit_id, day, subject, value in stock.count_on(unit_ids, days) if days else ():
        if value:
            key = (measure, unit_id, Grain.ON, day, subject)
            rows[key] = rows.get(key, 0) + value
    return rows


def stored_days(stock: Stock) -> list[datetime.date]:
    return sorted(StockDay.objects.filter(stock=stock.key).values_list("day", flat=True))


def _mark(stock: Stock, days: list[datetime.date]) -> None:
    StockDay.objects.filter(stock=stock.key).delete()
    StockDay.objects.bulk_create(StockDay(stock=stock.key, day=day) for day in days)


def _stored(source: Source | Stock, unit_ids=None, first=None, last=None):
    """The source's rows: of the units given, the days ``first``..``last`` and the months they touch."""
    rows = DailyFigure.objects.filter(measure__in=source.measures)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    if first is not None:
        rows = rows.filter(day__gte=month_of(first))
    if last is not None:
        rows = rows.filter(day__lte=last)
    return rows


def _write(rows: Rows) -> None:
    DailyFigure.objects.bulk_create(
        (
            DailyFigure(measure=measure, unit_id=unit_id, grain=grain, day=day, subject=subject, value=value)
            for (measure, unit_id, grain, day, subject), value in rows.items()
            if value
        ),
        batch_size=INSERT_BATCH,
    )


def _lock_units(unit_ids: list[int]) -> None:
    """Hold the units' rows until the transaction ends: a refresh or a rebuild of the same units waits."""
    list(AdminUnit.objects.select_for_update().filter(pk__in=unit_ids).values_list("pk"))


def refresh(source: Source, unit_id: int, days: Iterable[datetime.date]) -> None:
    """Count the source's figures of one unit again over the months of the days given (and those
    between them); called by a service, inside its transaction, after it changed the rows they count."""
    days = sorted(days)
    first, last = month_of(days[0]), month_end(days[-1])
    with transaction.atomic():
        _lock_units([unit_id])
        _stored(source, [unit_id], first, last).delete()
        _write(with_months(counted(source, [unit_id], first, last)))


def refresh_stock(stock: Stock, unit_id: int, since: datetime.date | None = None) -> None:
    """Count the stock of one unit again on the days it is stored for (from ``since`` on, when the change
    cannot reach back further); called by a service, inside its transaction, after it changed the rows
    the stock counts."""
    with transaction.atomic():
        _lock_units([unit_id])
        stored = stored_days(stock)
        # Today too: the nightly rebuild may have written it for this unit before it lists the day.
        days = [day for day in sorted({*stored, today()} if stored else ()) if since is None or day >= since]
        _stored(stock, [unit_id]).filter(day__in=days).delete()
        _write(counted_on(stock, [unit_id], days))


def _compare(source: Source | Stock, rows: Rows, unit_ids: list[int] | None, days=None) -> list[Difference]:
    """Where the units' stored figures (on ``days``, for a stock) are not ``rows``."""
    fields = ("measure", "unit_id", "grain", "day", "subject", "value")
    stored_rows = _stored(source, unit_ids)
    if days is not None:
        stored_rows = stored_rows.filter(day__in=days)
    stored = {row[:5]: row[5] for row in stored_rows.values_list(*fields)}
    found = []
    for key in sorted(rows.keys() | stored.keys()):
        if rows.get(key, 0) != stored.get(key, 0):
            measure, unit_id, grain, day, subject = key
            found.append(
                Difference(measure, unit_id, grain, day, subject, stored.get(key, 0), rows.get(key, 0))
            )
    return found


def _replace(source: Source | Stock, rows: Rows, unit_ids: list[int]) -> None:
    _stored(source, unit_ids).delete()
    _write(rows)


def _unit_batches() -> list[list[int]]:
    unit_ids = list(AdminUnit.objects.order_by("pk").values_list("pk", flat=True))
    return [unit_ids[start : start + UNITS_AT_ONCE] for start in range(0, len(unit_ids), UNITS_AT_ONCE)]


def _renew(sources: list[Source], stocks: list[Stock], *, compare: bool) -> tuple[int, list[Difference]]:
    """Every figure of the sources and stocks counted again, ``UNITS_AT_ONCE`` units to a transaction,
    each stock then stored on the days from today: (how many rows hold them, the differences found on
    the way when ``compare``)."""
    written, found = 0, []
    days = {stock.key: stock_days(stock.since(), today()) for stock in stocks}
    listed = {stock.key: stored_days(stock) for stock in stocks}  # until the new days are listed, below
    for unit_ids in _unit_batches():
        with transaction.atomic():
            _lock_units(unit_ids)
            for source in sources:
                rows = with_months(counted(source, unit_ids))
                found += _compare(source, rows, unit_ids) if compare else []
                _replace(source, rows, unit_ids)
                written += sum(1 for value in rows.values() if value)
            for stock in stocks:
                stored = listed[stock.key]
                rows = counted_on(stock, unit_ids, sorted({*stored, *days[stock.key]}))
                if compare:
                    on_stored = {key: value for key, value in rows.items() if key[3] in stored}
                    found += _compare(stock, on_stored, unit_ids, stored)
                _replace(stock, rows, unit_ids)
                written += sum(1 for key, value in rows.items() if value and key[3] in days[stock.key])
    for stock in stocks:
        with transaction.atomic():
            _mark(stock, days[stock.key])
            _stored(stock).exclude(day__in=days[stock.key]).delete()
    return written, found


def rebuild(sources: Iterable[Source] | None = None, stocks: Iterable[Stock] | None = None) -> int:
    """Every figure of the sources and stocks (every installed one when neither is given) counted again;
    how many rows hold them."""
    if sources is None and stocks is None:
        sources, stocks = installed_sources(), installed_stocks()
    written, _found = _renew(list(sources or ()), list(stocks or ()), compare=False)
    return written


def differences(
    sources: Iterable[Source] | None = None, stocks: Iterable[Stock] | None = None
) -> list[Difference]:
    """Where the stored figures are not what the raw rows give: a value wrong, missing or left over (of
    every installed source and stock when neither is given)."""
    if sources is None and stocks is None:
        sources, stocks = installed_sources(), installed_stocks()
    found = [
        difference
        for source in sources or ()
        for difference in _compare(source, with_months(counted(source)), None)
    ]
    for stock in stocks or ():
        days = stored_days(stock)
        found += _compare(stock, counted_on(stock, None, days), None, days)
    return found


def check_and_rebuild() -> list[Difference]:
    """The nightly job: every figure counted once, compared with the stored ones (the differences are
    logged, each a writer that went round the services) and written in their place; each stock then
    stored on today too."""
    _written, found = _renew(installed_sources(), installed_stocks(), compare=True)
    for difference in found[:20]:
        logger.warning("Stored daily figure differs from the rows: %s", difference)
    if found:
        logger.warning("%s stored daily figures differed from the rows; all are counted again.", len(found))
    return found


def months_and_days(first: datetime.date, last: datetime.date) -> Q:
    """The rows that add up to ``first``..``last``: the months it holds whole, the days of the others."""
    whole_months: list[datetime.date] = []
    parts = []
    start = first
    while start <= last:
        end = min(month_end(start), last)
        if start.day == 1 and end == month_end(start):
            whole_months.append(start)
        else:
            parts.append(Q(grain=Grain.DAY, day__gte=start, day__lte=end))
        start = end + datetime.timedelta(days=1)
    if whole_months:
        parts.append(Q(grain=Grain.MONTH, day__gte=whole_months[0], day__lte=whole_months[-1]))
    return reduce(or_, parts)


def sums(measures: Iterable[str], unit_ids, spans: Spans) -> dict[tuple[str, str, int, int], int]:
    """(span name, measure, unit id, subject) → the sum of the stored values over the span's days, for
    the units ``unit_ids`` (ids or a subquery), every span in one statement."""
    within = {which: months_and_days(first, last) for which, (first, last) in spans.items()}
    rows = (
        DailyFigure.objects.filter(measure__in=list(measures), unit_id__in=unit_ids)
        .filter(reduce(or_, within.values()))
        .values("measure", "unit_id", "subject")
        .annotate(**{f"in_{which}": Sum("value", filter=condition) for which, condition in within.items()})
        .order_by()
    )
    totals = {}
    for row in rows:
        for which in spans:
            value = row[f"in_{which}"]
            if value:
                totals[which, row["measure"], row["unit_id"], row["subject"]] = value
    return totals


def values_on(
    stock: Stock, unit_ids, days: Iterable[datetime.date]
) -> dict[tuple[datetime.date, str, int, int], int]:
    """(day, measure, unit id, subject) → the stock's value on each of the days, for the units
    ``unit_ids`` (ids or a subquery): read where the day is stored, counted from the rows where not."""
    days = set(days)
    stored = set(StockDay.objects.filter(stock=stock.key, day__in=days).values_list("day", flat=True))
    rows = DailyFigure.objects.filter(
        measure__in=stock.measures, grain=Grain.ON, day__in=stored, unit_id__in=unit_ids
    ).values_list("day", "measure", "unit_id", "subject", "value")
    values = {(day, measure, unit_id, subject): value for day, measure, unit_id, subject, value in rows}
    for (measure, unit_id, _grain, day, subject), value in counted_on(
        stock, unit_ids, sorted(days - stored)
    ).items():
        values[day, measure, unit_id, subject] = value
    return values

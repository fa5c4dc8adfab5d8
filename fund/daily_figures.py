"""The fund's stock (portal/figures.py), which its report section reads on each period's last day.

Per unit of the loan, day and fund (the subject):

- ``fund.outstanding``: the loans' receivable accounts, value-dated up to the day;
- ``fund.at_risk``: what of it the loans in PAR30 owe: more than 30 days past due (or restructured) on
  that day by the allocation replay of their current schedule.

A loan service that changes a loan's ledger, schedule or freezes calls ``keep_current`` in its
transaction.
"""

import bisect
import datetime
from collections import defaultdict

from django.db.models import Min, OuterRef, Subquery, Sum

from fund import allocation
from fund.models import RECEIVABLE_KINDS, Entry, Freeze, Instalment, Loan, Repayment, ScheduleVersion
from fund.schedules import Instalment as Due
from portal import figures

OUTSTANDING, AT_RISK = "fund.outstanding", "fund.at_risk"


def _of_units(queryset, path: str, unit_ids):
    """The rows whose unit (through ``path``) is one of ``unit_ids``; all of them for None."""
    return queryset if unit_ids is None else queryset.filter(**{f"{path}unit_id__in": unit_ids})


def receivable_by_day(unit_ids, last: datetime.date) -> dict[int, tuple[list[datetime.date], list[int]]]:
    """Loan id → (the value dates of its receivable's postings up to ``last``, in order; the balance
    after each day), one statement."""
    rows = (
        _of_units(Entry.objects, "account__loan__", unit_ids)
        .filter(account__kind__in=RECEIVABLE_KINDS, transaction__value_date__lte=last)
        .values_list("account__loan_id", "transaction__value_date")
        .annotate(total=Sum("amount"))
        .order_by("account__loan_id", "transaction__value_date")
    )
    balances: dict[int, tuple[list[datetime.date], list[int]]] = {}
    for loan_id, day, total in rows:
        days, after = balances.setdefault(loan_id, ([], []))
        days.append(day)
        after.append((after[-1] if after else 0) + total)
    return balances


def balance_on(balances: tuple[list[datetime.date], list[int]], day: datetime.date) -> int:
    days, after = balances
    index = bisect.bisect_right(days, day)
    return after[index - 1] if index else 0


def replay_inputs(unit_ids):
    """The loans' current schedules, repayments (not reversed) and freezes, by loan id (three statements)."""
    latest_version = ScheduleVersion.objects.filter(loan=OuterRef("schedule__loan")).order_by("-number")
    schedules: dict[int, list[Due]] = defaultdict(list)
    for loan_id, number, due_on, principal, interest in (
        _of_units(Instalment.objects, "schedule__loan__", unit_ids)
        .filter(schedule_id=Subquery(latest_version.values("pk")[:1]))
        .values_list("schedule__loan_id", "number", "due_on", "principal", "interest")
        .order_by("schedule__loan_id", "number")
    ):
        schedules[loan_id].append(Due(number, due_on, principal, interest))
    payments: dict[int, list[allocation.Payment]] = defaultdict(list)
    for loan_id, pk, paid_on, amount in (
        _of_units(Repayment.objects, "loan__", unit_ids)
        .filter(reversal__isnull=True)
        .values_list("loan_id", "pk", "paid_on", "amount")
        .order_by("loan_id", "paid_on", "pk")
    ):
        payments[loan_id].append(allocation.Payment(pk, paid_on, amount))
    pauses: dict[int, list[allocation.Pause]] = defaultdict(list)
    freezes = _of_units(Freeze.objects, "loan__", unit_ids)
    for loan_id, start, end in freezes.values_list("loan_id", "start", "end"):
        pauses[loan_id].append(allocation.Pause(start, end))
    return schedules, payments, pauses


class Portfolio:
    key = "fund.portfolio"
    measures = (OUTSTANDING, AT_RISK)

    def since(self) -> datetime.date | None:
        first = Entry.objects.filter(account__kind__in=RECEIVABLE_KINDS).aggregate(
            first=Min("transaction__value_date")
        )
        return first["first"]

    def count_on(self, unit_ids, days: list[datetime.date]):
        """Five statements whatever the number of loans; each loan owing on one of the days replayed
        once for all of them."""
        balances = receivable_by_day(unit_ids, max(days))
        if not balances:
            return
        schedules, payments, pauses = replay_inputs(unit_ids)
        loans = (
            _of_units(Loan.objects, "", unit_ids)
            .filter(contract_on__lte=max(days))
            .values_list("pk", "unit_id", "fund_id", "allocation_order", "restructured")
        )
        for loan_id, unit_id, fund_id, order, restructured in loans:
            if loan_id not in balances:
                continue  # nothing released by the last day
            owing = {day: owed for day in days if (owed := balance_on(balances[loan_id], day))}
            states = allocation.replay_on(
                schedules[loan_id],
                payments[loan_id],
                days=sorted(owing) if schedules[loan_id] else [],
                order=tuple(order),
                pauses=pauses[loan_id],
                restructured=restructured,
            )
            for day, owed in owing.items():
                yield OUTSTANDING, unit_id, day, fund_id, owed
                state = states.get(day)
                if state is not None and state.at_risk:
                    yield AT_RISK, unit_id, day, fund_id, owed


PORTFOLIO = Portfolio()
STOCKS = [PORTFOLIO]


def keep_current(loan: Loan) -> None:
    """Count the stock of the loan's unit again on every day it is stored for (a repayment or a new
    schedule changes the days after it, and the current schedule is replayed for every day)."""
    figures.refresh_stock(PORTFOLIO, loan.unit_id)

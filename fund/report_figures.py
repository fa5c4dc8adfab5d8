"""The counts behind the fund's report section (fund/report_sections.py), by unit.

For a unit's subtree and each named period ``first``..``last`` (both days included):

- capital (of the funds serving a unit of the subtree): raised in the period by source — what the
  capital accounts were credited with, value-dated in the period (a reversed receipt nets out) — and
  to date at its end, against the funds' capital targets;
- applications (by the commune they came from): received (filed in the period), approved and refused
  (decided in the period); the reply time: working days from filing to the decision, the median of
  those decided in the period; late: with a stage (fund/deadlines.py: appraisal, decision, first
  release) late on the period's last day that was still open on its first;
- loans (by the commune of the application): approved (contract in the period) and their amounts;
  released (tranches released in the period); outstanding and PAR30 at the period's end, the stock of
  fund/daily_figures.py (read where stored, counted where not); recoveries: repayments on a loan paid
  on or after its recall; write-offs: what the losses account was debited with; jobs created: the jobs
  recorded on the projects funded by the loans approved in the period.

Ten statements whatever the number of applications and loans (the funds, the capital, the
applications and the calendar, the loans, the releases, the write-offs, the stock's days and values,
the recoveries), each counting every period at once; five more for a period's end the stock is not
stored for.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, fields
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, Sum

from fund import deadlines
from fund.daily_figures import AT_RISK, OUTSTANDING, PORTFOLIO
from fund.measures import CAPITAL_RAISED, LOANS_APPROVED, MONEY_DISBURSED
from fund.models import (
    CONTRIBUTED,
    AccountKind,
    Entry,
    Fund,
    Loan,
    LoanApplication,
    Regulation,
    Repayment,
    Source,
    Status,
    Tranche,
    Transaction,
    TransactionKind,
)
from portal.figures import values_on
from portal.models.units import in_subtree
from portal.periods import Period
from portal.reporting import entry, percent
from portal.targets import annual_targets, one_decimal, pro_rate
from portal.working_days import working_days_between

DECIDED = (Status.APPROVED, Status.REFUSED)
SPAN_MEASURES = (LOANS_APPROVED, MONEY_DISBURSED, CAPITAL_RAISED)

Spans = dict[str, tuple[datetime.date, datetime.date]]


@dataclass
class Counts:
    received: int = 0
    approved: int = 0
    refused: int = 0
    late: int = 0
    loans_approved: int = 0
    amount_approved: int = 0
    disbursed: int = 0
    outstanding: int = 0
    at_risk: int = 0  # outstanding of the loans in PAR30
    recovered: int = 0
    written_off: int = 0
    jobs_created: int = 0
    reply_days: list[int] = field(default_factory=list)  # working days filing → decision, each decided

    def add(self, other: "Counts") -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reply_days.extend(other.reply_days)

    @property
    def median_reply_days(self) -> float | None:
        return float(round(statistics.median(self.reply_days), 1)) if self.reply_days else None

    @property
    def par30(self) -> float | None:
        return percent(self.at_risk, self.outstanding)


COUNT_NAMES = tuple(f.name for f in fields(Counts) if f.name != "reply_days")


@dataclass(frozen=True)
class FundRow:
    pk: int
    name: str
    capital_target: int
    regulated: bool  # a regulation in force on the current period's last day


@dataclass
class Figures:
    counts: dict[tuple[str, int], Counts] = field(default_factory=dict)  # (period, unit id)
    capital: dict[tuple[str, str], list[int]] = field(
        default_factory=dict
    )  # (period, source): [raised, to date]
    funds: list[FundRow] = field(default_factory=list)
    par_by_fund: dict[int, list[int]] = field(default_factory=dict)  # fund: [outstanding, at risk], current

    def tally(self, which: str, unit_id: int) -> Counts:
        return entry(self.counts, (which, unit_id), Counts)


def _within(name: str, span: tuple[datetime.date, datetime.date]) -> Q:
    return Q(**{f"{name}__range": span})


def late_in(stages: list[deadlines.Stage], first: datetime.date, last: datetime.date) -> bool:
    """A stage due before ``last`` was late and still open on ``first`` (done in the period or not yet)."""
    return any(
        stage.late and stage.due < last and (stage.done_on is None or stage.done_on >= first)
        for stage in stages
    )


def count_funds(subtree, spans: Spans, current: str, figures: Figures) -> None:
    """The funds serving a unit of the subtree, with a regulation in force at the end (one statement)."""
    last = spans[current][1]
    in_force = Regulation.objects.filter(fund=OuterRef("pk"), effective_from__lte=last).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=last)
    )
    figures.funds = [
        FundRow(*row)
        for row in Fund.objects.filter(unit_id__in=subtree)
        .annotate(regulated=Exists(in_force))
        .values_list("pk", "name", "capital_target", "regulated")
        .order_by("name", "pk")
    ]


def count_capital(subtree, spans: Spans, figures: Figures) -> None:
    """What the capital accounts of the funds were credited with, by source (one statement)."""
    tallies = {}
    for which, (first, last) in spans.items():
        tallies |= {
            f"raised_{which}": Sum("amount", filter=_within("transaction__value_date", (first, last))),
            f"to_date_{which}": Sum("amount", filter=Q(transaction__value_date__lte=last)),
        }
    rows = (
        Entry.objects.filter(account__fund__unit_id__in=subtree, account__kind=AccountKind.CAPITAL)
        .values("account__source")
        .annotate(**tallies)
        .order_by()
    )
    for row in rows:
        for which in spans:
            figures.capital[which, row["account__source"]] = [
                -(row[f"raised_{which}"] or 0),
                -(row[f"to_date_{which}"] or 0),
            ]


def count_applications(subtree, spans: Spans, figures: Figures) -> None:
    """Applications received, decided and late, with the reply times (one statement and the calendar).
    An application whose every stage was done before the first period began counts in none of them."""
    earliest = min(first for first, _last in spans.values())
    latest = max(last for _first, last in spans.values())
    released = Q(loan__start_on__isnull=False) & Q(loan__start_on__lt=earliest)
    open_then = (
        Q(decided_on__isnull=True) | Q(decided_on__gte=earliest) | Q(status=Status.APPROVED) & ~released
    )
    rows = list(
        LoanApplication.objects.filter(open_then, unit_id__in=subtree, filed_on__lte=latest)
        .values_list("unit_id", *deadlines.DATE_FIELDS)
        .order_by()
    )
    longest = max((max(row[5:8]) for row in rows), default=0)
    calendar = deadlines.calendar_for(min([earliest, *(row[1] for row in rows)]), latest, longest)
    for unit_id, *fields_ in rows:
        dates = deadlines.Dates(*fields_)
        for which, (first, last) in spans.items():
            if dates.filed_on > last:
                continue
            tally = figures.tally(which, unit_id)
            tally.received += first <= dates.filed_on
            decided = dates.decided_on is not None and first <= dates.decided_on <= last
            if decided and dates.status in DECIDED:
                tally.approved += dates.status == Status.APPROVED
                tally.refused += dates.status == Status.REFUSED
                tally.reply_days.append(
                    working_days_between(dates.filed_on, dates.decided_on, calendar=calendar)
                )
            tally.late += late_in(deadlines.stages_of(dates, last, calendar), first, last)


def count_loans(subtree, spans: Spans, figures: Figures) -> None:
    """Loans approved in each period, their amounts and their projects' jobs (one statement)."""
    in_a_period = reduce(or_, (_within("contract_on", span) for span in spans.values()))
    rows = (
        Loan.objects.filter(in_a_period, unit_id__in=subtree)
        .values_list("unit_id", "amount", "contract_on", "project_id", "project__jobs_created")
        .order_by("pk")
    )
    funded = defaultdict(set)
    for unit_id, amount, contract_on, project, jobs in rows:
        for which, (first, last) in spans.items():
            if first <= contract_on <= last:
                tally = figures.tally(which, unit_id)
                tally.loans_approved += 1
                tally.amount_approved += amount
                if project is not None and project not in funded[which]:
                    funded[which].add(project)
                    tally.jobs_created += jobs


def _add_sums(rows, *, unit: str, day: str, spans: Spans, figures: Figures, name: str) -> None:
    """The amounts of ``rows`` summed by unit (the path ``unit`` to its id) over each period of their
    ``day``, added to each tally's ``name`` (one statement)."""
    sums = (
        rows.values(unit)
        .annotate(
            **{f"in_{which}": Sum("amount", filter=_within(day, span)) for which, span in spans.items()}
        )
        .order_by()
    )
    for row in sums:
        for which in spans:
            tally = figures.tally(which, row[unit])
            setattr(tally, name, getattr(tally, name) + (row[f"in_{which}"] or 0))


def count_releases(subtree, spans: Spans, figures: Figures) -> None:
    """The tranches released in each period (one statement)."""
    released = Tranche.objects.filter(loan__unit_id__in=subtree, released_on__isnull=False)
    _add_sums(
        released, unit="loan__unit_id", day="released_on", spans=spans, figures=figures, name="disbursed"
    )


def count_write_offs(subtree, spans: Spans, figures: Figures) -> None:
    """What the losses account was debited with for the loans, by period (one statement)."""
    lost = Entry.objects.filter(account__kind=AccountKind.LOSSES, transaction__loan__unit_id__in=subtree)
    _add_sums(
        lost,
        unit="transaction__loan__unit_id",
        day="transaction__value_date",
        spans=spans,
        figures=figures,
        name="written_off",
    )


def count_portfolio(subtree, spans: Spans, current: str, figures: Figures) -> None:
    """Outstanding and PAR30 on each period's last day, from the stored stock (fund/daily_figures.py;
    two statements, or its count for a day not stored)."""
    on = values_on(PORTFOLIO, subtree, {last for _first, last in spans.values()})
    for which, (_first, last) in spans.items():
        for (day, measure, unit_id, fund_id), value in on.items():
            if day != last:
                continue
            tally = figures.tally(which, unit_id)
            share = figures.par_by_fund.setdefault(fund_id, [0, 0]) if which == current else [0, 0]
            if measure == OUTSTANDING:
                tally.outstanding += value
                share[0] += value
            elif measure == AT_RISK:
                tally.at_risk += value
                share[1] += value


def count_recoveries(subtree, spans: Spans, figures: Figures) -> None:
    """What was repaid (not reversed) in each period on loans recalled by the day (one statement)."""
    recalls = Transaction.objects.filter(kind=TransactionKind.RECALL, reverses__isnull=True)
    repaid = Repayment.objects.filter(
        loan__unit_id__in=subtree,
        loan_id__in=recalls.values("loan_id"),
        reversal__isnull=True,
        paid_on__range=(
            min(first for first, _last in spans.values()),
            max(last for _first, last in spans.values()),
        ),
    ).filter(Exists(recalls.filter(loan=OuterRef("loan"), value_date__lte=OuterRef("paid_on"))))
    _add_sums(repaid, unit="loan__unit_id", day="paid_on", spans=spans, figures=figures, name="recovered")


def gather(unit, spans: Spans, current: str) -> Figures:
    """Every count of the section for each period (the funds' regulations for ``current`` only)."""
    subtree = in_subtree({unit.pk})
    figures = Figures()
    count_funds(subtree, spans, current, figures)
    count_capital(subtree, spans, figures)
    count_applications(subtree, spans, figures)
    count_loans(subtree, spans, figures)
    count_releases(subtree, spans, figures)
    count_write_offs(subtree, spans, figures)
    count_portfolio(subtree, spans, current, figures)
    count_recoveries(subtree, spans, figures)
    return figures


def capital_of(figures: Figures, which: str) -> dict[str, list[int]]:
    """Source → [raised in the period, to date at its end], every contributed source."""
    return {source: figures.capital.get((which, source), [0, 0]) for source in CONTRIBUTED}


def state_and_contributions(capital: dict[str, list[int]]) -> tuple[int, int]:
    """What the state budget gave in the period, and what enterprises and individuals did."""
    state = capital[Source.STATE_BUDGET][0]
    return state, sum(
        raised for source, (raised, _to_date) in capital.items() if source != Source.STATE_BUDGET
    )


def targets_of(unit, spans: Spans) -> dict[str, dict]:
    """Each period's pro-rated targets of the unit's measures (one query)."""
    periods = {which: Period(*span) for which, span in spans.items()}
    annual = annual_targets({unit.pk}, sorted({year for p in periods.values() for year in p.years()}))
    targets: dict[str, dict] = {}
    for which, period in periods.items():
        targets[which] = {}
        for key in SPAN_MEASURES:
            value = pro_rate(annual.get((unit.pk, key), {}), period)
            targets[which][key] = None if value is None else float(one_decimal(value))
    return targets


def roll_up(counts: dict[int, Counts], rows, row_of) -> tuple[dict[int, Counts], Counts]:
    """The counts by unit added up to the drill-down rows (row id → Counts) and in all."""
    by_row = {row.pk: Counts() for row in rows}
    total = Counts()
    for unit_id, tally in counts.items():
        total.add(tally)
        row_id = row_of(unit_id)
        if row_id is not None:
            by_row[row_id].add(tally)
    return by_row, total


def by_period(figures: Figures, which: str) -> dict[int, Counts]:
    return {unit_id: tally for (period, unit_id), tally in figures.counts.items() if period == which}

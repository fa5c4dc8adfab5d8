"""Loan schedules of the fund: when each instalment of a loan falls due and what it is made of.

A loan's terms give its instalments (``build_schedule``); a loan that runs into trouble or grows gets a
new schedule made from the old one and from what was paid of it (``extend``, ``freeze``, ``recall``,
``add_release``). Money is integer đồng and dates are ``datetime.date``.

- Due dates are counted from the day the loan is anchored to, never from the previous due date, so a
  loan started on 31 January falls due on 28/29 February and then on 31 March.
- Interest of a period is the outstanding principal × the yearly rate × the period's months ÷ 12,
  floored to the đồng.
- Equal principal: the same principal in each repaying period, the rounding remainder on the last.
- Annuity: the same payment in each repaying period (rounded half-up to the đồng), interest first; the
  last instalment takes whatever principal remains. An interest-free annuity is equal principal.
- Grace periods come first and carry only interest (no instalment at all on an interest-free loan).
- The principal of a schedule always adds up exactly to the principal released.

A rescheduled list keeps the instalments due before the day of the change first and is numbered afresh.
What was paid ahead of the instalments it replaces (principal prepaid, interest of a current instalment
paid before it fell due) stays in it as one instalment of its own, already paid, due with the first new
one and just before it: the principal still adds up to what was released, and the repayments already
made fill that instalment again when replayed (fund/allocation.py) instead of the new ones. The interest
paid ahead counts toward the first new instalment's.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from dateutil.relativedelta import relativedelta

EQUAL_PRINCIPAL = "equal_principal"
ANNUITY = "annuity"
METHODS = (EQUAL_PRINCIPAL, ANNUITY)
PERIOD_MONTHS = (1, 3)  # monthly or quarterly

# bp × months ÷ (10,000 bp × 12 months): the part of a yearly rate that one period bears.
PERIOD_RATE_DIVISOR = 120_000
# bp × days ÷ (10,000 bp × 365 days): the part of a yearly rate that some days bear.
DAILY_RATE_DIVISOR = 3_650_000

# Instalment number → (principal paid, interest paid), as allocation.replay reports it.
Paid = Mapping[int, tuple[int, int]]
# A schedule row before it is numbered: (due on, principal, interest).
Row = tuple[datetime.date, int, int]


@dataclass(frozen=True)
class Terms:
    """What a loan agreement says about repaying it."""

    principal: int  # đồng released
    yearly_rate_bp: int  # yearly rate in basis points (600 = 6 %/year); 0 = interest-free
    start: datetime.date  # the day the loan's cadence is anchored to (contract or first release)
    term_months: int  # maturity = start + term_months
    grace_months: int  # no principal falls due in the first grace_months
    method: str  # EQUAL_PRINCIPAL | ANNUITY
    period_months: int  # 1 (monthly) or 3 (quarterly)

    def __post_init__(self) -> None:
        if self.principal <= 0 or self.yearly_rate_bp < 0:
            raise ValueError("A loan lends a positive principal at a rate of zero or more.")
        if self.method not in METHODS or self.period_months not in PERIOD_MONTHS:
            raise ValueError(f"Unknown method {self.method!r} or period of {self.period_months} months.")
        if self.term_months <= 0 or self.term_months % self.period_months:
            raise ValueError("The term is a positive whole number of periods.")
        if not 0 <= self.grace_months < self.term_months:
            raise ValueError("The grace ends before the term does.")

    @property
    def periods(self) -> int:
        return self.term_months // self.period_months

    @property
    def grace_periods(self) -> int:
        return self.grace_months // self.period_months

    @property
    def maturity(self) -> datetime.date:
        return self.start + relativedelta(months=self.term_months)


@dataclass(frozen=True)
class Instalment:
    """One instalment of a schedule: what falls due on one day."""

    number: int  # 1..n in due order
    due_on: datetime.date
    principal: int
    interest: int

    def __post_init__(self) -> None:
        if self.number < 1 or self.principal < 0 or self.interest < 0:
            raise ValueError(f"Impossible instalment {self}.")

    @property
    def total(self) -> int:
        return self.principal + self.interest


def due_dates(start: datetime.date, period_months: int, count: int) -> list[datetime.date]:
    """The ``count`` due dates ``period_months`` apart after ``start``, each counted from ``start``."""
    return [start + relativedelta(months=k * period_months) for k in range(1, count + 1)]


def period_interest(outstanding: int, yearly_rate_bp: int, period_months: int) -> int:
    """The interest of one period on ``outstanding``, floored to the đồng."""
    return outstanding * yearly_rate_bp * period_months // PERIOD_RATE_DIVISOR


def annuity_payment(principal: int, yearly_rate_bp: int, period_months: int, count: int) -> int:
    """The level payment that repays ``principal`` in ``count`` periods, rounded half-up to the đồng."""
    rate = Fraction(yearly_rate_bp * period_months, PERIOD_RATE_DIVISOR)
    if not rate:
        raise ValueError("An interest-free loan has no annuity; it is repaid in equal principal.")
    exact = principal * rate / (1 - (1 + rate) ** -count)
    return (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)


def build_schedule(terms: Terms) -> list[Instalment]:
    """The instalments of a loan on its terms, numbered in due order."""
    dates = due_dates(terms.start, terms.period_months, terms.periods)
    return _numbered(_schedule_rows(terms.principal, dates, grace=terms.grace_periods, terms=terms))


def extend(
    instalments: Sequence[Instalment], paid: Paid, *, on: datetime.date, terms: Terms, extra_periods: int
) -> list[Instalment]:
    """Gia hạn nợ: the schedule with all the unpaid principal spread again over the loan's cadence dates
    from ``on`` to ``extra_periods`` periods past its maturity, by the method of its terms.

    The instalments due before ``on`` are kept reduced to what was paid of them (left out when nothing
    was): their arrears move to the new instalments, their unpaid interest onto the first one.
    """
    if extra_periods < 0:
        raise ValueError("An extension does not shorten the loan.")
    before, later = _split(instalments, on)
    unpaid = _unpaid_principal(instalments, paid)
    if not unpaid:
        raise ValueError("Nothing of the principal is left to extend.")
    cadence = due_dates(terms.start, terms.period_months, terms.periods + extra_periods)
    new = _with_paid_ahead(
        _repaying_rows(unpaid, [day for day in cadence if day >= on], terms=terms), later, paid
    )
    arrears = sum(instalment.interest - _paid_of(paid, instalment)[1] for instalment in before)
    first_due, first_principal, first_interest = new[0]
    new[0] = (first_due, first_principal, first_interest + arrears)
    return _numbered([*_paid_rows(before, paid), *new])


def freeze(instalments: Sequence[Instalment], *, on: datetime.date, months: int) -> list[Instalment]:
    """Khoanh nợ: the instalments due on or after ``on`` moved ``months`` later, amounts unchanged.

    The ones due before ``on`` stay as they are: a freeze does not cure arrears.
    """
    if months < 1:
        raise ValueError("A freeze lasts at least a month.")
    moved = relativedelta(months=months)
    return _numbered(
        (instalment.due_on + moved if instalment.due_on >= on else instalment.due_on, *_amounts(instalment))
        for instalment in _ordered(instalments)
    )


def recall(
    instalments: Sequence[Instalment],
    paid: Paid,
    *,
    on: datetime.date,
    yearly_rate_bp: int,
    start: datetime.date,
) -> list[Instalment]:
    """Thu hồi: everything not yet due falls due ``on`` in one instalment.

    The instalments due before ``on`` are kept as they are (still owed). The recalled instalment holds
    the principal of the instalments not yet due less what was paid of it, with the interest accrued on
    that day by day since the last due date before ``on`` (``start``, the day the loan's cadence is
    anchored to, when there is none).
    """
    if yearly_rate_bp < 0:
        raise ValueError("A rate is zero or more.")
    before, later = _split(instalments, on)
    since = before[-1].due_on if before else start
    if since > on:
        raise ValueError(f"The loan starts after the recall on {on}.")
    principal = _unpaid_principal(later, paid)
    interest = principal * yearly_rate_bp * (on - since).days // DAILY_RATE_DIVISOR
    recalled = _with_paid_ahead([(on, principal, interest)], later, paid) if later else []
    return _numbered([*((instalment.due_on, *_amounts(instalment)) for instalment in before), *recalled])


def add_release(
    instalments: Sequence[Instalment], paid: Paid, *, on: datetime.date, amount: int, terms: Terms
) -> list[Instalment]:
    """A later tranche of ``amount`` released ``on``: the unpaid principal not yet due and the tranche are
    repaid over the loan's cadence dates from ``on`` to its maturity, the grace of its terms respected,
    as ``build_schedule`` would. The instalments due before ``on`` are kept unchanged.
    """
    if amount <= 0:
        raise ValueError("A tranche releases a positive amount.")
    before, later = _split(instalments, on)
    cadence = due_dates(terms.start, terms.period_months, terms.periods)
    dates = [day for day in cadence if day >= on]
    grace = sum(1 for day in cadence[: terms.grace_periods] if day >= on)
    principal = _unpaid_principal(later, paid) + amount
    new = _with_paid_ahead(_schedule_rows(principal, dates, grace=grace, terms=terms), later, paid)
    return _numbered([*((instalment.due_on, *_amounts(instalment)) for instalment in before), *new])


def _schedule_rows(principal: int, dates: Sequence[datetime.date], *, grace: int, terms: Terms) -> list[Row]:
    """Interest-only rows on the first ``grace`` dates (none when interest-free), then the repayment."""
    interest = period_interest(principal, terms.yearly_rate_bp, terms.period_months)
    grace_rows = [(day, 0, interest) for day in dates[:grace]] if terms.yearly_rate_bp else []
    return [*grace_rows, *_repaying_rows(principal, dates[grace:], terms=terms)]


def _repaying_rows(principal: int, dates: Sequence[datetime.date], *, terms: Terms) -> list[Row]:
    """``principal`` repaid over ``dates`` by the method of ``terms``, with each period's interest."""
    if not dates:
        raise ValueError("No due date is left to repay the principal on.")
    is_annuity = terms.method == ANNUITY and terms.yearly_rate_bp > 0
    payment = (
        annuity_payment(principal, terms.yearly_rate_bp, terms.period_months, len(dates)) if is_annuity else 0
    )
    rows = []
    outstanding = principal
    for index, day in enumerate(dates):
        interest = period_interest(outstanding, terms.yearly_rate_bp, terms.period_months)
        if index == len(dates) - 1:
            part = outstanding
        elif is_annuity:
            # A payment rounded up on a tiny principal could otherwise repay more than is left.
            part = min(payment - interest, outstanding)
        else:
            part = principal // len(dates)
        rows.append((day, part, interest))
        outstanding -= part
    return rows


def _with_paid_ahead(
    rows: list[Row], replaced: Iterable[Instalment], paid: Paid, *, arrears: int = 0
) -> list[Row]:
    """The new rows, led by one holding what was paid ahead of the ``replaced`` instalments, due with the
    first new row; that row's interest is less the interest paid ahead (never below nothing) and
    plus the ``arrears`` of interest."""
    principal = interest = 0
    for instalment in replaced:
        principal_paid, interest_paid = _paid_of(paid, instalment)
        principal += principal_paid
        interest += interest_paid
    (day, first_principal, first_interest), *rest = rows
    first = (day, first_principal, max(first_interest - interest, 0) + arrears)
    return [*([(day, principal, interest)] if principal or interest else []), first, *rest]


def _ordered(instalments: Iterable[Instalment]) -> list[Instalment]:
    return sorted(instalments, key=lambda instalment: (instalment.due_on, instalment.number))


def _split(instalments: Iterable[Instalment], on: datetime.date) -> tuple[list[Instalment], list[Instalment]]:
    """The instalments due before ``on`` and the ones due on or after it, each in due order."""
    ordered = _ordered(instalments)
    return [i for i in ordered if i.due_on < on], [i for i in ordered if i.due_on >= on]


def _amounts(instalment: Instalment) -> tuple[int, int]:
    return instalment.principal, instalment.interest


def _paid_of(paid: Paid, instalment: Instalment) -> tuple[int, int]:
    principal, interest = paid.get(instalment.number, (0, 0))
    if not (0 <= principal <= instalment.principal and 0 <= interest <= instalment.interest):
        raise ValueError(f"Paid {principal} + {interest} of instalment {instalment.number}: not possible.")
    return principal, interest


def _paid_rows(instalments: Iterable[Instalment], paid: Paid) -> list[Row]:
    """The instalments reduced to what was paid of them; the ones with nothing paid are left out."""
    rows = [(instalment.due_on, *_paid_of(paid, instalment)) for instalment in instalments]
    return [row for row in rows if row[1] or row[2]]


def _unpaid_principal(instalments: Iterable[Instalment], paid: Paid) -> int:
    return sum(instalment.principal - _paid_of(paid, instalment)[0] for instalment in instalments)


def _numbered(rows: Iterable[Row]) -> list[Instalment]:
    """The rows as instalments numbered 1..n in due order (rows due the same day keep their order)."""
    ordered = sorted(rows, key=lambda row: row[0])
    return [Instalment(number, *row) for number, row in enumerate(ordered, start=1)]

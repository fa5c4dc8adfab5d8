"""How a loan's repayments are allocated to its instalments, and where the loan stands on a day.

The repayments are replayed in the order they were made (day, then key) whatever order they come in, so
a repayment recorded late for an earlier day reallocates the ones after it. On the day of a repayment:

- an instalment is overdue when it fell due before that day; the current instalment is the first one
  due that day or later with something unpaid;
- the money pays the overdue interest, the overdue principal, the current interest and the current
  principal in the fund's order (overdue instalments oldest first); what is left prepays the principal
  of the later instalments in due order, their interest staying due as scheduled;
- a repayment is at most all the unpaid principal and the unpaid interest up to the current instalment.

Days past due run from the oldest instalment with something unpaid, less the days of debt freezes; the
debt group is that of Circular 11/2021/TT-NHNN, at least group 2 for a restructured loan.
"""

import bisect
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fund.schedules import Instalment

OVERDUE_INTEREST, OVERDUE_PRINCIPAL, CURRENT_INTEREST, CURRENT_PRINCIPAL = (
    "overdue_interest",
    "overdue_principal",
    "current_interest",
    "current_principal",
)
DEFAULT_ORDER = (OVERDUE_INTEREST, OVERDUE_PRINCIPAL, CURRENT_INTEREST, CURRENT_PRINCIPAL)

INTEREST, PRINCIPAL = "interest", "principal"

# (most days past due, bucket), in order; beyond the last, OLDEST_BUCKET.
BUCKETS = ((0, "current"), (30, "1-30"), (90, "31-90"), (180, "91-180"))
OLDEST_BUCKET = "180+"
# (most days past due, debt group) of Circular 11/2021/TT-NHNN, in order; beyond the last, LAST_GROUP.
DEBT_GROUPS = ((9, 1), (90, 2), (180, 3), (360, 4))
LAST_GROUP = 5
RESTRUCTURED_GROUP = 2  # a restructured loan is never better than group 2
AT_RISK_DAYS = 30  # PAR30


@dataclass(frozen=True)
class Payment:
    key: int  # the repayment's id
    paid_on: datetime.date
    amount: int


@dataclass(frozen=True)
class Share:
    """The part of one repayment that paid one part of one instalment."""

    payment_key: int
    instalment: int  # its number
    part: str  # INTEREST | PRINCIPAL
    overdue: bool  # the instalment was overdue on the day of the repayment
    amount: int


@dataclass(frozen=True)
class Pause:
    """A debt freeze, both days included: its days do not count as days past due."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A freeze from {self.start} cannot end on {self.end}.")


@dataclass(frozen=True)
class LoanState:
    """Where a loan stands on a day once its repayments up to that day are allocated."""

    on: datetime.date
    shares: tuple[Share, ...]
    paid: dict[int, tuple[int, int]]  # instalment number → (principal paid, interest paid), every instalment
    principal_repaid: int
    interest_repaid: int
    principal_outstanding: int  # the schedule's principal less principal_repaid
    overdue_principal: int  # unpaid of the instalments due before `on`
    overdue_interest: int
    oldest_unpaid_due: datetime.date | None  # the earliest due day before `on` with something unpaid
    days_past_due: int  # days since oldest_unpaid_due, less the days of freezes after it up to `on`
    bucket: str
    debt_group: int
    at_risk: bool  # PAR30: more than 30 days past due or restructured, with principal outstanding
    next_due: Instalment | None  # the first instalment due on or after `on` with something unpaid
    next_due_amount: int  # what is unpaid of it


def replay(
    instalments: Sequence[Instalment],
    payments: Iterable[Payment],
    *,
    on: datetime.date,
    order: Sequence[str] = DEFAULT_ORDER,
    pauses: Iterable[Pause] = (),
    restructured: bool = False,
) -> LoanState:
    """The loan on ``on``: the repayments made by then allocated in the order they were made.

    Raises ValueError when a repayment is more than was payable on its day (``payable_on``).
    """
    states = replay_on(
        instalments, payments, days=[on], order=order, pauses=pauses, restructured=restructured
    )
    return states[on]


def replay_on(
    instalments: Sequence[Instalment],
    payments: Iterable[Payment],
    *,
    days: Iterable[datetime.date],
    order: Sequence[str] = DEFAULT_ORDER,
    pauses: Iterable[Pause] = (),
    restructured: bool = False,
) -> dict[datetime.date, LoanState]:
    """The loan on each of ``days`` (as ``replay`` on each), from one pass over its repayments: a
    report reads every loan at the ends of two periods.

    Raises ValueError when a repayment made by the last of the days is more than was payable on its day.
    """
    ordered = sorted(set(days))
    if not ordered:
        return {}
    pauses = tuple(pauses)
    ledger = _Ledger(instalments)
    made = _made_by(payments, ordered[-1])
    shares: list[Share] = []
    states = {}
    applied = 0
    for on in ordered:
        while applied < len(made) and made[applied].paid_on <= on:
            shares.extend(ledger.apply(made[applied], order))
            applied += 1
        states[on] = _state_on(ledger, shares, on, pauses, restructured)
    return states


def _state_on(
    ledger: "_Ledger", shares: list[Share], on: datetime.date, pauses: tuple[Pause, ...], restructured: bool
) -> LoanState:
    overdue = [instalment for instalment in ledger.instalments if instalment.due_on < on]
    oldest = next((i.due_on for i in overdue if ledger.unpaid_of(i)), None)
    days = (on - oldest).days - _paused_days(oldest, on, pauses) if oldest else 0
    principal_repaid = sum(ledger.paid[i.number, PRINCIPAL] for i in ledger.instalments)
    principal_outstanding = sum(i.principal for i in ledger.instalments) - principal_repaid
    next_due = ledger.current(on)
    return LoanState(
        on=on,
        shares=tuple(shares),
        paid={
            i.number: (ledger.paid[i.number, PRINCIPAL], ledger.paid[i.number, INTEREST])
            for i in ledger.instalments
        },
        principal_repaid=principal_repaid,
        interest_repaid=sum(ledger.paid[i.number, INTEREST] for i in ledger.instalments),
        principal_outstanding=principal_outstanding,
        overdue_principal=sum(ledger.unpaid(i, PRINCIPAL) for i in overdue),
        overdue_interest=sum(ledger.unpaid(i, INTEREST) for i in overdue),
        oldest_unpaid_due=oldest,
        days_past_due=days,
        bucket=bucket_of(days),
        debt_group=debt_group_of(days, restructured),
        at_risk=principal_outstanding > 0 and (days > AT_RISK_DAYS or restructured),
        next_due=next_due,
        next_due_amount=ledger.unpaid_of(next_due) if next_due else 0,
    )


def payable_on(
    instalments: Sequence[Instalment],
    payments: Iterable[Payment],
    day: datetime.date,
    *,
    order: Sequence[str] = DEFAULT_ORDER,
) -> int:
    """The most a new repayment on ``day`` may be once the repayments made by then are allocated: all
    the unpaid principal and the unpaid interest of the instalments up to the current one."""
    ledger = _Ledger(instalments)
    for payment in _made_by(payments, day):
        ledger.apply(payment, order)
    return ledger.payable(day)


def bucket_of(days: int) -> str:
    """The ageing bucket of a loan ``days`` past due."""
    if days < 0:
        raise ValueError("Days past due are zero or more.")
    return next((bucket for most, bucket in BUCKETS if days <= most), OLDEST_BUCKET)


def debt_group_of(days: int, restructured: bool) -> int:
    """The debt group (1-5) of a loan ``days`` past due (Circular 11/2021/TT-NHNN)."""
    if days < 0:
        raise ValueError("Days past due are zero or more.")
    group = next((group for most, group in DEBT_GROUPS if days <= most), LAST_GROUP)
    return max(group, RESTRUCTURED_GROUP) if restructured else group


class _Ledger:
    """What is due and what has been paid of each instalment, as the repayments are applied.

    It keeps the principal left to repay and the first instalment with anything unpaid, so a repayment
    costs the instalments it reaches, not the whole schedule (a report replays every loan).
    """

    def __init__(self, instalments: Sequence[Instalment]) -> None:
        self.instalments = sorted(instalments, key=lambda instalment: (instalment.due_on, instalment.number))
        if len({instalment.number for instalment in instalments}) != len(instalments):
            raise ValueError("Two instalments share a number.")
        self.due_days = [instalment.due_on for instalment in self.instalments]
        self.paid = {(i.number, part): 0 for i in instalments for part in (PRINCIPAL, INTEREST)}
        self.principal_left = sum(instalment.principal for instalment in instalments)
        # Every instalment before this position is paid (or owes nothing any more).
        self.first_open = 0
        # The day a repayment left no principal to repay: the interest of instalments due after it is for
        # money no longer lent, and is not owed.
        self.settled_on: datetime.date | None = None
        self._skip_paid()

    def unpaid(self, instalment: Instalment, part: str) -> int:
        if part == INTEREST and self.settled_on is not None and instalment.due_on > self.settled_on:
            return 0
        due = instalment.principal if part == PRINCIPAL else instalment.interest
        return due - self.paid[instalment.number, part]

    def unpaid_of(self, instalment: Instalment) -> int:
        return self.unpaid(instalment, PRINCIPAL) + self.unpaid(instalment, INTEREST)

    def current_index(self, day: datetime.date) -> int | None:
        """The position of the first instalment due on or after ``day`` with something unpaid."""
        start = max(self.first_open, bisect.bisect_left(self.due_days, day))
        return next(
            (
                index
                for index in range(start, len(self.instalments))
                if self.unpaid_of(self.instalments[index])
            ),
            None,
        )

    def current(self, day: datetime.date) -> Instalment | None:
        index = self.current_index(day)
        return None if index is None else self.instalments[index]

    def payable(self, day: datetime.date) -> int:
        index = self.current_index(day)
        # With no current instalment, everything unpaid fell due before ``day``.
        end = len(self.instalments) if index is None else index + 1
        open_up_to_current = self.instalments[self.first_open : end]
        return self.principal_left + sum(self.unpaid(i, INTEREST) for i in open_up_to_current)

    def apply(self, payment: Payment, order: Sequence[str]) -> list[Share]:
        """Allocate ``payment``; the shares it was split into."""
        if sorted(order) != sorted(DEFAULT_ORDER):
            raise ValueError(f"The order {order!r} does not name each of the four parts once.")
        if payment.amount <= 0:
            raise ValueError(f"Repayment {payment.key} is not positive.")
        if payment.amount > self.payable(payment.paid_on):
            raise ValueError(f"Repayment {payment.key} is more than is payable on {payment.paid_on}.")
        left = payment.amount
        shares = []
        for instalment, part, overdue in self._targets(payment.paid_on, order):
            amount = min(left, self.unpaid(instalment, part))
            if amount:
                self.paid[instalment.number, part] += amount
                if part == PRINCIPAL:
                    self.principal_left -= amount
                shares.append(Share(payment.key, instalment.number, part, overdue, amount))
                left -= amount
            if not left:
                break
        if not self.principal_left:
            self.settled_on = payment.paid_on
        self._skip_paid()
        return shares

    def _skip_paid(self) -> None:
        while self.first_open < len(self.instalments) and not self.unpaid_of(
            self.instalments[self.first_open]
        ):
            self.first_open += 1

    def _targets(self, day: datetime.date, order: Sequence[str]) -> list[tuple[Instalment, str, bool]]:
        """What a repayment on ``day`` pays, in turn: (instalment, part, overdue); the instalments paid
        already are left out."""
        overdue = self.instalments[
            self.first_open : max(self.first_open, bisect.bisect_left(self.due_days, day))
        ]
        index = self.current_index(day)
        current = [] if index is None else [self.instalments[index]]
        later = [] if index is None else self.instalments[index + 1 :]
        by_part = {
            OVERDUE_INTEREST: [(i, INTEREST, True) for i in overdue],
            OVERDUE_PRINCIPAL: [(i, PRINCIPAL, True) for i in overdue],
            CURRENT_INTEREST: [(i, INTEREST, False) for i in current],
            CURRENT_PRINCIPAL: [(i, PRINCIPAL, False) for i in current],
        }
        return [
            *(target for part in order for target in by_part[part]),
            *((i, PRINCIPAL, False) for i in later),
        ]


def _made_by(payments: Iterable[Payment], day: datetime.date) -> list[Payment]:
    """The repayments made by ``day``, in the order they were made."""
    made = sorted(payments, key=lambda payment: (payment.paid_on, payment.key))
    if len({payment.key for payment in made}) != len(made):
        raise ValueError("Two repayments share a key.")
    return [payment for payment in made if payment.paid_on <= day]


def _paused_days(since: datetime.date, until: datetime.date, pauses: Iterable[Pause]) -> int:
    """The days after ``since`` up to ``until`` inside at least one pause (overlaps counted once)."""
    days = 0
    counted_to = since
    for pause in sorted(pauses, key=lambda pause: pause.start):
        first = max(pause.start, counted_to + datetime.timedelta(days=1))
        last = min(pause.end, until)
        if first <= last:
            days += (last - first).days + 1
            counted_to = last
    return days

"""A loan's state and its repayments.

The state is never typed in: the allocation replay (fund/allocation.py) runs the loan's repayments
over its current schedule from the first, so a backdated repayment or a reversal re-allocates every
later one. ``catch_up`` writes the state on the business date into the loan's row before any write
and each morning. The ledger follows the replay: a repayment's posting credits the loan what the
replay says its principal went down by, and interest the rest, so the loan's receivable always equals
its principal outstanding (``check_ledger`` proves it).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fund import allocation, daily_figures, schedules
from fund.models import (
    Account,
    AccountKind,
    Freeze,
    Instalment,
    Loan,
    Repayment,
    ScheduleVersion,
    TransactionKind,
)
from fund.services import ledger
from portal.models import User
from portal.models.people import today
from portal.money import check_amount, dong
from portal.refusals import Refused

# A repayment being recorded has no id yet: it sorts after every repayment of its day.
NEW_PAYMENT = 2**62


def lock_loan(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("fund", "regulation").get(pk=loan.pk)


def terms_of(loan: Loan) -> schedules.Terms:
    return schedules.Terms(
        principal=loan.disbursed,
        yearly_rate_bp=loan.yearly_rate_bp,
        start=loan.start_on,
        term_months=loan.term_months,
        grace_months=loan.grace_months,
        method=loan.method,
        period_months=loan.period_months,
    )


def current_schedule(loan: Loan) -> ScheduleVersion | None:
    return loan.schedules.order_by("-number").first()


def instalments_of(version: ScheduleVersion | None) -> list[schedules.Instalment]:
    if version is None:
        return []
    return [
        schedules.Instalment(row.number, row.due_on, row.principal, row.interest)
        for row in version.instalments.order_by("number")
    ]


def payments_of(loan: Loan, *, leaving_out: Repayment | None = None) -> list[allocation.Payment]:
    rows = loan.repayments.filter(reversal__isnull=True)
    if leaving_out is not None:
        rows = rows.exclude(pk=leaving_out.pk)
    return [
        allocation.Payment(pk, paid_on, amount)
        for pk, paid_on, amount in rows.values_list("pk", "paid_on", "amount")
    ]


def pauses_of(loan: Loan) -> list[allocation.Pause]:
    return [allocation.Pause(start, end) for start, end in loan.freezes.values_list("start", "end")]


def replay(
    loan: Loan, *, on: datetime.date, payments: list[allocation.Payment] | None = None, rows=None
) -> allocation.LoanState:
    return allocation.replay(
        rows if rows is not None else instalments_of(current_schedule(loan)),
        payments if payments is not None else payments_of(loan),
        on=on,
        order=tuple(loan.allocation_order),
        pauses=pauses_of(loan),
        restructured=loan.restructured,
    )


def write_schedule(
    loan: Loan, *, reason: str, effective_from: datetime.date, rows: list[schedules.Instalment]
) -> ScheduleVersion:
    latest = current_schedule(loan)
    version = ScheduleVersion.objects.create(
        loan=loan, number=(latest.number + 1) if latest else 1, reason=reason, effective_from=effective_from
    )
    Instalment.objects.bulk_create(
        Instalment(
            schedule=version,
            number=row.number,
            due_on=row.due_on,
            principal=row.principal,
            interest=row.interest,
        )
        for row in rows
    )
    return version


def _state_fields(loan: Loan, state: allocation.LoanState | None, on: datetime.date) -> dict:
    if state is None:
        return {"state_on": on}
    fields = {
        "state_on": on,
        "principal_repaid": state.principal_repaid,
        "interest_repaid": state.interest_repaid,
        "outstanding": 0 if loan.status == Loan.Status.WRITTEN_OFF else state.principal_outstanding,
        "overdue": state.overdue_principal + state.overdue_interest,
        "days_past_due": state.days_past_due,
        "bucket": state.bucket,
        "debt_group": state.debt_group,
        "at_risk": state.at_risk,
        "next_due_on": state.next_due.due_on if state.next_due else None,
        "next_due_amount": state.next_due_amount,
    }
    if loan.status == Loan.Status.WRITTEN_OFF:
        fields.update(
            overdue=0, days_past_due=0, bucket="current", at_risk=False, next_due_on=None, next_due_amount=0
        )
    return fields


def was_recalled(loan: Loan) -> bool:
    """Recalled once, a loan stays recalled (even repaid, then reopened by a reversal): its receivable
    is the recalled account and its tranches not yet released never will be."""
    return loan.schedules.filter(reason=ScheduleVersion.Reason.RECALL).exists()


def _nothing_left(loan: Loan, state: allocation.LoanState) -> bool:
    unreleased = not was_recalled(loan) and loan.tranches.filter(released_on__isnull=True).exists()
    return (
        not unreleased
        and state.principal_outstanding == 0
        and state.overdue_interest == 0
        and state.next_due is None
    )


def catch_up(loan: Loan, on: datetime.date | None = None) -> Loan:
    """Write the loan's state on ``on`` (the business date) into its row; a loan whose last đồng is paid
    is closed as repaid, one reopened by a reversal is active (or recalled) again. Returns the row as
    written."""
    on = on or today()
    state = replay(loan, on=on) if loan.start_on else None
    fields = _state_fields(loan, state, on)
    if (
        state is not None
        and loan.status in (Loan.Status.ACTIVE, Loan.Status.RECALLED)
        and _nothing_left(loan, state)
    ):
        fields.update(status=Loan.Status.REPAID, closed_on=on)
    elif state is not None and loan.status == Loan.Status.REPAID and not _nothing_left(loan, state):
        fields.update(
            status=Loan.Status.RECALLED if was_recalled(loan) else Loan.Status.ACTIVE, closed_on=None
        )
    Loan.objects.filter(pk=loan.pk).update(**fields)
    for name, value in fields.items():
        setattr(loan, name, value)
    return loan


def receivable(loan: Loan) -> Account:
    kind = AccountKind.RECALLED if was_recalled(loan) else AccountKind.LOAN
    return ledger.account(loan.fund, kind, loan=loan)


def on_books(loan: Loan) -> int:
    """What the ledger says the loan still owes in principal: its receivable accounts' balance."""
    return sum(Account.objects.filter(loan=loan).values_list("balance", flat=True))


def _settlement(loan: Loan, state_after: allocation.LoanState, cash: int) -> list[tuple[Account, int]]:
    """The lines of a posting moving ``cash`` (in: positive, out: negative) that leaves the loan's
    receivable equal to the principal outstanding after the replay; the rest is interest."""
    principal_down = on_books(loan) - state_after.principal_outstanding
    return [
        (ledger.account(loan.fund, AccountKind.CASH), cash),
        (receivable(loan), -principal_down),
        (ledger.account(loan.fund, AccountKind.INTEREST_INCOME), principal_down - cash),
    ]


def _check_repayable(loan: Loan) -> None:
    if loan.status not in (Loan.Status.ACTIVE, Loan.Status.RECALLED):
        raise Refused(
            _("The loan is %(status)s: it takes no repayment.") % {"status": loan.get_status_display()},
            code="loan_closed",
            conflict=True,
        )


def _replayed(loan: Loan, payments: list[allocation.Payment], on: datetime.date) -> allocation.LoanState:
    try:
        return replay(loan, on=on, payments=payments)
    except ValueError as error:
        raise Refused(
            _("This change would make later repayments pay more than the loan owes; reverse those first."),
            code="overpaid_after_replay",
            conflict=True,
        ) from error


@transaction.atomic
def record_repayment(*, loan: Loan, amount: int, paid_on: datetime.date, by: User) -> Repayment:
    """Record money the borrower paid on ``paid_on`` (today or earlier: a backdated repayment replays
    every later one), allocated in the order the loan was approved under."""
    check_amount(amount, _("Amount"), positive=True)
    ledger.lock_fund(loan.fund)
    loan = catch_up(lock_loan(loan))
    _check_repayable(loan)
    if paid_on > today():
        raise Refused(_("The date cannot be in the future."), code="future")
    if paid_on < loan.start_on:
        raise Refused(
            _("The loan was released on %(day)s: a repayment cannot be earlier.")
            % {"day": f"{loan.start_on:%d/%m/%Y}"},
            code="before_release",
        )
    payments = payments_of(loan)
    payable = allocation.payable_on(
        instalments_of(current_schedule(loan)), payments, paid_on, order=tuple(loan.allocation_order)
    )
    if amount > payable:
        raise Refused(
            _(
                "On %(day)s the borrower owes at most %(payable)s (everything overdue, the current "
                "instalment and the principal still to repay)."
            )
            % {"day": f"{paid_on:%d/%m/%Y}", "payable": dong(payable)},
            code="above_owed",
        )
    after = _replayed(loan, [*payments, allocation.Payment(NEW_PAYMENT, paid_on, amount)], today())
    posting = ledger.post(
        fund=loan.fund,
        kind=TransactionKind.REPAYMENT,
        value_date=paid_on,
        lines=_settlement(loan, after, amount),
        by=by,
        memo=_("Repayment of %(loan)s") % {"loan": loan},
        loan=loan,
    )
    repayment = Repayment.objects.create(
        loan=loan, paid_on=paid_on, amount=amount, recorded_by=by, transaction=posting
    )
    catch_up(loan)
    daily_figures.keep_current(loan)
    return repayment


@transaction.atomic
def reverse_repayment(*, repayment: Repayment, by: User, reason: str) -> Repayment:
    """Undo a repayment recorded by mistake: a new posting, and the loan's allocation replayed without it."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the repayment is reversed."), code="reason_required")
    ledger.lock_fund(repayment.loan.fund)
    loan = catch_up(lock_loan(repayment.loan))
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.reversal_id:
        raise Refused(_("This repayment has already been reversed."), code="already_reversed", conflict=True)
    if loan.status == Loan.Status.WRITTEN_OFF:
        raise Refused(
            _("The loan is written off: its repayments stay as they are."), code="loan_closed", conflict=True
        )
    after = _replayed(loan, payments_of(loan, leaving_out=repayment), today())
    posting = ledger.post(
        fund=loan.fund,
        kind=TransactionKind.REVERSAL,
        value_date=repayment.paid_on,
        lines=_settlement(loan, after, -repayment.amount),
        by=by,
        memo=_("Reversal of the repayment of %(day)s: %(reason)s")
        % {"day": f"{repayment.paid_on:%d/%m/%Y}", "reason": reason},
        loan=loan,
        reverses=repayment.transaction,
    )
    repayment.reversal = posting
    repayment.reversal_reason = reason[:300]
    repayment.save(update_fields=["reversal", "reversal_reason"])
    catch_up(loan)
    daily_figures.keep_current(loan)
    return repayment


def freezes_overlapping(loan: Loan, start: datetime.date, end: datetime.date):
    return Freeze.objects.filter(loan=loan, start__lte=end, end__gte=start)

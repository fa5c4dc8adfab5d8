"""Posting to the ledger: one transaction per money event, its entries summing to zero, posted in an
open period under the fund's row lock, cash never below zero; a mistake undone by a reversal."""

import datetime

from django.db import transaction as db_transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from fund.models import Account, AccountKind, ClosedPeriod, Entry, Fund, Loan, Transaction, TransactionKind
from portal.models import User
from portal.models.people import today
from portal.money import dong
from portal.refusals import Refused


def lock_fund(fund: Fund) -> Fund:
    """The fund's row, locked until the caller's transaction ends: every money posting of a fund waits
    for the one before it, so two never read the same cash."""
    if not db_transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_fund must run inside a transaction")
    return Fund.objects.select_for_update().get(pk=fund.pk)


def account(fund: Fund, kind: str, *, source: str = "", loan: Loan | None = None) -> Account:
    if loan is not None:
        found, _created = Account.objects.get_or_create(loan=loan, kind=kind, defaults={"fund": fund})
    else:
        found, _created = Account.objects.get_or_create(fund=fund, kind=kind, source=source, loan=None)
    return found


def cash_of(fund: Fund) -> int:
    return (
        Account.objects.filter(fund=fund, kind=AccountKind.CASH).values_list("balance", flat=True).first()
        or 0
    )


def equity_of(fund: Fund) -> int:
    """What the fund owns: capital received and interest earned, less losses (credits are negative)."""
    kinds = (AccountKind.CAPITAL, AccountKind.INTEREST_INCOME, AccountKind.LOSSES)
    total = Account.objects.filter(fund=fund, kind__in=kinds).aggregate(total=Sum("balance"))["total"]
    return -(total or 0)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def is_closed(fund: Fund, day: datetime.date) -> bool:
    return ClosedPeriod.objects.filter(fund=fund, month=month_of(day)).exists()


def post(
    *,
    fund: Fund,
    kind: str,
    value_date: datetime.date,
    lines: list[tuple[Account, int]],
    by: User,
    memo: str,
    loan: Loan | None = None,
    reverses: Transaction | None = None,
) -> Transaction:
    """Post one transaction (the caller holds the fund's lock): lines with a zero amount are left out;
    what is left must sum to zero. Refused in a closed period or when cash would go below zero."""
    lines = [(account_, amount) for account_, amount in lines if amount]
    if not lines or sum(amount for _account, amount in lines) != 0:
        raise ValueError(f"unbalanced posting: {lines!r}")
    posted_on = today()
    if is_closed(fund, posted_on):
        raise Refused(
            _("The accounting period %(month)s is closed: nothing can be posted in it.")
            % {"month": f"{posted_on:%m/%Y}"},
            code="period_closed",
            conflict=True,
        )
    for account_, amount in lines:
        if account_.kind == AccountKind.CASH:
            balance = Account.objects.filter(pk=account_.pk).values_list("balance", flat=True).get()
            if balance + amount < 0:
                raise Refused(
                    _("The fund has %(cash)s in cash: not enough for this (%(amount)s).")
                    % {"cash": dong(balance), "amount": dong(-amount)},
                    code="not_enough_cash",
                    conflict=True,
                )
    posting = Transaction.objects.create(
        fund=fund,
        kind=kind,
        value_date=value_date,
        posted_on=posted_on,
        period=month_of(posted_on),
        loan=loan,
        reverses=reverses,
        memo=memo[:300],
        by=by,
    )
    Entry.objects.bulk_create(
        Entry(transaction=posting, account=account_, amount=amount) for account_, amount in lines
    )
    for account_, amount in lines:
        Account.objects.filter(pk=account_.pk).update(balance=F("balance") + amount)
    return posting


def reverse(posting: Transaction, *, by: User, memo: str) -> Transaction:
    """A new transaction undoing ``posting`` entry by entry, posted today (the caller holds the lock)."""
    if Transaction.objects.filter(reverses=posting).exists():
        raise Refused(
            _("This transaction has already been reversed."), code="already_reversed", conflict=True
        )
    lines = [(entry.account, -entry.amount) for entry in posting.entries.select_related("account")]
    return post(
        fund=posting.fund,
        kind=TransactionKind.REVERSAL,
        value_date=posting.value_date,
        lines=lines,
        by=by,
        memo=memo,
        loan=posting.loan,
        reverses=posting,
    )


@db_transaction.atomic
def close_period(*, fund: Fund, month: datetime.date, by: User) -> ClosedPeriod:
    """Close a month the fund has reported; only a month that has ended, and each once."""
    month = month_of(month)
    if month >= month_of(today()):
        raise Refused(_("Only a month that has ended can be closed."), code="period_not_ended")
    period, created = ClosedPeriod.objects.get_or_create(fund=fund, month=month, defaults={"closed_by": by})
    if not created:
        raise Refused(_("That month is already closed."), code="period_already_closed", conflict=True)
    return period

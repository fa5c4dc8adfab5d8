"""Proving the ledger: what ``check_ledger`` (the command, the nightly job, the balances page and the
report's flag) finds wrong in it.

- every transaction's entries sum to zero;
- every account's balance equals the sum of its entries;
- every loan's receivable (its loan and recalled-loan accounts) equals the principal outstanding on its
  row and, for an open loan that was released, the principal outstanding by the allocation replay
  today (``fund.services.loans.replay``);
- cash is never below zero.

A handful of grouped statements whatever the number of rows, and the replay of each open loan (left
out with ``replay=False``: the report's flag keeps its number of queries fixed).
"""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fund.models import RECEIVABLE_KINDS, Account, AccountKind, Entry, Fund, Loan
from fund.services import loans
from portal.models.people import today


@dataclass(frozen=True)
class Difference:
    fund: Fund
    what: str
    expected: int
    found: int

    def __str__(self) -> str:
        return _("%(fund)s: %(what)s — expected %(expected)s, found %(found)s") % {
            "fund": self.fund,
            "what": self.what,
            "expected": self.expected,
            "found": self.found,
        }


def differences(fund: Fund | None = None, *, funds=None, replay: bool = True) -> list[Difference]:
    """What is wrong in the ledger of ``fund`` (or of ``funds``, a queryset; or of every fund)."""
    if fund is not None:
        funds = Fund.objects.filter(pk=fund.pk)
    elif funds is None:
        funds = Fund.objects.all()
    by_pk = {row.pk: row for row in funds}
    if not by_pk:
        return []
    return [
        *_unbalanced_transactions(by_pk),
        *_balances_off(by_pk),
        *_cash_below_zero(by_pk),
        *_receivables_off(by_pk, replay=replay),
    ]


def _unbalanced_transactions(by_pk: dict[int, Fund]) -> list[Difference]:
    rows = (
        Entry.objects.filter(transaction__fund_id__in=by_pk)
        .values("transaction_id", "transaction__fund_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transaction_id")
    )
    return [
        Difference(
            by_pk[row["transaction__fund_id"]],
            _("transaction #%(pk)s: its entries do not sum to zero") % {"pk": row["transaction_id"]},
            0,
            row["total"],
        )
        for row in rows
    ]


_entries_sum = (
    Entry.objects.filter(account=OuterRef("pk"))
    .order_by()
    .values("account")
    .annotate(total=Sum("amount"))
    .values("total")
)


def _balances_off(by_pk: dict[int, Fund]) -> list[Difference]:
    rows = (
        Account.objects.filter(fund_id__in=by_pk)
        # A correlated sum per account: grouping every entry by the account's columns took seconds.
        .annotate(entries_total=Coalesce(Subquery(_entries_sum), Value(0)))
        .filter(~Q(balance=F("entries_total")))
        .select_related("loan")
        .order_by("pk")
    )
    return [
        Difference(
            by_pk[row.fund_id],
            _("account “%(account)s”: its balance is not the sum of its entries") % {"account": row},
            row.entries_total,
            row.balance,
        )
        for row in rows
    ]


def _cash_below_zero(by_pk: dict[int, Fund]) -> list[Difference]:
    rows = Account.objects.filter(fund_id__in=by_pk, kind=AccountKind.CASH, balance__lt=0).order_by("pk")
    return [Difference(by_pk[row.fund_id], _("cash is below zero"), 0, row.balance) for row in rows]


def _receivables_off(by_pk: dict[int, Fund], *, replay: bool) -> list[Difference]:
    rows = (
        Loan.objects.filter(fund_id__in=by_pk)
        .annotate(
            receivable=Coalesce(
                Sum("accounts__balance", filter=Q(accounts__kind__in=RECEIVABLE_KINDS)), Value(0)
            )
        )
        .order_by("pk")
    )
    if not replay:  # only the loans whose receivable differs from their row are read
        rows = rows.exclude(receivable=F("outstanding"))
    found = []
    for loan in rows:
        fund = by_pk[loan.fund_id]
        if loan.receivable != loan.outstanding:
            found.append(
                Difference(
                    fund,
                    _("loan %(loan)s: its receivable is not its principal outstanding") % {"loan": loan},
                    loan.outstanding,
                    loan.receivable,
                )
            )
        if replay and loan.is_open and loan.start_on:
            replayed = loans.replay(loan, on=today()).principal_outstanding
            if loan.receivable != replayed:
                found.append(
                    Difference(
                        fund,
                        _("loan %(loan)s: its receivable is not the principal outstanding by the replay")
                        % {"loan": loan},
                        replayed,
                        loan.receivable,
                    )
                )
    return found

"""A fund's ledger: its transactions (filtered by kind, month and loan contract, 50 a page), one
transaction with its entries and its reversal, the balances grouped with the ledger's check, and the
closing of a month that has ended.

The fund's own officers, the council and the standing agency read the ledger (anyone else who sees
the fund gets 403; a transaction outside it is 404); only the fund's officers close a month. A query
string that does not parse answers 400 naming what is wrong, the list shown unfiltered.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fund.access import get_fund_for_user, get_transaction_for_user, reads_ledger_of, runs
from fund.forms.fields import MOST_PAGES, MonthField
from fund.ledger_check import differences
from fund.models import Account, AccountKind, ClosedPeriod, Entry, Fund, Transaction, TransactionKind
from fund.services import ledger
from portal.bounds import WholeNumberField
from portal.pages import attempt
from portal.paging import Kept, ListPaginator

PAGE_SIZE = 50
CLOSED_SHOWN = 12


class TransactionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All")), *TransactionKind.choices],
    )
    period = MonthField(label=gettext_lazy("Month posted (yyyy-mm)"), required=False)
    contract = forms.CharField(label=gettext_lazy("Loan contract"), required=False, max_length=30)
    page = WholeNumberField(label=gettext_lazy("Page"), required=False, min_value=1, max_value=MOST_PAGES)


class PeriodCloseForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month to close (yyyy-mm)"))


def _ledger_fund(user, slug: str) -> Fund:
    fund = get_fund_for_user(user, slug)
    if not reads_ledger_of(user, fund):
        raise PermissionDenied
    return fund


@login_required
@require_GET
def ledger_transactions(request, slug: str):
    fund = _ledger_fund(request.user, slug)
    form = TransactionFilterForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    chosen = form.cleaned_data if valid else {}
    postings = Transaction.objects.visible_to(request.user).filter(fund=fund)
    if chosen.get("kind"):
        postings = postings.filter(kind=chosen["kind"])
    if chosen.get("period"):
        postings = postings.filter(period=chosen["period"])
    if chosen.get("contract"):
        postings = postings.filter(loan__contract_number=chosen["contract"].strip())
    postings = (
        postings.select_related("loan", "by", "reverses")
        .annotate(
            # A correlated sum: summing through a join grouped every posting of the fund before the page.
            debits=Subquery(
                Entry.objects.filter(transaction=OuterRef("pk"), amount__gt=0)
                .order_by()
                .values("transaction")
                .annotate(total=Sum("amount"))
                .values("total")
            ),
            reversed=Exists(Transaction.objects.filter(reverses=OuterRef("pk"))),
        )
        .order_by("-posted_on", "-pk")
    )
    page = ListPaginator(postings, PAGE_SIZE).get_page(chosen.get("page") or 1)
    context = {"fund": fund, "form": form, "page": page}
    return render(request, "fund/ledger/transactions.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def transaction_detail(request, pk: int):
    posting = get_transaction_for_user(request.user, pk)
    entries = list(posting.entries.select_related("account__loan").order_by("pk"))
    for entry in entries:
        entry.debit, entry.credit = max(entry.amount, 0), max(-entry.amount, 0)
    context = {
        "posting": posting,
        "entries": entries,
        "reversal": Transaction.objects.filter(reverses=posting).first(),
    }
    return render(request, "fund/ledger/transaction.html", context)


def _balances(fund: Fund) -> dict:
    """The fund's accounts grouped: cash, capital by source, interest, losses, and the loans' receivables
    added up by kind (two queries)."""
    own = list(Account.objects.filter(fund=fund, loan__isnull=True).order_by("kind", "source"))
    receivables = {
        row["kind"]: row
        for row in Account.objects.filter(fund=fund, loan__isnull=False)
        .values("kind")
        .annotate(total=Sum("balance"), loans=Count("loan", filter=~Q(balance=0)))
        .order_by()
    }

    def total(kind: str) -> int:
        return sum(account.shown_balance for account in own if account.kind == kind)

    return {
        "cash": total(AccountKind.CASH),
        "capital": [account for account in own if account.kind == AccountKind.CAPITAL],
        "capital_total": total(AccountKind.CAPITAL),
        "loans": receivables.get(AccountKind.LOAN, {"total": 0, "loans": 0}),
        "recalled": receivables.get(AccountKind.RECALLED, {"total": 0, "loans": 0}),
        "interest": total(AccountKind.INTEREST_INCOME),
        "losses": total(AccountKind.LOSSES),
    }


def _checked(fund: Fund) -> Kept:
    """The check of the fund's sums, kept for a minute for every reader (portal/paging.py): it reads
    every entry of the fund. The replay of every open loan is the nightly check's (fund/jobs.py). Its
    messages are in the reader's language."""
    return Kept(f"kept:ledger-check:{fund.pk}:{get_language()}", lambda: differences(fund, replay=False))


def _balances_page(request, fund: Fund, *, close_form=None, status: int = 200):
    can_close = runs(request.user, fund)
    checked = _checked(fund)
    context = {
        "fund": fund,
        "balances": _balances(fund),
        "differences": checked.value(),
        "checked_at": checked.moment,
        "closed": ClosedPeriod.objects.filter(fund=fund).select_related("closed_by")[:CLOSED_SHOWN],
        "close_form": (close_form or PeriodCloseForm()) if can_close else None,
    }
    return render(request, "fund/ledger/balances.html", context, status=status)


@login_required
@require_GET
def ledger_balances(request, slug: str):
    return _balances_page(request, _ledger_fund(request.user, slug))


@login_required
@require_POST
def period_close(request, slug: str):
    fund = get_fund_for_user(request.user, slug, for_write=True)
    form = PeriodCloseForm(request.POST)
    closed = attempt(form, lambda data: ledger.close_period(fund=fund, month=data["month"], by=request.user))
    if closed is None:
        return _balances_page(request, fund, close_form=form, status=400)
    messages.success(request, _("The month %(month)s is closed.") % {"month": f"{closed.month:%m/%Y}"})
    return redirect("ledger_balances", slug=fund.slug)

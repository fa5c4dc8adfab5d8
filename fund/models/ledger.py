"""The fund's ledger: double-entry, append-only, in whole đồng.

Every money event posts one ``Transaction`` whose ``Entry`` rows sum to zero (a debit is positive, a
credit negative). Entries and transactions are never changed or deleted — a database trigger refuses
it (migrations/0002) —, a mistake is reversed by a new transaction. Each account keeps its balance as
the sum of its entries, updated in the posting's transaction; cash can never go below zero (a check
constraint), and ``check_ledger`` proves the balances equal the entries and the portfolio.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fund.models.capital import Source
from fund.models.funds import Fund
from portal.models import Team
from portal.models.base import PortalModel
from portal.scope import scope_for


class AccountKind(models.TextChoices):
    CASH = "cash", _("cash at the fund")
    CAPITAL = "capital", _("capital by source")
    LOAN = "loan", _("loan receivable")
    RECALLED = "recalled", _("recalled loan receivable")
    INTEREST_INCOME = "interest_income", _("interest earned")
    LOSSES = "losses", _("loans written off")


# Accounts whose balance is naturally a credit: shown with the sign turned.
CREDIT_KINDS = frozenset({AccountKind.CAPITAL, AccountKind.INTEREST_INCOME})
# What a loan owes the fund: its receivable, until a recall moves it to the recalled receivable.
RECEIVABLE_KINDS = (AccountKind.LOAN, AccountKind.RECALLED)


class Account(PortalModel):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("account"), max_length=20, choices=AccountKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True, default="")
    loan = models.ForeignKey(
        "fund.Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    # The sum of the account's entries, kept in the posting's transaction (debit positive).
    balance = models.BigIntegerField(_("balance (đồng)"), default=0)

    class Meta:
        ordering = ["fund", "kind", "source", "loan"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind", "source"],
                condition=Q(loan__isnull=True),
                name="account_one_per_fund_kind",
            ),
            models.UniqueConstraint(
                fields=["loan", "kind"], condition=Q(loan__isnull=False), name="account_one_per_loan_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.CASH) | Q(balance__gte=0), name="account_cash_never_negative"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.source:
            label = f"{label}: {self.get_source_display()}"
        if self.loan_id:
            label = f"{label}: {self.loan}"
        return str(label)

    @property
    def shown_balance(self) -> int:
        return -self.balance if self.kind in CREDIT_KINDS else self.balance


class TransactionKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("contribution received")
    DISBURSEMENT = "disbursement", _("disbursement")
    REPAYMENT = "repayment", _("repayment")
    REVERSAL = "reversal", _("reversal")
    RECALL = "recall", _("recall")
    WRITE_OFF = "write_off", _("write-off")


class TransactionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TransactionQuerySet":
        """The fund's own officers, the standing agency and the council read the ledger."""
        scope = scope_for(user)
        if scope.oversees or Team.Kind.STANDING_AGENCY in scope.active_team_kinds:
            return self.all()
        return self.filter(fund__team_id__in=scope.team_ids)


class Transaction(PortalModel):
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    # The day the money moved (a repayment's day, which may be earlier than the day it was recorded).
    value_date = models.DateField(_("value date"))
    # The day it was posted, always in an open period; ``period`` is its month's first day.
    posted_on = models.DateField(_("posted on"))
    period = models.DateField(_("accounting period"))
    loan = models.ForeignKey(
        "fund.Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    memo = models.CharField(_("memo"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-pk"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        indexes = [
            models.Index(fields=["fund", "period"], name="transaction_fund_period"),
            # The ledger's list, the latest first: its page read in order, not the fund's postings sorted.
            models.Index(fields=["fund", "-posted_on", "-id"], name="transaction_fund_posted"),
            # The API's ledger over every fund the reader reads, in the same order.
            models.Index(fields=["-posted_on", "-id"], name="transaction_posted"),
            models.Index(fields=["loan", "value_date"], name="transaction_loan_value_date"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.value_date:%d/%m/%Y}"


class Entry(PortalModel):
    transaction = models.ForeignKey(
        Transaction, verbose_name=_("transaction"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.BigIntegerField(_("amount (đồng; debit positive)"))

    class Meta:
        ordering = ["transaction", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


class ClosedPeriod(PortalModel):
    """A month the fund has reported: it takes no new posting (corrections go into the open month)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="closed_periods"
    )
    month = models.DateField(_("month (its first day)"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["fund", "-month"]
        verbose_name = _("closed accounting period")
        verbose_name_plural = _("closed accounting periods")
        constraints = [
            models.UniqueConstraint(fields=["fund", "month"], name="closed_period_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="closed_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.month:%m/%Y}"


class IdempotencyKey(PortalModel):
    """A money request's key: the first request claims it (committed before the work, so a concurrent
    repeat sees it and gets 409); its answer is kept, and a repeat gets that answer, nothing posted."""

    class State(models.TextChoices):
        PROCESSING = "processing", _("being processed")
        DONE = "done", _("done")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    action = models.CharField(max_length=60)
    # A digest of what was asked, so that a key sent again with something else is refused.
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROCESSING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return self.key

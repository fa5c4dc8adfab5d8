"""Random money events against the ledger's invariants.

Hypothesis draws lists of events — contributions, tranche releases, repayments (backdated too),
reversals, write-offs, recalls, freezes and extensions through two-person decisions, and days passing —
and after EACH one checks that every transaction sums to zero, cash never goes below zero, each
account's balance is the sum of its entries, and the ledger equals the portfolio: the loans'
receivables add up to their principal outstanding, and each equals the allocation replay. A refusal is
a fine outcome, provided nothing was posted. Each example runs in a savepoint rolled back at its end.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fund import allocation, ledger_check
from fund.models import (
    Account,
    AccountKind,
    Entry,
    Loan,
    LoanApplication,
    Recommendation,
    Source,
    Status,
    Transaction,
    TransactionKind,
)
from fund.services import decisions, evidence, ledger, loans
from portal.models.people import today
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import fund_dossier

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 11, 18)
EXAMPLES = 40
EVENTS_PER_EXAMPLE = (25, 34)  # with the first release, at least 40 × 26 events in all
LEAST_EVENTS = 1_000
# Per loan: (tranches, term in months, method, repaid every … months).
LOAN_TERMS = (
    ((80_000_000, 40_000_000), 12, "equal_principal", 1),
    ((150_000_000,), 12, "annuity", 3),
    ((60_000_000, 30_000_000, 30_000_000), 18, "annuity", 1),
)
RECEIVABLES = (AccountKind.LOAN, AccountKind.RECALLED)

events = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(1, 45)),
        st.tuples(st.just("contribute"), st.integers(1, 50_000_000)),
        st.tuples(st.just("release"), st.integers(0, 2)),
        st.tuples(st.just("release"), st.integers(0, 2)),
        st.tuples(st.just("repay"), st.integers(0, 2), st.integers(1, 1_100), st.integers(0, 60)),
        st.tuples(st.just("repay"), st.integers(0, 2), st.integers(1, 1_100), st.integers(0, 60)),
        st.tuples(st.just("repay"), st.integers(0, 2), st.integers(1, 1_100), st.integers(0, 60)),
        st.tuples(st.just("repay"), st.integers(0, 2), st.integers(1, 1_100), st.integers(0, 60)),
        st.tuples(st.just("reverse"), st.integers(0, 2), st.integers(0, 10)),
        st.tuples(st.just("reverse"), st.integers(0, 2), st.integers(0, 10)),
        st.tuples(st.just("freeze"), st.integers(0, 2), st.integers(1, 3)),
        st.tuples(st.just("extend"), st.integers(0, 2), st.integers(1, 6)),
        st.tuples(st.just("recall"), st.integers(0, 2)),
        st.tuples(st.just("write_off"), st.integers(0, 2)),
    ),
    min_size=EVENTS_PER_EXAMPLE[0],
    max_size=EVENTS_PER_EXAMPLE[1],
)


@dataclass
class Tally:
    events: int = 0
    done: dict = field(default_factory=dict)  # event kind → how many went through
    refused: dict = field(default_factory=dict)  # refusal code → how many


class Run:
    """One example's events against the world's fund and its three applications."""

    def __init__(self, world, applications, set_today) -> None:
        self.world = world
        self.applications = applications
        self.set_today = set_today
        self.loans: dict[int, Loan] = {}

    def advance(self, days: int) -> None:
        self.set_today(today() + datetime.timedelta(days=days))

    def contribute(self, amount: int) -> None:
        fund = self.world.fund
        with transaction.atomic():
            ledger.lock_fund(fund)
            ledger.post(
                fund=fund,
                kind=TransactionKind.CONTRIBUTION,
                value_date=today(),
                lines=[
                    (ledger.account(fund, AccountKind.CASH), amount),
                    (ledger.account(fund, AccountKind.CAPITAL, source=Source.INDIVIDUAL), -amount),
                ],
                by=self.world.officer,
                memo="Góp vốn",
            )

    def approve(self, decision) -> None:
        decisions.approve(decision=decision, by=self.world.checker, note="Đồng ý.")

    def release(self, index: int) -> None:
        loan = self.loans.get(index)
        if loan is None:
            loan = self.loans[index] = self.contract(index)
        tranche = loan.tranches.filter(released_on__isnull=True).order_by("number").first()
        if tranche is None:
            raise Refused("every tranche is released", code="nothing_to_release")
        if tranche.number > 1 and tranche.evidence_state != tranche.Evidence.ACCEPTED:
            evidence.submit_evidence(tranche=tranche, by=self.world.officer, evidence="Hoá đơn mua máy.")
            evidence.review_evidence(tranche=tranche, by=self.world.checker, accepted=True)
        self.approve(decisions.propose_release(tranche=tranche, by=self.world.officer, reason="Giải ngân."))

    def contract(self, index: int) -> Loan:
        application = self.applications[index]
        tranches, term_months, method, period_months = LOAN_TERMS[index]
        amount = sum(tranches)
        LoanApplication.objects.filter(pk=application.pk).update(
            status=Status.RECOMMENDED,
            recommendation=Recommendation.LEND,
            recommended_amount=amount,
            recommended_by=self.world.officer,
            recommended_on=today(),
        )
        decision = decisions.propose_loan(
            application=application,
            by=self.world.officer,
            amount=amount,
            term_months=term_months,
            grace_months=0,
            method=method,
            period_months=period_months,
            tranches=[(part, f"Đợt {number}") for number, part in enumerate(tranches, start=1)],
            reason="Phương án khả thi.",
        )
        self.approve(decision)
        return Loan.objects.get(application=application)

    def loan(self, index: int) -> Loan:
        """One of the loans made so far, an open one if any (each example starts by releasing the first)."""
        made = Loan.objects.filter(pk__in=[loan.pk for loan in self.loans.values()]).order_by("pk")
        chosen = list(made.open()) or list(made)
        return chosen[index % len(chosen)]

    def repay(self, index: int, permille: int, days_back: int) -> None:
        loan = self.loan(index)
        paid_on = today() - datetime.timedelta(days=days_back)
        if loan.start_on and paid_on < loan.start_on and days_back % 7:
            paid_on = loan.start_on  # mostly within the loan's life; sometimes before (refused)
        owed = 0
        if loan.start_on:
            owed = allocation.payable_on(
                loans.instalments_of(loans.current_schedule(loan)), loans.payments_of(loan), paid_on
            )
        amount = max(1, owed * permille // 1_000) if owed else 1_000_000
        loans.record_repayment(loan=loan, amount=amount, paid_on=paid_on, by=self.world.officer)

    def reverse(self, index: int, which: int) -> None:
        standing = list(self.loan(index).repayments.filter(reversal__isnull=True).order_by("pk"))
        if not standing:
            raise Refused("nothing to reverse", code="no_repayment")
        repayment = standing[which % len(standing)]
        loans.reverse_repayment(repayment=repayment, by=self.world.checker, reason="Ghi nhầm.")

    def freeze(self, index: int, months: int) -> None:
        decision = decisions.propose_freeze(
            loan=self.loan(index), by=self.world.officer, start=today(), months=months, reason="Thiên tai."
        )
        self.approve(decision)

    def extend(self, index: int, periods: int) -> None:
        decision = decisions.propose_extension(
            loan=self.loan(index), by=self.world.officer, extra_periods=periods, reason="Gia hạn."
        )
        self.approve(decision)

    def recall(self, index: int) -> None:
        decision = decisions.propose_recall(
            loan=self.loan(index), by=self.world.officer, reason="Sai mục đích."
        )
        self.approve(decision)

    def write_off(self, index: int) -> None:
        decision = decisions.propose_write_off(
            loan=self.loan(index), by=self.world.officer, reason="Giải thể."
        )
        self.approve(decision)


def ledger_state() -> tuple:
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance")),
    )


def assert_invariants(fund) -> None:
    unbalanced = Entry.objects.values("transaction").annotate(total=Sum("amount")).exclude(total=0)
    assert list(unbalanced) == []
    assert ledger.cash_of(fund) >= 0
    for account in Account.objects.filter(fund=fund).annotate(total=Sum("entries__amount")):
        assert account.balance == (account.total or 0), account
    receivables = Account.objects.filter(fund=fund, kind__in=RECEIVABLES).aggregate(total=Sum("balance"))
    outstanding = Loan.objects.filter(fund=fund).aggregate(total=Sum("outstanding"))
    assert (receivables["total"] or 0) == (outstanding["total"] or 0)
    for loan in Loan.objects.filter(fund=fund):
        assert loans.on_books(loan) == loan.outstanding, loan
        if loan.is_open and loan.start_on:
            assert loans.on_books(loan) == loans.replay(loan, on=today()).principal_outstanding, loan


def more_applications(world, count: int) -> list[LoanApplication]:
    """``count`` more applications like the world's, each on a dossier of its own."""
    made = []
    for _number in range(count):
        dossier = fund_dossier(world.shop, world.officer)
        application = LoanApplication.objects.get(pk=world.application.pk)
        application.pk = None
        application.dossier = dossier
        application.unit = dossier.unit
        application.save(force_insert=True)
        made.append(application)
    return made


def test_random_money_events_keep_the_ledger_whole(fund_world, set_today):
    applications = [fund_world.application, *more_applications(fund_world, 2)]
    tally = Tally()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(events=events)
    def run(events) -> None:
        set_today(START)
        with transaction.atomic():
            world = Run(fund_world, applications, set_today)
            for kind, *arguments in [("release", 0), *events]:
                before = ledger_state()
                tally.events += 1
                try:
                    getattr(world, kind)(*arguments)
                except Refused as refusal:
                    tally.refused[refusal.code] = tally.refused.get(refusal.code, 0) + 1
                    assert ledger_state() == before
                else:
                    tally.done[kind] = tally.done.get(kind, 0) + 1
                assert_invariants(fund_world.fund)
            assert ledger_check.differences(fund_world.fund) == []
            transaction.set_rollback(True)

    run()
    assert tally.events >= LEAST_EVENTS
    # Each kind of event went through at least once, not only its refusals.
    assert set(tally.done) == {
        "advance",
        "contribute",
        "release",
        "repay",
        "reverse",
        "freeze",
        "extend",
        "recall",
        "write_off",
    }, tally

"""Money requests arriving at once, on PostgreSQL (SQLite serialises every writer anyway): twenty
approvals of releases against cash for fifteen post exactly fifteen; two requests with one idempotency
key post once."""

import datetime
import threading

import pytest
from django.db import connection, connections

from fund import ledger_check
from fund.idempotency import Answer, run_once
from fund.models import Account, AccountKind, Decision, LoanApplication, Repayment, Transaction
from fund.services import changes, decisions, ledger, loans
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import STATE_BUDGET, fund_dossier

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 20
AFFORDABLE = 15
TRANCHE = STATE_BUDGET // AFFORDABLE  # 200 million: the fund's cash pays exactly fifteen


def at_once(count: int, job) -> list:
    """``job(number)`` in ``count`` threads started together; what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(number: int) -> None:
        try:
            barrier.wait()
            results[number] = job(number)
        except Exception as error:  # the outcome is what the test reads
            results[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def pending_releases(world, count: int) -> list[Decision]:
    """``count`` approved loans of one tranche each, their releases proposed and waiting."""
    template = LoanApplication.objects.get(pk=world.application.pk)
    waiting = []
    for number in range(count):
        if number:
            dossier = fund_dossier(world.shop, world.officer)
            application = LoanApplication.objects.get(pk=template.pk)
            application.pk = None
            application.dossier = dossier
            application.save(force_insert=True)
        else:
            application = template
        command = {
            "amount": TRANCHE,
            "term_months": 24,
            "grace_months": 0,
            "method": "equal_principal",
            "period_months": 1,
            "tranches": [[TRANCHE, "Ký hợp đồng"]],
        }
        loan = changes.create_loan(application, command, on=datetime.date(2026, 11, 18))
        waiting.append(
            decisions.propose_release(tranche=loan.tranches.get(), by=world.officer, reason="Giải ngân.")
        )
    return waiting


def test_twenty_releases_against_cash_for_fifteen_post_fifteen(fund_world):
    assert ledger.cash_of(fund_world.fund) == AFFORDABLE * TRANCHE
    waiting = pending_releases(fund_world, REQUESTS)

    def approve(number: int):
        return decisions.approve(decision=waiting[number], by=fund_world.checker)

    results = at_once(REQUESTS, approve)
    approved = [result for result in results if isinstance(result, Decision)]
    refusals = [result for result in results if isinstance(result, Refused)]
    assert len(approved) == AFFORDABLE, results
    assert [refusal.code for refusal in refusals] == ["not_enough_cash"] * (REQUESTS - AFFORDABLE)
    assert Transaction.objects.filter(kind="disbursement").count() == AFFORDABLE
    assert Decision.objects.filter(kind="disburse", status=Decision.Status.APPROVED).count() == AFFORDABLE
    assert Decision.objects.filter(kind="disburse", status=Decision.Status.PENDING).count() == 5
    assert ledger.cash_of(fund_world.fund) == 0
    loan_accounts = Account.objects.filter(kind=AccountKind.LOAN)
    assert sorted(loan_accounts.values_list("balance", flat=True)) == [TRANCHE] * AFFORDABLE
    assert ledger_check.differences(fund_world.fund) == []


def test_two_requests_with_one_key_post_once(fund_world):
    loan = fund_world.released_loan()

    def request(number: int) -> Answer:
        def work() -> Answer:
            repayment = loans.record_repayment(
                loan=loan, amount=1_000_000, paid_on=datetime.date(2026, 11, 18), by=fund_world.officer
            )
            return Answer(201, {"id": repayment.pk})

        return run_once(
            user=fund_world.officer,
            key="same-key-0001",
            action="repayment",
            payload={"loan": loan.pk, "amount": 1_000_000},
            work=work,
        )

    results = at_once(2, request)
    posted = [result for result in results if isinstance(result, Answer) and not result.repeated]
    others = [result for result in results if result not in posted]
    assert len(posted) == 1 and posted[0].status == 201, results
    (other,) = others
    assert (isinstance(other, Refused) and other.code == "idempotency_key_in_progress") or (
        isinstance(other, Answer) and other.repeated and other.body == posted[0].body
    ), other
    assert Repayment.objects.count() == 1
    assert Transaction.objects.filter(kind="repayment").count() == 1
    assert ledger_check.differences(fund_world.fund) == []

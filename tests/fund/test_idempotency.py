"""Idempotency keys of money requests: a repeat gets the first answer and posts nothing; a key reused for
another request, or still being processed, is refused; a stale key is taken over; a refusal is kept as
the answer; anything unexpected releases the key — and leaves no half transaction behind."""

import datetime

import pytest
from django.utils import timezone

from fund import idempotency, ledger_check
from fund.idempotency import Answer, run_once
from fund.models import Account, Entry, IdempotencyKey, Loan, Repayment, Transaction
from fund.services import loans
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

KEY = "c0ffee-1234-abcd"
PAID_ON = datetime.date(2026, 11, 18)


@pytest.fixture
def loan(fund_world) -> Loan:
    return fund_world.released_loan()


def repay(world, loan: Loan, amount: int, key: str = KEY) -> Answer:
    def work() -> Answer:
        repayment = loans.record_repayment(loan=loan, amount=amount, paid_on=PAID_ON, by=world.officer)
        return Answer(201, {"id": repayment.pk, "amount": amount})

    return run_once(
        user=world.officer,
        key=key,
        action="repayment",
        payload={"loan": loan.pk, "amount": amount, "paid_on": PAID_ON},
        work=work,
    )


def balances() -> list[tuple[int, int]]:
    return list(Account.objects.order_by("pk").values_list("pk", "balance"))


def test_a_repeat_returns_the_first_answer_and_posts_nothing(fund_world, loan):
    first = repay(fund_world, loan, 1_000_000)
    postings = Transaction.objects.count()
    again = repay(fund_world, loan, 1_000_000)
    assert (first.status, first.repeated) == (201, False)
    assert (again.status, again.body, again.repeated) == (201, first.body, True)
    assert Transaction.objects.count() == postings
    assert Repayment.objects.count() == 1
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.DONE


def test_a_key_is_the_users_own(fund_world, loan):
    repay(fund_world, loan, 1_000_000)
    answer = run_once(
        user=fund_world.checker,
        key=KEY,
        action="repayment",
        payload={"loan": loan.pk, "amount": 1_000_000, "paid_on": PAID_ON},
        work=lambda: Answer(201, {"id": 0}),
    )
    assert not answer.repeated


def test_a_key_reused_for_another_request_is_refused(fund_world, loan):
    repay(fund_world, loan, 1_000_000)
    postings = Transaction.objects.count()
    with pytest.raises(Refused) as refused:
        repay(fund_world, loan, 2_000_000)
    assert refused.value.code == "idempotency_key_reused"
    assert Transaction.objects.count() == postings


@pytest.mark.parametrize("key", ["", "short", "x" * 101, "has space 123", None, 12345678])
def test_a_missing_or_malformed_key_is_refused(fund_world, loan, key):
    with pytest.raises(Refused) as refused:
        repay(fund_world, loan, 1_000_000, key=key)
    assert refused.value.code == "idempotency_key"
    assert not Repayment.objects.exists()


def test_a_key_being_processed_answers_409(fund_world, loan):
    IdempotencyKey.objects.create(
        user=fund_world.officer,
        key=KEY,
        action="repayment",
        fingerprint=idempotency.fingerprint(
            "repayment", {"loan": loan.pk, "amount": 1_000_000, "paid_on": PAID_ON}
        ),
    )
    with pytest.raises(Refused) as refused:
        repay(fund_world, loan, 1_000_000)
    assert (refused.value.code, refused.value.conflict) == ("idempotency_key_in_progress", True)
    assert not Repayment.objects.exists()


def test_a_stale_key_is_taken_over(fund_world, loan):
    claimed = IdempotencyKey.objects.create(
        user=fund_world.officer,
        key=KEY,
        action="repayment",
        fingerprint=idempotency.fingerprint(
            "repayment", {"loan": loan.pk, "amount": 1_000_000, "paid_on": PAID_ON}
        ),
    )
    stale = timezone.now() - idempotency.STALE_AFTER - datetime.timedelta(seconds=1)
    IdempotencyKey.objects.filter(pk=claimed.pk).update(created_at=stale)
    answer = repay(fund_world, loan, 1_000_000)
    assert (answer.status, answer.repeated) == (201, False)
    assert Repayment.objects.count() == 1
    claimed.refresh_from_db()
    assert claimed.state == IdempotencyKey.State.DONE
    assert claimed.created_at > stale


def test_a_refusal_is_kept_as_the_answer(fund_world, loan):
    first = repay(fund_world, loan, 10**12)  # far more than is owed
    assert (first.status, first.body["code"]) == (400, "above_owed")
    again = repay(fund_world, loan, 10**12)
    assert (again.status, again.body, again.repeated) == (400, first.body, True)
    assert not Repayment.objects.exists()


def test_a_conflict_is_kept_as_a_409(fund_world, loan):
    Loan.objects.filter(pk=loan.pk).update(status=Loan.Status.WRITTEN_OFF)
    answer = repay(fund_world, loan, 1_000_000)
    assert (answer.status, answer.body["code"]) == (409, "loan_closed")


def test_an_unexpected_error_releases_the_key(fund_world, loan):
    def broken() -> Answer:
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        run_once(user=fund_world.officer, key=KEY, action="repayment", payload={}, work=broken)
    assert not IdempotencyKey.objects.exists()
    # The retry with the same key does the work.
    answer = run_once(
        user=fund_world.officer, key=KEY, action="repayment", payload={}, work=lambda: Answer(201, {"ok": 1})
    )
    assert (answer.status, answer.repeated) == (201, False)


def test_the_posting_and_the_answer_kept_commit_together(fund_world, loan):
    before = (Transaction.objects.count(), balances())

    def answer_that_cannot_be_kept() -> Answer:
        repayment = loans.record_repayment(
            loan=loan, amount=1_000_000, paid_on=PAID_ON, by=fund_world.officer
        )
        return Answer(201, {"paid_on": repayment.paid_on})  # a date: not JSON

    with pytest.raises(TypeError):
        run_once(
            user=fund_world.officer, key=KEY, action="repayment", payload={}, work=answer_that_cannot_be_kept
        )
    # Nothing was posted, so the retry that the released key allows cannot post twice.
    assert (Transaction.objects.count(), balances()) == before
    assert not Repayment.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_a_worker_killed_mid_posting_leaves_no_half_transaction(fund_world, loan, monkeypatch):
    before = (Transaction.objects.count(), Entry.objects.count(), balances())

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(Entry.objects, "bulk_create", killed)
    with pytest.raises(SystemExit):
        repay(fund_world, loan, 1_000_000)
    monkeypatch.undo()
    assert (Transaction.objects.count(), Entry.objects.count(), balances()) == before
    assert not Repayment.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert ledger_check.differences(fund_world.fund) == []
    # The retry posts once.
    assert repay(fund_world, loan, 1_000_000).status == 201
    assert Repayment.objects.count() == 1

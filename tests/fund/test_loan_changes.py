"""Approved changes to a loan: an extension and a freeze regenerate the schedule from their day as a new
version (the old kept); a recall moves the receivable and makes everything due; a write-off posts the
loss and closes the loan. After each, the loan's receivable equals its principal outstanding and every
transaction sums to zero."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Sum

from fund import allocation, ledger_check
from fund.models import AccountKind, Entry, Loan, ScheduleVersion, Transaction, TransactionKind
from fund.services import decisions, evidence, ledger, loans
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

RELEASED_ON = datetime.date(2026, 11, 18)
AMOUNT = 120_000_000


def released(world, set_today) -> Loan:
    set_today(RELEASED_ON)
    return world.released_loan(amount=AMOUNT)


def carried_out(world, decision) -> Loan:
    decisions.approve(decision=decision, by=world.checker, note="Đồng ý.")
    loan = Loan.objects.get(pk=decision.loan_id)
    assert_books(loan)
    return loan


def assert_books(loan: Loan) -> None:
    loan.refresh_from_db()
    assert loans.on_books(loan) == loan.outstanding
    unbalanced = Entry.objects.values("transaction").annotate(total=Sum("amount")).exclude(total=0)
    assert not unbalanced.exists()
    assert ledger_check.differences(loan.fund) == []


def versions(loan: Loan) -> list[tuple[int, str]]:
    return list(loan.schedules.order_by("number").values_list("number", "reason"))


def rows_of(version: ScheduleVersion) -> list[tuple]:
    return list(version.instalments.order_by("number").values_list("due_on", "principal", "interest"))


def pay(world, loan: Loan, amount: int, paid_on: datetime.date):
    loans.record_repayment(loan=loan, amount=amount, paid_on=paid_on, by=world.officer)
    assert_books(loan)


def written_off(world, loan: Loan) -> Loan:
    decision = decisions.propose_write_off(loan=loan, by=world.officer, reason="Doanh nghiệp giải thể.")
    return carried_out(world, decision)


def test_an_extension_regenerates_the_schedule_from_its_day_and_keeps_the_old(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 2, 1))
    pay(fund_world, loan, 5_300_000, datetime.date(2026, 12, 18))  # the first instalment, on time
    first = loans.current_schedule(loan)
    before = rows_of(first)
    decision = decisions.propose_extension(
        loan=loan, by=fund_world.officer, extra_periods=6, reason="Mất mùa, xin gia hạn 6 tháng."
    )
    loan = carried_out(fund_world, decision)
    assert versions(loan) == [(1, "release"), (2, "extension")]
    assert rows_of(first) == before  # the old version is kept as it was
    new = loans.current_schedule(loan)
    assert new.effective_from == datetime.date(2027, 2, 1)
    rows = rows_of(new)
    # The paid instalment stays; the one due 18/01 (unpaid) is gone, its principal spread again.
    assert rows[0] == (datetime.date(2026, 12, 18), 5_000_000, 300_000)
    assert rows[1][0] == datetime.date(2027, 2, 18)
    assert rows[-1][0] == RELEASED_ON + relativedelta(months=30)
    assert sum(row[1] for row in rows) == AMOUNT
    assert (loan.term_months, loan.restructured, loan.debt_group) == (30, True, 2)
    assert (loan.days_past_due, loan.outstanding) == (0, AMOUNT - 5_000_000)
    # The unpaid interest of 18/01 moved onto the first new instalment.
    assert rows[1][2] == 287_500 + 115_000_000 * 300 // 120_000
    # Repayments go on against the new version.
    set_today(datetime.date(2027, 2, 18))
    pay(fund_world, loan, rows[1][1] + rows[1][2], datetime.date(2027, 2, 18))
    loan.refresh_from_db()
    assert loan.next_due_on == datetime.date(2027, 3, 18)


def test_a_freeze_moves_the_later_instalments_and_a_second_overlapping_one_is_refused(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 1, 1))
    decision = decisions.propose_freeze(
        loan=loan, by=fund_world.officer, start=datetime.date(2027, 1, 1), months=3, reason="Lũ lụt."
    )
    loan = carried_out(fund_world, decision)
    assert versions(loan) == [(1, "release"), (2, "freeze")]
    freeze = loan.freezes.get()
    assert (freeze.start, freeze.end, freeze.decision_id) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 31),
        decision.pk,
    )
    due = [row[0] for row in rows_of(loans.current_schedule(loan))]
    assert due[:3] == [datetime.date(2026, 12, 18), datetime.date(2027, 4, 18), datetime.date(2027, 5, 18)]
    for start in (datetime.date(2027, 3, 31), datetime.date(2027, 1, 15)):
        with pytest.raises(Refused) as refused:
            decisions.propose_freeze(loan=loan, by=fund_world.officer, start=start, months=1, reason="Lần 2.")
        assert refused.value.code == "freeze_overlap"
    # The day after the first one ends is free.
    later = decisions.propose_freeze(
        loan=loan, by=fund_world.officer, start=datetime.date(2027, 4, 1), months=1, reason="Lần 2."
    )
    carried_out(fund_world, later)
    assert loan.freezes.count() == 2


def test_a_freeze_approved_after_its_first_day_is_refused(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 1, 1))
    decision = decisions.propose_freeze(
        loan=loan, by=fund_world.officer, start=datetime.date(2027, 1, 1), months=2, reason="Hạn hán."
    )
    set_today(datetime.date(2027, 1, 5))
    with pytest.raises(Refused) as refused:
        decisions.approve(decision=decision, by=fund_world.checker)
    assert refused.value.code == "freeze_in_past"
    assert not loan.freezes.exists()
    assert versions(loan) == [(1, "release")]


def test_a_written_off_loan_takes_no_schedule_change(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 6, 1))
    loan = written_off(fund_world, loan)
    postings = Transaction.objects.count()
    changes = [
        lambda: decisions.propose_extension(
            loan=loan, by=fund_world.officer, extra_periods=3, reason="Gia hạn."
        ),
        lambda: decisions.propose_freeze(
            loan=loan, by=fund_world.officer, start=datetime.date(2027, 6, 1), months=1, reason="Khoanh."
        ),
        lambda: decisions.propose_recall(loan=loan, by=fund_world.officer, reason="Thu hồi."),
        lambda: decisions.propose_write_off(loan=loan, by=fund_world.officer, reason="Lần nữa."),
    ]
    for change in changes:
        with pytest.raises(Refused) as refused:
            change()
        assert refused.value.code in ("loan_not_active", "nothing_owed")
    assert Transaction.objects.count() == postings
    assert versions(loan) == [(1, "release")]


def test_an_extension_prepared_before_the_write_off_is_refused_when_checked(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 6, 1))
    extension = decisions.propose_extension(
        loan=loan, by=fund_world.officer, extra_periods=3, reason="Gia hạn."
    )
    written_off(fund_world, loan)
    with pytest.raises(Refused) as refused:
        decisions.approve(decision=extension, by=fund_world.checker)
    assert refused.value.code == "loan_not_active"
    extension.refresh_from_db()
    assert extension.status == extension.Status.PENDING
    assert versions(loan) == [(1, "release")]


def test_a_recall_posts_the_transfer_and_everything_falls_due(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 1, 5))
    pay(fund_world, loan, 5_300_000, datetime.date(2026, 12, 18))
    recall_on = datetime.date(2027, 2, 10)
    set_today(recall_on)
    decision = decisions.propose_recall(loan=loan, by=fund_world.officer, reason="Dùng vốn sai mục đích.")
    loan = carried_out(fund_world, decision)
    assert loan.status == Loan.Status.RECALLED
    assert versions(loan) == [(1, "release"), (2, "recall")]
    posting = Transaction.objects.get(decision=decision)
    assert posting.kind == TransactionKind.RECALL
    lines = {entry.account.kind: entry.amount for entry in posting.entries.all()}
    assert lines == {AccountKind.RECALLED: AMOUNT - 5_000_000, AccountKind.LOAN: -(AMOUNT - 5_000_000)}
    assert ledger.account(loan.fund, AccountKind.LOAN, loan=loan).balance == 0
    assert ledger.account(loan.fund, AccountKind.RECALLED, loan=loan).balance == loan.outstanding
    rows = rows_of(loans.current_schedule(loan))
    # Kept: the paid instalment and the one overdue since 18/01; the rest falls due on the recall day.
    assert [row[0] for row in rows] == [datetime.date(2026, 12, 18), datetime.date(2027, 1, 18), recall_on]
    assert rows[2][1] == AMOUNT - 10_000_000
    # 110 million for the 23 days since 18/01 at 3 %/year.
    assert rows[2][2] == 110_000_000 * 300 * 23 // 3_650_000
    set_today(recall_on + datetime.timedelta(days=1))
    loan = loans.catch_up(loan)
    assert loan.overdue == AMOUNT - 5_000_000 + 287_500 + rows[2][2]
    assert loan.next_due_on is None
    # A repayment on a recalled loan credits the recalled receivable.
    pay(fund_world, loan, 10_000_000, recall_on + datetime.timedelta(days=1))
    loan.refresh_from_db()
    assert ledger.account(loan.fund, AccountKind.RECALLED, loan=loan).balance == loan.outstanding
    # A recalled loan takes no more schedule change, but may be written off.
    with pytest.raises(Refused):
        decisions.propose_extension(loan=loan, by=fund_world.officer, extra_periods=3, reason="Gia hạn.")
    loan = written_off(fund_world, loan)
    assert ledger.account(loan.fund, AccountKind.RECALLED, loan=loan).balance == 0


def test_a_write_off_posts_the_loss_and_closes_the_loan(fund_world, set_today):
    loan = released(fund_world, set_today)
    set_today(datetime.date(2027, 1, 5))
    pay(fund_world, loan, 5_300_000, datetime.date(2026, 12, 18))
    set_today(datetime.date(2027, 9, 1))
    equity = ledger.equity_of(loan.fund)
    decision = decisions.propose_write_off(loan=loan, by=fund_world.officer, reason="Doanh nghiệp giải thể.")
    assert decision.command == {"outstanding": AMOUNT - 5_000_000}
    loan = carried_out(fund_world, decision)
    posting = Transaction.objects.get(decision=decision)
    lines = {entry.account.kind: entry.amount for entry in posting.entries.all()}
    assert lines == {AccountKind.LOSSES: AMOUNT - 5_000_000, AccountKind.LOAN: -(AMOUNT - 5_000_000)}
    assert (loan.status, loan.closed_on) == (Loan.Status.WRITTEN_OFF, datetime.date(2027, 9, 1))
    assert (loan.written_off, loan.outstanding, loan.overdue, loan.days_past_due) == (
        AMOUNT - 5_000_000,
        0,
        0,
        0,
    )
    assert ledger.equity_of(loan.fund) == equity - (AMOUNT - 5_000_000)
    with pytest.raises(Refused) as refused:
        loans.reverse_repayment(repayment=loan.repayments.get(), by=fund_world.checker, reason="Nhầm.")
    assert refused.value.code == "loan_closed"
    # Caught up later, a written-off loan stays closed with nothing outstanding.
    set_today(datetime.date(2028, 1, 1))
    loan = loans.catch_up(loan)
    assert (loan.status, loan.outstanding, loan.days_past_due) == (Loan.Status.WRITTEN_OFF, 0, 0)
    assert_books(loan)


def test_a_later_tranche_regenerates_the_schedule_and_keeps_the_books(fund_world, set_today):
    set_today(RELEASED_ON)
    loan = fund_world.released_loan(
        amount=AMOUNT, tranches=[(80_000_000, "Ký hợp đồng"), (40_000_000, "Xưởng xây xong")]
    )
    set_today(datetime.date(2027, 2, 1))
    pay(fund_world, loan, 3_000_000, datetime.date(2026, 12, 18))
    tranche = loan.tranches.get(number=2)
    evidence.submit_evidence(
        tranche=tranche, by=fund_world.cast.applicant, evidence="Biên bản nghiệm thu xưởng."
    )
    evidence.review_evidence(tranche=tranche, by=fund_world.officer, accepted=True)
    decision = decisions.propose_release(tranche=tranche, by=fund_world.officer, reason="Giải ngân đợt 2.")
    decisions.approve(decision=decision, by=fund_world.checker)
    loan.refresh_from_db()
    assert_books(loan)
    assert versions(loan) == [(1, "release"), (2, "tranche")]
    assert (loan.disbursed, sum(row[1] for row in rows_of(loans.current_schedule(loan)))) == (AMOUNT, AMOUNT)


def recalled(world, set_today, tranches) -> Loan:
    set_today(RELEASED_ON)
    loan = world.released_loan(amount=AMOUNT, tranches=tranches)
    set_today(datetime.date(2027, 1, 10))
    decision = decisions.propose_recall(loan=loan, by=world.officer, reason="Dùng vốn sai mục đích.")
    return carried_out(world, decision)


def paid_up(world, loan: Loan, day: datetime.date):
    owed = allocation.payable_on(
        loans.instalments_of(loans.current_schedule(loan)), loans.payments_of(loan), day
    )
    return loans.record_repayment(loan=loan, amount=owed, paid_on=day, by=world.officer)


def test_a_recalled_loan_paid_up_is_repaid_though_a_tranche_was_never_released(fund_world, set_today):
    loan = recalled(fund_world, set_today, [(80_000_000, "Ký hợp đồng"), (40_000_000, "Xưởng xây xong")])
    second = loan.tranches.get(number=2)
    evidence.submit_evidence(tranche=second, by=fund_world.officer, evidence="Biên bản nghiệm thu.")
    evidence.review_evidence(tranche=second, by=fund_world.checker, accepted=True)
    with pytest.raises(Refused) as refused:
        decisions.propose_release(tranche=loan.tranches.get(number=2), by=fund_world.officer, reason="Đợt 2.")
    assert refused.value.code == "loan_not_active"
    paid_up(fund_world, loan, datetime.date(2027, 1, 10))
    assert_books(loan)
    assert (loan.status, loan.outstanding) == (Loan.Status.REPAID, 0)


def test_a_reversal_reopens_a_recalled_loan_as_recalled(fund_world, set_today):
    loan = recalled(fund_world, set_today, [(AMOUNT, "Ký hợp đồng")])
    repayment = paid_up(fund_world, loan, datetime.date(2027, 1, 10))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    set_today(datetime.date(2027, 1, 12))
    loans.reverse_repayment(repayment=repayment, by=fund_world.checker, reason="Séc bị trả lại.")
    assert_books(loan)
    assert loan.status == Loan.Status.RECALLED
    # The money owed is back on the recalled receivable, not on the loan's.
    assert ledger.account(loan.fund, AccountKind.RECALLED, loan=loan).balance == AMOUNT
    assert ledger.account(loan.fund, AccountKind.LOAN, loan=loan).balance == 0
    with pytest.raises(Refused):
        decisions.propose_extension(loan=loan, by=fund_world.officer, extra_periods=3, reason="Gia hạn.")

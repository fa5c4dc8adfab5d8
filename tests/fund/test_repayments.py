"""Repayments at the service level: the allocation order, backdated repayments and reversals replaying
the later ones, the refusals, and where a loan stands (days past due, arrears bucket, debt group) on
known days — month ends, quarter ends, a leap day, the turn of the year and of the fiscal half."""

import datetime

import pytest

from fund import allocation, ledger_check
from fund.models import Entry, Loan, Repayment, Transaction
from fund.services import decisions, loans
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

AMOUNT = 120_000_000
# 120 million over 24 months at 3 %/year, equal principal: 5 million a month, the first interest
# 120 M × 3 % ÷ 12 = 300,000, the second 115 M × 3 % ÷ 12 = 287,500, the third 275,000.
PRINCIPAL = 5_000_000
INTEREST = (300_000, 287_500, 275_000)


def released(world, set_today, day: datetime.date, *, period_months: int = 1, term_months: int = 24) -> Loan:
    """The world's loan approved and released on ``day`` (the clock is left on that day)."""
    set_today(day)
    world.recommended(AMOUNT)
    decision = decisions.propose_loan(
        application=world.application,
        by=world.officer,
        amount=AMOUNT,
        term_months=term_months,
        grace_months=0,
        method="equal_principal",
        period_months=period_months,
        tranches=[(AMOUNT, "Ký hợp đồng")],
        reason="Phương án khả thi.",
    )
    decisions.approve(decision=decision, by=world.checker)
    loan = Loan.objects.get(application=world.application)
    release = decisions.propose_release(tranche=loan.tranches.get(), by=world.officer, reason="Giải ngân.")
    decisions.approve(decision=release, by=world.checker)
    return Loan.objects.get(pk=loan.pk)


def due_dates(loan: Loan) -> list[datetime.date]:
    return [row.due_on for row in loans.instalments_of(loans.current_schedule(loan))]


def pay(world, loan: Loan, amount: int, paid_on: datetime.date) -> Repayment:
    return loans.record_repayment(loan=loan, amount=amount, paid_on=paid_on, by=world.officer)


def shares_of(loan: Loan, repayment: Repayment) -> list[tuple[int, str, bool, int]]:
    state = loans.replay(loan, on=loans.today())
    return [
        (share.instalment, share.part, share.overdue, share.amount)
        for share in state.shares
        if share.payment_key == repayment.pk
    ]


def assert_books(loan: Loan) -> Loan:
    """The loan's receivable equals its principal outstanding (and the replay's); the ledger is whole."""
    loan.refresh_from_db()
    assert loans.on_books(loan) == loan.outstanding
    assert ledger_check.differences(loan.fund) == []
    return loan


def refused(code: str, change) -> None:
    postings, entries = Transaction.objects.count(), Entry.objects.count()
    with pytest.raises(Refused) as caught:
        change()
    assert caught.value.code == code
    assert (Transaction.objects.count(), Entry.objects.count()) == (postings, entries)


def test_a_repayment_pays_overdue_interest_then_overdue_principal_then_current(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    assert due_dates(loan)[:3] == [
        datetime.date(2026, 12, 18),
        datetime.date(2027, 1, 18),
        datetime.date(2027, 2, 18),
    ]
    set_today(datetime.date(2027, 2, 1))
    overdue = INTEREST[0] + INTEREST[1] + 2 * PRINCIPAL
    repayment = pay(fund_world, loan, overdue + INTEREST[2] + 1_000_000, datetime.date(2027, 2, 1))
    assert shares_of(loan, repayment) == [
        (1, allocation.INTEREST, True, INTEREST[0]),
        (2, allocation.INTEREST, True, INTEREST[1]),
        (1, allocation.PRINCIPAL, True, PRINCIPAL),
        (2, allocation.PRINCIPAL, True, PRINCIPAL),
        (3, allocation.INTEREST, False, INTEREST[2]),
        (3, allocation.PRINCIPAL, False, 1_000_000),
    ]
    lines = {entry.account.kind: entry.amount for entry in repayment.transaction.entries.all()}
    assert lines == {
        "cash": overdue + INTEREST[2] + 1_000_000,
        "loan": -(2 * PRINCIPAL + 1_000_000),
        "interest_income": -sum(INTEREST),
    }
    loan = assert_books(loan)
    assert (loan.outstanding, loan.days_past_due, loan.overdue) == (AMOUNT - 11_000_000, 0, 0)
    assert (loan.interest_repaid, loan.next_due_on) == (sum(INTEREST), datetime.date(2027, 2, 18))


def test_a_repayment_short_of_the_interest_leaves_the_principal_overdue(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 1, 5))
    repayment = pay(fund_world, loan, 200_000, datetime.date(2027, 1, 5))
    assert shares_of(loan, repayment) == [(1, allocation.INTEREST, True, 200_000)]
    loan = assert_books(loan)
    assert (loan.outstanding, loan.overdue, loan.days_past_due) == (AMOUNT, PRINCIPAL + 100_000, 18)


def test_a_backdated_repayment_replays_the_later_ones(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 2, 1))
    later = pay(fund_world, loan, 6_000_000, datetime.date(2027, 1, 25))
    assert shares_of(loan, later) == [
        (1, allocation.INTEREST, True, INTEREST[0]),
        (2, allocation.INTEREST, True, INTEREST[1]),
        (1, allocation.PRINCIPAL, True, PRINCIPAL),
        (2, allocation.PRINCIPAL, True, 6_000_000 - PRINCIPAL - INTEREST[0] - INTEREST[1]),
    ]
    assert_books(loan)
    # Recorded late: paid on 10/01, when only the first instalment was overdue and the second current.
    earlier = pay(fund_world, loan, 1_000_000, datetime.date(2027, 1, 10))
    assert shares_of(loan, earlier) == [
        (1, allocation.INTEREST, True, INTEREST[0]),
        (1, allocation.PRINCIPAL, True, 700_000),
    ]
    assert shares_of(loan, later) == [
        (2, allocation.INTEREST, True, INTEREST[1]),
        (1, allocation.PRINCIPAL, True, 4_300_000),
        (2, allocation.PRINCIPAL, True, 6_000_000 - INTEREST[1] - 4_300_000),
    ]
    loan = assert_books(loan)
    # The backdated posting carries what the replay moved: all of it principal this time.
    lines = {entry.account.kind: entry.amount for entry in earlier.transaction.entries.all()}
    assert lines == {"cash": 1_000_000, "loan": -1_000_000}
    assert earlier.transaction.value_date == datetime.date(2027, 1, 10)
    assert loan.outstanding == AMOUNT - 7_000_000 + INTEREST[0] + INTEREST[1]
    assert loan.days_past_due == 14  # the second instalment, due 18/01, still short


def test_a_backdated_repayment_that_moves_interest_posts_the_difference(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 3, 1))
    # Paid 20/02 with three instalments due: the overdue interest of two, then their principal.
    later = pay(fund_world, loan, 10_000_000, datetime.date(2027, 2, 20))
    assert_books(loan)
    # Paid 15/12 (before anything fell due): the current instalment's interest then its principal.
    earlier = pay(fund_world, loan, 5_300_000, datetime.date(2026, 12, 15))
    assert shares_of(loan, earlier) == [
        (1, allocation.INTEREST, False, INTEREST[0]),
        (1, allocation.PRINCIPAL, False, PRINCIPAL),
    ]
    assert [share[:2] for share in shares_of(loan, later)] == [
        (2, allocation.INTEREST),
        (3, allocation.INTEREST),
        (2, allocation.PRINCIPAL),
        (3, allocation.PRINCIPAL),
    ]
    loan = assert_books(loan)
    assert loan.interest_repaid == sum(INTEREST)
    assert Transaction.objects.filter(loan=loan).count() == 3


def test_a_reversal_replays_the_later_repayments(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 2, 1))
    earlier = pay(fund_world, loan, 1_000_000, datetime.date(2027, 1, 10))
    later = pay(fund_world, loan, 6_000_000, datetime.date(2027, 1, 25))
    loans.reverse_repayment(repayment=earlier, by=fund_world.checker, reason="Ghi nhầm khoản vay.")
    assert shares_of(loan, later)[0] == (1, allocation.INTEREST, True, INTEREST[0])
    loan = assert_books(loan)
    assert loan.outstanding == AMOUNT - 6_000_000 + INTEREST[0] + INTEREST[1]
    earlier.refresh_from_db()
    assert earlier.reversal.reverses == earlier.transaction
    refused(
        "already_reversed",
        lambda: loans.reverse_repayment(repayment=earlier, by=fund_world.checker, reason="Lần nữa."),
    )


def payable(loan: Loan, day: datetime.date) -> int:
    return allocation.payable_on(
        loans.instalments_of(loans.current_schedule(loan)), loans.payments_of(loan), day
    )


def test_the_last_dong_closes_the_loan_and_a_reversal_reopens_it(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 3, 1))
    pay(fund_world, loan, 10_000_000, datetime.date(2027, 3, 1))
    # Paid up after the last due date (18/11/2028): all the principal and all the interest.
    last_day = datetime.date(2028, 11, 20)
    set_today(last_day)
    final = pay(fund_world, loan, payable(loan, last_day), last_day)
    loan = assert_books(loan)
    assert (loan.status, loan.closed_on, loan.outstanding, loan.overdue) == (
        Loan.Status.REPAID,
        last_day,
        0,
        0,
    )
    refused("loan_closed", lambda: pay(fund_world, loan, 1_000, last_day))
    loans.reverse_repayment(repayment=final, by=fund_world.checker, reason="Séc bị trả lại.")
    loan = assert_books(loan)
    assert (loan.status, loan.closed_on) == (Loan.Status.ACTIVE, None)
    assert loan.outstanding == AMOUNT - (10_000_000 - INTEREST[0] - INTEREST[1] - INTEREST[2])
    assert loan.days_past_due == (last_day - datetime.date(2027, 1, 18)).days


def test_paying_off_early_closes_the_loan(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2026, 12, 1))
    pay(fund_world, loan, AMOUNT + INTEREST[0], datetime.date(2026, 12, 1))
    loan = assert_books(loan)
    assert loan.status == Loan.Status.REPAID
    set_today(datetime.date(2027, 2, 1))
    assert loans.catch_up(loan).days_past_due == 0


def test_more_than_is_owed_is_refused(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    day = datetime.date(2027, 1, 20)
    set_today(day)
    # Owed by then: all the principal and the interest of the two overdue and the current instalments.
    most = AMOUNT + sum(INTEREST)
    assert payable(loan, day) == most
    refused("above_owed", lambda: pay(fund_world, loan, most + 1, day))
    pay(fund_world, loan, most, day)
    assert assert_books(loan).outstanding == 0


def test_a_written_off_loan_takes_no_repayment(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 6, 1))
    decision = decisions.propose_write_off(loan=loan, by=fund_world.officer, reason="Doanh nghiệp giải thể.")
    decisions.approve(decision=decision, by=fund_world.checker)
    loan = assert_books(loan)
    assert loan.status == Loan.Status.WRITTEN_OFF
    refused("loan_closed", lambda: pay(fund_world, loan, 1_000_000, datetime.date(2027, 6, 1)))


def test_nothing_is_repaid_before_the_release(fund_world):
    loan = fund_world.approved_loan()
    refused("loan_closed", lambda: pay(fund_world, loan, 1_000_000, datetime.date(2026, 11, 18)))


def test_a_repayment_before_the_release_day_is_refused(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2026, 11, 25))
    refused("before_release", lambda: pay(fund_world, loan, 1_000_000, datetime.date(2026, 11, 17)))
    refused("future", lambda: pay(fund_world, loan, 1_000_000, datetime.date(2026, 11, 26)))
    pay(fund_world, loan, 1_000_000, datetime.date(2026, 11, 18))  # the day of the release itself
    assert_books(loan)


def state_on(loan: Loan, set_today, day: datetime.date) -> tuple:
    set_today(day)
    loan = loans.catch_up(Loan.objects.get(pk=loan.pk))
    return (loan.days_past_due, loan.bucket, loan.debt_group, loan.at_risk)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 12, 18), (0, "current", 1, False)),  # due today: not overdue yet
        (datetime.date(2026, 12, 19), (1, "1-30", 1, False)),
        (datetime.date(2026, 12, 27), (9, "1-30", 1, False)),
        (datetime.date(2026, 12, 28), (10, "1-30", 2, False)),
        (datetime.date(2027, 1, 17), (30, "1-30", 2, False)),
        (datetime.date(2027, 1, 18), (31, "31-90", 2, True)),
        (datetime.date(2027, 3, 18), (90, "31-90", 2, True)),
        (datetime.date(2027, 3, 19), (91, "91-180", 3, True)),
        (datetime.date(2027, 6, 16), (180, "91-180", 3, True)),
        (datetime.date(2027, 6, 17), (181, "180+", 4, True)),
        (datetime.date(2027, 12, 13), (360, "180+", 4, True)),
        (datetime.date(2027, 12, 14), (361, "180+", 5, True)),
    ],
)
def test_days_past_due_bucket_and_debt_group_on_known_days(fund_world, set_today, day, expected):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    assert state_on(loan, set_today, day) == expected


def test_paying_the_oldest_instalment_moves_the_days_past_due_to_the_next(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    assert state_on(loan, set_today, datetime.date(2027, 2, 1)) == (45, "31-90", 2, True)
    pay(fund_world, loan, PRINCIPAL + INTEREST[0] + INTEREST[1], datetime.date(2027, 2, 1))
    assert_books(loan)
    assert state_on(loan, set_today, datetime.date(2027, 2, 1)) == (14, "1-30", 2, False)
    pay(fund_world, loan, PRINCIPAL, datetime.date(2027, 2, 1))
    assert state_on(loan, set_today, datetime.date(2027, 2, 1)) == (0, "current", 1, False)


def test_an_extended_loan_is_at_least_group_2_and_at_risk(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2026, 12, 10))
    decision = decisions.propose_extension(
        loan=loan, by=fund_world.officer, extra_periods=6, reason="Mất mùa, xin gia hạn."
    )
    decisions.approve(decision=decision, by=fund_world.checker)
    loan = assert_books(loan)
    assert loan.restructured
    assert (loan.days_past_due, loan.bucket, loan.debt_group, loan.at_risk) == (0, "current", 2, True)
    assert state_on(loan, set_today, datetime.date(2027, 3, 20)) == (92, "91-180", 3, True)


def test_the_days_of_a_freeze_are_left_out_of_the_days_past_due(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 18))
    set_today(datetime.date(2027, 1, 1))  # the first instalment, due 18/12, is 14 days late
    decision = decisions.propose_freeze(
        loan=loan, by=fund_world.officer, start=datetime.date(2027, 1, 1), months=2, reason="Thiên tai."
    )
    decisions.approve(decision=decision, by=fund_world.checker)
    assert_books(loan)
    # Frozen 01/01–28/02 (59 days): on 10/03 the first instalment is 82 − 59 = 23 days late.
    # 18/12 to 28/02 is 72 days, all but 13 of them frozen.
    assert state_on(loan, set_today, datetime.date(2027, 2, 28)) == (13, "1-30", 2, False)
    assert state_on(loan, set_today, datetime.date(2027, 3, 10)) == (23, "1-30", 2, False)
    # The second instalment moved from 18/01 to 18/03: not due yet on 10/03.
    assert datetime.date(2027, 3, 18) in due_dates(loan)
    assert datetime.date(2027, 1, 18) not in due_dates(loan)


@pytest.mark.parametrize(
    ("released_on", "period_months", "first_dues"),
    [
        # A loan released on a month's last day falls due on the last day of the shorter months.
        (datetime.date(2028, 1, 31), 1, [(2028, 2, 29), (2028, 3, 31), (2028, 4, 30)]),
        (datetime.date(2027, 1, 31), 1, [(2027, 2, 28), (2027, 3, 31), (2027, 4, 30)]),
        # Released on a leap day: the 29th each month, 28/02 the year after.
        (datetime.date(2028, 2, 29), 1, [(2028, 3, 29), (2028, 4, 29), (2028, 5, 29)]),
        # Quarter ends: each counted from the release, not from the previous due date.
        (datetime.date(2027, 3, 31), 3, [(2027, 6, 30), (2027, 9, 30), (2027, 12, 31)]),
        (datetime.date(2026, 12, 31), 1, [(2027, 1, 31), (2027, 2, 28), (2027, 3, 31)]),
        (datetime.date(2025, 7, 1), 1, [(2025, 8, 1), (2025, 9, 1), (2025, 10, 1)]),
    ],
)
def test_due_dates_on_awkward_days(fund_world, set_today, released_on, period_months, first_dues):
    loan = released(fund_world, set_today, released_on, period_months=period_months)
    assert loan.start_on == released_on
    assert due_dates(loan)[:3] == [datetime.date(*day) for day in first_dues]


def test_a_leap_day_release_falls_due_on_28_february_the_next_year(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2028, 2, 29))
    dues = due_dates(loan)
    assert (dues[11], dues[-1]) == (datetime.date(2029, 2, 28), datetime.date(2030, 2, 28))


def test_a_leap_day_due_date_is_current_on_the_day_and_late_the_next(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2028, 1, 31))
    leap_day = datetime.date(2028, 2, 29)
    assert state_on(loan, set_today, leap_day) == (0, "current", 1, False)
    assert state_on(loan, set_today, datetime.date(2028, 3, 1)) == (1, "1-30", 1, False)
    # Paid on the leap day itself: the instalment was current, not overdue.
    set_today(datetime.date(2028, 3, 1))
    repayment = pay(fund_world, loan, PRINCIPAL + INTEREST[0], leap_day)
    assert shares_of(loan, repayment) == [
        (1, allocation.INTEREST, False, INTEREST[0]),
        (1, allocation.PRINCIPAL, False, PRINCIPAL),
    ]
    assert_books(loan)
    assert state_on(loan, set_today, datetime.date(2028, 3, 1)) == (0, "current", 1, False)


def test_across_the_turn_of_the_year(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2026, 11, 30))
    # Due 30/12/2026 (not 31/12): on 31/12 a day late, on 01/01/2027 two.
    assert due_dates(loan)[:2] == [datetime.date(2026, 12, 30), datetime.date(2027, 1, 30)]
    assert state_on(loan, set_today, datetime.date(2026, 12, 31)) == (1, "1-30", 1, False)
    assert state_on(loan, set_today, datetime.date(2027, 1, 1)) == (2, "1-30", 1, False)
    set_today(datetime.date(2027, 1, 2))
    pay(fund_world, loan, PRINCIPAL + INTEREST[0], datetime.date(2026, 12, 31))  # backdated over 01/01
    assert_books(loan)
    assert state_on(loan, set_today, datetime.date(2027, 1, 2)) == (0, "current", 1, False)


def test_a_quarterly_loan_released_on_a_quarter_end(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2027, 3, 31), period_months=3)
    quarterly_interest = AMOUNT * 300 * 3 // 120_000  # 900,000
    quarterly_principal = AMOUNT // 8
    assert state_on(loan, set_today, datetime.date(2027, 6, 30)) == (0, "current", 1, False)
    assert state_on(loan, set_today, datetime.date(2027, 7, 1)) == (1, "1-30", 1, False)
    set_today(datetime.date(2027, 7, 1))
    repayment = pay(fund_world, loan, quarterly_interest + quarterly_principal, datetime.date(2027, 6, 30))
    assert shares_of(loan, repayment) == [
        (1, allocation.INTEREST, False, quarterly_interest),
        (1, allocation.PRINCIPAL, False, quarterly_principal),
    ]
    loan = assert_books(loan)
    assert (loan.outstanding, loan.next_due_on) == (AMOUNT - quarterly_principal, datetime.date(2027, 9, 30))


def test_a_loan_released_on_1_july_2025(fund_world, set_today):
    loan = released(fund_world, set_today, datetime.date(2025, 7, 1))
    pay(fund_world, loan, 2_000_000, datetime.date(2025, 7, 1))  # prepaid on the day of the release
    assert_books(loan)
    assert state_on(loan, set_today, datetime.date(2025, 8, 1)) == (0, "current", 1, False)
    assert state_on(loan, set_today, datetime.date(2025, 8, 2)) == (1, "1-30", 1, False)
    loan.refresh_from_db()
    # 2,000,000 paid the first interest then 1,700,000 of its principal: 3,300,000 left of it.
    assert loan.overdue == PRINCIPAL - 1_700_000

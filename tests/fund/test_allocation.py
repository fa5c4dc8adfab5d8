"""Allocation of repayments and the state of a loan (fund/allocation.py): known answers worked by hand, and
the invariants on any schedule and repayments."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fund.allocation import (
    CURRENT_INTEREST,
    CURRENT_PRINCIPAL,
    DEFAULT_ORDER,
    OVERDUE_INTEREST,
    OVERDUE_PRINCIPAL,
    Pause,
    Payment,
    bucket_of,
    debt_group_of,
    payable_on,
    replay,
)
from fund.schedules import EQUAL_PRINCIPAL, Instalment, Terms, build_schedule, freeze

D = datetime.date

# 30,000,000 đ over 3 months at 12 %/year (1 % a month) from 15 January 2024:
# 1: 15 February 10,000,000 + 300,000; 2: 15 March 10,000,000 + 200,000; 3: 15 April 10,000,000 + 100,000.
SCHEDULE = build_schedule(Terms(30_000_000, 1_200, D(2024, 1, 15), 3, 0, EQUAL_PRINCIPAL, 1))


def shares(state) -> list[tuple]:
    return [(s.payment_key, s.instalment, s.part, s.overdue, s.amount) for s in state.shares]


def test_the_schedule_of_these_tests():
    assert [(i.due_on, i.principal, i.interest) for i in SCHEDULE] == [
        (D(2024, 2, 15), 10_000_000, 300_000),
        (D(2024, 3, 15), 10_000_000, 200_000),
        (D(2024, 4, 15), 10_000_000, 100_000),
    ]


def test_a_repayment_on_its_due_day_pays_the_current_instalment_interest_first():
    state = replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 10_300_000)], on=D(2024, 2, 16))
    assert shares(state) == [(1, 1, "interest", False, 300_000), (1, 1, "principal", False, 10_000_000)]
    assert state.paid == {1: (10_000_000, 300_000), 2: (0, 0), 3: (0, 0)}
    assert (state.principal_repaid, state.interest_repaid, state.principal_outstanding) == (
        10_000_000,
        300_000,
        20_000_000,
    )
    assert (state.overdue_principal, state.overdue_interest, state.oldest_unpaid_due) == (0, 0, None)
    assert (state.days_past_due, state.bucket, state.debt_group, state.at_risk) == (0, "current", 1, False)
    assert (state.next_due, state.next_due_amount) == (SCHEDULE[1], 10_200_000)


def test_the_default_order_pays_overdue_interest_then_principal_then_the_current_instalment():
    # Nothing on 15 February; on 10 March instalment 1 is overdue and instalment 2 current.
    state = replay(SCHEDULE, [Payment(1, D(2024, 3, 10), 10_500_000)], on=D(2024, 3, 10))
    assert shares(state) == [
        (1, 1, "interest", True, 300_000),
        (1, 1, "principal", True, 10_000_000),
        (1, 2, "interest", False, 200_000),
    ]
    assert (state.overdue_principal, state.overdue_interest, state.days_past_due) == (0, 0, 0)
    assert state.next_due_amount == 10_000_000


@pytest.mark.parametrize(
    ("first", "share"),
    [
        (OVERDUE_INTEREST, (1, 1, "interest", True, 100_000)),
        (OVERDUE_PRINCIPAL, (1, 1, "principal", True, 100_000)),
        (CURRENT_INTEREST, (1, 2, "interest", False, 100_000)),
        (CURRENT_PRINCIPAL, (1, 2, "principal", False, 100_000)),
    ],
)
def test_a_small_repayment_goes_to_the_part_first_in_the_order(first, share):
    order = (first, *(part for part in DEFAULT_ORDER if part != first))
    state = replay(SCHEDULE, [Payment(1, D(2024, 3, 10), 100_000)], on=D(2024, 3, 10), order=order)
    assert shares(state) == [share]


def test_a_custom_order_pays_the_current_instalment_before_the_arrears():
    order = (CURRENT_INTEREST, CURRENT_PRINCIPAL, OVERDUE_INTEREST, OVERDUE_PRINCIPAL)
    state = replay(SCHEDULE, [Payment(1, D(2024, 3, 10), 10_500_000)], on=D(2024, 3, 10), order=order)
    assert shares(state) == [
        (1, 2, "interest", False, 200_000),
        (1, 2, "principal", False, 10_000_000),
        (1, 1, "interest", True, 300_000),
    ]
    # Instalment 1's principal stays overdue since 15 February: 24 days.
    assert (state.overdue_principal, state.overdue_interest, state.oldest_unpaid_due) == (
        10_000_000,
        0,
        D(2024, 2, 15),
    )
    assert state.days_past_due == 24
    assert (state.next_due, state.next_due_amount) == (SCHEDULE[2], 10_100_000)


@pytest.mark.parametrize(
    "order", [(), DEFAULT_ORDER[:3], (*DEFAULT_ORDER[:3], OVERDUE_INTEREST), ("fees", *DEFAULT_ORDER)]
)
def test_an_order_that_does_not_name_each_part_once_is_refused(order):
    with pytest.raises(ValueError):
        replay(SCHEDULE, [Payment(1, D(2024, 3, 10), 1)], on=D(2024, 3, 10), order=order)


def test_a_partial_repayment_leaves_the_rest_overdue():
    state = replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 5_000_000)], on=D(2024, 2, 20))
    assert shares(state) == [(1, 1, "interest", False, 300_000), (1, 1, "principal", False, 4_700_000)]
    assert (state.overdue_principal, state.overdue_interest, state.oldest_unpaid_due) == (
        5_300_000,
        0,
        D(2024, 2, 15),
    )
    assert (state.days_past_due, state.bucket, state.debt_group, state.at_risk) == (5, "1-30", 1, False)
    # The next instalment not yet due is instalment 2, whole.
    assert (state.next_due, state.next_due_amount) == (SCHEDULE[1], 10_200_000)


def test_what_is_left_prepays_the_principal_of_later_instalments_in_due_order():
    state = replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 25_000_000)], on=D(2024, 2, 16))
    # 10,300,000 for instalment 1, then 14,700,000 of principal: 10,000,000 of instalment 2 and 4,700,000
    # of instalment 3; their interest stays due on 15 March and 15 April.
    assert shares(state) == [
        (1, 1, "interest", False, 300_000),
        (1, 1, "principal", False, 10_000_000),
        (1, 2, "principal", False, 10_000_000),
        (1, 3, "principal", False, 4_700_000),
    ]
    assert state.principal_outstanding == 5_300_000
    assert (state.next_due, state.next_due_amount) == (SCHEDULE[1], 200_000)
    # Once instalment 2's interest is paid, instalment 3 is the current one.
    later = replay(
        SCHEDULE,
        [Payment(1, D(2024, 2, 15), 25_000_000), Payment(2, D(2024, 3, 1), 200_000)],
        on=D(2024, 3, 1),
    )
    assert (later.next_due, later.next_due_amount) == (SCHEDULE[2], 5_400_000)


def test_payable_is_all_the_principal_and_the_interest_up_to_the_current_instalment():
    # On 15 February: 30,000,000 principal + instalment 1's 300,000.
    assert payable_on(SCHEDULE, [], D(2024, 2, 15)) == 30_300_000
    # On 16 March, instalments 1 and 2 overdue and 3 current: 30,000,000 + 600,000.
    assert payable_on(SCHEDULE, [], D(2024, 3, 16)) == 30_600_000
    assert payable_on(SCHEDULE, [], D(2025, 1, 1)) == 30_600_000
    # Instalment 1 paid on 15 February: instalment 2 is current from 16 February.
    paid_one = [Payment(1, D(2024, 2, 15), 10_300_000)]
    assert payable_on(SCHEDULE, paid_one, D(2024, 2, 16)) == 20_200_000
    # A repayment made after the day does not count.
    assert payable_on(SCHEDULE, paid_one, D(2024, 2, 14)) == 30_300_000
    everything = [Payment(1, D(2024, 4, 15), 30_600_000)]
    assert payable_on(SCHEDULE, everything, D(2024, 4, 15)) == 0
    assert replay(SCHEDULE, everything, on=D(2024, 5, 1)).next_due is None


def test_a_repayment_of_more_than_is_payable_is_refused():
    assert (
        replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 30_300_000)], on=D(2024, 2, 15)).principal_outstanding
        == 0
    )
    with pytest.raises(ValueError):
        replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 30_300_001)], on=D(2024, 2, 15))
    # A later repayment that would pay more than is left is refused too.
    with pytest.raises(ValueError):
        replay(
            SCHEDULE,
            [Payment(1, D(2024, 2, 15), 30_000_000), Payment(2, D(2024, 2, 16), 600_000)],
            on=D(2024, 3, 1),
        )


@pytest.mark.parametrize("amount", [0, -1])
def test_a_repayment_of_nothing_is_refused(amount):
    with pytest.raises(ValueError):
        replay(SCHEDULE, [Payment(1, D(2024, 2, 15), amount)], on=D(2024, 2, 15))


def test_two_repayments_with_one_key_are_refused():
    with pytest.raises(ValueError):
        replay(SCHEDULE, [Payment(1, D(2024, 2, 15), 1), Payment(1, D(2024, 2, 16), 1)], on=D(2024, 3, 1))


def test_a_backdated_repayment_changes_how_the_later_ones_were_allocated():
    on_time = Payment(2, D(2024, 3, 10), 10_500_000)
    before = replay(SCHEDULE, [on_time], on=D(2024, 3, 10))
    assert [s for s in shares(before) if s[0] == 2] == [
        (2, 1, "interest", True, 300_000),
        (2, 1, "principal", True, 10_000_000),
        (2, 2, "interest", False, 200_000),
    ]
    # A repayment of 20 February recorded afterwards takes instalment 1's interest and 4,700,000 of its
    # principal; the one of 10 March now pays the rest of instalment 1 and more of instalment 2.
    backdated = Payment(3, D(2024, 2, 20), 5_000_000)
    after = replay(SCHEDULE, [on_time, backdated], on=D(2024, 3, 10))
    assert shares(after) == [
        (3, 1, "interest", True, 300_000),
        (3, 1, "principal", True, 4_700_000),
        (2, 1, "principal", True, 5_300_000),
        (2, 2, "interest", False, 200_000),
        (2, 2, "principal", False, 5_000_000),
    ]
    assert after == replay(SCHEDULE, [backdated, on_time], on=D(2024, 3, 10))


def test_repayments_of_one_day_go_in_the_order_of_their_keys_and_later_ones_are_ignored():
    payments = [
        Payment(9, D(2024, 2, 15), 300_000),
        Payment(4, D(2024, 2, 15), 1_000_000),
        Payment(1, D(2024, 2, 16), 7),
    ]
    state = replay(SCHEDULE, payments, on=D(2024, 2, 15))
    assert shares(state) == [
        (4, 1, "interest", False, 300_000),
        (4, 1, "principal", False, 700_000),
        (9, 1, "principal", False, 300_000),
    ]


@pytest.mark.parametrize(
    ("days", "bucket", "group"),
    [
        (0, "current", 1),
        (1, "1-30", 1),
        (9, "1-30", 1),
        (10, "1-30", 2),
        (30, "1-30", 2),
        (31, "31-90", 2),
        (90, "31-90", 2),
        (91, "91-180", 3),
        (180, "91-180", 3),
        (181, "180+", 4),
        (360, "180+", 4),
        (361, "180+", 5),
    ],
)
def test_buckets_and_debt_groups_at_their_boundaries(days, bucket, group):
    assert bucket_of(days) == bucket
    assert debt_group_of(days, restructured=False) == group
    assert debt_group_of(days, restructured=True) == max(group, 2)
    # Nothing paid of instalment 1, due 15 February 2024.
    state = replay(SCHEDULE, [], on=D(2024, 2, 15) + datetime.timedelta(days=days))
    assert (state.days_past_due, state.bucket, state.debt_group, state.at_risk) == (
        days,
        bucket,
        group,
        days > 30,
    )


def test_a_restructured_loan_is_at_least_in_group_2_and_at_risk_until_repaid():
    state = replay(SCHEDULE, [], on=D(2024, 2, 1), restructured=True)
    assert (state.days_past_due, state.bucket, state.debt_group, state.at_risk) == (0, "current", 2, True)
    assert replay(SCHEDULE, [], on=D(2024, 6, 1), restructured=True).debt_group == 3
    repaid = replay(SCHEDULE, [Payment(1, D(2024, 2, 1), 30_300_000)], on=D(2024, 2, 2), restructured=True)
    assert (repaid.principal_outstanding, repaid.debt_group, repaid.at_risk) == (0, 2, False)


def test_negative_days_past_due_are_refused():
    with pytest.raises(ValueError):
        bucket_of(-1)
    with pytest.raises(ValueError):
        debt_group_of(-1, restructured=False)


def test_the_days_of_a_freeze_do_not_count_as_days_past_due():
    schedule = build_schedule(Terms(120_000_000, 600, D(2024, 1, 15), 12, 0, EQUAL_PRINCIPAL, 1))
    # Instalments 1 and 2 paid on time; 3 (15 April) not; frozen from 1 May for three months: instalments
    # 4.. move from 15 May to 15 August onwards.
    payments = [Payment(1, D(2024, 2, 15), 10_600_000), Payment(2, D(2024, 3, 15), 10_550_000)]
    frozen = freeze(schedule, on=D(2024, 5, 1), months=3)
    pause = Pause(D(2024, 5, 1), D(2024, 7, 31))
    state = replay(frozen, payments, on=D(2024, 8, 20), pauses=[pause])
    # 127 days since 15 April (15 + 31 + 30 + 31 + 20), less the 92 days of May, June and July.
    assert (state.oldest_unpaid_due, state.days_past_due) == (D(2024, 4, 15), 35)
    assert (state.bucket, state.debt_group, state.at_risk) == ("31-90", 2, True)
    # Instalment 3 and the moved instalment 4 (15 August) are overdue.
    assert (state.overdue_principal, state.overdue_interest) == (20_000_000, 950_000)
    assert replay(frozen, payments, on=D(2024, 8, 20)).days_past_due == 127
    # Overlapping freezes count their days once; a freeze before the arrears began counts none.
    overlapping = [pause, Pause(D(2024, 6, 1), D(2024, 8, 31)), Pause(D(2024, 1, 1), D(2024, 4, 15))]
    # Paused: 1 May .. 20 August = 112 days.
    assert replay(frozen, payments, on=D(2024, 8, 20), pauses=overlapping).days_past_due == 15


def test_a_freeze_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        Pause(D(2024, 5, 1), D(2024, 4, 30))


@st.composite
def instalments(draw):
    """A schedule of up to 8 instalments, some on the same day, with amounts of zero and more."""
    day = draw(st.dates(D(2024, 1, 1), D(2026, 12, 31)))
    schedule = []
    for number in range(1, draw(st.integers(1, 8)) + 1):
        day += datetime.timedelta(days=draw(st.sampled_from([0, 1, 28, 31, 92])))
        schedule.append(Instalment(number, day, draw(st.integers(0, 10**9)), draw(st.integers(0, 10**7))))
    return schedule


@st.composite
def loans(draw):
    """A schedule, repayments each at most what was payable on its day, an order and a day to look at."""
    schedule = draw(instalments())
    order = tuple(draw(st.permutations(DEFAULT_ORDER)))
    payments = []
    day = schedule[0].due_on - datetime.timedelta(days=draw(st.integers(0, 60)))
    # Keys rise with the days, as the repayments are made, so each is checked against what was payable.
    for key in sorted(draw(st.lists(st.integers(1, 10**6), max_size=8, unique=True))):
        day += datetime.timedelta(days=draw(st.integers(0, 60)))
        payable = payable_on(schedule, payments, day, order=order)
        if payable:
            amount = draw(st.integers(1, payable) | st.just(payable))
            payments.append(Payment(key, day, amount))
    on = day + datetime.timedelta(days=draw(st.integers(0, 400)))
    return schedule, payments, order, on


@settings(max_examples=300, deadline=None)
@given(loans(), st.randoms(use_true_random=False))
def test_replay_allocates_every_repayment_whole_and_never_more_than_is_due(loan, random):
    schedule, payments, order, on = loan
    state = replay(schedule, payments, on=on, order=order)
    for payment in payments:
        assert sum(s.amount for s in state.shares if s.payment_key == payment.key) == payment.amount
    assert all(s.amount > 0 for s in state.shares)
    for instalment in schedule:
        principal, interest = state.paid[instalment.number]
        assert 0 <= principal <= instalment.principal
        assert 0 <= interest <= instalment.interest
    total = sum(i.principal for i in schedule)
    assert state.principal_outstanding == total - state.principal_repaid >= 0
    assert state.interest_repaid == sum(s.amount for s in state.shares if s.part == "interest")
    assert (
        min(state.overdue_principal, state.overdue_interest, state.days_past_due, state.next_due_amount) >= 0
    )
    assert (state.oldest_unpaid_due is None) == (state.overdue_principal + state.overdue_interest == 0)
    shuffled = list(payments)
    random.shuffle(shuffled)
    assert replay(schedule, shuffled, on=on, order=order) == state
    # One đồng more than payable is refused (the key sorts it after the repayments of the day).
    with pytest.raises(ValueError):
        replay(
            schedule,
            [*payments, Payment(10**6 + 1, on, payable_on(schedule, payments, on, order=order) + 1)],
            on=on,
            order=order,
        )

"""Loan schedules (fund/schedules.py): known answers worked by hand, and the invariants on any terms."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fund.allocation import Pause, Payment, payable_on, replay, replay_on
from fund.schedules import (
    ANNUITY,
    EQUAL_PRINCIPAL,
    Instalment,
    Terms,
    add_release,
    annuity_payment,
    build_schedule,
    due_dates,
    extend,
    freeze,
    recall,
)

D = datetime.date


def terms(**changes) -> Terms:
    """120,000,000 đ over 12 months at 6 %/year, equal principal, monthly, from 15 January 2024."""
    values = {
        "principal": 120_000_000,
        "yearly_rate_bp": 600,
        "start": D(2024, 1, 15),
        "term_months": 12,
        "grace_months": 0,
        "method": EQUAL_PRINCIPAL,
        "period_months": 1,
    }
    return Terms(**(values | changes))


def rows(instalments: list[Instalment]) -> list[tuple]:
    return [(i.number, i.due_on, i.principal, i.interest) for i in instalments]


def test_equal_principal_pays_the_same_principal_and_interest_on_what_is_left():
    schedule = build_schedule(terms())
    # 120,000,000 / 12 = 10,000,000 a month; interest 0.5 % a month on what is outstanding:
    # 120,000,000 × 600 × 1 / 120,000 = 600,000, then 550,000, 500,000, ... 50,000.
    assert [i.principal for i in schedule] == [10_000_000] * 12
    assert [i.interest for i in schedule] == [600_000 - 50_000 * k for k in range(12)]
    assert [i.number for i in schedule] == list(range(1, 13))
    assert schedule[0].due_on == D(2024, 2, 15)
    assert schedule[-1].due_on == D(2025, 1, 15)
    assert schedule[0].total == 10_600_000
    assert sum(i.interest for i in schedule) == 3_900_000


def test_the_rounding_remainder_of_equal_principal_falls_on_the_last_instalment():
    schedule = build_schedule(terms(principal=100_000_001, yearly_rate_bp=0, term_months=3))
    # 100,000,001 // 3 = 33,333,333; the last takes 100,000,001 − 2 × 33,333,333 = 33,333,335.
    assert [(i.principal, i.interest) for i in schedule] == [
        (33_333_333, 0),
        (33_333_333, 0),
        (33_333_335, 0),
    ]


def test_an_annuity_pays_a_level_amount_interest_first():
    loan = terms(principal=100_000_000, yearly_rate_bp=1_200, start=D(2024, 1, 31), method=ANNUITY)
    # r = 1,200 × 1 / 120,000 = 1/100 a month; A = P·r / (1 − (1 + r)^−12)
    # = Fraction(100_000_000, 100) / (1 − Fraction(101, 100) ** −12) = 8,884,878.867… → 8,884,879.
    assert annuity_payment(100_000_000, 1_200, 1, 12) == 8_884_879
    schedule = build_schedule(loan)
    # 1: interest 1,000,000, principal 8,884,879 − 1,000,000 = 7,884,879, leaving 92,115,121;
    # 2: interest ⌊921,151.21⌋ = 921,151, principal 7,963,728.
    assert rows(schedule[:2]) == [
        (1, D(2024, 2, 29), 7_884_879, 1_000_000),
        (2, D(2024, 3, 31), 7_963_728, 921_151),
    ]
    assert [i.total for i in schedule[:-1]] == [8_884_879] * 11
    # The last takes the principal left, 8,796,903, and 1 % of it floored: 87,969.
    assert rows(schedule[-1:]) == [(12, D(2025, 1, 31), 8_796_903, 87_969)]
    assert sum(i.principal for i in schedule) == 100_000_000


def test_an_interest_free_annuity_is_equal_principal():
    annuity = build_schedule(terms(yearly_rate_bp=0, method=ANNUITY, principal=100_000_001))
    assert annuity == build_schedule(terms(yearly_rate_bp=0, principal=100_000_001))
    assert annuity[-1].principal == 100_000_001 - 11 * 8_333_333


def test_a_quarterly_loan_with_grace_pays_interest_only_in_its_grace_quarters():
    loan = terms(
        principal=100_000_000, yearly_rate_bp=1_200, start=D(2024, 1, 31), grace_months=3, period_months=3
    )
    # 4 quarters, the first in grace; a quarter's interest is 100,000,000 × 1,200 × 3 / 120,000 = 3,000,000;
    # 100,000,000 / 3 = 33,333,333 a quarter, the remainder 1 on the last.
    assert rows(build_schedule(loan)) == [
        (1, D(2024, 4, 30), 0, 3_000_000),
        (2, D(2024, 7, 31), 33_333_333, 3_000_000),
        (3, D(2024, 10, 31), 33_333_333, 2_000_000),
        (4, D(2025, 1, 31), 33_333_334, 1_000_000),
    ]


def test_an_interest_free_loan_has_no_instalment_in_its_grace():
    loan = terms(principal=90_000_000, yearly_rate_bp=0, term_months=6, grace_months=3)
    assert rows(build_schedule(loan)) == [
        (1, D(2024, 5, 15), 30_000_000, 0),
        (2, D(2024, 6, 15), 30_000_000, 0),
        (3, D(2024, 7, 15), 30_000_000, 0),
    ]


def test_due_dates_are_counted_from_the_start_never_from_the_previous_due_date():
    assert due_dates(D(2024, 1, 31), 1, 4) == [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]
    assert due_dates(D(2025, 1, 31), 1, 2) == [D(2025, 2, 28), D(2025, 3, 31)]
    assert due_dates(D(2028, 2, 29), 1, 2) == [D(2028, 3, 29), D(2028, 4, 29)]
    assert due_dates(D(2028, 2, 29), 3, 2) == [D(2028, 5, 29), D(2028, 8, 29)]
    # A year on from a 29 February is the 28th; four years on, the 29th again.
    assert due_dates(D(2028, 2, 29), 12, 4)[0] == D(2029, 2, 28)
    assert due_dates(D(2028, 2, 29), 12, 4)[-1] == D(2032, 2, 29)
    assert due_dates(D(2024, 1, 15), 1, 0) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"principal": 0},
        {"yearly_rate_bp": -1},
        {"method": "balloon"},
        {"period_months": 6, "term_months": 12},
        {"term_months": 0},
        {"term_months": 10, "period_months": 3},
        {"grace_months": 12},
        {"grace_months": -1},
    ],
)
def test_impossible_terms_are_refused(changes):
    with pytest.raises(ValueError):
        terms(**changes)


def paid_by(schedule, payments, on):
    return replay(schedule, payments, on=on).paid


def test_an_extension_spreads_the_arrears_over_the_cadence_dates_to_the_new_maturity():
    loan = terms()
    schedule = build_schedule(loan)
    # Instalment 1 paid in full; 3,000,000 on 15 March pays instalment 2's interest 550,000 and
    # 2,450,000 of its principal; nothing of instalment 3 (15 April).
    payments = [Payment(1, D(2024, 2, 15), 10_600_000), Payment(2, D(2024, 3, 15), 3_000_000)]
    on = D(2024, 4, 20)
    extended = extend(schedule, paid_by(schedule, payments, on), on=on, terms=loan, extra_periods=6)
    # Unpaid principal 120,000,000 − 12,450,000 = 107,550,000 over the cadence dates from 15 May 2024
    # to 15 July 2025 (maturity 15 January 2025 + 6 months): 15 dates of 7,170,000. The first carries
    # 0.5 % of 107,550,000 = 537,750 and instalment 3's unpaid interest 500,000; the second 0.5 % of
    # 100,380,000 = 501,900; the last 0.5 % of 7,170,000 = 35,850.
    assert rows(extended[:4]) == [
        (1, D(2024, 2, 15), 10_000_000, 600_000),
        (2, D(2024, 3, 15), 2_450_000, 550_000),
        (3, D(2024, 5, 15), 7_170_000, 1_037_750),
        (4, D(2024, 6, 15), 7_170_000, 501_900),
    ]
    assert rows(extended[-1:]) == [(17, D(2025, 7, 15), 7_170_000, 35_850)]
    assert sum(i.principal for i in extended) == 120_000_000
    # Replayed on the new schedule, the same repayments leave nothing overdue.
    state = replay(extended, payments, on=on, restructured=True)
    assert (state.overdue_principal, state.overdue_interest, state.days_past_due) == (0, 0, 0)
    assert (state.next_due.number, state.next_due_amount) == (3, 8_207_750)
    assert (state.debt_group, state.at_risk) == (2, True)


def test_an_extension_keeps_the_principal_paid_ahead_on_its_first_new_instalment():
    loan = terms(principal=12_000_000, yearly_rate_bp=0)
    schedule = build_schedule(loan)
    # 1,500,000 on 10 February pays instalment 1 (1,000,000) and 500,000 ahead of instalment 2.
    payments = [Payment(1, D(2024, 2, 10), 1_500_000)]
    on = D(2024, 2, 20)
    extended = extend(schedule, paid_by(schedule, payments, on), on=on, terms=loan, extra_periods=0)
    # 10,500,000 unpaid over 15 March 2024 .. 15 January 2025 (11 dates): 954,545 each, the last
    # 10,500,000 − 10 × 954,545 = 954,550; the 500,000 paid ahead is an instalment of its own, due
    # with the first new one.
    assert rows(extended[:4]) == [
        (1, D(2024, 2, 15), 1_000_000, 0),
        (2, D(2024, 3, 15), 500_000, 0),
        (3, D(2024, 3, 15), 954_545, 0),
        (4, D(2024, 4, 15), 954_545, 0),
    ]
    assert rows(extended[-1:]) == [(13, D(2025, 1, 15), 954_550, 0)]
    assert sum(i.principal for i in extended) == 12_000_000
    state = replay(extended, payments, on=on)
    assert (state.next_due.number, state.next_due_amount) == (3, 954_545)


def test_interest_paid_ahead_counts_toward_the_first_new_instalment():
    loan = terms()
    schedule = build_schedule(loan)
    # On 10 March instalment 1 is overdue: 10,600,000 pays it and 200,000 of instalment 2's interest.
    payments = [Payment(1, D(2024, 3, 10), 10_800_000)]
    on = D(2024, 3, 12)
    extended = extend(schedule, paid_by(schedule, payments, on), on=on, terms=loan, extra_periods=0)
    # 110,000,000 over 15 March .. 15 January (11 dates, 10,000,000 each); the first period's interest
    # 550,000 less the 200,000 already paid: 350,000.
    assert rows(extended[:3]) == [
        (1, D(2024, 2, 15), 10_000_000, 600_000),
        (2, D(2024, 3, 15), 0, 200_000),
        (3, D(2024, 3, 15), 10_000_000, 350_000),
    ]
    assert replay(extended, payments, on=on).next_due_amount == 10_350_000


def test_an_extension_past_every_date_or_of_a_repaid_loan_is_refused():
    loan = terms(yearly_rate_bp=0)
    schedule = build_schedule(loan)
    with pytest.raises(ValueError):
        extend(schedule, {}, on=D(2025, 2, 1), terms=loan, extra_periods=0)
    repaid = {i.number: (i.principal, 0) for i in schedule}
    with pytest.raises(ValueError):
        extend(schedule, repaid, on=D(2024, 6, 1), terms=loan, extra_periods=3)


def test_a_freeze_moves_the_instalments_not_yet_due_and_leaves_the_arrears():
    schedule = build_schedule(terms())
    frozen = freeze(schedule, on=D(2024, 5, 1), months=3)
    # Instalments 1-3 (February-April) stay; 4-12 move three months: 15 May → 15 August ...
    assert rows(frozen[:4]) == [
        (1, D(2024, 2, 15), 10_000_000, 600_000),
        (2, D(2024, 3, 15), 10_000_000, 550_000),
        (3, D(2024, 4, 15), 10_000_000, 500_000),
        (4, D(2024, 8, 15), 10_000_000, 450_000),
    ]
    assert rows(frozen[-1:]) == [(12, D(2025, 4, 15), 10_000_000, 50_000)]
    # A due date on the 31st moves to the end of a shorter month.
    month_end = build_schedule(terms(start=D(2023, 12, 31), term_months=2))
    assert [i.due_on for i in freeze(month_end, on=D(2024, 1, 31), months=1)] == [
        D(2024, 2, 29),
        D(2024, 3, 29),
    ]
    with pytest.raises(ValueError):
        freeze(schedule, on=D(2024, 5, 1), months=0)


def test_a_recall_makes_everything_not_yet_due_fall_due_with_interest_to_the_day():
    loan = terms()
    schedule = build_schedule(loan)
    # Instalments 1-3 paid on time, 1,000,000 more on 15 April prepays instalment 4's principal.
    payments = [
        Payment(1, D(2024, 2, 15), 10_600_000),
        Payment(2, D(2024, 3, 15), 10_550_000),
        Payment(3, D(2024, 4, 15), 11_500_000),
    ]
    on = D(2024, 4, 25)
    recalled = recall(schedule, paid_by(schedule, payments, on), on=on, yearly_rate_bp=600, start=loan.start)
    # Principal not yet due 90,000,000 of which 1,000,000 is paid ahead (kept as an instalment of its
    # own); 10 days since 15 April on 89,000,000 at 6 %: 89,000,000 × 600 × 10 // 3,650,000
    # = ⌊146,301.37⌋ = 146,301.
    assert rows(recalled) == [
        (1, D(2024, 2, 15), 10_000_000, 600_000),
        (2, D(2024, 3, 15), 10_000_000, 550_000),
        (3, D(2024, 4, 15), 10_000_000, 500_000),
        (4, D(2024, 4, 25), 1_000_000, 0),
        (5, D(2024, 4, 25), 89_000_000, 146_301),
    ]
    state = replay(recalled, payments, on=on)
    assert (state.next_due.number, state.next_due_amount) == (5, 89_146_301)
    assert state.principal_outstanding == 89_000_000


def test_a_recall_keeps_the_arrears_and_counts_from_the_start_before_the_first_due_date():
    loan = terms()
    schedule = build_schedule(loan)
    # Nothing paid; recalled on 25 March: instalments 1 and 2 stay owed; 100,000,000 not yet due,
    # 10 days since 15 March: 100,000,000 × 600 × 10 // 3,650,000 = ⌊164,383.56⌋.
    assert rows(recall(schedule, {}, on=D(2024, 3, 25), yearly_rate_bp=600, start=loan.start))[1:] == [
        (2, D(2024, 3, 15), 10_000_000, 550_000),
        (3, D(2024, 3, 25), 100_000_000, 164_383),
    ]
    # On 25 January nothing has fallen due: 10 days since the start on 120,000,000 = ⌊197,260.27⌋.
    assert rows(recall(schedule, {}, on=D(2024, 1, 25), yearly_rate_bp=600, start=loan.start)) == [
        (1, D(2024, 1, 25), 120_000_000, 197_260)
    ]


def test_a_second_tranche_is_repaid_with_what_is_left_over_the_remaining_dates():
    loan = terms(principal=60_000_000, term_months=6, grace_months=2, yearly_rate_bp=1_200)
    schedule = build_schedule(loan)
    # Grace on 15 February and 15 March (600,000 each), then 15,000,000 a month from 15 April.
    assert rows(schedule[:3]) == [
        (1, D(2024, 2, 15), 0, 600_000),
        (2, D(2024, 3, 15), 0, 600_000),
        (3, D(2024, 4, 15), 15_000_000, 600_000),
    ]
    released = add_release(schedule, {}, on=D(2024, 3, 1), amount=30_000_000, terms=loan)
    # 60,000,000 + 30,000,000 over 15 March .. 15 July, 15 March still in grace: interest 1 % of
    # 90,000,000 = 900,000; then 22,500,000 a month on 90, 67.5, 45 and 22.5 million.
    assert rows(released) == [
        (1, D(2024, 2, 15), 0, 600_000),
        (2, D(2024, 3, 15), 0, 900_000),
        (3, D(2024, 4, 15), 22_500_000, 900_000),
        (4, D(2024, 5, 15), 22_500_000, 675_000),
        (5, D(2024, 6, 15), 22_500_000, 450_000),
        (6, D(2024, 7, 15), 22_500_000, 225_000),
    ]
    with pytest.raises(ValueError):
        add_release(schedule, {}, on=D(2024, 7, 16), amount=1, terms=loan)
    with pytest.raises(ValueError):
        add_release(schedule, {}, on=D(2024, 3, 1), amount=0, terms=loan)


def test_paid_more_than_an_instalment_is_refused():
    schedule = build_schedule(terms())
    with pytest.raises(ValueError):
        recall(schedule, {5: (10_000_001, 0)}, on=D(2024, 3, 1), yearly_rate_bp=600, start=D(2024, 1, 15))


loan_terms = st.builds(
    lambda principal, rate, start, periods, grace, method, period: Terms(
        principal=principal,
        yearly_rate_bp=rate,
        start=start,
        term_months=periods * period,
        grace_months=min(grace, periods - 1) * period,
        method=method,
        period_months=period,
    ),
    st.integers(1, 5_000_000_000),
    st.sampled_from([0, 1, 600, 1_200, 3_650]) | st.integers(0, 5_000),
    st.dates(D(2020, 1, 1), D(2035, 12, 31)),
    st.integers(1, 60),
    st.integers(0, 12),
    st.sampled_from([EQUAL_PRINCIPAL, ANNUITY]),
    st.sampled_from([1, 3]),
)


def check(schedule: list[Instalment], principal: int) -> None:
    assert sum(i.principal for i in schedule) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in schedule)
    assert [i.number for i in schedule] == list(range(1, len(schedule) + 1))
    assert [i.due_on for i in schedule] == sorted(i.due_on for i in schedule)


@settings(max_examples=300, deadline=None)
@given(loan_terms)
def test_any_schedule_repays_exactly_its_principal(loan):
    schedule = build_schedule(loan)
    check(schedule, loan.principal)
    assert schedule[-1].due_on == loan.maturity
    grace_rows = loan.grace_periods if loan.yearly_rate_bp else 0
    assert all(i.principal == 0 for i in schedule[:grace_rows])
    assert len(schedule) == loan.periods - loan.grace_periods + grace_rows


@st.composite
def loans_with_payments(draw):
    """A loan, repayments made on it (each at most what was payable on its day) and a later day."""
    loan = draw(loan_terms)
    schedule = build_schedule(loan)
    payments = []
    day = loan.start
    for key in range(draw(st.integers(0, 6))):
        day += datetime.timedelta(days=draw(st.integers(0, 200)))
        payable = payable_on(schedule, payments, day)
        if payable:
            payments.append(Payment(key, day, draw(st.integers(1, payable))))
    on = day + datetime.timedelta(days=draw(st.integers(1, 400)))
    return loan, schedule, payments, on


@settings(max_examples=300, deadline=None)
@given(loans_with_payments(), st.integers(0, 12))
def test_an_extension_keeps_the_principal_and_clears_the_arrears(case, extra_periods):
    loan, schedule, payments, on = case
    before = replay(schedule, payments, on=on)
    try:
        extended = extend(schedule, before.paid, on=on, terms=loan, extra_periods=extra_periods)
    except ValueError:
        # Refused only when no date is left or nothing is left to repay.
        last = due_dates(loan.start, loan.period_months, loan.periods + extra_periods)[-1]
        assert last < on or before.principal_outstanding == 0
        return
    check(extended, loan.principal)
    after = replay(extended, payments, on=on)
    assert after.principal_outstanding == before.principal_outstanding
    assert (after.overdue_principal, after.overdue_interest) == (0, 0)


@settings(max_examples=300, deadline=None)
@given(loans_with_payments(), st.integers(1, 10_000))
def test_a_recall_and_a_tranche_keep_the_principal(case, tranche):
    loan, schedule, payments, on = case
    before = replay(schedule, payments, on=on)
    recalled = recall(schedule, before.paid, on=on, yearly_rate_bp=loan.yearly_rate_bp, start=loan.start)
    check(recalled, loan.principal)
    after = replay(recalled, payments, on=on)
    assert after.principal_outstanding == before.principal_outstanding
    assert after.next_due is None or after.next_due.due_on == on
    if on > loan.maturity:
        with pytest.raises(ValueError):
            add_release(schedule, before.paid, on=on, amount=tranche, terms=loan)
    else:
        # The maturity is never in the grace, so a day left to repay on remains.
        released = add_release(schedule, before.paid, on=on, amount=tranche, terms=loan)
        check(released, loan.principal + tranche)
        assert (
            replay(released, payments, on=on).principal_outstanding == before.principal_outstanding + tranche
        )


@given(st.dates(D(2020, 1, 1), D(2035, 12, 31)), st.sampled_from([1, 3]), st.integers(1, 40))
@settings(max_examples=300, deadline=None)
def test_due_dates_keep_the_day_of_the_start_when_the_month_has_it(start, period, count):
    dates = due_dates(start, period, count)
    months = [(day.year - start.year) * 12 + day.month - start.month for day in dates]
    assert months == [period * k for k in range(1, count + 1)]
    # The start's day, or the last day of a month too short for it.
    assert all(
        day.day == start.day or (day.day < start.day and (day + datetime.timedelta(days=1)).day == 1)
        for day in dates
    )


@settings(max_examples=300, deadline=None)
@given(loans_with_payments(), st.lists(st.integers(-60, 400), min_size=1, max_size=4), st.booleans())
def test_one_pass_reads_the_loan_on_several_days_as_replays_of_each(case, offsets, restructured):
    loan, schedule, payments, on = case
    days = [on + datetime.timedelta(days=offset) for offset in offsets]
    pauses = [Pause(loan.start + datetime.timedelta(days=40), loan.start + datetime.timedelta(days=70))]
    states = replay_on(schedule, payments, days=days, pauses=pauses, restructured=restructured)
    assert set(states) == set(days)
    for day in days:
        assert states[day] == replay(schedule, payments, on=day, pauses=pauses, restructured=restructured)

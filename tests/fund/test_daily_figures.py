"""The fund's stock (fund/daily_figures.py): outstanding and PAR30 stored on each month's last day and
the nightly job's day, kept equal to the rows by the loan services, and the section reading the same
whether its days are stored or counted.

One loan of 120 million đồng, released on 20/11/2026, its first instalment due on 20/12/2026 left
unpaid, across the year's end and a February of 28 days; the nightly job runs on the first of each
month, as it would at 01:45.
"""

import datetime

import pytest

from fund import daily_figures
from fund.daily_figures import AT_RISK, OUTSTANDING, PORTFOLIO
from fund.models import Loan
from fund.report_sections import FundSection
from fund.services import decisions, loans
from portal import figures
from portal.models import StockDay
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
LENT = 120_000_000


def stock_on(loan: Loan, day: datetime.date) -> dict[str, int]:
    values = figures.values_on(PORTFOLIO, [loan.unit_id], [day])
    return {
        measure: value for (_day, measure, _unit, fund_id), value in values.items() if fund_id == loan.fund_id
    }


def nightly(set_today, day: datetime.date) -> list:
    set_today(day, datetime.time(1, 45))
    return figures.check_and_rebuild()


@pytest.fixture
def loan(fund_world, set_today) -> Loan:
    set_today(D(2026, 11, 20))
    released = fund_world.released_loan(amount=LENT)
    assert nightly(set_today, D(2026, 12, 1)) == []
    assert nightly(set_today, D(2027, 1, 1)) == []
    assert nightly(set_today, D(2027, 2, 1)) == []
    return Loan.objects.get(pk=released.pk)


def test_the_stock_is_stored_on_the_month_ends_and_the_night_s_day(loan):
    assert sorted(StockDay.objects.filter(stock=PORTFOLIO.key).values_list("day", flat=True)) == [
        D(2026, 11, 30),
        D(2026, 12, 31),
        D(2027, 1, 31),
        D(2027, 2, 1),
    ]
    # 11 days past due on 31 December, 42 on 31 January: in PAR30 from then.
    assert stock_on(loan, D(2026, 11, 19)) == {}
    assert stock_on(loan, D(2026, 11, 30)) == {OUTSTANDING: LENT}
    assert stock_on(loan, D(2026, 12, 31)) == {OUTSTANDING: LENT}
    assert stock_on(loan, D(2027, 1, 31)) == {OUTSTANDING: LENT, AT_RISK: LENT}


def test_the_loan_services_keep_the_stock_equal_to_the_rows(loan, fund_world, set_today):
    officer, checker = fund_world.officer, fund_world.checker
    set_today(D(2027, 2, 3))
    first = loans.instalments_of(loans.current_schedule(loan))[0]
    # Paid late, recorded later still: on 31 January only the second instalment (due 20/01) is unpaid.
    repayment = loans.record_repayment(
        loan=loan, amount=first.principal + first.interest, paid_on=D(2027, 1, 10), by=officer
    )
    assert figures.differences() == []
    assert stock_on(loan, D(2027, 1, 31)) == {OUTSTANDING: LENT - first.principal}
    assert stock_on(loan, D(2026, 12, 31)) == {OUTSTANDING: LENT}

    loans.reverse_repayment(repayment=repayment, by=officer, reason="Ghi nhầm khoản vay.")
    assert figures.differences() == []
    assert stock_on(loan, D(2027, 1, 31)) == {OUTSTANDING: LENT, AT_RISK: LENT}

    # An extension restructures the loan: in PAR30 on every day it owes, the earlier ones included.
    extension = decisions.propose_extension(loan=loan, by=officer, extra_periods=6, reason="Mất mùa.")
    decisions.approve(decision=extension, by=checker)
    assert figures.differences() == []
    assert stock_on(loan, D(2026, 12, 31)) == {OUTSTANDING: LENT, AT_RISK: LENT}

    assert nightly(set_today, D(2027, 3, 1)) == []
    set_today(D(2027, 3, 1))
    recall = decisions.propose_recall(loan=Loan.objects.get(pk=loan.pk), by=officer, reason="Sai mục đích.")
    decisions.approve(decision=recall, by=checker)
    assert figures.differences() == []
    assert stock_on(loan, D(2027, 3, 1)) == {OUTSTANDING: LENT, AT_RISK: LENT}

    write_off = decisions.propose_write_off(loan=Loan.objects.get(pk=loan.pk), by=officer, reason="Phá sản.")
    decisions.approve(decision=write_off, by=checker)
    assert figures.differences() == []
    assert stock_on(loan, D(2027, 3, 1)) == {}
    assert stock_on(loan, D(2027, 2, 28)) == {OUTSTANDING: LENT, AT_RISK: LENT}
    assert nightly(set_today, D(2027, 3, 2)) == []


def test_a_write_round_the_services_is_found_and_repaired_by_the_nightly_job(loan, set_today):
    Loan.objects.filter(pk=loan.pk).update(restructured=True)
    found = figures.differences()
    assert {(d.measure, d.day, d.stored, d.counted) for d in found} == {
        (AT_RISK, D(2026, 11, 30), 0, LENT),
        (AT_RISK, D(2026, 12, 31), 0, LENT),
    }
    assert nightly(set_today, D(2027, 2, 2)) == found
    assert figures.differences() == []


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        ((D(2027, 1, 1), D(2027, 1, 31)), (D(2026, 12, 1), D(2026, 12, 31))),  # both ends stored
        ((D(2026, 12, 1), D(2027, 1, 15)), (D(2026, 11, 1), D(2026, 11, 25))),  # neither
    ],
)
def test_the_section_reads_the_same_stored_or_counted(loan, fund_world, period, previous):
    province = fund_world.cast.units.province
    read = FundSection().build(province, period, previous)
    StockDay.objects.all().delete()
    counted = FundSection().build(province, period, previous)
    assert read == counted
    measures = {measure["key"]: (measure["value"], measure["previous"]) for measure in read["measures"]}
    assert measures["outstanding"] == (LENT, LENT)
    assert measures["par30"][1] == 0.0


def test_the_source_is_installed():
    assert daily_figures.PORTFOLIO in figures.installed_stocks()

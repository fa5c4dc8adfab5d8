"""Proving the ledger (fund/ledger_check.py, ``manage.py check_ledger``, the nightly job): clean on a
built world, a tampered balance or loan found, the database refusing to change the entries and
transactions, and the fund's team told once a night."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from fund.jobs import check_ledgers
from fund.ledger_check import differences
from fund.models import Account, AccountKind, Entry, Loan, Transaction
from fund.services import loans
from portal.models import Notification
from tests.fund.fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def lent(fund_world, set_today):
    """A loan of 120 million released on 18/11/2026, and 6 million repaid on 20/12/2026."""
    loan = fund_world.released_loan()
    set_today(datetime.date(2026, 12, 20))
    loans.record_repayment(
        loan=loan, amount=6_000_000, paid_on=datetime.date(2026, 12, 20), by=fund_world.officer
    )
    fund_world.loan = Loan.objects.get(pk=loan.pk)
    return fund_world


def run_command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_ledger", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_a_built_world_balances(lent):
    assert lent.loan.outstanding < 120_000_000
    assert differences() == []
    code, output = run_command()
    assert code == 0
    assert "The ledger balances" in output


def test_a_tampered_balance_is_found(lent):
    cash = Account.objects.get(fund=lent.fund, kind=AccountKind.CASH)
    Account.objects.filter(pk=cash.pk).update(balance=F("balance") + 1_000)
    [difference] = differences(lent.fund)
    assert (difference.fund, difference.expected, difference.found) == (
        lent.fund,
        cash.balance,
        cash.balance + 1_000,
    )
    assert "balance is not the sum of its entries" in difference.what
    code, output = run_command("--fund", lent.fund.slug)
    assert code == 1
    assert "balance is not the sum of its entries" in output


def test_a_loan_whose_receivable_is_not_its_outstanding_is_found(lent):
    receivable = Account.objects.get(loan=lent.loan, kind=AccountKind.LOAN)
    Account.objects.filter(pk=receivable.pk).update(balance=F("balance") - 500)
    found = {difference.what for difference in differences(lent.fund)}
    loan = lent.loan.contract_number
    assert found == {
        f"account “loan receivable: {loan}”: its balance is not the sum of its entries",
        f"loan {loan}: its receivable is not its principal outstanding",
        f"loan {loan}: its receivable is not the principal outstanding by the replay",
    }
    # The report's flag leaves the replay out.
    assert len(differences(lent.fund, replay=False)) == 2


def test_negative_cash_is_found(lent):
    if connection.vendor == "postgresql":
        pytest.skip("the check constraint refuses it before the check can see it")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        Account.objects.filter(fund=lent.fund, kind=AccountKind.CASH).update(balance=-1)
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    whats = [difference.what for difference in differences(lent.fund)]
    assert "cash is below zero" in whats


def test_an_unknown_fund_is_an_error(lent):
    with pytest.raises(Exception, match="No fund is called"):
        call_command("check_ledger", "--fund", "khong-co", stdout=io.StringIO())


def test_the_database_refuses_to_change_an_entry_or_a_transaction(lent):
    entry = Entry.objects.filter(transaction__fund=lent.fund).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount=F("amount") + 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Transaction.objects.filter(pk=entry.transaction_id).update(memo="sửa")
    assert Entry.objects.get(pk=entry.pk).amount == entry.amount


def test_the_database_refuses_to_delete_an_entry_on_postgresql(lent):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps row deletes possible (the test flush empties tables with DELETE)")
    entry = Entry.objects.filter(transaction__fund=lent.fund).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).delete()


def test_the_nightly_check_tells_the_fund_team_once_a_night(lent, set_today):
    assert check_ledgers(on=datetime.date(2026, 12, 20)) == {"funds_differing": 0, "notified": 0}
    Account.objects.filter(fund=lent.fund, kind=AccountKind.CASH).update(balance=F("balance") + 1)
    first = check_ledgers(on=datetime.date(2026, 12, 20))
    assert first == {"funds_differing": 1, "notified": 2}  # the cast's fund officer and the checker
    assert check_ledgers(on=datetime.date(2026, 12, 20)) == {"funds_differing": 1, "notified": 0}
    told = Notification.objects.filter(recipient=lent.officer, event_key__startswith="fund-")
    assert told.count() == 1
    assert lent.fund.name in told.get().title
    assert check_ledgers(on=datetime.date(2026, 12, 21))["notified"] == 2


def test_the_check_costs_a_fixed_number_of_queries_without_the_replay(lent, django_assert_num_queries):
    # The funds, the unbalanced transactions, the balances, cash and the loans' receivables.
    with django_assert_num_queries(5):
        differences(replay=False)

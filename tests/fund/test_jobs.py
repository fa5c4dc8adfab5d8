"""The fund's morning and nightly jobs (fund/jobs.py): every open loan caught up, the borrower reminded
three days before a due date and the day after an unpaid one, each once; the tasks beat runs."""

import datetime

import pytest

from fund import tasks
from fund.jobs import remind_borrowers
from fund.models import Loan, Reminder
from fund.services import loans
from portal.models import Notification
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def lent(fund_world):
    fund_world.loan = fund_world.released_loan()
    fund_world.first_due = loans.current_schedule(fund_world.loan).instalments.get(number=1)
    return fund_world


def reminders_of(world) -> list[str]:
    return list(
        Notification.objects.filter(recipient=world.cast.applicant, event_key__startswith="fund-loan-")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_three_days_before_the_due_date_the_borrower_is_reminded_once(lent, set_today):
    due = lent.first_due
    day = due.due_on - 3 * ONE_DAY
    set_today(day)
    assert remind_borrowers(on=day) == {"loans": 1, "reminded": 1}
    [title] = reminders_of(lent)
    assert lent.loan.contract_number in title and f"{due.due_on:%d/%m/%Y}" in title
    assert remind_borrowers(on=day) == {"loans": 1, "reminded": 0}
    # Two days before, the same due date is not reminded again.
    assert remind_borrowers(on=day + ONE_DAY)["reminded"] == 0
    assert Reminder.objects.get().kind == Reminder.Kind.BEFORE
    assert Loan.objects.get(pk=lent.loan.pk).state_on == day + ONE_DAY


def test_the_day_after_an_unpaid_due_date_the_borrower_is_reminded_once(lent, set_today):
    day = lent.first_due.due_on + ONE_DAY
    set_today(day)
    assert remind_borrowers(on=day)["reminded"] == 1
    assert remind_borrowers(on=day)["reminded"] == 0
    assert remind_borrowers(on=day + ONE_DAY)["reminded"] == 0
    assert list(Reminder.objects.values_list("kind", "due_on")) == [
        (Reminder.Kind.AFTER, lent.first_due.due_on)
    ]
    loan = Loan.objects.get(pk=lent.loan.pk)
    assert (loan.state_on, loan.days_past_due) == (day + ONE_DAY, 2)
    assert len(reminders_of(lent)) == 1


def test_a_paid_instalment_is_not_reminded(lent, set_today):
    due = lent.first_due
    set_today(due.due_on - 5 * ONE_DAY)
    loans.record_repayment(
        loan=lent.loan, amount=due.principal + due.interest, paid_on=due.due_on - 5 * ONE_DAY, by=lent.officer
    )
    for day in (due.due_on - 3 * ONE_DAY, due.due_on + ONE_DAY):
        set_today(day)
        assert remind_borrowers(on=day)["reminded"] == 0
    assert reminders_of(lent) == []


def test_an_approved_loan_not_released_is_caught_up_and_not_reminded(fund_world):
    loan = fund_world.approved_loan()
    assert remind_borrowers(on=datetime.date(2026, 11, 19)) == {"loans": 1, "reminded": 0}
    assert Loan.objects.get(pk=loan.pk).state_on == datetime.date(2026, 11, 19)


def test_the_tasks_run_on_the_business_day(lent, set_today):
    set_today(lent.first_due.due_on - 3 * ONE_DAY)
    assert tasks.remind_borrowers_this_morning() == {"loans": 1, "reminded": 1}
    assert tasks.check_ledgers_tonight() == {"funds_differing": 0, "notified": 0}

"""The fund's periodic jobs, run by Celery beat (CELERY_BEAT_SCHEDULE).

- Each morning every open loan is caught up to the day (its state written into its row), and its
  borrower is reminded, through the notifications of their account, of an instalment falling due in
  the next ``DAYS_BEFORE`` days and of an instalment left unpaid after its due date (looking back
  ``DAYS_AFTER_WINDOW`` days, so that a morning the job did not run is made up the next one). Each
  reminder goes once: the ``Reminder`` row's unique key, and the notification's event key.
- Each night the ledgers are proved (fund/ledger_check.py); a fund whose ledger differs has its team
  told, once a night.
"""

import datetime

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from fund.ledger_check import differences
from fund.models import Loan, Reminder
from fund.services import loans
from portal.models.people import today
from portal.money import dong
from portal.services.notifications import in_portal_language, notify, team_members

DAYS_BEFORE = 3
DAYS_AFTER_WINDOW = 7

DUE_SOON = gettext_noop("Loan %(contract)s: %(amount)s falls due on %(day)s")
UNPAID = gettext_noop("Loan %(contract)s: %(amount)s due on %(day)s is unpaid")
UNPAID_BODY = gettext_noop("Please repay it at the fund as soon as you can: days overdue count against you.")
LEDGER_DIFFERS = gettext_noop("The ledger of %(fund)s differs in %(count)s places")


def remind_borrowers(*, on: datetime.date) -> dict[str, int]:
    """Catch every open loan up to ``on`` and remind its borrower of what falls due or fell unpaid;
    a second run the same day sends nothing twice."""
    counts = {"loans": 0, "reminded": 0}
    for loan in Loan.objects.open().select_related("borrower", "application").order_by("pk"):
        loan = loans.catch_up(loan, on)
        counts["loans"] += 1
        if loan.start_on is None or loan.borrower.user_id is None:
            continue
        rows = loans.instalments_of(loans.current_schedule(loan))
        state = loans.replay(loan, on=on, rows=rows)
        for row in rows:
            paid_principal, paid_interest = state.paid.get(row.number, (0, 0))
            unpaid = row.principal + row.interest - paid_principal - paid_interest
            if not unpaid:
                continue
            if on < row.due_on <= on + datetime.timedelta(days=DAYS_BEFORE):
                counts["reminded"] += _remind(loan, row.due_on, Reminder.Kind.BEFORE, unpaid, on)
            elif on - datetime.timedelta(days=DAYS_AFTER_WINDOW) <= row.due_on < on:
                counts["reminded"] += _remind(loan, row.due_on, Reminder.Kind.AFTER, unpaid, on)
    return counts


@transaction.atomic
def _remind(loan: Loan, due_on: datetime.date, kind: str, amount: int, on: datetime.date) -> int:
    """Remind of one due date once (the reminder's row and the notification, together); how many
    notifications went."""
    _reminder, created = Reminder.objects.get_or_create(
        loan=loan, due_on=due_on, kind=kind, defaults={"sent_on": on}
    )
    if not created:
        return 0
    params = {"contract": loan.contract_number, "amount": dong(amount), "day": f"{due_on:%d/%m/%Y}"}
    sent = notify(
        recipients=[loan.borrower.user],
        event_key=f"fund-loan-{loan.pk}-{kind}-{due_on:%Y%m%d}",
        title=in_portal_language(DUE_SOON if kind == Reminder.Kind.BEFORE else UNPAID, **params),
        body=in_portal_language(UNPAID_BODY) if kind == Reminder.Kind.AFTER else "",
        link=reverse("dossier_detail", args=[loan.application.dossier_id]),
    )
    return len(sent)


def check_ledgers(*, on: datetime.date) -> dict[str, int]:
    """Prove every fund's ledger; tell the team of each fund whose ledger differs, once on ``on``."""
    by_fund: dict = {}
    for difference in differences():
        by_fund.setdefault(difference.fund, []).append(difference)
    notified = 0
    for fund, found in by_fund.items():
        sent = notify(
            recipients=team_members(fund.team),
            event_key=f"fund-{fund.pk}-ledger-{on:%Y%m%d}",
            title=in_portal_language(LEDGER_DIFFERS, fund=fund.name, count=len(found)),
            body="\n".join(str(difference) for difference in found),
            link=reverse("ledger_balances", args=[fund.slug]),
        )
        notified += len(sent)
    return {"funds_differing": len(by_fund), "notified": notified}


@shared_task(acks_late=True)
def remind_borrowers_this_morning() -> dict[str, int]:
    """Each morning: loans caught up, borrowers reminded of what falls due or fell unpaid, each once."""
    return remind_borrowers(on=today())


@shared_task(acks_late=True)
def check_ledgers_tonight() -> dict[str, int]:
    """Each night: the ledgers proved; a fund's team told when its ledger differs."""
    return check_ledgers(on=today())

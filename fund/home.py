"""The fund's panels of the home page (portal/panels.py).

- A fund officer: the decisions waiting for their check (prepared by another officer), the
  applications with a stage open past its deadline (fund/deadlines.py) and the loans
  1–30 days overdue, of the funds their team runs; a few of each.
- A borrower (a person with no unit in their scope): their open loans with the next due date and what
  falls due then.

Each panel costs a fixed number of queries whatever the number of decisions, applications or loans.
"""

import datetime

from fund import deadlines
from fund.access import funds_run_by, runs_a_fund
from fund.models import Bucket, Decision, Loan, LoanApplication, Status
from portal.panels import ASKED_OF_YOU, OVERDUE_WORK, Panel
from portal.scope import scope_for

SHOWN = 5


def panels(user, day: datetime.date) -> list[Panel]:
    if runs_a_fund(user):
        funds = funds_run_by(user)
        found = [_officer(user, funds, day)] if funds else []
    elif not scope_for(user).readable_unit_ids:
        found = [_borrower(user)]
    else:
        found = []
    return [panel for panel in found if panel is not None]


def _late_applications(user, funds: list[int], day: datetime.date) -> list[LoanApplication]:
    """The applications of ``funds`` with a stage open and past its deadline on ``day``, the one late
    the longest first (two queries: the applications, the calendar)."""
    waiting = deadlines.with_stages(
        list(
            deadlines.with_release_day(
                LoanApplication.objects.visible_to(user)
                .filter(fund_id__in=funds, filed_on__lte=day, loan__start_on__isnull=True)
                .exclude(status__in=(Status.REFUSED, Status.WITHDRAWN))
                .select_related("dossier")
            )
        ),
        day,
    )
    late = []
    for application in waiting:
        stage = deadlines.current_stage(application.stages)
        if stage.done_on is None and stage.late:
            application.late_stage = stage
            late.append(application)
    return sorted(late, key=lambda application: (application.late_stage.due, application.pk))


def _officer(user, funds: list[int], day: datetime.date) -> Panel | None:
    to_check = (
        Decision.objects.visible_to(user)
        .filter(fund_id__in=funds, status=Decision.Status.PENDING)
        .exclude(prepared_by=user)
    )
    overdue = Loan.objects.visible_to(user).open().filter(fund_id__in=funds, bucket=Bucket.DAYS_1_30)
    # 1: decisions to check, 2: loans 1–30 days overdue, 3–4: late applications and the calendar.
    check_count, overdue_count = to_check.count(), overdue.count()
    late = _late_applications(user, funds, day)
    if not check_count and not overdue_count and not late:
        return None
    # 5 and 6, when there is something: the oldest decisions, the loans longest overdue.
    shown_checks = (
        list(
            to_check.select_related("prepared_by", "application__dossier", "loan").order_by(
                "prepared_at", "pk"
            )[:SHOWN]
        )
        if check_count
        else []
    )
    shown_overdue = (
        list(overdue.select_related("borrower").order_by("-days_past_due", "pk")[:SHOWN])
        if overdue_count
        else []
    )
    return Panel(
        "fund/home_officer.html",
        OVERDUE_WORK,
        to_do=check_count + len(late) + overdue_count,
        data={
            "check_count": check_count,
            "checks": shown_checks,
            "late_count": len(late),
            "late": late[:SHOWN],
            "overdue_count": overdue_count,
            "overdue": shown_overdue,
        },
    )


def _borrower(user) -> Panel | None:
    """The person's own open loans that were released, with their next due date (one query)."""
    loans = list(
        Loan.objects.visible_to(user)
        .open()
        .filter(borrower__user=user, start_on__isnull=False)
        .select_related("fund")
        .order_by("next_due_on", "pk")
    )
    if not loans:
        return None
    return Panel("fund/home_borrower.html", ASKED_OF_YOU, data={"loans": loans})

"""The demo's startup investment funds (issue 13): the funds of former Bến Tre, Vĩnh Long and Trà Vinh.

``build(writer)`` writes the three funds with their example regulations (Bến Tre's in two versions,
the second from the 1 July 2025 reform), their state budget allocations (Vĩnh Long's 10 billion
đồng of 2019), the contributions of enterprises and people (some anonymous) and a campaign with its
goal and progress; then some forty loan applications taken through the services as the fund's
officers would — filed on a fund-loan dossier, appraised, proposed by one officer and approved by
another, released by tranches, repaid month by month — to every state a loan can be in: current,
late in each arrears bucket, extended, frozen, recalled, written off, repaid, a tranche waiting for
its evidence and one whose evidence is submitted, and decisions waiting in the queue. One loan goes
to the lead founder of a demo project. The funds' story is in ``fund.demo.plans``, its steps in
``fund.demo.story``.

Running it again changes nothing: a fund is found by its short name, and a fund that exists is
left as it is with everything it holds.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation

from demo.writer import Writer
from fund.demo.plans import FUNDS
from fund.demo.story import Story
from fund.models import Decision, Fund, Loan, LoanApplication, Transaction


@dataclass
class FundReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged")

    def summary(self) -> list[str]:
        rows = self.rows
        return [
            f"Funds:       {rows[('Fund', 'created')]} created, {rows[('Fund', 'unchanged')]} unchanged; "
            f"{rows[('Loan', 'created')]} loans, {rows[('Transaction', 'created')]} ledger transactions, "
            f"{rows[('Decision', 'pending')]} decisions waiting.",
        ]


def build(writer: Writer, today: datetime.date | None = None) -> FundReport:
    """Write the funds that do not exist yet, with their history up to ``today``."""
    today = today or timezone.localdate()
    report = FundReport()
    existing = set(Fund.objects.filter(slug__in=[plan.slug for plan in FUNDS]).values_list("slug", flat=True))
    missing = [plan for plan in FUNDS if plan.slug not in existing]
    report.rows["Fund", "unchanged"] = len(existing)
    # What the services write for people to read is in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        story = Story(writer, today)
        story.build_funds(missing)
        if existing and not Loan.objects.filter(project__isnull=False).exists():
            plan = FUNDS[0]
            story.project_loan(Fund.objects.get(slug=plan.slug), plan)
    funds = list(Fund.objects.filter(slug__in=[plan.slug for plan in FUNDS]).values_list("pk", flat=True))
    report.rows["Fund", "created"] = len(missing)
    report.rows["LoanApplication", "created"] = LoanApplication.objects.filter(fund__in=funds).count()
    report.rows["Loan", "created"] = Loan.objects.filter(fund__in=funds).count()
    report.rows["Transaction", "created"] = Transaction.objects.filter(fund__in=funds).count()
    report.rows["Decision", "pending"] = Decision.objects.filter(
        fund__in=funds, status=Decision.Status.PENDING
    ).count()
    return report

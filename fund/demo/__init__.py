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
from fund.demo import tally
from fund.demo.plans import FUNDS
from fund.demo.story import Story
from fund.demo.tally import counting
from fund.models import Decision, Fund, Loan


@dataclass
class FundReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged" | "pending")
    documents: int = 0  # attached to the fund-loan dossiers the funds' story filed on this run

    def summary(self) -> list[str]:
        rows = self.rows
        return [
            f"Funds:       {rows[('Fund', 'created')]} created, {rows[('Fund', 'unchanged')]} unchanged; "
            f"{rows[('Loan', 'created')]} loans, {rows[('Transaction', 'created')]} ledger transactions, "
            f"{rows[('Dossier', 'created')]} fund-loan dossiers ({self.documents} documents) of "
            f"{rows[('Applicant', 'created')]} new applicants, "
            f"{rows[('Decision', 'pending')]} decisions waiting.",
        ]


def build(writer: Writer, today: datetime.date | None = None) -> FundReport:
    """Write the funds that do not exist yet, with their history up to ``today``; what this run created.

    The dossiers demo may have written the funds already on this run, before deciding a fund-loan
    dossier (``fund.demo.decisions``): those count as created too (``fund.demo.tally``).
    """
    today = today or timezone.localdate()
    slugs = [plan.slug for plan in FUNDS]
    with counting(writer):
        existing = set(Fund.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        # What the services write for people to read is in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            story = Story(writer, today)
            story.build_funds([plan for plan in FUNDS if plan.slug not in existing])
            if existing and not Loan.objects.filter(project__isnull=False).exists():
                plan = FUNDS[0]
                story.project_loan(Fund.objects.get(slug=plan.slug), plan)
    created = tally.created(writer)
    report = FundReport(documents=created.pop("Document", 0))
    report.rows.update({(model, "created"): count for model, count in created.items()})
    report.rows["Fund", "unchanged"] = Fund.objects.filter(slug__in=slugs).count() - created["Fund"]
    report.rows["Decision", "pending"] = Decision.objects.filter(
        fund__slug__in=slugs, status=Decision.Status.PENDING
    ).count()
    return report

"""What a decision of the dossiers demo rests on (found by ``dossiers.demo`` through portal.plugins).

A fund-loan dossier is decided only once its application is (``fund.dossier_checks``). Before the
dossiers demo decides one, ``prepare`` writes the demo's funds when they are not there yet (their
whole story, ``fund.demo.story``), then opens the dossier's application with the fund of the former
province it comes from, and has it appraised, proposed and approved by two fund officers on the
decision's day, for the amount and the term the decision names. What it writes is the fund's part's
to report (``fund.demo.tally``), not the dossiers part's.
"""

import datetime
import re

from django.utils import timezone

from demo.writer import Writer
from dossiers.catalogue import FUND_LOAN
from dossiers.demo import PLANS
from dossiers.models import Dossier
from fund.demo.plans import FUNDS, FundPlan
from fund.demo.story import Story
from fund.demo.tally import counting
from fund.models import Fund, LoanApplication
from portal.models import AdminUnit, User

AMOUNT = re.compile(r"cho vay ([\d.]+) ₫")
TERM = re.compile(r"thời hạn (\d+) tháng")
DEFAULT_TERM = 36


def fund_plan_of(unit: AdminUnit) -> FundPlan:
    """The fund of the former province the commune or ward came from (Bến Tre's when unknown)."""
    commune = unit if unit.valid_until is not None else unit.predecessors.order_by("code").first()
    code = commune.parent.parent.code if commune is not None and commune.parent_id else ""
    return next((plan for plan in FUNDS if plan.province_code == code), FUNDS[0])


def prepare(writer: Writer, dossier: Dossier, *, day: datetime.date, by: User) -> None:
    """Before ``dossier`` is decided on ``day``: the funds, and its application approved."""
    if dossier.procedure.code != FUND_LOAN or LoanApplication.objects.filter(dossier=dossier).exists():
        return
    step = next((step for step in dossier_steps(dossier) if step), "")
    amount = AMOUNT.search(step)
    term = TERM.search(step)
    with counting(writer):
        story = Story(writer, timezone.localdate())
        existing = set(Fund.objects.values_list("slug", flat=True))
        story.build_funds([plan for plan in FUNDS if plan.slug not in existing])
        story.decide(
            dossier,
            day,
            fund_plan_of(dossier.unit),
            int(amount.group(1).replace(".", "")) if amount else 100_000_000,
            int(term.group(1)) if term else DEFAULT_TERM,
        )


def dossier_steps(dossier: Dossier) -> list[str]:
    """The decision texts the dossiers demo plans for this dossier."""
    return [
        step.text
        for plan in PLANS
        if plan.procedure == FUND_LOAN and dossier.summary == plan.summary
        for step in plan.steps
        if step.action == "complete"
    ]

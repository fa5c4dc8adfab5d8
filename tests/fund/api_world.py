"""A world for reading the fund through the API: funds, regulations, contributions, applications, loans,
decisions and postings whose optional fields are each empty in one and set in another, built through
the services (``fill_fund``, for tests/portal/test_api_schema_agreement.py and the fund's API tests)."""

import datetime

from fund.models import (
    Contribution,
    Decision,
    Fund,
    Loan,
    LoanApplication,
    Regulation,
    Transaction,
)
from fund.services import applications, capital, decisions
from fund.services.loans import record_repayment, reverse_repayment
from tests.conftest import Cast
from tests.fund.fixtures import *  # noqa: F403 (the fund_world and media_root fixtures)
from tests.fund.fixtures import FILED_ON, FundWorld, fund_dossier, fund_world_for

D = datetime.date
# The rows each of the fund's paths' ``{id}`` is tried with (the third part of the path).
FUND_MODELS = {
    "funds": Fund,
    "fund-regulations": Regulation,
    "fund-contributions": Contribution,
    "loan-applications": LoanApplication,
    "loans": Loan,
    "fund-decisions": Decision,
    "fund-ledger": Transaction,
}


# --- The world ---------------------------------------------------------------------------------------------


def another_application(world: FundWorld, **figures) -> LoanApplication:
    """Another fund-loan dossier of the cast's applicant, with its application (appraising)."""
    dossier = fund_dossier(world.shop, world.officer)
    fields = {
        "sector": "C",
        "project_cost": 400_000_000,
        "amount": 100_000_000,
        "term_months": 24,
        "purpose": "Mở rộng xưởng",
        "filed_on": FILED_ON,
    }
    return LoanApplication.objects.create(
        dossier=dossier, fund=world.fund, regulation=world.regulation, unit=dossier.unit, **(fields | figures)
    )


def approve_loan(world: FundWorld, application: LoanApplication, amount: int, **outside) -> Loan:
    LoanApplication.objects.filter(pk=application.pk).update(
        status="recommended", recommendation="lend", recommended_amount=amount, recommended_on=D(2026, 11, 12)
    )
    application.refresh_from_db()
    decision = decisions.propose_loan(
        application=application,
        by=world.officer,
        amount=amount,
        term_months=24,
        grace_months=0,
        method="equal_principal",
        period_months=1,
        tranches=[(amount, "Ký hợp đồng")],
        reason="Khả thi",
    )
    decisions.approve(decision=decision, by=world.checker, **outside)
    return Loan.objects.get(application=application)


def fill_fund(cast: Cast) -> FundWorld:
    """Funds, regulations, contributions, applications, loans, decisions and postings whose optional fields
    are each empty in one and set in another, through the services."""
    world = fund_world_for(cast)
    officer = world.officer
    # A fund whose only regulation has ended (none in force), without a target, with every cap unset.
    ended = Fund.objects.create(
        name="Quỹ khởi nghiệp huyện Chợ Lách (thí điểm)",
        slug="cho-lach",
        unit=cast.units.district,
        team=cast.teams.fund,
        founded_on=D(2018, 1, 1),
    )
    Regulation.objects.create(
        fund=ended,
        number="03/2018/QĐ-UBND",
        title="Quy chế thí điểm",
        signed_on=D(2018, 1, 1),
        effective_from=D(2018, 1, 1),
        effective_to=D(2023, 12, 31),
        residence_unit=cast.units.district,
        max_term_months=36,
        board_limit=100_000_000,
    )
    campaign = capital.add_campaign(
        fund=world.fund,
        by=officer,
        name="Chung tay khởi nghiệp 2026",
        goal=500_000_000,
        starts_on=D(2026, 10, 1),
        ends_on=D(2026, 12, 31),
    )
    for pledged_on, in_campaign in ((D(2026, 10, 5), True), (D(2026, 11, 2), False)):
        contribution = capital.pledge(
            fund=world.fund,
            by=officer,
            source="individual",
            contributor="Bà Lê Thị Hảo Tâm",
            contact="0909 000 111",
            anonymous=in_campaign,
            pledged=50_000_000,
            pledged_on=pledged_on,
            campaign=campaign if in_campaign else None,
        )
        capital.receive(contribution=contribution, by=officer, amount=20_000_000, received_on=D(2026, 11, 16))
    # The cast's application: a loan in two tranches, the first released, repaid and the repayment reversed.
    loan = world.released_loan(tranches=[(80_000_000, "Ký hợp đồng"), (40_000_000, "Xưởng xây xong")])
    repayment = record_repayment(loan=loan, amount=3_000_000, paid_on=D(2026, 11, 18), by=officer)
    reverse_repayment(repayment=repayment, by=officer, reason="Ghi nhầm")
    record_repayment(loan=loan, amount=3_000_000, paid_on=D(2026, 11, 18), by=officer)
    # Above the board's limit: approved with the People's Committee's decision, nothing released yet.
    approve_loan(
        world,
        another_application(world, amount=250_000_000, project_cost=600_000_000, collateral="Sổ đỏ"),
        250_000_000,
        outside_number="1234/QĐ-UBND",
        outside_date=D(2026, 11, 17),
    )
    # Appraising, with an appraiser who declared and one who has not, and no founding day.
    appraising = another_application(world, enterprise_founded_on=None)
    declared = applications.assign_appraiser(application=appraising, user=officer, by=officer)
    applications.declare(appraiser=declared, by=officer, conflict=False)
    applications.assign_appraiser(application=appraising, user=world.checker, by=officer)
    # Refused; and a loan proposed, waiting for its second person.
    applications.refuse_application(
        application=another_application(world, enterprise_founded_on=D(2026, 2, 1)),
        by=officer,
        reason="Thiếu",
    )
    waiting = another_application(world, enterprise_founded_on=D(2026, 2, 1))
    LoanApplication.objects.filter(pk=waiting.pk).update(status="recommended", recommendation="lend")
    decisions.propose_loan(
        application=LoanApplication.objects.get(pk=waiting.pk),
        by=officer,
        amount=90_000_000,
        term_months=24,
        grace_months=0,
        method="equal_principal",
        period_months=1,
        tranches=[(90_000_000, "Ký hợp đồng")],
        reason="Khả thi",
    )
    # A loan closed (repaid early, as far as the reader can tell).
    Loan.objects.filter(pk=loan.pk).update(closed_on=D(2026, 11, 18))
    return world


# --- What is hidden from whom ------------------------------------------------------------------------------

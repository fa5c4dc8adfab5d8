"""A fund, its regulation, its capital and an application, built on the named cast.

``from tests.fund.fixtures import *`` brings in the ``fund_world`` fixture:

- ``fund``: "Quỹ Đầu tư khởi nghiệp tỉnh Thử Nghiệm", run by the cast's fund team, with the example
  regulation of Bình Phước in force from 01/01/2024 (first startups founded at most 12 months before,
  ≤ 20 % of equity, ≤ 50 % of the project's cost, ≤ 500 million đồng, ≤ 60 months, ≤ 12 months'
  grace, 3 %/year, collateral above 300 million, the fund's board up to 200 million) and its rubric;
- 3 billion đồng of state budget received (so the equity cap is 600 million);
- ``checker``: Trương Văn Kiểm, a second officer of the fund team (maker-checker);
- ``dossier`` and ``application``: Bùi Văn Nộp's (the cast's applicant) fund-loan dossier filed
  05/11/2026 for 120 million đồng over 24 months, a 400-million project (coconut candy), appraising.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import translation

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier, Procedure
from dossiers.services.documents import attach_document
from dossiers.services.dossiers import receive_dossier, start_dossier, submit_dossier
from fund.models import (
    AccountKind,
    Decision,
    Fund,
    Loan,
    LoanApplication,
    Recommendation,
    Regulation,
    RubricCriterion,
    Source,
    Status,
    TransactionKind,
)
from fund.services import decisions, ledger
from portal.catalogue import load_reference_data
from portal.models import User
from tests.conftest import Cast
from tests.dossiers.fixtures import Dossiers, dossiers_for, media_root, pdf_upload
from tests.factories import MembershipFactory, UserFactory

__all__ = ["FundWorld", "english", "fund_world", "fund_world_for", "media_root"]

FILED_ON = datetime.date(2026, 11, 5)
STATE_BUDGET = 3_000_000_000

BINH_PHUOC_RULES = {
    "number": "15/2024/QĐ-UBND (ví dụ)",
    "title": "Quy chế cho vay của Quỹ Đầu tư khởi nghiệp (theo mô hình Bình Phước)",
    "signed_on": datetime.date(2023, 12, 20),
    "effective_from": datetime.date(2024, 1, 1),
    "is_example": True,
    "max_enterprise_age_months": 12,
    "first_startup_only": True,
    "excluded_sectors": "KL",
    "equity_share_cap_pct": 20,
    "project_cost_share_cap_pct": 50,
    "absolute_cap": 500_000_000,
    "max_term_months": 60,
    "max_grace_months": 12,
    "yearly_rate_bp": 300,
    "collateral_above": 300_000_000,
    "required_documents": "Giấy đề nghị vay vốn\nPhương án sản xuất kinh doanh\nBản sao CCCD",
    "appraisal_days": 15,
    "decision_days": 10,
    "disbursement_days": 5,
    "board_limit": 200_000_000,
    "articles": {
        "enterprise_age": "Điều 5 khoản 1",
        "first_startup": "Điều 5 khoản 2",
        "sector": "Điều 5 khoản 3",
        "absolute_cap": "Điều 7 khoản 1",
        "equity_share": "Điều 7 khoản 2",
        "project_cost_share": "Điều 7 khoản 3",
        "term": "Điều 8",
        "collateral": "Điều 9",
        "documents": "Điều 10",
    },
}
RUBRIC = [
    ("Tính khả thi của phương án", 40),
    ("Năng lực của người khởi nghiệp", 30),
    ("Khả năng trả nợ", 20),
    ("Việc làm tạo ra", 10),
]


@dataclass
class FundWorld:
    cast: Cast
    shop: Dossiers
    fund: Fund
    regulation: Regulation
    checker: User
    dossier: Dossier
    application: LoanApplication

    @property
    def officer(self) -> User:
        return self.cast.fund_officer

    def recommended(self, amount: int = 120_000_000) -> LoanApplication:
        """The application as the appraisal leaves it: recommended to lend ``amount``."""
        LoanApplication.objects.filter(pk=self.application.pk).update(
            status=Status.RECOMMENDED,
            recommendation=Recommendation.LEND,
            recommended_amount=amount,
            recommended_by=self.officer,
            recommended_on=FILED_ON + datetime.timedelta(days=7),
        )
        self.application.refresh_from_db()
        return self.application

    def proposed(
        self, amount: int = 120_000_000, tranches=None, term_months: int = 24, grace_months: int = 0
    ):
        self.recommended(amount)
        return decisions.propose_loan(
            application=self.application,
            by=self.officer,
            amount=amount,
            term_months=term_months,
            grace_months=grace_months,
            method="equal_principal",
            period_months=1,
            tranches=tranches or [(amount, "Ký hợp đồng")],
            reason="Phương án khả thi, tổ thẩm định đề nghị cho vay.",
        )

    def approved_loan(self, **terms) -> Loan:
        decision = self.proposed(**terms)
        decisions.approve(decision=decision, by=self.checker, note="Đồng ý.")
        return Loan.objects.get(application=self.application)

    def released_loan(self, **terms) -> Loan:
        loan = self.approved_loan(**terms)
        decision = decisions.propose_release(
            tranche=loan.tranches.get(number=1), by=self.officer, reason="Giải ngân đợt 1."
        )
        decisions.approve(decision=decision, by=self.checker)
        return Loan.objects.get(pk=loan.pk)

    def pending(self) -> Decision:
        return Decision.objects.get(status=Decision.Status.PENDING)


def fund_dossier(shop: Dossiers, officer: User) -> Dossier:
    """Bùi Văn Nộp's fund-loan dossier with every document, filed online and received by the fund."""
    procedure = Procedure.objects.get(code=FUND_LOAN)
    dossier = start_dossier(
        procedure=procedure,
        applicant=shop.applicant,
        filed_by=shop.applicant.user,
        unit=shop.applicant.unit,
        channel=Dossier.Channel.ONLINE,
        summary="Vay vốn mở rộng xưởng kẹo dừa",
    )
    given = set(dossier.documents.values_list("requirement_id", flat=True))
    for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
        attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(), by=shop.applicant.user)
    submit_dossier(dossier=dossier, by=shop.applicant.user)
    receive_dossier(dossier=dossier, by=officer)
    return Dossier.objects.get(pk=dossier.pk)


def build_fund_world(cast: Cast) -> FundWorld:
    shop = dossiers_for(cast)
    load_reference_data()
    fund = Fund.objects.create(
        name="Quỹ Đầu tư khởi nghiệp tỉnh Thử Nghiệm",
        slug="thu-nghiem",
        unit=cast.units.province,
        team=cast.teams.fund,
        founded_on=datetime.date(2019, 6, 1),
        capital_target=10_000_000_000,
    )
    regulation = Regulation.objects.create(fund=fund, **BINH_PHUOC_RULES)
    RubricCriterion.objects.bulk_create(
        RubricCriterion(regulation=regulation, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(RUBRIC)
    )
    checker = UserFactory(username="kiemsoat", full_name="Trương Văn Kiểm")
    MembershipFactory(team=cast.teams.fund, user=checker)
    ledger.post(
        fund=fund,
        kind=TransactionKind.CONTRIBUTION,
        value_date=datetime.date(2024, 1, 15),
        lines=[
            (ledger.account(fund, AccountKind.CASH), STATE_BUDGET),
            (ledger.account(fund, AccountKind.CAPITAL, source=Source.STATE_BUDGET), -STATE_BUDGET),
        ],
        by=cast.fund_officer,
        memo="Ngân sách tỉnh cấp vốn điều lệ",
    )
    dossier = fund_dossier(shop, cast.fund_officer)
    application = LoanApplication.objects.create(
        dossier=dossier,
        fund=fund,
        regulation=regulation,
        unit=dossier.unit,
        sector="C",
        enterprise_founded_on=datetime.date(2026, 3, 1),
        first_startup=True,
        project_cost=400_000_000,
        amount=120_000_000,
        term_months=24,
        grace_months=0,
        purpose="Mua nồi nấu và máy đóng gói kẹo dừa",
        filed_on=FILED_ON,
    )
    return FundWorld(cast, shop, fund, regulation, checker, dossier, application)


def fund_world_for(cast: Cast) -> FundWorld:
    """The cast's ``FundWorld``, built on first use (for the role table's lambdas)."""
    if getattr(cast, "_fund_world", None) is None:
        cast._fund_world = build_fund_world(cast)
    return cast._fund_world


@pytest.fixture
def fund_world(cast, media_root) -> FundWorld:
    return fund_world_for(cast)


@pytest.fixture
def english():
    """The test's messages in English, the language its assertions are written in (the portal's own is
    Vietnamese): ``pytestmark = pytest.mark.usefixtures("english")``."""
    with translation.override("en"):
        yield

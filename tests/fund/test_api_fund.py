"""The fund in the API: who gets what on every route (the role × route rows), scope, what is hidden from
whom, filters and their bounds, query counts and the schema.

The role × route rows of these routes are in ``API_FUND_ROWS`` below, run here the way the shared
table in tests/portal/test_role_routes.py runs its own. A money route answers the fund's officer 400
here: its rows send no ``Idempotency-Key`` (tests/fund/test_api_money.py sends them).
"""

import contextlib
import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from fund.models import (
    Appraiser,
    Contribution,
    Decision,
    Loan,
    LoanApplication,
    Receipt,
    Regulation,
    Repayment,
    SiteVisit,
    Tranche,
    Transaction,
)
from fund.services import applications, capital, decisions, evidence
from fund.services.loans import record_repayment
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.fund.fixtures import *  # noqa: F403 (the fund_world and media_root fixtures)
from tests.fund.fixtures import FundWorld, fund_dossier, fund_world_for
from tests.portal.api_helpers import api
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
SIGNED_IN = everyone(200, anonymous=403)
# Who reads Bùi Văn Nộp's application and loan (Xã Sơn Định): the province-wide roles, the district
# above the commune, the commune and the borrower; the rest of the cast does not see them.
API_LOAN_READERS = everyone(
    404,
    anonymous=403,
    council_member=200,
    standing_officer=200,
    district_officer=200,
    commune_officer=200,
    fund_officer=200,
    applicant=200,
)
# Who changes them: the fund's officers; whoever else sees them reads only.
API_LOAN_WRITERS = API_LOAN_READERS | dict.fromkeys(
    ("council_member", "standing_officer", "district_officer", "commune_officer", "applicant"), 403
)
# A money route without its key: the fund's officer is told the key is missing.
API_LOAN_MONEY = API_LOAN_WRITERS | {"fund_officer": 400}
# The fund's own writes (regulations, pledges): everyone signed in sees the fund, its officers write.
API_FUND_WRITERS = everyone(403, fund_officer=201)
# The ledger: the fund's officers, the council and the standing agency; anyone else 403.
API_LEDGER_READERS = everyone(403, council_member=200, standing_officer=200, fund_officer=200)


def world(cast: Cast) -> FundWorld:
    return fund_world_for(cast)


# --- What the rows act on ----------------------------------------------------------------------------------


def pledged(cast: Cast) -> Contribution:
    world_ = world(cast)
    return capital.pledge(
        fund=world_.fund,
        by=world_.officer,
        source="enterprise",
        contributor="Công ty TNHH Dừa Xanh",
        contact="0275 381 2345",
        pledged=200_000_000,
        pledged_on=D(2026, 11, 2),
    )


def two_tranche_loan(cast: Cast) -> Loan:
    """A loan released in two tranches, the first released, the second waiting for its evidence."""
    return world(cast).released_loan(tranches=[(80_000_000, "Ký hợp đồng"), (40_000_000, "Xưởng xây xong")])


def second_tranche(cast: Cast, *, state: str) -> Loan:
    loan = two_tranche_loan(cast)
    tranche = loan.tranches.get(number=2)
    world_ = world(cast)
    if state in ("submitted", "accepted"):
        evidence.submit_evidence(tranche=tranche, by=world_.officer, evidence="Biên bản nghiệm thu xưởng")
    if state == "accepted":
        evidence.review_evidence(tranche=tranche, by=world_.officer, accepted=True)
    return loan


def own_appraiser(cast: Cast, *, declared: bool = False) -> Appraiser:
    world_ = world(cast)
    appraiser = applications.assign_appraiser(
        application=world_.application, user=world_.officer, by=world_.officer
    )
    if declared:
        appraiser = applications.declare(appraiser=appraiser, by=world_.officer, conflict=False)
    return appraiser


def appraised(cast: Cast) -> LoanApplication:
    """The application scored by the fund officer and visited: ready for the recommendation."""
    world_ = world(cast)
    appraiser = own_appraiser(cast, declared=True)
    applications.score(
        appraiser=appraiser,
        by=world_.officer,
        scores={criterion.pk: (8, "") for criterion in world_.regulation.criteria.all()},
    )
    applications.record_site_visit(
        application=world_.application, by=world_.officer, visited_on=D(2026, 11, 12), findings="Xưởng sạch"
    )
    return world_.application


def proposed_by_checker(cast: Cast) -> Decision:
    """The loan proposed by the checker, so that the cast's fund officer is its second person."""
    world_ = world(cast)
    world_.recommended()
    return decisions.propose_loan(
        application=world_.application,
        by=world_.checker,
        amount=120_000_000,
        term_months=24,
        grace_months=0,
        method="equal_principal",
        period_months=1,
        tranches=[(120_000_000, "Ký hợp đồng")],
        reason="Phương án khả thi.",
    )


def repaid(cast: Cast) -> Repayment:
    world_ = world(cast)
    return record_repayment(
        loan=world_.released_loan(), amount=5_300_000, paid_on=D(2026, 11, 18), by=world_.officer
    )


def regulation_body(cast: Cast) -> dict:
    return {
        "fund": world(cast).fund.pk,
        "number": "20/2027/QĐ-UBND",
        "title": "Quy chế cho vay sửa đổi",
        "signed_on": "2026-11-10",
        "effective_from": "2027-01-01",
        "max_term_months": 48,
        "max_grace_months": 6,
        "yearly_rate_bp": 200,
        "board_limit": 300_000_000,
        "articles": {"term": "Điều 8"},
        "criteria": [{"name": "Tính khả thi", "weight": 60}, {"name": "Khả năng trả nợ", "weight": 40}],
    }


def pledge_body(cast: Cast) -> dict:
    return {
        "fund": world(cast).fund.pk,
        "source": "individual",
        "contributor": "Ông Nguyễn Văn Tặng",
        "contact": "0909 123 456",
        "anonymous": True,
        "pledged": 50_000_000,
        "pledged_on": "2026-11-16",
    }


def application_body(cast: Cast) -> dict:
    world_ = world(cast)
    return {
        "dossier": fund_dossier(world_.shop, world_.officer).pk,
        "fund": world_.fund.pk,
        "sector": "C",
        "enterprise_founded_on": "2026-03-01",
        "project_cost": 300_000_000,
        "amount": 100_000_000,
        "term_months": 24,
        "purpose": "Mua máy đóng gói",
    }


def url(name: str, make=None, *extra):
    """The route ``api:name`` for the row made by ``make`` (the fund, by default), with ``extra`` args."""

    def build(cast: Cast) -> str:
        made = make(cast) if make else world(cast).fund
        return reverse(
            f"api:{name}", args=[made.pk, *(value(cast) if callable(value) else value for value in extra)]
        )

    return build


def listed(name: str):
    def build(cast: Cast) -> str:
        world(cast)
        return reverse(f"api:{name}")

    return build


def application(cast: Cast) -> LoanApplication:
    return world(cast).application


def loan(cast: Cast) -> Loan:
    return world(cast).released_loan()


def posting(cast: Cast) -> Transaction:
    world(cast)
    return Transaction.objects.first()


API_FUND_ROWS: dict[str, Row] = {
    "api:fund-list": Row("get", listed("fund-list"), SIGNED_IN),
    "api:fund-detail": Row("get", url("fund-detail"), SIGNED_IN),
    "api:fund-disclosure": Row("get", url("fund-disclosure"), SIGNED_IN),
    "api:fund-regulation-list": Row("get", listed("fund-regulation-list"), SIGNED_IN),
    "api:fund-regulation-list:post": Row(
        "post",
        listed("fund-regulation-list"),
        API_FUND_WRITERS | {"standing_officer": 201},
        data=regulation_body,
    ),
    "api:fund-regulation-detail": Row(
        "get", url("fund-regulation-detail", lambda cast: world(cast).regulation), SIGNED_IN
    ),
    "api:fund-contribution-list": Row("get", listed("fund-contribution-list"), SIGNED_IN),
    "api:fund-contribution-list:post": Row(
        "post", listed("fund-contribution-list"), API_FUND_WRITERS, data=pledge_body
    ),
    "api:fund-contribution-detail": Row("get", url("fund-contribution-detail", pledged), SIGNED_IN),
    "api:fund-contribution-receipts": Row(
        "post",
        url("fund-contribution-receipts", pledged),
        everyone(403, fund_officer=400),
        data=lambda cast: {"amount": 100_000_000, "received_on": "2026-11-17"},
    ),
    "api:loan-application-list": Row("get", listed("loan-application-list"), SIGNED_IN),
    # The dossier's party and the fund's officers open it; those who see the dossier are refused (400),
    # and for anyone else its id is unknown (400).
    "api:loan-application-list:post": Row(
        "post",
        listed("loan-application-list"),
        everyone(400, anonymous=403, fund_officer=201, applicant=201),
        data=application_body,
    ),
    "api:loan-application-detail": Row("get", url("loan-application-detail", application), API_LOAN_READERS),
    "api:loan-application-rules": Row("get", url("loan-application-rules", application), API_LOAN_READERS),
    "api:loan-application-stages": Row("get", url("loan-application-stages", application), API_LOAN_READERS),
    "api:loan-application-appraisers": Row(
        "post",
        url("loan-application-appraisers", application),
        API_LOAN_WRITERS | {"fund_officer": 201},
        data=lambda cast: {"user": world(cast).checker.pk},
    ),
    "api:loan-application-declare": Row(
        "post",
        url("loan-application-declare", application, lambda cast: own_appraiser(cast).pk),
        API_LOAN_WRITERS,
        data=lambda cast: {"conflict": False},
    ),
    "api:loan-application-scores": Row(
        "post",
        url("loan-application-scores", application, lambda cast: own_appraiser(cast, declared=True).pk),
        API_LOAN_WRITERS,
        data=lambda cast: {
            "scores": [
                {"criterion": criterion.pk, "score": 7} for criterion in world(cast).regulation.criteria.all()
            ]
        },
    ),
    "api:loan-application-site-visits": Row(
        "post",
        url("loan-application-site-visits", application),
        API_LOAN_WRITERS | {"fund_officer": 201},
        data=lambda cast: {"visited_on": "2026-11-12", "findings": "Xưởng nấu kẹo sạch sẽ"},
    ),
    "api:loan-application-recommend": Row(
        "post",
        url("loan-application-recommend", appraised),
        API_LOAN_WRITERS,
        data=lambda cast: {"recommendation": "lend", "amount": 120_000_000, "note": "Khả thi"},
    ),
    "api:loan-application-refuse": Row(
        "post",
        url("loan-application-refuse", application),
        API_LOAN_WRITERS,
        data=lambda cast: {"reason": "Thiếu vốn đối ứng"},
    ),
    "api:loan-application-propose": Row(
        "post",
        url("loan-application-propose", lambda cast: world(cast).recommended()),
        API_LOAN_WRITERS | {"fund_officer": 201},
        data=lambda cast: {
            "amount": 120_000_000,
            "term_months": 24,
            "method": "equal_principal",
            "period_months": 1,
            "tranches": [{"amount": 120_000_000, "milestone": "Ký hợp đồng"}],
            "reason": "Phương án khả thi",
        },
    ),
    "api:loan-list": Row("get", listed("loan-list"), SIGNED_IN),
    "api:loan-detail": Row("get", url("loan-detail", loan), API_LOAN_READERS),
    "api:loan-schedule": Row("get", url("loan-schedule", loan), API_LOAN_READERS),
    "api:loan-repayments": Row("get", url("loan-repayments", loan), API_LOAN_READERS),
    "api:loan-repayments:post": Row(
        "post",
        url("loan-repayments", loan),
        API_LOAN_MONEY,
        data=lambda cast: {"amount": 5_300_000, "paid_on": "2026-11-18"},
    ),
    "api:loan-reverse-repayment": Row(
        "post",
        url(
            "loan-reverse-repayment", lambda cast: repaid(cast).loan, lambda cast: Repayment.objects.get().pk
        ),
        API_LOAN_MONEY,
        data=lambda cast: {"reason": "Ghi nhầm"},
    ),
    "api:loan-disbursements": Row("get", url("loan-disbursements", loan), API_LOAN_READERS),
    "api:loan-disbursements:post": Row(
        "post",
        url("loan-disbursements", lambda cast: second_tranche(cast, state="accepted")),
        API_LOAN_WRITERS | {"fund_officer": 201},
        data=lambda cast: {"tranche": 2, "reason": "Đã nghiệm thu xưởng"},
    ),
    # The borrower submits their own tranche's evidence.
    "api:loan-tranche-evidence": Row(
        "post",
        url("loan-tranche-evidence", two_tranche_loan, 2),
        API_LOAN_WRITERS | {"applicant": 200},
        data=lambda cast: {"evidence": "Hóa đơn mua máy"},
    ),
    "api:loan-tranche-review": Row(
        "post",
        url("loan-tranche-review", lambda cast: second_tranche(cast, state="submitted"), 2),
        API_LOAN_WRITERS,
        data=lambda cast: {"accepted": True},
    ),
    "api:loan-changes": Row("get", url("loan-changes", loan), API_LOAN_READERS),
    "api:loan-changes:post": Row(
        "post",
        url("loan-changes", loan),
        API_LOAN_WRITERS | {"fund_officer": 201},
        data=lambda cast: {"kind": "extend", "extra_periods": 6, "reason": "Thiên tai"},
    ),
    "api:fund-decision-list": Row("get", listed("fund-decision-list"), SIGNED_IN),
    "api:fund-decision-detail": Row(
        "get", url("fund-decision-detail", lambda cast: world(cast).proposed()), API_LOAN_READERS
    ),
    "api:fund-decision-approve": Row(
        "post",
        url("fund-decision-approve", proposed_by_checker),
        API_LOAN_MONEY,
        data=lambda cast: {"note": "Đồng ý"},
    ),
    "api:fund-decision-reject": Row(
        "post",
        url("fund-decision-reject", proposed_by_checker),
        API_LOAN_WRITERS,
        data=lambda cast: {"note": "Chưa đủ"},
    ),
    "api:fund-decision-cancel": Row(
        "post", url("fund-decision-cancel", lambda cast: world(cast).proposed()), API_LOAN_WRITERS
    ),
    "api:fund-ledger-transaction-list": Row(
        "get", listed("fund-ledger-transaction-list"), API_LEDGER_READERS
    ),
    "api:fund-ledger-transaction-detail": Row(
        "get", url("fund-ledger-transaction-detail", posting), API_LEDGER_READERS
    ),
    "api:fund-ledger-transaction-balances": Row(
        "get", listed("fund-ledger-transaction-balances"), API_LEDGER_READERS
    ),
}


def state():
    return (
        Regulation.objects.count(),
        Contribution.objects.count(),
        Receipt.objects.count(),
        sorted(LoanApplication.objects.values_list("pk", "status")),
        Appraiser.objects.exclude(declaration="").count(),
        SiteVisit.objects.count(),
        sorted(Decision.objects.values_list("pk", "status")),
        sorted(Tranche.objects.values_list("pk", "evidence_state", "released_on")),
        Repayment.objects.filter(reversal__isnull=False).count(),
        Transaction.objects.count(),
        AuditRecord.objects.count(),
    )


@contextlib.contextmanager
def rolled_back():
    """What the block writes is undone when it ends: the next role meets the world as it was built."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("route_name", sorted(API_FUND_ROWS))
def test_each_role_gets_the_expected_answer(cast, media_root, route_name):
    """The world is built once for the row; each role's request (and what its row prepares) is undone."""
    row = API_FUND_ROWS[route_name]
    world(cast)
    wrong = []
    for role in Cast.ROLES:
        with rolled_back():
            url_, data = row.url(cast), row.data(cast)
            before = state()
            response = getattr(api(getattr(cast, role)), row.method)(url_, data, format="json")
            if response.status_code != row.expected[role]:
                wrong.append(f"{role} {row.method.upper()} {url_}: {response.status_code} {response.json()}")
            elif row.method != "get" and response.status_code >= 400 and state() != before:
                wrong.append(f"{role}: a refused write changed something")
    assert wrong == []

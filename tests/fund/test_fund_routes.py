"""The fund's role × route rows: every page of fund/fund_urls.py, loan_urls.py, ledger_urls.py and
public_urls.py, and the answer each member of the cast gets from it (the applications' rows are in
tests/fund/test_application_pages.py).

A page taking both methods has a "name:post" row for its POST. A POST row's data is a valid request,
so that the roles that may write really take the success path; a write refused to any other role
changes none of the fund's records.

``FUND_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime
import uuid
from collections.abc import Callable

import pytest
from django.urls import reverse

from fund import fund_urls, ledger_urls, loan_urls, public_urls
from fund.models import (
    Campaign,
    ClosedPeriod,
    Contribution,
    Decision,
    Entry,
    Freeze,
    Loan,
    LoanApplication,
    Receipt,
    Regulation,
    Repayment,
    Source,
    Tranche,
    Transaction,
)
from fund.services import capital, decisions, evidence
from fund.services.loans import record_repayment
from tests.conftest import Cast
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import FundWorld, fund_world_for
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)
FIRST_TRANCHE = 60_000_000
SECOND_TRANCHE = 60_000_000

SIGNED_IN = everyone(200, anonymous=302)
# Who reads the applicant's loan, its application and their decisions: the commune's readers and the
# borrower themself.
LOAN_READERS = COMMUNE_READERS | {"applicant": 200}
# A fund officer's write on the loan: who reads it and may not write gets 403, anyone else 404.
LOAN_WRITERS = everyone(
    404,
    anonymous=302,
    council_member=403,
    standing_officer=403,
    district_officer=403,
    commune_officer=403,
    applicant=403,
    fund_officer=302,
)
# The ledger: the council, the standing agency and the fund's own officers.
LEDGER_READERS = everyone(403, anonymous=302, council_member=200, standing_officer=200, fund_officer=200)
# Officials read a portfolio (each of their own scope); a person without a team has none.
PORTFOLIO_READERS = everyone(200, anonymous=302, applicant=403, other_applicant=403, mentor=403)


def only(status: int, *roles: str) -> dict[str, int]:
    """``roles`` get ``status``; any other signed-in person 403; an anonymous visitor is asked to sign in."""
    return everyone(403, anonymous=302) | dict.fromkeys(roles, status)


def kept(cast: Cast, name: str, build: Callable[[FundWorld], object]):
    """What ``build`` makes of the cast's world, made once and kept as ``name`` (the url and the data
    of a row both ask for it)."""
    world = fund_world_for(cast)
    if not hasattr(world, name):
        setattr(world, name, build(world))
    return getattr(world, name)


def fresh_key() -> str:
    return uuid.uuid4().hex


# --- What the rows act on ---------------------------------------------------------------------------------


def contribution_of(cast: Cast) -> Contribution:
    """A pledge of 50 million đồng, nothing received yet."""
    return kept(
        cast,
        "route_contribution",
        lambda world: capital.pledge(
            fund=world.fund,
            by=world.officer,
            source=Source.ENTERPRISE,
            contributor="Công ty TNHH Dừa Xanh",
            contact="0909 123 456",
            anonymous=False,
            pledged=50_000_000,
            pledged_on=datetime.date(2026, 10, 1),
        ),
    )


def receipt_of(cast: Cast) -> Receipt:
    return kept(
        cast,
        "route_receipt",
        lambda world: capital.receive(
            contribution=contribution_of(cast), by=world.officer, amount=10_000_000, received_on=TODAY
        ),
    )


def loan_of(cast: Cast) -> Loan:
    """The applicant's loan, active: its first tranche released, the second waiting for its evidence."""
    return kept(
        cast,
        "route_loan",
        lambda world: world.released_loan(
            tranches=[(FIRST_TRANCHE, "Ký hợp đồng"), (SECOND_TRANCHE, "Xưởng hoàn thành")]
        ),
    )


def second_tranche(cast: Cast) -> Tranche:
    return loan_of(cast).tranches.get(number=2)


def submitted_tranche(cast: Cast) -> Tranche:
    """The second tranche with the borrower's evidence, waiting for a fund officer's review."""
    return kept(
        cast,
        "route_submitted",
        lambda world: evidence.submit_evidence(
            tranche=second_tranche(cast), by=cast.applicant, evidence="Hoá đơn mua máy đóng gói"
        ),
    )


def accepted_tranche(cast: Cast) -> Tranche:
    """The second tranche with its evidence accepted: its release may be proposed."""
    return kept(
        cast,
        "route_accepted",
        lambda world: evidence.review_evidence(
            tranche=submitted_tranche(cast), by=world.officer, accepted=True
        ),
    )


def repayment_of(cast: Cast) -> Repayment:
    return kept(
        cast,
        "route_repayment",
        lambda world: record_repayment(loan=loan_of(cast), amount=5_000_000, paid_on=TODAY, by=world.officer),
    )


def recommended_of(cast: Cast) -> LoanApplication:
    return kept(cast, "route_recommended", lambda world: world.recommended(120_000_000))


def checkers_decision(cast: Cast) -> Decision:
    """The loan proposed by the second officer: the cast's fund officer may check it."""
    return kept(
        cast,
        "route_checkers_decision",
        lambda world: decisions.propose_loan(
            application=recommended_of(cast),
            by=world.checker,
            amount=120_000_000,
            term_months=24,
            grace_months=0,
            method="equal_principal",
            period_months=1,
            tranches=[(120_000_000, "Ký hợp đồng")],
            reason="Phương án khả thi, tổ thẩm định đề nghị cho vay.",
        ),
    )


def officers_decision(cast: Cast) -> Decision:
    """The loan proposed by the cast's fund officer: only they withdraw it."""
    return kept(cast, "route_officers_decision", lambda world: world.proposed())


def posting_of(cast: Cast) -> Transaction:
    """The state budget received when the fund was set up."""
    return Transaction.objects.filter(fund=fund_world_for(cast).fund).earliest("pk")


def slug_of(cast: Cast) -> str:
    return fund_world_for(cast).fund.slug


def at(name: str, of: Callable[[Cast], object]) -> Callable[[Cast], str]:
    """The address of ``name`` for the row's object (a pk, or a fund's slug when ``of`` gives one)."""

    def address(cast: Cast) -> str:
        key = of(cast)
        return reverse(name, args=[key if isinstance(key, str) else key.pk])

    return address


def loan_page(name: str) -> Callable[[Cast], str]:
    return at(name, loan_of)


# --- Funds, regulations and capital (fund/fund_urls.py) ---------------------------------------------------


def regulation_data() -> dict:
    return {
        "number": "20/2026/QĐ-UBND",
        "title": "Quy chế cho vay sửa đổi",
        "signed_on": "2026-12-15",
        "effective_from": "2027-01-01",
        "max_enterprise_age_months": "12",
        "first_startup_only": "on",
        "excluded_sectors": "K, L",
        "equity_share_cap_pct": "20",
        "project_cost_share_cap_pct": "50",
        "absolute_cap": "600000000",
        "max_term_months": "60",
        "max_grace_months": "12",
        "yearly_rate_bp": "250",
        "method": "equal_principal",
        "period_months": "1",
        "collateral_above": "300000000",
        "required_documents": "Giấy đề nghị vay vốn\nPhương án kinh doanh",
        "appraisal_days": "15",
        "decision_days": "10",
        "disbursement_days": "5",
        "board_limit": "250000000",
        "allocation_order": "overdue_interest,overdue_principal,current_interest,current_principal",
        "criteria": "Tính khả thi | 60\nKhả năng trả nợ | 40",
        "article_term": "Điều 8",
        "article_absolute_cap": "Điều 7 khoản 1",
    }


FUND_ROWS: dict[str, Row] = {
    "fund_list": Row("get", lambda cast: reverse("fund_list"), SIGNED_IN),
    "fund_detail": Row("get", at("fund_detail", slug_of), SIGNED_IN),
    "regulation_new": Row(
        "get", at("regulation_new", slug_of), only(200, "fund_officer", "standing_officer")
    ),
    "regulation_new:post": Row(
        "post",
        at("regulation_new", slug_of),
        only(302, "fund_officer", "standing_officer"),
        lambda cast: regulation_data(),
    ),
    "regulation_detail": Row(
        "get", at("regulation_detail", lambda cast: fund_world_for(cast).regulation), SIGNED_IN
    ),
    "contribution_list": Row("get", at("contribution_list", slug_of), SIGNED_IN),
    "contribution_new": Row("get", at("contribution_new", slug_of), only(200, "fund_officer")),
    "contribution_new:post": Row(
        "post",
        at("contribution_new", slug_of),
        only(302, "fund_officer"),
        lambda cast: {
            "source": "individual",
            "contributor": "Bà Lê Thị Hoa",
            "pledged": "5000000",
            "pledged_on": "2026-11-01",
        },
    ),
    "contribution_detail": Row("get", at("contribution_detail", contribution_of), SIGNED_IN),
    # Money received against the pledge: once for the form's key.
    "contribution_detail:post": Row(
        "post",
        at("contribution_detail", contribution_of),
        only(302, "fund_officer"),
        lambda cast: {"amount": "1000000", "received_on": "2026-11-18", "idempotency_key": fresh_key()},
    ),
    "receipt_detail": Row("get", at("receipt_detail", receipt_of), SIGNED_IN),
    "campaign_new": Row("get", at("campaign_new", slug_of), only(200, "fund_officer")),
    "campaign_new:post": Row(
        "post",
        at("campaign_new", slug_of),
        only(302, "fund_officer"),
        lambda cast: {
            "name": "Chung tay 2027",
            "goal": "500000000",
            "starts_on": "2027-01-01",
            "ends_on": "2027-06-30",
        },
    ),
}

# --- Loans, decisions and the portfolio (fund/loan_urls.py) -----------------------------------------------

FUND_ROWS |= {
    "loan_list": Row("get", lambda cast: (loan_of(cast), reverse("loan_list"))[1], SIGNED_IN),
    "loan_detail": Row("get", loan_page("loan_detail"), LOAN_READERS),
    "loan_repayment": Row(
        "post",
        loan_page("loan_repayment"),
        LOAN_WRITERS,
        lambda cast: {
            "repayment-amount": "5000000",
            "repayment-paid_on": "2026-11-18",
            "repayment-idempotency_key": fresh_key(),
        },
    ),
    "loan_repayment_reverse": Row(
        "post",
        loan_page("loan_repayment_reverse"),
        LOAN_WRITERS,
        lambda cast: {
            "reversal-repayment": repayment_of(cast).pk,
            "reversal-reason": "Ghi nhầm số tiền",
            "reversal-idempotency_key": fresh_key(),
        },
    ),
    # The borrower submits a tranche's evidence as the fund's officers may.
    "tranche_evidence": Row(
        "post",
        loan_page("tranche_evidence"),
        LOAN_WRITERS | {"applicant": 302},
        lambda cast: {"evidence-tranche": second_tranche(cast).pk, "evidence-evidence": "Hoá đơn mua máy"},
    ),
    "tranche_review": Row(
        "post",
        loan_page("tranche_review"),
        LOAN_WRITERS,
        lambda cast: {"review-tranche": submitted_tranche(cast).pk, "review-accepted": "yes"},
    ),
    "tranche_release": Row(
        "post",
        loan_page("tranche_release"),
        LOAN_WRITERS,
        lambda cast: {"release-tranche": accepted_tranche(cast).pk, "release-reason": "Xưởng đã hoàn thành."},
    ),
    "loan_extension": Row(
        "post",
        loan_page("loan_extension"),
        LOAN_WRITERS,
        lambda cast: {"extension-extra_periods": "3", "extension-reason": "Mất mùa dừa."},
    ),
    "loan_freeze": Row(
        "post",
        loan_page("loan_freeze"),
        LOAN_WRITERS,
        lambda cast: {"freeze-start": "2026-12-01", "freeze-months": "3", "freeze-reason": "Bão lũ."},
    ),
    "loan_recall": Row(
        "post",
        loan_page("loan_recall"),
        LOAN_WRITERS,
        lambda cast: {"recall-reason": "Sử dụng vốn sai mục đích."},
    ),
    "loan_write_off": Row(
        "post",
        loan_page("loan_write_off"),
        LOAN_WRITERS,
        lambda cast: {"write_off-reason": "Người vay mất khả năng trả nợ."},
    ),
    "decision_propose_loan": Row(
        "get", at("decision_propose_loan", recommended_of), LOAN_WRITERS | {"fund_officer": 200}
    ),
    "decision_propose_loan:post": Row(
        "post",
        at("decision_propose_loan", recommended_of),
        LOAN_WRITERS,
        lambda cast: {
            "amount": "120000000",
            "term_months": "24",
            "grace_months": "0",
            "method": "equal_principal",
            "period_months": "1",
            "tranche_amount_1": "120000000",
            "tranche_milestone_1": "Ký hợp đồng",
            "reason": "Phương án khả thi.",
        },
    ),
    "decision_list": Row(
        "get", lambda cast: (checkers_decision(cast), reverse("decision_list"))[1], SIGNED_IN
    ),
    "decision_detail": Row("get", at("decision_detail", checkers_decision), LOAN_READERS),
    # The second officer checks: the cast's fund officer did not prepare this one.
    "decision_approve": Row(
        "post",
        at("decision_approve", checkers_decision),
        LOAN_WRITERS,
        lambda cast: {"approve-note": "Đồng ý.", "approve-idempotency_key": fresh_key()},
    ),
    "decision_reject": Row(
        "post",
        at("decision_reject", checkers_decision),
        LOAN_WRITERS,
        lambda cast: {"reject-note": "Chưa đủ hồ sơ tài sản bảo đảm."},
    ),
    # Only who prepared it withdraws it: here the cast's fund officer.
    "decision_withdraw": Row("post", at("decision_withdraw", officers_decision), LOAN_WRITERS),
    "portfolio": Row("get", lambda cast: (loan_of(cast), reverse("portfolio"))[1], PORTFOLIO_READERS),
}

# --- The ledger (fund/ledger_urls.py) ---------------------------------------------------------------------

FUND_ROWS |= {
    "ledger_transactions": Row("get", at("ledger_transactions", slug_of), LEDGER_READERS),
    "ledger_balances": Row("get", at("ledger_balances", slug_of), LEDGER_READERS),
    "period_close": Row(
        "post", at("period_close", slug_of), only(302, "fund_officer"), lambda cast: {"month": "2026-10"}
    ),
    # Outside the ledger's readers the transaction does not exist (404), the ledger's pages are 403.
    "transaction_detail": Row(
        "get",
        at("transaction_detail", posting_of),
        everyone(404, anonymous=302, council_member=200, standing_officer=200, fund_officer=200),
    ),
}

# --- The public pages (fund/public_urls.py): anyone, signed in or not --------------------------------------

FUND_ROWS |= {
    "public_fund_list": Row("get", lambda cast: reverse("public_fund_list"), everyone(200)),
    "fund_disclosure": Row("get", at("fund_disclosure", slug_of), everyone(200)),
}


def state() -> tuple:
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        sorted(Decision.objects.values_list("pk", "status")),
        sorted(Loan.objects.values_list("pk", "status")),
        Repayment.objects.count(),
        sorted(Repayment.objects.filter(reversal__isnull=False).values_list("pk", flat=True)),
        Contribution.objects.count(),
        Receipt.objects.count(),
        Regulation.objects.count(),
        Campaign.objects.count(),
        ClosedPeriod.objects.count(),
        Freeze.objects.count(),
        sorted(Tranche.objects.values_list("pk", "evidence_state", "released_on")),
        sorted(LoanApplication.objects.values_list("pk", "status")),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(FUND_ROWS))
def test_role_gets_the_expected_answer(fund_world, login, role, route_name):
    row = FUND_ROWS[route_name]
    cast = fund_world.cast
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"
    if row.method == "post" and response.status_code == 302 and role != "anonymous":
        assert state() != before, "an accepted write changed nothing"


def test_every_route_of_these_modules_has_a_row():
    names = {
        pattern.name
        for module in (fund_urls, loan_urls, ledger_urls, public_urls)
        for pattern in module.urlpatterns
    }
    covered = {name.removesuffix(":post") for name in FUND_ROWS}
    assert names - covered == set()

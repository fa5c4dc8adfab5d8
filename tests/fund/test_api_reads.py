"""Reading the fund through the API: what is hidden from whom, filters and their bounds, query counts,
and every money operation asking for its idempotency key (the answers' agreement with the schema is
tests/portal/test_api_schema_agreement.py's, on tests/fund/api_world.py).
"""

import datetime

import pytest
from django.urls import reverse

from fund.models import (
    Transaction,
)
from fund.services import capital, decisions
from tests.fund.api_world import another_application, approve_loan
from tests.fund.fixtures import *  # noqa: F403 (the fund_world and media_root fixtures)
from tests.portal.api_helpers import api
from tests.portal.test_api_schema_agreement import openapi_document

pytestmark = pytest.mark.django_db

D = datetime.date


def test_cash_shows_only_to_readers_of_the_ledger(fund_world):
    url = reverse("api:fund-detail", args=[fund_world.fund.pk])
    for role, cash in [
        ("fund_officer", 3_000_000_000),
        ("council_member", 3_000_000_000),
        ("standing_officer", 3_000_000_000),
        ("commune_officer", None),
        ("applicant", None),
    ]:
        answer = api(getattr(fund_world.cast, role)).get(url).json()
        assert answer["cash"] == cash, role
        assert answer["capital"] == [{"source": "state_budget", "received": 3_000_000_000}]
        assert answer["regulation"]["number"] == fund_world.regulation.number


def test_a_contact_shows_to_the_funds_officers_and_an_anonymous_name_to_the_ledgers_readers(fund_world):
    contribution = capital.pledge(
        fund=fund_world.fund,
        by=fund_world.officer,
        source="individual",
        contributor="Ông Nguyễn Văn Tặng",
        contact="0909 123 456",
        anonymous=True,
        pledged=50_000_000,
        pledged_on=D(2026, 11, 2),
    )
    url = reverse("api:fund-contribution-detail", args=[contribution.pk])
    officer = api(fund_world.officer).get(url).json()
    assert (officer["contributor"], officer["contact"]) == ("Ông Nguyễn Văn Tặng", "0909 123 456")
    council = api(fund_world.cast.council_member).get(url).json()
    assert (council["contributor"], council["contact"]) == ("Ông Nguyễn Văn Tặng", "")
    for role in ("commune_officer", "applicant"):
        answer = api(getattr(fund_world.cast, role), language="en").get(url).json()
        assert (answer["contributor"], answer["contact"]) == ("Anonymous contributor", ""), role


def test_the_disclosure_names_no_borrower(fund_world):
    fund_world.released_loan()
    answer = api(fund_world.cast.other_applicant).get(
        reverse("api:fund-disclosure", args=[fund_world.fund.pk])
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert answer.json()["loans"] == 1 and answer.json()["disbursed"] == 120_000_000
    for personal in ("Bùi Văn Nộp", fund_world.shop.applicant.national_id, "HĐ-"):
        assert personal not in text


def test_a_borrower_reads_only_their_own_loan(fund_world):
    loan = fund_world.released_loan()
    assert [
        row["id"] for row in api(fund_world.cast.applicant).get(reverse("api:loan-list")).json()["results"]
    ] == [loan.pk]
    assert api(fund_world.cast.other_applicant).get(reverse("api:loan-list")).json()["results"] == []
    assert (
        api(fund_world.cast.other_applicant).get(reverse("api:loan-detail", args=[loan.pk])).status_code
        == 404
    )


def test_an_older_schedule_version_is_read_by_its_number(fund_world):
    loan = fund_world.released_loan()
    client = api(fund_world.officer)
    url = reverse("api:loan-schedule", args=[loan.pk])
    assert client.get(url, {"version": 1}).json()["current"] is True
    assert client.get(url, {"version": 2}).status_code == 404
    for bad in ("0", "abc", "99999999999999999999", "²"):
        response = client.get(url, {"version": bad})
        assert response.status_code == 400, bad
        assert list(response.json()["errors"]) == ["version"]


# --- Filters -----------------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_loans_filter_by_status_bucket_group_fund_and_risk(fund_world):
    loan = fund_world.released_loan()
    client = api(fund_world.cast.council_member)
    url = reverse("api:loan-list")
    assert ids(client.get(url, {"status": "active", "bucket": "current", "debt_group": 1})) == [loan.pk]
    assert ids(client.get(url, {"fund": fund_world.fund.pk, "at_risk": "false"})) == [loan.pk]
    assert ids(client.get(url, {"at_risk": "true"})) == []
    assert ids(client.get(url, {"status": "repaid"})) == []


def test_the_ledger_filters_by_fund_kind_period_and_loan(fund_world):
    loan = fund_world.released_loan()
    client = api(fund_world.cast.council_member)
    url = reverse("api:fund-ledger-transaction-list")
    release = Transaction.objects.get(kind="disbursement")
    assert ids(client.get(url, {"kind": "disbursement"})) == [release.pk]
    assert ids(client.get(url, {"loan": loan.pk})) == [release.pk]
    # The period is the month posted in (the capital was posted today, its value date 2024).
    assert len(ids(client.get(url, {"period": "2026-11", "fund": fund_world.fund.pk}))) == 2
    assert ids(client.get(url, {"period": "2024-01"})) == []
    balances = client.get(reverse("api:fund-ledger-transaction-balances"), {"kind": "cash"}).json()["results"]
    assert [row["balance"] for row in balances] == [2_880_000_000]


@pytest.mark.parametrize(
    ("name", "parameter", "value"),
    [
        ("loan-list", "status", "late"),
        ("loan-list", "bucket", "999+"),
        ("loan-list", "debt_group", "6"),
        ("loan-list", "at_risk", "maybe"),
        ("loan-list", "fund", "99999999999999999999999"),
        ("loan-application-list", "status", "lost"),
        ("loan-application-list", "fund", "²"),
        ("fund-decision-list", "kind", "burn"),
        ("fund-contribution-list", "source", "recycled-x"),
        ("fund-ledger-transaction-list", "period", "2026-13"),
        ("fund-ledger-transaction-list", "period", "1999-12"),
        ("fund-ledger-transaction-list", "loan", "-1"),
        ("fund-ledger-transaction-balances", "kind", "gold"),
        ("fund-list", "page_size", "201"),
    ],
)
def test_a_malformed_filter_is_a_400_in_vietnamese(fund_world, name, parameter, value):
    response = api(fund_world.cast.council_member, language="vi").get(
        reverse(f"api:{name}"), {parameter: value}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/loans/99999999999999999999999/",
        "/api/v1/loans/1/tranches/99999999999999999999/evidence/",
        "/api/v1/loan-applications/1/appraisers/99999999999999999999/declare/",
        "/api/v1/loans/1/repayments/99999999999999999999/reverse/",
    ],
)
def test_an_id_out_of_bounds_in_the_path_is_never_a_500(fund_world, path):
    response = api(fund_world.officer).post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 20)
    assert response.status_code in (404, 405)


def test_a_bad_body_id_is_a_400(fund_world):
    url = reverse("api:loan-application-appraisers", args=[fund_world.application.pk])
    for user in ("99999999999999999999999", "abc", fund_world.cast.commune_officer.pk):
        response = api(fund_world.officer).post(url, {"user": user}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["user"]


# --- Query counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["loan-list", "loan-application-list", "fund-decision-list", "fund-ledger-transaction-list"]
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_more(
    fund_world, django_assert_max_num_queries, name
):
    fund_world.released_loan()
    client = api(fund_world.cast.council_member)
    url = reverse(f"api:{name}")
    with django_assert_max_num_queries(40) as counted:
        client.get(url)
    one = len(counted.captured_queries)
    for amount in (100_000_000, 90_000_000):
        loan = approve_loan(fund_world, another_application(fund_world), amount)
        decision = decisions.propose_release(
            tranche=loan.tranches.get(), by=fund_world.officer, reason="Giải ngân"
        )
        decisions.approve(decision=decision, by=fund_world.checker)
    with django_assert_max_num_queries(one) as counted:
        response = client.get(url)
    assert response.json()["count"] > 1


# --- The schema --------------------------------------------------------------------------------------------


def test_every_money_operation_asks_for_its_idempotency_key():
    document = openapi_document()
    money = {
        path
        for path, methods in document["paths"].items()
        for operation in methods.values()
        if any(
            parameter["name"] == "Idempotency-Key" and parameter["required"]
            for parameter in operation.get("parameters", [])
        )
    }
    assert money == {
        "/api/v1/fund-contributions/{id}/receipts/",
        "/api/v1/loans/{id}/repayments/",
        "/api/v1/loans/{id}/repayments/{repayment_id}/reverse/",
        "/api/v1/fund-decisions/{id}/approve/",
    }
